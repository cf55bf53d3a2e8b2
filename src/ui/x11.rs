//! The window's legacy X title. winit writes `WM_NAME` as a Latin-1 `STRING` holding UTF-8
//! bytes, so tools and older window managers that read it show "ç»©æ\u{95}\u{88}è\u{87}ªè¯\u{84}"
//! instead of 绩效自评 (the modern `_NET_WM_NAME` is right). After each title change the app
//! writes `WM_NAME` again, as `UTF8_STRING`.

use std::sync::{Mutex, OnceLock};

use raw_window_handle::RawWindowHandle;
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{AtomEnum, ConnectionExt, PropMode};
use x11rb::rust_connection::RustConnection;
use x11rb::wrapper::ConnectionExt as _;

/// One connection for the life of the app (`None`: no X server reachable; nothing to fix).
fn connection() -> &'static Mutex<Option<(RustConnection, u32)>> {
    static CONN: OnceLock<Mutex<Option<(RustConnection, u32)>>> = OnceLock::new();
    CONN.get_or_init(|| {
        let conn = x11rb::connect(None).ok().and_then(|(c, _)| {
            let utf8 = c.intern_atom(false, b"UTF8_STRING").ok()?.reply().ok()?.atom;
            Some((c, utf8))
        });
        Mutex::new(conn)
    })
}

/// Writes `title` as the window's `WM_NAME`, UTF-8 encoded. Does nothing off X11.
pub fn set_wm_name(window: &dyn iced::window::Window, title: &str) {
    let Ok(handle) = window.window_handle() else { return };
    let id = match handle.as_raw() {
        RawWindowHandle::Xlib(h) => h.window as u32,
        RawWindowHandle::Xcb(h) => h.window.get(),
        _ => return,
    };
    let Ok(guard) = connection().lock() else { return };
    if let Some((conn, utf8)) = guard.as_ref() {
        let _ = conn.change_property8(PropMode::REPLACE, id, AtomEnum::WM_NAME, *utf8, title.as_bytes());
        let _ = conn.flush();
    }
}

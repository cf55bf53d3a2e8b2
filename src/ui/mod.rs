//! The desktop window (iced 0.14). The only module of the crate that imports iced.
//!
//! - [`app`]: state, messages, subscriptions; `update` routes each message to its screen or
//!   handles it (files, edits, focus, dialogs); its `view` draws the side bar of steps, tool bar,
//!   status bar, dialogs around the screen on display;
//! - [`screen`]: the protocol between the app and its screens: [`Screen`], the `Effect` a
//!   screen's update asks of the app, the `Ctx` it works on, the `Page` trait the app dispatches
//!   through;
//! - one module per screen, each with its own `Message`, `update` and `view`: [`basic`] (附件1),
//!   [`department`] (附件2), [`project`] (附件3), [`report`] (附件4 自评报告), [`problems`] (问题清单);
//!   [`grid`] is the 绩效指标 grid 附件2 and 附件3 share;
//! - [`widgets`]: cell widgets and styles;
//! - [`print_dialog`]: 打印… (printer, copies, page range, the export choice; the job off the UI thread);
//! - [`preview`]: 打印预览 (an overlay with its own `Message` and `update`), drawing the PDF's page
//!   model (`crate::pdf::pages`).

pub mod app;
pub mod basic;
pub mod department;
pub mod export_picker;
pub mod grid;
pub mod new_draft;
pub mod problems;
pub mod preview;
pub mod print_dialog;
pub mod project;
pub mod report;
pub mod screen;
pub mod widgets;
#[cfg(target_os = "linux")]
mod x11;

use std::path::PathBuf;

use iced::{Font, Pixels, Size};

pub use app::{App, Message, Options};
pub use screen::Screen;

/// The embedded font (Noto Sans CJK SC subset to GBK, OFL), family "Zipin Sans": the PDF's own
/// bytes, embedded once.
pub use crate::pdf::FONT_BYTES;
pub const FONT: Font = Font::with_name("Zipin Sans");

/// Settings shared by the window and the headless tests: the embedded font as default.
pub fn settings() -> iced::Settings {
    iced::Settings {
        fonts: vec![FONT_BYTES.into()],
        default_font: FONT,
        default_text_size: Pixels(14.0),
        antialiasing: true,
        ..Default::default()
    }
}

/// Opens the window on `path` (or a new draft).
pub fn run(path: Option<PathBuf>) -> iced::Result {
    run_with(Options { path, screen: None })
}

/// The window opens maximized (office screens are often 1366×768; forms want every pixel), at
/// 1440×900 when restored. `ZIPIN_WINDOW_SIZE=WIDTHxHEIGHT` gives that exact size, not maximized
/// (screenshots). Sizes are in the system's logical pixels: iced multiplies the size it opens a
/// window at by the app's scale factor (the zoom), so it is divided by the zoom here — a zoomed
/// window opens as large as an unzoomed one, its content larger.
fn window_settings(zoom: u16) -> iced::window::Settings {
    let fixed = std::env::var("ZIPIN_WINDOW_SIZE").ok().and_then(|s| {
        let (w, h) = s.split_once('x')?;
        Some(Size::new(w.trim().parse().ok()?, h.trim().parse().ok()?))
    });
    let scale = f32::from(zoom.max(1)) / 100.0;
    let size = fixed.unwrap_or(Size::new(1440.0, 900.0));
    iced::window::Settings {
        size: Size::new(size.width / scale, size.height / scale),
        maximized: fixed.is_none(),
        min_size: Some(Size::new(1024.0, 640.0)),
        // Centred from its unzoomed size, a zoomed window would be placed off centre: it is left
        // to the window manager then (which maximizes it anyway).
        position: if zoom == 100 { iced::window::Position::Centered } else { iced::window::Position::Default },
        // WM_CLASS "zipin" (X11) / app id (Wayland): what the .desktop file's StartupWMClass,
        // taskbars and `xdotool search --class zipin` look for.
        #[cfg(target_os = "linux")]
        platform_specific: iced::window::settings::PlatformSpecific { application_id: "zipin".into(), override_redirect: false },
        ..Default::default()
    }
}

pub fn run_with(options: Options) -> iced::Result {
    iced::application(move || App::boot(options.clone()), App::update, App::view)
        .title(App::title)
        .settings(settings())
        .subscription(App::subscription)
        .theme(App::theme)
        .scale_factor(App::scale)
        .window(window_settings(crate::document::files::zoom()))
        .exit_on_close_request(false)
        .run()
}

#[cfg(test)]
mod input_tests;
#[cfg(test)]
mod reliability_tests;
#[cfg(test)]
mod tests;

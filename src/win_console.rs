//! Windows: the exe is a GUI-subsystem program (no console window when double-clicked), so when
//! it is run from cmd or PowerShell with arguments it borrows the terminal's console for its
//! output. Redirected output (`zipin.exe check x --format json > out.json`) keeps the handles it
//! was given.

use std::ffi::c_void;

type Handle = *mut c_void;

const ATTACH_PARENT_PROCESS: u32 = u32::MAX; // (DWORD)-1
const STD_OUTPUT_HANDLE: u32 = -11i32 as u32;
const STD_ERROR_HANDLE: u32 = -12i32 as u32;
const INVALID_HANDLE_VALUE: Handle = -1isize as Handle;
const GENERIC_READ: u32 = 0x8000_0000;
const GENERIC_WRITE: u32 = 0x4000_0000;
const FILE_SHARE_READ: u32 = 1;
const FILE_SHARE_WRITE: u32 = 2;
const OPEN_EXISTING: u32 = 3;
const CP_UTF8: u32 = 65001;

#[link(name = "kernel32")]
extern "system" {
    fn AttachConsole(process_id: u32) -> i32;
    fn GetStdHandle(which: u32) -> Handle;
    fn SetStdHandle(which: u32, handle: Handle) -> i32;
    fn GetConsoleOutputCP() -> u32;
    fn SetConsoleOutputCP(code_page: u32) -> i32;
    fn CreateFileW(
        name: *const u16,
        access: u32,
        share: u32,
        security: *mut c_void,
        disposition: u32,
        flags: u32,
        template: Handle,
    ) -> Handle;
}

/// Restores the console's output code page when dropped: the console belongs to the user's
/// terminal, which must not be left switched to UTF-8.
pub struct Console {
    restore_cp: Option<u32>,
}

impl Drop for Console {
    fn drop(&mut self) {
        if let Some(cp) = self.restore_cp {
            unsafe { SetConsoleOutputCP(cp) };
        }
    }
}

fn valid(h: Handle) -> bool {
    !h.is_null() && h != INVALID_HANDLE_VALUE
}

/// Attaches to the console of the process that started us (cmd, PowerShell), if any, and
/// switches its output code page to UTF-8 until the returned guard is dropped. (Rust's std
/// writes to a console with WriteConsoleW, so Chinese shows whatever the code page; UTF-8 is
/// for anything that writes bytes.) Started from Explorer there is no parent console: nothing
/// happens.
pub fn attach() -> Console {
    unsafe {
        let given = [STD_OUTPUT_HANDLE, STD_ERROR_HANDLE].map(|w| (w, GetStdHandle(w)));
        if AttachConsole(ATTACH_PARENT_PROCESS) == 0 {
            return Console { restore_cp: None };
        }
        for (which, before) in given {
            if valid(before) {
                // Redirected to a file or pipe: keep it.
                SetStdHandle(which, before);
            } else if !valid(GetStdHandle(which)) {
                let name: Vec<u16> = "CONOUT$\0".encode_utf16().collect();
                let h = CreateFileW(
                    name.as_ptr(),
                    GENERIC_READ | GENERIC_WRITE,
                    FILE_SHARE_READ | FILE_SHARE_WRITE,
                    std::ptr::null_mut(),
                    OPEN_EXISTING,
                    0,
                    std::ptr::null_mut(),
                );
                if valid(h) {
                    SetStdHandle(which, h);
                }
            }
        }
        let cp = GetConsoleOutputCP();
        let restore_cp = (cp != 0 && cp != CP_UTF8 && SetConsoleOutputCP(CP_UTF8) != 0).then_some(cp);
        Console { restore_cp }
    }
}

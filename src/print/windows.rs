//! Windows: the print spooler lists the printers (EnumPrintersW, GetDefaultPrinterW); a job draws
//! the page model with GDI on the printer's device context (CreateDCW, StartDocW, StartPage …), in
//! device units from the page's millimetres (LOGPIXELSX/Y, less the unprintable margin
//! PHYSICALOFFSETX/Y). The text is drawn with the embedded font, loaded for this process only
//! (AddFontMemResourceEx), so the printout does not depend on installed fonts or a PDF reader.

use std::collections::HashMap;
use std::sync::OnceLock;

use windows_sys::Win32::Foundation::{GetLastError, HANDLE};
use windows_sys::Win32::Graphics::Gdi::{
    AbortPath, AddFontMemResourceEx, BeginPath, CreateDCW, CreateSolidBrush, EndPath, FillPath, SetPolyFillMode, WINDING, CreateFontW, CreatePen, DeleteDC, DeleteObject, GetDeviceCaps, LineTo, MoveToEx, SelectObject,
    SetBkMode, SetTextAlign, SetTextColor, TextOutW, HDC, HFONT, LOGPIXELSX, LOGPIXELSY, PHYSICALOFFSETX, PHYSICALOFFSETY, PS_SOLID,
    TA_BASELINE, TA_LEFT, TRANSPARENT,
};
use windows_sys::Win32::Graphics::Printing::{EnumPrintersW, GetDefaultPrinterW, PRINTER_ENUM_CONNECTIONS, PRINTER_ENUM_LOCAL, PRINTER_INFO_4W};
use windows_sys::Win32::Storage::Xps::{AbortDoc, EndDoc, EndPage, StartDocW, StartPage, DOCINFOW};

use super::{PrintError, Printer, Printout};
use crate::pdf::{Page, MM_PER_POINT, RULE_WIDTH_PT};

/// The embedded font's family name (as `ui::FONT` names it).
const FAMILY: &str = "Zipin Sans";

fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(std::iter::once(0)).collect()
}

/// A NUL-terminated UTF-16 string from the spooler.
unsafe fn from_wide(p: *const u16) -> String {
    if p.is_null() {
        return String::new();
    }
    let mut n = 0;
    while *p.add(n) != 0 {
        n += 1;
    }
    String::from_utf16_lossy(std::slice::from_raw_parts(p, n))
}

fn default_printer() -> Option<String> {
    let mut len: u32 = 0;
    unsafe {
        GetDefaultPrinterW(std::ptr::null_mut(), &mut len);
        if len == 0 {
            return None;
        }
        let mut buf = vec![0u16; len as usize];
        if GetDefaultPrinterW(buf.as_mut_ptr(), &mut len) == 0 {
            return None;
        }
        Some(from_wide(buf.as_ptr())).filter(|s| !s.is_empty())
    }
}

pub(super) fn printers() -> Result<Vec<Printer>, PrintError> {
    let flags = PRINTER_ENUM_LOCAL | PRINTER_ENUM_CONNECTIONS;
    let (mut needed, mut count) = (0u32, 0u32);
    let mut list = Vec::new();
    unsafe {
        EnumPrintersW(flags, std::ptr::null(), 4, std::ptr::null_mut(), 0, &mut needed, &mut count);
        if needed == 0 {
            return Ok(list);
        }
        // u64 backing keeps the PRINTER_INFO_4W records aligned.
        let mut buf = vec![0u64; (needed as usize).div_ceil(8)];
        if EnumPrintersW(flags, std::ptr::null(), 4, buf.as_mut_ptr().cast(), needed, &mut needed, &mut count) == 0 {
            return Err(PrintError::NoService(format!("无法列出打印机：打印后台处理程序（Print Spooler）没有响应（错误 {}）", GetLastError())));
        }
        let default = default_printer();
        let infos = std::slice::from_raw_parts(buf.as_ptr().cast::<PRINTER_INFO_4W>(), count as usize);
        for info in infos {
            let name = from_wide(info.pPrinterName);
            if name.is_empty() {
                continue;
            }
            let is_default = default.as_deref() == Some(name.as_str());
            list.push(Printer { name, info: String::new(), is_default });
        }
    }
    Ok(list)
}

/// The embedded font, registered once for this process.
fn load_font() -> bool {
    static LOADED: OnceLock<bool> = OnceLock::new();
    *LOADED.get_or_init(|| {
        let bytes = crate::pdf::FONT_BYTES;
        let mut fonts: u32 = 0;
        let h: HANDLE = unsafe { AddFontMemResourceEx(bytes.as_ptr().cast(), bytes.len() as u32, std::ptr::null(), &mut fonts) };
        !h.is_null() && fonts > 0
    })
}

/// A printer's device context, deleted when dropped.
struct Dc(HDC);

impl Drop for Dc {
    fn drop(&mut self) {
        unsafe { DeleteDC(self.0) };
    }
}

pub(super) fn print(printer: &str, printout: &Printout, copies: u32) -> Result<Option<u32>, PrintError> {
    if !load_font() {
        return Err(PrintError::Failed("无法加载内置字体".into()));
    }
    let name = wide(printer);
    let dc = unsafe { CreateDCW(wide("WINSPOOL").as_ptr(), name.as_ptr(), std::ptr::null(), std::ptr::null()) };
    if dc.is_null() {
        return Err(PrintError::Failed(format!("无法打开打印机“{printer}”（错误 {}）", unsafe { GetLastError() })));
    }
    let dc = Dc(dc);
    let title = wide(&printout.title);
    let info = DOCINFOW { cbSize: std::mem::size_of::<DOCINFOW>() as i32, lpszDocName: title.as_ptr(), ..Default::default() };
    let job = unsafe { StartDocW(dc.0, &info) };
    if job <= 0 {
        return Err(PrintError::Failed(format!("打印机“{printer}”没有接受作业（错误 {}）", unsafe { GetLastError() })));
    }
    let device = Device::of(dc.0);
    for _ in 0..copies {
        for page in &printout.pages {
            let started = unsafe { StartPage(dc.0) } > 0;
            if started {
                device.draw(page);
            }
            let ended = started && unsafe { EndPage(dc.0) } > 0;
            let ok = started && ended;
            if !ok {
                let code = unsafe { GetLastError() };
                unsafe { AbortDoc(dc.0) };
                return Err(PrintError::Failed(format!("打印机“{printer}”在打印中出错（错误 {code}），作业已取消")));
            }
        }
    }
    if unsafe { EndDoc(dc.0) } <= 0 {
        return Err(PrintError::Failed(format!("打印机“{printer}”没有完成作业（错误 {}）", unsafe { GetLastError() })));
    }
    Ok(u32::try_from(job).ok())
}

/// Millimetres to the device's units.
struct Device {
    dc: HDC,
    /// Device units per millimetre.
    sx: f32,
    sy: f32,
    /// The unprintable margin, in device units: device (0, 0) is this far into the paper.
    ox: f32,
    oy: f32,
}

fn rgb(grey: f32) -> u32 {
    let v = (grey.clamp(0.0, 1.0) * 255.0).round() as u32;
    v | (v << 8) | (v << 16)
}

impl Device {
    fn of(dc: HDC) -> Device {
        let cap = |i: u32| unsafe { GetDeviceCaps(dc, i as i32) } as f32;
        let (dpi_x, dpi_y) = (cap(LOGPIXELSX).max(72.0), cap(LOGPIXELSY).max(72.0));
        Device { dc, sx: dpi_x / 25.4, sy: dpi_y / 25.4, ox: cap(PHYSICALOFFSETX), oy: cap(PHYSICALOFFSETY) }
    }

    fn at(&self, x: f32, y: f32) -> (i32, i32) {
        ((x * self.sx - self.ox).round() as i32, (y * self.sy - self.oy).round() as i32)
    }

    /// A font of `size_pt` points, its baseline rotated `angle` degrees counter-clockwise.
    fn font(&self, size_pt: f32, angle: f32) -> HFONT {
        let height = -((size_pt * MM_PER_POINT * self.sy).round() as i32).max(1);
        let tenths = (angle * 10.0).round() as i32;
        let face = wide(FAMILY);
        unsafe { CreateFontW(height, 0, tenths, tenths, 400, 0, 0, 0, 1 /* DEFAULT_CHARSET */, 0, 0, 4 /* ANTIALIASED_QUALITY */, 0, face.as_ptr()) }
    }

    /// A run of text with its baseline's left end at (`x`, `y`), in `color`, drawn as the
    /// glyphs' outlines filled (a path): every printer driver takes paths, while some (wine's
    /// PostScript driver) cannot send an OpenType font with CFF outlines to the printer. Plain
    /// text if the path cannot be made.
    fn text(&self, x: i32, y: i32, s: &str, color: u32) {
        let w: Vec<u16> = s.encode_utf16().collect();
        let dc = self.dc;
        unsafe {
            let brush = CreateSolidBrush(color);
            let old = SelectObject(dc, brush);
            SetPolyFillMode(dc, WINDING);
            let path = BeginPath(dc) != 0 && TextOutW(dc, x, y, w.as_ptr(), w.len() as i32) != 0 && EndPath(dc) != 0;
            if !(path && FillPath(dc) != 0) {
                AbortPath(dc);
                SetTextColor(dc, color);
                TextOutW(dc, x, y, w.as_ptr(), w.len() as i32);
            }
            SelectObject(dc, old);
            DeleteObject(brush);
        }
    }

    fn draw(&self, page: &Page) {
        let dc = self.dc;
        unsafe {
            SetBkMode(dc, TRANSPARENT as i32);
            SetTextAlign(dc, TA_BASELINE | TA_LEFT);
        }
        if let Some(w) = &page.watermark {
            let font = self.font(w.size, w.angle);
            let (x, y) = self.at(w.x, w.baseline);
            unsafe {
                let old = SelectObject(dc, font);
                self.text(x, y, &w.text, rgb(w.grey));
                SelectObject(dc, old);
                DeleteObject(font);
            }
        }
        let width = ((RULE_WIDTH_PT * MM_PER_POINT * self.sx).round() as i32).max(1);
        unsafe {
            let pen = CreatePen(PS_SOLID, width, 0);
            let old = SelectObject(dc, pen);
            for line in &page.lines {
                let mut points = line.points.iter().map(|&(x, y)| self.at(x, y)).collect::<Vec<_>>();
                if line.closed {
                    if let Some(&first) = points.first() {
                        points.push(first);
                    }
                }
                if let Some(&(x, y)) = points.first() {
                    MoveToEx(dc, x, y, std::ptr::null_mut());
                    for &(x, y) in &points[1..] {
                        LineTo(dc, x, y);
                    }
                }
            }
            SelectObject(dc, old);
            DeleteObject(pen);
        }
        let mut fonts: HashMap<u32, HFONT> = HashMap::new();
        let mut original = None;
        let mut current = None;
        for t in &page.texts {
            let key = t.size.to_bits();
            let font = *fonts.entry(key).or_insert_with(|| self.font(t.size, 0.0));
            if current != Some(key) {
                let previous = unsafe { SelectObject(dc, font) };
                original.get_or_insert(previous);
                current = Some(key);
            }
            let (x, y) = self.at(t.x, t.baseline);
            self.text(x, y, &t.text, 0);
        }
        unsafe {
            if let Some(original) = original {
                SelectObject(dc, original);
            }
            for (_, f) in fonts {
                DeleteObject(f);
            }
        }
    }
}

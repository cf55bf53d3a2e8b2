//! Printing: the system's printers, and a print job of the export's pages.
//!
//! What is printed is [`crate::pdf::Printout`]: the pages the PDF export writes and the print
//! preview shows, for the same form/project choice and under the same draft/final rule (a "草稿"
//! watermark while errors remain; a final copy is refused). A page range picks some of them; each
//! keeps its printed number.
//!
//! - Linux and the other Unixes (`cups`): CUPS, over IPP, spoken directly (no libcups: the binary
//!   starts on machines without it) to the local server — `CUPS_SERVER` if set (`host[:port]` or a
//!   socket path), else `/run/cups/cups.sock`, else `localhost:631`. The job is the PDF of the
//!   selected pages. Every connection has a timeout: no server means a clear error, never a hang.
//! - Windows (`windows`): the print spooler lists the printers; the pages are drawn with GDI on the
//!   printer's device context (the embedded font loaded privately), so no PDF reader is needed.

use std::fmt;

use crate::pdf::{ExportError, Printout};

#[cfg(unix)]
mod cups;
#[cfg(windows)]
mod windows;

/// A printer the system offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printer {
    /// The name jobs are sent to (a CUPS queue name, a Windows printer name).
    pub name: String,
    /// A description for people (CUPS `printer-info`, or the model), possibly empty.
    pub info: String,
    /// The system's default printer.
    pub is_default: bool,
}

impl fmt::Display for Printer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name)?;
        if !self.info.is_empty() && self.info != self.name {
            write!(f, "（{}）", self.info)?;
        }
        if self.is_default {
            write!(f, " · 默认")?;
        }
        Ok(())
    }
}

/// Which pages to print: 1-based, inclusive ranges, as typed (`1-3,5`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRange(Vec<(usize, usize)>);

impl PageRange {
    /// Reads `1-3,5`, `2-`, `7`; full-width digits, dashes and commas (`１－３，５`) too. Empty or
    /// `all` means every page (`None`).
    pub fn parse(text: &str) -> Result<Option<PageRange>, String> {
        let normal: String = text
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '，' | '、' | ';' | '；' => ',',
                '－' | '—' | '–' | '~' | '～' | '至' => '-',
                c => c,
            })
            .filter(|c| !c.is_whitespace())
            .collect();
        if normal.is_empty() || normal.eq_ignore_ascii_case("all") || normal == "全部" {
            return Ok(None);
        }
        let bad = |part: &str| format!("页码范围“{}”中的“{part}”无效（应如 1-3,5：页码从1开始，用逗号分隔，用 - 表示范围）", text.trim());
        let number = |s: &str, part: &str| s.parse::<usize>().ok().filter(|&n| n >= 1).ok_or_else(|| bad(part));
        let mut ranges = Vec::new();
        for part in normal.split(',') {
            if part.is_empty() {
                continue;
            }
            let (a, b) = match part.split_once('-') {
                None => {
                    let n = number(part, part)?;
                    (n, n)
                }
                Some((a, "")) => (number(a, part)?, usize::MAX),
                Some((a, b)) => (number(a, part)?, number(b, part)?),
            };
            if a > b {
                return Err(format!("页码范围“{part}”前大后小（应如 2-4）"));
            }
            ranges.push((a, b));
        }
        if ranges.is_empty() {
            return Err(bad(text.trim()));
        }
        Ok(Some(PageRange(ranges)))
    }

    /// The page numbers (from 1) among `total`, in the order given, each once. An error names a
    /// page beyond the document, or a range that selects nothing.
    pub fn pages(&self, total: usize) -> Result<Vec<usize>, String> {
        let mut out = Vec::new();
        for &(a, b) in &self.0 {
            if a > total {
                return Err(format!("没有第{a}页（共{total}页）"));
            }
            for n in a..=b.min(total) {
                if !out.contains(&n) {
                    out.push(n);
                }
            }
        }
        Ok(out)
    }
}

impl fmt::Display for PageRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, &(a, b)) in self.0.iter().enumerate() {
            if i > 0 {
                write!(f, ",")?;
            }
            match (a, b) {
                (a, b) if a == b => write!(f, "{a}")?,
                (a, usize::MAX) => write!(f, "{a}-")?,
                (a, b) => write!(f, "{a}-{b}")?,
            }
        }
        Ok(())
    }
}

/// The most copies one job may ask for.
pub const MAX_COPIES: u32 = 999;

/// A print job: where, how many, which pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// The printer's name; `None`: the default printer.
    pub printer: Option<String>,
    pub copies: u32,
    pub pages: Option<PageRange>,
}

/// A job the system accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub printer: String,
    /// Pages in one copy.
    pub pages: usize,
    pub copies: u32,
    /// The spooler's job number, when it gives one.
    pub job_id: Option<u32>,
}

impl fmt::Display for Sent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "已发送到打印机 {}：{} 页", self.printer, self.pages)?;
        if self.copies > 1 {
            write!(f, " × {} 份", self.copies)?;
        }
        if let Some(id) = self.job_id {
            write!(f, "（作业 {id}）")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum PrintError {
    /// No print service to talk to (CUPS not installed or not running; the spooler down).
    NoService(String),
    /// The service runs but offers no printer.
    NoPrinter,
    /// No printer by that name; the names there are.
    UnknownPrinter { name: String, available: Vec<String> },
    /// No printer was named and the system has no default.
    NoDefault { available: Vec<String> },
    /// A copies count or page range that does not read, or selects nothing.
    BadInput(String),
    /// The pages could not be made (the export's refusals: a final copy while errors remain …).
    Export(ExportError),
    /// The service refused or failed the job.
    Failed(String),
}

impl fmt::Display for PrintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |v: &[String]| v.join("、");
        match self {
            PrintError::NoService(why) => write!(f, "{why}"),
            PrintError::NoPrinter => write!(f, "没有可用的打印机：打印服务中还没有添加打印机（请先在系统设置中添加打印机）"),
            PrintError::UnknownPrinter { name, available } => {
                write!(f, "没有名为“{name}”的打印机；可用的打印机：{}", names(available))
            }
            PrintError::NoDefault { available } => {
                write!(f, "系统没有设置默认打印机，请用 --printer 指定一台：{}", names(available))
            }
            PrintError::BadInput(e) => write!(f, "{e}"),
            PrintError::Export(e) => write!(f, "{e}"),
            PrintError::Failed(e) => write!(f, "打印失败：{e}"),
        }
    }
}

impl std::error::Error for PrintError {}

impl From<ExportError> for PrintError {
    fn from(e: ExportError) -> PrintError {
        PrintError::Export(e)
    }
}

/// The system's printers, the default one marked (and listed first). An empty list is not an
/// error: the service runs but has no printer.
pub fn printers() -> Result<Vec<Printer>, PrintError> {
    let mut list = platform::printers()?;
    // The default first, then by name.
    list.sort_by(|a, b| b.is_default.cmp(&a.is_default).then_with(|| a.name.cmp(&b.name)));
    Ok(list)
}

/// Reads a copies count as typed (1–999).
pub fn parse_copies(text: &str) -> Result<u32, String> {
    let t: String = text.trim().chars().map(|c| if ('０'..='９').contains(&c) { char::from_u32(c as u32 - 0xFEE0).unwrap_or(c) } else { c }).collect();
    match t.parse::<u32>() {
        Ok(n) if (1..=MAX_COPIES).contains(&n) => Ok(n),
        _ => Err(format!("份数“{}”无效（应为 1 到 {MAX_COPIES} 之间的整数）", text.trim())),
    }
}

/// The pages of `printout` that `job` selects, or why none.
pub fn select(printout: &Printout, job: &Job) -> Result<Printout, PrintError> {
    if printout.pages.is_empty() {
        return Err(PrintError::BadInput("没有可打印的页".into()));
    }
    match &job.pages {
        None => Ok(printout.clone()),
        Some(range) => {
            let numbers = range.pages(printout.pages.len()).map_err(PrintError::BadInput)?;
            Ok(printout.only(&numbers))
        }
    }
}

/// Prints the pages of `printout` that `job` selects on its printer (the default one if none is
/// named), after checking the printer exists.
pub fn print(printout: &Printout, job: &Job) -> Result<Sent, PrintError> {
    if !(1..=MAX_COPIES).contains(&job.copies) {
        return Err(PrintError::BadInput(format!("份数 {} 无效（应为 1 到 {MAX_COPIES}）", job.copies)));
    }
    let selected = select(printout, job)?;
    let list = printers()?;
    let printer = resolve(&list, job.printer.as_deref())?;
    let job_id = platform::print(&printer, &selected, job.copies)?;
    Ok(Sent { printer, pages: selected.pages.len(), copies: job.copies, job_id })
}

/// The printer a job goes to: the one named (which must exist), else the default.
pub fn resolve(list: &[Printer], name: Option<&str>) -> Result<String, PrintError> {
    let available = || list.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
    if list.is_empty() {
        return Err(PrintError::NoPrinter);
    }
    match name.map(str::trim) {
        Some(name) if !name.is_empty() => list
            .iter()
            .find(|p| p.name == name)
            .or_else(|| list.iter().find(|p| p.name.eq_ignore_ascii_case(name)))
            .map(|p| p.name.clone())
            .ok_or_else(|| PrintError::UnknownPrinter { name: name.to_string(), available: available() }),
        _ => list.iter().find(|p| p.is_default).map(|p| p.name.clone()).ok_or_else(|| PrintError::NoDefault { available: available() }),
    }
}

#[cfg(unix)]
use cups as platform;
#[cfg(windows)]
use windows as platform;

#[cfg(not(any(unix, windows)))]
mod platform {
    use super::{PrintError, Printer, Printout};
    pub fn printers() -> Result<Vec<Printer>, PrintError> {
        Err(PrintError::NoService("此系统上不支持打印".into()))
    }
    pub fn print(_: &str, _: &Printout, _: u32) -> Result<Option<u32>, PrintError> {
        Err(PrintError::NoService("此系统上不支持打印".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_ranges_read_as_typed() {
        let r = PageRange::parse("1-3,5").unwrap().unwrap();
        assert_eq!(r.pages(10).unwrap(), vec![1, 2, 3, 5]);
        assert_eq!(r.to_string(), "1-3,5");
        assert_eq!(PageRange::parse("１－３，５").unwrap().unwrap().pages(10).unwrap(), vec![1, 2, 3, 5]);
        assert_eq!(PageRange::parse(" 4- ").unwrap().unwrap().pages(6).unwrap(), vec![4, 5, 6]);
        assert_eq!(PageRange::parse("2-9").unwrap().unwrap().pages(4).unwrap(), vec![2, 3, 4]);
        assert_eq!(PageRange::parse("3,1-3").unwrap().unwrap().pages(4).unwrap(), vec![3, 1, 2]);
        assert_eq!(PageRange::parse("").unwrap(), None);
        assert_eq!(PageRange::parse("all").unwrap(), None);
        for bad in ["0", "a", "1-b", "-3", "3-1", ",", "1--2", "1.5", "99999999999999999999999"] {
            assert!(PageRange::parse(bad).is_err(), "{bad} should be refused");
        }
        assert!(PageRange::parse("3-1").unwrap_err().contains("前大后小"));
        assert_eq!(PageRange::parse("7").unwrap().unwrap().pages(5).unwrap_err(), "没有第7页（共5页）");
    }

    #[test]
    fn copies_read_as_typed() {
        assert_eq!(parse_copies(" 2 "), Ok(2));
        assert_eq!(parse_copies("３"), Ok(3));
        for bad in ["0", "-1", "1000", "x", "", "1.5"] {
            assert!(parse_copies(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_printer_named_or_the_default() {
        let p = |name: &str, d: bool| Printer { name: name.into(), info: String::new(), is_default: d };
        let list = vec![p("office", false), p("zipin-pdf", true)];
        assert_eq!(resolve(&list, None).unwrap(), "zipin-pdf");
        assert_eq!(resolve(&list, Some("OFFICE")).unwrap(), "office");
        let e = resolve(&list, Some("nope")).unwrap_err();
        assert_eq!(e.to_string(), "没有名为“nope”的打印机；可用的打印机：office、zipin-pdf");
        assert!(matches!(resolve(&[p("a", false)], None), Err(PrintError::NoDefault { .. })));
        assert_eq!(resolve(&[], Some("a")), Err(PrintError::NoPrinter));
        assert!(PrintError::NoPrinter.to_string().starts_with("没有可用的打印机"));
    }
}

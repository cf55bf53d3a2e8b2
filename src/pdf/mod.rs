//! PDF export of the forms: 附件1, 附件2 and each 附件3, as on paper, from a workbook and its
//! evaluation.
//!
//! - `forms`: each form described as table data (cells, spans, text from `crate::display`);
//! - `layout`: the one table layout engine (measure, wrap, spans, page breaks) producing a page
//!   model ([`Page`]: positioned text runs and rules) that the PDF writer draws, and the window's
//!   print preview too ([`pages`]);
//! - `xlsx`: the same table data written as a spreadsheet (merged cells, number formats) for
//!   finance bureaus that want one ([`export_xlsx`]);
//! - `docx`: the same table data as a Word document, real tables, and the 附件4 report set as an
//!   official document ([`export_docx`]).
//!
//! The font is `assets/fonts/ZipinSans-Regular.otf` (Noto Sans CJK SC subset to GBK, CID-keyed
//! CFF), compiled in and parsed once. printpdf 0.12.8 embeds it as a subset `CIDFontType0C`
//! with Identity-H encoding and a ToUnicode map, so the text of the PDF is selectable and
//! searchable; the subset keeps only the glyphs used.

mod docx;
mod forms;
mod layout;
mod xlsx;

pub use layout::{Page, Polyline, TextRun, Watermark, ASCENT_EM, MM_PER_POINT, RULE_WIDTH_PT};

use std::fmt;
use std::sync::OnceLock;

use printpdf::ParsedFont;

use crate::engine::{Evaluation, Finding, Severity};
use crate::model::Workbook;
use crate::profile::Profile;

/// The embedded CJK font (family "Zipin Sans").
pub const FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/ZipinSans-Regular.otf");

/// What to export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Forms to print, a subset of 1, 2, 3 and 4 (the 附件4 report, printed last when the workbook
    /// has one); empty = all.
    pub forms: Vec<u8>,
    /// 附件3 projects to print, 0-based; `None` = all.
    pub projects: Option<Vec<usize>>,
    /// A final copy: refused while the evaluation has errors. A draft (the default) is always
    /// allowed and carries a "草稿" watermark while errors remain.
    pub final_copy: bool,
}

impl ExportOptions {
    /// The options the window's export picker chose for a draft (`Workbook::export`).
    pub fn chosen(c: &crate::model::ExportChoice) -> ExportOptions {
        ExportOptions { forms: c.forms.clone(), projects: c.projects.clone(), final_copy: c.final_copy }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExportError {
    /// A final copy was asked for, but these errors remain.
    FinalRefused(Vec<Finding>),
    /// The embedded font could not be read.
    Font(String),
    /// A form number other than 1, 2, 3.
    NoSuchForm(u8),
    /// A project index (0-based) beyond the workbook's projects.
    NoSuchProject { index: usize, count: usize },
    /// The selection leaves nothing to print (e.g. only 附件3 of a workbook without projects).
    Nothing,
    /// The spreadsheet writer failed.
    Xlsx(String),
    /// The Word writer failed.
    Docx(String),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::FinalRefused(errors) => {
                write!(f, "还有{}个错误，不能导出正式版（不加 --final 可导出带“草稿”水印的草稿）：", errors.len())?;
                for e in errors {
                    write!(f, "\n  {} {} {}", e.rule, e.location.widget_id(), e.message)?;
                }
                Ok(())
            }
            ExportError::Font(e) => write!(f, "无法读取内置字体：{e}"),
            ExportError::NoSuchForm(n) => write!(f, "没有附件{n}（只能选1、2、3、4）"),
            ExportError::NoSuchProject { index, count } => {
                write!(f, "没有第{}个项目（共{}个项目）", index + 1, count)
            }
            ExportError::Nothing => write!(f, "所选范围内没有可打印的表"),
            ExportError::Xlsx(e) => write!(f, "无法生成电子表格：{e}"),
            ExportError::Docx(e) => write!(f, "无法生成Word文档：{e}"),
        }
    }
}

impl std::error::Error for ExportError {}

/// The parsed font, parsed on first use and kept for the life of the process.
pub(crate) fn font() -> Result<&'static ParsedFont, ExportError> {
    static FONT: OnceLock<Result<ParsedFont, String>> = OnceLock::new();
    FONT.get_or_init(|| {
        ParsedFont::from_bytes(FONT_BYTES, 0, &mut Vec::new()).ok_or_else(|| "ZipinSans-Regular.otf 无法解析".to_string())
    })
    .as_ref()
    .map_err(|e| ExportError::Font(e.clone()))
}

/// Prints the selected forms of `wb` as a PDF. `eval` must be `engine::evaluate(wb, profile)`
/// (or `evaluate_with`); every computed cell is taken from it.
pub fn export_pdf(wb: &Workbook, profile: &Profile, eval: &Evaluation, opts: &ExportOptions) -> Result<Vec<u8>, ExportError> {
    let doc = document(wb, profile, eval, opts)?;
    let font = font()?;
    Ok(layout::render(&doc, font))
}

/// The pages [`export_pdf`] prints, with the document's title and author: what the print path
/// sends to a printer (all of them, or a page range of them; see `crate::print`).
#[derive(Debug, Clone, PartialEq)]
pub struct Printout {
    pub title: String,
    pub author: String,
    pub pages: Vec<Page>,
}

impl Printout {
    /// The pages [`export_pdf`] would write for these options (same refusals: a final copy while
    /// errors remain, forms or projects that do not exist, nothing selected).
    pub fn of(wb: &Workbook, profile: &Profile, eval: &Evaluation, opts: &ExportOptions) -> Result<Printout, ExportError> {
        let doc = document(wb, profile, eval, opts)?;
        let pages = layout::lay_out(&doc, font()?);
        Ok(Printout { title: doc.title, author: doc.author, pages })
    }

    /// These pages as a PDF: byte for byte the export when no page was left out.
    pub fn pdf(&self) -> Result<Vec<u8>, ExportError> {
        Ok(layout::render_pages(&self.title, &self.author, self.pages.clone(), font()?))
    }

    /// Only the pages numbered (from 1) in `numbers`, in that order. Each page keeps its printed
    /// number (第 N 页 共 M 页), as printing pages 2–3 of a paper document does.
    pub fn only(&self, numbers: &[usize]) -> Printout {
        let pages = numbers.iter().filter_map(|&n| n.checked_sub(1).and_then(|i| self.pages.get(i)).cloned()).collect();
        Printout { title: self.title.clone(), author: self.author.clone(), pages }
    }
}

/// The pages [`export_pdf`] would print, laid out but not written: the page model the in-app print
/// preview draws (the same layout engine, so the same pages, text and rules).
pub fn pages(wb: &Workbook, profile: &Profile, eval: &Evaluation, opts: &ExportOptions) -> Result<Vec<Page>, ExportError> {
    let doc = document(wb, profile, eval, opts)?;
    Ok(layout::lay_out(&doc, font()?))
}

/// The selected forms as an XLSX workbook, one sheet a form, with the PDF's merged cells and
/// numbers as numbers (money and scores "0.00", rates "0.00%"). Same options and refusals as
/// [`export_pdf`]; a draft's sheets are headed "草稿".
pub fn export_xlsx(wb: &Workbook, profile: &Profile, eval: &Evaluation, opts: &ExportOptions) -> Result<Vec<u8>, ExportError> {
    export_xlsx_noting(wb, profile, eval, opts).map(|(bytes, _)| bytes)
}

/// [`export_xlsx`], with notes for the user: texts longer than a cell holds (32,767 characters)
/// are cut with a visible marker, and each cut is noted here.
pub fn export_xlsx_noting(
    wb: &Workbook,
    profile: &Profile,
    eval: &Evaluation,
    opts: &ExportOptions,
) -> Result<(Vec<u8>, Vec<String>), ExportError> {
    let doc = document(wb, profile, eval, opts)?;
    xlsx::render(&doc).map_err(ExportError::Xlsx)
}

/// The selected forms as a Word document (.docx): one section a form, its tables real Word tables
/// with the PDF's merged cells, borders and column proportions, header rows repeated on every
/// page, page numbers, the "草稿" watermark while errors remain; the 附件4 report set as an
/// official document. Same options and refusals as [`export_pdf`].
pub fn export_docx(wb: &Workbook, profile: &Profile, eval: &Evaluation, opts: &ExportOptions) -> Result<Vec<u8>, ExportError> {
    let doc = document(wb, profile, eval, opts)?;
    docx::render(&doc).map_err(ExportError::Docx)
}

/// The file formats of an export; the output file's extension chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Xlsx,
    Docx,
}

impl Format {
    /// The format an output file's name asks for (`.pdf`, `.xlsx`, `.docx`, any case). Anything else is an
    /// error, in Chinese, naming the file: a draft or a text file is never written as a PDF.
    pub fn of(path: &std::path::Path) -> Result<Format, String> {
        match path.extension().map(|e| e.to_string_lossy().to_lowercase()).as_deref() {
            Some("pdf") => Ok(Format::Pdf),
            Some("xlsx") => Ok(Format::Xlsx),
            Some("docx") => Ok(Format::Docx),
            Some(other) => Err(format!("不支持导出为“.{other}”文件（{}）：输出文件名应以 .pdf、.xlsx 或 .docx 结尾", path.display())),
            None => Err(format!("输出文件 {} 没有扩展名：应以 .pdf、.xlsx 或 .docx 结尾", path.display())),
        }
    }
}

/// The export in `format`, with notes for the user (see [`export_xlsx_noting`]).
pub fn export(
    format: Format,
    wb: &Workbook,
    profile: &Profile,
    eval: &Evaluation,
    opts: &ExportOptions,
) -> Result<(Vec<u8>, Vec<String>), ExportError> {
    match format {
        Format::Pdf => export_pdf(wb, profile, eval, opts).map(|b| (b, Vec::new())),
        Format::Xlsx => export_xlsx_noting(wb, profile, eval, opts),
        Format::Docx => export_docx(wb, profile, eval, opts).map(|b| (b, Vec::new())),
    }
}

/// The forms selected by `opts`, as table data.
fn document(wb: &Workbook, profile: &Profile, eval: &Evaluation, opts: &ExportOptions) -> Result<layout::Document, ExportError> {
    let errors: Vec<Finding> = eval.findings.iter().filter(|f| f.severity == Severity::Error).cloned().collect();
    if opts.final_copy && !errors.is_empty() {
        return Err(ExportError::FinalRefused(errors));
    }
    if let Some(&n) = opts.forms.iter().find(|n| !(1..=4).contains(*n)) {
        return Err(ExportError::NoSuchForm(n));
    }
    let count = wb.projects.len();
    let projects: Vec<usize> = match &opts.projects {
        None => (0..count).collect(),
        Some(list) => {
            if let Some(&index) = list.iter().find(|&&i| i >= count) {
                return Err(ExportError::NoSuchProject { index, count });
            }
            list.clone()
        }
    };
    // The forms asked for, among those the filing comprises.
    let wanted = |n: u8| (opts.forms.is_empty() || opts.forms.contains(&n)) && wb.scope.forms().contains(&n);

    let mut sections = Vec::new();
    if wanted(1) {
        sections.push(forms::basic(wb, profile, eval));
    }
    if wanted(2) {
        sections.push(forms::department(wb, profile, eval));
    }
    if wanted(3) {
        sections.extend(projects.iter().map(|&i| forms::project(wb, profile, eval, i)));
    }
    let report = if wanted(4) { forms::narrative(wb, eval) } else { None };
    if sections.is_empty() && report.is_none() {
        return Err(ExportError::Nothing);
    }
    if !sections.is_empty() {
        sections.extend(forms::explanations(wb));
    }
    sections.extend(report);
    Ok(layout::Document {
        title: format!("{} {}年度绩效自评表", wb.unit.trim(), wb.year),
        author: wb.unit.trim().to_string(),
        sections,
        watermark: (!errors.is_empty()).then(|| "草稿".to_string()),
    })
}

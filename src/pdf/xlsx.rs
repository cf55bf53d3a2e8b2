//! The forms' table data written as an XLSX workbook: one sheet a form, cells placed like the
//! PDF's (HTML-style row and column spans become merged ranges), numbers written as numbers.
//!
//! A spreadsheet stores numbers as IEEE doubles by its file format; the conversion happens here,
//! at the very edge, from the 2-decimal text the forms print (never from a computation). A labelled
//! amount ("按支出性质分：1005.67") is a number too, the label kept in its number format.
//!
//! Printing from Excel, LibreOffice Calc or WPS: every sheet is A4 (landscape when the PDF's page
//! is), fitted to one page wide, with the table's header rows repeated on every page and the PDF's
//! margins; rows are as tall as their wrapped text needs (spreadsheets do not grow merged cells).
//! Any project name makes a valid, unique sheet name; a text over the cell limit (32,767
//! characters) is cut with a visible marker and a note, never a refusal.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook as Book, Worksheet, XlsxError};

/// Excel's limit on a cell's text, in characters.
const CELL_CHARS: usize = 32_767;
/// What a cut text ends with.
const CUT_MARKER: &str = "……【内容过长，电子表格单元格最多容纳32767字，以下已截去，全文见PDF】";
/// Height of one line of wrapped text, points (11 pt type; CJK fallback fonts set it a little
/// taller than Latin ones).
const LINE_PT: f64 = 16.0;
/// Excel's limit on a sheet name, in characters.
const SHEET_NAME_CHARS: usize = 31;

use super::layout::{Align, Cell, Document, Spot, Table};

/// Column width in characters for one unit of a table's relative widths.
const CHARS_PER_UNIT: f64 = 1.1;

/// A cell's value as the spreadsheet should hold it.
#[derive(Debug, PartialEq)]
enum Value<'a> {
    Text(&'a str),
    /// (number, format): "0.00" or "0" for amounts and scores, "0.00%" for rates, `"label："0.00`
    /// for a labelled amount.
    Number(f64, String),
}

/// "1005.67" → 1005.67 as "0.00"; "172.86%" → 1.7286 as "0.00%"; anything else is text.
fn value(text: &str) -> Value<'_> {
    let t = text.trim();
    let numeric = |s: &str| {
        let body = s.strip_prefix('-').unwrap_or(s);
        !body.is_empty() && body.chars().all(|c| c.is_ascii_digit() || c == '.') && body.matches('.').count() <= 1 && !body.starts_with('.')
    };
    if let Some(body) = t.strip_suffix('%') {
        // Divide exactly, then take the nearest double: 172.86% → 1.7286, not 1.7286000000000001.
        let ratio = body.parse::<rust_decimal::Decimal>().ok().map(|d| d / rust_decimal::Decimal::ONE_HUNDRED);
        if let (true, Some(Ok(n))) = (numeric(body), ratio.map(|r| r.to_string().parse::<f64>())) {
            return Value::Number(n, "0.00%".into());
        }
    }
    if numeric(t) {
        if let Ok(n) = t.parse::<f64>() {
            return Value::Number(n, if t.contains('.') { "0.00" } else { "0" }.into());
        }
    }
    // "按支出性质分：1005.67": an amount (two decimals, so never a phone number) after a label.
    if let Some((label, amount)) = t.split_once('：') {
        let two_dp = amount.split_once('.').is_some_and(|(_, d)| d.len() == 2);
        if numeric(amount) && two_dp && !label.is_empty() && !label.contains(['"', '\\']) {
            if let Ok(n) = amount.parse::<f64>() {
                return Value::Number(n, format!("\"{label}：\"0.00"));
            }
        }
    }
    Value::Text(text)
}

/// A sheet name from a section's running head: "附件2", "附件3-残疾人就业保障金": at most 31
/// characters, without the characters Excel forbids (`[]:*?/\`) or an apostrophe at either end,
/// never "History", and unique within the book ignoring case (a suffix "(2)" … when needed).
fn sheet_name(head: &str, used: &mut Vec<String>) -> String {
    let label = head.split_whitespace().next().unwrap_or("表");
    let base = match head.rsplit_once('：') {
        Some((_, project)) => format!("{label}-{project}"),
        None => label.to_string(),
    };
    let clean: String = base.chars().map(|c| if "[]:*?/\\".contains(c) || c.is_control() { '_' } else { c }).collect();
    let trim = |s: &str| s.trim_matches(|c: char| c == '\'' || c.is_whitespace()).to_string();
    let mut clean = trim(&clean);
    if clean.is_empty() || clean.eq_ignore_ascii_case("History") {
        clean = format!("表{}", used.len() + 1);
    }
    let fit = |s: &str, room: usize| trim(&s.chars().take(room).collect::<String>());
    let taken = |name: &str, used: &[String]| used.iter().any(|u| u.to_lowercase() == name.to_lowercase());
    let mut name = fit(&clean, SHEET_NAME_CHARS);
    let mut n = 2;
    while taken(&name, used) {
        let suffix = format!("({n})");
        name = format!("{}{suffix}", fit(&clean, SHEET_NAME_CHARS - suffix.chars().count()));
        n += 1;
    }
    used.push(name.clone());
    name
}

/// A cell's text as it can be stored: cut with [`CUT_MARKER`] beyond the cell limit (the note
/// says where).
fn storable<'a>(text: &'a str, sheet: &str, notes: &mut Vec<String>) -> std::borrow::Cow<'a, str> {
    let count = text.chars().count();
    if count <= CELL_CHARS {
        return text.into();
    }
    let keep = CELL_CHARS - CUT_MARKER.chars().count();
    let head: String = text.chars().take(keep).collect();
    notes.push(format!("工作表“{sheet}”中有一段文字长{count}字，超过电子表格单元格的上限{CELL_CHARS}字，已截断并标明（PDF中为全文）"));
    format!("{head}{CUT_MARKER}").into()
}

/// The width of `text` in column-width units (the width of "0"): CJK and full-width characters
/// count a little over two (generously: a row too tall wastes paper, one too short hides text).
fn text_width(text: &str) -> f64 {
    text.chars().map(|c| if (c as u32) >= 0x2E80 { 2.3 } else { 1.1 }).sum()
}

/// Lines `text` takes wrapped in a cell `width` units wide, with a spare line for a long text
/// (line breaks fall at word and punctuation boundaries, not exactly at the edge).
fn lines(text: &str, width: f64) -> f64 {
    let room = (width - 1.0).max(1.0);
    let n: f64 = text.split('\n').map(|line| (text_width(line) / room).ceil().max(1.0)).sum();
    if n > 2.0 {
        n + 1.0
    } else {
        n
    }
}

/// The workbook's bytes and notes for the user (texts cut at the cell limit).
pub(super) fn render(doc: &Document) -> Result<(Vec<u8>, Vec<String>), String> {
    let mut notes = Vec::new();
    let bytes = write(doc, &mut notes).map_err(|e| e.to_string())?;
    Ok((bytes, notes))
}

/// Margins in inches, as the PDF's (left/right 15 mm, top/bottom 15 mm; header/footer 8 mm).
const MARGINS: (f64, f64, f64, f64, f64, f64) = (0.59, 0.59, 0.59, 0.59, 0.31, 0.31);

fn write(doc: &Document, notes: &mut Vec<String>) -> Result<Vec<u8>, XlsxError> {
    let mut book = Book::new();
    let created = rust_xlsxwriter::ExcelDateTime::from_timestamp(super::layout::creation_time())?;
    book.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&created));
    let mut used = Vec::new();
    for section in &doc.sections {
        let sheet = book.add_worksheet();
        let name = sheet_name(&section.running_head, &mut used);
        sheet.set_name(&name)?;
        sheet.set_paper_size(9);
        if section.landscape {
            sheet.set_landscape();
        }
        sheet.set_print_fit_to_pages(1, 0);
        sheet.set_print_center_horizontally(true);
        let (l, r, t, b, h, f) = MARGINS;
        sheet.set_margins(l, r, t, b, h, f);
        let mut row = 0u32;
        if let Some(mark) = &doc.watermark {
            sheet.write_string_with_format(row, 0, format!("【{mark}】表中尚有错误，数据未定稿"), &Format::new().set_bold())?;
            row += 2;
        }
        let widest = section.blocks.iter().map(|t| t.widths.len()).max().unwrap_or(1);
        let mut columns = Vec::new();
        if let Some(t) = section.blocks.iter().find(|t| t.widths.len() == widest) {
            for (c, w) in t.widths.iter().enumerate() {
                let width = f64::from(*w) * CHARS_PER_UNIT;
                sheet.set_column_width(c as u16, width)?;
                columns.push(width);
            }
        }
        // Print titles: the header rows of the longest table with a header.
        let mut titles: Option<(u32, u32, usize)> = None;
        for table in &section.blocks {
            if table.header_rows > 0 && titles.is_none_or(|(_, _, len)| table.rows.len() > len) {
                titles = Some((row, row + table.header_rows as u32 - 1, table.rows.len()));
            }
            row = table_at(sheet, table, row, &Sheet { name: &name, columns: &columns }, notes)?;
            row += u32::from(table.space_after > 0.0);
        }
        if let Some((first, last, _)) = titles {
            sheet.set_repeat_rows(first, last)?;
        }
    }
    book.save_to_buffer()
}

/// What a table needs to know of its sheet.
struct Sheet<'a> {
    name: &'a str,
    /// Column widths (column-width units).
    columns: &'a [f64],
}

impl Sheet<'_> {
    fn width(&self, col: usize, cols: usize) -> f64 {
        (col..col + cols).map(|c| self.columns.get(c).copied().unwrap_or(8.43)).sum()
    }
}

/// Writes `table` from `top`; returns the first row below it.
fn table_at(sheet: &mut Worksheet, table: &Table, top: u32, at: &Sheet, notes: &mut Vec<String>) -> Result<u32, XlsxError> {
    // Lines each row must show (a cell spanning rows shares its lines among them).
    let mut height: Vec<f64> = vec![1.0; table.rows.len()];
    for Spot { cell, row: r, col: c, rows: rs, cols: cs } in table.placed() {
        let text = storable(&cell.text, at.name, notes);
        let need = lines(&text, at.width(c, cs)) / rs as f64;
        for h in height.iter_mut().skip(r).take(rs) {
            *h = h.max(need);
        }
        put(sheet, cell, &text, table.ruled, top + r as u32, c as u16, rs as u32, cs as u16)?;
    }
    for (r, lines) in height.iter().enumerate() {
        if *lines > 1.0 {
            // Excel's row height limit is 409 pt.
            sheet.set_row_height(top + r as u32, (lines.ceil() * LINE_PT + 2.0).min(409.0))?;
        }
    }
    Ok(top + table.rows.len() as u32)
}

#[allow(clippy::too_many_arguments)]
fn put(sheet: &mut Worksheet, cell: &Cell, text: &str, ruled: bool, row: u32, col: u16, rows: u32, cols: u16) -> Result<(), XlsxError> {
    let mut format = Format::new().set_text_wrap().set_align(FormatAlign::VerticalCenter);
    format = match cell.align {
        Align::Left => format.set_align(FormatAlign::Left),
        Align::Center => format.set_align(FormatAlign::Center),
    };
    if ruled {
        format = format.set_border(FormatBorder::Thin);
    }
    let value = value(text);
    if let Value::Number(_, num_format) = &value {
        format = format.set_num_format(num_format);
    }
    if rows > 1 || cols > 1 {
        sheet.merge_range(row, col, row + rows - 1, col + cols - 1, "", &format)?;
    }
    match value {
        Value::Number(n, _) => sheet.write_number_with_format(row, col, n, &format)?,
        Value::Text("") => sheet.write_blank(row, col, &format)?,
        Value::Text(t) => sheet.write_string_with_format(row, col, t, &format)?,
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_from_printed_text() {
        assert_eq!(value("1005.67"), Value::Number(1005.67, "0.00".into()));
        assert_eq!(value("172.86%"), Value::Number(1.7286, "0.00%".into()));
        assert_eq!(value("10"), Value::Number(10.0, "0".into()));
        assert_eq!(value("按支出性质分：1005.67"), Value::Number(1005.67, "\"按支出性质分：\"0.00".into()));
        assert_eq!(value("联系电话：13800000000"), Value::Text("联系电话：13800000000"));
        assert_eq!(value("150户"), Value::Text("150户"));
        assert_eq!(value("≥95%"), Value::Text("≥95%"));
        assert_eq!(value("—"), Value::Text("—"));
        assert_eq!(value(""), Value::Text(""));
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut used = Vec::new();
        assert_eq!(sheet_name("附件1 2023年度部门整体支出绩效评价基础数据表（续）", &mut used), "附件1");
        assert_eq!(sheet_name("附件3 2023年度项目支出绩效自评表（续）：残疾人/就业", &mut used), "附件3-残疾人_就业");
        assert_eq!(sheet_name("附件3 2023年度项目支出绩效自评表（续）：残疾人/就业", &mut used), "附件3-残疾人_就业(2)");
    }

    #[test]
    fn any_project_name_makes_a_valid_sheet_name() {
        let mut used = Vec::new();
        let head = |p: &str| format!("附件3 项目支出绩效自评表：{p}");
        assert_eq!(sheet_name(&head("'开头引号'"), &mut used), "附件3-'开头引号");
        assert_eq!(sheet_name("'开头引号'", &mut used), "开头引号");
        assert_eq!(sheet_name(&head("abc"), &mut used), "附件3-abc");
        assert_eq!(sheet_name(&head("ABC"), &mut used), "附件3-ABC(2)");
        let long = sheet_name(&head(&"很长的项目名称".repeat(10)), &mut used);
        assert_eq!(long.chars().count(), 31);
        let again = sheet_name(&head(&"很长的项目名称".repeat(10)), &mut used);
        assert!(again.ends_with("(2)") && again.chars().count() == 31, "{again}");
        assert_eq!(sheet_name(&"'".repeat(3), &mut used), "表7");
    }

    #[test]
    fn over_long_text_is_cut_with_a_marker_and_a_note() {
        let mut notes = Vec::new();
        let text = "目".repeat(40_000);
        let cut = storable(&text, "附件2", &mut notes);
        assert_eq!(cut.chars().count(), CELL_CHARS);
        assert!(cut.ends_with(CUT_MARKER));
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("40000"), "{}", notes[0]);
    }
}

//! The forms' table data written as an XLSX workbook: one sheet a form, cells placed like the
//! PDF's (HTML-style row and column spans become merged ranges), numbers written as numbers.
//!
//! A spreadsheet stores numbers as IEEE doubles by its file format; the conversion happens here,
//! at the very edge, from the 2-decimal text the forms print (never from a computation).

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook as Book, Worksheet, XlsxError};

use super::layout::{Align, Cell, Document, Table};

/// Column width in characters for one unit of a table's relative widths.
const CHARS_PER_UNIT: f64 = 1.1;

/// A cell's value as the spreadsheet should hold it.
#[derive(Debug, PartialEq)]
enum Value<'a> {
    Text(&'a str),
    /// (number, format): "0.00" or "0" for amounts and scores, "0.00%" for rates.
    Number(f64, &'static str),
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
            return Value::Number(n, "0.00%");
        }
    }
    if numeric(t) {
        if let Ok(n) = t.parse::<f64>() {
            return Value::Number(n, if t.contains('.') { "0.00" } else { "0" });
        }
    }
    Value::Text(text)
}

/// A sheet name from a section's running head: "附件2", "附件3-残疾人就业保障金" (≤ 31 chars,
/// without the characters Excel forbids, unique within the book).
fn sheet_name(head: &str, used: &mut Vec<String>) -> String {
    let label = head.split_whitespace().next().unwrap_or("表");
    let base = match head.rsplit_once('：') {
        Some((_, project)) => format!("{label}-{project}"),
        None => label.to_string(),
    };
    let clean: String = base.chars().map(|c| if "[]:*?/\\".contains(c) { '_' } else { c }).take(28).collect();
    let mut name = clean.clone();
    let mut n = 2;
    while used.iter().any(|u| u == &name) {
        name = format!("{clean}{n}");
        n += 1;
    }
    used.push(name.clone());
    name
}

pub(super) fn render(doc: &Document) -> Result<Vec<u8>, String> {
    write(doc).map_err(|e| e.to_string())
}

fn write(doc: &Document) -> Result<Vec<u8>, XlsxError> {
    let mut book = Book::new();
    let mut used = Vec::new();
    for section in &doc.sections {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(&section.running_head, &mut used))?;
        let mut row = 0u32;
        if let Some(mark) = &doc.watermark {
            sheet.write_string_with_format(row, 0, format!("【{mark}】表中尚有错误，数据未定稿"), &Format::new().set_bold())?;
            row += 2;
        }
        let widest = section.blocks.iter().map(|t| t.widths.len()).max().unwrap_or(1);
        if let Some(t) = section.blocks.iter().find(|t| t.widths.len() == widest) {
            for (c, w) in t.widths.iter().enumerate() {
                sheet.set_column_width(c as u16, f64::from(*w) * CHARS_PER_UNIT)?;
            }
        }
        for table in &section.blocks {
            row = table_at(sheet, table, row)?;
            row += u32::from(table.space_after > 0.0);
        }
    }
    book.save_to_buffer()
}

/// Writes `table` from `top`; returns the first row below it.
fn table_at(sheet: &mut Worksheet, table: &Table, top: u32) -> Result<u32, XlsxError> {
    let cols = table.widths.len().max(1);
    // taken[r][c]: a cell spanning from above or the left already covers it.
    let mut taken: Vec<Vec<bool>> = vec![vec![false; cols]; table.rows.len()];
    for (r, row) in table.rows.iter().enumerate() {
        let mut c = 0;
        for cell in &row.cells {
            while c < cols && taken[r][c] {
                c += 1;
            }
            if c >= cols {
                break;
            }
            let (rs, cs) = (cell.rowspan.min(table.rows.len() - r), cell.colspan.min(cols - c));
            for line in taken.iter_mut().skip(r).take(rs) {
                for slot in line.iter_mut().skip(c).take(cs) {
                    *slot = true;
                }
            }
            put(sheet, cell, table.ruled, top + r as u32, c as u16, rs as u32, cs as u16)?;
            c += cs;
        }
    }
    Ok(top + table.rows.len() as u32)
}

fn put(sheet: &mut Worksheet, cell: &Cell, ruled: bool, row: u32, col: u16, rows: u32, cols: u16) -> Result<(), XlsxError> {
    let mut format = Format::new().set_text_wrap().set_align(FormatAlign::VerticalCenter);
    format = match cell.align {
        Align::Left => format.set_align(FormatAlign::Left),
        Align::Center => format.set_align(FormatAlign::Center),
    };
    if ruled {
        format = format.set_border(FormatBorder::Thin);
    }
    let value = value(&cell.text);
    if let Value::Number(_, num_format) = value {
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
        assert_eq!(value("1005.67"), Value::Number(1005.67, "0.00"));
        assert_eq!(value("172.86%"), Value::Number(1.7286, "0.00%"));
        assert_eq!(value("10"), Value::Number(10.0, "0"));
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
        assert_eq!(sheet_name("附件3 2023年度项目支出绩效自评表（续）：残疾人/就业", &mut used), "附件3-残疾人_就业2");
    }
}

//! The forms' table data written as a Word document (.docx) with `docx-rs`: each form a section
//! of real Word tables (the PDF's rows, merged cells, borders and column proportions), and the
//! 附件4 report as an official document (GB/T 9704 habits).
//!
//! - Forms: A4 (landscape where the PDF's page is), the PDF's margins, header rows repeated on
//!   continuation pages (`w:tblHeader`), `第X页 共Y页` in the footer, the signature block with
//!   （单位盖章）, and while errors remain the "草稿" watermark as Word makes one (a VML text shape
//!   in the page header, behind the text).
//! - Report: title centred in 黑体 二号, body 仿宋_GB2312 三号 with a first-line indent of two
//!   characters, headings 一、 in 黑体 and （一） in 楷体_GB2312, 28 characters × 22 lines a page
//!   (a 448 pt type area, lines of exactly 28.95 pt), page numbers "— N —" at the bottom outside (odd pages right, even left),
//!   continuing the forms' numbering as the PDF's does.
//! - Fonts: the East Asian font of every run is named (`w:eastAsia`); the font table gives
//!   仿宋_GB2312 and 楷体_GB2312 the alternative names 仿宋 and 楷体 and the GB2312 character
//!   set, so Word or WPS on a machine without the _GB2312 fonts substitutes the Chinese faces
//!   every Chinese Windows has.
//!
//! docx-rs has no element for a repeated header row, a watermark shape or a font's alternative
//! name; those few bits are put into its XML parts between `build()` and `pack()` (see
//! [`finish`]). The archive itself is docx-rs's. Output is deterministic: fixed part timestamps,
//! the creation time from [`super::layout::creation_time`] (`SOURCE_DATE_EPOCH`), paragraph ids
//! renumbered from 1.

use docx_rs::{
    BuildXML, SectionProperty,
    AlignmentType, BorderType, Docx, Footer, Header, HeightRule, LineSpacing, LineSpacingType,
    NumPages, PageMargin, PageNum, PageOrientationType, Paragraph, Run, RunFonts, 
    SpecialIndentType, Table as WordTable, TableBorder, TableBorderPosition, TableBorders, TableCell,
    TableCellBorder, TableCellBorderPosition, TableCellBorders, TableCellMargins, TableLayoutType, TableRow,
    VAlignType, VMergeType, WidthType,
};

use super::layout::{Align, Cell, Document, Section, Spot, Table, VAlign};

/// A4 in twips (1/20 pt).
const A4: (u32, u32) = (11_906, 16_838);
/// The forms' page margins (mm), as the PDF's; header and footer distances.
const FORM_MARGIN: (f32, f32, f32) = (15.0, 15.0, 17.0);
const FORM_HEADER_FOOTER: f32 = 8.0;
/// Grid line width, eighths of a point (the PDF's 0.6 pt).
const RULE: usize = 5;
/// Inner cell padding (mm), as the PDF's.
const PAD: (f32, f32) = (1.0, 1.2);
/// Line height as a multiple of the font size, as the PDF's.
const LINE_HEIGHT: f32 = 1.35;

/// 三号 and 二号 (pt), the official document's body and title sizes; 四号 for its page numbers.
const SANHAO: f32 = 16.0;
const ERHAO: f32 = 22.0;
const SIHAO: f32 = 14.0;
/// The report's type area: 28 characters of 三号 wide, 22 lines of 28.95 pt (GB/T 9704's
/// 156 × 225 mm, here 158 mm so that 28 full-width characters fit without condensing).
const REPORT_TEXT_WIDTH: u32 = 28 * 16 * 20;
const REPORT_LINE: u32 = 579;
/// GB/T 9704 margins: top 37 mm; the rest from the type area.
const REPORT_TOP_MM: f32 = 37.0;

/// Fonts (East Asian name, Latin name).
const SONG: (&str, &str) = ("宋体", "Times New Roman");
const HEI: (&str, &str) = ("黑体", "Arial");
const FANGSONG: (&str, &str) = ("仿宋_GB2312", "Times New Roman");
const KAI: (&str, &str) = ("楷体_GB2312", "Times New Roman");

/// Text of a placeholder run in a header, replaced by the watermark shape in [`finish`].
const WATERMARK_SLOT: &str = "\u{E000}zipin-watermark\u{E000}";
/// docx-rs writes no `w:tblHeader`: a header row is marked by a row height of a whole number of
/// twips plus a half (0.5 when the row has no minimum height), which [`finish`] turns into
/// `w:tblHeader` (and the whole height).
const HEADER_ROW_MARK: f32 = 0.5;

fn twips(mm: f32) -> i32 {
    (mm * 1440.0 / 25.4).round() as i32
}

fn half_points(pt: f32) -> usize {
    (pt * 2.0).round().max(2.0) as usize
}

fn fonts((east_asia, latin): (&str, &str)) -> RunFonts {
    RunFonts::new().east_asia(east_asia).ascii(latin).hi_ansi(latin).cs(latin)
}

fn run(text: &str, size: f32, font: (&str, &str)) -> Run {
    Run::new().add_text(xml_text(text)).size(half_points(size)).fonts(fonts(font))
}

/// `text` without the characters XML 1.0 cannot hold (control characters other than tab,
/// U+FFFE, U+FFFF), which would make the document unreadable; docx-rs escapes the rest.
fn xml_text(text: &str) -> String {
    text.chars().filter(|&c| (c >= ' ' || c == '\t') && c != '\u{FFFE}' && c != '\u{FFFF}').collect()
}

/// Exact line spacing, no space before or after.
fn exact(line: u32) -> LineSpacing {
    LineSpacing::new().line_rule(LineSpacingType::Exact).line(line as i32).before(0).after(0)
}

/// Header and footer parts, numbered as docx-rs names their relationships (`rIdHeader1` …
/// → `header1.xml` …). docx-rs's own `Section` keeps only one header or footer per section, so
/// sections are ended by a paragraph carrying their properties and the parts are listed here.
#[derive(Default)]
struct Parts {
    headers: Vec<Header>,
    footers: Vec<Footer>,
}

impl Parts {
    fn header(&mut self, h: Header) -> String {
        self.headers.push(h);
        format!("rIdHeader{}", self.headers.len())
    }
    fn footer(&mut self, f: Footer) -> String {
        self.footers.push(f);
        format!("rIdFooter{}", self.footers.len())
    }
}

/// The document's bytes.
pub(super) fn render(doc: &Document) -> Result<Vec<u8>, String> {
    let report_present = doc.sections.iter().any(|s| s.report);
    let mut docx = Docx::new()
        .default_fonts(fonts(SONG))
        .default_size(half_points(9.0))
        .created_at(&timestamp())
        .updated_at(&timestamp());
    if report_present {
        docx = docx.settings(docx_rs::Settings::new().even_and_odd_headers());
    }
    let mut parts = Parts::default();
    let count = doc.sections.len();
    let mut forms_furnished = false;
    for (i, section) in doc.sections.iter().enumerate() {
        let last = i + 1 == count;
        let body = if section.report { report_body(section) } else { form_body(section) };
        for child in body {
            docx = match child {
                Block::P(p) => docx.add_paragraph(*p),
                Block::T(t) => docx.add_table(*t),
            };
        }
        let (w, h, orient) = page(section);
        let mut size = docx_rs::PageSize::new().size(w, h);
        if let Some(o) = orient {
            size = size.orient(o);
        }
        // The report: 22 lines of 28 characters come from the exact line pitch and the type
        // area's width, with no document grid (LibreOffice then hides a header's watermark
        // shape); its numbering continues from the forms, as the PDF's does (a restart at 1 would
        // also make LibreOffice insert a blank page before an odd-numbered first page).
        let mut props = SectionProperty::new().page_size(size).page_margin(margins(section));
        // Headers and footers on the first form section and on the report (the sections between
        // inherit them, as Word's "link to previous" does).
        if section.report || !forms_furnished {
            forms_furnished |= !section.report;
            let f = Furniture::new(section.report, report_present, doc.watermark.as_deref());
            props = props.header(Header::new(), &parts.header(f.header)).footer(Footer::new(), &parts.footer(f.footer));
            if let (Some(h), Some(fo)) = (f.even_header, f.even_footer) {
                props = props.even_header(Header::new(), &parts.header(h)).even_footer(Footer::new(), &parts.footer(fo));
            }
        }
        if last {
            docx.document.section_property = props;
        } else {
            docx = docx.add_paragraph(Paragraph::new().line_spacing(exact(20)).size(2).section_property(props));
        }
    }
    docx.document_rels.header_count = parts.headers.len();
    docx.document_rels.footer_count = parts.footers.len();
    for _ in &parts.headers {
        docx.content_type = docx.content_type.add_header();
    }
    for _ in &parts.footers {
        docx.content_type = docx.content_type.add_footer();
    }
    let mut xml = docx.build();
    xml.headers = parts.headers.iter().map(BuildXML::build).collect();
    xml.footers = parts.footers.iter().map(BuildXML::build).collect();
    xml.header_rels.clear();
    xml.footer_rels.clear();
    finish(&mut xml);
    let mut out = std::io::Cursor::new(Vec::new());
    xml.pack(&mut out).map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

/// Only whole seconds, UTC: `2024-03-01T08:00:00Z`.
fn timestamp() -> String {
    chrono::DateTime::from_timestamp(super::layout::creation_time(), 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Page size (twips) and orientation of a section.
fn page(section: &Section) -> (u32, u32, Option<PageOrientationType>) {
    if section.landscape {
        (A4.1, A4.0, Some(PageOrientationType::Landscape))
    } else {
        (A4.0, A4.1, None)
    }
}

fn margins(section: &Section) -> PageMargin {
    if section.report {
        let side = (A4.0 - REPORT_TEXT_WIDTH) as i32;
        let left = side / 2 + twips(1.0);
        let top = twips(REPORT_TOP_MM);
        // 22 lines below the top margin.
        let bottom = A4.1 as i32 - top - (22 * REPORT_LINE) as i32 - 20;
        PageMargin::new().top(top).bottom(bottom).left(left).right(side - left).header(twips(15.0)).footer(twips(18.0)).gutter(0)
    } else {
        let (x, top, bottom) = FORM_MARGIN;
        PageMargin::new()
            .top(twips(top))
            .bottom(twips(bottom))
            .left(twips(x))
            .right(twips(x))
            .header(twips(FORM_HEADER_FOOTER))
            .footer(twips(FORM_HEADER_FOOTER))
            .gutter(0)
    }
}

/// Text width of a section's pages (twips).
fn text_width(section: &Section) -> u32 {
    if section.report {
        return REPORT_TEXT_WIDTH;
    }
    let page = if section.landscape { A4.1 } else { A4.0 };
    page - 2 * twips(FORM_MARGIN.0) as u32
}

/// Headers and footers of a section.
struct Furniture {
    header: Header,
    footer: Footer,
    even_header: Option<Header>,
    even_footer: Option<Footer>,
}

impl Furniture {
    fn new(report: bool, odd_even: bool, watermark: Option<&str>) -> Furniture {
        let header = || match watermark {
            Some(_) => Header::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text(WATERMARK_SLOT))),
            None => Header::new(),
        };
        if report {
            // "— N —", 四号 宋体, one character in from the outside edge.
            let number = |odd: bool| {
                let indent = twips(SIHAO * 25.4 / 72.0);
                let (left, right) = if odd { (None, Some(indent)) } else { (Some(indent), None) };
                Paragraph::new()
                    .align(if odd { AlignmentType::Right } else { AlignmentType::Left })
                    .indent(left, None, right, None)
                    .add_run(run("— ", SIHAO, SONG))
                    .add_page_num(PageNum::new())
                    .add_run(run(" —", SIHAO, SONG))
                    .size(half_points(SIHAO))
                    .fonts(fonts(SONG))
            };
            Furniture {
                header: header(),
                footer: Footer::new().add_paragraph(number(true)),
                even_header: Some(header()),
                even_footer: Some(Footer::new().add_paragraph(number(false))),
            }
        } else {
            let number = || {
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_run(run("第 ", 9.0, SONG))
                    .add_page_num(PageNum::new())
                    .add_run(run(" 页 共 ", 9.0, SONG))
                    .add_num_pages(NumPages::new())
                    .add_run(run(" 页", 9.0, SONG))
                    .size(half_points(9.0))
                    .fonts(fonts(SONG))
            };
            Furniture {
                header: header(),
                footer: Footer::new().add_paragraph(number()),
                even_header: odd_even.then(header),
                even_footer: odd_even.then(|| Footer::new().add_paragraph(number())),
            }
        }
    }
}

enum Block {
    P(Box<Paragraph>),
    T(Box<WordTable>),
}

/// A form: one-column borderless blocks (titles, notes) as paragraphs, the rest as tables, with a
/// thin paragraph between two tables (Word joins adjacent tables into one).
fn form_body(section: &Section) -> Vec<Block> {
    let width = text_width(section);
    let mut out = Vec::new();
    let mut after_table = false;
    for (k, table) in section.blocks.iter().enumerate() {
        let keep_next = section.blocks.get(k + 1).is_some_and(|t| t.keep_together);
        if !table.ruled && table.widths.len() <= 1 {
            for row in &table.rows {
                for cell in &row.cells {
                    for line in cell.text.split('\n') {
                        let font = if table.font_size >= 14.0 { HEI } else { SONG };
                        let p = Paragraph::new()
                            .align(align(cell.align))
                            .line_spacing(exact(line_twips(table.font_size)))
                            .keep_next(keep_next || table.keep_together)
                            .add_run(run(line, table.font_size, font));
                        out.push(Block::P(Box::new(p)));
                    }
                }
            }
            if table.space_after > 0.0 {
                out.push(Block::P(Box::new(spacer(table.space_after))));
            }
            after_table = false;
        } else {
            if after_table {
                out.push(Block::P(Box::new(spacer(0.0))));
            }
            out.push(Block::T(Box::new(word_table(table, width))));
            if table.space_after > 0.0 {
                out.push(Block::P(Box::new(spacer(table.space_after))));
                after_table = false;
            } else {
                after_table = true;
            }
        }
    }
    out
}

/// An empty paragraph `mm` tall (at least 1 pt: the gap that keeps two tables apart).
fn spacer(mm: f32) -> Paragraph {
    let line = (twips(mm).max(20)) as u32;
    Paragraph::new().line_spacing(exact(line)).size(2).add_run(Run::new().size(2))
}

fn line_twips(size: f32) -> u32 {
    (size * LINE_HEIGHT * 20.0).round() as u32
}

fn align(a: Align) -> AlignmentType {
    match a {
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
    }
}

/// Column widths in twips: the table's relative widths scaled to `width`, the last taking the
/// rounding.
fn grid(table: &Table, width: u32) -> Vec<u32> {
    let total: f32 = table.widths.iter().sum();
    if table.widths.is_empty() || total <= 0.0 {
        return vec![width];
    }
    let mut cols: Vec<u32> = table.widths.iter().map(|w| (w / total * width as f32).floor() as u32).collect();
    let sum: u32 = cols.iter().sum();
    if let Some(last) = cols.last_mut() {
        *last += width.saturating_sub(sum);
    }
    cols
}

fn word_table(table: &Table, width: u32) -> WordTable {
    let cols = grid(table, width);
    let placed = table.placed();
    let mut rows = Vec::with_capacity(table.rows.len());
    for (r, row) in table.rows.iter().enumerate() {
        // This row's cells left to right: those starting here, and the continuations of cells
        // spanning from above; empty cells where nothing stands.
        let mut here: Vec<&Spot> = placed.iter().filter(|p| p.row <= r && r < p.row + p.rows).collect();
        here.sort_by_key(|p| p.col);
        let mut cells = Vec::new();
        let mut c = 0;
        for p in here {
            while c < p.col {
                cells.push(cell(&Cell::empty(), &cols[c..c + 1], table, None));
                c += 1;
            }
            let merge = if p.rows == 1 {
                None
            } else if p.row == r {
                Some(VMergeType::Restart)
            } else {
                Some(VMergeType::Continue)
            };
            let content = if p.row == r { p.cell } else { &EMPTY };
            let mut tc = cell(content, &cols[p.col..p.col + p.cols], table, merge);
            if p.row != r {
                // A continuation keeps the borders of its merged cell.
                tc = cell_borders(tc, p.cell, table);
            }
            cells.push(tc);
            c = p.col + p.cols;
        }
        while c < cols.len() {
            cells.push(cell(&Cell::empty(), &cols[c..c + 1], table, None));
            c += 1;
        }
        let mut tr = TableRow::new(cells);
        let header = r < table.header_rows;
        let mark = if header { HEADER_ROW_MARK } else { 0.0 };
        if row.min_height > 0.0 {
            tr = tr.row_height(twips(row.min_height) as f32 + mark).height_rule(HeightRule::AtLeast);
        } else if header {
            tr = tr.row_height(mark).height_rule(HeightRule::Auto);
        }
        if header || table.keep_together {
            tr = tr.cant_split();
        }
        rows.push(tr);
    }
    let borders = if table.ruled {
        let b = |pos| TableBorder::new(pos).border_type(BorderType::Single).size(RULE).color("000000");
        TableBorders::with_empty()
            .set(b(TableBorderPosition::Top))
            .set(b(TableBorderPosition::Left))
            .set(b(TableBorderPosition::Bottom))
            .set(b(TableBorderPosition::Right))
            .set(b(TableBorderPosition::InsideH))
            .set(b(TableBorderPosition::InsideV))
    } else {
        TableBorders::new().clear_all()
    };
    let (py, px) = PAD;
    WordTable::new(rows)
        .set_grid(cols.iter().map(|&w| w as usize).collect())
        .width(width as usize, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .set_borders(borders)
        .margins(TableCellMargins::new().margin(twips(py) as usize, twips(px) as usize, twips(py) as usize, twips(px) as usize))
}

static EMPTY: Cell = Cell {
    text: String::new(),
    colspan: 1,
    rowspan: 1,
    align: Align::Center,
    valign: VAlign::Middle,
    underline: false,
};

fn cell(content: &Cell, cols: &[u32], table: &Table, merge: Option<VMergeType>) -> TableCell {
    let width: u32 = cols.iter().sum();
    let mut tc = TableCell::new().width(width as usize, WidthType::Dxa).vertical_align(match content.valign {
        VAlign::Top => VAlignType::Top,
        VAlign::Middle => VAlignType::Center,
        VAlign::Bottom => VAlignType::Bottom,
    });
    if cols.len() > 1 {
        tc = tc.grid_span(cols.len());
    }
    if let Some(m) = merge {
        tc = tc.vertical_merge(m);
    }
    for line in content.text.split('\n') {
        let mut p = Paragraph::new().align(align(content.align)).line_spacing(exact(line_twips(table.font_size)));
        if !line.is_empty() {
            p = p.add_run(run(line, table.font_size, SONG));
        } else {
            p = p.size(half_points(table.font_size));
        }
        tc = tc.add_paragraph(p);
    }
    cell_borders(tc, content, table)
}

/// A signature line: only the bottom border of a borderless cell.
fn cell_borders(tc: TableCell, content: &Cell, table: &Table) -> TableCell {
    if content.underline && !table.ruled {
        let line = TableCellBorder::new(TableCellBorderPosition::Bottom).border_type(BorderType::Single).size(RULE).color("000000");
        tc.set_borders(TableCellBorders::new().clear_all().set(line))
    } else {
        tc
    }
}

/// The 附件4 report: "附件4", the title, the unit, then the text, one paragraph a line.
fn report_body(section: &Section) -> Vec<Block> {
    let mut out = Vec::new();
    let line = REPORT_LINE;
    let lines: Vec<(&Table, &str)> = section
        .blocks
        .iter()
        .flat_map(|t| t.rows.iter().flat_map(move |r| r.cells.iter().flat_map(move |c| c.text.split('\n').map(move |l| (t, l)))))
        .collect();
    for (i, (table, text)) in lines.into_iter().enumerate() {
        let p = Paragraph::new().line_spacing(exact(line));
        let p = match i {
            // 附件4: 黑体 三号, flush left.
            0 => p.align(AlignmentType::Left).add_run(run(text, SANHAO, HEI)),
            // The title: 黑体 二号, centred, a blank line under it.
            1 => p
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().line_rule(LineSpacingType::AtLeast).line(line as i32).before(line).after(line))
                .add_run(run(text, ERHAO, HEI)),
            _ if table.font_size < 10.0 && text.starts_with("填报单位") => {
                p.align(AlignmentType::Left).add_run(run(text, SANHAO, FANGSONG))
            }
            _ => {
                let trimmed = text.trim_start_matches(['　', ' ']);
                let font = heading_font(trimmed);
                p.align(AlignmentType::Both)
                    // Two characters of 三号 (docx-rs writes no w:firstLineChars).
                    .indent(None, Some(SpecialIndentType::FirstLine((2.0 * SANHAO * 20.0) as i32)), None, None)
                    .add_run(run(trimmed, SANHAO, font))
            }
        };
        out.push(Block::P(Box::new(p)));
    }
    out
}

/// 一、 headings in 黑体, （一） in 楷体, the rest 仿宋.
fn heading_font(text: &str) -> (&'static str, &'static str) {
    const NUMERALS: &str = "一二三四五六七八九十";
    let numeral_then = |s: &str, end: char| {
        let n = s.chars().take_while(|c| NUMERALS.contains(*c)).count();
        n > 0 && s.chars().nth(n) == Some(end)
    };
    if numeral_then(text, '、') {
        HEI
    } else if text.strip_prefix('（').is_some_and(|rest| numeral_then(rest, '）')) {
        KAI
    } else {
        FANGSONG
    }
}

/// The few things docx-rs does not write, put into its parts: repeated header rows, the
/// watermark shape, the fonts' alternative names; paragraph ids renumbered from 1.
fn finish(xml: &mut docx_rs::XMLDocx) {
    xml.document = header_rows(&xml.document);
    xml.document = renumber_para_ids(&xml.document);
    for (n, header) in xml.headers.iter_mut().enumerate() {
        *header = watermark(header, n + 1);
        *header = renumber_para_ids(header);
    }
    for footer in xml.footers.iter_mut() {
        *footer = renumber_para_ids(footer);
    }
    xml.font_table = font_table(&xml.font_table);
}

/// Rows marked by [`HEADER_ROW_MARK`] get `w:tblHeader`, and their whole minimum height.
fn header_rows(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    let key = "<w:trHeight w:val=\"";
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while let Some(at) = rest.find(key) {
        let start = at + key.len();
        let Some(len) = rest[start..].find('"') else { break };
        let value = &rest[start..start + len];
        let Some(whole) = value.strip_suffix(".5") else {
            out.push_str(&rest[..start + len]);
            rest = &rest[start + len..];
            continue;
        };
        let Some(close) = rest[start..].find("/>") else { break };
        out.push_str(&rest[..at]);
        out.push_str("<w:tblHeader />");
        if whole != "0" {
            out.push_str(&format!("<w:trHeight w:val=\"{whole}\" w:hRule=\"atLeast\" />"));
        }
        rest = &rest[start + close + 2..];
    }
    out.push_str(rest);
    out.into_bytes()
}

/// `w14:paraId="…"` values numbered 1, 2, … in order (docx-rs counts per thread, so two exports
/// in one process would differ).
fn renumber_para_ids(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    let key = "w14:paraId=\"";
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    let mut n = 0u32;
    while let Some(at) = rest.find(key) {
        let start = at + key.len();
        let Some(end) = rest[start..].find('"') else { break };
        n += 1;
        out.push_str(&rest[..start]);
        out.push_str(&format!("{n:08X}"));
        rest = &rest[start + end..];
    }
    out.push_str(rest);
    out.into_bytes()
}

/// The run holding [`WATERMARK_SLOT`] replaced by Word's watermark: a VML text path shape,
/// centred on the page, rotated 45°, light grey, behind the text.
fn watermark(bytes: &[u8], n: usize) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let Some(at) = text.find(WATERMARK_SLOT) else { return bytes.to_vec() };
    let (Some(start), Some(end)) = (text[..at].rfind("<w:r>"), text[at..].find("</w:r>").map(|e| at + e + "</w:r>".len())) else {
        return bytes.to_vec();
    };
    let shape = format!(
        concat!(
            r##"<w:r><w:rPr><w:noProof /></w:rPr><w:pict>"##,
            r##"<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e">"##,
            r##"<v:formulas><v:f eqn="sum #0 0 10800" /><v:f eqn="prod #0 2 1" /><v:f eqn="sum 21600 0 @1" /><v:f eqn="sum 0 0 @2" /><v:f eqn="sum 21600 0 @3" /><v:f eqn="if @0 @3 0" /><v:f eqn="if @0 21600 @1" /><v:f eqn="if @0 0 @2" /><v:f eqn="if @0 @4 21600" /><v:f eqn="mid @5 @6" /><v:f eqn="mid @8 @5" /><v:f eqn="mid @7 @8" /><v:f eqn="mid @6 @7" /><v:f eqn="sum @6 0 @5" /></v:formulas>"##,
            r##"<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0" />"##,
            r##"<v:textpath on="t" fitshape="t" /><v:handles><v:h position="#0,bottomRight" xrange="6629,14971" /></v:handles><o:lock v:ext="edit" text="t" shapetype="t" /></v:shapetype>"##,
            r##"<v:shape id="PowerPlusWaterMarkObject{n}" o:spid="_x0000_s{spid}" type="#_x0000_t136" "##,
            r##"style="position:absolute;margin-left:0;margin-top:0;width:400pt;height:200pt;rotation:315;z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;mso-position-vertical-relative:margin" "##,
            r##"o:allowincell="f" fillcolor="#d9d9d9" stroked="f">"##,
            r##"<v:fill opacity=".5" /><v:textpath style="font-family:&quot;黑体&quot;;font-size:1pt" string="{mark}" />"##,
            r##"<w10:wrap anchorx="margin" anchory="margin" /></v:shape></w:pict></w:r>"##
        ),
        n = n,
        spid = 2048 + n,
        mark = "草稿",
    );
    let mut out = String::with_capacity(text.len() + shape.len());
    out.push_str(&text[..start]);
    out.push_str(&shape);
    out.push_str(&text[end..]);
    out.into_bytes()
}

/// The font table with the document's Chinese fonts: GB2312 character set (86), and for the
/// _GB2312 faces the names every Chinese Windows has as alternatives.
fn font_table(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let Some(at) = text.rfind("</w:fonts>") else { return bytes.to_vec() };
    let entry = |name: &str, alt: Option<&str>, panose: &str, family: &str, pitch: &str| {
        let alt = alt.map(|a| format!(r#"<w:altName w:val="{a}" />"#)).unwrap_or_default();
        format!(
            r#"<w:font w:name="{name}">{alt}<w:panose1 w:val="{panose}" /><w:charset w:val="86" /><w:family w:val="{family}" /><w:pitch w:val="{pitch}" /></w:font>"#
        )
    };
    let mut fonts = String::new();
    fonts.push_str(&entry("宋体", Some("SimSun"), "02010600030101010101", "auto", "variable"));
    fonts.push_str(&entry("黑体", Some("SimHei"), "02010609060101010101", "modern", "fixed"));
    fonts.push_str(&entry("仿宋_GB2312", Some("仿宋"), "02010609030101010101", "modern", "fixed"));
    fonts.push_str(&entry("楷体_GB2312", Some("楷体"), "02010609030101010101", "modern", "fixed"));
    // Drop docx-rs's own entries of the same names, if any.
    let mut head = text[..at].to_string();
    for name in ["宋体", "黑体", "仿宋_GB2312", "楷体_GB2312"] {
        let open = format!(r#"<w:font w:name="{name}">"#);
        if let Some(s) = head.find(&open) {
            if let Some(e) = head[s..].find("</w:font>") {
                head.replace_range(s..s + e + "</w:font>".len(), "");
            }
        }
    }
    format!("{head}{fonts}{}", &text[at..]).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_valid_xml_text() {
        assert_eq!(xml_text("a\u{0}b\u{1b}c\td\re\u{FFFF}f<&>"), "abc\tdef<&>");
    }

    #[test]
    fn heading_fonts() {
        assert_eq!(heading_font("一、部门整体支出概况").0, "黑体");
        assert_eq!(heading_font("十二、其他").0, "黑体");
        assert_eq!(heading_font("（一）产出指标").0, "楷体_GB2312");
        assert_eq!(heading_font("一般公共预算").0, "仿宋_GB2312");
        assert_eq!(heading_font("（注）").0, "仿宋_GB2312");
    }

    #[test]
    fn header_rows_marked() {
        let x = br#"<w:trPr><w:cantSplit /><w:trHeight w:val="0.5" w:hRule="auto" /></w:trPr><w:trPr><w:trHeight w:val="454.5" w:hRule="atLeast" /></w:trPr><w:trPr><w:trHeight w:val="454" w:hRule="atLeast" /></w:trPr>"#;
        assert_eq!(
            String::from_utf8(header_rows(x)).unwrap(),
            r#"<w:trPr><w:cantSplit /><w:tblHeader /></w:trPr><w:trPr><w:tblHeader /><w:trHeight w:val="454" w:hRule="atLeast" /></w:trPr><w:trPr><w:trHeight w:val="454" w:hRule="atLeast" /></w:trPr>"#
        );
    }

    #[test]
    fn para_ids_renumbered() {
        let x = br#"<w:p w14:paraId="0000abcd"><w:p w14:paraId="00000002">"#;
        assert_eq!(renumber_para_ids(x), br#"<w:p w14:paraId="00000001"><w:p w14:paraId="00000002">"#.to_vec());
    }

    #[test]
    fn grid_fills_the_width() {
        let t = Table::grid(&[1.0, 2.0, 3.0]);
        let g = grid(&t, 10_206);
        assert_eq!(g.iter().sum::<u32>(), 10_206);
        assert_eq!(g[0], 1701);
    }
}

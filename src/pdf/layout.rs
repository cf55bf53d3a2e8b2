//! The one table layout engine of the PDF exporter.
//!
//! Everything on a printed page is a [`Table`]: the ruled forms, and also the borderless title
//! lines and the signature block. A form is a [`Section`]: tables stacked top to bottom, starting
//! on a new page. This module measures text by the font's glyph advances, wraps it (CJK per
//! character, Latin/number runs as words, no closing punctuation at a line start), places cells
//! with row and column spans, sizes rows to their content, breaks tables across pages (repeating
//! their header rows, splitting a merged cell into one piece per page, splitting a single row by
//! lines when it is taller than a page) and emits printpdf operations.
//!
//! Coordinates are millimetres from the page's top-left corner until the very last step, which
//! flips them to PDF's bottom-left origin. Font sizes are in points. No value formatting happens
//! here: cells carry finished strings (see `forms.rs` and `crate::display`).

use std::cell::RefCell;
use std::collections::HashMap;

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point,
    Pt, Rgb, TextItem, TextMatrix,
};

/// Millimetres per point.
const MM_PER_PT: f32 = 25.4 / 72.0;
/// Line height as a multiple of the font size.
const LINE_HEIGHT: f32 = 1.35;
/// Inner cell padding, horizontal and vertical (mm).
const PAD_X: f32 = 1.2;
const PAD_Y: f32 = 1.0;
/// Page margins (mm).
const MARGIN_X: f32 = 15.0;
const MARGIN_TOP: f32 = 15.0;
const MARGIN_BOTTOM: f32 = 17.0;
/// Grid line width (pt).
const RULE_PT: f32 = 0.6;
/// Running head and page number size (pt).
const SMALL_PT: f32 = 8.0;
/// In the CJK em box, the baseline sits 0.88 em below the top (ideographic em box −0.12…0.88).
const EM_ASCENT: f32 = 0.88;
/// Centre of the em box above the baseline, in em.
const EM_MIDDLE: f32 = 0.38;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VAlign {
    Top,
    Middle,
    Bottom,
}

/// One cell. Cells are placed like HTML table cells: each goes to the next column of its row
/// that a row-spanning cell above has not taken.
#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub colspan: usize,
    pub rowspan: usize,
    pub align: Align,
    pub valign: VAlign,
    /// Draw only a line under the cell (a signature line in a borderless table).
    pub underline: bool,
}

impl Cell {
    /// A centred cell (labels, headers, numbers).
    pub fn new(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), colspan: 1, rowspan: 1, align: Align::Center, valign: VAlign::Middle, underline: false }
    }
    /// A left-aligned cell (free text).
    pub fn text(text: impl Into<String>) -> Cell {
        Cell::new(text).left()
    }
    pub fn empty() -> Cell {
        Cell::new("")
    }
    pub fn cols(mut self, n: usize) -> Cell {
        self.colspan = n.max(1);
        self
    }
    pub fn rows(mut self, n: usize) -> Cell {
        self.rowspan = n.max(1);
        self
    }
    pub fn left(mut self) -> Cell {
        self.align = Align::Left;
        self
    }
    pub fn top(mut self) -> Cell {
        self.valign = VAlign::Top;
        self
    }
    pub fn bottom(mut self) -> Cell {
        self.valign = VAlign::Bottom;
        self
    }
    pub fn underline(mut self) -> Cell {
        self.underline = true;
        self
    }
}

#[derive(Debug, Clone, Default)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// The row is at least this tall (mm); 0 = one line.
    pub min_height: f32,
}

impl Row {
    pub fn new(cells: Vec<Cell>) -> Row {
        Row { cells, min_height: 0.0 }
    }
    pub fn min_height(mut self, mm: f32) -> Row {
        self.min_height = mm;
        self
    }
}

/// A table: column widths (relative; scaled to the text width of the page), rows of cells.
#[derive(Debug, Clone)]
pub struct Table {
    pub widths: Vec<f32>,
    pub rows: Vec<Row>,
    /// The first rows form the header, repeated at the top of every page the table continues on.
    pub header_rows: usize,
    /// Font size (pt).
    pub font_size: f32,
    /// Grid lines around every cell.
    pub ruled: bool,
    /// Move the whole table to the next page rather than break it (short blocks).
    pub keep_together: bool,
    /// Space below the table (mm).
    pub space_after: f32,
}

impl Table {
    /// A ruled table in the form's body size.
    pub fn grid(widths: &[f32]) -> Table {
        Table {
            widths: widths.to_vec(),
            rows: Vec::new(),
            header_rows: 0,
            font_size: 9.0,
            ruled: true,
            keep_together: false,
            space_after: 0.0,
        }
    }
    /// A borderless block that is not broken across pages.
    pub fn plain(widths: &[f32], font_size: f32) -> Table {
        Table { ruled: false, keep_together: true, font_size, ..Table::grid(widths) }
    }
    pub fn header(mut self, rows: usize) -> Table {
        self.header_rows = rows;
        self
    }
    pub fn space_after(mut self, mm: f32) -> Table {
        self.space_after = mm;
        self
    }
    pub fn row(&mut self, cells: Vec<Cell>) -> &mut Table {
        self.rows.push(Row::new(cells));
        self
    }
    pub fn push(&mut self, row: Row) -> &mut Table {
        self.rows.push(row);
        self
    }

    /// Where each cell sits in the grid, HTML-style: a cell goes to the next column of its row
    /// not taken by a cell spanning from above; spans are cut at the table's edge, and cells
    /// beyond the last column are dropped. The PDF, the spreadsheet and the Word document all
    /// place cells by this.
    pub fn placed(&self) -> Vec<Spot<'_>> {
        let n_cols = self.widths.len().max(1);
        let n_rows = self.rows.len();
        let mut taken = vec![vec![false; n_cols]; n_rows];
        let mut out = Vec::new();
        for (r, row) in self.rows.iter().enumerate() {
            let mut col = 0;
            for cell in &row.cells {
                while col < n_cols && taken[r][col] {
                    col += 1;
                }
                if col >= n_cols {
                    break; // more cells than columns: the surplus is dropped
                }
                let cols = cell.colspan.clamp(1, n_cols - col);
                let rows = cell.rowspan.clamp(1, n_rows - r);
                for row_taken in taken.iter_mut().skip(r).take(rows) {
                    for t in row_taken.iter_mut().skip(col).take(cols) {
                        *t = true;
                    }
                }
                out.push(Spot { cell, row: r, col, rows, cols });
                col += cols;
            }
        }
        out
    }
}

/// Where a cell of a [`Table`] sits: its first row and column and how many of each it spans.
#[derive(Debug, Clone, Copy)]
pub struct Spot<'a> {
    pub cell: &'a Cell,
    pub row: usize,
    pub col: usize,
    pub rows: usize,
    pub cols: usize,
}

/// One form: starts on a new page.
#[derive(Debug, Clone)]
pub struct Section {
    /// Printed at the top of the pages this section continues on.
    pub running_head: String,
    pub landscape: bool,
    /// The 附件4 report (prose, not a form): the Word export sets it as an official document.
    pub report: bool,
    pub blocks: Vec<Table>,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub title: String,
    pub author: String,
    pub sections: Vec<Section>,
    /// Grey diagonal text under the content of every page ("草稿").
    pub watermark: Option<String>,
}

/// Text measurement from the font's horizontal advances (no kerning or shaping: CJK needs none).
pub struct Metrics<'f> {
    font: &'f ParsedFont,
    upm: f32,
    /// Advance of .notdef, used for characters the font lacks (they print as a box).
    missing: f32,
    /// Advances of ASCII, looked up once.
    ascii: [f32; 128],
    /// Advances of the other characters met so far (the font's cmap lookup is not cheap).
    seen: RefCell<HashMap<char, f32>>,
}

impl<'f> Metrics<'f> {
    pub fn new(font: &'f ParsedFont) -> Metrics<'f> {
        let upm = f32::from(font.font_metrics.units_per_em.max(1));
        let missing = f32::from(font.get_horizontal_advance(0)) / upm;
        let mut m = Metrics {
            font,
            upm,
            missing: if missing > 0.0 { missing } else { 1.0 },
            ascii: [0.0; 128],
            seen: RefCell::new(HashMap::new()),
        };
        for c in 0u8..128 {
            m.ascii[c as usize] = m.lookup(c as char);
        }
        m
    }

    fn lookup(&self, c: char) -> f32 {
        match self.font.lookup_glyph_index(c as u32) {
            Some(gid) => f32::from(self.font.get_horizontal_advance(gid)) / self.upm,
            None => self.missing,
        }
    }

    /// Advance of one character in em.
    pub fn advance(&self, c: char) -> f32 {
        if c.is_ascii() {
            self.ascii[c as usize]
        } else {
            *self.seen.borrow_mut().entry(c).or_insert_with(|| self.lookup(c))
        }
    }

    /// Width of `s` in mm at `size_pt`.
    pub fn width(&self, s: &str, size_pt: f32) -> f32 {
        s.chars().map(|c| self.advance(c)).sum::<f32>() * size_pt * MM_PER_PT
    }

    /// Breaks `text` into lines no wider than `width` mm: hard breaks at '\n'; runs of
    /// ASCII letters/digits/punctuation stay together when they fit on a line; anything else
    /// breaks between characters; a closing punctuation mark never starts a line (it takes the
    /// previous character along). Every line holds at least one character, however narrow
    /// the width.
    pub fn wrap(&self, text: &str, size_pt: f32, width: f32) -> Vec<String> {
        let scale = size_pt * MM_PER_PT;
        let mut lines = Vec::new();
        let text = text.trim_end();
        if text.is_empty() {
            return lines;
        }
        for para in text.split('\n') {
            let para = para.trim_end();
            let para_start = lines.len();
            let mut line = String::new();
            let mut line_w = 0.0f32;
            let mut chars = para.chars().map(|c| if c == '\t' || c.is_control() { ' ' } else { c }).peekable();
            while let Some(c) = chars.next() {
                // A token: an ASCII word, or one other character.
                let mut token = String::new();
                token.push(c);
                if is_word_char(c) {
                    while let Some(&n) = chars.peek() {
                        if !is_word_char(n) {
                            break;
                        }
                        token.push(n);
                        chars.next();
                    }
                }
                let token_w: f32 = token.chars().map(|c| self.advance(c)).sum::<f32>() * scale;
                if token == " " {
                    if line.is_empty() && lines.len() > para_start {
                        continue; // no space at the start of a wrapped line
                    }
                    if line_w + token_w <= width {
                        line.push(' ');
                        line_w += token_w;
                    } else {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0.0;
                    }
                    continue;
                }
                if is_word_char(c) && token.len() > 1 {
                    // An ASCII word: on this line, else whole on the next, else broken up.
                    if line_w + token_w <= width {
                        line.push_str(&token);
                        line_w += token_w;
                        continue;
                    }
                    if token_w <= width {
                        lines.push(std::mem::take(&mut line).trim_end().to_string());
                        line = token;
                        line_w = token_w;
                        continue;
                    }
                }
                self.push_char_run(&token, scale, width, &mut lines, &mut line, &mut line_w);
            }
            if !line.trim_end().is_empty() || lines.len() == para_start {
                lines.push(line.trim_end().to_string());
            }
        }
        lines
    }

    fn push_char_run(&self, run: &str, scale: f32, width: f32, lines: &mut Vec<String>, line: &mut String, line_w: &mut f32) {
        for c in run.chars() {
            let w = self.advance(c) * scale;
            if *line_w + w <= width || line.is_empty() {
                line.push(c);
                *line_w += w;
                continue;
            }
            if c == ' ' {
                lines.push(std::mem::take(line));
                *line_w = 0.0;
                continue;
            }
            // No closing punctuation at the start of a line and no opening one at the end:
            // the previous character goes along to the next line.
            let mut carry = String::new();
            let prev = line.chars().last();
            if let Some(prev) = prev.filter(|&p| {
                (is_closing(c) || is_opening(p)) && line.chars().count() > 1 && (self.advance(p) * scale + w) <= width
            }) {
                line.pop();
                carry.push(prev);
            }
            lines.push(line.trim_end().to_string());
            *line = carry;
            line.push(c);
            *line_w = line.chars().map(|c| self.advance(c)).sum::<f32>() * scale;
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_graphic()
}

fn is_opening(c: char) -> bool {
    "（《「『“‘〔【(".contains(c)
}

fn is_closing(c: char) -> bool {
    "，。、；：？！）》」』”’〕】…,.;:?!)%".contains(c)
}

/// One laid-out page: everything the PDF writer draws on it, and all the in-app print preview
/// draws. Millimetres from the page's top-left corner; font sizes in points.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    /// Grey text under the content ("草稿"), drawn first.
    pub watermark: Option<Watermark>,
    /// Rules: black polylines [`RULE_PT`] wide.
    pub lines: Vec<Polyline>,
    /// Text runs in drawing order (the PDF's content-stream order).
    pub texts: Vec<TextRun>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Polyline {
    pub points: Vec<(f32, f32)>,
    pub closed: bool,
}

/// One line of text: its left end on the baseline at (`x`, `baseline`).
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    pub x: f32,
    pub baseline: f32,
    pub size: f32,
    pub text: String,
}

/// Rotated text: starts at (`x`, `baseline`), rising `angle` degrees counter-clockwise, in grey
/// `grey` (0 black … 1 white).
#[derive(Debug, Clone, PartialEq)]
pub struct Watermark {
    pub text: String,
    pub size: f32,
    pub x: f32,
    pub baseline: f32,
    pub angle: f32,
    pub grey: f32,
}

/// The baseline of text sits this far below the top of its em box, in em (for drawing a run
/// with a renderer that places text by its top).
pub const ASCENT_EM: f32 = EM_ASCENT;
/// Grid line width (pt).
pub const RULE_WIDTH_PT: f32 = RULE_PT;
/// Millimetres per point.
pub const MM_PER_POINT: f32 = MM_PER_PT;

/// A page being filled.
struct Sheet {
    page: Page,
    section: usize,
    continued: bool,
}

/// A cell placed on the grid, its text wrapped.
struct Placed {
    row: usize,
    rowspan: usize,
    x: f32,
    w: f32,
    lines: Vec<String>,
    align: Align,
    valign: VAlign,
    underline: bool,
}

/// A table measured for the current text width.
struct Laid<'t> {
    table: &'t Table,
    cells: Vec<Placed>,
    heights: Vec<f32>,
    /// Most lines of a one-row cell, per row (for splitting a row across pages).
    row_lines: Vec<usize>,
    /// Indices into `cells` of the cells starting in each row.
    by_row: Vec<Vec<usize>>,
    line_h: f32,
    header_rows: usize,
}

impl Laid<'_> {
    fn content_h(&self, lines: usize) -> f32 {
        lines as f32 * self.line_h + 2.0 * PAD_Y
    }
}

/// A row, or part of a row, placed on a page.
#[derive(Debug, Clone, Copy)]
struct Frag {
    page: usize,
    row: usize,
    y: f32,
    h: f32,
    /// Lines `from..to` of every one-row cell, when the row is split across pages.
    lines: Option<(usize, usize)>,
}

struct Writer<'f> {
    metrics: Metrics<'f>,
    watermark: Option<String>,
    pages: Vec<Sheet>,
    /// Cursor: top of the free space on the last page (mm from the top).
    y: f32,
    section: usize,
    landscape: bool,
}

impl<'f> Writer<'f> {
    fn page_size(&self) -> (f32, f32) {
        if self.landscape {
            (297.0, 210.0)
        } else {
            (210.0, 297.0)
        }
    }
    fn text_width(&self) -> f32 {
        self.page_size().0 - 2.0 * MARGIN_X
    }
    fn bottom(&self) -> f32 {
        self.page_size().1 - MARGIN_BOTTOM
    }
    /// Free space below the cursor.
    fn avail(&self) -> f32 {
        self.bottom() - self.y
    }
    /// Height of a page's text area.
    fn capacity(&self) -> f32 {
        self.bottom() - MARGIN_TOP
    }
    fn at_page_top(&self) -> bool {
        self.y <= MARGIN_TOP + 0.01
    }
    fn page(&self) -> usize {
        self.pages.len().saturating_sub(1)
    }

    fn new_page(&mut self, continued: bool) {
        let (width, height) = self.page_size();
        let watermark = self.watermark.as_deref().map(|mark| self.watermark_at(mark, width, height));
        let page = Page { width, height, watermark, lines: Vec::new(), texts: Vec::new() };
        self.pages.push(Sheet { page, section: self.section, continued });
        self.y = MARGIN_TOP;
    }

    /// Grey text, rotated 45° counter-clockwise, its em box centred on the page; drawn first,
    /// so everything else lies on top of it.
    fn watermark_at(&self, mark: &str, width: f32, height: f32) -> Watermark {
        let size = 120.0;
        let em = size * MM_PER_PT;
        let w = self.metrics.width(mark, size);
        let (sin, cos) = 45f32.to_radians().sin_cos();
        // Start of the baseline, y up from the bottom; then as from the top.
        let (cx, cy) = (width / 2.0, height / 2.0);
        let x = cx - cos * w / 2.0 + sin * EM_MIDDLE * em;
        let y = cy - sin * w / 2.0 - cos * EM_MIDDLE * em;
        Watermark { text: mark.to_string(), size, x, baseline: height - y, angle: 45.0, grey: 0.85 }
    }

    /// One line of text on page `page`, its line box's top-left corner at (x, y_top).
    fn text(&mut self, page: usize, x: f32, y_top: f32, size: f32, s: &str) {
        let Some(p) = self.pages.get_mut(page) else { return };
        if s.is_empty() {
            return;
        }
        let line_h = size * LINE_HEIGHT * MM_PER_PT;
        let em = size * MM_PER_PT;
        let baseline = y_top + (line_h - em) / 2.0 + EM_ASCENT * em;
        p.page.texts.push(TextRun { x, baseline, size, text: s.to_string() });
    }

    /// A polyline through `points` (mm from the top-left), closed or not.
    fn path(&mut self, page: usize, points: &[(f32, f32)], closed: bool) {
        let Some(p) = self.pages.get_mut(page) else { return };
        p.page.lines.push(Polyline { points: points.to_vec(), closed });
    }

    /// Measures a table for the current page width: places cells, wraps their text, sizes rows.
    fn measure<'t>(&self, table: &'t Table) -> Laid<'t> {
        let size = table.font_size;
        let line_h = size * LINE_HEIGHT * MM_PER_PT;
        let n_cols = table.widths.len().max(1);
        let total: f32 = table.widths.iter().map(|w| w.max(0.0)).sum();
        let widths: Vec<f32> = if total > 0.0 {
            table.widths.iter().map(|w| w.max(0.0) * self.text_width() / total).collect()
        } else {
            vec![self.text_width() / n_cols as f32; n_cols]
        };
        let mut xs = vec![MARGIN_X];
        for w in &widths {
            xs.push(xs[xs.len() - 1] + w);
        }

        let n_rows = table.rows.len();
        let mut cells = Vec::new();
        let mut by_row = vec![Vec::new(); n_rows];
        for spot in table.placed() {
            let (r, cell) = (spot.row, spot.cell);
            let x = xs[spot.col];
            let w = xs[spot.col + spot.cols] - x;
            let lines = self.metrics.wrap(&cell.text, size, w - 2.0 * PAD_X);
            by_row[r].push(cells.len());
            cells.push(Placed { row: r, rowspan: spot.rows, x, w, lines, align: cell.align, valign: cell.valign, underline: cell.underline });
        }

        let content_h = |lines: usize| lines as f32 * line_h + 2.0 * PAD_Y;
        let mut heights: Vec<f32> = table.rows.iter().map(|row| row.min_height.max(content_h(1))).collect();
        let mut row_lines = vec![0usize; n_rows];
        for c in cells.iter().filter(|c| c.rowspan == 1) {
            heights[c.row] = heights[c.row].max(content_h(c.lines.len()));
            row_lines[c.row] = row_lines[c.row].max(c.lines.len());
        }
        // A merged cell whose text needs more room than its rows give it grows its last row.
        let mut spanning: Vec<&Placed> = cells.iter().filter(|c| c.rowspan > 1).collect();
        spanning.sort_by_key(|c| c.rowspan);
        for c in spanning {
            let have: f32 = heights[c.row..c.row + c.rowspan].iter().sum();
            let need = content_h(c.lines.len());
            if need > have {
                heights[c.row + c.rowspan - 1] += need - have;
            }
        }

        // The header repeats only when it is a small part of a page and no merged cell
        // reaches from it into the body.
        let mut header_rows = table.header_rows.min(n_rows);
        let header_h: f32 = heights[..header_rows].iter().sum();
        let crosses = cells.iter().any(|c| c.row < header_rows && c.row + c.rowspan > header_rows);
        if header_h > self.capacity() / 3.0 || crosses {
            header_rows = 0;
        }
        Laid { table, cells, heights, row_lines, by_row, line_h, header_rows }
    }

    fn put_header(&mut self, laid: &Laid, frags: &mut Vec<Frag>) {
        for row in 0..laid.header_rows {
            frags.push(Frag { page: self.page(), row, y: self.y, h: laid.heights[row], lines: None });
            self.y += laid.heights[row];
        }
    }

    fn break_page(&mut self, laid: &Laid, frags: &mut Vec<Frag>) {
        self.new_page(true);
        self.put_header(laid, frags);
    }

    /// Places a table at the cursor, breaking it across pages as needed, and draws it.
    /// `keep_with` is the height of the block that must follow the table on the same page
    /// (the signature block after the 总分 row): when that block will not fit after the
    /// table's last row, the last row goes to the next page with it. Returns where the rows went.
    fn place(&mut self, table: &Table, keep_with: f32) -> Vec<Frag> {
        let laid = self.measure(table);
        let n = laid.heights.len();
        if n == 0 {
            return Vec::new();
        }
        let total: f32 = laid.heights.iter().sum();
        let header_h: f32 = laid.heights[..laid.header_rows].iter().sum();
        let body_cap = self.capacity() - header_h;
        if table.keep_together && total > self.avail() && total <= self.capacity() && !self.at_page_top() {
            self.new_page(true);
        }
        // Do not leave the header, or the top of a table, alone at the foot of a page.
        let mut r = laid.header_rows;
        let first_h = if r < n { laid.heights[r].min(laid.content_h(3)) } else { 0.0 };
        if header_h + first_h > self.avail() && !self.at_page_top() {
            self.new_page(true);
        }
        let mut frags: Vec<Frag> = Vec::new();
        self.put_header(&laid, &mut frags);
        let mut body_on_page = false;
        let mut split_from = 0usize; // lines of row `r` already printed
        while r < n {
            if split_from == 0 && laid.heights[r] <= self.avail() + 0.001 {
                // Whole rows, as many as fit.
                let avail = self.avail();
                let mut e = r;
                let mut used = 0.0;
                while e < n && used + laid.heights[e] <= avail + 0.001 {
                    used += laid.heights[e];
                    e += 1;
                }
                let greedy = e;
                if e < n {
                    e = self.good_break(&laid, r, e, body_on_page, &frags);
                } else if keep_with > 0.0
                    && avail - used - table.space_after < keep_with
                    && header_h + laid.heights[n - 1] + table.space_after + keep_with <= self.capacity()
                {
                    let held = self.good_break(&laid, r, n - 1, body_on_page, &frags);
                    if held > r || body_on_page {
                        e = held;
                    }
                }
                for row in r..e {
                    frags.push(Frag { page: self.page(), row, y: self.y, h: laid.heights[row], lines: None });
                    self.y += laid.heights[row];
                    body_on_page = true;
                }
                r = e;
                if e < greedy {
                    // Held back to keep a merged cell whole: continue on the next page.
                    self.break_page(&laid, &mut frags);
                    body_on_page = false;
                }
                continue;
            }
            // Row `r` does not fit below the cursor (or is being split).
            let fresh = !body_on_page && self.y <= MARGIN_TOP + header_h + 0.01;
            if split_from == 0 && laid.heights[r] <= body_cap && !fresh {
                self.break_page(&laid, &mut frags);
                body_on_page = false;
                continue;
            }
            // Row `r` is taller than a page: print it by lines, starting here if a few fit.
            let total_lines = laid.row_lines[r].max(1);
            let left = total_lines - split_from.min(total_lines);
            let fit = ((self.avail() - 2.0 * PAD_Y) / laid.line_h).floor().max(0.0) as usize;
            if fit < left.min(3) && !fresh {
                self.break_page(&laid, &mut frags);
                body_on_page = false;
                continue;
            }
            let to = (split_from + fit.max(1)).min(total_lines);
            let h = if to == total_lines { laid.content_h(to - split_from).max(laid.table.rows[r].min_height) } else { self.avail() };
            frags.push(Frag { page: self.page(), row: r, y: self.y, h, lines: Some((split_from, to)) });
            self.y += h;
            body_on_page = true;
            if to >= total_lines {
                split_from = 0;
                r += 1;
            } else {
                split_from = to;
                self.break_page(&laid, &mut frags);
                body_on_page = false;
            }
        }
        self.draw(&laid, &frags);
        self.y += table.space_after;
        frags
    }

    /// Moves a page break planned before row `e` up to the start of a merged cell that the
    /// break would cut into a piece too small for its text, as long as rows remain on the page.
    fn good_break(&self, laid: &Laid, start: usize, mut e: usize, body_on_page: bool, frags: &[Frag]) -> usize {
        let lowest = if body_on_page { start } else { start + 1 };
        let page = self.page();
        'again: loop {
            for c in laid.cells.iter().filter(|c| c.rowspan > 1 && c.row < e && c.row + c.rowspan > e) {
                let need = laid.content_h(c.lines.len());
                let earlier: f32 = frags.iter().filter(|f| f.page == page && f.row >= c.row && f.row < start).map(|f| f.h).sum();
                let before = laid.heights[c.row.max(start)..e].iter().sum::<f32>() + earlier;
                let after: f32 = laid.heights[e..c.row + c.rowspan].iter().sum();
                if (before < need || after < need) && c.row >= lowest {
                    e = c.row;
                    continue 'again;
                }
            }
            return e;
        }
    }

    /// Draws the placed fragments of a table.
    fn draw(&mut self, laid: &Laid, frags: &[Frag]) {
        let size = laid.table.font_size;
        let ruled = laid.table.ruled;
        for f in frags {
            for &ci in &laid.by_row[f.row] {
                let c = &laid.cells[ci];
                if c.rowspan > 1 {
                    continue;
                }
                let (lines, valign) = match f.lines {
                    None => (&c.lines[..], c.valign),
                    Some((a, b)) => (&c.lines[a.min(c.lines.len())..b.min(c.lines.len())], VAlign::Top),
                };
                self.cell(f.page, c, f.y, f.h, lines, valign, size, ruled);
            }
        }
        // A merged cell is drawn as one piece per page it reaches. Its text goes in every
        // piece tall enough to hold it; if none is, the largest piece shows what fits.
        for c in laid.cells.iter().filter(|c| c.rowspan > 1) {
            let pieces = span_pieces(c, frags);
            let need = laid.content_h(c.lines.len());
            let any_fits = pieces.iter().any(|p| p.2 + 0.01 >= need);
            let largest = pieces.iter().enumerate().max_by(|a, b| a.1 .2.total_cmp(&b.1 .2)).map(|(i, _)| i);
            for (i, &(page, y, h)) in pieces.iter().enumerate() {
                let lines: &[String] = if h + 0.01 >= need {
                    &c.lines
                } else if !any_fits && Some(i) == largest {
                    let n = ((h - 2.0 * PAD_Y) / laid.line_h).floor().max(0.0) as usize;
                    &c.lines[..n.min(c.lines.len())]
                } else {
                    &[]
                };
                self.cell(page, c, y, h, lines, c.valign, size, ruled);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn cell(&mut self, page: usize, c: &Placed, y: f32, h: f32, lines: &[String], valign: VAlign, size: f32, ruled: bool) {
        if ruled {
            self.path(page, &[(c.x, y), (c.x + c.w, y), (c.x + c.w, y + h), (c.x, y + h)], true);
        }
        if c.underline {
            self.path(page, &[(c.x + PAD_X, y + h - PAD_Y), (c.x + c.w - PAD_X, y + h - PAD_Y)], false);
        }
        let line_h = size * LINE_HEIGHT * MM_PER_PT;
        let block = lines.len() as f32 * line_h;
        let top = match valign {
            VAlign::Top => y + PAD_Y,
            VAlign::Middle => y + (h - block) / 2.0,
            VAlign::Bottom => y + h - PAD_Y - block,
        };
        for (i, line) in lines.iter().enumerate() {
            let w = self.metrics.width(line, size);
            let x = match c.align {
                Align::Left => c.x + PAD_X,
                Align::Center => c.x + (c.w - w) / 2.0,
            };
            self.text(page, x, top + i as f32 * line_h, size, line);
        }
    }
}

/// A finished page's operations: the watermark, the rules, then all its text in one text object.
/// PDF's origin is the bottom-left corner: y flips here.
fn page_ops(page: Page, font: &FontId) -> Vec<Op> {
    let h = page.height;
    let mut ops = Vec::with_capacity(page.lines.len() + page.texts.len() * 2 + 16);
    if let Some(w) = page.watermark {
        ops.extend([
            Op::SaveGraphicsState,
            Op::SetFillColor { col: grey(w.grey) },
            Op::StartTextSection,
            Op::SetFont { font: PdfFontHandle::External(font.clone()), size: Pt(w.size) },
            Op::SetTextMatrix { matrix: TextMatrix::TranslateRotate(Mm(w.x).into(), Mm(h - w.baseline).into(), w.angle) },
            Op::ShowText { items: vec![TextItem::Text(w.text)] },
            Op::EndTextSection,
            Op::RestoreGraphicsState,
        ]);
    }
    ops.push(Op::SetOutlineColor { col: grey(0.0) });
    ops.push(Op::SetFillColor { col: grey(0.0) });
    ops.push(Op::SetOutlineThickness { pt: Pt(RULE_PT) });
    for l in page.lines {
        let points = l.points.iter().map(|&(x, y)| LinePoint { p: Point::new(Mm(x), Mm(h - y)), bezier: false }).collect();
        ops.push(Op::DrawLine { line: Line { points, is_closed: l.closed } });
    }
    ops.push(Op::StartTextSection);
    let mut current = f32::NAN;
    for t in page.texts {
        if t.size != current {
            ops.push(Op::SetFont { font: PdfFontHandle::External(font.clone()), size: Pt(t.size) });
            current = t.size;
        }
        ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Mm(t.x).into(), Mm(h - t.baseline).into()) });
        ops.push(Op::ShowText { items: vec![TextItem::Text(t.text)] });
    }
    ops.push(Op::EndTextSection);
    ops
}

/// (page, top, height) of each run of consecutive fragments on one page inside the cell's rows.
fn span_pieces(c: &Placed, frags: &[Frag]) -> Vec<(usize, f32, f32)> {
    let mut pieces: Vec<(usize, f32, f32)> = Vec::new();
    let mut prev: Option<usize> = None; // page of the previous fragment, if it was inside
    for f in frags {
        let inside = f.row >= c.row && f.row < c.row + c.rowspan;
        if inside {
            match pieces.last_mut() {
                Some(p) if prev == Some(f.page) => p.2 += f.h,
                _ => pieces.push((f.page, f.y, f.h)),
            }
            prev = Some(f.page);
        } else {
            prev = None;
        }
    }
    pieces
}

fn grey(v: f32) -> Color {
    Color::Rgb(Rgb { r: v, g: v, b: v, icc_profile: None })
}

/// Lays out the document: its pages, as the PDF prints them and the preview shows them.
pub fn lay_out(doc: &Document, font: &ParsedFont) -> Vec<Page> {
    let mut w = Writer {
        metrics: Metrics::new(font),
        watermark: doc.watermark.clone(),
        pages: Vec::new(),
        y: MARGIN_TOP,
        section: 0,
        landscape: false,
    };
    for (i, section) in doc.sections.iter().enumerate() {
        w.section = i;
        w.landscape = section.landscape;
        w.new_page(false);
        for (k, table) in section.blocks.iter().enumerate() {
            let next = section.blocks.get(k + 1).filter(|t| t.keep_together);
            let keep_with = next.map_or(0.0, |t| w.measure(t).heights.iter().sum());
            w.place(table, keep_with);
        }
    }
    // Page furniture, now that the page count is known.
    let total = w.pages.len();
    for i in 0..total {
        let (width, height, section, continued) = {
            let p = &w.pages[i];
            (p.page.width, p.page.height, p.section, p.continued)
        };
        let footer = format!("第 {} 页 共 {} 页", i + 1, total);
        let fw = w.metrics.width(&footer, SMALL_PT + 1.0);
        w.text(i, (width - fw) / 2.0, height - MARGIN_BOTTOM + 6.0, SMALL_PT + 1.0, &footer);
        if continued {
            let head = doc.sections[section].running_head.clone();
            w.text(i, MARGIN_X, MARGIN_TOP - 7.0, SMALL_PT, &head);
        }
    }
    w.pages.into_iter().map(|s| s.page).collect()
}

/// Lays out the document and returns the PDF bytes: the pages of [`lay_out`], drawn.
pub fn render(doc: &Document, font: &ParsedFont) -> Vec<u8> {
    render_pages(&doc.title, &doc.author, lay_out(doc, font), font)
}

/// The PDF bytes of laid-out pages (all of a document's, or a selection of them for printing).
pub fn render_pages(title: &str, author: &str, pages: Vec<Page>, font: &ParsedFont) -> Vec<u8> {
    let mut pdf = PdfDocument::new(title);
    pdf.metadata.info.author = author.to_string();
    pdf.metadata.info.creator = "zipin".into();
    pdf.metadata.info.producer = format!("zipin {} (printpdf)", env!("CARGO_PKG_VERSION"));
    if let Ok(when) = printpdf::OffsetDateTime::from_unix_timestamp(creation_time()) {
        pdf.metadata.info.creation_date = when;
        pdf.metadata.info.modification_date = when;
        pdf.metadata.info.metadata_date = when;
    }
    let font_id = pdf.add_font(font);
    let pages: Vec<PdfPage> =
        pages.into_iter().map(|p| PdfPage::new(Mm(p.width), Mm(p.height), page_ops(p, &font_id))).collect();
    let opts = PdfSaveOptions { subset_fonts: true, ..Default::default() };
    let mut bytes = pdf.with_pages(pages).save(&opts, &mut Vec::new());
    blank_empty_pdfx_key(&mut bytes);
    bytes
}

/// The export's creation time, seconds since 1970 (UTC): `SOURCE_DATE_EPOCH` when set (for
/// reproducible output), else now. The PDF's and the XLSX's.
pub(super) fn creation_time() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse().ok()).unwrap_or_else(|| chrono::Utc::now().timestamp())
}

/// printpdf always writes `/GTS_PDFXVersion` into the document information, empty for a plain
/// PDF; some readers then call the file PDF/X. The key is overwritten with spaces (same length,
/// so the cross-reference offsets stay right).
fn blank_empty_pdfx_key(bytes: &mut [u8]) {
    for key in [&b"/GTS_PDFXVersion()"[..], &b"/GTS_PDFXVersion ()"[..]] {
        if let Some(at) = bytes.windows(key.len()).position(|w| w == key) {
            bytes[at..at + key.len()].fill(b' ');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics() -> Metrics<'static> {
        Metrics::new(crate::pdf::font().expect("font"))
    }

    fn writer() -> Writer<'static> {
        let font = crate::pdf::font().expect("font");
        let mut w = Writer {
            metrics: Metrics::new(font),
            watermark: None,
            pages: Vec::new(),
            y: MARGIN_TOP,
            section: 0,
            landscape: false,
        };
        w.new_page(false);
        w
    }

    /// 12 groups of 6 rows, the first column merged over each group, texts of growing length.
    fn grouped_table(reason_len: usize) -> Table {
        let mut t = Table::grid(&[1.0, 1.0, 4.0]).header(1);
        t.row(vec![Cell::new("一级"), Cell::new("二级"), Cell::new("说明")]);
        for g in 0..12 {
            for k in 0..6 {
                let mut cells = Vec::new();
                if k == 0 {
                    cells.push(Cell::new(format!("第{g}组标签文字较长需要换行")).rows(6));
                }
                cells.push(Cell::new(format!("{g}-{k}")));
                cells.push(Cell::text("长".repeat(k * 4 + if g == 5 && k == 2 { reason_len } else { 0 })));
                t.row(cells);
            }
        }
        t
    }

    #[test]
    fn page_breaks_stay_in_the_text_area_and_repeat_the_header() {
        for reason_len in [0, 6000] {
            let mut w = writer();
            w.y = 200.0; // start low on the page
            let frags = w.place(&grouped_table(reason_len), 0.0);
            let pages = w.pages.len();
            assert!(pages >= 3, "{pages} pages");
            for f in &frags {
                assert!(f.y >= MARGIN_TOP - 0.01 && f.y + f.h <= w.bottom() + 0.01, "{f:?} outside the text area");
            }
            for page in 0..pages {
                let first = frags.iter().find(|f| f.page == page).expect("every page has rows");
                assert_eq!(first.row, 0, "page {page} starts with the header");
            }
            // Body rows in order, each once (a split row once per page it spans).
            let body: Vec<usize> = frags.iter().filter(|f| f.row > 0).map(|f| f.row).collect();
            let mut dedup = body.clone();
            dedup.dedup();
            assert_eq!(dedup, (1..=72).collect::<Vec<_>>());
            if reason_len > 0 {
                assert!(body.len() > 72, "the long row is split");
            } else {
                // No page leaves a merged label a piece too small for its text.
                let col = w.text_width() / 6.0 - 2.0 * PAD_X;
                for g in 0..12 {
                    let lines = w.metrics.wrap(&format!("第{g}组标签文字较长需要换行"), 9.0, col).len();
                    let need = lines as f32 * 9.0 * LINE_HEIGHT * MM_PER_PT + 2.0 * PAD_Y;
                    let rows = 1 + g * 6..1 + g * 6 + 6;
                    for page in 0..pages {
                        let piece: f32 = frags.iter().filter(|f| f.page == page && rows.contains(&f.row)).map(|f| f.h).sum();
                        assert!(piece == 0.0 || piece + 0.01 >= need, "group {g} on page {page}: {piece} < {need}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_last_row_goes_along_with_a_block_that_must_follow_it() {
        let mut t = Table::grid(&[1.0, 1.0]).header(1);
        for i in 0..12 {
            t.row(vec![Cell::new(format!("{i}")), Cell::new("总分")]);
        }
        let total: f32 = writer().measure(&t).heights.iter().sum();
        for (keep_with, last_page) in [(0.0, 0), (40.0, 1)] {
            let mut w = writer();
            w.y = w.bottom() - total - 10.0;
            let frags = w.place(&t, keep_with);
            let last = frags.last().unwrap();
            assert_eq!((last.row, last.page), (11, last_page));
            if last_page == 1 {
                let rows: Vec<usize> = frags.iter().filter(|f| f.page == 1).map(|f| f.row).collect();
                assert_eq!(rows, [0, 11], "the header, then the held-back row");
                assert!(w.avail() >= keep_with);
            }
        }
    }

    #[test]
    fn cjk_width_from_advances() {
        let m = metrics();
        assert!((m.width("汉字汉字", 10.0) - 14.111).abs() < 0.01);
    }

    #[test]
    fn wraps_cjk_per_character_and_keeps_numbers_whole() {
        let m = metrics();
        let em = 9.0 * MM_PER_PT;
        let lines = m.wrap("残疾人就业保障金172.86%项目", 9.0, em * 6.5);
        assert_eq!(lines[0], "残疾人就业保");
        assert!(lines.iter().any(|l| l.contains("172.86%")), "{lines:?}");
        for l in &lines {
            assert!(m.width(l, 9.0) <= em * 6.5 + 0.001, "{l}");
        }
        // No comma at the start of a line.
        let lines = m.wrap("一二三四五，六七", 9.0, em * 5.2);
        assert!(lines.iter().all(|l| !l.starts_with('，')), "{lines:?}");
        assert_eq!(m.wrap("批复规模（㎡）", 9.0, em * 5.5), ["批复规模", "（㎡）"]);
        // Hard breaks, blanks, and an impossible width still make progress.
        assert_eq!(m.wrap("甲\n乙", 9.0, 50.0), ["甲", "乙"]);
        assert!(m.wrap("  ", 9.0, 50.0).is_empty());
        assert_eq!(m.wrap("甲乙", 9.0, 0.0), ["甲", "乙"]);
    }
}

//! 附件4 自评报告 (forms.md §5): the key figures the report quotes — checked live against the
//! forms (R-REPORT-FIGURE), shown beside the value the forms give — and the report's text.
//!
//! The text is edited as a *template*: its figures are placeholders (`{总分}`, `{预算执行率}` …)
//! that `crate::narrative` fills from the evaluation, and the preview beside the editor shows the
//! result, so the report's numbers cannot disagree with the tables. An adopted report is printed
//! as the last section of the PDF.

use iced::widget::{button, column, container, row, text, Column, Row};
use iced::{Alignment, Element, Length, Padding};

use crate::display;
use crate::engine::{Form, Location};

use crate::document::cells::{Kind, ReportList, NARRATIVE_ROW, REPORT_FIGURES};
use crate::document::Document;
use super::screen::{self, Ctx, Effect, Page, Room};
use super::widgets::{self, CellMsg, Editors};

#[derive(Debug, Clone)]
pub enum Message {
    Cell(CellMsg),
    /// Add a line to one of the lists, or remove line k (1-based).
    AddLine(ReportList),
    RemoveLine(ReportList, usize),
    /// Print the report with the forms (`true`, starting from the built-in template) or not.
    Adopt(bool),
    /// Back to the built-in template.
    ResetTemplate,
}

pub fn loc(row: &str, col: &str) -> Location {
    Location::new(Form::A4, None, row, col)
}

/// The report text's editor.
pub fn narrative_loc() -> Location {
    loc(NARRATIVE_ROW, "template")
}

fn long_texts() -> Vec<Location> {
    vec![narrative_loc()]
}

fn line_loc(list: ReportList, k: usize, col: &str) -> Location {
    loc(&format!("{}{k}", list.prefix()), col)
}

const LISTS: [ReportList; 3] = [ReportList::Breakdown, ReportList::Projects, ReportList::Counts];

/// Each list's columns: (column id, heading).
fn columns(list: ReportList) -> &'static [(&'static str, &'static str)] {
    match list {
        ReportList::Breakdown => &[("name", "明细名称"), ("amount", "金额（万元）"), ("source", "资金来源（如 彩票公益金）")],
        ReportList::Projects => &[("name", "项目名称"), ("budget", "预算数（万元）"), ("paid", "支出数（万元）"), ("score", "自评得分")],
        ReportList::Counts => &[
            ("name", "报告所述事项"),
            ("value", "数量（如 近400人）"),
            ("rows", "对应指标行（如 A2.ind#8，A3[0].ind#4）"),
            ("scope", "口径可能不同（填“是”）"),
        ],
    }
}

pub fn update(ctx: &mut Ctx<'_>, msg: Message) -> Effect {
    match msg {
        Message::Cell(c) => screen::handle_cell(ctx, c),
        Message::AddLine(list) => {
            let k = ctx.doc.add_report_line(list);
            Effect::Focus(line_loc(list, k, "name"))
        }
        Message::RemoveLine(list, k) => {
            ctx.doc.remove_report_line(list, k);
            Effect::None
        }
        Message::Adopt(on) => {
            let text = on.then(|| ctx.doc.text(&narrative_loc()).into_owned());
            ctx.doc.set_narrative(text);
            Effect::None
        }
        Message::ResetTemplate => {
            ctx.doc.set_narrative(Some(crate::narrative::TEMPLATE.to_string()));
            Effect::None
        }
    }
}

/// 附件4 自评报告, as the app shows it.
pub struct Report;

impl<M: From<Message> + 'static> Page<M> for Report {
    fn long_texts(&self) -> Vec<Location> {
        long_texts()
    }

    fn cells_in_order(&self, doc: &Document) -> Vec<Location> {
        cells_in_order(doc)
    }

    fn view<'a>(&self, doc: &'a Document, editors: &'a Editors, _room: Room) -> Element<'a, M> {
        view(doc, editors).map(M::from)
    }
}

fn len(doc: &Document, list: ReportList) -> usize {
    doc.wb.report.as_ref().map_or(0, |r| list.len(r))
}

/// Input cells in reading order (for Enter → the cell below).
fn cells_in_order(doc: &Document) -> Vec<Location> {
    let mut v: Vec<Location> = REPORT_FIGURES.iter().map(|(r, _, _)| loc(r, "amount")).collect();
    for list in LISTS {
        for k in 1..=len(doc, list) {
            v.extend(columns(list).iter().map(|(c, _)| line_loc(list, k, c)));
        }
    }
    v
}

/// The value the forms give for a report figure, and where it comes from.
fn form_value(doc: &Document, row: &str) -> (String, &'static str) {
    let wb = &doc.wb;
    let e = &doc.eval;
    let share = |part: Option<rust_decimal::Decimal>| {
        let r = wb.report.as_ref();
        match (part, r.and_then(|r| r.basic)) {
            (Some(p), Some(b)) if !b.is_zero() => display::percent(Some(p / b)),
            _ => String::new(),
        }
    };
    let r = wb.report.as_ref();
    match row {
        "report.basic" => (display::money_opt(wb.department.by_nature.basic), "附件2 按支出性质分·基本支出"),
        "report.personnel" => (String::new(), "（表中无此数，用于核对占比）"),
        "report.personnel_share" => (share(r.and_then(|r| r.personnel)), "人员经费 ÷ 基本支出（报告数）"),
        "report.public_funds" => (display::money_opt(wb.basic.public_funds.fin), "附件1 公用经费决算数"),
        "report.public_share" => (share(r.and_then(|r| r.public_funds)), "公用经费 ÷ 基本支出（报告数）"),
        "report.three_public" => (display::money(e.basic.three_public.fin), "附件1 \"三公\"经费决算数"),
        "report.project" => (display::money_opt(wb.department.by_nature.project), "附件2 按支出性质分·项目支出"),
        "report.dept_score" => (display::score(e.department.total_score), "附件2 总分"),
        "report.dept_grade" => (e.department.grade.clone(), "附件2 等级"),
        _ => (String::new(), ""),
    }
}

const W_LABEL: Length = Length::FillPortion(3);
const W_VALUE: Length = Length::FillPortion(2);
const W_SOURCE: Length = Length::FillPortion(3);
const W_TOOL: Length = Length::Fixed(56.0);

fn figures(doc: &Document) -> Element<'_, Message> {
    let mut t = Column::new().spacing(0).push(row![
        widgets::header("报告引用的数字", W_LABEL),
        widgets::header("报告所述", W_VALUE),
        widgets::header("表中对应", W_VALUE),
        widgets::header("对应表格", W_SOURCE),
    ]);
    for (r, label, kind) in REPORT_FIGURES {
        let (value, source) = form_value(doc, r);
        let suffix = if kind == Kind::Money { "（万元）" } else { "" };
        t = t.push(row![
            widgets::label(format!("{label}{suffix}"), W_LABEL),
            widgets::cell(doc, loc(r, "amount"), W_VALUE).map(Message::Cell),
            widgets::computed(doc, None, value, W_VALUE),
            widgets::label(source, W_SOURCE),
        ]);
        t = t.push(widgets::row_messages(doc.lines_on_row(Form::A4, None, r)));
    }
    t.into()
}

/// One of the lists: the 项目支出 breakdown, the projects or the counts the report quotes.
fn lines(doc: &Document, list: ReportList) -> Element<'_, Message> {
    let n = len(doc, list);
    let columns = columns(list);
    let width = |c: &str| match c {
        "name" | "source" => W_LABEL,
        "rows" => Length::FillPortion(5),
        _ => W_VALUE,
    };
    let mut head = Row::new();
    for (c, h) in columns {
        head = head.push(widgets::header(*h, width(c)));
    }
    let mut t = Column::new().spacing(0).push(head.push(widgets::header("", W_TOOL)));
    for k in 1..=n {
        let mut line = Row::new();
        for (c, _) in columns {
            line = line.push(widgets::cell(doc, line_loc(list, k, c), width(c)).map(Message::Cell));
        }
        let remove = container(widgets::tool_button("删除", Some(Message::RemoveLine(list, k))))
            .width(W_TOOL)
            .height(Length::Fixed(widgets::ROW_H))
            .align_y(Alignment::Center)
            .style(widgets::label_style);
        // Named by the address the findings on this line use (jump-to-problem).
        t = t.push(container(line.push(remove)).id(line_loc(list, k, "amount").widget_id()));
        if list != ReportList::Breakdown {
            t = t.push(widgets::row_messages(doc.lines_on_row(Form::A4, None, &format!("{}{k}", list.prefix()))));
        }
    }
    if list == ReportList::Breakdown && n > 0 {
        let sum: rust_decimal::Decimal = doc.wb.report.iter().flat_map(|r| &r.breakdown).filter_map(|l| l.amount).sum();
        t = t.push(row![
            widgets::label("明细合计（应等于报告所述项目支出）", W_LABEL),
            widgets::computed(doc, Some(&loc("report.breakdown", "amount")), display::money(sum), W_VALUE),
            widgets::label("", W_LABEL),
            widgets::label("", W_TOOL),
        ]);
        t = t.push(widgets::row_messages(doc.lines_on_row(Form::A4, None, "report.breakdown")));
    }
    let add = match list {
        ReportList::Breakdown => "＋ 新增明细",
        ReportList::Projects => "＋ 新增项目",
        ReportList::Counts => "＋ 新增引用数量",
    };
    t = t.push(container(widgets::tool_button(add, Some(Message::AddLine(list)))).padding(Padding::from([4, 2])));
    t.into()
}

/// The report text: the template in an editor, and beside it the report as it will print.
fn narrative<'a>(doc: &'a Document, editors: &'a Editors) -> Element<'a, Message> {
    let adopted = doc.wb.narrative.is_some();
    let status: Element<'a, Message> = if adopted {
        row![
            text("✓ 已采用：导出PDF时作为附件4附在各表之后。").size(widgets::SMALL).color(widgets::INK),
            iced::widget::space().width(Length::Fill),
            button(text("恢复默认模板").size(widgets::SMALL)).style(button::secondary).padding([3, 10]).on_press(Message::ResetTemplate),
            button(text("不随PDF导出").size(widgets::SMALL)).style(button::secondary).padding([3, 10]).on_press(Message::Adopt(false)),
        ]
        .spacing(8)
        .align_y(Alignment::Center)
        .into()
    } else {
        row![
            text("尚未采用：修改正文或点“采用”后，导出PDF时作为附件4附在各表之后。").size(widgets::SMALL).color(widgets::MUTED),
            iced::widget::space().width(Length::Fill),
            button(text("采用此正文").size(widgets::SMALL)).style(button::primary).padding([3, 10]).on_press(Message::Adopt(true)),
        ]
        .spacing(8)
        .align_y(Alignment::Center)
        .into()
    };
    let names: Vec<String> = crate::narrative::PLACEHOLDERS.iter().map(|(zh, _)| format!("{{{zh}}}")).collect();
    let hint = text(format!("正文中的数字请用占位符，程序按表格填入：{}", names.join(" "))).size(widgets::SMALL).color(widgets::MUTED);

    let template = doc.text(&narrative_loc());
    let rendered = crate::narrative::draft(&template, &doc.wb, &doc.eval);
    let mut preview = Column::new().spacing(6);
    for line in rendered.lines() {
        preview = preview.push(text(line.to_string()).size(widgets::TEXT).color(widgets::INK));
    }
    let editor = column![
        widgets::header("正文模板（可编辑）", Length::Fill),
        widgets::editor(doc, editors, narrative_loc(), 520.0).map(Message::Cell),
    ];
    let preview = column![
        widgets::header("预览（数字取自表格，随表格实时更新）", Length::Fill),
        container(preview).padding(10).width(Length::Fill).style(widgets::plain_cell_style),
    ];
    column![status, hint, row![container(editor).width(Length::FillPortion(1)), container(preview).width(Length::FillPortion(1))].spacing(12)]
        .spacing(6)
        .into()
}

fn view<'a>(doc: &'a Document, editors: &'a Editors) -> Element<'a, Message> {
    let wb = &doc.wb;
    let mut page = Column::new().spacing(0).width(Length::Fill);
    page = page.push(widgets::title_block(
        "附件4",
        format!("{}年度绩效自评报告", wb.year),
        Some("报告中引用的数字与各表自动核对；正文中的数字由程序按表格填入".into()),
    ));
    page = page.push(widgets::section("一、报告引用的主要数字"));
    page = page.push(figures(doc));
    page = page.push(widgets::section("二、项目支出明细"));
    page = page.push(lines(doc, ReportList::Breakdown));
    page = page.push(widgets::section("三、项目自评情况"));
    page = page.push(lines(doc, ReportList::Projects));
    page = page.push(widgets::section("四、报告引用的数量（与对应指标行核对）"));
    page = page.push(lines(doc, ReportList::Counts));
    page = page.push(widgets::section("五、自评报告正文"));
    page = page.push(narrative(doc, editors));
    page.into()
}

//! 附件2 部门整体支出绩效自评表 (forms.md §3): 预算部门名称, 年度预算申请 with its two breakdowns,
//! 年度总体目标, the 绩效指标 grid, 总分, signature line.

use iced::widget::{button, column, container, row, text, Column, Row};
use iced::{Alignment, Element, Length, Padding};

use crate::display;
use crate::engine::{Form, FormEval, Location};
use crate::model::Sources;

use crate::document::cells::FUND_COLUMNS;
use crate::document::Document;
use super::grid;
use super::screen::{self, Ctx, Effect, Page, Room};
use super::widgets::{self, CellMsg, Editors};

#[derive(Debug, Clone)]
pub enum Message {
    Cell(CellMsg),
    Grid(grid::Message),
    ClearStated,
}

fn loc(row: &str, col: &str) -> Location {
    Location::new(Form::A2, None, row, col)
}

fn long_texts() -> Vec<Location> {
    vec![loc("goal", "expected"), loc("goal", "actual")]
}

pub fn update(ctx: &mut Ctx<'_>, msg: Message) -> Effect {
    match msg {
        Message::Cell(c) => screen::handle_cell(ctx, c),
        Message::Grid(g) => grid::update(ctx, Form::A2, None, g),
        Message::ClearStated => {
            ctx.doc.clear_stated(Form::A2, None);
            Effect::None
        }
    }
}

/// 附件2, as the app shows it.
pub struct Department;

impl<M: From<Message> + 'static> Page<M> for Department {
    fn long_texts(&self) -> Vec<Location> {
        long_texts()
    }

    fn cells_in_order(&self, doc: &Document) -> Vec<Location> {
        cells_in_order(doc)
    }

    fn view<'a>(&self, doc: &'a Document, editors: &'a Editors, room: Room) -> Element<'a, M> {
        view(doc, editors, room).map(M::from)
    }
}

/// Input cells in reading order (for Enter → the cell below).
fn cells_in_order(doc: &Document) -> Vec<Location> {
    let mut v = vec![loc("header", "unit")];
    v.extend(FUND_COLUMNS.iter().map(|(c, _)| loc("fund.total", c)));
    v.extend(Sources::ROWS.iter().map(|(id, _)| loc(&format!("source.{id}"), "amount")));
    v.push(loc("nature.basic", "amount"));
    v.push(loc("nature.project", "amount"));
    v.extend(grid::cells_in_order(doc, Form::A2, None));
    v
}

pub const LABEL_W: Length = Length::FillPortion(3);
pub const MONEY_W: Length = Length::FillPortion(2);
pub const SMALL_W: Length = Length::Fixed(90.0);

/// Header of a funds table (附件2 年度预算申请, 附件3 项目资金).
pub fn funds_header<'a, M: 'a>(first: &'a str) -> Element<'a, M> {
    row![
        widgets::header(first, LABEL_W),
        widgets::header("年初预算数", MONEY_W),
        widgets::header("全年预算数", MONEY_W),
        widgets::header("全年执行数", MONEY_W),
        widgets::header("分值", SMALL_W),
        widgets::header("执行率", SMALL_W),
        widgets::header("得分", SMALL_W),
    ]
    .into()
}

/// 分值 / 执行率 / 得分 of the 年度资金总额 row.
pub fn exec_cells<'a, M: 'a>(doc: &'a Document, form: Form, project: Option<usize>, eval: &FormEval) -> [Element<'a, M>; 3] {
    let l = |c: &str| Location::new(form, project, "fund.total", c);
    [
        widgets::computed(doc, None, display::score(eval.exec_weight), SMALL_W),
        widgets::computed(doc, Some(&l("rate")), display::percent(eval.exec_rate), SMALL_W),
        widgets::computed(doc, Some(&l("score")), display::score(eval.exec_score), SMALL_W),
    ]
}

pub fn stated_notice<'a, M: Clone + 'a>(clear: M) -> Element<'a, M> {
    container(
        row![
            text("本表保留了原表填报的得分与合计（仅用于与计算值核对）。核对完毕后可清除，得分以计算为准。")
                .size(widgets::SMALL)
                .color(widgets::MUTED),
            button(text("清除原表填报值").size(widgets::SMALL)).style(button::secondary).padding([2, 8]).on_press(clear),
        ]
        .spacing(10)
        .align_y(Alignment::Center),
    )
    .padding(Padding { top: 6.0, bottom: 0.0, left: 0.0, right: 0.0 })
    .into()
}

/// 年度总体目标: 预期目标 and 实际完成情况 side by side.
pub fn goals<'a>(doc: &'a Document, editors: &'a Editors, form: Form, project: Option<usize>) -> Element<'a, CellMsg> {
    let l = |c: &str| Location::new(form, project, "goal", c);
    let mut col = Column::new().spacing(0);
    col = col.push(row![widgets::header("预期目标", Length::Fill), widgets::header("实际完成情况", Length::Fill)]);
    col = col.push(row![widgets::editor(doc, editors, l("expected"), 120.0), widgets::editor(doc, editors, l("actual"), 120.0)]);
    col = col.push(widgets::row_messages(doc.lines_on_row(form, project, "goal")));
    col.into()
}

fn view<'a>(doc: &'a Document, editors: &'a Editors, room: Room) -> Element<'a, Message> {
    let wb = &doc.wb;
    let eval = &doc.eval.department;
    let mut page = Column::new().spacing(0).width(Length::Fill);
    page = page.push(widgets::title_block("附件2", format!("{}年度部门整体支出绩效自评表", wb.year), None));

    let unit = row![
        text("预算部门名称：").size(widgets::TEXT),
        container(widgets::input_with(doc, loc("header", "unit"), Length::Fill, "例如 汨罗市残疾人联合会").map(Message::Cell))
            .width(Length::Fixed(360.0)),
    ]
    .spacing(8)
    .align_y(Alignment::Center);
    page = page.push(container(unit).padding(Padding { top: 12.0, bottom: 4.0, left: 0.0, right: 0.0 }));
    page = page.push(widgets::row_messages(doc.lines_on_row(Form::A2, None, "header")));

    // 年度预算申请
    page = page.push(widgets::section("一、年度预算申请(万元)"));
    let mut t = Column::new().spacing(0).push(funds_header("年度预算申请"));
    let mut total = Row::new().push(widgets::label("年度资金总额", LABEL_W));
    for (c, _) in FUND_COLUMNS {
        total = total.push(widgets::cell(doc, loc("fund.total", c), MONEY_W).map(Message::Cell));
    }
    for e in exec_cells(doc, Form::A2, None, eval) {
        total = total.push(e);
    }
    t = t.push(total);
    t = t.push(widgets::row_messages(doc.lines_on_row(Form::A2, None, "fund.total")));
    page = page.push(t);

    // The two breakdowns, side by side as on the paper form.
    let money_line = |row_id: String, label: &'a str| -> Element<'a, Message> {
        row![widgets::label(label, Length::FillPortion(3)), widgets::cell(doc, loc(&row_id, "amount"), Length::FillPortion(2)).map(Message::Cell)]
            .into()
    };
    let mut income = Column::new().spacing(0).push(widgets::header("按收入性质分", Length::Fill));
    for (i, (id, label)) in Sources::ROWS.iter().enumerate() {
        let lbl: &'a str = if i == 0 { "其中：一般公共预算" } else { label };
        income = income.push(money_line(format!("source.{id}"), lbl));
    }
    let budget = wb.department.funds.full_year.unwrap_or_default();
    income = income.push(row![
        widgets::label("合计（应等于全年预算数）", Length::FillPortion(3)),
        widgets::computed(doc, None, display::money(eval.income_total), Length::FillPortion(2)),
    ]);
    let mut nature = Column::new()
        .spacing(0)
        .push(widgets::header(format!("按支出性质分：{}", display::money(eval.expend_total)), Length::Fill));
    nature = nature.push(money_line("nature.basic".into(), "其中：基本支出"));
    nature = nature.push(money_line("nature.project".into(), "项目支出"));
    nature = nature.push(row![
        widgets::label("合计（应等于全年执行数）", Length::FillPortion(3)),
        widgets::computed(doc, None, display::money(eval.expend_total), Length::FillPortion(2)),
    ]);
    let _ = budget;
    page = page.push(container(row![income, nature].spacing(16)).padding(Padding { top: 8.0, bottom: 0.0, left: 0.0, right: 0.0 }));
    let mut msgs = Column::new();
    for r in Sources::ROWS.iter().map(|(id, _)| format!("source.{id}")).chain(["nature.basic".to_string(), "nature.project".to_string()]) {
        msgs = msgs.push(widgets::row_messages(doc.lines_on_row(Form::A2, None, &r)));
    }
    page = page.push(msgs);

    page = page.push(widgets::section("二、年度总体目标"));
    page = page.push(goals(doc, editors, Form::A2, None).map(Message::Cell));

    page = page.push(widgets::section("三、绩效指标"));
    let widths = grid::Widths::for_grid(room.width, crate::document::cells::indicators(&doc.wb, Form::A2, None).into_iter().flatten().map(|r| r.name.as_str()));
    page = page.push(grid::view(doc, Form::A2, None, eval, widths).map(Message::Grid));
    page = page.push(grid::total_row(doc, Form::A2, None, eval, widths));
    // A slot either way, so the footer's inputs after it keep their place in the widget tree.
    page = page.push(if doc.has_stated(Form::A2, None) { stated_notice(Message::ClearStated) } else { iced::widget::space().into() });
    page = page.push(widgets::footer(doc).map(Message::Cell));
    column![page].into()
}

//! 附件3 项目支出绩效自评表 (forms.md §4), one per project: 项目支出名称 / 主管部门 / 实施单位,
//! 项目资金 (年度资金总额 = Σ of 当年财政拨款, 上年结转资金, 其他资金), 年度总体目标, the 绩效指标
//! grid, 总分, signature line; duplicate or delete the project.

use iced::widget::{button, container, row, text, Column, Row};
use iced::{Alignment, Element, Length, Padding};

use crate::display;
use crate::engine::{Form, Location};

use crate::document::cells::FUND_COLUMNS;
use super::department::{exec_cells, funds_header, goals, stated_notice, LABEL_W, MONEY_W, SMALL_W};
use crate::document::Document;
use super::grid;
use super::screen::{self, Ctx, Effect, Page, Room};
use super::widgets::{self, CellMsg, Editors};

#[derive(Debug, Clone)]
pub enum Message {
    Cell(CellMsg),
    Grid(grid::Message),
    ClearStated,
    Duplicate,
    Delete,
    /// Focus the name field (项目支出名称 is the project's name).
    Rename,
}

fn loc(p: usize, row: &str, col: &str) -> Location {
    Location::new(Form::A3, Some(p), row, col)
}

fn long_texts(p: usize) -> Vec<Location> {
    vec![loc(p, "goal", "expected"), loc(p, "goal", "actual")]
}

pub fn update(ctx: &mut Ctx<'_>, p: usize, msg: Message) -> Effect {
    match msg {
        Message::Cell(c) => screen::handle_cell(ctx, c),
        Message::Grid(g) => grid::update(ctx, Form::A3, Some(p), g),
        Message::ClearStated => {
            ctx.doc.clear_stated(Form::A3, Some(p));
            Effect::None
        }
        Message::Duplicate => match ctx.doc.duplicate_project(p) {
            Some(q) => Effect::Go(screen::Screen::Project(q)),
            None => Effect::None,
        },
        Message::Delete => Effect::ConfirmDeleteProject(p),
        Message::Rename => Effect::Focus(loc(p, "header", "name")),
    }
}

/// 附件3 of project `.0`, as the app shows it.
pub struct Project(pub usize);

impl<M: From<Message> + 'static> Page<M> for Project {
    fn long_texts(&self) -> Vec<Location> {
        long_texts(self.0)
    }

    fn cells_in_order(&self, doc: &Document) -> Vec<Location> {
        cells_in_order(doc, self.0)
    }

    fn view<'a>(&self, doc: &'a Document, editors: &'a Editors, room: Room) -> Element<'a, M> {
        view(doc, editors, self.0, room).map(M::from)
    }
}

const SOURCES: [&str; 3] = ["current_approp", "carry_over", "other"];

fn cells_in_order(doc: &Document, p: usize) -> Vec<Location> {
    let mut v: Vec<Location> = ["name", "competent_dept", "implementer"].iter().map(|c| loc(p, "header", c)).collect();
    for s in SOURCES {
        v.extend(FUND_COLUMNS.iter().map(|(c, _)| loc(p, &format!("fund.{s}"), c)));
    }
    v.extend(grid::cells_in_order(doc, Form::A3, Some(p)));
    v
}

fn view<'a>(doc: &'a Document, editors: &'a Editors, p: usize, room: Room) -> Element<'a, Message> {
    let wb = &doc.wb;
    let Some((project, eval)) = wb.projects.get(p).zip(doc.eval.projects.get(p)) else {
        return text("此项目已删除").into();
    };
    let mut page = Column::new().spacing(0).width(Length::Fill);
    page = page.push(widgets::title_block("附件3", format!("{}年度项目支出绩效自评表", wb.year), None));

    let tools = row![
        text(format!("第 {} / {} 个项目", p + 1, wb.projects.len())).size(widgets::SMALL).color(widgets::MUTED),
        iced::widget::space().width(Length::Fill),
        button(text("重命名").size(widgets::SMALL)).style(button::secondary).padding([3, 10]).on_press(Message::Rename),
        button(text("复制本项目").size(widgets::SMALL)).style(button::secondary).padding([3, 10]).on_press(Message::Duplicate),
        button(text("删除本项目").size(widgets::SMALL)).style(button::danger).padding([3, 10]).on_press(Message::Delete),
    ]
    .spacing(8)
    .align_y(Alignment::Center);
    page = page.push(container(tools).padding(Padding { top: 6.0, bottom: 6.0, left: 0.0, right: 0.0 }));

    // Header: three labelled inputs in one table row.
    let head = row![
        widgets::label("项目支出名称", Length::Fixed(110.0)),
        widgets::cell(doc, loc(p, "header", "name"), Length::FillPortion(3)).map(Message::Cell),
        widgets::label("主管部门", Length::Fixed(80.0)),
        widgets::cell(doc, loc(p, "header", "competent_dept"), Length::FillPortion(2)).map(Message::Cell),
        widgets::label("实施单位", Length::Fixed(80.0)),
        widgets::cell(doc, loc(p, "header", "implementer"), Length::FillPortion(2)).map(Message::Cell),
    ];
    page = page.push(container(head).padding(Padding { top: 6.0, bottom: 0.0, left: 0.0, right: 0.0 }));
    page = page.push(widgets::row_messages(doc.lines_on_row(Form::A3, Some(p), "header")));

    // 项目资金
    page = page.push(widgets::section("一、项目资金(万元)"));
    let mut t = Column::new().spacing(0).push(funds_header("项目资金"));
    let totals = [eval.funds.initial, eval.funds.full_year, eval.funds.executed];
    let mut total = Row::new().push(widgets::label("年度资金总额", LABEL_W));
    for ((c, _), v) in FUND_COLUMNS.iter().zip(totals) {
        total = total.push(widgets::computed(doc, Some(&loc(p, "fund.total", c)), display::money(v), MONEY_W));
    }
    for e in exec_cells(doc, Form::A3, Some(p), eval) {
        total = total.push(e);
    }
    t = t.push(total);
    t = t.push(widgets::row_messages(doc.lines_on_row(Form::A3, Some(p), "fund.total")));
    for (id, label, f) in project.sources() {
        let row_id = format!("fund.{id}");
        let mut r = Row::new().push(widgets::label(label, LABEL_W));
        for (c, _) in FUND_COLUMNS {
            r = r.push(widgets::cell(doc, loc(p, &row_id, c), MONEY_W).map(Message::Cell));
        }
        let rate = match (f.executed, f.full_year) {
            (Some(e), Some(b)) if !b.is_zero() => Some(e / b),
            _ => None,
        };
        let rate_text = if f.executed.is_none() && f.full_year.is_none() { String::new() } else { display::percent(rate) };
        r = r.push(widgets::computed(doc, None, String::new(), SMALL_W));
        r = r.push(widgets::computed(doc, None, rate_text, SMALL_W));
        r = r.push(widgets::computed(doc, None, String::new(), SMALL_W));
        t = t.push(r);
        t = t.push(widgets::row_messages(doc.lines_on_row(Form::A3, Some(p), &row_id)));
    }
    page = page.push(t);

    page = page.push(widgets::section("二、年度总体目标"));
    page = page.push(goals(doc, editors, Form::A3, Some(p)).map(Message::Cell));

    page = page.push(widgets::section("三、绩效指标"));
    let widths = grid::Widths::for_grid(room.width, crate::document::cells::indicators(&doc.wb, Form::A3, Some(p)).into_iter().flatten().map(|r| r.name.as_str()));
    page = page.push(grid::view(doc, Form::A3, Some(p), eval, widths).map(Message::Grid));
    page = page.push(grid::total_row(doc, Form::A3, Some(p), eval, widths));
    // A slot either way, so the footer's inputs after it keep their place in the widget tree.
    page = page.push(if doc.has_stated(Form::A3, Some(p)) { stated_notice(Message::ClearStated) } else { iced::widget::space().into() });
    page = page.push(widgets::footer(doc).map(Message::Cell));
    page.into()
}

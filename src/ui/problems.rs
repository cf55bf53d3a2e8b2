//! 问题清单: every finding with its severity, rule ID, location and message. Activating one jumps
//! to its screen and focuses the cell.
//!
//! A big workbook has thousands of findings: the list is built for the rows in view only (rows
//! have one fixed height; spaces stand for the rest), so opening it and each wheel step cost the
//! same with 50 findings or 5,000.

use iced::widget::{button, column, container, row, scrollable, text, Column, Row};
use iced::{Alignment, Element, Length, Padding};

use crate::engine::{Finding, Form, Location, Severity};
use crate::model::Workbook;

use crate::document::cells;
use crate::document::Document;
use super::screen::{Effect, Page, Room};
use super::widgets::{self, Editors};

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Filter(Option<Severity>),
    /// Jump to the finding with this index in the evaluation.
    Jump(usize),
    /// The list was scrolled or resized: its offset from the top and its visible height.
    Scrolled { offset: f32, height: f32 },
}

/// The id of the list's scrollable.
pub const LIST_ID: &str = "problems-list";

/// From this room width on the list shows the rule codes in a column of their own.
const RULE_COLUMN_FROM: f32 = 1000.0;

/// Every row of the list is this tall (two lines of location, up to two of message).
pub const ROW_HEIGHT: f32 = 50.0;

/// What 问题清单 keeps between messages: which severity it lists (all when `None`), and the part
/// of the list in view (the visible height `None` until the list reports it: the room is used).
#[derive(Debug, Clone, Copy, Default)]
pub struct State {
    pub filter: Option<Severity>,
    pub offset: f32,
    pub height: Option<f32>,
}

impl State {
    pub fn update(&mut self, doc: &Document, msg: Message) -> Effect {
        match msg {
            Message::Filter(f) => {
                self.filter = f;
                self.offset = 0.0;
                Effect::ScrollToStart(LIST_ID)
            }
            Message::Scrolled { offset, height } => {
                self.offset = offset;
                self.height = Some(height);
                Effect::None
            }
            Message::Jump(i) => doc.eval.findings.get(i).map_or(Effect::None, |f| Effect::Show(f.location.clone())),
        }
    }
}

impl<M: From<Message> + 'static> Page<M> for State {
    fn scrolls_itself(&self) -> bool {
        true
    }

    fn view<'a>(&self, doc: &'a Document, _: &'a Editors, room: Room) -> Element<'a, M> {
        view(doc, *self, room).map(M::from)
    }
}

/// The rows to build for a list of `len` rows scrolled `offset` down a view `height` tall: those
/// in view and one more on each side.
pub fn visible_rows(len: usize, offset: f32, height: f32) -> std::ops::Range<usize> {
    let first = ((offset.max(0.0) / ROW_HEIGHT).floor() as usize).saturating_sub(1).min(len);
    let count = (height.max(0.0) / ROW_HEIGHT).ceil() as usize + 3;
    first..(first + count).min(len)
}

/// Where a cell is, in words: "附件3「残疾人就业保障金」 第17行实际完成值".
pub fn describe(wb: &Workbook, loc: &Location) -> String {
    let form = match (loc.form, loc.project) {
        (Form::A3, Some(p)) => {
            let name = wb.projects.get(p).map(|p| p.name.trim().to_string()).unwrap_or_default();
            format!("附件3「{}」", if name.is_empty() { format!("项目{}", p + 1) } else { name })
        }
        (Form::A4, _) => "附件4 自评报告".to_string(),
        (f, _) if loc.row == "footer" => {
            let _ = f;
            "表尾".to_string()
        }
        (f, _) => f.label().to_string(),
    };
    let cell = match cells::kind(loc) {
        Some((_, label)) => label,
        None => {
            let r = loc.row.as_str();
            match (r, loc.column.as_str()) {
                (r, _) if r.starts_with("cat:") => format!("{} 分值合计", &r[4..]),
                ("total", "weight") => "总分（分值）".into(),
                ("total", "score") => "总分（得分）".into(),
                ("fund.total", "rate") => "执行率".into(),
                ("fund.total", "score") => "执行率得分".into(),
                ("fund.total", c) => format!("年度资金总额 {}", cells::FUND_COLUMNS.iter().find(|(x, _)| *x == c).map_or(c, |(_, l)| l)),
                ("staff", "control_rate") => "控制率".into(),
                (r, c) if r.starts_with("building#") => format!("楼堂馆所第{}行 {}", &r[9..], if c == "scale_rate" { "规模控制率" } else { "投资概算控制率" }),
                (r, c) if r.starts_with('E') => {
                    let col = cells::ROW3_COLUMNS.iter().find(|(x, _)| *x == c).map_or(c, |(_, l)| l);
                    format!("{r} {col}")
                }
                (r, c) if r.starts_with("ind#") => format!("第{}行 {c}", &r[4..]),
                (r, _) if r.starts_with("report.") => r["report.".len()..].to_string(),
                (r, c) => format!("{r}.{c}"),
            }
        }
    };
    format!("{form} · {cell}")
}

fn badge<'a>(sev: Severity) -> Element<'a, Message> {
    container(text(format!("{} {}", widgets::severity_mark(sev), sev.label())).size(widgets::SMALL).color(widgets::severity_color(sev)))
        .width(Length::Fixed(64.0))
        .into()
}

fn filter_button<'a>(label: String, value: Option<Severity>, current: Option<Severity>) -> Element<'a, Message> {
    let style = if value == current { button::primary } else { button::secondary };
    button(text(label).size(widgets::SMALL)).style(style).padding([4, 12]).on_press(Message::Filter(value)).into()
}

fn view(doc: &Document, state: State, room: Room) -> Element<'_, Message> {
    let idx = &doc.index;
    let filters = row![
        filter_button(format!("全部 {}", doc.eval.findings.len()), None, state.filter),
        filter_button(format!("错误 {}", idx.total.errors), Some(Severity::Error), state.filter),
        filter_button(format!("警告 {}", idx.total.warnings), Some(Severity::Warning), state.filter),
        filter_button(format!("提示 {}", idx.total.infos), Some(Severity::Info), state.filter),
    ]
    .spacing(8);

    // Where the room is short (a zoom, a small screen) the rule codes give their column to the
    // location and message (the codes stay in tooltips, `zipin check` and the JSON).
    let with_rule = room.width >= RULE_COLUMN_FROM;
    let head = Row::new()
        .push(widgets::header("级别", Length::Fixed(64.0)))
        .push(if with_rule { widgets::header("规则", Length::Fixed(190.0)) } else { iced::widget::space().width(0).into() })
        .push(widgets::header("位置", Length::FillPortion(3)))
        .push(widgets::header("说明", Length::FillPortion(5)))
    // Over the list's scroll bar.
    .padding(Padding { right: 10.0, ..Padding::ZERO });
    // The findings listed, by their index in the evaluation; only those in view are built.
    let listed: Vec<usize> = doc.eval.findings.iter().enumerate().filter(|(_, f)| state.filter.is_none_or(|s| s == f.severity)).map(|(i, _)| i).collect();
    let shown = visible_rows(listed.len(), state.offset, state.height.unwrap_or(room.height));
    let mut rows = Column::new().spacing(0).push(iced::widget::space().height(shown.start as f32 * ROW_HEIGHT));
    for &i in &listed[shown.clone()] {
        rows = rows.push(item(doc, i, &doc.eval.findings[i], with_rule));
    }
    rows = rows.push(iced::widget::space().height((listed.len() - shown.end) as f32 * ROW_HEIGHT));
    let list: Element<'_, Message> = if listed.is_empty() {
        container(text("没有问题。").size(widgets::TEXT).color(widgets::MUTED)).padding(12).into()
    } else {
        scrollable(rows)
            .id(LIST_ID)
            .height(Length::Fill)
            .on_scroll(|v| Message::Scrolled { offset: v.absolute_offset().y, height: v.bounds().height })
            .into()
    };

    column![
        widgets::title_block("", "问题清单".to_string(), Some("点击任一问题，跳转到对应表格并定位到该单元格".into())),
        container(filters).padding(Padding { top: 12.0, bottom: 8.0, left: 0.0, right: 0.0 }),
        head,
        list,
    ]
    .spacing(0)
    .height(Length::Fill)
    .into()
}

fn item<'a>(doc: &'a Document, i: usize, f: &'a Finding, with_rule: bool) -> Element<'a, Message> {
    let content = row![
        badge(f.severity),
        if with_rule { container(text(f.rule.as_str()).size(widgets::SMALL).color(widgets::MUTED)).width(Length::Fixed(190.0)) } else { container(iced::widget::space()).width(0) },
        column![
            text(describe(&doc.wb, &f.location)).size(widgets::SMALL),
            text(f.location.widget_id()).size(widgets::SMALL - 1.0).color(widgets::MUTED),
        ]
        .width(Length::FillPortion(3)),
        container(text(f.message.as_str()).size(widgets::TEXT)).width(Length::FillPortion(5)),
    ]
    .spacing(0)
    .align_y(Alignment::Center);
    // No rule between rows: every quad on the list is drawn again for each damaged part of the
    // window at each wheel step (a 0.5 px border per row tripled the CPU a step costs, a 1 px
    // rule doubled it); the hover tint marks the row under the pointer.
    button(content)
        .width(Length::Fill)
        .height(Length::Fixed(ROW_HEIGHT))
        .padding(Padding::from([5, 6]))
        .style(|t, s| {
            let mut st = button::text(t, s);
            if matches!(s, button::Status::Hovered) {
                st.background = Some(widgets::HEADER_BG.into());
            }
            st
        })
        .on_press(Message::Jump(i))
        .into()
}

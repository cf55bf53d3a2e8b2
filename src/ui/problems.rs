//! 问题清单: every finding with its severity, rule ID, location and message. Activating one jumps
//! to its screen and focuses the cell.

use iced::widget::{button, column, container, row, text, Column};
use iced::{Alignment, Element, Length, Padding};

use crate::engine::{Finding, Form, Location, Severity};
use crate::model::Workbook;

use crate::document::cells;
use crate::document::Document;
use super::screen::{Effect, Page};
use super::widgets::{self, Editors};

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Filter(Option<Severity>),
    /// Jump to the finding with this index in the evaluation.
    Jump(usize),
}

/// What 问题清单 keeps between messages: which severity it lists (all when `None`).
#[derive(Debug, Clone, Copy, Default)]
pub struct State {
    pub filter: Option<Severity>,
}

impl State {
    pub fn update(&mut self, doc: &Document, msg: Message) -> Effect {
        match msg {
            Message::Filter(f) => {
                self.filter = f;
                Effect::None
            }
            Message::Jump(i) => doc.eval.findings.get(i).map_or(Effect::None, |f| Effect::Show(f.location.clone())),
        }
    }
}

impl<M: From<Message> + 'static> Page<M> for State {
    fn view<'a>(&self, doc: &'a Document, _: &'a Editors) -> Element<'a, M> {
        view(doc, *self).map(M::from)
    }
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

fn view(doc: &Document, state: State) -> Element<'_, Message> {
    let idx = &doc.index;
    let filters = row![
        filter_button(format!("全部 {}", doc.eval.findings.len()), None, state.filter),
        filter_button(format!("错误 {}", idx.total.errors), Some(Severity::Error), state.filter),
        filter_button(format!("警告 {}", idx.total.warnings), Some(Severity::Warning), state.filter),
        filter_button(format!("提示 {}", idx.total.infos), Some(Severity::Info), state.filter),
    ]
    .spacing(8);

    let mut list = Column::new().spacing(0);
    list = list.push(row![
        widgets::header("级别", Length::Fixed(64.0)),
        widgets::header("规则", Length::Fixed(190.0)),
        widgets::header("位置", Length::FillPortion(3)),
        widgets::header("说明", Length::FillPortion(5)),
    ]);
    let mut shown = 0;
    for (i, f) in doc.eval.findings.iter().enumerate() {
        if state.filter.is_some_and(|s| s != f.severity) {
            continue;
        }
        shown += 1;
        list = list.push(item(doc, i, f));
    }
    if shown == 0 {
        list = list.push(container(text("没有问题。").size(widgets::TEXT).color(widgets::MUTED)).padding(12));
    }

    column![
        widgets::title_block("", "问题清单".to_string(), Some("点击任一问题，跳转到对应表格并定位到该单元格".into())),
        container(filters).padding(Padding { top: 12.0, bottom: 8.0, left: 0.0, right: 0.0 }),
        list,
    ]
    .spacing(0)
    .into()
}

fn item<'a>(doc: &'a Document, i: usize, f: &'a Finding) -> Element<'a, Message> {
    let content = row![
        badge(f.severity),
        container(text(f.rule.as_str()).size(widgets::SMALL).color(widgets::MUTED)).width(Length::Fixed(190.0)),
        column![
            text(describe(&doc.wb, &f.location)).size(widgets::SMALL),
            text(f.location.widget_id()).size(widgets::SMALL - 1.0).color(widgets::MUTED),
        ]
        .width(Length::FillPortion(3)),
        container(text(f.message.as_str()).size(widgets::TEXT)).width(Length::FillPortion(5)),
    ]
    .spacing(0)
    .align_y(Alignment::Center);
    button(content)
        .width(Length::Fill)
        .padding(Padding::from([5, 6]))
        .style(|t, s| {
            let mut st = button::text(t, s);
            st.border = iced::Border { color: widgets::GRID, width: 0.5, radius: 0.0.into() };
            if matches!(s, button::Status::Hovered) {
                st.background = Some(widgets::HEADER_BG.into());
            }
            st
        })
        .on_press(Message::Jump(i))
        .into()
}

//! 导出: which forms, which projects, draft or final — the choice `zipin export` takes as
//! `--forms`, `--projects` and `--final`, remembered per draft (`Workbook::export`) — and the
//! format: PDF, Word (.docx) or Excel (.xlsx), the output's extension in `zipin export`.
//!
//! Its own state, `Message`, `update` and `view`; the app shows it as a dialog before the file
//! chooser.

use iced::widget::{button, checkbox, column, container, row, scrollable, text, Column};
use iced::{Element, Length};

use crate::model::{ExportChoice, Workbook};

use super::app::ExportKind;
use super::widgets;

/// The picker's state: one tick per form of the filing and per project.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// (form number, label, ticked) for the forms the filing comprises.
    pub forms: Vec<(u8, &'static str, bool)>,
    /// (project name, ticked).
    pub projects: Vec<(String, bool)>,
    pub final_copy: bool,
    /// Errors that would refuse a final copy.
    pub errors: usize,
    pub error: Option<String>,
    /// The format: PDF, Word or Excel (the file chooser's filter and the proposed name's ending).
    pub kind: ExportKind,
}

impl State {
    /// From the draft's remembered choice (every form and project the first time).
    pub fn new(wb: &Workbook, errors: usize, kind: ExportKind) -> State {
        let c = &wb.export;
        let label = |n: u8| match n {
            1 => "附件1 部门整体支出绩效评价基础数据表",
            2 => "附件2 部门整体支出绩效自评表",
            3 => "附件3 项目支出绩效自评表",
            _ => "附件4 自评报告（已采用时）",
        };
        let forms = wb.scope.forms().into_iter().map(|n| (n, label(n), c.forms.is_empty() || c.forms.contains(&n))).collect();
        let projects = wb
            .projects
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name.trim().to_string(), c.projects.as_ref().is_none_or(|l| l.contains(&i))))
            .collect();
        State { forms, projects, final_copy: c.final_copy, errors, error: None, kind }
    }

    /// The choice, or why it prints nothing.
    pub fn choice(&self) -> Result<ExportChoice, String> {
        let forms: Vec<u8> = self.forms.iter().filter(|(_, _, on)| *on).map(|(n, _, _)| *n).collect();
        if forms.is_empty() {
            return Err("请至少选择一张表".into());
        }
        let projects: Vec<usize> = self.projects.iter().enumerate().filter(|(_, (_, on))| *on).map(|(i, _)| i).collect();
        if forms == [3] && projects.is_empty() {
            return Err("请至少选择一个项目".into());
        }
        if self.final_copy && self.errors > 0 {
            return Err(format!("还有 {} 个错误，不能导出正式版；改正后再导出，或导出草稿（带“草稿”水印）", self.errors));
        }
        let all_forms = forms.len() == self.forms.len();
        let all_projects = projects.len() == self.projects.len();
        Ok(ExportChoice {
            forms: if all_forms { Vec::new() } else { forms },
            projects: if all_projects { None } else { Some(projects) },
            final_copy: self.final_copy,
        })
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Form(u8, bool),
    Project(usize, bool),
    Final(bool),
    Kind(ExportKind),
    Go,
    Cancel,
}

pub enum Outcome {
    Go(ExportChoice),
    Cancel,
}

pub fn update(state: &mut State, message: Message) -> Option<Outcome> {
    match message {
        Message::Form(n, on) => {
            if let Some(f) = state.forms.iter_mut().find(|(x, _, _)| *x == n) {
                f.2 = on;
            }
        }
        Message::Project(i, on) => {
            if let Some(p) = state.projects.get_mut(i) {
                p.1 = on;
            }
        }
        Message::Final(on) => state.final_copy = on,
        Message::Kind(k) => state.kind = k,
        Message::Go => {
            return match state.choice() {
                Ok(c) => Some(Outcome::Go(c)),
                Err(e) => {
                    state.error = Some(e);
                    None
                }
            }
        }
        Message::Cancel => return Some(Outcome::Cancel),
    }
    state.error = None;
    None
}

pub fn view(state: &State) -> Element<'_, Message> {
    // The format, the one chosen in the tool bar marked: 导出PDF… / 导出Word… / 导出Excel….
    let kinds = [(ExportKind::Pdf, "导出PDF…"), (ExportKind::Docx, "导出Word…"), (ExportKind::Xlsx, "导出Excel…")];
    let mut formats = row![].spacing(6);
    for (k, label) in kinds {
        let style = if state.kind == k { button::primary } else { button::secondary };
        formats = formats.push(button(text(label).size(widgets::TEXT)).style(style).padding([4, 12]).on_press(Message::Kind(k)));
    }
    let format_note = match state.kind {
        ExportKind::Pdf => "PDF：打印、签字盖章",
        ExportKind::Docx => "Word：表格和自评报告可在 Word / WPS 中继续编辑",
        ExportKind::Xlsx => "Excel：数字为数值，可再计算",
    };
    column![
        text("导出").size(widgets::SECTION + 1.0),
        text("格式").size(widgets::SMALL).color(widgets::MUTED),
        formats,
        text(format_note).size(widgets::SMALL).color(widgets::MUTED),
        choices(state),
        container(
            row![
                button(text("取消").size(widgets::TEXT)).style(button::secondary).padding([6, 16]).on_press(Message::Cancel),
                button(text("选择位置并导出…").size(widgets::TEXT)).style(button::primary).padding([6, 16]).on_press(Message::Go),
            ]
            .spacing(10)
        )
        .align_right(Length::Fill),
    ]
    .spacing(10)
    .into()
}

/// The choice itself — forms, projects, draft or final, and why it cannot be made — without the
/// title and buttons (the 打印… dialog shows it too).
pub fn choices(state: &State) -> Column<'_, Message> {
    let mut forms = Column::new().spacing(6);
    for &(n, label, on) in &state.forms {
        forms = forms.push(checkbox(on).label(label).on_toggle(move |b| Message::Form(n, b)).text_size(widgets::TEXT));
    }
    let with_projects = state.forms.iter().any(|(n, _, on)| *n == 3 && *on);
    let mut projects = Column::new().spacing(4);
    for (i, (name, on)) in state.projects.iter().enumerate() {
        let name = if name.is_empty() { format!("项目{}", i + 1) } else { name.clone() };
        projects = projects.push(
            checkbox(*on)
                .label(format!("{}. {name}", i + 1))
                .on_toggle_maybe(with_projects.then_some(move |b| Message::Project(i, b)))
                .text_size(widgets::TEXT),
        );
    }
    let final_note = if state.errors > 0 {
        format!("正式版（不带水印；还有 {} 个错误，须先改正）", state.errors)
    } else {
        "正式版（不带水印）".to_string()
    };
    let error: Element<'_, Message> = match &state.error {
        Some(e) => text(e.as_str()).size(widgets::SMALL).color(widgets::ERROR).into(),
        None => text("").size(widgets::SMALL).into(),
    };
    column![
        text("表").size(widgets::SMALL).color(widgets::MUTED),
        forms,
        text("项目").size(widgets::SMALL).color(widgets::MUTED),
        scrollable(projects).height(Length::Shrink).height(Length::Fixed(160.0_f32.min(24.0 * state.projects.len().max(1) as f32))),
        checkbox(state.final_copy).label(final_note).on_toggle(Message::Final).text_size(widgets::TEXT),
        error,
    ]
    .spacing(10)
}

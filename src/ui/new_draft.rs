//! 新建: a short guided start — 年度, 单位名称, 评价规则 (built-in profiles and the user's own),
//! 填报范围, and the names of the projects — instead of a silent Hunan-2023 draft. The same form,
//! reduced to 评价规则 and 填报范围, changes them for the open draft (the status bar's 评价规则 button).
//!
//! Its own state, `Message`, `update` and `view`; the app shows it as a dialog and opens the
//! workbook (or applies the rules) [`update`] returns.

use iced::widget::{button, checkbox, column, container, pick_list, row, text, text_input};
use iced::{Alignment, Element, Length};

use crate::model::{Scope, Workbook};
use crate::profile::Profile;

use super::widgets;

/// A rule profile the user can pick, shown by its name (which says what it weights) and id.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The id or path `Profile::resolve` takes.
    pub key: String,
    pub label: String,
}

impl std::fmt::Display for Choice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

/// The profiles on offer: the built-in ones, then `*.ron` in the user's profiles folder.
pub fn choices() -> Vec<Choice> {
    let mut out: Vec<Choice> = Profile::builtin_ids()
        .into_iter()
        .filter_map(Profile::builtin)
        .map(|p| Choice { label: format!("{}（{}）", p.name, p.id), key: p.id })
        .collect();
    if let Some(dir) = crate::profile::user_profile_dir() {
        let mut files: Vec<_> = std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
        files.sort();
        for path in files.into_iter().filter(|p| p.extension().is_some_and(|e| e == "ron")) {
            if let Ok(p) = Profile::load(&path) {
                out.retain(|c| c.key != p.id);
                out.push(Choice { label: format!("{}（{}，自定义）", p.name, p.id), key: path.display().to_string() });
            }
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub year: String,
    pub unit: String,
    pub choices: Vec<Choice>,
    pub profile: Option<Choice>,
    pub department: bool,
    pub projects: bool,
    pub report: bool,
    /// Project names, separated by 、，; or new lines.
    pub project_names: String,
    pub error: Option<String>,
    /// Changing the open draft's rules and scope, not making a new draft.
    pub settings: bool,
}

impl State {
    /// Starts from the open draft's unit and profile, for last year (the year a filing evaluates).
    pub fn new(current: &Workbook) -> State {
        let choices = choices();
        let profile = choices.iter().find(|c| c.key == current.profile_id).or(choices.first()).cloned();
        let year = chrono::Datelike::year(&chrono::Local::now().date_naive()) - 1;
        State {
            year: year.to_string(),
            unit: current.unit.trim().to_string(),
            choices,
            profile,
            department: true,
            projects: true,
            report: true,
            project_names: String::new(),
            error: None,
            settings: false,
        }
    }

    /// The form for the open draft's 评价规则 and 填报范围.
    pub fn settings(current: &Workbook) -> State {
        let mut s = State::new(current);
        s.settings = true;
        s.department = current.scope.department;
        s.projects = current.scope.projects;
        s.report = current.scope.report;
        s
    }

    /// The chosen profile and scope, or why not.
    pub fn rules(&self) -> Result<(Profile, Scope), String> {
        let scope = self.scope();
        if !scope.department && !scope.projects {
            return Err("请至少选择部门整体或项目中的一项".into());
        }
        let choice = self.profile.as_ref().ok_or("请选择评价规则")?;
        Ok((Profile::resolve(&choice.key).map_err(|e| e.to_string())?, scope))
    }

    fn scope(&self) -> Scope {
        Scope { department: self.department, projects: self.projects, report: self.department && self.report }
    }

    /// The new workbook, or why not.
    pub fn build(&self) -> Result<Workbook, String> {
        let year: u16 = self.year.trim().parse().ok().filter(|y| (2000..=2100).contains(y)).ok_or("年度应为2000–2100之间的年份")?;
        if self.unit.trim().is_empty() {
            return Err("请填写单位名称".into());
        }
        let (profile, scope) = self.rules()?;
        let mut wb = Workbook { scope, ..Workbook::empty(&self.unit, year, &profile) };
        if scope.projects {
            for name in self.project_names.split(['、', '，', ',', ';', '；', '\n']).map(str::trim).filter(|n| !n.is_empty()) {
                let mut p = Workbook::new_project(&profile, name);
                p.competent_dept = wb.unit.clone();
                p.implementer = wb.unit.clone();
                wb.projects.push(p);
            }
        }
        Ok(wb)
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Year(String),
    Unit(String),
    Profile(Choice),
    Department(bool),
    Projects(bool),
    Report(bool),
    ProjectNames(String),
    Create,
    Cancel,
}

/// What the dialog asks of the app.
#[derive(Debug, Clone)]
pub enum Outcome {
    Create(Box<Workbook>),
    /// Settings mode: score the open draft with this profile, file these forms.
    Apply(Box<Profile>, Scope),
    Cancel,
}

pub fn update(state: &mut State, message: Message) -> Option<Outcome> {
    match message {
        Message::Year(s) => state.year = s,
        Message::Unit(s) => state.unit = s,
        Message::Profile(c) => state.profile = Some(c),
        Message::Department(b) => state.department = b,
        Message::Projects(b) => state.projects = b,
        Message::Report(b) => state.report = b,
        Message::ProjectNames(s) => state.project_names = s,
        Message::Create if state.settings => {
            return match state.rules() {
                Ok((p, scope)) => Some(Outcome::Apply(Box::new(p), scope)),
                Err(e) => {
                    state.error = Some(e);
                    None
                }
            }
        }
        Message::Create => {
            return match state.build() {
                Ok(wb) => Some(Outcome::Create(Box::new(wb))),
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
    let label = |s: &'static str| text(s).size(widgets::TEXT).width(Length::Fixed(84.0));
    let field = |l: &'static str, e: Element<'static, Message>| row![label(l), e].spacing(8).align_y(Alignment::Center);
    let year = text_input("如 2024", &state.year).on_input(Message::Year).on_submit(Message::Create).padding(5).width(Length::Fixed(100.0));
    let unit = text_input("预算部门名称，如 某某市残疾人联合会", &state.unit).on_input(Message::Unit).on_submit(Message::Create).padding(5);
    let profile = pick_list(state.choices.clone(), state.profile.clone(), Message::Profile).text_size(widgets::TEXT).width(Length::Fill);
    let scope = column![
        checkbox(state.department).label("部门整体（附件1 基础数据表、附件2 整体支出自评表）").on_toggle(Message::Department).text_size(widgets::TEXT),
        checkbox(state.department && state.report)
            .label("自评报告（附件4，随部门整体）")
            .on_toggle_maybe(state.department.then_some(Message::Report))
            .text_size(widgets::TEXT),
        checkbox(state.projects).label("项目（附件3，每个项目一张）").on_toggle(Message::Projects).text_size(widgets::TEXT),
    ]
    .spacing(6);
    let names = text_input("项目名称，多个用顿号分隔，如 残疾人就业保障金、康复救助", &state.project_names)
        .on_input_maybe(state.projects.then_some(Message::ProjectNames as fn(String) -> Message))
        .on_submit(Message::Create)
        .padding(5);
    let error: Element<'_, Message> = match &state.error {
        Some(e) => text(e.as_str()).size(widgets::SMALL).color(widgets::ERROR).into(),
        None => text("").size(widgets::SMALL).into(),
    };
    let buttons = row![
        button(text("取消").size(widgets::TEXT)).style(button::secondary).padding([6, 16]).on_press(Message::Cancel),
        button(text(if state.settings { "应用" } else { "创建" }).size(widgets::TEXT)).style(button::primary).padding([6, 16]).on_press(Message::Create),
    ]
    .spacing(10);
    if state.settings {
        return column![
            text("评价规则与填报范围").size(widgets::SECTION + 1.0),
            field("评价规则", profile.into()),
            row![label("填报范围"), scope].spacing(8),
            text("改变后立即重新计分；可撤销（Ctrl+Z）。不在范围内的表不检查、不计分、不打印，其内容保留。").size(widgets::SMALL).color(widgets::MUTED),
            error,
            container(buttons).align_right(Length::Fill),
        ]
        .spacing(12)
        .into();
    }
    column![
        text("新建草稿").size(widgets::SECTION + 1.0),
        field("年度", year.into()),
        field("单位名称", unit.into()),
        field("评价规则", profile.into()),
        row![label("填报范围"), scope].spacing(8),
        field("项目", names.into()),
        error,
        container(buttons).align_right(Length::Fill),
    ]
    .spacing(12)
    .into()
}

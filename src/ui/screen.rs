//! The screen protocol: what the app and its screens say to each other.
//!
//! Each screen module (`basic`, `department`, `project`, `report`, `problems`, and the `preview`
//! overlay) has its own `Message`, an `update` that works on the document through a [`Ctx`] (or
//! on the screen's own state) and answers with an [`Effect`] for the app to carry out, and a
//! `view`. The screens shown in the main area also implement [`Page`]: their long texts, their
//! cells in reading order and their view, so the app dispatches on [`Screen`] in one place.
//!
//! This module names no screen module: screens import it, not the app.

use iced::widget::text_editor;
use iced::Element;

use crate::document::Document;
use crate::engine::{Form, FormEval, Location};

use super::widgets::{CellMsg, Editors};

/// The screens of the main area, in wizard order (see [`Screen::steps`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Basic,
    Department,
    Project(usize),
    /// 附件4 自评报告: key figures and the report's text.
    Report,
    Problems,
}

impl Screen {
    /// `basic`, `department`, `project:N` (1-based), `report`, `problems`.
    pub fn parse(s: &str) -> Option<Screen> {
        match s.trim() {
            "basic" => Some(Screen::Basic),
            "department" => Some(Screen::Department),
            "problems" => Some(Screen::Problems),
            "report" => Some(Screen::Report),
            other => {
                let n: usize = other.strip_prefix("project:").or_else(|| other.strip_prefix("project"))?.trim().parse().ok()?;
                n.checked_sub(1).map(Screen::Project)
            }
        }
    }

    /// The steps in wizard order: one project screen per project.
    /// Only the forms the filing comprises (`Workbook::scope`) have steps.
    pub fn steps(doc: &Document) -> Vec<Screen> {
        let scope = doc.wb.scope;
        let mut v = Vec::new();
        if scope.department {
            v.extend([Screen::Basic, Screen::Department]);
        }
        if scope.projects {
            v.extend((0..doc.wb.projects.len()).map(Screen::Project));
        }
        if scope.has_report() {
            v.push(Screen::Report);
        }
        v.push(Screen::Problems);
        v
    }

    /// The first step of the filing: 附件1, or the first project of a project-only filing.
    pub fn first(doc: &Document) -> Screen {
        Screen::steps(doc)[0]
    }

    /// This screen, or the nearest that exists: a project past the last one is the last project
    /// (附件2 when there are none); a form out of the filing's scope is its first step.
    pub fn clamped(self, doc: &Document) -> Screen {
        let n = doc.wb.projects.len();
        let scope = doc.wb.scope;
        let filed = match self {
            Screen::Basic | Screen::Department => scope.department,
            Screen::Project(_) => scope.projects,
            Screen::Report => scope.has_report(),
            Screen::Problems => true,
        };
        if !filed {
            // A form the filing does not comprise (`--screen basic` on a project-only draft).
            return Screen::first(doc);
        }
        match self {
            Screen::Project(p) if p >= n => match n.checked_sub(1) {
                Some(last) => Screen::Project(last),
                None if doc.wb.scope.department => Screen::Department,
                None => Screen::Problems,
            },
            s => s,
        }
    }

    /// The screen a cell is shown on, `self` being the screen on display: the signature line
    /// (`A1.footer.*`) is under each of the three forms and stays where it is.
    pub fn of_cell(self, loc: &Location) -> Screen {
        if loc.row == "footer" && matches!(self, Screen::Basic | Screen::Department | Screen::Project(_)) {
            return self;
        }
        match loc.form {
            Form::A1 => Screen::Basic,
            Form::A2 => Screen::Department,
            Form::A3 => loc.project.map_or(Screen::Department, Screen::Project),
            Form::A4 => Screen::Report,
        }
    }

    /// The name of the step on the 上一步 / 下一步 buttons.
    pub fn name(self, doc: &Document) -> String {
        match self {
            Screen::Basic => "基础数据表".to_string(),
            Screen::Department => "整体支出自评表".to_string(),
            Screen::Project(p) => format!("项目支出自评表（{}）", doc.wb.projects.get(p).map_or("", |p| p.name.trim())),
            Screen::Report => "自评报告".to_string(),
            Screen::Problems => "问题清单".to_string(),
        }
    }

    /// The form whose 总分 and 等级 the status bar shows on this screen: the project's on its
    /// screen, 附件2's everywhere else — or, when the filing has no 附件2, the first project's.
    /// `None`: no form to score yet (a project-only filing without projects).
    pub fn scored(self, doc: &Document) -> Option<(String, &FormEval)> {
        let project = |p: usize| Some((format!("附件3「{}」", doc.wb.projects.get(p)?.name.trim()), doc.eval.projects.get(p)?));
        let department = || doc.wb.scope.department.then(|| ("附件2 部门整体".to_string(), &doc.eval.department));
        match self {
            Screen::Project(p) => project(p).or_else(department),
            _ => department().or_else(|| project(0)),
        }
    }
}

/// What a screen's update asks of the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    None,
    /// Focus this cell (and scroll it into view).
    Focus(Location),
    /// Enter was pressed in this cell: focus the one below it.
    Down(Location),
    /// Show another screen.
    Go(Screen),
    /// Show this cell wherever it is: its screen, the cell focused and scrolled into view.
    Show(Location),
    /// Ask the app to confirm deleting a project.
    ConfirmDeleteProject(usize),
    /// Close the print preview.
    ClosePreview,
    /// Close the print preview and ask where to write the PDF.
    ExportPdf,
    /// 打印…: the print dialog (over the preview).
    Print,
    /// Scroll this scrollable back to its start.
    ScrollToStart(&'static str),
}

/// What a form screen's update works on.
pub struct Ctx<'a> {
    pub doc: &'a mut Document,
    pub editors: &'a mut Editors,
}

/// The room a screen is laid out in (layout pixels): the window less the side bar, the bars and
/// the margins. Screens size their columns by it (grid::Widths) and list only the rows that show.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Room {
    pub width: f32,
    pub height: f32,
}

/// A screen of the main area, as the app dispatches to it. `M` is the app's message, made from
/// the screen's own.
pub trait Page<M> {
    /// Whether the screen scrolls its own content (a long list that builds only the rows in
    /// view); the others are put in the app's scrollable.
    fn scrolls_itself(&self) -> bool {
        false
    }

    /// The cells edited in a long-text editor (kept in [`Editors`] while the screen is shown).
    fn long_texts(&self) -> Vec<Location> {
        Vec::new()
    }

    /// Input cells in reading order (for Enter → the cell below).
    fn cells_in_order(&self, _doc: &Document) -> Vec<Location> {
        Vec::new()
    }

    /// The screen, `editors` holding its long texts, laid out in `room`.
    fn view<'a>(&self, doc: &'a Document, editors: &'a Editors, room: Room) -> Element<'a, M>;
}

/// Handles a cell message for any form screen.
pub fn handle_cell(ctx: &mut Ctx<'_>, msg: CellMsg) -> Effect {
    match msg {
        CellMsg::Edit(loc, value) => {
            ctx.doc.typing_in(&loc);
            ctx.doc.edit(&loc, &value);
            Effect::None
        }
        CellMsg::Submit(loc) => {
            ctx.doc.leave_cell();
            ctx.doc.seal();
            Effect::Down(loc)
        }
        CellMsg::Editor(loc, action) => {
            let edit = action.is_edit();
            let content = ctx.editors.entry(loc.clone()).or_insert_with(|| text_editor::Content::with_text(&ctx.doc.text(&loc)));
            content.perform(action);
            if edit {
                let value = content.text();
                ctx.doc.typing_in(&loc);
                ctx.doc.edit(&loc, &value);
            }
            Effect::None
        }
    }
}

/// Keeps `editors` to the long texts `wanted` (the screen on display's), each in step with the
/// document.
pub fn sync_editors(editors: &mut Editors, wanted: Vec<Location>, doc: &Document) {
    editors.retain(|l, _| wanted.contains(l));
    for loc in wanted {
        let value = doc.text(&loc);
        let stale = editors.get(&loc).is_none_or(|c| c.text() != value);
        if stale {
            editors.insert(loc.clone(), text_editor::Content::with_text(&value));
        }
    }
}

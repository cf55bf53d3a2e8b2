//! The screen protocol: what the app and its screens say to each other.
//!
//! Each screen module (`basic`, `department`, `project`, `report`, `problems`, and the `preview`
//! overlay) has its own `Message`, an `update` that works on the document through a [`Ctx`] (or
//! on the screen's own state) and answers with an [`Effect`] for the app to carry out, and a
//! `view`.
//!
//! This module names no screen module: screens import it, not the app.

use iced::widget::text_editor;

use crate::document::Document;
use crate::engine::Location;

use super::widgets::{CellMsg, Editors};

/// The screens of the main area, in wizard order.
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
}

/// What a form screen's update works on.
pub struct Ctx<'a> {
    pub doc: &'a mut Document,
    pub editors: &'a mut Editors,
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

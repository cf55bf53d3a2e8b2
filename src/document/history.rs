//! Undo / redo: a stack of snapshots of the part of the workbook an edit touched.
//!
//! An entry holds the part *before* the edit (one form, or the project list for structural changes)
//! together with the typed text of every cell, so undo restores exact values — the same decimals,
//! the same text in a cell that did not parse. Consecutive keystrokes in one cell make one entry.

use std::collections::BTreeMap;

use crate::engine::Location;
use crate::model::{BasicData, DeptSelfEval, Explanation, ExportChoice, Footer, ProjectSelfEval, ReportFigures, Scope, Workbook};

/// Text typed into a parsed cell (money, count, score, date), kept as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typed {
    pub text: String,
    /// The parse error when the text is not a valid value (the cell is then blank in the model).
    pub error: Option<String>,
}

pub type Buffers = BTreeMap<Location, Typed>;

/// The part of a workbook an edit changes.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// 预算部门名称, 年度 and the footer, shared by all forms.
    /// With each project's 主管部门 and 实施单位, which follow the unit name until edited.
    Shared { unit: String, year: u16, footer: Footer, project_units: Vec<(String, String)> },
    Basic(Box<BasicData>),
    Department(Box<DeptSelfEval>),
    Project(usize, Box<ProjectSelfEval>),
    /// The whole project list (add, duplicate, delete, reorder).
    Projects(Vec<ProjectSelfEval>),
    /// 附件4: the report's key figures and its text.
    Report { report: Option<Box<ReportFigures>>, narrative: Option<String> },
    /// 附件2 and every 附件3 at once (a change across forms, e.g. 全部采纳).
    Forms(Box<DeptSelfEval>, Vec<ProjectSelfEval>),
    /// The rule profile and the filing scope.
    Settings { profile_id: String, scope: Scope },
}

/// Which part an address lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKey {
    Shared,
    Basic,
    Department,
    Project(usize),
    Projects,
    Report,
    Forms,
    Settings,
}

impl PartKey {
    pub fn of(loc: &Location) -> PartKey {
        use crate::engine::Form;
        match (loc.form, loc.row.as_str(), loc.column.as_str()) {
            (_, "footer", _) | (Form::A1, "header", "year") | (Form::A2, "header", "unit") => PartKey::Shared,
            (Form::A1, _, _) => PartKey::Basic,
            (Form::A2, _, _) => PartKey::Department,
            (Form::A3, _, _) => loc.project.map_or(PartKey::Projects, PartKey::Project),
            (Form::A4, _, _) => PartKey::Report,
        }
    }

    pub fn take(self, wb: &Workbook) -> Part {
        match self {
            PartKey::Shared => Part::Shared {
                unit: wb.unit.clone(),
                year: wb.year,
                footer: wb.footer.clone(),
                project_units: wb.projects.iter().map(|p| (p.competent_dept.clone(), p.implementer.clone())).collect(),
            },
            PartKey::Basic => Part::Basic(Box::new(wb.basic.clone())),
            PartKey::Department => Part::Department(Box::new(wb.department.clone())),
            PartKey::Project(i) => match wb.projects.get(i) {
                Some(p) => Part::Project(i, Box::new(p.clone())),
                None => Part::Projects(wb.projects.clone()),
            },
            PartKey::Projects => Part::Projects(wb.projects.clone()),
            PartKey::Report => Part::Report { report: wb.report.clone().map(Box::new), narrative: wb.narrative.clone() },
            PartKey::Forms => Part::Forms(Box::new(wb.department.clone()), wb.projects.clone()),
            PartKey::Settings => Part::Settings { profile_id: wb.profile_id.clone(), scope: wb.scope },
        }
    }
}

impl Part {
    pub fn key(&self) -> PartKey {
        match self {
            Part::Shared { .. } => PartKey::Shared,
            Part::Basic(_) => PartKey::Basic,
            Part::Department(_) => PartKey::Department,
            Part::Project(i, _) => PartKey::Project(*i),
            Part::Projects(_) => PartKey::Projects,
            Part::Report { .. } => PartKey::Report,
            Part::Forms(..) => PartKey::Forms,
            Part::Settings { .. } => PartKey::Settings,
        }
    }

    /// Puts this part back into the workbook.
    pub fn restore(self, wb: &mut Workbook) {
        match self {
            Part::Shared { unit, year, footer, project_units } => {
                wb.unit = unit;
                wb.year = year;
                wb.footer = footer;
                if project_units.len() == wb.projects.len() {
                    for (p, (dept, implementer)) in wb.projects.iter_mut().zip(project_units) {
                        p.competent_dept = dept;
                        p.implementer = implementer;
                    }
                }
            }
            Part::Basic(b) => wb.basic = *b,
            Part::Department(d) => wb.department = *d,
            Part::Project(i, p) => {
                if let Some(slot) = wb.projects.get_mut(i) {
                    *slot = *p;
                }
            }
            Part::Projects(ps) => wb.projects = ps,
            Part::Report { report, narrative } => {
                wb.report = report.map(|r| *r);
                wb.narrative = narrative;
            }
            Part::Forms(department, projects) => {
                wb.department = *department;
                wb.projects = projects;
            }
            Part::Settings { profile_id, scope } => {
                wb.profile_id = profile_id;
                wb.scope = scope;
            }
        }
    }
}

/// What a workbook stores about its cells outside the cells themselves, snapshotted by every undo
/// step: editing a cell confirms its carried mark, and moving rows or projects renumbers all three.
#[derive(Debug, Clone, PartialEq)]
pub struct Refs {
    /// The cells still marked as carried over from last year.
    pub carried: std::collections::BTreeSet<String>,
    pub explanations: Vec<Explanation>,
    /// The indicator rows each of the report's quoted counts is linked to, in count order.
    pub links: Vec<Vec<String>>,
    /// The export picker's choice (its projects are renumbered with them).
    pub export: ExportChoice,
}

impl Refs {
    pub fn take(wb: &Workbook) -> Refs {
        Refs {
            carried: wb.carried.clone(),
            explanations: wb.explanations.clone(),
            links: wb.report.as_ref().map(|r| r.counts.iter().map(|c| c.rows.clone()).collect()).unwrap_or_default(),
            export: wb.export.clone(),
        }
    }

    /// Puts the references back. The report's counts are those of the same moment (the undo step
    /// restores its part first), so the links go back count by count.
    pub fn restore(self, wb: &mut Workbook) {
        wb.carried = self.carried;
        wb.explanations = self.explanations;
        wb.export = self.export;
        if let Some(r) = wb.report.as_mut() {
            for (c, rows) in r.counts.iter_mut().zip(self.links) {
                c.rows = rows;
            }
        }
    }
}

/// One undo step.
#[derive(Debug, Clone)]
pub struct Entry {
    pub part: Part,
    pub buffers: Buffers,
    /// The stored references to cells (carried marks, explanations, report links) as they were.
    pub refs: Refs,
    /// The cell that was being edited (for coalescing and for putting the focus back).
    pub cell: Option<Location>,
    /// A short Chinese description ("编辑 A2.ind#3.target", "删除项目").
    pub label: String,
}

#[derive(Debug, Default)]
pub struct History {
    undo: Vec<Entry>,
    redo: Vec<Entry>,
    /// The next edit starts a new entry even in the same cell.
    sealed: bool,
}

/// Entries kept; the oldest are dropped beyond this.
pub const LIMIT: usize = 500;

impl History {
    /// Whether an edit of `cell` continues the last entry (typing on in one cell).
    pub fn continues(&self, cell: &Location) -> bool {
        !self.sealed && self.undo.last().is_some_and(|e| e.cell.as_ref() == Some(cell))
    }

    pub fn push(&mut self, entry: Entry) {
        self.undo.push(entry);
        if self.undo.len() > LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        self.sealed = false;
    }

    /// Ends the current entry: the next keystroke, even in the same cell, is a new undo step.
    pub fn seal(&mut self) {
        self.sealed = true;
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn pop_undo(&mut self) -> Option<Entry> {
        self.sealed = true;
        self.undo.pop()
    }
    pub fn pop_redo(&mut self) -> Option<Entry> {
        self.sealed = true;
        self.redo.pop()
    }
    pub fn push_redo(&mut self, entry: Entry) {
        self.redo.push(entry);
    }
    /// Pushes onto the undo stack without clearing redo (used by redo itself).
    pub fn push_undo_keep_redo(&mut self, entry: Entry) {
        self.undo.push(entry);
    }

    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
        self.sealed = false;
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|e| e.label.as_str())
    }
    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|e| e.label.as_str())
    }
}

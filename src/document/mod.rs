//! The open document: workbook, typed text, evaluation, findings index and undo history — the
//! one core the window and the command line (`zipin get`, `zipin set`) both edit through.
//!
//! Every change goes through here: a cell edit or a structural change records an undo step,
//! changes the workbook, and evaluates again ([`evaluate`]), so whatever a screen shows
//! is computed from the workbook of this very moment. Rows and projects that move take every
//! stored reference to their cells with them (typed text, carried-over marks, explanations, the
//! report's count links: [`Document::follow`]). Nothing of the window here.
//!
//! - [`cells`]: the address → field mapping of every input cell;
//! - [`history`]: undo/redo;
//! - [`files`]: data folder, recent files, autosave recovery files.

use std::borrow::Cow;
use std::collections::HashMap;

use std::path::Path;

use crate::draft::{self, DraftError};
use crate::engine::{self, Evaluation, Finding, Form, Location, Severity};
use crate::model::{Building, Fund3, IndicatorRow, Questionnaire, Unparsed, Workbook};
use crate::profile::Profile;

pub mod cells;
pub mod files;
pub mod history;

use cells::ReportList;
use history::{Buffers, Entry, History, PartKey, Refs, Typed};

/// Errors / warnings / infos.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Blank cells of a new draft's sections not yet visited (see [`Document::quiet_until_visited`]):
    /// counted as 未填, not painted red.
    pub unfilled: usize,
}

impl Counts {
    fn add(&mut self, s: Severity) {
        match s {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }
}

/// Findings looked up by cell and by row, counted by step.
#[derive(Debug, Default)]
pub struct Index {
    by_cell: HashMap<Location, Vec<usize>>,
    by_row: RowIndex,
    pub basic: Counts,
    pub department: Counts,
    pub projects: Vec<Counts>,
    /// 附件4 figures (no screen of their own).
    pub report: Counts,
    pub total: Counts,
    /// Rows counted at a suggested score (R-QUAL-SUGGESTED) until the user enters one.
    pub suggestions: usize,
}

pub struct Document {
    pub wb: Workbook,
    pub profile: Profile,
    /// Profiles named by single projects, resolved once like the draft's own (see [`evaluate`]).
    others: ProjectProfiles,
    /// Typed text of parsed cells edited in this session.
    pub buffers: Buffers,
    /// The engine's evaluation; its findings include R-NUM-FORMAT for typed text that does not parse.
    pub eval: Evaluation,
    pub index: Index,
    pub history: History,
    pub dirty: bool,
    /// The figures and typed text as last saved (or opened), so that undoing back to them shows
    /// the draft as unchanged again. `None`: never saved.
    saved_state: Option<(Workbook, Buffers)>,
    /// Bumped on every change (autosave writes only when it moved).
    pub generation: u64,
    /// The cell being typed in, with the message lines as they were when typing began.
    held: Option<Held>,
    /// A new draft's sections (a form; 附件3 by project) whose blank cells stay quiet until the user
    /// has been there; `None`: every finding shows (a draft opened from a file).
    quiet: Option<std::collections::BTreeSet<(Form, Option<usize>)>>,
    /// Cells the user has typed in: their findings always show.
    touched: std::collections::HashSet<Location>,
}

/// Findings about a cell left blank: the ones a new draft keeps quiet until its section is visited.
const BLANK_RULES: [crate::finding::RuleId; 4] = {
    use crate::finding::RuleId as R;
    [R::Required, R::RequiredText, R::TargetMissing, R::ActualMissing]
};

/// Message lines held still while the user types in one cell.
///
/// The rule (README, "No layout shift"): the lines of messages under the rows are those of the
/// moment the user started typing in a cell, until the user leaves it (Tab, Enter, a click
/// elsewhere, another screen, undo); the cell outlines, the side bar and the status bar follow
/// every keystroke. So rows never move under the user's hands while typing.
struct Held {
    cell: Location,
    /// The findings and their row index before the first keystroke (`None` until it is typed).
    lines: Option<(Vec<Finding>, RowIndex)>,
}

type RowIndex = HashMap<(Form, Option<usize>, String), Vec<usize>>;

/// The profile a workbook names, found like every profile the app reads (the user's profiles folder
/// first, then the built-in ones: [`Profile::resolve`]), or the default one with a note why.
pub fn resolve_profile(wb: &Workbook) -> (Profile, Option<String>) {
    match Profile::resolve(&wb.profile_id) {
        Ok(p) => (p, None),
        Err(e) => {
            let p = Profile::builtin("hunan-2023").expect("built-in profile");
            (p, Some(format!("{e}；已改用内置评价规则 hunan-2023")))
        }
    }
}

/// Profiles named by single projects (`ProjectSelfEval::profile_id`), by id; `None` when the id
/// names no profile (the project is then scored with the draft's own).
#[derive(Debug, Default)]
pub struct ProjectProfiles(Vec<(String, Option<Profile>)>);

impl ProjectProfiles {
    /// Resolves the ids `wb`'s projects name that are not known yet (each id once per document).
    fn learn(&mut self, wb: &Workbook, own: &Profile) {
        for id in wb.projects.iter().filter_map(|p| p.profile_id.as_deref()) {
            if id != own.id && !self.0.iter().any(|(k, _)| k == id) {
                self.0.push((id.to_string(), Profile::resolve(id).ok()));
            }
        }
    }

    fn get(&self, id: &str) -> Option<&Profile> {
        self.0.iter().find(|(k, _)| k == id).and_then(|(_, p)| p.as_ref())
    }
}

/// Evaluates a workbook with `profile`, projects that name another profile with theirs: the
/// evaluation `zipin check`, `score`, `export` and the window all show.
pub fn evaluate(wb: &Workbook, profile: &Profile) -> Evaluation {
    let mut others = ProjectProfiles::default();
    others.learn(wb, profile);
    engine::evaluate_with(wb, profile, |id| others.get(id))
}

impl Document {
    /// Opens a draft file: the one load path of the window and the command line. The note says
    /// why the draft's profile could not be used, when it could not (the default one scores it).
    pub fn open(path: &Path) -> Result<(Document, Option<String>), DraftError> {
        Ok(Document::from_workbook(draft::load(path)?))
    }

    /// Opens an autosave (recovery file): the document is unsaved (it matches no draft on disk) and
    /// counts as already autosaved once.
    pub fn recover(recovery: &Path) -> Result<Document, DraftError> {
        let (mut doc, _) = Document::open(recovery)?;
        doc.unsaved();
        doc.generation = 1;
        Ok(doc)
    }

    /// A document for a workbook, scored with the profile it names (see [`Document::open`]).
    pub fn from_workbook(wb: Workbook) -> (Document, Option<String>) {
        let (profile, note) = resolve_profile(&wb);
        (Document::new(wb, profile), note)
    }

    /// A document for a workbook scored with `profile` (a `--profile` given on the command line).
    pub fn new(mut wb: Workbook, profile: Profile) -> Document {
        let unparsed = std::mem::take(&mut wb.unparsed);
        let eval = Evaluation {
            basic: Default::default(),
            department: Default::default(),
            projects: Vec::new(),
            findings: Vec::new(),
        };
        let mut doc = Document {
            wb,
            profile,
            others: ProjectProfiles::default(),
            buffers: Buffers::new(),
            eval,
            index: Index::default(),
            history: History::default(),
            dirty: false,
            saved_state: None,
            generation: 0,
            held: None,
            quiet: None,
            touched: Default::default(),
        };
        // Text a draft kept because it did not parse goes back into its cell, error and all.
        for u in unparsed {
            if cells::kind(&u.cell).is_some_and(|(kind, _)| kind.is_parsed()) {
                if let Err(e) = cells::write(&mut doc.wb, &u.cell, &u.text) {
                    doc.buffers.insert(u.cell, Typed { text: u.text, error: Some(e.to_string()) });
                }
            }
        }
        doc.evaluate();
        doc.saved_state = Some((doc.wb.clone(), doc.buffers.clone()));
        doc
    }

    /// The cells whose typed text is not a valid value, as a draft keeps them.
    pub fn unparsed(&self) -> Vec<Unparsed> {
        self.buffers
            .iter()
            .filter(|(_, t)| t.error.is_some())
            .map(|(loc, t)| Unparsed {
                cell: loc.clone(),
                label: cells::kind(loc).map(|(_, l)| l).unwrap_or_default(),
                text: t.text.clone(),
            })
            .collect()
    }

    /// The workbook as a draft file stores it: the figures plus the text that did not parse.
    pub fn for_saving(&self) -> Workbook {
        Workbook { unparsed: self.unparsed(), ..self.wb.clone() }
    }

    /// Evaluates the workbook again and rebuilds the findings index.
    pub fn evaluate(&mut self) {
        self.others.learn(&self.wb, &self.profile);
        let others = &self.others;
        let mut eval = engine::evaluate_with(&self.wb, &self.profile, |id| others.get(id));
        // Typed text that does not parse: its own R-NUM-FORMAT replaces whatever the engine said
        // about the (now blank) cell.
        engine::apply_unparsed(&mut eval, &self.unparsed());
        if let Some(h) = self.held.as_mut().filter(|h| h.lines.is_none()) {
            h.lines = Some((std::mem::take(&mut self.eval.findings), std::mem::take(&mut self.index.by_row)));
        }
        self.eval = eval;
        self.reindex();
    }

    // ----- validate as the user goes -------------------------------------------------------

    /// A new draft: blank cells are not painted red before the user has been to their section;
    /// they count as 未填 (TurboTax-style). Leaving a section, 检查, 问题清单 or exporting shows them.
    pub fn quiet_until_visited(&mut self) {
        let mut sections: std::collections::BTreeSet<_> = [(Form::A1, None), (Form::A2, None), (Form::A4, None)].into_iter().collect();
        sections.extend((0..self.wb.projects.len()).map(|p| (Form::A3, Some(p))));
        self.quiet = Some(sections);
        self.touched.clear();
        self.reindex();
    }

    /// The user has been to this section: its blank cells show from now on.
    pub fn reveal(&mut self, form: Form, project: Option<usize>) {
        if self.quiet.as_mut().is_some_and(|q| q.remove(&(form, project))) {
            self.reindex();
        }
    }

    /// Everything shows (检查, 问题清单, export, a saved draft).
    pub fn reveal_all(&mut self) {
        if self.quiet.take().is_some() {
            self.reindex();
        }
    }

    /// Whether a finding is about a blank, untouched cell of a section not yet visited.
    pub fn is_quiet(&self, f: &Finding) -> bool {
        let l = &f.location;
        self.quiet.as_ref().is_some_and(|q| q.contains(&(l.form, l.project)))
            && BLANK_RULES.contains(&f.rule)
            && !self.touched.contains(l)
    }

    /// Rebuilds the findings index (what shows where, what counts as 未填).
    fn reindex(&mut self) {
        self.index = build_index(&self.eval.findings, self.wb.projects.len(), |f| self.is_quiet(f));
    }

    /// The text an input for `loc` shows: what was typed, else the stored value.
    pub fn text(&self, loc: &Location) -> Cow<'_, str> {
        match self.buffers.get(loc) {
            Some(t) => Cow::Borrowed(t.text.as_str()),
            None => Cow::Owned(cells::read(&self.wb, loc)),
        }
    }

    /// Findings at exactly this cell.
    /// While the user types in a cell, its warnings wait until the cell is left (a half-typed `9`
    /// on its way to `960元/人` is no unit mismatch yet); errors show at once.
    pub fn at(&self, loc: &Location) -> impl Iterator<Item = &Finding> + '_ {
        let typing = self.held.as_ref().is_some_and(|h| h.cell == *loc);
        self.index
            .by_cell
            .get(loc)
            .into_iter()
            .flatten()
            .map(move |&i| &self.eval.findings[i])
            .filter(move |f| !(typing && f.severity == Severity::Warning))
    }

    /// The worst severity at this cell.
    pub fn severity_at(&self, loc: &Location) -> Option<Severity> {
        self.at(loc).map(|f| f.severity).min()
    }

    /// Findings on a row of a form (any column), for the message line under the row.
    pub fn on_row(&self, form: Form, project: Option<usize>, row: &str) -> impl Iterator<Item = &Finding> + '_ {
        self.index
            .by_row
            .get(&(form, project, row.to_string()))
            .into_iter()
            .flatten()
            .map(move |&i| &self.eval.findings[i])
    }

    /// The message lines under a row as the screen shows them: held still while the user types
    /// in a cell (see [`Held`]), else the same as [`Document::on_row`].
    pub fn lines_on_row(&self, form: Form, project: Option<usize>, row: &str) -> Box<dyn Iterator<Item = &Finding> + '_> {
        match self.held.as_ref().and_then(|h| h.lines.as_ref()) {
            Some((findings, by_row)) => {
                Box::new(by_row.get(&(form, project, row.to_string())).into_iter().flatten().filter_map(|&i| findings.get(i)))
            }
            None => Box::new(self.on_row(form, project, row)),
        }
    }

    /// The user types in `loc`: from now until [`Document::leave_cell`] the message lines stay as
    /// they are. Typing in another cell leaves the previous one first.
    pub fn typing_in(&mut self, loc: &Location) {
        if self.held.as_ref().is_some_and(|h| h.cell == *loc) {
            return;
        }
        self.leave_cell();
        self.held = Some(Held { cell: loc.clone(), lines: None });
    }

    /// The cell being typed in, if any.
    pub fn editing(&self) -> Option<&Location> {
        self.held.as_ref().map(|h| &h.cell)
    }

    /// The user left the cell being typed in: the message lines follow the findings again, and a
    /// number or date typed there is shown as the value it was read as (`１００` → `100.00`,
    /// `2025-3-5` → `2025-03-05`); text that does not parse stays as typed. Returns the cell.
    pub fn leave_cell(&mut self) -> Option<Location> {
        let cell = self.held.take()?.cell;
        if self.buffers.get(&cell).is_some_and(|t| t.error.is_none()) {
            self.buffers.remove(&cell);
        }
        Some(cell)
    }

    fn record(&mut self, key: PartKey, cell: Option<Location>, label: String) {
        if cell.is_none() {
            // A structural change (rows, projects, lists): row numbers change under the held lines.
            self.leave_cell();
        }
        let entry = Entry { part: key.take(&self.wb), buffers: self.buffers.clone(), refs: Refs::take(&self.wb), cell, label };
        self.history.push(entry);
    }

    fn changed(&mut self) {
        self.dirty = true;
        self.generation += 1;
        self.evaluate();
    }

    /// Types `text` into the cell at `loc`. Returns `false` when `loc` is not an input cell or
    /// nothing changed.
    pub fn edit(&mut self, loc: &Location, text: &str) -> bool {
        let Some((kind, _)) = cells::kind(loc) else { return false };
        if self.text(loc) == text {
            return false;
        }
        if !self.history.continues(loc) {
            self.record(PartKey::of(loc), Some(loc.clone()), format!("编辑 {}", loc.widget_id()));
        }
        // Only the unit cell's old value is needed (not a copy on every keystroke elsewhere).
        let old_unit = (loc.form == Form::A2 && loc.row == "header" && loc.column == "unit").then(|| self.wb.unit.clone());
        self.touched.insert(loc.clone());
        let result = cells::write(&mut self.wb, loc, text);
        if let Some(old_unit) = old_unit.filter(|old| *old != self.wb.unit) {
            // 主管部门 / 实施单位 that still read as the unit name follow it (until edited).
            let new_unit = self.wb.unit.clone();
            for p in &mut self.wb.projects {
                for name in [&mut p.competent_dept, &mut p.implementer] {
                    if name.trim() == old_unit.trim() {
                        name.clone_from(&new_unit);
                    }
                }
            }
        }
        // Editing a cell carried over from last year confirms it.
        self.wb.carried.remove(&loc.widget_id());
        if kind.is_parsed() {
            let error = result.err().map(|e| e.to_string());
            self.buffers.insert(loc.clone(), Typed { text: text.to_string(), error });
        } else {
            self.buffers.remove(loc);
        }
        self.changed();
        true
    }

    /// Ends the current undo step (Enter, leaving a cell).
    pub fn seal(&mut self) {
        self.history.seal();
    }

    /// Undoes the last step; returns the cell it concerned, if any.
    pub fn undo(&mut self) -> Option<Option<Location>> {
        let e = self.history.pop_undo()?;
        let (current, cell) = self.swap_in(e);
        self.history.push_redo(current);
        Some(cell)
    }

    pub fn redo(&mut self) -> Option<Option<Location>> {
        let e = self.history.pop_redo()?;
        let (current, cell) = self.swap_in(e);
        self.history.push_undo_keep_redo(current);
        Some(cell)
    }

    /// Puts the state of entry `e` back; returns the state it replaced (for the other stack) and
    /// the cell `e` concerned.
    fn swap_in(&mut self, e: Entry) -> (Entry, Option<Location>) {
        self.leave_cell();
        let current = Entry {
            part: e.part.key().take(&self.wb),
            buffers: self.buffers.clone(),
            refs: Refs::take(&self.wb),
            cell: e.cell.clone(),
            label: e.label.clone(),
        };
        let cell = e.cell.clone();
        e.part.restore(&mut self.wb);
        self.buffers = e.buffers;
        e.refs.restore(&mut self.wb);
        if self.wb.profile_id != self.profile.id {
            // Undoing a change of rules: the draft's profile again.
            self.profile = resolve_profile(&self.wb).0;
            self.others = ProjectProfiles::default();
        }
        self.changed();
        self.dirty = self.saved_state.as_ref().is_none_or(|(wb, buffers)| *wb != self.wb || !same_unparsed(buffers, &self.buffers));
        (current, cell)
    }

    /// Rows or projects moved: every stored reference to a cell goes where `map` sends it (`None`:
    /// the cell is gone, and so is the reference) — typed text, cells carried over from last year,
    /// explanations, and the report's count links. The undo step recorded before the change holds
    /// them all as they were ([`Refs`]).
    pub fn follow(&mut self, map: impl Fn(&Location) -> Option<Location>) {
        // A form (附件3: a project) goes where any of its cells goes.
        let section = |(form, project): (Form, Option<usize>)| map(&Location::new(form, project, "x", "x")).map(|l| (l.form, l.project));
        if let Some(q) = self.quiet.take() {
            self.quiet = Some(q.into_iter().filter_map(section).collect());
        }
        self.touched = std::mem::take(&mut self.touched).iter().filter_map(&map).collect();
        if let Some(list) = self.wb.export.projects.take() {
            // The export picker's projects follow theirs.
            self.wb.export.projects = Some(list.into_iter().filter_map(|p| section((Form::A3, Some(p)))?.1).collect());
        }
        let old = std::mem::take(&mut self.buffers);
        self.buffers = old.into_iter().filter_map(|(l, t)| Some((map(&l)?, t))).collect();
        let carried = std::mem::take(&mut self.wb.carried);
        self.wb.carried = carried
            .into_iter()
            .filter_map(|c| match c.parse::<Location>() {
                Ok(l) => map(&l).map(|m| if m == l { c } else { m.to_string() }),
                Err(_) => Some(c),
            })
            .collect();
        self.wb.explanations.retain_mut(|x| match x.cell.parse::<Location>() {
            Ok(l) => map(&l).map(|m| {
                if m != l {
                    x.cell = m.to_string();
                }
            }).is_some(),
            Err(_) => true,
        });
        if let Some(r) = self.wb.report.as_mut() {
            for c in &mut r.counts {
                c.rows = c.rows.iter().filter_map(|link| follow_link(link, &map)).collect();
            }
        }
    }

    /// [`Document::follow`] for the numbered rows `PREFIXk` of one form (`ind#`, `E10.`,
    /// `building#`, `report.breakdown#` …) renumbered by `map`.
    fn follow_rows(&mut self, form: Form, project: Option<usize>, prefix: &str, map: impl Fn(usize) -> Option<usize>) {
        self.follow(|l| l.remap_row(form, project, prefix, &map));
    }

    // ----- indicator grid -------------------------------------------------------------------

    fn grid_key(form: Form, project: Option<usize>) -> PartKey {
        match (form, project) {
            (Form::A3, Some(p)) => PartKey::Project(p),
            _ => PartKey::Department,
        }
    }

    fn rows(&self, form: Form, project: Option<usize>) -> &[IndicatorRow] {
        cells::indicators(&self.wb, form, project).map_or(&[], |v| v.as_slice())
    }

    /// Adds a blank row at the end of category `l1`; returns its 1-based row number.
    pub fn add_indicator(&mut self, form: Form, project: Option<usize>, l1: &str) -> Option<usize> {
        let cat = self.profile.category(l1).cloned();
        let rows = self.rows(form, project);
        let last_same = rows.iter().rposition(|r| r.l1 == l1);
        let at = match last_same {
            Some(i) => i + 1,
            None => {
                // Before the first row of a category printed later than this one.
                let order = |name: &str| self.profile.categories.iter().position(|c| c.name == name).unwrap_or(usize::MAX);
                let mine = order(l1);
                rows.iter().position(|r| order(&r.l1) > mine).unwrap_or(rows.len())
            }
        };
        let l2 = last_same
            .map(|i| rows[i].l2.clone())
            .or_else(|| cat.as_ref().and_then(|c| c.subs.first().cloned()))
            .unwrap_or_default();
        self.record(Self::grid_key(form, project), None, format!("新增{l1}行"));
        let row = IndicatorRow { l1: l1.to_string(), l2, ..Default::default() };
        cells::indicators_mut(&mut self.wb, form, project)?.insert(at, row);
        self.follow_rows(form, project, IND, |n| Some(if n > at { n + 1 } else { n }));
        self.changed();
        Some(at + 1)
    }

    /// Removes row `n` (1-based).
    pub fn remove_indicator(&mut self, form: Form, project: Option<usize>, n: usize) {
        if n == 0 || n > self.rows(form, project).len() {
            return;
        }
        self.record(Self::grid_key(form, project), None, format!("删除第{n}行"));
        if let Some(rows) = cells::indicators_mut(&mut self.wb, form, project) {
            rows.remove(n - 1);
        }
        self.follow_rows(form, project, IND, gone(n));
        self.changed();
    }

    /// Moves row `n` up or down past the neighbouring row of the same 一级; returns its new number.
    pub fn move_indicator(&mut self, form: Form, project: Option<usize>, n: usize, up: bool) -> Option<usize> {
        let rows = self.rows(form, project);
        let i = n.checked_sub(1).filter(|i| *i < rows.len())?;
        let l1 = rows[i].l1.clone();
        let j = if up {
            rows[..i].iter().rposition(|r| r.l1 == l1)?
        } else {
            i + 1 + rows[i + 1..].iter().position(|r| r.l1 == l1)?
        };
        self.record(Self::grid_key(form, project), None, format!("移动第{n}行"));
        cells::indicators_mut(&mut self.wb, form, project)?.swap(i, j);
        let (a, b) = (i + 1, j + 1);
        self.follow_rows(form, project, IND, |m| Some(if m == a { b } else if m == b { a } else { m }));
        self.changed();
        Some(j + 1)
    }

    /// Sets a row's 一级 (moving it to the end of that category) or 二级.
    pub fn set_category(&mut self, form: Form, project: Option<usize>, n: usize, l1: Option<&str>, l2: Option<&str>) {
        let Some(i) = n.checked_sub(1).filter(|i| *i < self.rows(form, project).len()) else { return };
        self.record(Self::grid_key(form, project), None, format!("修改第{n}行指标类别"));
        let profile = self.profile.clone();
        let Some(rows) = cells::indicators_mut(&mut self.wb, form, project) else { return };
        if let Some(l2) = l2 {
            rows[i].l2 = l2.to_string();
        }
        if let Some(l1) = l1.filter(|l1| *l1 != rows[i].l1) {
            let mut row = rows.remove(i);
            row.l1 = l1.to_string();
            if let Some(c) = profile.category(l1) {
                if !c.subs.contains(&row.l2) {
                    row.l2 = c.subs.first().cloned().unwrap_or_default();
                }
            }
            let at = rows.iter().rposition(|r| r.l1 == l1).map_or(rows.len(), |k| k + 1);
            rows.insert(at, row);
            // Typed text follows the row: old number n → at+1, rows between shift by one.
            let to = at + 1;
            self.follow_rows(form, project, IND, |m| {
                Some(if m == n {
                    to
                } else if n < m && m <= to {
                    m - 1
                } else if to <= m && m < n {
                    m + 1
                } else {
                    m
                })
            });
        }
        self.changed();
    }

    /// Picks the 定性 level of a row (`None` to let it be inferred from the score).
    pub fn set_level(&mut self, form: Form, project: Option<usize>, n: usize, level: Option<String>) {
        let Some(i) = n.checked_sub(1).filter(|i| *i < self.rows(form, project).len()) else { return };
        self.record(Self::grid_key(form, project), None, format!("修改第{n}行评价等级"));
        let band_top = level.as_ref().and_then(|l| self.profile.qual_bands.iter().find(|b| b.level == *l)).map(|b| b.hi);
        if let Some(rows) = cells::indicators_mut(&mut self.wb, form, project) {
            let row = &mut rows[i];
            row.level = level;
            // A level picked for a row without a score fills the top of its band (editable).
            if let (None, Some(hi), Some(w)) = (row.score, band_top, row.weight) {
                row.score = Some(crate::display::round(w * hi / rust_decimal::Decimal::ONE_HUNDRED, 2));
                row.stated_score = None;
            }
        }
        self.changed();
    }

    /// The rows the engine suggests 达成 for (rules.md §4.3: actual reads as target, no score),
    /// as (form, project, row number).
    pub fn suggestions(&self) -> Vec<(Form, Option<usize>, usize)> {
        self.eval
            .findings
            .iter()
            .filter(|f| f.rule == crate::finding::RuleId::QualSuggested)
            .filter_map(|f| Some((f.location.form, f.location.project, f.location.indicator_row()?)))
            .collect()
    }

    /// 全部采纳: every suggested row gets its level and full 分值 entered; one undo step.
    /// Returns how many rows.
    pub fn accept_suggestions(&mut self) -> usize {
        let rows = self.suggestions();
        if rows.is_empty() {
            return 0;
        }
        self.record(PartKey::Forms, None, "采纳全部建议得分".into());
        let top = self.profile.qual_bands.first().map(|b| b.level.clone());
        for &(form, project, n) in &rows {
            if let Some(r) = cells::indicators_mut(&mut self.wb, form, project).and_then(|v| v.get_mut(n - 1)) {
                r.score = r.weight;
                r.level = top.clone();
            }
        }
        self.changed();
        rows.len()
    }

    /// Remembers the export picker's choice in the draft (saved with it). An undo step like any
    /// change, so that undo snapshots (which carry it, as its projects follow theirs) stay in order.
    pub fn set_export(&mut self, choice: crate::model::ExportChoice) {
        if self.wb.export != choice {
            self.record(PartKey::Settings, None, "修改导出内容".into());
            self.wb.export = choice;
            self.changed();
        }
    }

    /// Scores the draft with another rule profile and/or files another set of forms; one undo step.
    /// Returns whether anything changed.
    pub fn set_rules(&mut self, profile: Profile, scope: crate::model::Scope) -> bool {
        if profile.id == self.profile.id && scope == self.wb.scope {
            return false;
        }
        self.record(PartKey::Settings, None, "修改评价规则和填报范围".into());
        self.wb.profile_id.clone_from(&profile.id);
        self.wb.scope = scope;
        self.profile = profile;
        self.others = ProjectProfiles::default();
        self.changed();
        true
    }

    /// Whether the cell at `loc` still holds a value carried over from last year, unconfirmed.
    pub fn is_carried(&self, loc: &Location) -> bool {
        !self.wb.carried.is_empty() && self.wb.carried.contains(&loc.widget_id())
    }

    /// Confirms every carried cell at once (全部确认); one undo step.
    pub fn confirm_carried(&mut self) {
        if self.wb.carried.is_empty() {
            return;
        }
        self.record(PartKey::Shared, None, "确认全部上年结转数据".into());
        self.wb.carried.clear();
        self.changed();
    }

    /// Whether row `n` (1-based) is a satisfaction row of the profile (it may carry a questionnaire).
    pub fn is_satisfaction_row(&self, form: Form, project: Option<usize>, n: usize) -> bool {
        let list = &self.profile.satisfaction_categories;
        n.checked_sub(1)
            .and_then(|i| self.rows(form, project).get(i))
            .is_some_and(|r| list.contains(&r.l1) || list.contains(&r.l2))
    }

    /// Attaches a blank questionnaire (one count per option of the profile) to row `n`, or removes it.
    pub fn set_questionnaire(&mut self, form: Form, project: Option<usize>, n: usize, on: bool) {
        let Some(i) = n.checked_sub(1).filter(|i| *i < self.rows(form, project).len()) else { return };
        if self.rows(form, project)[i].satisfaction.is_some() == on {
            return;
        }
        self.record(Self::grid_key(form, project), None, if on { format!("第{n}行添加满意度问卷") } else { format!("第{n}行移除满意度问卷") });
        let counts = self.profile.satisfaction.options.iter().map(|(o, _)| (o.clone(), 0)).collect();
        if let Some(rows) = cells::indicators_mut(&mut self.wb, form, project) {
            rows[i].satisfaction = on.then(|| Questionnaire { respondents: 0, counts });
        }
        if !on {
            let row = format!("ind#{n}");
            self.follow(|l| (!(l.form == form && l.project == project && l.row == row && l.column.starts_with("sat"))).then(|| l.clone()));
        }
        self.changed();
    }

    /// Drops the totals and computed scores a filed form printed (kept only for comparison);
    /// a printed score of a row the engine cannot compute becomes the row's entered score.
    pub fn clear_stated(&mut self, form: Form, project: Option<usize>) {
        self.record(Self::grid_key(form, project), None, "清除原表填报值".into());
        let eval_rows: Vec<bool> = match (form, project) {
            (Form::A3, Some(p)) => self.eval.projects.get(p).map(|e| e.rows.iter().map(|r| r.computed.is_some()).collect()),
            _ => Some(self.eval.department.rows.iter().map(|r| r.computed.is_some()).collect()),
        }
        .unwrap_or_default();
        match (form, project) {
            (Form::A3, Some(p)) => {
                if let Some(p) = self.wb.projects.get_mut(p) {
                    p.stated = None;
                }
            }
            _ => self.wb.department.stated = None,
        }
        if let Some(rows) = cells::indicators_mut(&mut self.wb, form, project) {
            for (r, computed) in rows.iter_mut().zip(eval_rows.iter().copied().chain(std::iter::repeat(false))) {
                if let Some(s) = r.stated_score.take() {
                    if !computed && r.score.is_none() {
                        r.score = Some(s);
                    }
                }
                r.filed_shape = None;
            }
        }
        self.changed();
    }

    /// Whether a form still carries printed values of a filed form.
    pub fn has_stated(&self, form: Form, project: Option<usize>) -> bool {
        let (stated, rows) = match (form, project) {
            (Form::A3, Some(p)) => match self.wb.projects.get(p) {
                Some(p) => (p.stated.is_some(), p.indicators.as_slice()),
                None => return false,
            },
            _ => (self.wb.department.stated.is_some(), self.wb.department.indicators.as_slice()),
        };
        stated || rows.iter().any(|r| r.stated_score.is_some())
    }

    // ----- 附件1 lists ---------------------------------------------------------------------

    pub fn add_fund(&mut self) -> usize {
        self.record(PartKey::Basic, None, "新增专项".into());
        self.wb.basic.special_funds.push(Fund3::default());
        self.changed();
        self.wb.basic.special_funds.len()
    }

    pub fn remove_fund(&mut self, k: usize) {
        if k == 0 || k > self.wb.basic.special_funds.len() {
            return;
        }
        self.record(PartKey::Basic, None, "删除专项".into());
        self.wb.basic.special_funds.remove(k - 1);
        self.follow_rows(Form::A1, None, "E10.", gone(k));
        self.changed();
    }

    pub fn add_building(&mut self) -> usize {
        self.record(PartKey::Basic, None, "新增楼堂馆所".into());
        self.wb.basic.buildings.push(Building::default());
        self.changed();
        self.wb.basic.buildings.len()
    }

    pub fn remove_building(&mut self, k: usize) {
        if k == 0 || k > self.wb.basic.buildings.len() {
            return;
        }
        self.record(PartKey::Basic, None, "删除楼堂馆所".into());
        self.wb.basic.buildings.remove(k - 1);
        self.follow_rows(Form::A1, None, "building#", gone(k));
        self.changed();
    }

    /// Drops the subtotals a filed 附件1 printed.
    pub fn clear_basic_stated(&mut self) {
        self.record(PartKey::Basic, None, "清除原表填报值".into());
        self.wb.basic.stated = None;
        self.changed();
    }

    // ----- 附件4 ----------------------------------------------------------------------------

    /// Adds a blank line to one of 附件4's lists; returns its 1-based number.
    pub fn add_report_line(&mut self, list: ReportList) -> usize {
        let label = match list {
            ReportList::Breakdown => "新增项目支出明细",
            ReportList::Projects => "新增报告项目",
            ReportList::Counts => "新增报告引用数量",
        };
        self.record(PartKey::Report, None, label.into());
        let n = list.push(self.wb.report.get_or_insert_with(Default::default));
        self.changed();
        n
    }

    /// Removes line `k` (1-based) of one of 附件4's lists.
    pub fn remove_report_line(&mut self, list: ReportList, k: usize) {
        let len = self.wb.report.as_ref().map_or(0, |r| list.len(r));
        if k == 0 || k > len {
            return;
        }
        self.record(PartKey::Report, None, "删除报告明细".into());
        if let Some(r) = self.wb.report.as_mut() {
            list.remove(r, k);
        }
        self.follow_rows(Form::A4, None, list.prefix(), gone(k));
        self.changed();
    }

    /// Adopts the report text `Some(template)` (printed as 附件4) or drops it (`None`).
    pub fn set_narrative(&mut self, template: Option<String>) {
        if self.wb.narrative == template {
            return;
        }
        self.record(PartKey::Report, None, "修改自评报告正文".into());
        self.wb.narrative = template;
        self.changed();
    }

    // ----- projects ------------------------------------------------------------------------

    /// Adds a project form with the profile's standard rows; returns its index.
    pub fn add_project(&mut self, name: &str) -> usize {
        self.record(PartKey::Projects, None, "新增项目".into());
        let mut p = Workbook::new_project(&self.profile, name);
        p.competent_dept = self.wb.unit.clone();
        p.implementer = self.wb.unit.clone();
        self.wb.projects.push(p);
        let i = self.wb.projects.len() - 1;
        if let Some(q) = self.quiet.as_mut() {
            q.insert((Form::A3, Some(i)));
        }
        self.changed();
        i
    }

    /// Copies project `i` right after it; returns the copy's index.
    pub fn duplicate_project(&mut self, i: usize) -> Option<usize> {
        let mut copy = self.wb.projects.get(i)?.clone();
        self.record(PartKey::Projects, None, "复制项目".into());
        copy.name = format!("{}（副本）", copy.name.trim());
        self.wb.projects.insert(i + 1, copy);
        let on_copy = |l: &Location| (l.form == Form::A3 && l.project == Some(i)).then(|| Location { project: Some(i + 1), ..l.clone() });
        let typed: Vec<(Location, Typed)> = self.buffers.iter().filter_map(|(l, t)| Some((on_copy(l)?, t.clone()))).collect();
        // The copy's cells are as unconfirmed as the original's.
        let carried: Vec<String> = self.wb.carried.iter().filter_map(|c| Some(on_copy(&c.parse().ok()?)?.to_string())).collect();
        self.follow(|l| l.remap_project(|p| Some(if p > i { p + 1 } else { p })));
        self.buffers.extend(typed);
        self.wb.carried.extend(carried);
        self.changed();
        Some(i + 1)
    }

    pub fn delete_project(&mut self, i: usize) {
        if i >= self.wb.projects.len() {
            return;
        }
        self.record(PartKey::Projects, None, "删除项目".into());
        self.wb.projects.remove(i);
        self.follow(|l| l.remap_project(gone(i)));
        self.changed();
    }

    /// Marks the document saved (a saved draft reopens with everything visible, so does this one).
    pub fn saved(&mut self) {
        self.reveal_all();
        self.dirty = false;
        self.saved_state = Some((self.wb.clone(), self.buffers.clone()));
        self.history.seal();
    }

    /// Marks the document as not matching any saved file (a restored autosave).
    pub fn unsaved(&mut self) {
        self.dirty = true;
        self.saved_state = None;
    }
}

/// Whether two sets of typed text hold the same text that did not parse (what a draft saves of
/// them; text that parsed is saved as its value, and may be shown as typed or normalised).
fn same_unparsed(a: &Buffers, b: &Buffers) -> bool {
    let bad = |m: &Buffers| m.iter().filter(|(_, t)| t.error.is_some()).map(|(l, t)| (l.clone(), t.text.clone())).collect::<Vec<_>>();
    bad(a) == bad(b)
}

/// Row numbers after row `removed` is gone (1-based lists and indicator rows; 0-based projects).
fn gone(removed: usize) -> impl Fn(usize) -> Option<usize> {
    move |k| match k.cmp(&removed) {
        std::cmp::Ordering::Less => Some(k),
        std::cmp::Ordering::Equal => None,
        std::cmp::Ordering::Greater => Some(k - 1),
    }
}

/// The prefix of indicator row ids (`ind#3`).
const IND: &str = "ind#";

/// A report count's link to an indicator row (`A2.ind#8`, `A3[0].ind#4`) after `map`; `None` when
/// the row is gone. A link that is not an address by number (a project named, a typo) is kept
/// as written.
fn follow_link(link: &str, map: &impl Fn(&Location) -> Option<Location>) -> Option<String> {
    const COLUMN: &str = ".link";
    let Ok(loc) = format!("{}{COLUMN}", link.trim()).parse::<Location>() else { return Some(link.to_string()) };
    let moved = map(&loc)?;
    Some(if moved == loc { link.to_string() } else { moved.to_string().trim_end_matches(COLUMN).to_string() })
}

fn build_index(findings: &[Finding], projects: usize, quiet: impl Fn(&Finding) -> bool) -> Index {
    let mut index = Index { projects: vec![Counts::default(); projects], ..Default::default() };
    for (i, f) in findings.iter().enumerate() {
        let l = &f.location;
        if quiet(f) {
            // Not on the cell, not under the row: counted as 未填 where the form is counted.
            index.total.unfilled += 1;
            match (l.form, l.project) {
                (Form::A1, _) => index.basic.unfilled += 1,
                (Form::A2, _) => index.department.unfilled += 1,
                (Form::A3, Some(p)) if p < projects => index.projects[p].unfilled += 1,
                _ => index.report.unfilled += 1,
            }
            continue;
        }
        index.by_cell.entry(l.clone()).or_default().push(i);
        index.by_row.entry((l.form, l.project, l.row.clone())).or_default().push(i);
        index.total.add(f.severity);
        if f.rule == crate::finding::RuleId::QualSuggested {
            index.suggestions += 1;
        }
        match (l.form, l.project) {
            (Form::A1, _) => index.basic.add(f.severity),
            (Form::A2, _) => index.department.add(f.severity),
            (Form::A3, Some(p)) if p < projects => index.projects[p].add(f.severity),
            _ => index.report.add(f.severity),
        }
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::RuleId;
    use crate::sample;

    fn doc() -> Document {
        let wb = sample::miluo_2023();
        let (p, _) = resolve_profile(&wb);
        Document::new(wb, p)
    }

    fn a2(row: &str, col: &str) -> Location {
        Location::new(Form::A2, None, row, col)
    }

    #[test]
    fn bad_number_keeps_text_and_leaves_the_totals() {
        let mut d = doc();
        let loc = a2("nature.basic", "amount");
        assert!(d.edit(&loc, "353.O8"));
        assert_eq!(d.text(&loc), "353.O8");
        assert_eq!(d.wb.department.by_nature.basic, None);
        let f: Vec<_> = d.at(&loc).collect();
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].rule, RuleId::NumFormat);
        assert!(f[0].message.contains("353.O8"));
        assert!(d.eval.department.provisional);
        assert!(d.edit(&loc, "353.08"));
        assert!(d.at(&loc).all(|f| f.rule != RuleId::NumFormat));
    }

    #[test]
    fn moving_a_row_carries_its_typed_text() {
        let mut d = doc();
        let w = a2("ind#2", "weight");
        d.edit(&w, "3x");
        assert_eq!(d.move_indicator(Form::A2, None, 2, true), Some(1));
        assert_eq!(d.text(&a2("ind#1", "weight")), "3x");
        assert_eq!(d.wb.department.indicators[0].name, "2：残疾人康复");
        d.undo();
        assert_eq!(d.text(&w), "3x");
        assert_eq!(d.wb.department.indicators[1].name, "2：残疾人康复");
    }

    #[test]
    fn rows_are_added_in_their_category() {
        let mut d = doc();
        let n = d.add_indicator(Form::A2, None, "满意度指标").unwrap();
        assert_eq!(n, 17);
        assert_eq!(d.wb.department.indicators[16].l1, "满意度指标");
        d.set_category(Form::A2, None, 17, Some("成本指标"), None);
        assert_eq!(d.wb.department.indicators.last().unwrap().l1, "成本指标");
        assert_eq!(d.wb.department.indicators.last().unwrap().l2, "经济成本指标");
    }

    #[test]
    fn picking_a_level_fills_the_top_of_its_band_and_suggestions_are_accepted_at_once() {
        let mut d = doc();
        // 附件2 #16 is qualitative; clear its score and pick 部分达成: [60%, 80%] of w → 0.8w.
        let n = 16;
        let w = d.wb.department.indicators[n - 1].weight.unwrap();
        d.wb.department.indicators[n - 1].score = None;
        d.wb.department.indicators[n - 1].stated_score = None;
        d.set_level(Form::A2, None, n, Some("部分达成".into()));
        assert_eq!(d.wb.department.indicators[n - 1].score, Some(crate::display::round(w * rust_decimal::Decimal::new(8, 1), 2)));
        // A score already there is kept.
        d.set_level(Form::A2, None, n, Some("达成".into()));
        assert_eq!(d.wb.department.indicators[n - 1].score, Some(crate::display::round(w * rust_decimal::Decimal::new(8, 1), 2)));

        let mut d = doc();
        let rows: Vec<usize> = (0..d.wb.projects[0].indicators.len()).filter(|&i| !d.wb.projects[0].indicators[i].target.parts().is_quantitative()).collect();
        for &i in &rows {
            let r = &mut d.wb.projects[0].indicators[i];
            r.actual = r.target.clone();
            r.score = None;
            r.stated_score = None;
            r.level = None;
        }
        d.evaluate();
        let before = d.eval.projects[0].total_score;
        assert_eq!(d.suggestions().len(), rows.len());
        assert_eq!(d.accept_suggestions(), rows.len());
        assert!(d.suggestions().is_empty());
        assert_eq!(d.eval.projects[0].total_score, before, "accepting keeps the score the suggestion gave");
        assert!(rows.iter().all(|&i| d.wb.projects[0].indicators[i].level.as_deref() == Some("达成")));
        d.undo();
        assert_eq!(d.suggestions().len(), rows.len(), "one undo step");
    }

    #[test]
    fn project_units_follow_the_unit_name_until_edited() {
        let mut d = doc();
        let unit = Location::new(Form::A2, None, "header", "unit");
        let i = d.add_project("新项目");
        assert_eq!(d.wb.projects[i].competent_dept, d.wb.unit);
        d.edit(&Location::new(Form::A3, Some(i), "header", "implementer"), "某执行单位");
        d.seal();
        d.edit(&unit, "汨罗市残疾人联合会（新）");
        assert_eq!(d.wb.projects[i].competent_dept, "汨罗市残疾人联合会（新）", "follows");
        assert_eq!(d.wb.projects[i].implementer, "某执行单位", "edited: stays");
        d.undo();
        assert_eq!(d.wb.projects[i].competent_dept, d.wb.unit, "undo restores both");
    }

    #[test]
    fn rules_and_scope_change_at_once_and_undo() {
        let mut d = doc();
        let before = d.eval.department.total_score;
        let national = Profile::builtin("national-2020").unwrap();
        assert!(d.set_rules(national, crate::model::Scope::ALL));
        assert_eq!((d.wb.profile_id.as_str(), d.profile.id.as_str()), ("national-2020", "national-2020"));
        let output = |d: &Document| d.eval.department.categories.iter().find(|c| c.name == "产出指标").map(|c| c.weight);
        assert_eq!(output(&d), Some(rust_decimal::Decimal::from(50)), "re-scored: 产出 weighs 50 under 财预〔2020〕10号");
        let only_projects = crate::model::Scope::from_forms(&[3]).unwrap();
        assert!(d.set_rules(d.profile.clone(), only_projects));
        assert!(d.eval.findings.iter().all(|f| !matches!(f.location.form, Form::A1 | Form::A2) || f.location.row == "footer" || f.location.row == "header"));
        d.undo();
        assert_eq!(d.wb.scope, crate::model::Scope::ALL);
        d.undo();
        assert_eq!((d.wb.profile_id.as_str(), d.profile.id.as_str()), ("hunan-2023", "hunan-2023"));
        assert_eq!(d.eval.department.total_score, before);
        assert_eq!(output(&d), Some(rust_decimal::Decimal::from(30)));
    }

    #[test]
    fn a_new_drafts_blank_cells_stay_quiet_until_their_section_is_visited() {
        let p = Profile::builtin("hunan-2023").unwrap();
        let mut d = Document::new(Workbook::empty("", 2024, &p), p);
        let all = d.index.total;
        assert!(all.errors > 30, "{all:?}");
        d.quiet_until_visited();
        let q = d.index.total;
        assert!(q.unfilled > 30 && q.errors < all.errors, "{q:?}");
        assert_eq!(q.errors + q.unfilled, all.errors + all.warnings - q.warnings, "nothing lost, only moved to 未填");
        let unit = Location::new(Form::A2, None, "header", "unit");
        assert_eq!(d.severity_at(&unit), None, "not red before the user has been there");
        // Typed in and emptied again: the user touched it, so it shows.
        d.edit(&unit, "x");
        d.edit(&unit, "");
        assert_eq!(d.severity_at(&unit), Some(Severity::Error));
        let basic_before = d.index.basic;
        d.reveal(Form::A1, None);
        assert!(d.index.basic.errors > basic_before.errors && d.index.basic.unfilled == 0);
        let i = d.add_project("新项目");
        assert!(d.index.projects[i].unfilled > 0 && d.index.projects[i].errors < d.eval.findings.iter().filter(|f| f.location.project == Some(i) && f.severity == Severity::Error).count());
        d.reveal_all();
        assert_eq!(d.index.total.unfilled, 0);
        assert_eq!(d.index.total.errors, d.eval.findings.iter().filter(|f| f.severity == Severity::Error).count());
    }

    #[test]
    fn a_warning_on_a_half_typed_value_waits_until_the_cell_is_left() {
        let mut d = doc();
        let target = a2("ind#7", "target");
        let actual = a2("ind#7", "actual");
        d.edit(&target, "≥960元/人");
        d.leave_cell();
        d.typing_in(&actual);
        d.edit(&actual, "9");
        assert!(d.eval.findings.iter().any(|f| f.location == actual && f.rule == RuleId::UnitMismatch), "the engine sees it");
        assert_eq!(d.severity_at(&actual), None, "the cell does not turn amber mid-word");
        d.leave_cell();
        assert_eq!(d.severity_at(&actual), Some(Severity::Warning), "once left, it shows");
    }

    #[test]
    fn the_export_choice_follows_its_projects_through_delete_and_undo() {
        let mut d = doc();
        d.add_project("乙");
        d.add_project("丙");
        d.set_export(crate::model::ExportChoice { forms: vec![3], projects: Some(vec![0, 2]), final_copy: false });
        d.delete_project(1);
        assert_eq!(d.wb.export.projects, Some(vec![0, 1]), "丙 is now the second");
        d.undo();
        assert_eq!(d.wb.projects[2].name, "丙");
        assert_eq!(d.wb.export.projects, Some(vec![0, 2]), "undo puts the choice back with the project");
        d.undo();
        assert!(d.wb.export.is_default(), "the choice itself is an undo step");
    }

    #[test]
    fn projects_add_duplicate_delete() {
        let mut d = doc();
        let i = d.add_project("新项目");
        assert_eq!(i, 1);
        assert_eq!(d.index.projects.len(), 2);
        let c = d.duplicate_project(0).unwrap();
        assert_eq!(d.wb.projects[c].name, "残疾人就业保障金（副本）");
        d.delete_project(c);
        assert_eq!(d.wb.projects.len(), 2);
        d.undo();
        assert_eq!(d.wb.projects.len(), 3);
    }
}

//! Cell addresses (forms.md §0.2): which form, which project, which row, which column.
//!
//! The lowest layer of the domain: the model (typed text kept in drafts, carried-over marks,
//! explanations), the engine's findings and the window all name cells with [`Location`]. Its text
//! form — `A2.fund.total.executed`, `A3[0].ind#5.target` — is what drafts, JSON and `zipin get/set`
//! use ([`fmt::Display`] / [`FromStr`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Which form a cell is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Form {
    A1,
    A2,
    A3,
    A4,
}

impl Form {
    pub fn as_str(self) -> &'static str {
        match self {
            Form::A1 => "A1",
            Form::A2 => "A2",
            Form::A3 => "A3",
            Form::A4 => "A4",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Form::A1 => "附件1",
            Form::A2 => "附件2",
            Form::A3 => "附件3",
            Form::A4 => "附件4",
        }
    }
}

/// The address of one cell: form, project (附件3 only, 0-based), row id, column id
/// (forms.md §0.2). Rows: `E11`, `E10.1`, `staff`, `building#1`, `fund.total`, `fund.current_approp`,
/// `source.general_budget`, `nature.basic`, `goal`, `header`, `footer`, `austerity`, `cat:产出指标`,
/// `total`, `ind#13`. The GUI uses [`Location::widget_id`] as the id of the input for that cell.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    pub form: Form,
    pub project: Option<usize>,
    pub row: String,
    pub column: String,
}

impl Location {
    pub fn new(form: Form, project: Option<usize>, row: impl Into<String>, column: impl Into<String>) -> Location {
        Location { form, project, row: row.into(), column: column.into() }
    }
    /// A stable id for the widget editing this cell: `A3[0].ind#5.target` (the text form).
    pub fn widget_id(&self) -> String {
        self.to_string()
    }
    /// The address as forms.md writes it, with the project's name: `A3[残疾人就业保障金].ind#17.target`.
    pub fn address(&self, project_name: Option<&str>) -> String {
        match (self.project, project_name) {
            (Some(_), Some(name)) => format!("{}[{}].{}.{}", self.form.as_str(), name, self.row, self.column),
            _ => self.to_string(),
        }
    }
    /// 1-based indicator row number when this is an indicator cell.
    pub fn indicator_row(&self) -> Option<usize> {
        self.row.strip_prefix("ind#").and_then(|n| n.parse().ok())
    }
}


/// Row ids that take two dot-separated parts (`E10.1`, `fund.total`, `source.general_budget` …);
/// every other row id is one part, and the column is whatever follows.
const TWO_PART_ROWS: [&str; 5] = ["E10.", "fund.", "source.", "nature.", "report."];

impl fmt::Display for Location {
    /// The text form: `A2.fund.total.executed`, `A3[0].ind#5.target` (project index from 0).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.project {
            Some(p) => write!(f, "{}[{}].{}.{}", self.form.as_str(), p, self.row, self.column),
            None => write!(f, "{}.{}.{}", self.form.as_str(), self.row, self.column),
        }
    }
}

/// Why a text is not a cell address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressError(pub String);

impl fmt::Display for AddressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AddressError {}

impl FromStr for Location {
    type Err = AddressError;

    /// Reads the text form written by [`fmt::Display`]. A project named instead of numbered
    /// (`A3[残疾人就业保障金].ind#1.target`) needs the workbook: see [`Location::parse_with`].
    fn from_str(s: &str) -> Result<Location, AddressError> {
        Location::parse_with(s, |_| None)
    }
}

impl Location {
    /// Reads an address whose project may be given by its index or, through `project_named`, by
    /// its name (`A3[残疾人就业保障金].ind#17.target`, as forms.md writes it).
    pub fn parse_with(s: &str, project_named: impl Fn(&str) -> Option<usize>) -> Result<Location, AddressError> {
        let bad = |why: &str| AddressError(format!("「{s}」不是单元格地址：{why}（例如 A2.fund.total.executed、A3[0].ind#1.target）"));
        let s_trim = s.trim();
        let form = match s_trim.get(..2) {
            Some("A1") => Form::A1,
            Some("A2") => Form::A2,
            Some("A3") => Form::A3,
            Some("A4") => Form::A4,
            _ => return Err(bad("应以 A1、A2、A3 或 A4 开头")),
        };
        let mut rest = &s_trim[2..];
        let mut project = None;
        if let Some(inner) = rest.strip_prefix('[') {
            let close = inner.rfind("].").ok_or_else(|| bad("缺少 ]"))?;
            let key = &inner[..close];
            project = Some(match key.trim().parse::<usize>() {
                Ok(i) => i,
                Err(_) => project_named(key.trim()).ok_or_else(|| bad(&format!("没有名为「{key}」的项目")))?,
            });
            rest = &inner[close + 1..];
        }
        if form == Form::A3 && project.is_none() {
            return Err(bad("附件3 的地址须写明项目，如 A3[0]"));
        }
        if form != Form::A3 && project.is_some() {
            return Err(bad("只有附件3 的地址带项目"));
        }
        let rest = rest.strip_prefix('.').ok_or_else(|| bad("表号后应为 ."))?;
        let row_len = match TWO_PART_ROWS.iter().find(|p| rest.starts_with(*p)) {
            Some(p) => p.len() + rest[p.len()..].find('.').ok_or_else(|| bad("缺少列"))?,
            None => rest.find('.').ok_or_else(|| bad("缺少列"))?,
        };
        let (row, column) = (&rest[..row_len], &rest[row_len + 1..]);
        if row.is_empty() || column.is_empty() {
            return Err(bad("行或列为空"));
        }
        Ok(Location::new(form, project, row, column))
    }

    /// The same cell after project `i` moved to `map(i)` (`None`: the project is gone, and so is
    /// the cell). Cells not on a project form are unchanged.
    pub fn remap_project(&self, map: impl Fn(usize) -> Option<usize>) -> Option<Location> {
        match (self.form, self.project) {
            (Form::A3, Some(p)) => Some(Location { project: Some(map(p)?), ..self.clone() }),
            _ => Some(self.clone()),
        }
    }

    /// The same cell after the numbered rows `PREFIXk` of one form/project were renumbered by
    /// `map` (`ind#` for indicator rows, `E10.` for special funds, `building#`, `report.breakdown#` …).
    /// `None`: the row is gone.
    pub fn remap_row(&self, form: Form, project: Option<usize>, prefix: &str, map: impl Fn(usize) -> Option<usize>) -> Option<Location> {
        if self.form != form || self.project != project {
            return Some(self.clone());
        }
        match self.row.strip_prefix(prefix).and_then(|k| k.parse::<usize>().ok()) {
            Some(k) => Some(Location { row: format!("{prefix}{}", map(k)?), ..self.clone() }),
            None => Some(self.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form_round_trips() {
        for s in [
            "A1.E11.final",
            "A1.E10.2.name",
            "A1.building#1.actual_inv",
            "A1.footer.date",
            "A2.fund.total.executed",
            "A2.source.general_budget.amount",
            "A2.ind#13.sat.n",
            "A2.ind#13.sat:非常满意",
            "A3[12].fund.carry_over.full_year",
            "A3[0].ind#5.target",
            "A4.report.breakdown#3.amount",
            "A4.report.dept_grade.amount",
            "A4.narrative.template",
        ] {
            let loc: Location = s.parse().unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(loc.to_string(), s);
            assert_eq!(loc.widget_id(), s);
        }
        let l: Location = "A2.ind#13.sat.n".parse().unwrap();
        assert_eq!((l.row.as_str(), l.column.as_str()), ("ind#13", "sat.n"));
        let l: Location = "A1.E10.2.final".parse().unwrap();
        assert_eq!((l.row.as_str(), l.column.as_str()), ("E10.2", "final"));
    }

    #[test]
    fn bad_addresses_say_why() {
        for s in ["", "B1.x.y", "A3.ind#1.target", "A2[0].ind#1.target", "A2.header", "A2..x", "A3[x.ind#1.target"] {
            let e = s.parse::<Location>().unwrap_err();
            assert!(e.0.contains("不是单元格地址"), "{s}: {e}");
        }
        let named = Location::parse_with("A3[残疾人就业保障金].ind#17.target", |n| (n == "残疾人就业保障金").then_some(4)).unwrap();
        assert_eq!(named.to_string(), "A3[4].ind#17.target");
    }

    #[test]
    fn remapping_follows_rows_and_projects() {
        let l: Location = "A3[2].ind#5.score".parse().unwrap();
        assert_eq!(l.remap_project(|p| Some(p - 1)).unwrap().to_string(), "A3[1].ind#5.score");
        assert_eq!(l.remap_project(|_| None), None);
        assert_eq!(l.remap_row(Form::A3, Some(2), "ind#", |n| Some(n + 1)).unwrap().to_string(), "A3[2].ind#6.score");
        assert_eq!(l.remap_row(Form::A3, Some(1), "ind#", |n| Some(n + 1)).unwrap(), l, "another project");
        let f: Location = "A1.E10.3.name".parse().unwrap();
        assert_eq!(f.remap_row(Form::A1, None, "E10.", |k| k.checked_sub(1)).unwrap().to_string(), "A1.E10.2.name");
    }
}

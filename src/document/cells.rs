//! Every editable cell, addressed by its [`Location`] (forms.md §0.2): what kind of value it holds,
//! how its current value reads as text, and how typed text is written into the workbook.
//!
//! This is the one place that maps an address to a field of the model; screens, undo, jump-to-problem
//! and the tests all go through it. Nothing of the window here.

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::engine::{Form, Location};
use crate::model::{FundTotal, IndicatorRow, ReportFigures, Row3, Workbook};
use crate::parse::{self, IndicatorValue, ParseError};

/// What a cell holds, which decides how typed text is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 万元, or m² for building sizes.
    Money,
    /// Persons, posts; also the year.
    Count,
    /// 分值 / 得分.
    Score,
    Date,
    /// Free text, one line.
    Text,
    /// Free text that may run over several lines.
    LongText,
    /// 年度指标值 / 实际完成值.
    Indicator,
}

impl Kind {
    /// Cells whose text is parsed into a number or date (and may therefore fail to parse).
    pub fn is_parsed(self) -> bool {
        matches!(self, Kind::Money | Kind::Count | Kind::Score | Kind::Date)
    }
}

/// A1 fund-like row ids (`E3` … `E16`) and the three columns.
pub const ROW3_COLUMNS: [(&str, &str); 3] = [("prev", "上年决算数"), ("budget", "预算数"), ("final", "决算数")];
/// 年初预算数 / 全年预算数 / 全年执行数.
pub const FUND_COLUMNS: [(&str, &str); 3] = [("initial", "年初预算数"), ("full_year", "全年预算数"), ("executed", "全年执行数")];
/// Questionnaire cells of a satisfaction row (rules.md §4.4): N, and n_i per option
/// (`sat:非常满意`).
pub const SAT_RESPONDENTS: &str = "sat.n";
pub const SAT_OPTION: &str = "sat:";

/// The address of option `option`'s count on row `n`.
pub fn sat_option(form: Form, project: Option<usize>, n: usize, option: &str) -> Location {
    Location::new(form, project, format!("ind#{n}"), format!("{SAT_OPTION}{option}"))
}

/// Indicator grid columns that hold input.
pub const INDICATOR_COLUMNS: [&str; 6] = ["name", "target", "actual", "weight", "score", "reason"];

/// The kind of the cell at `loc` and a short Chinese label for messages, or `None` when the
/// address is not an input cell (a computed cell, a category header …).
pub fn kind(loc: &Location) -> Option<(Kind, String)> {
    let row = loc.row.as_str();
    let col = loc.column.as_str();
    let k = |kind: Kind, label: &str| Some((kind, label.to_string()));
    if row == "footer" {
        return match col {
            "preparer" => k(Kind::Text, "填表人"),
            "date" => k(Kind::Date, "填报日期"),
            "phone" => k(Kind::Text, "联系电话"),
            "head" => k(Kind::Text, "单位负责人"),
            _ => None,
        };
    }
    if let Some(n) = loc.indicator_row() {
        return match col {
            "name" => k(Kind::Text, &format!("第{n}行三级指标")),
            "target" => k(Kind::Indicator, &format!("第{n}行年度指标值")),
            "actual" => k(Kind::Indicator, &format!("第{n}行实际完成值")),
            "weight" => k(Kind::Score, &format!("第{n}行分值")),
            "score" => k(Kind::Score, &format!("第{n}行得分")),
            "reason" => k(Kind::LongText, &format!("第{n}行偏差原因分析及改进措施")),
            SAT_RESPONDENTS => k(Kind::Count, &format!("第{n}行有效问卷数")),
            c => c.strip_prefix(SAT_OPTION).and_then(|o| k(Kind::Count, &format!("第{n}行「{o}」人数"))),
        };
    }
    match loc.form {
        Form::A1 => {
            if row == "header" && col == "year" {
                return k(Kind::Count, "年度");
            }
            if row == "staff" {
                return match col {
                    "posts" => k(Kind::Count, "编制数"),
                    "in_post" => k(Kind::Count, "实际在职人数"),
                    _ => None,
                };
            }
            if row == "austerity" && col == "text" {
                return k(Kind::LongText, "厉行节约保障措施");
            }
            if let Some((_, label)) = crate::model::INPUT_ROWS.iter().find(|(id, _)| *id == row) {
                return ROW3_COLUMNS.iter().any(|(c, _)| *c == col).then(|| (Kind::Money, label.trim_start_matches("其中：").to_string()));
            }
            if let Some(k_) = row.strip_prefix("E10.").and_then(|s| s.parse::<usize>().ok()) {
                let _ = k_;
                return match col {
                    "name" => k(Kind::Text, "专项名称"),
                    c if ROW3_COLUMNS.iter().any(|(x, _)| *x == c) => k(Kind::Money, "县级专项资金"),
                    _ => None,
                };
            }
            if row.starts_with("building#") {
                return match col {
                    "name" => k(Kind::Text, "项目名称"),
                    "approved_m2" => k(Kind::Money, "批复规模"),
                    "actual_m2" => k(Kind::Money, "实际规模"),
                    "budget_inv" => k(Kind::Money, "预算投资"),
                    "actual_inv" => k(Kind::Money, "实际投资"),
                    _ => None,
                };
            }
            None
        }
        Form::A2 => match (row, col) {
            ("header", "unit") => k(Kind::Text, "预算部门名称"),
            ("fund.total", c) => FUND_COLUMNS.iter().find(|(x, _)| *x == c).and_then(|(_, l)| k(Kind::Money, l)),
            ("nature.basic", "amount") => k(Kind::Money, "基本支出"),
            ("nature.project", "amount") => k(Kind::Money, "项目支出"),
            ("goal", "expected") => k(Kind::LongText, "预期目标"),
            ("goal", "actual") => k(Kind::LongText, "实际完成情况"),
            (r, "amount") => r
                .strip_prefix("source.")
                .and_then(|id| crate::model::Sources::ROWS.iter().find(|(x, _)| *x == id))
                .and_then(|(_, l)| k(Kind::Money, l)),
            _ => None,
        },
        Form::A3 => match (row, col) {
            ("header", "name") => k(Kind::Text, "项目支出名称"),
            ("header", "competent_dept") => k(Kind::Text, "主管部门"),
            ("header", "implementer") => k(Kind::Text, "实施单位"),
            ("goal", "expected") => k(Kind::LongText, "预期目标"),
            ("goal", "actual") => k(Kind::LongText, "实际完成情况"),
            (r, c) => {
                let source = r.strip_prefix("fund.").filter(|s| ["current_approp", "carry_over", "other"].contains(s))?;
                let _ = source;
                FUND_COLUMNS.iter().find(|(x, _)| *x == c).and_then(|(_, l)| k(Kind::Money, l))
            }
        },
        Form::A4 => report_kind(row, col),
    }
}

/// 附件4 key figures (forms.md §5), by the rows R-REPORT-FIGURE names: (row, label, kind).
pub const REPORT_FIGURES: [(&str, &str, Kind); 9] = [
    ("report.basic", "基本支出", Kind::Money),
    ("report.personnel", "人员经费", Kind::Money),
    ("report.personnel_share", "人员经费占基本支出比例(%)", Kind::Score),
    ("report.public_funds", "公用经费", Kind::Money),
    ("report.public_share", "公用经费占基本支出比例(%)", Kind::Score),
    ("report.three_public", "\"三公\"经费", Kind::Money),
    ("report.project", "项目支出", Kind::Money),
    ("report.dept_score", "部门整体自评得分", Kind::Score),
    ("report.dept_grade", "部门整体自评等级", Kind::Text),
];
/// A 项目支出 breakdown line: `report.breakdown#k`.
pub const REPORT_LINE: &str = "report.breakdown#";
/// A project quoted by the report: `report.project#k`.
pub const REPORT_PROJECT: &str = "report.project#";
/// A count quoted by the report: `report.count#k` (the engine's findings use this row too).
pub const REPORT_COUNT: &str = "report.count#";

/// The lists of 附件4 whose lines the user adds and removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportList {
    /// The 项目支出 breakdown.
    Breakdown,
    /// The projects the report quotes.
    Projects,
    /// The counts the report quotes.
    Counts,
}

impl ReportList {
    pub fn prefix(self) -> &'static str {
        match self {
            ReportList::Breakdown => REPORT_LINE,
            ReportList::Projects => REPORT_PROJECT,
            ReportList::Counts => REPORT_COUNT,
        }
    }

    pub fn len(self, r: &ReportFigures) -> usize {
        match self {
            ReportList::Breakdown => r.breakdown.len(),
            ReportList::Projects => r.projects.len(),
            ReportList::Counts => r.counts.len(),
        }
    }

    /// Appends a blank line; returns its number (1-based).
    pub fn push(self, r: &mut ReportFigures) -> usize {
        match self {
            ReportList::Breakdown => r.breakdown.push(Default::default()),
            ReportList::Projects => r.projects.push(Default::default()),
            ReportList::Counts => r.counts.push(Default::default()),
        }
        self.len(r)
    }

    /// Removes line `k` (1-based) when it exists.
    pub fn remove(self, r: &mut ReportFigures, k: usize) {
        if k == 0 || k > self.len(r) {
            return;
        }
        match self {
            ReportList::Breakdown => drop(r.breakdown.remove(k - 1)),
            ReportList::Projects => drop(r.projects.remove(k - 1)),
            ReportList::Counts => drop(r.counts.remove(k - 1)),
        }
    }
}

/// The texts that mark a quoted count as possibly of another scope (口径可能不同).
fn scope_flag(text: &str) -> bool {
    matches!(text.trim(), "是" | "√" | "✓" | "Y" | "y" | "yes" | "口径不同")
}
/// The report's text (a template, see `crate::narrative`).
pub const NARRATIVE_ROW: &str = "narrative";

/// k of `report.breakdown#k` / `report.project#k` (1-based).
fn numbered(row: &str, prefix: &str) -> Option<usize> {
    row.strip_prefix(prefix)?.parse().ok().filter(|k| *k > 0)
}

fn report_kind(row: &str, col: &str) -> Option<(Kind, String)> {
    let k = |kind: Kind, label: String| Some((kind, label));
    if row == NARRATIVE_ROW && col == "template" {
        return k(Kind::LongText, "自评报告正文".into());
    }
    if let Some(n) = numbered(row, REPORT_LINE) {
        return match col {
            "name" => k(Kind::Text, format!("第{n}条项目支出明细名称")),
            "amount" => k(Kind::Money, format!("第{n}条项目支出明细金额")),
            "source" => k(Kind::Text, format!("第{n}条项目支出明细资金来源")),
            _ => None,
        };
    }
    if let Some(n) = numbered(row, REPORT_PROJECT) {
        return match col {
            "name" => k(Kind::Text, format!("报告第{n}个项目名称")),
            "budget" => k(Kind::Money, format!("报告第{n}个项目预算数")),
            "paid" => k(Kind::Money, format!("报告第{n}个项目支出数")),
            "score" => k(Kind::Score, format!("报告第{n}个项目得分")),
            _ => None,
        };
    }
    if let Some(n) = numbered(row, REPORT_COUNT) {
        return match col {
            "name" => k(Kind::Text, format!("报告第{n}个引用数量的名称")),
            "value" => k(Kind::Text, format!("报告第{n}个引用数量")),
            "rows" => k(Kind::Text, format!("报告第{n}个引用数量对应的指标行")),
            "scope" => k(Kind::Text, format!("报告第{n}个引用数量口径可能不同")),
            _ => None,
        };
    }
    let (_, label, kind) = REPORT_FIGURES.iter().find(|(r, _, _)| *r == row).filter(|_| col == "amount")?;
    k(*kind, format!("自评报告{label}"))
}

fn report_figure<'a>(r: &'a ReportFigures, row: &str) -> Option<&'a Option<Decimal>> {
    Some(match row {
        "report.basic" => &r.basic,
        "report.personnel" => &r.personnel,
        "report.personnel_share" => &r.personnel_share,
        "report.public_funds" => &r.public_funds,
        "report.public_share" => &r.public_share,
        "report.three_public" => &r.three_public,
        "report.project" => &r.project,
        "report.dept_score" => &r.dept_score,
        _ => return None,
    })
}

fn report_figure_mut<'a>(r: &'a mut ReportFigures, row: &str) -> Option<&'a mut Option<Decimal>> {
    Some(match row {
        "report.basic" => &mut r.basic,
        "report.personnel" => &mut r.personnel,
        "report.personnel_share" => &mut r.personnel_share,
        "report.public_funds" => &mut r.public_funds,
        "report.public_share" => &mut r.public_share,
        "report.three_public" => &mut r.three_public,
        "report.project" => &mut r.project,
        "report.dept_score" => &mut r.dept_score,
        _ => return None,
    })
}

fn read_report(wb: &Workbook, row: &str, col: &str) -> Option<String> {
    if row == NARRATIVE_ROW {
        return (col == "template").then(|| wb.narrative.clone().unwrap_or_else(|| crate::narrative::TEMPLATE.to_string()));
    }
    let blank = ReportFigures::default();
    let r = wb.report.as_ref().unwrap_or(&blank);
    if let Some(n) = numbered(row, REPORT_LINE) {
        let line = r.breakdown.get(n - 1)?;
        return match col {
            "name" => Some(line.name.clone()),
            "amount" => Some(num_text(line.amount)),
            "source" => Some(line.source.clone()),
            _ => None,
        };
    }
    if let Some(n) = numbered(row, REPORT_PROJECT) {
        let p = r.projects.get(n - 1)?;
        return match col {
            "name" => Some(p.name.clone()),
            "budget" => Some(num_text(p.budget)),
            "paid" => Some(num_text(p.paid)),
            "score" => Some(num_text(p.score)),
            _ => None,
        };
    }
    if let Some(n) = numbered(row, REPORT_COUNT) {
        let c = r.counts.get(n - 1)?;
        return match col {
            "name" => Some(c.name.clone()),
            "value" => Some(c.value.clone()),
            "rows" => Some(c.rows.join("，")),
            "scope" => Some(if c.different_scope { "是".into() } else { String::new() }),
            _ => None,
        };
    }
    match (row, col) {
        ("report.dept_grade", "amount") => Some(r.dept_grade.clone()),
        (_, "amount") => report_figure(r, row).map(|v| num_text(*v)),
        _ => None,
    }
}

fn store_report(wb: &mut Workbook, row: &str, col: &str, v: Value) -> bool {
    let (num, text) = match v {
        Value::Num(n) => (n, String::new()),
        Value::Text(t) => (None, t),
        _ => (None, String::new()),
    };
    if row == NARRATIVE_ROW {
        if col != "template" {
            return false;
        }
        wb.narrative = Some(text);
        return true;
    }
    let r = wb.report.get_or_insert_with(Default::default);
    if let Some(n) = numbered(row, REPORT_LINE) {
        let Some(line) = r.breakdown.get_mut(n - 1) else { return false };
        match col {
            "name" => line.name = text,
            "amount" => line.amount = num,
            "source" => line.source = text,
            _ => return false,
        }
        return true;
    }
    if let Some(n) = numbered(row, REPORT_PROJECT) {
        let Some(p) = r.projects.get_mut(n - 1) else { return false };
        match col {
            "name" => p.name = text,
            "budget" => p.budget = num,
            "paid" => p.paid = num,
            "score" => p.score = num,
            _ => return false,
        }
        return true;
    }
    if let Some(n) = numbered(row, REPORT_COUNT) {
        let Some(c) = r.counts.get_mut(n - 1) else { return false };
        match col {
            "name" => c.name = text,
            "value" => c.value = text,
            "rows" => {
                c.rows = text.split([',', '，', ';', '；', ' ', '、']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
            }
            "scope" => c.different_scope = scope_flag(&text),
            _ => return false,
        }
        return true;
    }
    match (row, col) {
        ("report.dept_grade", "amount") => r.dept_grade = text,
        (_, "amount") => match report_figure_mut(r, row) {
            Some(cell) => *cell = num,
            None => return false,
        },
        _ => return false,
    }
    true
}

fn num_text(d: Option<Decimal>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn row3_cell<'a>(row: &'a Row3, col: &str) -> Option<&'a Option<Decimal>> {
    match col {
        "prev" => Some(&row.prev),
        "budget" => Some(&row.budget),
        "final" => Some(&row.fin),
        _ => None,
    }
}

fn fund_cell<'a>(f: &'a FundTotal, col: &str) -> Option<&'a Option<Decimal>> {
    match col {
        "initial" => Some(&f.initial),
        "full_year" => Some(&f.full_year),
        "executed" => Some(&f.executed),
        _ => None,
    }
}

fn fund_cell_mut<'a>(f: &'a mut FundTotal, col: &str) -> Option<&'a mut Option<Decimal>> {
    match col {
        "initial" => Some(&mut f.initial),
        "full_year" => Some(&mut f.full_year),
        "executed" => Some(&mut f.executed),
        _ => None,
    }
}

/// The indicator rows of the form `loc` is on (附件2, or one 附件3).
pub fn indicators<'a>(wb: &'a Workbook, form: Form, project: Option<usize>) -> Option<&'a Vec<IndicatorRow>> {
    match (form, project) {
        (Form::A2, _) => Some(&wb.department.indicators),
        (Form::A3, Some(p)) => wb.projects.get(p).map(|p| &p.indicators),
        _ => None,
    }
}

pub fn indicators_mut(wb: &mut Workbook, form: Form, project: Option<usize>) -> Option<&mut Vec<IndicatorRow>> {
    match (form, project) {
        (Form::A2, _) => Some(&mut wb.department.indicators),
        (Form::A3, Some(p)) => wb.projects.get_mut(p).map(|p| &mut p.indicators),
        _ => None,
    }
}

/// Whether the cell at `loc` is there in `wb` (its row, list line or project exists).
pub fn exists(wb: &Workbook, loc: &Location) -> bool {
    read_opt(wb, loc).is_some()
}

/// The cell's current value as text (what an input shows when it has no typed text of its own).
pub fn read(wb: &Workbook, loc: &Location) -> String {
    read_opt(wb, loc).unwrap_or_default()
}

fn read_opt(wb: &Workbook, loc: &Location) -> Option<String> {
    let row = loc.row.as_str();
    let col = loc.column.as_str();
    if row == "footer" {
        let f = &wb.footer;
        return Some(match col {
            "preparer" => f.preparer.clone(),
            "date" => f.date.map(|d| d.format("%Y.%m.%d").to_string()).unwrap_or_default(),
            "phone" => f.phone.clone(),
            "head" => f.head.clone(),
            _ => return None,
        });
    }
    if let Some(n) = loc.indicator_row() {
        let r = indicators(wb, loc.form, loc.project)?.get(n.checked_sub(1)?)?;
        return Some(match col {
            "name" => r.name.clone(),
            "target" => r.target.raw().to_string(),
            "actual" => r.actual.raw().to_string(),
            "weight" => num_text(r.weight),
            "score" => num_text(r.score.or(r.stated_score)),
            "reason" => r.reason.clone(),
            SAT_RESPONDENTS => r.satisfaction.as_ref().map(|q| q.respondents).filter(|n| *n > 0).map(|n| n.to_string()).unwrap_or_default(),
            c => {
                let o = c.strip_prefix(SAT_OPTION)?;
                let q = r.satisfaction.as_ref();
                let n = q.and_then(|q| q.counts.iter().find(|(x, _)| x == o)).map_or(0, |(_, n)| *n);
                if n > 0 { n.to_string() } else { String::new() }
            }
        });
    }
    match loc.form {
        Form::A1 => {
            let b = &wb.basic;
            match (row, col) {
                ("header", "year") => Some(wb.year.to_string()),
                ("staff", "posts") => Some(b.posts.map(|v| v.to_string()).unwrap_or_default()),
                ("staff", "in_post") => Some(b.in_post.map(|v| v.to_string()).unwrap_or_default()),
                ("austerity", "text") => Some(b.austerity.clone()),
                (r, c) if r.starts_with("E10.") => {
                    let k: usize = r["E10.".len()..].parse().ok()?;
                    let fund = b.special_funds.get(k.checked_sub(1)?)?;
                    if c == "name" {
                        Some(fund.name.clone())
                    } else {
                        row3_cell(&fund.amounts, c).map(|v| num_text(*v))
                    }
                }
                (r, c) if r.starts_with("building#") => {
                    let k: usize = r["building#".len()..].parse().ok()?;
                    let bld = b.buildings.get(k.checked_sub(1)?)?;
                    Some(match c {
                        "name" => bld.name.clone(),
                        "approved_m2" => num_text(bld.approved_m2),
                        "actual_m2" => num_text(bld.actual_m2),
                        "budget_inv" => num_text(bld.budget_inv),
                        "actual_inv" => num_text(bld.actual_inv),
                        _ => return None,
                    })
                }
                (r, c) => b.row(r).and_then(|row| row3_cell(row, c)).map(|v| num_text(*v)),
            }
        }
        Form::A2 => {
            let d = &wb.department;
            match (row, col) {
                ("header", "unit") => Some(wb.unit.clone()),
                ("fund.total", c) => fund_cell(&d.funds, c).map(|v| num_text(*v)),
                ("nature.basic", "amount") => Some(num_text(d.by_nature.basic)),
                ("nature.project", "amount") => Some(num_text(d.by_nature.project)),
                ("goal", "expected") => Some(d.goal_expected.clone()),
                ("goal", "actual") => Some(d.goal_actual.clone()),
                (r, "amount") => {
                    let id = r.strip_prefix("source.")?;
                    let i = crate::model::Sources::ROWS.iter().position(|(x, _)| *x == id)?;
                    Some(num_text(d.by_source.values()[i]))
                }
                _ => None,
            }
        }
        Form::A3 => {
            let p = wb.projects.get(loc.project?)?;
            match (row, col) {
                ("header", "name") => Some(p.name.clone()),
                ("header", "competent_dept") => Some(p.competent_dept.clone()),
                ("header", "implementer") => Some(p.implementer.clone()),
                ("goal", "expected") => Some(p.goal_expected.clone()),
                ("goal", "actual") => Some(p.goal_actual.clone()),
                (r, c) => {
                    let id = r.strip_prefix("fund.")?;
                    let (_, _, f) = p.sources().into_iter().find(|(x, _, _)| *x == id)?;
                    fund_cell(f, c).map(|v| num_text(*v))
                }
            }
        }
        Form::A4 => read_report(wb, row, col),
    }
}

/// A parsed value ready to be stored.
enum Value {
    Num(Option<Decimal>),
    Count(Option<u32>),
    Date(Option<chrono::NaiveDate>),
    Text(String),
}

fn parse_for(kind: Kind, text: &str) -> Result<Value, ParseError> {
    Ok(match kind {
        Kind::Money | Kind::Score => Value::Num(parse::parse_decimal(text)?),
        Kind::Count => Value::Count(parse::parse_count(text)?),
        Kind::Date => Value::Date(parse::parse_date(text)?),
        Kind::Text | Kind::LongText | Kind::Indicator => Value::Text(text.to_string()),
    })
}

/// Parses `text` for the cell at `loc` without writing anything.
pub fn check(loc: &Location, text: &str) -> Result<(), ParseError> {
    match kind(loc) {
        Some((k, _)) => parse_for(k, text).map(|_| ()),
        None => Ok(()),
    }
}

/// Writes `text` into the cell at `loc`. When the text does not parse, the cell is left blank (its
/// last good value no longer counts) and the parse error is returned; the caller keeps the text.
/// Returns `Ok(false)` when `loc` is not an input cell.
pub fn write(wb: &mut Workbook, loc: &Location, text: &str) -> Result<bool, ParseError> {
    let Some((kind, _)) = kind(loc) else { return Ok(false) };
    match parse_for(kind, text) {
        Ok(v) => Ok(store(wb, loc, v)),
        Err(e) => {
            let blank = match kind {
                Kind::Count => Value::Count(None),
                Kind::Date => Value::Date(None),
                _ => Value::Num(None),
            };
            store(wb, loc, blank);
            Err(e)
        }
    }
}

fn store(wb: &mut Workbook, loc: &Location, v: Value) -> bool {
    let row = loc.row.as_str();
    let col = loc.column.as_str();
    let num = |v: &Value| match v {
        Value::Num(n) => *n,
        _ => None,
    };
    let text = |v: Value| match v {
        Value::Text(t) => t,
        _ => String::new(),
    };
    if row == "footer" {
        let f = &mut wb.footer;
        match (col, v) {
            ("date", Value::Date(d)) => f.date = d,
            ("preparer", v) => f.preparer = text(v),
            ("phone", v) => f.phone = text(v),
            ("head", v) => f.head = text(v),
            _ => return false,
        }
        return true;
    }
    if let Some(n) = loc.indicator_row() {
        let Some(r) = indicators_mut(wb, loc.form, loc.project).and_then(|rows| rows.get_mut(n.wrapping_sub(1))) else {
            return false;
        };
        match col {
            "name" => r.name = text(v),
            "target" => r.target = IndicatorValue::new(text(v)),
            "actual" => r.actual = IndicatorValue::new(text(v)),
            "weight" => r.weight = num(&v),
            "score" => {
                r.score = num(&v);
                // A score typed by the user replaces the one a filed form printed.
                r.stated_score = None;
            }
            "reason" => r.reason = text(v),
            c => {
                let Value::Count(count) = v else { return false };
                let count = count.unwrap_or(0);
                let q = r.satisfaction.get_or_insert_with(Default::default);
                if c == SAT_RESPONDENTS {
                    q.respondents = count;
                } else if let Some(o) = c.strip_prefix(SAT_OPTION) {
                    match q.counts.iter_mut().find(|(x, _)| x == o) {
                        Some((_, n)) => *n = count,
                        None => q.counts.push((o.to_string(), count)),
                    }
                } else {
                    return false;
                }
            }
        }
        return true;
    }
    match loc.form {
        Form::A1 => {
            let b = &mut wb.basic;
            match (row, col) {
                ("header", "year") => {
                    if let Value::Count(c) = v {
                        wb.year = c.and_then(|c| u16::try_from(c).ok()).unwrap_or(0);
                    }
                }
                ("staff", "posts") => {
                    if let Value::Count(c) = v {
                        b.posts = c;
                    }
                }
                ("staff", "in_post") => {
                    if let Value::Count(c) = v {
                        b.in_post = c;
                    }
                }
                ("austerity", "text") => b.austerity = text(v),
                (r, c) if r.starts_with("E10.") => {
                    let Some(fund) = r["E10.".len()..]
                        .parse::<usize>()
                        .ok()
                        .and_then(|k| b.special_funds.get_mut(k.wrapping_sub(1)))
                    else {
                        return false;
                    };
                    if c == "name" {
                        fund.name = text(v);
                    } else if let Some(cell) = fund.amounts.cell_mut(c) {
                        *cell = num(&v);
                    } else {
                        return false;
                    }
                }
                (r, c) if r.starts_with("building#") => {
                    let Some(bld) = r["building#".len()..]
                        .parse::<usize>()
                        .ok()
                        .and_then(|k| b.buildings.get_mut(k.wrapping_sub(1)))
                    else {
                        return false;
                    };
                    match c {
                        "name" => bld.name = text(v),
                        "approved_m2" => bld.approved_m2 = num(&v),
                        "actual_m2" => bld.actual_m2 = num(&v),
                        "budget_inv" => bld.budget_inv = num(&v),
                        "actual_inv" => bld.actual_inv = num(&v),
                        _ => return false,
                    }
                }
                (r, c) => match b.row_mut(r).and_then(|row| row.cell_mut(c)) {
                    Some(cell) => *cell = num(&v),
                    None => return false,
                },
            }
            true
        }
        Form::A2 => {
            let d = &mut wb.department;
            match (row, col) {
                ("header", "unit") => wb.unit = text(v),
                ("fund.total", c) => match fund_cell_mut(&mut d.funds, c) {
                    Some(cell) => *cell = num(&v),
                    None => return false,
                },
                ("nature.basic", "amount") => d.by_nature.basic = num(&v),
                ("nature.project", "amount") => d.by_nature.project = num(&v),
                ("goal", "expected") => d.goal_expected = text(v),
                ("goal", "actual") => d.goal_actual = text(v),
                (r, "amount") => match r.strip_prefix("source.").and_then(|id| d.by_source.get_mut(id)) {
                    Some(cell) => *cell = num(&v),
                    None => return false,
                },
                _ => return false,
            }
            true
        }
        Form::A3 => {
            let Some(p) = loc.project.and_then(|i| wb.projects.get_mut(i)) else { return false };
            match (row, col) {
                ("header", "name") => p.name = text(v),
                ("header", "competent_dept") => p.competent_dept = text(v),
                ("header", "implementer") => p.implementer = text(v),
                ("goal", "expected") => p.goal_expected = text(v),
                ("goal", "actual") => p.goal_actual = text(v),
                (r, c) => match r.strip_prefix("fund.").and_then(|id| p.source_mut(id)).and_then(|f| fund_cell_mut(f, c)) {
                    Some(cell) => *cell = num(&v),
                    None => return false,
                },
            }
            true
        }
        Form::A4 => store_report(wb, row, col, v),
    }
}

/// `Decimal::from_str` for tests and callers that hold plain digits.
pub fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("a decimal literal")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample;

    fn a1(row: &str, col: &str) -> Location {
        Location::new(Form::A1, None, row, col)
    }

    #[test]
    fn read_and_write_round_trip_every_kind() {
        let mut wb = sample::miluo_2023();
        assert_eq!(read(&wb, &a1("E11", "final")), "18.3");
        assert_eq!(write(&mut wb, &a1("E11", "final"), "1,005.67"), Ok(true));
        assert_eq!(wb.basic.public_funds.fin, Some(dec("1005.67")));
        assert!(write(&mut wb, &a1("E11", "final"), "abc").is_err());
        assert_eq!(wb.basic.public_funds.fin, None, "a bad cell leaves the totals");
        let d = Location::new(Form::A2, None, "ind#13", "target");
        write(&mut wb, &d, "≥95%").unwrap();
        assert_eq!(read(&wb, &d), "≥95%");
        let f = a1("footer", "date");
        write(&mut wb, &f, "2024年10月10日").unwrap();
        assert_eq!(read(&wb, &f), "2024.10.10");
        let p = Location::new(Form::A3, Some(0), "fund.current_approp", "full_year");
        write(&mut wb, &p, "１５４").unwrap();
        assert_eq!(wb.projects[0].current_approp.full_year, Some(dec("154")));
        assert_eq!(write(&mut wb, &Location::new(Form::A2, None, "fund.total", "rate"), "1"), Ok(false));
    }
}

//! The workbook: one unit's filing for one year — 附件1, 附件2, every 附件3 and the signature block.
//!
//! Only what the user enters is stored. Subtotals, rates, scores and grades are computed by
//! [`crate::engine::evaluate`] every time. The one exception is `stated`: values a *filed* form
//! printed where the app would compute them, kept only so they can be compared with the computed
//! ones (R-SCORE-MISMATCH, R-TOTAL-MISMATCH, R-RATE-STATED, R-SUM-CHILDREN). In normal entry they
//! stay `None`.
//!
//! Money is `Decimal` in 万元; `None` is a blank cell, distinct from 0.

mod basic;
mod department;
mod indicator;
mod project;
mod report;

pub use basic::{BasicData, BasicStated, Building, Fund3, Row3, INPUT_ROWS};
pub use department::{DeptSelfEval, Nature, Sources};
pub use indicator::{FiledShape, IndicatorRow, Questionnaire};
pub use project::ProjectSelfEval;
pub use report::{ReportCount, ReportFigures, ReportLine, ReportProject};

mod rollover;
pub use rollover::rollover;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An amount in 万元.
pub type Money = Decimal;

/// One year's filing of one budget unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Workbook {
    /// 预算部门名称, entered once and printed on every form.
    pub unit: String,
    /// The evaluation year Y (the year whose spending is evaluated).
    pub year: u16,
    /// Id of the rule profile (`templates/profiles/<id>.ron`).
    pub profile_id: String,
    /// 附件1 部门整体支出绩效评价基础数据表.
    pub basic: BasicData,
    /// 附件2 部门整体支出绩效自评表.
    pub department: DeptSelfEval,
    /// 附件3 项目支出绩效自评表, one per project.
    pub projects: Vec<ProjectSelfEval>,
    /// 填表人 / 填报日期 / 联系电话 / 单位负责人, printed under each form.
    pub footer: Footer,
    /// 附件4 key figures, when captured for cross-checking.
    pub report: Option<ReportFigures>,
    /// 填报说明: explanations the user attached to warnings that concern no indicator row
    /// (row-level explanations go into that row's 偏差原因); printed after the forms (rules.md §8).
    /// Since draft schema version 2.
    pub explanations: Vec<Explanation>,
    /// Cells carried over from last year's draft by `rollover` and not yet confirmed by the user,
    /// by [`crate::address::Location::widget_id`]. Since draft schema version 2.
    pub carried: std::collections::BTreeSet<String>,
    /// Text typed into number and date cells that is not a valid value, kept word for word so
    /// nothing typed is lost (the cell itself stays blank and R-NUM-FORMAT reports it until it is
    /// corrected). Written by the window when it saves; absent from drafts that have none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unparsed: Vec<Unparsed>,
    /// 附件4 自评报告: the report's text as a template whose placeholders (`{总分}`, `{执行率}` …)
    /// are filled from the evaluation (`crate::narrative`), so text and tables cannot disagree.
    /// `None` = not adopted (not printed). Optional in drafts of any version.
    pub narrative: Option<String>,
    /// Which forms this filing comprises (since draft schema version 3; older drafts: all).
    pub scope: Scope,
    /// What the window's export picker chose last for this draft (optional in any version).
    #[serde(skip_serializing_if = "ExportChoice::is_default")]
    pub export: ExportChoice,
}

/// The forms and projects to print, and whether as the final copy: the export picker's choice,
/// remembered per draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ExportChoice {
    /// Form numbers 1–4; empty = every form of the filing.
    pub forms: Vec<u8>,
    /// 附件3 projects, 0-based; `None` = all.
    pub projects: Option<Vec<usize>>,
    /// 正式版: refused while errors remain (no watermark).
    pub final_copy: bool,
}

impl ExportChoice {
    pub fn is_default(&self) -> bool {
        *self == ExportChoice::default()
    }
}

/// The forms a filing comprises. Forms out of scope are not shown, validated, counted or printed.
///
/// 附件1 and 附件2 are filed together (部门整体); 附件3 is one form per project; 附件4 (the report)
/// belongs to the 部门整体 filing. The cells every form prints — 预算部门名称, 年度 and the
/// signature block — belong to every scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scope {
    /// 部门整体: 附件1 + 附件2.
    pub department: bool,
    /// 项目: the 附件3 of each project.
    pub projects: bool,
    /// 附件4 自评报告 (with the 部门整体 filing only).
    pub report: bool,
}

impl Default for Scope {
    fn default() -> Scope {
        Scope::ALL
    }
}

impl Scope {
    pub const ALL: Scope = Scope { department: true, projects: true, report: true };

    /// From the form numbers a user gives (`--forms 1,2,3`): 1 and 2 together, 4 only with them.
    /// An empty list means all.
    pub fn from_forms(forms: &[u8]) -> Result<Scope, String> {
        if forms.is_empty() {
            return Ok(Scope::ALL);
        }
        if let Some(n) = forms.iter().find(|n| !(1..=4).contains(*n)) {
            return Err(format!("没有附件{n}（可选 1、2、3、4）"));
        }
        let has = |n: u8| forms.contains(&n);
        if has(1) != has(2) {
            return Err("附件1和附件2同属部门整体支出，须一起填报（--forms 1,2）".into());
        }
        if has(4) && !has(1) {
            return Err("附件4自评报告属部门整体支出，须与附件1、2一起填报".into());
        }
        Ok(Scope { department: has(1), projects: has(3), report: has(4) })
    }

    /// The form numbers in scope, for messages and the command line.
    pub fn forms(self) -> Vec<u8> {
        let mut out = Vec::new();
        if self.department {
            out.extend([1, 2]);
        }
        if self.projects {
            out.push(3);
        }
        if self.has_report() {
            out.push(4);
        }
        out
    }

    pub fn has_report(self) -> bool {
        self.department && self.report
    }

    /// Whether a form is filed: 附件1/2 with the department, 附件3 with projects, 附件4 with the report.
    pub fn has(self, form: crate::address::Form) -> bool {
        use crate::address::Form;
        match form {
            Form::A1 | Form::A2 => self.department,
            Form::A3 => self.projects,
            Form::A4 => self.has_report(),
        }
    }

    /// A short Chinese description: 部门整体+项目, 仅项目 …
    pub fn label(self) -> String {
        match (self.department, self.projects) {
            (true, true) => "部门整体和项目".into(),
            (true, false) => "仅部门整体".into(),
            (false, true) => "仅项目".into(),
            (false, false) => "未选择表格".into(),
        }
    }
}

/// One cell's typed text that did not parse.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unparsed {
    pub cell: crate::address::Location,
    /// The field's name as the forms print it (for the message).
    pub label: String,
    pub text: String,
}

/// An explanation attached to a finding (填报说明).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Explanation {
    /// Rule ID, e.g. "R-EXEC-OVER-BUDGET".
    pub rule: String,
    /// The cell, as `Location::widget_id` gives it, e.g. "A2.fund.total.executed".
    pub cell: String,
    pub text: String,
}

/// The signature line under each form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Footer {
    /// 填表人
    pub preparer: String,
    /// 填报日期
    pub date: Option<NaiveDate>,
    /// 联系电话
    pub phone: String,
    /// 单位负责人 (printed name; the signature itself is handwritten on paper).
    pub head: String,
}

/// 年初预算数 / 全年预算数 / 全年执行数 of a funds row (附件2 总额, 附件3 source rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct FundTotal {
    pub initial: Option<Money>,
    pub full_year: Option<Money>,
    pub executed: Option<Money>,
}

/// Totals a filed form printed where the app computes them (import only; empty in normal entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct StatedTotals {
    /// The printed 执行率 in percent (172.85 for "172.85%").
    pub exec_rate: Option<Decimal>,
    /// The printed 执行率 得分.
    pub exec_score: Option<Decimal>,
    /// 总分 row, 分值 column.
    pub total_weight: Option<Decimal>,
    /// 总分 row, 得分 column.
    pub total_score: Option<Decimal>,
    /// 附件3: the printed 年度资金总额 row (the app computes it as the sum of the source rows).
    pub fund_total: Option<FundTotal>,
}

impl Workbook {
    /// An empty draft for `unit`, `year`, scored with `profile`: one blank indicator row under
    /// every 二级 category of the profile, in printed order.
    pub fn empty(unit: &str, year: u16, profile: &crate::profile::Profile) -> Workbook {
        Workbook {
            unit: unit.trim().to_string(),
            year,
            profile_id: profile.id.clone(),
            basic: BasicData::default(),
            department: DeptSelfEval { indicators: IndicatorRow::standard_rows(profile), ..Default::default() },
            projects: Vec::new(),
            footer: Footer::default(),
            report: None,
            explanations: Vec::new(),
            carried: Default::default(),
            unparsed: Vec::new(),
            narrative: None,
            scope: Scope::ALL,
            export: ExportChoice::default(),
        }
    }

    /// A new project form with the profile's standard rows.
    pub fn new_project(profile: &crate::profile::Profile, name: &str) -> ProjectSelfEval {
        ProjectSelfEval {
            name: name.to_string(),
            indicators: IndicatorRow::standard_rows(profile),
            ..Default::default()
        }
    }
}

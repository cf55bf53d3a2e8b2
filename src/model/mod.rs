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

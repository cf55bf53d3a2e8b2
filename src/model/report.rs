//! 附件4 自评报告: the key figures the narrative report quotes (forms.md §5), captured only so
//! they can be cross-checked against the forms (R-REPORT-FIGURE).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Money;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ReportFigures {
    /// 基本支出
    pub basic: Option<Money>,
    /// 人员经费, and the share of 基本支出 the report states (percent).
    pub personnel: Option<Money>,
    pub personnel_share: Option<Decimal>,
    /// 公用经费, and its stated share (percent).
    pub public_funds: Option<Money>,
    pub public_share: Option<Decimal>,
    /// "三公"经费
    pub three_public: Option<Money>,
    /// 项目支出
    pub project: Option<Money>,
    /// The 项目支出 breakdown lines.
    pub breakdown: Vec<ReportLine>,
    /// The department's self-evaluation score and grade as the report states them.
    pub dept_score: Option<Decimal>,
    pub dept_grade: String,
    /// Per project: budget, amount paid, score.
    pub projects: Vec<ReportProject>,
    /// Counts the report's text quotes (150户, 近400人), each linked to the indicator rows it
    /// speaks of.
    pub counts: Vec<ReportCount>,
}

/// A count quoted by the report, e.g. 盲人 "近400人", linked to indicator rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ReportCount {
    /// What is counted, as the report names it.
    pub name: String,
    /// The count as quoted: a number with its unit, optionally approximate: "50人", "1.82万人",
    /// "近400人" (fewer than 400), "约200人", "400余件" / "超过400件" (more than 400).
    pub value: String,
    /// The indicator rows it concerns: `A2.ind#8`, `A3[0].ind#4` (project by position) or
    /// `A3[残疾人就业保障金].ind#4` (by name).
    pub rows: Vec<String>,
    /// The report may count another population or period than the rows (the sample's 199
    /// children trained vs 156 rehabilitated): a difference is reported as information only.
    pub different_scope: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ReportLine {
    pub name: String,
    pub amount: Option<Money>,
    /// e.g. 彩票公益金
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ReportProject {
    pub name: String,
    pub budget: Option<Money>,
    pub paid: Option<Money>,
    pub score: Option<Decimal>,
}

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

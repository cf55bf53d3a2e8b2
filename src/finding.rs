//! A validation finding: rule ID (rules.md §9), severity, the exact cell, a message in Chinese.
//!
//! Below the model and the engine: profiles name rules and severities, the engine produces findings,
//! drafts and the window read them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How serious a finding is. `Error` blocks a final export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

macro_rules! rules {
    ($($variant:ident = $id:literal, $sev:ident;)*) => {
        /// Stable rule IDs, exactly as in rules.md §9.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId { $($variant),* }

        impl RuleId {
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant),*];
            pub fn as_str(self) -> &'static str {
                match self { $(RuleId::$variant => $id),* }
            }
            /// Severity before profile overrides.
            pub fn default_severity(self) -> Severity {
                match self { $(RuleId::$variant => Severity::$sev),* }
            }
            pub fn from_str_id(s: &str) -> Option<RuleId> {
                match s { $($id => Some(RuleId::$variant),)* _ => None }
            }
        }
    };
}

rules! {
    Required = "R-REQUIRED", Error;
    RequiredText = "R-REQUIRED-TEXT", Warning;
    NumFormat = "R-NUM-FORMAT", Error;
    Negative = "R-NEGATIVE", Error;
    RateUndefined = "R-RATE-UNDEFINED", Info;
    RateStated = "R-RATE-STATED", Warning;
    SumChildren = "R-SUM-CHILDREN", Error;
    SumAtLeast = "R-SUM-ATLEAST", Error;
    IncomeSum = "R-INCOME-SUM", Error;
    ExpendSum = "R-EXPEND-SUM", Error;
    ExecOverBudget = "R-EXEC-OVER-BUDGET", Warning;
    WeightCategory = "R-WEIGHT-CATEGORY", Error;
    WeightTotal = "R-WEIGHT-TOTAL", Error;
    CategoryUnknown = "R-CATEGORY-UNKNOWN", Error;
    TargetMissing = "R-TARGET-MISSING", Error;
    ActualMissing = "R-ACTUAL-MISSING", Error;
    TargetFormat = "R-TARGET-FORMAT", Error;
    ActualComparator = "R-ACTUAL-COMPARATOR", Error;
    UnitMismatch = "R-UNIT-MISMATCH", Warning;
    ScoreRange = "R-SCORE-RANGE", Error;
    ScoreMismatch = "R-SCORE-MISMATCH", Error;
    QualBand = "R-QUAL-BAND", Error;
    QualSuggested = "R-QUAL-SUGGESTED", Info;
    DeviationRequired = "R-DEVIATION-REQUIRED", Error;
    OverCompletion = "R-OVER-COMPLETION", Warning;
    IndicatorDuplicate = "R-INDICATOR-DUPLICATE", Warning;
    IndicatorExecDup = "R-INDICATOR-EXEC-DUP", Warning;
    CostDirection = "R-COST-DIRECTION", Info;
    TotalMismatch = "R-TOTAL-MISMATCH", Error;
    SatisfactionCount = "R-SATISFACTION-COUNT", Error;
    XformFund = "R-XFORM-FUND", Error;
    XformProject = "R-XFORM-PROJECT", Error;
    XformName = "R-XFORM-NAME", Warning;
    XformIndicator = "R-XFORM-INDICATOR", Warning;
    ReportFigure = "R-REPORT-FIGURE", Warning;
    PhoneFormat = "R-PHONE-FORMAT", Warning;
    DateRange = "R-DATE-RANGE", Warning;
}

impl RuleId {
    /// rules.md §8: these keep their severity whatever the profile says.
    pub fn severity_overridable(self) -> bool {
        let id = self.as_str();
        !(id == "R-REQUIRED" || id == "R-TOTAL-MISMATCH" || id.starts_with("R-WEIGHT-") || id.starts_with("R-SUM-"))
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

pub use crate::address::{Form, Location};

/// One problem found in a workbook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    pub location: Location,
    pub message: String,
}

impl Finding {
    /// R-NUM-FORMAT for text the user typed that does not parse; the GUI raises it for cells
    /// whose text never reached the workbook.
    pub fn num_format(location: Location, field: &str, value: &str) -> Finding {
        Finding {
            rule: RuleId::NumFormat,
            severity: RuleId::NumFormat.default_severity(),
            location,
            message: format!("「{field}」不是有效数值：{value}"),
        }
    }
}

//! 附件3 项目支出绩效自评表 (forms.md §4), one per project.

use serde::{Deserialize, Serialize};

use super::{FundTotal, IndicatorRow, StatedTotals};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ProjectSelfEval {
    /// 项目支出名称; links to an 附件1 fund row E10.k by name.
    pub name: String,
    /// 主管部门
    pub competent_dept: String,
    /// 实施单位
    pub implementer: String,
    /// Profile for this project; `None` uses the workbook's.
    pub profile_id: Option<String>,
    /// 其中：当年财政拨款
    pub current_approp: FundTotal,
    /// 上年结转资金
    pub carry_over: FundTotal,
    /// 其他资金
    pub other: FundTotal,
    pub goal_expected: String,
    pub goal_actual: String,
    pub indicators: Vec<IndicatorRow>,
    /// Printed totals of a filed form (import only).
    pub stated: Option<StatedTotals>,
}

/// `SOURCES`, `sources`, `source` and `source_mut` of [`ProjectSelfEval`], from one table.
macro_rules! source_rows {
    ($($id:literal => $field:ident, $label:literal;)*) => {
        /// The source rows' ids and labels, in printed order.
        pub const SOURCES: [(&'static str, &'static str); 3] = [$(($id, $label)),*];
        /// The source rows with their ids and labels, in printed order.
        pub fn sources(&self) -> [(&'static str, &'static str, &FundTotal); 3] {
            [$(($id, $label, &self.$field)),*]
        }
        /// A source row by its id (`current_approp` …).
        pub fn source(&self, id: &str) -> Option<&FundTotal> {
            Some(match id {
                $($id => &self.$field,)*
                _ => return None,
            })
        }
        pub fn source_mut(&mut self, id: &str) -> Option<&mut FundTotal> {
            Some(match id {
                $($id => &mut self.$field,)*
                _ => return None,
            })
        }
    };
}

impl ProjectSelfEval {
    source_rows! {
        "current_approp" => current_approp, "其中：当年财政拨款";
        "carry_over" => carry_over, "上年结转资金";
        "other" => other, "其他资金";
    }
}

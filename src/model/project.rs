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

impl ProjectSelfEval {
    /// The source rows with their ids and labels, in printed order.
    pub fn sources(&self) -> [(&'static str, &'static str, &FundTotal); 3] {
        [
            ("current_approp", "其中：当年财政拨款", &self.current_approp),
            ("carry_over", "上年结转资金", &self.carry_over),
            ("other", "其他资金", &self.other),
        ]
    }
    pub fn source_mut(&mut self, id: &str) -> Option<&mut FundTotal> {
        Some(match id {
            "current_approp" => &mut self.current_approp,
            "carry_over" => &mut self.carry_over,
            "other" => &mut self.other,
            _ => return None,
        })
    }
}

//! 附件2 部门整体支出绩效自评表 (forms.md §3).

use serde::{Deserialize, Serialize};

use super::{FundTotal, IndicatorRow, Money, StatedTotals};

/// 按收入性质分: must add up to 全年预算数.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Sources {
    /// 其中：一般公共预算
    pub general_budget: Option<Money>,
    /// 政府性基金拨款
    pub gov_fund: Option<Money>,
    /// 纳入专户管理的非税收入拨款
    pub special_account_nontax: Option<Money>,
    /// 其他资金
    pub other: Option<Money>,
}

/// `ROWS`, `values`, `get` and `get_mut` of [`Sources`], from one table.
macro_rules! source_rows {
    ($($id:literal => $field:ident, $label:literal;)*) => {
        /// The rows with their ids and labels, in printed order.
        pub const ROWS: [(&'static str, &'static str); 4] = [$(($id, $label)),*];
        pub fn values(&self) -> [Option<Money>; 4] {
            [$(self.$field),*]
        }
        /// A row by its id (`general_budget` …).
        pub fn get(&self, id: &str) -> Option<&Option<Money>> {
            Some(match id {
                $($id => &self.$field,)*
                _ => return None,
            })
        }
        pub fn get_mut(&mut self, id: &str) -> Option<&mut Option<Money>> {
            Some(match id {
                $($id => &mut self.$field,)*
                _ => return None,
            })
        }
    };
}

impl Sources {
    source_rows! {
        "general_budget" => general_budget, "一般公共预算";
        "gov_fund" => gov_fund, "政府性基金拨款";
        "special_account_nontax" => special_account_nontax, "纳入专户管理的非税收入拨款";
        "other" => other, "其他资金";
    }
}

/// 按支出性质分: must add up to 全年执行数.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Nature {
    /// 其中：基本支出
    pub basic: Option<Money>,
    /// 项目支出
    pub project: Option<Money>,
}

/// 附件2.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct DeptSelfEval {
    /// 年度资金总额: 年初预算数 / 全年预算数 / 全年执行数.
    pub funds: FundTotal,
    pub by_source: Sources,
    pub by_nature: Nature,
    /// 年度总体目标 — 预期目标
    pub goal_expected: String,
    /// 年度总体目标 — 实际完成情况
    pub goal_actual: String,
    /// 绩效指标 rows in printed order.
    pub indicators: Vec<IndicatorRow>,
    /// Printed totals of a filed form (import only).
    pub stated: Option<StatedTotals>,
}

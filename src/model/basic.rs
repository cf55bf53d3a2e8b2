//! 附件1 部门整体支出绩效评价基础数据表 (forms.md §2).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Money;

/// One row of 经费控制情况: {Y-1}年决算数 / {Y}年预算数 / {Y}年决算数.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Row3 {
    pub prev: Option<Money>,
    pub budget: Option<Money>,
    #[serde(rename = "final")]
    pub fin: Option<Money>,
}

impl Row3 {
    pub fn new(prev: Option<Money>, budget: Option<Money>, fin: Option<Money>) -> Row3 {
        Row3 { prev, budget, fin }
    }
    pub fn is_blank(&self) -> bool {
        self.prev.is_none() && self.budget.is_none() && self.fin.is_none()
    }
    /// The three cells with their column ids, in printed order.
    pub fn cells(&self) -> [(&'static str, Option<Money>); 3] {
        [("prev", self.prev), ("budget", self.budget), ("final", self.fin)]
    }
    pub fn cell_mut(&mut self, column: &str) -> Option<&mut Option<Money>> {
        match column {
            "prev" => Some(&mut self.prev),
            "budget" => Some(&mut self.budget),
            "final" => Some(&mut self.fin),
            _ => None,
        }
    }
}

/// E10.k: one county-level special fund (县级专项资金, one fund a row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Fund3 {
    pub name: String,
    pub amounts: Row3,
}

/// 楼堂馆所控制情况: one building project completed in Y.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Building {
    pub name: String,
    /// 批复规模 (m²)
    pub approved_m2: Option<Decimal>,
    /// 实际规模 (m²)
    pub actual_m2: Option<Decimal>,
    /// 预算投资 (万元)
    pub budget_inv: Option<Money>,
    /// 实际投资 (万元)
    pub actual_inv: Option<Money>,
}

/// 附件1. E1, E2, E7, E10 and every rate are derived, never stored (except in `stated`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct BasicData {
    /// 编制数
    pub posts: Option<u32>,
    /// {Y}年实际在职人数
    pub in_post: Option<u32>,
    /// E3 其中：公车购置
    pub vehicle_buy: Row3,
    /// E4 公车运行维护
    pub vehicle_run: Row3,
    /// E5 出国经费
    pub abroad: Row3,
    /// E6 公务接待
    pub reception: Row3,
    /// E8 业务工作经费
    pub business: Row3,
    /// E9 运行维护经费
    pub running: Row3,
    /// E10.k 县级专项资金, one row per fund
    pub special_funds: Vec<Fund3>,
    /// E11 公用经费
    pub public_funds: Row3,
    /// E12 其中：办公经费
    pub office: Row3,
    /// E13 水费、电费、差旅费
    pub utilities_travel: Row3,
    /// E14 会议费、培训费
    pub meeting_training: Row3,
    /// E15 政府采购金额
    pub procurement: Row3,
    /// E16 部门基本支出预算调整
    pub basic_adjust: Row3,
    /// 楼堂馆所控制情况 ({Y}年完工项目); empty means none.
    pub buildings: Vec<Building>,
    /// 厉行节约保障措施
    pub austerity: String,
    /// Subtotals printed on a filed form (import only).
    pub stated: Option<BasicStated>,
}

/// The input rows of 经费控制情况 with their row ids and labels, in printed order.
pub const INPUT_ROWS: &[(&str, &str)] = &[
    ("E3", "其中：公车购置"),
    ("E4", "公车运行维护"),
    ("E5", "2、出国经费"),
    ("E6", "3、公务接待"),
    ("E8", "1、业务工作经费"),
    ("E9", "2、运行维护经费"),
    ("E11", "公用经费"),
    ("E12", "其中：办公经费"),
    ("E13", "水费、电费、差旅费"),
    ("E14", "会议费、培训费"),
    ("E15", "政府采购金额"),
    ("E16", "部门基本支出预算调整"),
];

/// `row(id)` and `row_mut(id)`: an input row of 附件1 by its row id, from one table.
macro_rules! input_rows {
    ($($id:literal => $field:ident),* $(,)?) => {
        /// An input row by its id (`E3` … `E16`; `E10.k` is a fund, see `special_funds`).
        pub fn row(&self, id: &str) -> Option<&Row3> {
            Some(match id {
                $($id => &self.$field,)*
                _ => return None,
            })
        }

        /// The same row, to edit.
        pub fn row_mut(&mut self, id: &str) -> Option<&mut Row3> {
            Some(match id {
                $($id => &mut self.$field,)*
                _ => return None,
            })
        }
    };
}

impl BasicData {
    input_rows! {
        "E3" => vehicle_buy,
        "E4" => vehicle_run,
        "E5" => abroad,
        "E6" => reception,
        "E8" => business,
        "E9" => running,
        "E11" => public_funds,
        "E12" => office,
        "E13" => utilities_travel,
        "E14" => meeting_training,
        "E15" => procurement,
        "E16" => basic_adjust,
    }
}

/// Subtotal rows as a filed 附件1 printed them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct BasicStated {
    /// E1 "三公"经费
    pub three_public: Row3,
    /// E2 公务用车购置和维护经费
    pub vehicles: Row3,
    /// E7 项目支出
    pub projects: Row3,
    /// E10 县级专项资金
    pub special: Row3,
    /// The printed 控制率 in percent.
    pub control_rate: Option<Decimal>,
}

#[cfg(test)]
mod row_table_tests {
    use super::*;

    #[test]
    fn every_input_row_has_its_own_field() {
        let mut b = BasicData::default();
        for (k, (id, _)) in INPUT_ROWS.iter().enumerate() {
            let row = b.row_mut(id).unwrap_or_else(|| panic!("{id}"));
            assert_eq!(row.fin, None, "{id} shares a field with an earlier row");
            row.fin = Some(Decimal::from(k as i64 + 1));
        }
        for (k, (id, _)) in INPUT_ROWS.iter().enumerate() {
            assert_eq!(b.row(id).and_then(|r| r.fin), Some(Decimal::from(k as i64 + 1)), "{id}");
        }
        assert!(b.row("E10").is_none() && b.row("E1").is_none());
    }
}

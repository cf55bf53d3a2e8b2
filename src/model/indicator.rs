//! One row of the 绩效指标 grid (附件2 and 附件3 alike, forms.md §3.4).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::parse::IndicatorValue;

/// A 三级 indicator row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct IndicatorRow {
    /// 一级指标 (a category of the profile).
    pub l1: String,
    /// 二级指标 (a sub-category of `l1` in the profile).
    pub l2: String,
    /// 三级指标
    pub name: String,
    /// 年度指标值
    pub target: IndicatorValue,
    /// 实际完成值
    pub actual: IndicatorValue,
    /// 分值
    pub weight: Option<Decimal>,
    /// 得分 entered by the user: used for qualitative rows (and rows whose score cannot be computed).
    pub score: Option<Decimal>,
    /// 达成 / 部分达成 / 未达成 (a band of the profile), qualitative rows only.
    pub level: Option<String>,
    /// The user forced this row to be scored as qualitative although its target is a number.
    pub force_qualitative: bool,
    /// 偏差原因分析及改进措施
    pub reason: String,
    /// 满意度 questionnaire counts, satisfaction rows only.
    pub satisfaction: Option<Questionnaire>,
    /// This row deliberately measures a different scope than a same-named row of another form
    /// (silences R-XFORM-INDICATOR).
    pub different_scope: bool,
    /// The 得分 a filed form printed for a computed row (import only).
    pub stated_score: Option<Decimal>,
    /// How the filed form laid this row out, where it departs from the grid (import only).
    pub filed_shape: Option<FiledShape>,
}

/// Irregular shapes of filed rows, kept so the engine can weigh both readings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FiledShape {
    /// One value cell spanning 年度指标值 and 实际完成值; transcribed as the target.
    OneValue,
}

/// Answers to a satisfaction questionnaire (rules §4.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Questionnaire {
    /// N: valid questionnaires.
    pub respondents: u32,
    /// n_i per option name of the profile (非常满意, 满意 …).
    pub counts: Vec<(String, u32)>,
}

impl IndicatorRow {
    /// One blank row under every 二级 of the profile, in printed order.
    pub fn standard_rows(profile: &crate::profile::Profile) -> Vec<IndicatorRow> {
        profile
            .categories
            .iter()
            .flat_map(|c| c.subs.iter().map(move |s| IndicatorRow { l1: c.name.clone(), l2: s.clone(), ..Default::default() }))
            .collect()
    }
}

//! Rounding and formatting at the edge (rules.md §2): half-up to 2 dp, only when shown.

use rust_decimal::{Decimal, RoundingStrategy};

/// Half-up to `dp` decimal places (for the non-negative values of the forms, "half away from zero").
pub fn round(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// Money and areas: always 2 decimals, `1005.67`, `3.00`.
pub fn money(d: Decimal) -> String {
    format!("{:.2}", round(d, 2))
}

/// A blank-aware money cell.
pub fn money_opt(d: Option<Decimal>) -> String {
    d.map(money).unwrap_or_default()
}

/// A ratio as a percentage with 2 decimals: 1.728579… → `172.86%`; no ratio → `—`.
pub fn percent(ratio: Option<Decimal>) -> String {
    match ratio {
        Some(r) => format!("{:.2}%", round(r * Decimal::ONE_HUNDRED, 2)),
        None => "—".to_string(),
    }
}

/// A score or weight: half-up to 2 dp with trailing zeros trimmed, `98`, `9.5`, `94.83`.
pub fn score(d: Decimal) -> String {
    let r = round(d, 2).normalize();
    if r.is_zero() {
        "0".to_string()
    } else {
        r.to_string()
    }
}

/// A blank-aware score cell.
pub fn score_opt(d: Option<Decimal>) -> String {
    d.map(score).unwrap_or_default()
}

/// A Chinese description of a RON error, saying what was expected.
pub fn ron_message(code: &ron::Error) -> String {
    use ron::Error as E;
    match code {
        E::Eof => "文件意外结束（可能被截断）".into(),
        E::ExpectedArray => "此处应为列表 [...]".into(),
        E::ExpectedArrayEnd => "列表缺少结尾的 ]".into(),
        E::ExpectedBoolean => "此处应为 true 或 false".into(),
        E::ExpectedComma => "此处缺少逗号".into(),
        E::ExpectedFloat | E::ExpectedInteger => "此处应为数字".into(),
        E::IntegerOutOfBounds => "数字超出范围".into(),
        E::ExpectedOption => "此处应为 Some(...) 或 None".into(),
        E::ExpectedMap | E::ExpectedMapColon | E::ExpectedMapEnd => "映射 {...} 格式有误".into(),
        E::ExpectedStructLike | E::ExpectedNamedStructLike(_) => "此处应为 (...) 结构".into(),
        E::ExpectedStructLikeEnd => "结构缺少结尾的 )".into(),
        E::ExpectedString | E::ExpectedStringEnd => "此处应为带引号的文字 \"...\"".into(),
        E::ExpectedIdentifier => "此处应为字段名".into(),
        E::UnexpectedChar(c) => format!("意外的字符“{c}”"),
        E::Utf8Error(_) => "文件不是有效的 UTF-8 文本".into(),
        E::MissingStructField { field, .. } => format!("缺少字段 {field}"),
        E::NoSuchStructField { found, expected, .. } => {
            format!("未知字段 {found}（可用字段：{}）", expected.join(", "))
        }
        E::NoSuchEnumVariant { found, expected, .. } => format!("未知取值 {found}（可用：{}）", expected.join(", ")),
        E::DuplicateStructField { field, .. } => format!("字段 {field} 重复"),
        E::ExceededRecursionLimit => "嵌套层数过深".into(),
        E::InvalidValueForType { expected, found } => format!("取值 {found} 无效，应为{expected}"),
        E::Message(m) => translate_serde_message(m),
        other => format!("格式错误：{other}"),
    }
}

/// serde's own messages ("invalid type: string \"x\", expected u32") in Chinese, keeping the detail.
fn translate_serde_message(m: &str) -> String {
    if m.starts_with("invalid type") {
        format!("类型不符：{m}")
    } else if m.starts_with("invalid value") {
        format!("取值无效（数值过大或格式不对）：{m}")
    } else {
        format!("格式错误：{m}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn half_up_at_the_edge() {
        assert_eq!(percent(Some(d("1005.67") / d("581.79"))), "172.86%");
        assert_eq!(percent(None), "—");
        assert_eq!(money(d("3")), "3.00");
        assert_eq!(money(d("0.125")), "0.13");
        assert_eq!(money(d("2.675")), "2.68");
        assert_eq!(score(d("98.00")), "98");
        assert_eq!(score(d("9.50")), "9.5");
        assert_eq!(score(d("4.444")), "4.44");
        assert_eq!(score(d("4.445")), "4.45");
        assert_eq!(score(d("0.00")), "0");
    }
}

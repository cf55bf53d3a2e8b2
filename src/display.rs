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

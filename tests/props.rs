//! Property tests: scores stay within [0, weight], are monotone in the actual for "≥", totals
//! are the sum of their parts, parsers never panic, drafts round-trip.

use std::path::Path;

use proptest::prelude::*;
use rust_decimal::Decimal;

use zipin::draft;
use zipin::engine::{evaluate, score_quantitative};
use zipin::parse::{self, Cmp, IndicatorValue};
use zipin::profile::{Profile, ReverseFormula};
use zipin::sample;

fn dec(max_cents: i64) -> impl Strategy<Value = Decimal> {
    (0..=max_cents).prop_map(|c| Decimal::new(c, 2))
}

fn cmp() -> impl Strategy<Value = Option<Cmp>> {
    prop_oneof![Just(None), Just(Some(Cmp::Ge)), Just(Some(Cmp::Le)), Just(Some(Cmp::Eq)), Just(Some(Cmp::Gt)), Just(Some(Cmp::Lt))]
}

fn formula() -> impl Strategy<Value = ReverseFormula> {
    prop_oneof![Just(ReverseFormula::LinearTwoT), Just(ReverseFormula::Ratio)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn score_within_zero_and_weight(w in dec(10_000), c in cmp(), t in dec(10_000_000), a in (-1_000_000i64..10_000_000).prop_map(|c| Decimal::new(c, 2)), f in formula()) {
        let s = score_quantitative(w, c, t, a, f);
        prop_assert!(s >= Decimal::ZERO && s <= w, "{s} not in [0, {w}]");
    }

    #[test]
    fn score_monotone_in_actual_for_ge(w in dec(10_000), t in dec(10_000_000), a1 in dec(20_000_000), a2 in dec(20_000_000)) {
        let (lo, hi) = if a1 <= a2 { (a1, a2) } else { (a2, a1) };
        let f = ReverseFormula::LinearTwoT;
        prop_assert!(score_quantitative(w, Some(Cmp::Ge), t, lo, f) <= score_quantitative(w, Some(Cmp::Ge), t, hi, f));
    }

    #[test]
    fn score_antitone_in_actual_for_le(w in dec(10_000), t in dec(10_000_000), a1 in dec(20_000_000), a2 in dec(20_000_000), f in formula()) {
        let (lo, hi) = if a1 <= a2 { (a1, a2) } else { (a2, a1) };
        prop_assert!(score_quantitative(w, Some(Cmp::Le), t, lo, f) >= score_quantitative(w, Some(Cmp::Le), t, hi, f));
    }

    #[test]
    fn parsers_never_panic(s in "\\PC{0,40}") {
        let _ = parse::parse_decimal(&s);
        let _ = parse::parse_count(&s);
        let _ = parse::parse_date(&s);
        let _ = parse::phone_is_valid(&s);
        let v = IndicatorValue::new(s.clone());
        let _ = v.display();
    }

    #[test]
    fn numbers_round_trip_through_the_parser(c in -10_000_000_000i64..10_000_000_000, scale in 0u32..4) {
        let d = Decimal::new(c, scale);
        prop_assert_eq!(parse::parse_decimal(&d.to_string()).unwrap(), Some(d));
        // Full-width digits from the IME parse to the same number.
        let wide: String = d.to_string().chars().map(|ch| if ch.is_ascii_graphic() { char::from_u32(ch as u32 + 0xFEE0).unwrap() } else { ch }).collect();
        prop_assert_eq!(parse::parse_decimal(&wide).unwrap(), Some(d));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn total_is_the_sum_of_its_parts(
        projects in 0usize..4,
        rows in 4usize..30,
        edits in proptest::collection::vec((0usize..30, dec(2_000), dec(2_000), "\\PC{0,6}"), 0..20),
        exec in dec(100_000_00),
    ) {
        let p = Profile::builtin("hunan-2023").unwrap();
        let mut wb = sample::generated(&p, projects, rows);
        wb.department.funds.executed = Some(exec);
        for (i, w, s, actual) in edits {
            let n = wb.department.indicators.len();
            let r = &mut wb.department.indicators[i % n];
            r.weight = Some(w);
            r.score = Some(s);
            r.actual = IndicatorValue::new(actual);
        }
        let e = evaluate(&wb, &p);
        let grids = std::iter::once(&wb.department.indicators).chain(wb.projects.iter().map(|p| &p.indicators));
        for (form, grid) in std::iter::once(&e.department).chain(&e.projects).zip(grids) {
            let rows: Decimal = form.rows.iter().filter_map(|r| r.score).sum();
            prop_assert_eq!(form.total_score, form.exec_score + rows);
            let cats: Decimal = form.categories.iter().map(|c| c.score_sum).sum();
            prop_assert_eq!(cats, rows, "every row belongs to a profile category here");
            let weights: Decimal = form.categories.iter().map(|c| c.weight_sum).sum();
            prop_assert_eq!(form.total_weight, form.exec_weight + weights);
            for (r, row) in form.rows.iter().zip(grid) {
                if let Some(c) = r.computed {
                    prop_assert!(c >= Decimal::ZERO && c <= row.weight.unwrap_or_default());
                }
            }
        }
    }

    #[test]
    fn drafts_round_trip(
        projects in 0usize..3,
        rows in 1usize..12,
        text in "\\PC{0,30}",
        money in proptest::option::of(dec(1_000_000_000)),
    ) {
        let p = Profile::builtin("national-2020").unwrap();
        let mut wb = sample::generated(&p, projects, rows);
        wb.unit = text.clone();
        wb.department.goal_actual = format!("{text}\n\"引号\" \\ 反斜杠 🙂 مرحبا");
        wb.basic.procurement.budget = money;
        if let Some(r) = wb.department.indicators.first_mut() {
            r.target = IndicatorValue::new(text.clone());
            r.reason = text;
        }
        let back = draft::from_str(Path::new("x"), &draft::to_string(&wb)).unwrap();
        prop_assert_eq!(back, wb);
    }
}

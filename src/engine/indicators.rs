//! The 绩效指标 grid: each row's kind and score (rules.md §4) and the row-level checks of §6.

use std::borrow::Cow;
use super::FastMap;

use rust_decimal::Decimal;

use super::{Form, FormEval, Location, RowEval, RuleId, Severity, Sink};
use crate::display;
use crate::model::{FiledShape, IndicatorRow};
use crate::parse::{Cmp, ValueParts};
use crate::profile::{Profile, ReverseFormula, SatisfactionMode};

/// How a row is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RowKind {
    /// The target is `[cmp] number [unit]`: the engine computes the score.
    Quantitative,
    /// Anything else: the user picks a level and enters a score within its band.
    #[default]
    Qualitative,
}

/// rules.md §4.2: the score of a quantitative row, unrounded, within [0, w].
pub fn score_quantitative(w: Decimal, cmp: Option<Cmp>, target: Decimal, actual: Decimal, formula: ReverseFormula) -> Decimal {
    let a = actual.max(Decimal::ZERO);
    let t = target;
    let score = if cmp.is_some_and(Cmp::is_upper_bound) {
        if t <= Decimal::ZERO {
            if a.is_zero() { w } else { Decimal::ZERO }
        } else if a <= t {
            w
        } else {
            match formula {
                ReverseFormula::LinearTwoT if a >= t + t => Decimal::ZERO,
                ReverseFormula::LinearTwoT => w * (Decimal::ONE - (a - t) / t),
                ReverseFormula::Ratio => w * t / a,
            }
        }
    } else if t <= Decimal::ZERO || a >= t {
        w
    } else {
        w * a / t
    };
    score.max(Decimal::ZERO).min(w.max(Decimal::ZERO))
}

/// The 三级 name without a printed sequence prefix ("1：", "5、", "(3)") or spaces, full-width
/// folded, for matching. Borrows when the name needs no change: this runs for every row on
/// every keystroke.
pub(crate) fn indicator_key(name: &str) -> Cow<'_, str> {
    let is_prefix = |c: char| c.is_ascii_digit() || matches!(c, '：' | ':' | '、' | '.' | ')' | '(' | '（' | '）');
    let needs_fold = |c: char| c.is_whitespace() || crate::parse::fold_char(c) != c;
    let starts_with_prefix = name.chars().next().is_some_and(|c| is_prefix(crate::parse::fold_char(c)));
    if !starts_with_prefix && !name.chars().any(needs_fold) {
        return Cow::Borrowed(name);
    }
    let mut key: String = name.chars().map(crate::parse::fold_char).filter(|c| !c.is_whitespace()).collect();
    let prefix = key.char_indices().find(|&(_, c)| !is_prefix(c)).map_or(key.len(), |(i, _)| i);
    if prefix < key.len() {
        key.drain(..prefix);
    }
    Cow::Owned(key)
}

/// Rows with equal keys, as groups of row indices (each group ≥ 2, in order of first row).
fn duplicate_groups(repeats: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let mut pairs = repeats.to_vec();
    pairs.sort_unstable();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (f, i) in pairs {
        match groups.last_mut() {
            Some(g) if g[0] == f => g.push(i),
            _ => groups.push(vec![f, i]),
        }
    }
    groups
}

/// Indexes `keys` by their first row; later rows with the same key are returned as (first, row).
fn index_first<K: std::hash::Hash + Eq>(keys: impl Iterator<Item = (usize, K)>, capacity: usize) -> (FastMap<K, usize>, Vec<(usize, usize)>) {
    let mut first = FastMap::with_capacity_and_hasher(capacity, Default::default());
    let mut repeats = Vec::new();
    for (i, k) in keys {
        match first.entry(k) {
            std::collections::hash_map::Entry::Occupied(e) => repeats.push((*e.get(), i)),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(i);
            }
        }
    }
    (first, repeats)
}

fn row_loc(form: Form, project: Option<usize>, n: usize, col: &str) -> Location {
    Location::new(form, project, format!("ind#{n}"), col)
}

/// Satisfaction rate S (percent) from questionnaire counts, or `None` with R-SATISFACTION-COUNT.
fn satisfaction_rate(row: &IndicatorRow, profile: &Profile, loc: impl Fn() -> Location, sink: &mut Sink) -> Option<Decimal> {
    let q = row.satisfaction.as_ref()?;
    let sum: u64 = q.counts.iter().map(|(_, n)| u64::from(*n)).sum();
    if q.respondents == 0 || sum != u64::from(q.respondents) {
        sink.push(RuleId::SatisfactionCount, loc(), format!("各选项人数合计{sum}≠有效问卷数{}", q.respondents));
        return None;
    }
    let mut weighted = Decimal::ZERO;
    for (option, n) in &q.counts {
        let p = profile.satisfaction.options.iter().find(|(o, _)| o == option).map_or(Decimal::ZERO, |(_, p)| *p);
        weighted += Decimal::from(*n) * p;
    }
    Some(weighted / Decimal::from(q.respondents))
}

/// Scores every row of one form's grid and runs the row-level checks.
/// Returns each row's [`indicator_key`], for the cross-form checks.
pub(super) fn grid<'a>(rows: &'a [IndicatorRow], form: Form, project: Option<usize>, eval: &mut FormEval, sink: &mut Sink) -> Vec<Cow<'a, str>> {
    let profile = sink.profile;
    let tol = profile.score_tolerance;
    let names: Vec<Cow<'a, str>> = rows.iter().map(|r| indicator_key(&r.name)).collect();
    let (by_name, name_repeats) =
        index_first(names.iter().enumerate().filter(|(_, n)| !n.is_empty()).map(|(i, n)| (i, n.as_ref())), rows.len());
    // Category flags resolved once per form, so each row compares indices, not names.
    let flags = |list: &[String]| -> Vec<(bool, Vec<bool>)> {
        profile.categories.iter().map(|c| (list.contains(&c.name), c.subs.iter().map(|s| list.contains(s)).collect())).collect()
    };
    let (cost_flags, satisfaction_flags) = (flags(&profile.cost_categories), flags(&profile.satisfaction_categories));
    let flagged = |f: &[(bool, Vec<bool>)], cat: Option<(usize, Option<usize>)>| {
        cat.is_some_and(|(c, sub)| f[c].0 || sub.is_some_and(|s| f[c].1[s]))
    };
    eval.rows.reserve(rows.len());

    for (i, row) in rows.iter().enumerate() {
        let n = i + 1;
        let loc = |col: &str| row_loc(form, project, n, col);
        let weight = row.weight.unwrap_or_default();

        if row.name.trim().is_empty() {
            sink.push(RuleId::Required, loc("name"), format!("「第{n}行三级指标」为必填项"));
        }
        let category = profile.categories.iter().position(|c| c.name == row.l1).map(|c| {
            let sub = profile.categories[c].subs.iter().position(|s| *s == row.l2);
            (c, sub)
        });
        match category {
            None => sink.push(RuleId::CategoryUnknown, loc("l1"), format!("「{}」不属于评价规则{}", row.l1, profile.id)),
            Some((_, None)) => {
                sink.push(RuleId::CategoryUnknown, loc("l2"), format!("「{}」不属于评价规则{}", row.l2, profile.id))
            }
            Some(_) => {}
        }
        match row.weight {
            None => sink.push(RuleId::Required, loc("weight"), format!("「第{n}行分值」为必填项")),
            Some(w) if w.is_sign_negative() && !w.is_zero() => {
                sink.push(RuleId::Negative, loc("weight"), format!("「第{n}行分值」不能为负数"))
            }
            Some(_) => {}
        }

        let target = row.target.parts();
        let mut actual = Cow::Borrowed(row.actual.parts());
        let mut satisfaction = None;
        if row.satisfaction.is_some() && flagged(&satisfaction_flags, category) {
            satisfaction = satisfaction_rate(row, profile, || loc("actual"), sink);
            if let (Some(s), SatisfactionMode::Target) = (satisfaction, profile.satisfaction.mode) {
                actual = Cow::Owned(ValueParts { comparator: None, number: Some(display::round(s, 2)), unit: Some("%".into()), text: None });
            }
        }

        if target.is_blank() {
            sink.push(RuleId::TargetMissing, loc("target"), format!("第{n}行缺少年度指标值"));
        } else if target.number.is_none() && names_a_measure(target, &by_name, profile) {
            sink.push(
                RuleId::TargetFormat,
                loc("target"),
                format!("第{n}行年度指标值\"{}\"不是有效指标值", row.target.raw().trim()),
            );
        } else if target.number.is_none() && target.text.as_deref().is_some_and(|t| t.chars().any(|c| c.is_ascii_digit())) {
            // Digits the parser could not read as a value: say so rather than silently scoring
            // the row as qualitative.
            sink.push_with(
                RuleId::TargetFormat,
                Severity::Warning,
                loc("target"),
                format!(
                    "第{n}行年度指标值\"{}\"含数字但无法读作数值，本行按定性指标评分；如为定量指标，请写成“≥2800人”“95%以上”这样的形式",
                    row.target.raw().trim()
                ),
            );
        }
        if actual.is_blank() {
            sink.push(RuleId::ActualMissing, loc("actual"), format!("第{n}行缺少实际完成值"));
        } else if let Some(cmp) = actual.comparator {
            sink.push(
                RuleId::ActualComparator,
                loc("actual"),
                format!("第{n}行实际完成值不应含\"{}\"，请填写实际数", cmp.symbol()),
            );
        }

        let kind = if target.is_quantitative() && !row.force_qualitative { RowKind::Quantitative } else { RowKind::Qualitative };
        let mut computed = None;
        if let (Some(s), SatisfactionMode::Direct) = (satisfaction, profile.satisfaction.mode) {
            computed = Some(display::round(weight * s / Decimal::ONE_HUNDRED, 2).min(weight));
        } else if kind == RowKind::Quantitative {
            computed = quantitative(row, n, target, &actual, weight, form, project, sink);
        }

        // The score that counts: computed when possible, else what the user (or the filed form) gave.
        let entered = row.score.or(row.stated_score);
        // rules.md §4.3: a qualitative row whose actual reads exactly as its target (明显改善 /
        // 明显改善) is suggested 达成 with the full 分值; it counts as such, said as an info,
        // until the user enters a score (or accepts the suggestion, which enters it).
        let suggested = (kind == RowKind::Qualitative && entered.is_none() && row.level.as_deref().is_none_or(|l| Some(l) == top_level(profile)))
            .then(|| same_text(row.target.raw(), row.actual.raw()))
            .filter(|same| *same)
            .map(|_| weight);
        if suggested.is_some() {
            sink.push(
                RuleId::QualSuggested,
                loc("score"),
                format!("第{n}行实际完成值与年度指标值相同，建议评为「{}」得{}分（采纳后生效）", top_level(profile).unwrap_or("达成"), display::score(weight)),
            );
        }
        let score = computed.or(entered).or(suggested);
        if let (Some(c), Some(stated)) = (computed, row.stated_score) {
            if (stated - c).abs() > tol {
                sink.push(
                    RuleId::ScoreMismatch,
                    loc("score"),
                    format!("第{n}行得分{}与计算得分{}不符", display::score(stated), display::score(c)),
                );
            }
        }
        if computed.is_none() {
            if let Some(alt) = one_value_reading(row, target, weight, profile) {
                if row.stated_score.is_some_and(|s| (s - alt).abs() > tol) {
                    sink.push(
                        RuleId::ScoreMismatch,
                        loc("score"),
                        format!(
                            "第{n}行得分{}与计算得分{}不符（按唯一数值“{}”同时作为年度指标值和实际完成值理解）",
                            display::score(row.stated_score.unwrap_or_default()),
                            display::score(alt),
                            row.target.raw().trim()
                        ),
                    );
                }
            }
            // A quantitative row whose actual carries a comparator (`>1400人次`) is scored by the
            // app once the actual is a plain number: R-ACTUAL-COMPARATOR says what to fix, and
            // asking for a score by hand would be a false alarm.
            let computed_once_fixed = kind == RowKind::Quantitative && actual.comparator.is_some();
            if entered.is_none() && suggested.is_none() && !target.is_blank() && !actual.is_blank() && !computed_once_fixed {
                sink.push(RuleId::Required, loc("score"), format!("「第{n}行得分」为必填项"));
            }
        }
        if let Some(s) = entered.filter(|_| computed.is_none()) {
            if s.is_sign_negative() && !s.is_zero() || s > weight + tol {
                sink.push(
                    RuleId::ScoreRange,
                    loc("score"),
                    format!("第{n}行得分{}应在0至{}之间", display::score(s), display::score(weight)),
                );
            }
        }

        let level = if kind == RowKind::Qualitative { qual_level(row, n, score, weight, form, project, sink) } else { None };

        if let Some(s) = score {
            if s < weight - tol && row.reason.trim().is_empty() {
                sink.push(
                    RuleId::DeviationRequired,
                    loc("reason"),
                    format!("第{n}行得分低于分值，须填写偏差原因分析及改进措施"),
                );
            }
        }
        if profile.exec_indicator_names.iter().any(|e| *e == names[i].as_ref()) {
            sink.push(
                RuleId::IndicatorExecDup,
                loc("name"),
                format!("第{n}行以预算执行率作绩效指标，与执行率评分重复"),
            );
        }
        if flagged(&cost_flags, category) && !is_le_amount(target) {
            sink.push(RuleId::CostDirection, loc("target"), format!("第{n}行成本指标宜为\"≤\"型金额指标"));
        }
        eval.rows.push(RowEval { kind, computed, score, level, satisfaction, category: category.map(|(c, _)| c) });
    }
    duplicates(rows, duplicate_groups(&name_repeats), form, project, sink);
    names
}

/// Score of a quantitative row, with R-UNIT-MISMATCH and R-OVER-COMPLETION; `None` when the
/// actual is not a usable measurement.
#[allow(clippy::too_many_arguments)]
fn quantitative(
    row: &IndicatorRow,
    n: usize,
    target: &ValueParts,
    actual: &ValueParts,
    weight: Decimal,
    form: Form,
    project: Option<usize>,
    sink: &mut Sink,
) -> Option<Decimal> {
    let profile = sink.profile;
    let t = target.number?;
    let a = actual.number.filter(|_| actual.comparator.is_none())?;
    let loc = |col: &str| row_loc(form, project, n, col);
    match (&target.unit, &actual.unit) {
        (Some(u), None) => sink.push(
            RuleId::UnitMismatch,
            loc("actual"),
            format!("第{n}行计量单位不一致：{u}/（无单位，按{u}计）"),
        ),
        (None, Some(u)) => sink.push(RuleId::UnitMismatch, loc("actual"), format!("第{n}行计量单位不一致：（无单位）/{u}")),
        (Some(u1), Some(u2)) if u1 != u2 => {
            sink.push(RuleId::UnitMismatch, loc("actual"), format!("第{n}行计量单位不一致：{u1}/{u2}"));
            return None;
        }
        _ => {}
    }
    let oc = &profile.over_completion;
    if oc.enabled && row.reason.trim().is_empty() && t > Decimal::ZERO {
        let factor = oc.threshold_pct / Decimal::ONE_HUNDRED;
        let upper = target.comparator.is_some_and(Cmp::is_upper_bound);
        let over = if upper { oc.reverse && a <= t * (Decimal::ONE - factor) } else { a >= t * (Decimal::ONE + factor) };
        if over {
            let pct = display::percent(Some((a - t).abs() / t));
            sink.push(RuleId::OverCompletion, loc("actual"), format!("第{n}行超额完成{pct}，请说明原因"));
        }
    }
    Some(display::round(score_quantitative(weight, target.comparator, t, a, profile.reverse_formula), 2))
}

/// P14: a filed row with one value cell may mean "target = actual"; its score under that reading.
fn one_value_reading(row: &IndicatorRow, target: &ValueParts, weight: Decimal, profile: &Profile) -> Option<Decimal> {
    if row.filed_shape != Some(FiledShape::OneValue) || !row.actual.is_blank() {
        return None;
    }
    let t = target.number?;
    Some(display::round(score_quantitative(weight, target.comparator, t, t, profile.reverse_formula), 2))
}

/// R-QUAL-BAND; returns the level chosen or inferred from the score.
/// The highest qualitative level of the profile (达成).
fn top_level(profile: &Profile) -> Option<&str> {
    profile.qual_bands.first().map(|b| b.level.as_str())
}

/// Whether an actual reads exactly as its target: the same text once full-width forms, spaces and
/// a final full stop are set aside (`明显改善` / `明显改善。`). Blank texts are never the same.
fn same_text(target: &str, actual: &str) -> bool {
    let key = |s: &str| -> String {
        crate::parse::normalize(s).chars().filter(|c| !c.is_whitespace()).collect::<String>().trim_end_matches(['。', '.']).to_string()
    };
    let t = key(target);
    !t.is_empty() && t == key(actual)
}

fn qual_level(
    row: &IndicatorRow,
    n: usize,
    score: Option<Decimal>,
    weight: Decimal,
    form: Form,
    project: Option<usize>,
    sink: &mut Sink,
) -> Option<String> {
    let profile = sink.profile;
    let tol = profile.score_tolerance;
    let pct = |p: Decimal| weight * p / Decimal::ONE_HUNDRED;
    match (&row.level, score) {
        (Some(level), Some(s)) => {
            match profile.qual_bands.iter().find(|b| b.level == *level) {
                Some(b) if s + tol >= pct(b.lo) && s - tol <= pct(b.hi) => {}
                band => {
                    let (lo, hi) = band.map_or((Decimal::ZERO, Decimal::ZERO), |b| (pct(b.lo), pct(b.hi)));
                    sink.push(
                        RuleId::QualBand,
                        row_loc(form, project, n, "score"),
                        format!("第{n}行\"{level}\"得分区间为{}–{}，现为{}", display::score(lo), display::score(hi), display::score(s)),
                    );
                }
            }
            Some(level.clone())
        }
        (Some(level), None) => Some(level.clone()),
        (None, Some(s)) if weight > Decimal::ZERO => {
            let share = s * Decimal::ONE_HUNDRED / weight;
            profile.qual_bands.iter().find(|b| share >= b.lo).map(|b| b.level.clone())
        }
        _ => None,
    }
}

/// A target that names a measure ("预算执行率") or another indicator rather than a value.
fn names_a_measure(target: &ValueParts, names: &FastMap<&str, usize>, profile: &Profile) -> bool {
    let Some(text) = &target.text else { return false };
    let key = indicator_key(text);
    profile.metric_name_suffixes.iter().any(|s| key.ends_with(s.as_str()))
        || profile.exec_indicator_names.iter().any(|e| *e == key)
        || names.contains_key(key.as_ref())
}

fn is_le_amount(target: &ValueParts) -> bool {
    target.comparator.is_some_and(Cmp::is_upper_bound)
        && target.number.is_some()
        && target.unit.as_deref().is_some_and(|u| u.contains('元'))
}

/// R-INDICATOR-DUPLICATE: the same 三级 text twice, or the same count target twice.
fn duplicates(rows: &[IndicatorRow], name_groups: Vec<Vec<usize>>, form: Form, project: Option<usize>, sink: &mut Sink) {
    let profile = sink.profile;
    let counted = rows.iter().enumerate().filter_map(|(i, row)| {
        let t = row.target.parts();
        let (num, unit) = (t.number?, t.unit.as_deref()?);
        profile.count_units.iter().any(|u| u == unit).then(|| (i, (t.comparator.unwrap_or(Cmp::Eq), num.normalize(), unit)))
    });
    let (_, target_repeats) = index_first(counted, 0);
    let mut groups: Vec<(Vec<usize>, String, &str)> =
        name_groups.into_iter().map(|v| (v.clone(), rows[v[0]].name.trim().to_string(), "name")).collect();
    groups.extend(duplicate_groups(&target_repeats).into_iter().map(|v| {
        let shown = rows[v[0]].target.display();
        (v, shown, "target")
    }));
    groups.sort();
    for (group, shown, col) in groups {
        let list: Vec<String> = group.iter().map(|i| (i + 1).to_string()).collect();
        sink.push(
            RuleId::IndicatorDuplicate,
            row_loc(form, project, group[0] + 1, col),
            format!("指标\"{shown}\"在第{}行重复", list.join("、")),
        );
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
    fn quantitative_formulas() {
        let lin = ReverseFormula::LinearTwoT;
        assert_eq!(score_quantitative(d("10"), Some(Cmp::Ge), d("95"), d("96"), lin), d("10"));
        assert_eq!(score_quantitative(d("10"), Some(Cmp::Ge), d("100"), d("90"), lin), d("9"));
        assert_eq!(score_quantitative(d("10"), None, d("0"), d("5"), lin), d("10"));
        assert_eq!(score_quantitative(d("10"), None, d("50"), d("-5"), lin), d("0"));
        assert_eq!(score_quantitative(d("10"), Some(Cmp::Le), d("10"), d("12"), lin), d("8"));
        assert_eq!(score_quantitative(d("10"), Some(Cmp::Le), d("10"), d("20"), lin), d("0"));
        assert_eq!(score_quantitative(d("10"), Some(Cmp::Le), d("10"), d("8"), lin), d("10"));
        assert_eq!(score_quantitative(d("10"), Some(Cmp::Le), d("10"), d("12.5"), ReverseFormula::Ratio), d("8"));
        assert_eq!(score_quantitative(d("10"), Some(Cmp::Le), d("0"), d("0"), lin), d("10"));
        assert_eq!(score_quantitative(d("10"), Some(Cmp::Lt), d("0"), d("1"), lin), d("0"));
    }

    #[test]
    fn keys_ignore_sequence_prefixes() {
        assert_eq!(indicator_key("6、困难残疾人家庭无障碍改造"), "困难残疾人家庭无障碍改造");
        assert_eq!(indicator_key("1：残疾人无障碍改造"), "残疾人无障碍改造");
        assert_eq!(indicator_key(" 扶残助学 "), "扶残助学");
        assert_eq!(indicator_key("2023"), "2023");
    }
}

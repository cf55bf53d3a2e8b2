//! Weights, totals and grade (rules.md §5), and printed totals of a filed form.

use rust_decimal::Decimal;

use super::{CategoryEval, Form, FormEval, Location, RuleId, Sink};
use crate::display;
use crate::model::{IndicatorRow, StatedTotals};
use crate::profile::Profile;

pub(super) fn form(
    rows: &[IndicatorRow],
    stated: Option<&StatedTotals>,
    form: Form,
    project: Option<usize>,
    eval: &mut FormEval,
    profile: &Profile,
    sink: &mut Sink,
) {
    roll_up(rows, eval, profile);
    let tol = profile.score_tolerance;
    let loc = |row: &str, col: &str| Location::new(form, project, row, col);
    let mut missing_optional = Decimal::ZERO;
    for cat in &eval.categories {
        if cat.rows == 0 && profile.optional_categories.iter().any(|c| *c == cat.name) {
            missing_optional += cat.weight;
            continue;
        }
        if (cat.weight_sum - cat.weight).abs() > tol {
            sink.push(
                RuleId::WeightCategory,
                loc(&format!("cat:{}", cat.name), "weight"),
                format!("「{}」下三级指标分值合计{}，应为{}", cat.name, display::score(cat.weight_sum), display::score(cat.weight)),
            );
        }
    }
    let expected = Decimal::ONE_HUNDRED - missing_optional;
    if (eval.total_weight - expected).abs() > tol {
        sink.push(
            RuleId::WeightTotal,
            loc("total", "weight"),
            format!("执行率与各指标分值合计{}，应为{}", display::score(eval.total_weight), display::score(expected)),
        );
    }
    eval.max_score = expected;

    if let Some(st) = stated {
        match st.exec_score {
            None => sink.push(RuleId::Required, loc("fund.total", "score"), "「执行率得分」为必填项".into()),
            Some(s) if (s - eval.exec_score).abs() > tol => sink.push(
                RuleId::ScoreMismatch,
                loc("fund.total", "score"),
                format!("执行率得分{}与计算得分{}不符", display::score(s), display::score(eval.exec_score)),
            ),
            Some(_) => {}
        }
        for (kind, col, printed, computed) in [
            ("分值", "weight", st.total_weight, eval.total_weight),
            ("得分", "score", st.total_score, eval.total_score),
        ] {
            if let Some(p) = printed {
                if (p - computed).abs() > tol {
                    sink.push(
                        RuleId::TotalMismatch,
                        loc("total", col),
                        format!("总分{kind}填报{}，计算为{}", display::score(p), display::score(computed)),
                    );
                }
            }
        }
    }

    // Judged out of the weight that applies (optional categories left out do not count against it).
    let judged = if expected > Decimal::ZERO && expected != Decimal::ONE_HUNDRED {
        eval.total_score * Decimal::ONE_HUNDRED / expected
    } else {
        eval.total_score
    };
    eval.grade = profile.grade(judged).to_string();
}

/// Fills categories, total weight and total score from the scored rows.
fn roll_up(rows: &[IndicatorRow], eval: &mut FormEval, profile: &Profile) {
    eval.categories = profile
        .categories
        .iter()
        .map(|c| CategoryEval { name: c.name.clone(), weight: c.weight, ..Default::default() })
        .collect();
    let mut weight_sum = Decimal::ZERO;
    let mut score_sum = Decimal::ZERO;
    for (row, r) in rows.iter().zip(&eval.rows) {
        let w = row.weight.unwrap_or_default();
        let s = r.score.unwrap_or_default();
        weight_sum += w;
        score_sum += s;
        if let Some(cat) = r.category.and_then(|c| eval.categories.get_mut(c)) {
            cat.weight_sum += w;
            cat.score_sum += s;
            cat.rows += 1;
        }
    }
    eval.total_weight = eval.exec_weight + weight_sum;
    eval.total_score = eval.exec_score + score_sum;
}

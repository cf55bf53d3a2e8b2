//! The filed sample (seed 002): every known problem of rules.md §10 is raised, problem by
//! problem, with the rule ID and location given there; the items "checked and consistent"
//! raise nothing.

use rust_decimal::Decimal;
use std::str::FromStr;

use zipin::engine::{evaluate, Evaluation, Finding, Form, RuleId, Severity};
use zipin::profile::Profile;
use zipin::sample;

fn eval() -> Evaluation {
    evaluate(&sample::miluo_2023(), &Profile::builtin("hunan-2023").unwrap())
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// Findings of `rule` at (form, project, row, column).
fn at<'a>(e: &'a Evaluation, rule: RuleId, form: Form, project: Option<usize>, row: &str, col: &str) -> Vec<&'a Finding> {
    e.findings
        .iter()
        .filter(|f| {
            f.rule == rule && f.location.form == form && f.location.project == project && f.location.row == row && f.location.column == col
        })
        .collect()
}

#[track_caller]
fn one(e: &Evaluation, rule: RuleId, form: Form, project: Option<usize>, row: &str, col: &str) -> Finding {
    let found = at(e, rule, form, project, row, col);
    assert_eq!(found.len(), 1, "{rule} at {form:?}{project:?}.{row}.{col}: {found:#?}\nall: {:#?}", e.findings);
    found[0].clone()
}

fn a2(e: &Evaluation, rule: RuleId, row: &str, col: &str) -> Finding {
    one(e, rule, Form::A2, None, row, col)
}

fn a3(e: &Evaluation, rule: RuleId, row: &str, col: &str) -> Finding {
    one(e, rule, Form::A3, Some(0), row, col)
}

fn ind(n: usize) -> String {
    format!("ind#{n}")
}

#[test]
fn p01_building_rates_are_0_over_0() {
    let e = eval();
    let f = one(&e, RuleId::RateUndefined, Form::A1, None, "building#1", "scale_rate");
    assert_eq!(f.severity, Severity::Info);
    one(&e, RuleId::RateUndefined, Form::A1, None, "building#1", "invest_rate");
    assert_eq!(e.basic.buildings, vec![(None, None)]);
}

#[test]
fn p02_austerity_text_blank() {
    let f = one(&eval(), RuleId::RequiredText, Form::A1, None, "austerity", "text");
    assert_eq!(f.severity, Severity::Warning);
}

#[test]
fn p03_project_spending_a1_271_vs_a2_652_59() {
    let e = eval();
    assert_eq!(e.basic.projects.fin, d("271"));
    assert_eq!(e.basic.projects.budget, d("271"));
    let f = a2(&e, RuleId::XformProject, "nature.project", "amount");
    assert_eq!(f.severity, Severity::Error);
    assert!(f.message.contains("271.00") && f.message.contains("652.59"), "{}", f.message);
}

#[test]
fn p04_fund_a1_221_vs_a3_154_on_both_columns() {
    let e = eval();
    for col in ["full_year", "executed"] {
        let f = a3(&e, RuleId::XformFund, "fund.total", col);
        assert!(f.message.contains("221.00") && f.message.contains("154.00"), "{}", f.message);
        assert_eq!(f.severity, Severity::Error);
    }
}

#[test]
fn p06_exec_rate_printed_truncated() {
    let e = eval();
    let f = a2(&e, RuleId::RateStated, "fund.total", "rate");
    assert_eq!(f.severity, Severity::Info, "a 0.01 pp difference is a rounding difference");
    assert!(f.message.contains("172.85%") && f.message.contains("172.86%"), "{}", f.message);
    assert_eq!(zipin::display::percent(e.department.exec_rate), "172.86%");
}

#[test]
fn p07_execution_over_budget() {
    let f = a2(&eval(), RuleId::ExecOverBudget, "fund.total", "executed");
    assert_eq!(f.severity, Severity::Warning);
}

#[test]
fn p08_exec_score_blank_on_import_computed_10() {
    let e = eval();
    let f = a2(&e, RuleId::Required, "fund.total", "score");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(e.department.exec_score, d("10"));
}

#[test]
fn p09_output_category_sums_to_36() {
    let e = eval();
    let f = a2(&e, RuleId::WeightCategory, "cat:产出指标", "weight");
    assert!(f.message.contains("36") && f.message.contains("30"), "{}", f.message);
    let cats: Vec<(String, Decimal)> = e.department.categories.iter().map(|c| (c.name.clone(), c.weight_sum)).collect();
    assert_eq!(cats, [("产出指标".into(), d("36")), ("效益指标".into(), d("30")), ("满意度指标".into(), d("10")), ("成本指标".into(), d("20"))]);
    for other in ["效益指标", "满意度指标", "成本指标"] {
        assert!(at(&e, RuleId::WeightCategory, Form::A2, None, &format!("cat:{other}"), "weight").is_empty());
    }
}

#[test]
fn p10_weight_total_106_vs_printed_100() {
    let e = eval();
    assert_eq!(e.department.total_weight, d("106"));
    a2(&e, RuleId::WeightTotal, "total", "weight");
    let f = a2(&e, RuleId::TotalMismatch, "total", "weight");
    assert!(f.message.contains("100") && f.message.contains("106"), "{}", f.message);
}

#[test]
fn p11_score_total_102_vs_printed_98() {
    let e = eval();
    let rows: Decimal = e.department.rows.iter().filter_map(|r| r.score).sum();
    assert_eq!(rows, d("92"));
    assert_eq!(e.department.total_score, d("102"));
    let f = a2(&e, RuleId::TotalMismatch, "total", "score");
    assert!(f.message.contains("98") && f.message.contains("102"), "{}", f.message);
}

/// P12, reading chosen for the ambiguous #12: its single value "100%" is the target, the actual
/// is missing (so R-ACTUAL-MISSING); P14 then weighs the other reading.
#[test]
fn p12_eight_rows_lack_target_or_actual() {
    let e = eval();
    a2(&e, RuleId::ActualMissing, &ind(12), "actual");
    for n in 13..=15 {
        a2(&e, RuleId::TargetMissing, &ind(n), "target");
        a2(&e, RuleId::ActualMissing, &ind(n), "actual");
    }
    for n in 16..=19 {
        a2(&e, RuleId::ActualMissing, &ind(n), "actual");
        assert!(at(&e, RuleId::TargetMissing, Form::A2, None, &ind(n), "target").is_empty());
    }
    let rows: std::collections::BTreeSet<usize> = e
        .findings
        .iter()
        .filter(|f| f.location.form == Form::A2 && matches!(f.rule, RuleId::TargetMissing | RuleId::ActualMissing))
        .filter_map(|f| f.location.indicator_row())
        .collect();
    assert_eq!(rows.len(), 8);
}

#[test]
fn p13_scores_below_weight_need_a_reason() {
    let e = eval();
    for n in [12, 13, 16, 17] {
        a2(&e, RuleId::DeviationRequired, &ind(n), "reason");
    }
    let flagged = e.findings.iter().filter(|f| f.location.form == Form::A2 && f.rule == RuleId::DeviationRequired).count();
    assert_eq!(flagged, 4);
}

/// P14 (ambiguous): read as target = actual = 100%, #12 would score 10, not the 9 printed.
#[test]
fn p14_one_value_row_read_as_both_scores_10() {
    let f = a2(&eval(), RuleId::ScoreMismatch, &ind(12), "score");
    assert!(f.message.contains('9') && f.message.contains("10"), "{}", f.message);
}

#[test]
fn p15_same_150_households_twice() {
    let f = a2(&eval(), RuleId::IndicatorDuplicate, &ind(1), "target");
    assert!(f.message.contains("150户") && f.message.contains("1、6"), "{}", f.message);
    assert_eq!(f.severity, Severity::Warning);
}

#[test]
fn p16_same_name_four_times() {
    let f = a2(&eval(), RuleId::IndicatorDuplicate, &ind(14), "name");
    assert!(f.message.contains("残疾人群体和谐稳定") && f.message.contains("14、15、18、19"), "{}", f.message);
}

#[test]
fn p17_actual_without_unit() {
    let e = eval();
    let f = a2(&e, RuleId::UnitMismatch, &ind(7), "actual");
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(e.department.rows[6].computed, Some(d("3")), "the actual inherits 人 and scores in full");
}

#[test]
fn p18_cost_rows_are_not_le_amounts() {
    let e = eval();
    for n in 17..=19 {
        assert_eq!(a2(&e, RuleId::CostDirection, &ind(n), "target").severity, Severity::Info);
    }
}

#[test]
fn p19_appropriation_full_year_blank() {
    let e = eval();
    let f = a3(&e, RuleId::SumChildren, "fund.total", "full_year");
    assert!(f.message.contains("0.00") && f.message.contains("154.00"), "{}", f.message);
    for col in ["initial", "executed"] {
        assert!(at(&e, RuleId::SumChildren, Form::A3, Some(0), "fund.total", col).is_empty());
    }
}

#[test]
fn p20_benefit_category_sums_to_23() {
    let e = eval();
    let f = a3(&e, RuleId::WeightCategory, "cat:效益指标", "weight");
    assert!(f.message.contains("23"), "{}", f.message);
    let p = &e.projects[0];
    let sums: Vec<Decimal> = p.categories.iter().map(|c| c.weight_sum).collect();
    assert_eq!(sums, [d("30"), d("23"), d("10"), d("20")]);
}

#[test]
fn p21_weight_total_93() {
    let e = eval();
    assert_eq!(e.projects[0].total_weight, d("93"));
    a3(&e, RuleId::WeightTotal, "total", "weight");
    let f = a3(&e, RuleId::TotalMismatch, "total", "weight");
    assert!(f.message.contains("93"), "{}", f.message);
}

#[test]
fn p22_score_total_91_vs_printed_98() {
    let e = eval();
    assert_eq!(e.projects[0].total_score, d("91"));
    assert_eq!(e.projects[0].exec_score, d("10"));
    let f = a3(&e, RuleId::TotalMismatch, "total", "score");
    assert!(f.message.contains("98") && f.message.contains("91"), "{}", f.message);
}

#[test]
fn p23_comparators_in_actuals() {
    let e = eval();
    for n in [1, 2, 3, 4, 6] {
        let f = a3(&e, RuleId::ActualComparator, &ind(n), "actual");
        assert!(f.message.contains('≥'), "{}", f.message);
    }
    assert_eq!(e.findings.iter().filter(|f| f.rule == RuleId::ActualComparator).count(), 5);
}

#[test]
fn p24_target_is_an_indicator_name() {
    let f = a3(&eval(), RuleId::TargetFormat, &ind(11), "target");
    assert!(f.message.contains("预算执行率"), "{}", f.message);
}

#[test]
fn p25_exec_rate_as_indicator() {
    assert_eq!(a3(&eval(), RuleId::IndicatorExecDup, &ind(12), "name").severity, Severity::Warning);
}

/// P26: the single value 明显改善 is read as the target; the actual is missing.
#[test]
fn p26_one_value_qualitative_row() {
    a3(&eval(), RuleId::ActualMissing, &ind(16), "actual");
}

/// P27 (ambiguous), reading chosen: the repeated 服务对象满意度指标 cell is the 二级, the target
/// is ≥95% and the actual is missing (the shape of 附件2 #16).
#[test]
fn p27_satisfaction_row_with_extra_cell() {
    let e = eval();
    a3(&e, RuleId::ActualMissing, &ind(17), "actual");
    a3(&e, RuleId::DeviationRequired, &ind(17), "reason");
}

#[test]
fn p28_cost_row_7_of_8_without_reason_but_in_band() {
    let e = eval();
    a3(&e, RuleId::DeviationRequired, &ind(18), "reason");
    assert!(at(&e, RuleId::QualBand, Form::A3, Some(0), &ind(18), "score").is_empty());
    assert_eq!(e.projects[0].rows[17].level.as_deref(), Some("达成"));
}

#[test]
fn p29_duplicate_texts_in_project() {
    let e = eval();
    let f = a3(&e, RuleId::IndicatorDuplicate, &ind(13), "name");
    assert!(f.message.contains("13、18"), "{}", f.message);
    let f = a3(&e, RuleId::IndicatorDuplicate, &ind(14), "name");
    assert!(f.message.contains("14、19"), "{}", f.message);
    let f = a3(&e, RuleId::IndicatorDuplicate, &ind(15), "name");
    assert!(f.message.contains("15、16、20"), "{}", f.message);
}

/// P30 (ambiguous): 主管部门 汨罗市人民政府 differs; 实施单位 " 汨罗市残联 " is trimmed and the
/// alias 残联 = 残疾人联合会 makes it the same unit, so it is not flagged.
#[test]
fn p30_unit_names() {
    let e = eval();
    let f = a3(&e, RuleId::XformName, "header", "competent_dept");
    assert!(f.message.contains("汨罗市人民政府"), "{}", f.message);
    assert!(at(&e, RuleId::XformName, Form::A3, Some(0), "header", "implementer").is_empty());
}

#[test]
fn p31_cost_rows_measured_qualitatively() {
    let e = eval();
    for n in 18..=20 {
        a3(&e, RuleId::CostDirection, &ind(n), "target");
    }
}

#[test]
fn p32_barrier_free_homes_150_vs_15() {
    let e = eval();
    let f = a3(&e, RuleId::XformIndicator, &ind(5), "target");
    assert!(f.message.contains("150户") && f.message.contains("15户"), "{}", f.message);
    assert_eq!(f.severity, Severity::Warning);
}

/// 附件4 figures captured in the sample (P5, P39–P41) are raised too.
#[test]
fn report_figures_p05_p39_p40_p41() {
    let e = eval();
    let r = |row: &str| one(&e, RuleId::ReportFigure, Form::A4, None, row, "amount");
    assert!(r("report.public_funds").message.contains("46.74"));
    assert!(r("report.project").message.contains("221.00"));
    assert!(r("report.breakdown").message.contains("651.59"));
    assert!(r("report.personnel_share").message.contains("86.76%"));
    assert!(r("report.public_share").message.contains("13.24%"));
    assert!(at(&e, RuleId::ReportFigure, Form::A4, None, "report.project#1", "amount").iter().any(|f| f.message.contains("94.8")));
    assert!(at(&e, RuleId::ReportFigure, Form::A4, None, "report.basic", "amount").is_empty(), "基本支出 353.08 agrees");
}

/// The counts the report quotes, against the rows they are linked to (P33–P38), and the
/// 彩票公益金 spending without 政府性基金 income (P42).
#[test]
fn report_counts_p33_to_p38_and_fund_source_p42() {
    let e = eval();
    let count = |k: usize| -> Vec<&Finding> { at(&e, RuleId::ReportFigure, Form::A4, None, &format!("report.count#{k}"), "value") };
    let says = |k: usize, parts: &[&str], severity: Severity| {
        let hits = count(k);
        assert!(
            hits.iter().any(|f| f.severity == severity && parts.iter().all(|p| f.message.contains(p))),
            "count #{k}: {parts:?} as {severity:?} in {hits:#?}"
        );
    };
    // P33: 近400人 (fewer than 400) vs 附件2 #8 400人 and 附件3 #4 ≥420人.
    says(2, &["近400人", "400人", "附件2第8行"], Severity::Warning);
    says(2, &["近400人", "≥420人", "第4行"], Severity::Warning);
    // P34: 50人 vs the actual 52人 in 附件2 #4 and 附件3 #10.
    says(3, &["50人", "52人", "附件2第4行"], Severity::Warning);
    says(3, &["50人", "52人", "第10行"], Severity::Warning);
    // P35: 30户 vs ≥30人 (unit), and the department report's 17 + 10 = 27 persons (scope: info).
    says(4, &["30户", "≥30人", "计量单位不同"], Severity::Warning);
    says(5, &["27人", "≥30人", "口径可能不同"], Severity::Info);
    // P36: 120人 vs 120户.
    says(6, &["120人", "120户", "计量单位不同"], Severity::Warning);
    // P37: 199 children trained vs 156 rehabilitated (scope: info); ≥144 in 附件3 allows 199.
    says(9, &["199人", "156人"], Severity::Info);
    assert_eq!(count(9).len(), 1, "{:#?}", count(9));
    // P38: 17992 surveyed vs 18200 updated (info); 1.82万人 = 18200 agrees.
    says(10, &["17992人", "18200"], Severity::Info);
    assert!(count(11).is_empty(), "1.82万人 = 18200: {:#?}", count(11));
    // Consistent quotes raise nothing: 日间照料 30/30, 精神残疾服药 118 within ≥100.
    assert!(count(7).is_empty() && count(8).is_empty(), "{:#?} {:#?}", count(7), count(8));
    // P32 again from the report's side: 150户 vs 附件3 #5 15户 (附件2 #1 and #6 agree).
    assert_eq!(count(1).len(), 1, "{:#?}", count(1));
    says(1, &["150户", "15户"], Severity::Warning);
    // P42: 彩票公益金 169.49 spent, 政府性基金拨款 blank.
    let p42 = one(&e, RuleId::ReportFigure, Form::A4, None, "report.breakdown", "source");
    assert_eq!(p42.severity, Severity::Info);
    assert!(p42.message.contains("彩票公益金") && p42.message.contains("169.49") && p42.message.contains("为空"), "{}", p42.message);
}

#[test]
fn checked_and_consistent_raise_nothing() {
    let e = eval();
    let none = |rule: RuleId, form: Form, row: &str| {
        let hits: Vec<_> = e.findings.iter().filter(|f| f.rule == rule && f.location.form == form && f.location.row == row).collect();
        assert!(hits.is_empty(), "{rule} on {form:?}.{row}: {hits:#?}");
    };
    // A1 控制率 30/30 = 100%.
    assert_eq!(e.basic.control_rate, Some(Decimal::ONE));
    none(RuleId::RateUndefined, Form::A1, "staff");
    // "三公" = 公务接待 = 1.79 / 3 / 3, E10 = E10.1.
    assert_eq!((e.basic.three_public.prev, e.basic.three_public.budget, e.basic.three_public.fin), (d("1.79"), d("3"), d("3")));
    none(RuleId::SumChildren, Form::A1, "E1");
    none(RuleId::SumChildren, Form::A1, "E10");
    // E11 ≥ its 其中 lines.
    none(RuleId::SumAtLeast, Form::A1, "E11");
    // No 附件1 row over budget.
    assert!(!e.findings.iter().any(|f| f.rule == RuleId::ExecOverBudget && f.location.form == Form::A1));
    // 附件2 income and expenditure breakdowns add up.
    assert!(!e.findings.iter().any(|f| matches!(f.rule, RuleId::IncomeSum | RuleId::ExpendSum)));
    assert_eq!(e.department.expend_total, d("1005.67"));
    // 基本支出 = the report's 353.08.
    none(RuleId::ReportFigure, Form::A4, "report.basic");
    // 附件3 rate 154/154 = 100% → 10, no stated-rate or score mismatch there.
    assert_eq!(e.projects[0].exec_rate, Some(Decimal::ONE));
    none(RuleId::RateStated, Form::A3, "fund.total");
    none(RuleId::ScoreMismatch, Form::A3, "fund.total");
    // Over-completion: none (largest 52/50 = 104%).
    assert!(!e.findings.iter().any(|f| f.rule == RuleId::OverCompletion));
    // 扶残助学 176人 identical everywhere.
    assert!(!e.findings.iter().any(|f| f.rule == RuleId::XformIndicator && f.message.contains("扶残助学")));
    // 踩士支出 50人/52人 identical in 附件2 and 附件3.
    assert!(!e.findings.iter().any(|f| f.rule == RuleId::XformIndicator && f.message.contains("踩士")));
    // Footer: phone and date are fine.
    assert!(!e.findings.iter().any(|f| matches!(f.rule, RuleId::PhoneFormat | RuleId::DateRange)));
}

#[test]
fn grades_are_provisional_while_errors_remain() {
    let e = eval();
    assert_eq!(e.department.grade, "优");
    assert_eq!(e.department.grade_label(), "优（暂定）");
    assert!(e.projects[0].provisional);
}

/// The same sample under 财预〔2020〕10号: other categories and weights, other totals.
#[test]
fn national_profile_scores_differently() {
    let wb = sample::miluo_2023();
    let hunan = evaluate(&wb, &Profile::builtin("hunan-2023").unwrap());
    let national = evaluate(&wb, &Profile::builtin("national-2020").unwrap());
    let weights = |e: &Evaluation| e.department.categories.iter().map(|c| (c.name.clone(), c.weight)).collect::<Vec<_>>();
    assert_eq!(
        weights(&national),
        [("产出指标".into(), d("50")), ("效益指标".into(), d("30")), ("满意度指标".into(), d("10"))]
    );
    assert_ne!(weights(&hunan), weights(&national));
    // 成本指标 is not a 一级 of the national profile: its rows are unknown there.
    for n in 17..=19 {
        one(&national, RuleId::CategoryUnknown, Form::A2, None, &ind(n), "l1");
    }
    let f = one(&national, RuleId::WeightCategory, Form::A2, None, "cat:产出指标", "weight");
    assert!(f.message.contains("应为50"), "{}", f.message);
    // The project's category sums differ too: 效益 23 of 30, 产出 30 of 50.
    let sums: Vec<Decimal> = national.projects[0].categories.iter().map(|c| c.weight_sum).collect();
    assert_eq!(sums, [d("30"), d("23"), d("10")]);
    assert!(at(&national, RuleId::WeightCategory, Form::A2, None, "cat:成本指标", "weight").is_empty());
}

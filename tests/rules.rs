//! Every rule of rules.md §9, one case each: a clean generated workbook raises nothing; one
//! mutation raises exactly the rule under test at the cell it concerns. Removing a rule from the
//! engine makes its case fail; `every_rule_has_a_case` fails when a rule has no case.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use zipin::engine::{evaluate, Evaluation, Form, RuleId, Severity};
use zipin::model::{BasicStated, Questionnaire, ReportFigures, Row3, StatedTotals, Workbook};
use zipin::parse::IndicatorValue;
use zipin::profile::Profile;
use zipin::sample;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn profile() -> Profile {
    Profile::builtin("hunan-2023").unwrap()
}

/// 1 project, 12 indicator rows a form: 产出 #1 (≥, full), #2 (qualitative), #3 (≥, short, with
/// reason); 效益 #4–#6; 满意度 #7–#9; 成本 #10–#12 (≤ 万元).
fn base() -> Workbook {
    sample::generated(&profile(), 1, 12)
}

fn eval(wb: &Workbook) -> Evaluation {
    evaluate(wb, &profile())
}

struct Case {
    rule: RuleId,
    mutate: fn(&mut Workbook),
    form: Form,
    project: Option<usize>,
    row: &'static str,
    column: &'static str,
}

const fn case(rule: RuleId, mutate: fn(&mut Workbook), form: Form, row: &'static str, column: &'static str) -> Case {
    Case { rule, mutate, form, project: None, row, column }
}

const fn a3(rule: RuleId, mutate: fn(&mut Workbook), row: &'static str, column: &'static str) -> Case {
    Case { rule, mutate, form: Form::A3, project: Some(0), row, column }
}

fn ind(wb: &mut Workbook, n: usize) -> &mut zipin::model::IndicatorRow {
    &mut wb.department.indicators[n - 1]
}

const CASES: &[Case] = &[
    case(RuleId::Required, |w| w.footer.preparer.clear(), Form::A1, "footer", "preparer"),
    case(RuleId::RequiredText, |w| w.basic.austerity.clear(), Form::A1, "austerity", "text"),
    case(RuleId::NumFormat, |w| w.basic.office.prev = Some(d("1.234")), Form::A1, "E12", "prev"),
    case(RuleId::Negative, |w| w.basic.office.prev = Some(d("-1")), Form::A1, "E12", "prev"),
    case(RuleId::RateUndefined, |w| w.basic.posts = Some(0), Form::A1, "staff", "control_rate"),
    case(
        RuleId::RateStated,
        |w| w.department.stated = Some(StatedTotals { exec_rate: Some(d("99")), exec_score: Some(d("10")), ..Default::default() }),
        Form::A2,
        "fund.total",
        "rate",
    ),
    case(
        RuleId::SumChildren,
        |w| w.basic.stated = Some(BasicStated { three_public: Row3::new(None, None, Some(d("999"))), ..Default::default() }),
        Form::A1,
        "E1",
        "final",
    ),
    case(
        RuleId::SumAtLeast,
        |w| {
            w.basic.public_funds.fin = Some(d("1"));
            w.basic.office.fin = Some(d("5"));
        },
        Form::A1,
        "E11",
        "final",
    ),
    case(RuleId::IncomeSum, |w| w.department.by_source.other = Some(d("1")), Form::A2, "source.general_budget", "amount"),
    case(
        RuleId::ExpendSum,
        |w| w.department.by_nature.basic = w.department.by_nature.basic.map(|v| v + Decimal::ONE),
        Form::A2,
        "nature.basic",
        "amount",
    ),
    case(
        RuleId::ExecOverBudget,
        |w| w.department.funds.executed = w.department.funds.full_year.map(|v| v + Decimal::ONE),
        Form::A2,
        "fund.total",
        "executed",
    ),
    case(RuleId::WeightCategory, |w| ind(w, 1).weight = Some(d("99")), Form::A2, "cat:产出指标", "weight"),
    case(RuleId::WeightTotal, |w| ind(w, 1).weight = Some(d("99")), Form::A2, "total", "weight"),
    case(RuleId::CategoryUnknown, |w| ind(w, 1).l2 = "不存在指标".into(), Form::A2, "ind#1", "l2"),
    case(RuleId::TargetMissing, |w| ind(w, 1).target = IndicatorValue::new(""), Form::A2, "ind#1", "target"),
    case(RuleId::ActualMissing, |w| ind(w, 1).actual = IndicatorValue::new(" "), Form::A2, "ind#1", "actual"),
    case(RuleId::TargetFormat, |w| ind(w, 2).target = IndicatorValue::new("服务满意率"), Form::A2, "ind#2", "target"),
    case(RuleId::QualSuggested, |w| ind(w, 2).score = None, Form::A2, "ind#2", "score"),
    case(RuleId::ActualComparator, |w| ind(w, 1).actual = IndicatorValue::new("≥100人"), Form::A2, "ind#1", "actual"),
    case(RuleId::UnitMismatch, |w| ind(w, 1).actual = IndicatorValue::new("100户"), Form::A2, "ind#1", "actual"),
    case(RuleId::ScoreRange, |w| ind(w, 2).score = Some(d("50")), Form::A2, "ind#2", "score"),
    case(RuleId::ScoreMismatch, |w| ind(w, 1).stated_score = Some(d("1")), Form::A2, "ind#1", "score"),
    case(RuleId::QualBand, |w| ind(w, 2).level = Some("未达成".into()), Form::A2, "ind#2", "score"),
    case(RuleId::DeviationRequired, |w| ind(w, 3).reason.clear(), Form::A2, "ind#3", "reason"),
    case(RuleId::OverCompletion, |w| ind(w, 1).actual = IndicatorValue::new("130人"), Form::A2, "ind#1", "actual"),
    case(
        RuleId::IndicatorDuplicate,
        |w| ind(w, 2).name = w.department.indicators[0].name.clone(),
        Form::A2,
        "ind#1",
        "name",
    ),
    case(RuleId::IndicatorExecDup, |w| ind(w, 1).name = "预算执行率".into(), Form::A2, "ind#1", "name"),
    case(RuleId::CostDirection, |w| ind(w, 10).target = IndicatorValue::new("≥95%"), Form::A2, "ind#10", "target"),
    case(
        RuleId::TotalMismatch,
        |w| w.department.stated = Some(StatedTotals { exec_score: Some(d("10")), total_score: Some(d("50")), ..Default::default() }),
        Form::A2,
        "total",
        "score",
    ),
    case(
        RuleId::SatisfactionCount,
        |w| ind(w, 7).satisfaction = Some(Questionnaire { respondents: 10, counts: vec![("满意".into(), 9)] }),
        Form::A2,
        "ind#7",
        "actual",
    ),
    a3(
        RuleId::XformFund,
        |w| w.basic.special_funds[0].amounts.budget = w.basic.special_funds[0].amounts.budget.map(|v| v + Decimal::ONE),
        "fund.total",
        "full_year",
    ),
    case(
        RuleId::XformProject,
        |w| w.basic.business.fin = w.basic.business.fin.map(|v| v - Decimal::ONE),
        Form::A2,
        "nature.project",
        "amount",
    ),
    a3(RuleId::XformName, |w| w.projects[0].competent_dept = "某某市人民政府".into(), "header", "competent_dept"),
    a3(
        RuleId::XformIndicator,
        |w| w.projects[0].indicators[0].name = w.department.indicators[0].name.clone(),
        "ind#1",
        "target",
    ),
    case(
        RuleId::ReportFigure,
        |w| w.report = Some(ReportFigures { basic: w.department.by_nature.basic.map(|v| v + Decimal::ONE), ..Default::default() }),
        Form::A4,
        "report.basic",
        "amount",
    ),
    case(RuleId::PhoneFormat, |w| w.footer.phone = "12345".into(), Form::A1, "footer", "phone"),
    case(RuleId::DateRange, |w| w.footer.date = NaiveDate::from_ymd_opt(2023, 6, 1), Form::A1, "footer", "date"),
];

#[test]
fn the_base_workbook_is_clean() {
    let e = eval(&base());
    assert!(e.findings.is_empty(), "{:#?}", e.findings);
    assert_eq!(e.department.total_weight, d("100"));
}

#[test]
fn every_rule_has_a_case() {
    for rule in RuleId::ALL {
        assert!(CASES.iter().any(|c| c.rule == *rule), "no test case for {rule}");
    }
}

#[test]
fn each_rule_fires_at_its_cell() {
    let mut failures = Vec::new();
    for c in CASES {
        let mut wb = base();
        (c.mutate)(&mut wb);
        let e = eval(&wb);
        let hit = e.findings.iter().find(|f| {
            f.rule == c.rule
                && f.location.form == c.form
                && f.location.project == c.project
                && f.location.row == c.row
                && f.location.column == c.column
        });
        match hit {
            Some(f) => {
                assert!(!f.message.is_empty() && f.message.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)), "{f:?}");
            }
            None => failures.push(format!("{} not raised at {:?}{:?}.{}.{}; got {:#?}", c.rule, c.form, c.project, c.row, c.column, e.findings)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn severities_follow_the_catalogue() {
    for c in CASES {
        let mut wb = base();
        (c.mutate)(&mut wb);
        let e = eval(&wb);
        for f in e.findings.iter().filter(|f| f.rule == c.rule && f.rule != RuleId::RateStated) {
            assert_eq!(f.severity, c.rule.default_severity(), "{f:?}");
        }
    }
}

#[test]
fn severity_overrides_apply_except_to_protected_rules() {
    let mut p = profile();
    p.severity_overrides.insert("R-PHONE-FORMAT".into(), Severity::Error);
    let mut wb = base();
    wb.footer.phone = "12345".into();
    let e = evaluate(&wb, &p);
    assert!(e.findings.iter().any(|f| f.rule == RuleId::PhoneFormat && f.severity == Severity::Error));
    // A profile may not soften R-WEIGHT-*: loading such a profile fails.
    let text = zipin::profile::BUILTIN[0].1.replace("severity_overrides: {}", "severity_overrides: {\"R-WEIGHT-TOTAL\": warning}");
    assert!(Profile::from_ron("x.ron", &text).unwrap_err().message.contains("R-WEIGHT-TOTAL"));
}

#[test]
fn filling_the_reason_clears_the_deviation() {
    let mut wb = base();
    ind(&mut wb, 3).reason.clear();
    assert!(eval(&wb).findings.iter().any(|f| f.rule == RuleId::DeviationRequired));
    ind(&mut wb, 3).reason = "部分对象迁出，下年补足".into();
    assert!(eval(&wb).findings.is_empty());
}

/// R-EXEC-RATE (computation only): rate = 执行/全年预算, score = min(rate, 100%) × 分值.
#[test]
fn r_exec_rate() {
    let mut wb = base();
    let budget = wb.department.funds.full_year.unwrap();
    wb.department.funds.executed = Some(budget * d("0.9"));
    let e = eval(&wb);
    assert_eq!(e.department.exec_rate, Some(d("0.9")));
    assert_eq!(e.department.exec_score, d("9"));
    wb.department.funds.executed = Some(budget * d("1.5"));
    assert_eq!(eval(&wb).department.exec_score, d("10"), "capped at the weight");
    wb.department.funds.full_year = Some(Decimal::ZERO);
    let e = eval(&wb);
    assert_eq!((e.department.exec_rate, e.department.exec_score), (None, Decimal::ZERO));
}

/// R-SCORE-QUANT (computation only): the row's score follows §4.2, rounded half-up once.
#[test]
fn r_score_quant() {
    let mut wb = base();
    let w = ind(&mut wb, 1).weight.unwrap();
    ind(&mut wb, 1).target = IndicatorValue::new("≥300人");
    ind(&mut wb, 1).actual = IndicatorValue::new("200人");
    ind(&mut wb, 1).reason = "说明".into();
    let e = eval(&wb);
    let expected = zipin::display::round(w * d("200") / d("300"), 2);
    assert_eq!(e.department.rows[0].computed, Some(expected));
    assert_eq!(e.department.rows[0].score, Some(expected));
    let rows: Decimal = e.department.rows.iter().filter_map(|r| r.score).sum();
    assert_eq!(e.department.total_score, e.department.exec_score + rows);
}

/// Targets written with a comparator after the value (`300人以上`, `10万元以内`) score as the
/// rule they state; a target whose digits do not read as a value warns (R-TARGET-FORMAT, warning)
/// instead of silently scoring the row as qualitative.
#[test]
fn suffix_comparators_score_and_unreadable_digits_warn() {
    let mut wb = base();
    ind(&mut wb, 1).target = IndicatorValue::new("≥300人");
    ind(&mut wb, 1).actual = IndicatorValue::new("200人");
    ind(&mut wb, 1).reason = "说明".into();
    let symbol = eval(&wb).department.rows[0].computed;
    assert!(symbol.is_some());
    ind(&mut wb, 1).target = IndicatorValue::new("300人（含）以上");
    let e = eval(&wb);
    assert_eq!(e.department.rows[0].computed, symbol, "300人（含）以上 scores as ≥300人");
    assert!(!e.findings.iter().any(|f| f.location.row == "ind#1" && f.rule == RuleId::TargetFormat), "{:#?}", e.findings);

    ind(&mut wb, 1).target = IndicatorValue::new("第3季度前完成300人");
    let e = eval(&wb);
    let f = e.findings.iter().find(|f| f.location.row == "ind#1" && f.rule == RuleId::TargetFormat).expect("a warning");
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.message.contains("含数字但无法读作数值"), "{}", f.message);
    assert_eq!(e.department.rows[0].computed, None, "scored as qualitative, and said so");
}

/// An actual written with a comparator on a quantitative row (`>1400人次`) raises
/// R-ACTUAL-COMPARATOR only: the score is the app's to compute, so no R-REQUIRED on it.
#[test]
fn a_comparator_in_the_actual_does_not_ask_for_a_computed_score() {
    let mut wb = base();
    ind(&mut wb, 1).target = IndicatorValue::new("≥1400人次");
    ind(&mut wb, 1).actual = IndicatorValue::new(">1400人次");
    ind(&mut wb, 1).score = None;
    let e = eval(&wb);
    let on_row: Vec<_> = e.findings.iter().filter(|f| f.location.form == Form::A2 && f.location.row == "ind#1").map(|f| f.rule).collect();
    assert!(on_row.contains(&RuleId::ActualComparator), "{on_row:?}");
    assert!(!on_row.contains(&RuleId::Required), "{on_row:?}");
    // A qualitative row still needs its score (unless its actual reads as its target: §4.3).
    ind(&mut wb, 2).score = None;
    ind(&mut wb, 2).actual = IndicatorValue::new("有所改善");
    let e = eval(&wb);
    assert!(e.findings.iter().any(|f| f.location.row == "ind#2" && f.location.column == "score" && f.rule == RuleId::Required));
}

/// 附件3's 年度资金总额 printed 0/0/0 (or blank) over 其中 rows that carry figures: the form did
/// not fill its total. One R-SUM-CHILDREN, and 执行率 is scored from the 其中 rows' sum.
#[test]
fn an_unfilled_fund_total_is_reported_once_and_the_rate_uses_the_rows() {
    use zipin::model::FundTotal;
    let wb = base();
    let clean = eval(&wb).projects[0].clone();
    assert!(!clean.funds.full_year.is_zero());
    for printed in [
        FundTotal { initial: Some(Decimal::ZERO), full_year: Some(Decimal::ZERO), executed: Some(Decimal::ZERO) },
        FundTotal { initial: None, full_year: None, executed: None },
    ] {
        let mut wb = base();
        wb.projects[0].stated = Some(StatedTotals { fund_total: Some(printed), ..Default::default() });
        let e = eval(&wb);
        let sums: Vec<_> = e.findings.iter().filter(|f| f.rule == RuleId::SumChildren && f.location.form == Form::A3).collect();
        assert_eq!(sums.len(), 1, "{printed:?}: {sums:#?}");
        assert!(sums[0].message.contains("未填写") && sums[0].message.contains("执行率按其中各行合计计算"), "{}", sums[0].message);
        assert_eq!(e.projects[0].funds.full_year, clean.funds.full_year, "{printed:?}");
        assert_eq!(e.projects[0].exec_score, clean.exec_score, "{printed:?}");
    }
    // A printed total that disagrees with its rows is still compared column by column.
    let mut wb = base();
    let full = eval(&wb).projects[0].funds.full_year;
    wb.projects[0].stated = Some(StatedTotals {
        fund_total: Some(FundTotal { initial: None, full_year: Some(full + Decimal::ONE), executed: None }),
        ..Default::default()
    });
    let e = eval(&wb);
    assert!(e.findings.iter().any(|f| f.rule == RuleId::SumChildren && f.location.column == "full_year" && f.message.contains("应等于明细合计")));
}

/// rules.md §4.3: a qualitative row whose actual equals its target and has no score is suggested
/// 达成 with the full 分值 — it counts as such (an info says so), so a project whose rows all
/// read as achieved scores 100; a score entered or a lower level chosen replaces the suggestion.
#[test]
fn achieved_qualitative_rows_are_suggested_full_marks() {
    let mut wb = base();
    let full = eval(&wb).projects[0].total_score;
    let qualitative: Vec<usize> = wb.projects[0].indicators.iter().enumerate().filter(|(_, r)| !r.target.parts().is_quantitative()).map(|(i, _)| i).collect();
    assert!(qualitative.len() >= 3, "{qualitative:?}");
    for &i in &qualitative {
        let r = &mut wb.projects[0].indicators[i];
        r.score = None;
        r.level = None;
        r.actual = IndicatorValue::new(format!("{}。", r.target.raw()));
    }
    let e = eval(&wb);
    assert_eq!(e.projects[0].total_score, full, "suggested rows count their full 分值");
    let infos: Vec<_> = e.findings.iter().filter(|f| f.rule == RuleId::QualSuggested && f.location.form == Form::A3).collect();
    assert_eq!(infos.len(), qualitative.len());
    assert!(infos.iter().all(|f| f.severity == Severity::Info && f.message.contains("建议评为「达成」")));
    assert!(!e.findings.iter().any(|f| f.rule == RuleId::Required && f.location.column == "score" && f.location.form == Form::A3));
    // A different actual is no suggestion: the score is required again.
    let r = &mut wb.projects[0].indicators[qualitative[0]];
    r.actual = IndicatorValue::new("有所改善");
    let e = eval(&wb);
    assert!(e.findings.iter().any(|f| f.rule == RuleId::Required && f.location.row == format!("ind#{}", qualitative[0] + 1)));
}

/// Every per-cell message names its column: three bad amounts on one row say which is which.
#[test]
fn messages_on_one_row_name_their_columns() {
    let mut wb = base();
    let f = &mut wb.projects[0].current_approp;
    f.initial = Some(d("1.234"));
    f.full_year = Some(d("1.234"));
    f.executed = Some(d("1.234"));
    let e = eval(&wb);
    let mut msgs: Vec<&str> = e
        .findings
        .iter()
        .filter(|f| f.rule == RuleId::NumFormat && f.location.row == "fund.current_approp")
        .map(|f| f.message.as_str())
        .collect();
    msgs.sort();
    msgs.dedup();
    assert_eq!(msgs.len(), 3, "{msgs:?}");
    for col in ["年初预算数", "全年预算数", "全年执行数"] {
        assert!(msgs.iter().any(|m| m.contains(&format!("当年财政拨款（{col}）"))), "{col}: {msgs:?}");
    }
}

/// R-GRADE (computation only): 优 ≥ 90 > 良 ≥ 80 > 中 ≥ 60 > 差.
#[test]
fn r_grade() {
    let p = profile();
    for (total, grade) in [("100", "优"), ("90", "优"), ("89.99", "良"), ("80", "良"), ("79.99", "中"), ("60", "中"), ("59.99", "差"), ("0", "差")] {
        assert_eq!(p.grade(d(total)), grade, "{total}");
    }
    let e = eval(&base());
    assert_eq!(e.department.grade, p.grade(e.department.total_score));
    assert!(!e.department.provisional);
}

/// Optional categories (national "如有" 满意度): left empty they are not an error, and the
/// total is judged out of the remaining weight.
#[test]
fn optional_category_may_be_empty() {
    let p = Profile::builtin("national-2020").unwrap();
    let mut wb = sample::generated(&p, 0, 9);
    wb.department.indicators.retain(|r| r.l1 != "满意度指标");
    // Re-spread 满意度's 10 points would break 产出/效益; instead expect the total out of 90.
    let e = evaluate(&wb, &p);
    assert!(!e.findings.iter().any(|f| f.rule == RuleId::WeightCategory), "{:#?}", e.findings);
    assert!(!e.findings.iter().any(|f| f.rule == RuleId::WeightTotal), "{:#?}", e.findings);
    assert_eq!(e.department.max_score, d("90"));
}

#[test]
fn questionnaire_computes_satisfaction() {
    // 40 respondents: 33 非常满意 (100%), 5 满意 (100%), 2 基本满意 (90%) → S = 99.5%.
    let mut wb = base();
    let row = ind(&mut wb, 7);
    row.target = IndicatorValue::new("≥95%");
    row.actual = IndicatorValue::new("");
    row.satisfaction = Some(Questionnaire {
        respondents: 40,
        counts: vec![("非常满意".into(), 33), ("满意".into(), 5), ("基本满意".into(), 2)],
    });
    let w = row.weight.unwrap();
    let e = eval(&wb);
    assert_eq!(e.department.rows[6].satisfaction, Some(d("99.5")));
    assert_eq!(e.department.rows[6].computed, Some(w));
    assert!(!e.findings.iter().any(|f| f.location.row == "ind#7"), "{:#?}", e.findings);
}

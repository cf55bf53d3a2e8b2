//! Money rules: 附件1 (sums, rates, austerity text), the funds rows of 附件2 and 附件3, and the
//! fields every form shares (unit name, footer).

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::{BasicEval, Form, FormEval, FundValues, Location, RowCol, RuleId, Sink, Sum3};
use crate::display;
use crate::model::{BasicStated, FundTotal, ProjectSelfEval, Row3, Workbook};
use crate::parse::phone_is_valid;

fn z(v: Option<Decimal>) -> Decimal {
    v.unwrap_or_default()
}

fn sum3<'a>(rows: impl IntoIterator<Item = &'a Row3>) -> Sum3 {
    rows.into_iter().fold(Sum3::default(), |acc, r| Sum3 {
        prev: acc.prev + z(r.prev),
        budget: acc.budget + z(r.budget),
        fin: acc.fin + z(r.fin),
    })
}

/// A ratio, or `None` when the denominator is blank or 0.
pub(crate) fn ratio(num: Option<Decimal>, den: Option<Decimal>) -> Option<Decimal> {
    match den {
        Some(d) if !d.is_zero() => num.unwrap_or_default().checked_div(d),
        _ => None,
    }
}

const COLUMN_LABELS: [(&str, &str); 3] = [("prev", "上年决算数"), ("budget", "预算数"), ("final", "决算数")];

fn col_label(column: &str) -> &'static str {
    COLUMN_LABELS.iter().find(|(c, _)| *c == column).map_or("", |(_, l)| l)
}

/// Unit name and footer: shared by all three forms, reported on 附件1 (where they are entered first).
pub(super) fn common(wb: &Workbook, sink: &mut Sink) {
    let loc = |row: &str, col: &str| Location::new(Form::A2, None, row, col);
    sink.required_text(&wb.unit, || loc("header", "unit"), "预算部门名称");
    let f = &wb.footer;
    let floc = |col: &str| Location::new(Form::A1, None, "footer", col);
    sink.required_text(&f.preparer, || floc("preparer"), "填表人");
    if f.date.is_none() {
        sink.push(RuleId::Required, floc("date"), "「填报日期」为必填项".into());
    }
    sink.required_text(&f.phone, || floc("phone"), "联系电话");
    if !f.phone.trim().is_empty() && !phone_is_valid(&f.phone) {
        sink.push(RuleId::PhoneFormat, floc("phone"), "联系电话格式有误".into());
    }
    if let (Some(date), Some(year_end)) = (f.date, NaiveDate::from_ymd_opt(i32::from(wb.year), 12, 31)) {
        if date <= year_end {
            sink.push(RuleId::DateRange, floc("date"), format!("填报日期{}早于年度结束", date.format("%Y.%m.%d")));
        }
        if date.year() > i32::from(wb.year) + 2 {
            sink.push(RuleId::DateRange, floc("date"), format!("填报日期{}晚于{}年度两年以上，请核对", date.format("%Y.%m.%d"), wb.year));
        }
    }
}

/// 附件1: derived subtotals and rates, SUM-CHILDREN against printed subtotals, SUM-ATLEAST,
/// over-budget rows, money cells, the austerity text.
pub(super) fn basic(wb: &Workbook, sink: &mut Sink) -> BasicEval {
    let b = &wb.basic;
    let loc = |row: &str, col: &str| Location::new(Form::A1, None, row, col);

    let control_rate = ratio(b.in_post.map(Decimal::from), b.posts.map(Decimal::from));
    if control_rate.is_none() && (b.posts.is_some() || b.in_post.is_some()) {
        sink.push(RuleId::RateUndefined, loc("staff", "control_rate"), "「控制率」分母为0，比率显示为\"—\"".into());
    }

    // Money cells of the input rows and the funds.
    for &(id, label) in crate::model::INPUT_ROWS {
        let row = b.row(id).copied().unwrap_or_default();
        for (col, v) in row.cells() {
            sink.money(v, || loc(id, col), RowCol(label, row3_label(col)));
        }
        if let (Some(budget), Some(fin)) = (row.budget, row.fin) {
            if fin > budget {
                over_budget(sink, loc(id, "final"), fin, budget);
            }
        }
    }
    for (k, fund) in b.special_funds.iter().enumerate() {
        let id = format!("E10.{}", k + 1);
        for (col, v) in fund.amounts.cells() {
            sink.money(v, || loc(&id, col), RowCol(&format!("第{}项县级专项资金", k + 1), row3_label(col)));
        }
        if fund.name.trim().is_empty() {
            sink.push(RuleId::Required, loc(&id, "name"), "「专项名称」为必填项".into());
        }
        if let (Some(budget), Some(fin)) = (fund.amounts.budget, fund.amounts.fin) {
            if fin > budget {
                over_budget(sink, loc(&id, "final"), fin, budget);
            }
        }
    }

    let stated = b.stated.clone().unwrap_or_default();
    let special = sum3(b.special_funds.iter().map(|f| &f.amounts));
    let vehicles = sum3([&b.vehicle_buy, &b.vehicle_run]);
    // A printed subtotal stands in for its own children when it feeds a higher subtotal,
    // so a disagreement is reported once, where it is.
    let eff = |stated: &Row3, computed: Sum3| Sum3 {
        prev: stated.prev.unwrap_or(computed.prev),
        budget: stated.budget.unwrap_or(computed.budget),
        fin: stated.fin.unwrap_or(computed.fin),
    };
    let three_public = {
        let v = eff(&stated.vehicles, vehicles);
        let rest = sum3([&b.abroad, &b.reception]);
        Sum3 { prev: v.prev + rest.prev, budget: v.budget + rest.budget, fin: v.fin + rest.fin }
    };
    let projects = {
        let s = eff(&stated.special, special);
        let rest = sum3([&b.business, &b.running]);
        Sum3 { prev: s.prev + rest.prev, budget: s.budget + rest.budget, fin: s.fin + rest.fin }
    };
    check_stated(sink, &stated, &three_public, &vehicles, &projects, &special);

    // E11 ≥ E12 + E13 + E14, per column.
    let parts = sum3([&b.office, &b.utilities_travel, &b.meeting_training]);
    for (col, v) in b.public_funds.cells() {
        let sum = parts.get(col);
        if (v.is_some() || !sum.is_zero()) && z(v) < sum {
            sink.push(
                RuleId::SumAtLeast,
                loc("E11", col),
                format!("「公用经费」{}不应小于\"其中\"合计{}", col_label(col), display::money(sum)),
            );
        }
    }

    let mut buildings = Vec::with_capacity(b.buildings.len());
    for (k, bld) in b.buildings.iter().enumerate() {
        let id = format!("building#{}", k + 1);
        for (col, v, label) in [
            ("approved_m2", bld.approved_m2, "批复规模"),
            ("actual_m2", bld.actual_m2, "实际规模"),
            ("budget_inv", bld.budget_inv, "预算投资"),
            ("actual_inv", bld.actual_inv, "实际投资"),
        ] {
            sink.money(v, || loc(&id, col), label);
        }
        let scale = ratio(bld.actual_m2, bld.approved_m2);
        let inv = ratio(bld.actual_inv, bld.budget_inv);
        if scale.is_none() {
            sink.push(RuleId::RateUndefined, loc(&id, "scale_rate"), "「规模控制率」分母为0，比率显示为\"—\"".into());
        }
        if inv.is_none() {
            sink.push(RuleId::RateUndefined, loc(&id, "invest_rate"), "「投资概算控制率」分母为0，比率显示为\"—\"".into());
        }
        buildings.push((scale, inv));
    }

    let austerity_required = sink.profile.required_texts.iter().any(|t| t == "厉行节约保障措施");
    if austerity_required && b.austerity.trim().is_empty() {
        sink.push(RuleId::RequiredText, loc("austerity", "text"), "「厉行节约保障措施」未填写".into());
    }

    BasicEval { control_rate, three_public, vehicles, projects, special, buildings }
}

/// R-SUM-CHILDREN for each subtotal a filed 附件1 printed.
fn check_stated(sink: &mut Sink, stated: &BasicStated, e1: &Sum3, e2: &Sum3, e7: &Sum3, e10: &Sum3) {
    for (id, label, printed, computed) in [
        ("E1", "\"三公\"经费", &stated.three_public, e1),
        ("E2", "公务用车购置和维护经费", &stated.vehicles, e2),
        ("E7", "项目支出", &stated.projects, e7),
        ("E10", "县级专项资金", &stated.special, e10),
    ] {
        for (col, v) in printed.cells() {
            if let Some(v) = v {
                let sum = computed.get(col);
                if v != sum {
                    sink.push(
                        RuleId::SumChildren,
                        Location::new(Form::A1, None, id, col),
                        format!("「{label}」{}应等于明细合计{}，现为{}", col_label(col), display::money(sum), display::money(v)),
                    );
                }
            }
        }
    }
}

fn over_budget(sink: &mut Sink, location: Location, exec: Decimal, budget: Decimal) {
    let rate = display::percent(ratio(Some(exec), Some(budget)));
    sink.push(
        RuleId::ExecOverBudget,
        location,
        format!("执行数{}超过预算数{}（执行率{rate}），请说明", display::money(exec), display::money(budget)),
    );
}

const FUND_COLUMNS: [(&str, &str); 3] = [("initial", "年初预算数"), ("full_year", "全年预算数"), ("executed", "全年执行数")];

/// 附件1's three money columns by id.
fn row3_label(col: &str) -> &'static str {
    match col {
        "prev" => "上年决算数",
        "budget" => "预算数",
        _ => "决算数",
    }
}

fn fund_cells(f: &FundTotal) -> [Option<Decimal>; 3] {
    [f.initial, f.full_year, f.executed]
}

/// 执行率 and its score, R-RATE-UNDEFINED, R-EXEC-OVER-BUDGET, R-RATE-STATED.
fn exec_rate(eval: &mut FormEval, form: Form, project: Option<usize>, budget: Decimal, stated_rate: Option<Decimal>, sink: &mut Sink) {
    let loc = |col: &str| Location::new(form, project, "fund.total", col);
    eval.exec_weight = sink.profile.exec_weight;
    eval.exec_rate = ratio(Some(eval.funds.executed), Some(budget));
    eval.exec_score = match eval.exec_rate {
        Some(r) => display::round(r.min(Decimal::ONE) * eval.exec_weight, 2),
        None => {
            sink.push(RuleId::RateUndefined, loc("rate"), "「执行率」分母为0，比率显示为\"—\"".into());
            Decimal::ZERO
        }
    };
    if eval.funds.executed > budget && eval.exec_rate.is_some() {
        over_budget(sink, loc("executed"), eval.funds.executed, budget);
    }
    if let (Some(stated), Some(rate)) = (stated_rate, eval.exec_rate) {
        let computed = display::round(rate * Decimal::ONE_HUNDRED, 2);
        let diff = (stated - computed).abs();
        if !diff.is_zero() {
            let severity = if diff <= Decimal::new(1, 2) { super::Severity::Info } else { super::Severity::Warning };
            sink.push_with(
                RuleId::RateStated,
                severity,
                loc("rate"),
                format!("「执行率」填报值{}%与计算值{}%不一致", stated, computed),
            );
        }
    }
}

/// 附件2 funds: 年度资金总额, 按收入性质分, 按支出性质分, goals.
pub(super) fn department(wb: &Workbook, sink: &mut Sink) -> FormEval {
    let d = &wb.department;
    let loc = |row: &str, col: &str| Location::new(Form::A2, None, row, col);
    for ((col, label), v) in FUND_COLUMNS.iter().zip(fund_cells(&d.funds)) {
        if v.is_none() {
            sink.push(RuleId::Required, loc("fund.total", col), format!("「{label}」为必填项"));
        }
        sink.money(v, || loc("fund.total", col), RowCol("年度资金总额", label));
    }
    for ((id, label), v) in crate::model::Sources::ROWS.iter().zip(d.by_source.values()) {
        sink.money(v, || loc(&format!("source.{id}"), "amount"), label);
    }
    sink.money(d.by_nature.basic, || loc("nature.basic", "amount"), "基本支出");
    sink.money(d.by_nature.project, || loc("nature.project", "amount"), "项目支出");

    let mut eval = FormEval {
        funds: FundValues { initial: z(d.funds.initial), full_year: z(d.funds.full_year), executed: z(d.funds.executed) },
        income_total: d.by_source.values().iter().map(|v| z(*v)).sum(),
        expend_total: z(d.by_nature.basic) + z(d.by_nature.project),
        ..Default::default()
    };
    eval.source_sum = eval.funds;
    let stated_rate = d.stated.as_ref().and_then(|s| s.exec_rate);
    let budget = eval.funds.full_year;
    exec_rate(&mut eval, Form::A2, None, budget, stated_rate, sink);

    if let Some(budget) = d.funds.full_year {
        if eval.income_total != budget {
            sink.push(
                RuleId::IncomeSum,
                loc("source.general_budget", "amount"),
                format!("按收入性质分合计{}≠全年预算数{}", display::money(eval.income_total), display::money(budget)),
            );
        }
    }
    if let Some(exec) = d.funds.executed {
        if eval.expend_total != exec {
            sink.push(
                RuleId::ExpendSum,
                loc("nature.basic", "amount"),
                format!("按支出性质分合计{}≠全年执行数{}", display::money(eval.expend_total), display::money(exec)),
            );
        }
    }
    sink.required_text(&d.goal_expected, || loc("goal", "expected"), "预期目标");
    sink.required_text(&d.goal_actual, || loc("goal", "actual"), "实际完成情况");
    eval
}

/// One 附件3: header, source rows and their total, goals.
pub(super) fn project(p: &ProjectSelfEval, index: usize, sink: &mut Sink) -> FormEval {
    let loc = |row: &str, col: &str| Location::new(Form::A3, Some(index), row, col);
    sink.required_text(&p.name, || loc("header", "name"), "项目支出名称");
    sink.required_text(&p.competent_dept, || loc("header", "competent_dept"), "主管部门");
    sink.required_text(&p.implementer, || loc("header", "implementer"), "实施单位");

    let mut sum = FundValues::default();
    for (id, label, f) in p.sources() {
        for ((col, col_label), v) in FUND_COLUMNS.iter().zip(fund_cells(f)) {
            sink.money(v, || loc(&format!("fund.{id}"), col), RowCol(label, col_label));
        }
        sum.initial += z(f.initial);
        sum.full_year += z(f.full_year);
        sum.executed += z(f.executed);
    }
    // A filed form's printed total stands for the total; the app compares it with the sum.
    let printed = p.stated.as_ref().and_then(|s| s.fund_total);
    let mut funds = sum;
    if let Some(printed) = printed {
        let sums = [sum.initial, sum.full_year, sum.executed];
        let cells = fund_cells(&printed);
        if cells.iter().all(|v| v.is_none_or(|v| v.is_zero())) && sums.iter().any(|s| !s.is_zero()) {
            // Printed 0/0/0 (or blank) over 其中 rows that carry figures: the form did not fill its
            // total. One finding, and 执行率 is scored from the 其中 rows' sum.
            sink.push(
                RuleId::SumChildren,
                loc("fund.total", "full_year"),
                format!(
                    "「年度资金总额」未填写（各栏为空或0），其中各行合计为年初预算数{}、全年预算数{}、全年执行数{}；执行率按其中各行合计计算",
                    display::money(sum.initial),
                    display::money(sum.full_year),
                    display::money(sum.executed)
                ),
            );
        } else {
            for (((col, label), v), s) in FUND_COLUMNS.iter().zip(cells).zip(sums) {
                if let Some(v) = v {
                    if v != s {
                        sink.push(
                            RuleId::SumChildren,
                            loc("fund.total", col),
                            format!("「年度资金总额」{label}应等于明细合计{}，现为{}", display::money(s), display::money(v)),
                        );
                    }
                }
            }
            funds = FundValues {
                initial: printed.initial.unwrap_or(sum.initial),
                full_year: printed.full_year.unwrap_or(sum.full_year),
                executed: printed.executed.unwrap_or(sum.executed),
            };
        }
    }
    let mut eval = FormEval { funds, source_sum: sum, ..Default::default() };
    let stated_rate = p.stated.as_ref().and_then(|s| s.exec_rate);
    exec_rate(&mut eval, Form::A3, Some(index), funds.full_year, stated_rate, sink);
    sink.required_text(&p.goal_expected, || loc("goal", "expected"), "预期目标");
    sink.required_text(&p.goal_actual, || loc("goal", "actual"), "实际完成情况");
    eval
}

//! Checks between forms (rules.md §7): funds 附件1 ↔ 附件3, project spending 附件1 ↔ 附件2,
//! unit names, same-named indicators, and the 附件4 key figures.

use std::borrow::Cow;
use std::collections::HashMap;

use rust_decimal::Decimal;

use super::indicators::indicator_key;
use super::{BasicEval, FastMap, Form, FormEval, Location, RuleId, Sink};
use crate::display;
use crate::model::{IndicatorRow, Workbook};
use crate::parse::normalize;
use crate::profile::{FundColumn, Profile};

/// A unit or fund name for comparison: no spaces, full-width folded, abbreviations expanded.
pub(crate) fn name_key(name: &str, profile: &Profile) -> String {
    let mut n: String = normalize(name).chars().filter(|c| !c.is_whitespace()).collect();
    for (short, long) in &profile.name_aliases {
        if !n.contains(long.as_str()) && n.contains(short.as_str()) {
            n = n.replace(short.as_str(), long);
        }
    }
    n
}

pub(super) fn check(
    wb: &Workbook,
    basic: &BasicEval,
    department: &FormEval,
    projects: &[FormEval],
    keys: (&[Cow<str>], &[Vec<Cow<str>>]),
    profile: &Profile,
    sink: &mut Sink,
) {
    funds(wb, projects, profile, sink);
    project_total(wb, basic, profile, sink);
    names(wb, profile, sink);
    indicators(wb, keys.0, keys.1, sink);
    report(wb, basic, department, projects, sink);
}

/// R-XFORM-FUND: each 附件3 against its 附件1 fund row.
fn funds(wb: &Workbook, projects: &[FormEval], profile: &Profile, sink: &mut Sink) {
    let mut by_name = HashMap::with_capacity(wb.basic.special_funds.len());
    for f in &wb.basic.special_funds {
        by_name.entry(name_key(&f.name, profile)).or_insert(f);
    }
    for (i, (p, eval)) in wb.projects.iter().zip(projects).enumerate() {
        let key = name_key(&p.name, profile);
        if key.is_empty() {
            continue;
        }
        let Some(fund) = by_name.get(&key) else { continue };
        let (budget_col, budget_label, a3_budget) = match profile.xform.fund_budget_column {
            FundColumn::FullYear => ("full_year", "全年预算数", eval.funds.full_year),
            FundColumn::Initial => ("initial", "年初预算数", eval.funds.initial),
        };
        for (col, label, a1, a3) in [
            (budget_col, budget_label, fund.amounts.budget, a3_budget),
            ("executed", "全年执行数", fund.amounts.fin, eval.funds.executed),
        ] {
            let a1 = a1.unwrap_or_default();
            if a1 != a3 {
                sink.push(
                    RuleId::XformFund,
                    Location::new(Form::A3, Some(i), "fund.total", col),
                    format!("专项\"{}\"{label}：附件1为{}，附件3为{}", fund.name.trim(), display::money(a1), display::money(a3)),
                );
            }
        }
    }
}

/// R-XFORM-PROJECT: 附件1 E7 ({Y}年决算数) against 附件2 项目支出.
fn project_total(wb: &Workbook, basic: &BasicEval, profile: &Profile, sink: &mut Sink) {
    let a1 = wb.basic.stated.as_ref().and_then(|s| s.projects.fin).unwrap_or(basic.projects.fin);
    let a2 = wb.department.by_nature.project;
    let a1_entered = a1 != Decimal::ZERO;
    if (a1_entered || a2.is_some()) && a2.unwrap_or_default() != a1 {
        sink.push_with(
            RuleId::XformProject,
            profile.xform.project_total,
            Location::new(Form::A2, None, "nature.project", "amount"),
            format!("附件1项目支出合计{}≠附件2项目支出{}", display::money(a1), display::money(a2.unwrap_or_default())),
        );
    }
}

/// R-XFORM-NAME: 预算部门名称 against each 附件3's 主管部门 and 实施单位.
fn names(wb: &Workbook, profile: &Profile, sink: &mut Sink) {
    let unit = name_key(&wb.unit, profile);
    if unit.is_empty() {
        return;
    }
    for (i, p) in wb.projects.iter().enumerate() {
        for (col, value) in [("competent_dept", &p.competent_dept), ("implementer", &p.implementer)] {
            let key = name_key(value, profile);
            if !key.is_empty() && key != unit {
                sink.push(
                    RuleId::XformName,
                    Location::new(Form::A3, Some(i), "header", col),
                    format!("单位名称不一致：\"{}\"与\"{}\"", wb.unit.trim(), value.trim()),
                );
            }
        }
    }
}

/// Number and unit of a value, for comparing two rows.
fn measure(v: &crate::parse::IndicatorValue) -> Option<(Decimal, Option<&str>)> {
    let p = v.parts();
    p.number.map(|n| (n, p.unit.as_deref()))
}

/// R-XFORM-INDICATOR: rows of 附件2 and a 附件3 with the same 三级 name must agree.
fn indicators(wb: &Workbook, dept_keys: &[Cow<str>], project_keys: &[Vec<Cow<str>>], sink: &mut Sink) {
    let mut dept: FastMap<&str, (usize, &IndicatorRow)> = FastMap::default();
    for (i, (r, key)) in wb.department.indicators.iter().zip(dept_keys).enumerate() {
        // Only rows with a number can disagree.
        if !key.is_empty() && (r.target.parts().number.is_some() || r.actual.parts().number.is_some()) {
            dept.entry(key.as_ref()).or_insert((i, r));
        }
    }
    if dept.is_empty() {
        return;
    }
    for (pi, (p, keys)) in wb.projects.iter().zip(project_keys).enumerate() {
        for (j, (r, key)) in p.indicators.iter().zip(keys).enumerate() {
            let Some(&(i, d)) = dept.get(key.as_ref()) else { continue };
            if d.different_scope || r.different_scope {
                continue;
            }
            for (col, a, b) in [("target", &d.target, &r.target), ("actual", &d.actual, &r.actual)] {
                if let (Some(ma), Some(mb)) = (measure(a), measure(b)) {
                    if ma != mb {
                        sink.push(
                            RuleId::XformIndicator,
                            Location::new(Form::A3, Some(pi), format!("ind#{}", j + 1), col),
                            format!(
                                "\"{}\"：附件2第{}行为{}，附件3第{}行为{}",
                                key,
                                i + 1,
                                a.display(),
                                j + 1,
                                b.display()
                            ),
                        );
                    }
                }
            }
        }
    }
}

/// R-REPORT-FIGURE: the figures quoted by 附件4 against the forms.
fn report(wb: &Workbook, basic: &BasicEval, department: &FormEval, projects: &[FormEval], sink: &mut Sink) {
    let Some(r) = &wb.report else { return };
    let loc = |row: &str| Location::new(Form::A4, None, row, "amount");
    let flag = |sink: &mut Sink, row: &str, item: &str, a: String, b: String| {
        sink.push(RuleId::ReportFigure, loc(row), format!("自评报告{item}为{a}，表中为{b}"));
    };
    let a1_public = wb.basic.public_funds.fin;
    let a1_three = basic.three_public.fin;
    let money_pairs = [
        ("report.public_funds", "公用经费", r.public_funds, a1_public),
        ("report.basic", "基本支出", r.basic, wb.department.by_nature.basic),
        ("report.project", "项目支出", r.project, wb.department.by_nature.project),
        ("report.three_public", "\"三公\"经费", r.three_public, Some(a1_three)),
    ];
    for (row, item, stated, form_value) in money_pairs {
        if let (Some(a), Some(b)) = (stated, form_value) {
            if a != b {
                flag(sink, row, item, display::money(a), display::money(b));
            }
        }
    }
    let amounts: Vec<Decimal> = r.breakdown.iter().filter_map(|l| l.amount).collect();
    if let (Some(stated), false) = (r.project, amounts.is_empty()) {
        let sum: Decimal = amounts.iter().sum();
        if sum != stated {
            flag(sink, "report.breakdown", "项目支出明细合计", display::money(sum), format!("{}（报告所述项目支出）", display::money(stated)));
        }
    }
    if let Some(basic_total) = r.basic.filter(|b| !b.is_zero()) {
        for (row, item, part, share) in [
            ("report.personnel_share", "人员经费占比", r.personnel, r.personnel_share),
            ("report.public_share", "公用经费占比", r.public_funds, r.public_share),
        ] {
            if let (Some(part), Some(share)) = (part, share) {
                let computed = display::round(part / basic_total * Decimal::ONE_HUNDRED, 2);
                if (computed - share).abs() > Decimal::new(1, 2) {
                    flag(sink, row, item, format!("{share}%"), format!("{computed}%"));
                }
            }
        }
    }
    if let Some(s) = r.dept_score.filter(|s| (*s - department.total_score).abs() > Decimal::new(1, 2)) {
        flag(sink, "report.dept_score", "部门整体自评得分", display::score(s), display::score(department.total_score));
    }
    if !r.dept_grade.trim().is_empty() && r.dept_grade.trim() != department.grade {
        flag(sink, "report.dept_grade", "部门整体自评等级", r.dept_grade.trim().to_string(), department.grade.clone());
    }
    for (rp, row_name) in r.projects.iter().zip(0..) {
        let Some(i) = wb.projects.iter().position(|p| indicator_key(&p.name) == indicator_key(&rp.name)) else { continue };
        let eval = &projects[i];
        let row = format!("report.project#{}", row_name + 1);
        if let Some(s) = rp.score {
            if (s - eval.total_score).abs() > Decimal::new(1, 2) {
                flag(sink, &row, &format!("项目\"{}\"得分", rp.name), display::score(s), display::score(eval.total_score));
            }
        }
        if let Some(b) = rp.budget.filter(|b| *b != eval.funds.full_year) {
            flag(sink, &row, &format!("项目\"{}\"预算数", rp.name), display::money(b), display::money(eval.funds.full_year));
        }
        if let Some(p) = rp.paid.filter(|p| *p != eval.funds.executed) {
            flag(sink, &row, &format!("项目\"{}\"支出数", rp.name), display::money(p), display::money(eval.funds.executed));
        }
    }
}

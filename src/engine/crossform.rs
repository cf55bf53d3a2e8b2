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
    report_counts(wb, sink);
    report_fund_sources(wb, profile, sink);
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

/// A unit's name without the budget code some systems print before it (`219001-某某镇人民政府`,
/// `219001 某某镇人民政府`, `[219001]某某镇人民政府`): the code names the same unit.
fn unit_key(name: &str, profile: &Profile) -> String {
    let key = name_key(name, profile);
    let body = key.trim_start_matches(['[', '(', '【', '〔']);
    let digits = body.len() - body.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits < 3 {
        return key;
    }
    let rest = body[digits..].trim_start_matches([']', ')', '】', '〕', '-', '_', '.', '·', '、', '—', ':', '：']);
    if rest.is_empty() {
        key
    } else {
        rest.to_string()
    }
}

/// R-XFORM-NAME: 预算部门名称 against each 附件3's 主管部门 and 实施单位.
fn names(wb: &Workbook, profile: &Profile, sink: &mut Sink) {
    let unit = unit_key(&wb.unit, profile);
    if unit.is_empty() {
        return;
    }
    for (i, p) in wb.projects.iter().enumerate() {
        for (col, value) in [("competent_dept", &p.competent_dept), ("implementer", &p.implementer)] {
            let key = unit_key(value, profile);
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

/// How a quoted count relates to its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Approx {
    Exactly,
    /// 近400: fewer than, but close to.
    Under,
    /// 约400: within 5 %.
    About,
    /// 400余 / 超过400 / 逾400: more than.
    Over,
}

/// A count as the report quotes it: "近400人" → (Under, 400, 人); "1.82万人" → (Exactly, 18200, 人).
fn quoted_count(text: &str) -> Option<(Approx, Decimal, Option<String>)> {
    let t = normalize(text);
    let mut rest: &str = &t;
    let mut approx = Approx::Exactly;
    for (word, a) in [("超过", Approx::Over), ("逾", Approx::Over), ("近", Approx::Under), ("约", Approx::About)] {
        if let Some(r) = rest.strip_prefix(word) {
            rest = r.trim_start();
            approx = a;
            break;
        }
    }
    // 400余件 / 400多件: more than 400.
    let owned;
    if let Some(pos) = rest.find(['余', '多']).filter(|&p| rest[..p].ends_with(|c: char| c.is_ascii_digit() || c == '万')) {
        let ch = rest[pos..].chars().next().map_or(0, char::len_utf8);
        owned = format!("{}{}", &rest[..pos], &rest[pos + ch..]);
        rest = &owned;
        approx = Approx::Over;
    }
    let parts = crate::parse::parse_indicator_value(rest);
    let n = parts.number?;
    Some((approx, n, parts.unit))
}

/// The indicator row a link names: `A2.ind#8`, `A3[0].ind#4`, `A3[项目名称].ind#4`.
fn linked_row<'w>(wb: &'w Workbook, link: &str) -> Option<(Location, &'w IndicatorRow)> {
    let link = link.trim();
    let (form_part, row) = link.split_once(".ind#")?;
    let n: usize = row.trim().parse().ok()?;
    let index = n.checked_sub(1)?;
    if form_part == "A2" {
        let r = wb.department.indicators.get(index)?;
        return Some((Location::new(Form::A2, None, format!("ind#{n}"), "actual"), r));
    }
    let project = form_part.strip_prefix("A3[")?.strip_suffix(']')?;
    let p = match project.parse::<usize>() {
        Ok(i) => i,
        Err(_) => wb.projects.iter().position(|p| indicator_key(&p.name) == indicator_key(project))?,
    };
    let r = wb.projects.get(p)?.indicators.get(index)?;
    Some((Location::new(Form::A3, Some(p), format!("ind#{n}"), "actual"), r))
}

/// R-REPORT-FIGURE: each count the report quotes against the rows it is linked to (their
/// 实际完成值, else their 年度指标值). Units must agree where both have one; the number must
/// agree with the quote's meaning (近400 is fewer than 400). Different scope: information.
fn report_counts(wb: &Workbook, sink: &mut Sink) {
    let Some(r) = &wb.report else { return };
    for (k, c) in r.counts.iter().enumerate() {
        let Some((approx, quoted, unit)) = quoted_count(&c.value) else { continue };
        let loc = Location::new(Form::A4, None, format!("report.count#{}", k + 1), "value");
        let severity = if c.different_scope { super::Severity::Info } else { RuleId::ReportFigure.default_severity() };
        for link in &c.rows {
            let Some((row_loc, row)) = linked_row(wb, link) else {
                sink.push(RuleId::ReportFigure, loc.clone(), format!("自评报告所述\"{}\"关联的指标行{}不存在", c.name.trim(), link.trim()));
                continue;
            };
            let shown = if row.actual.parts().number.is_some() { &row.actual } else { &row.target };
            let Some((n, row_unit)) = measure(shown) else { continue };
            let unit_differs = matches!((unit.as_deref(), row_unit), (Some(a), Some(b)) if a != b);
            // The range of counts the quote allows, against what the row says (≥30 allows 30 and more).
            let (lo, hi) = match approx {
                Approx::Exactly => (quoted, quoted),
                Approx::Under => (quoted * Decimal::new(9, 1), quoted - Decimal::new(1, 2)),
                Approx::About => (quoted * Decimal::new(95, 2), quoted * Decimal::new(105, 2)),
                Approx::Over => (quoted + Decimal::new(1, 2), Decimal::MAX),
            };
            use crate::parse::Cmp;
            let agrees = match shown.parts().comparator.unwrap_or(Cmp::Eq) {
                Cmp::Eq => lo <= n && n <= hi,
                Cmp::Ge => hi >= n,
                Cmp::Gt => hi > n,
                Cmp::Le => lo <= n,
                Cmp::Lt => lo < n,
            };
            if unit_differs || !agrees {
                let place = match row_loc.project {
                    Some(p) => format!("附件3（{}）第{}行", wb.projects[p].name.trim(), row_loc.indicator_row().unwrap_or(0)),
                    None => format!("附件2第{}行", row_loc.indicator_row().unwrap_or(0)),
                };
                let what = if unit_differs && agrees { "，计量单位不同" } else { "" };
                let scope = if c.different_scope { "（口径可能不同）" } else { "" };
                sink.push_with(
                    RuleId::ReportFigure,
                    severity,
                    loc.clone(),
                    format!("自评报告{}为{}，表中为{}（{}）{what}{scope}", c.name.trim(), c.value.trim(), shown.display(), place),
                );
            }
        }
    }
}

/// R-REPORT-FIGURE (information): spending the report tags with a 政府性基金 source (彩票公益金)
/// while 附件2 shows no 政府性基金拨款 income, or less than that spending.
fn report_fund_sources(wb: &Workbook, profile: &Profile, sink: &mut Sink) {
    let Some(r) = &wb.report else { return };
    let lines: Vec<_> = r
        .breakdown
        .iter()
        .filter(|l| profile.government_fund_sources.iter().any(|s| !s.is_empty() && l.source.contains(s.as_str())))
        .collect();
    let tagged: Decimal = lines.iter().filter_map(|l| l.amount).sum();
    if !tagged.is_zero() && wb.department.by_source.gov_fund.unwrap_or_default() < tagged {
        let mut sources: Vec<&str> = Vec::new();
        for l in &lines {
            if !sources.contains(&l.source.trim()) {
                sources.push(l.source.trim());
            }
        }
        sink.push_with(
            RuleId::ReportFigure,
            super::Severity::Info,
            Location::new(Form::A4, None, "report.breakdown", "source"),
            format!(
                "自评报告所列政府性基金（{}）支出{}，附件2政府性基金拨款为{}",
                sources.join("、"),
                display::money(tagged),
                wb.department.by_source.gov_fund.map_or("空".to_string(), display::money)
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leading_budget_code_names_the_same_unit() {
        let p = Profile::builtin("hunan-2023").unwrap();
        let plain = unit_key("某某镇人民政府", &p);
        for coded in ["219001-某某镇人民政府", "219001 某某镇人民政府", "[219001]某某镇人民政府", "219001：某某镇人民政府", "２１９００１－某某镇人民政府"] {
            assert_eq!(unit_key(coded, &p), plain, "{coded}");
        }
        assert_ne!(unit_key("某某镇人民政府", &p), unit_key("另一镇人民政府", &p));
        assert_eq!(unit_key("12-某镇", &p), name_key("12-某镇", &p), "two digits are not a budget code");
        assert_eq!(unit_key("219001", &p), "219001", "a code alone stays");
    }

    #[test]
    fn quoted_counts_read_as_the_report_means_them() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(quoted_count("50人"), Some((Approx::Exactly, d("50"), Some("人".into()))));
        assert_eq!(quoted_count("近400人"), Some((Approx::Under, d("400"), Some("人".into()))));
        assert_eq!(quoted_count("约 200 户"), Some((Approx::About, d("200"), Some("户".into()))));
        assert_eq!(quoted_count("400余件"), Some((Approx::Over, d("400"), Some("件".into()))));
        assert_eq!(quoted_count("超过1000人"), Some((Approx::Over, d("1000"), Some("人".into()))));
        assert_eq!(quoted_count("1.82万人"), Some((Approx::Exactly, d("18200"), Some("人".into()))));
        assert_eq!(quoted_count("明显改善"), None);
        assert_eq!(quoted_count(""), None);
    }
}

//! Next year's draft from last year's: `zipin rollover LAST.ron -o NEXT.ron`.
//!
//! 附件1's {Y-1}年决算数 column is filled from last year's {Y}年决算数; indicator rows and their
//! targets are copied; actuals, scores, reasons, money of the new year and everything a filed form
//! printed are cleared. Every carried value is listed in `carried` until the user confirms it.

use super::{BasicData, DeptSelfEval, Footer, IndicatorRow, ProjectSelfEval, Row3, Workbook};
use crate::address::{Form, Location};
use crate::parse::IndicatorValue;

fn id(form: Form, project: Option<usize>, row: &str, column: &str) -> String {
    Location::new(form, project, row, column).widget_id()
}

/// Builds the draft for year `last.year + 1`.
pub fn rollover(last: &Workbook) -> Workbook {
    let mut carried = std::collections::BTreeSet::new();
    let mut mark = |cond: bool, key: String| {
        if cond {
            carried.insert(key);
        }
    };

    // 附件1: prev ← last year's final, per input row and fund.
    let b = &last.basic;
    let mut basic = BasicData { posts: b.posts, austerity: b.austerity.clone(), ..Default::default() };
    mark(b.posts.is_some(), id(Form::A1, None, "staff", "posts"));
    mark(!b.austerity.trim().is_empty(), id(Form::A1, None, "austerity", "text"));
    for &(row, _) in super::INPUT_ROWS {
        if let (Some(src), Some(dst)) = (b.row(row), basic.row_mut(row)) {
            *dst = Row3 { prev: src.fin, ..Default::default() };
            mark(src.fin.is_some(), id(Form::A1, None, row, "prev"));
        }
    }
    basic.special_funds = b
        .special_funds
        .iter()
        .enumerate()
        .map(|(k, f)| {
            let row = format!("E10.{}", k + 1);
            mark(true, id(Form::A1, None, &row, "name"));
            mark(f.amounts.fin.is_some(), id(Form::A1, None, &row, "prev"));
            super::Fund3 { name: f.name.clone(), amounts: Row3 { prev: f.amounts.fin, ..Default::default() } }
        })
        .collect();

    let department = DeptSelfEval {
        goal_expected: last.department.goal_expected.clone(),
        indicators: carry_rows(&last.department.indicators, Form::A2, None, &mut mark),
        ..Default::default()
    };
    mark(!department.goal_expected.trim().is_empty(), id(Form::A2, None, "goal", "expected"));

    let projects = last
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| {
            for (col, v) in [("name", &p.name), ("competent_dept", &p.competent_dept), ("implementer", &p.implementer)] {
                mark(!v.trim().is_empty(), id(Form::A3, Some(i), "header", col));
            }
            mark(!p.goal_expected.trim().is_empty(), id(Form::A3, Some(i), "goal", "expected"));
            ProjectSelfEval {
                name: p.name.trim().to_string(),
                competent_dept: p.competent_dept.trim().to_string(),
                implementer: p.implementer.trim().to_string(),
                profile_id: p.profile_id.clone(),
                goal_expected: p.goal_expected.clone(),
                indicators: carry_rows(&p.indicators, Form::A3, Some(i), &mut mark),
                ..Default::default()
            }
        })
        .collect();

    let f = &last.footer;
    for (col, v) in [("preparer", &f.preparer), ("phone", &f.phone), ("head", &f.head)] {
        mark(!v.trim().is_empty(), id(Form::A1, None, "footer", col));
    }
    Workbook {
        unit: last.unit.trim().to_string(),
        year: last.year.saturating_add(1),
        profile_id: last.profile_id.clone(),
        basic,
        department,
        projects,
        footer: Footer { preparer: f.preparer.clone(), date: None, phone: f.phone.clone(), head: f.head.clone() },
        report: None,
        explanations: Vec::new(),
        carried,
        unparsed: Vec::new(),
        // The report's wording carries over; its figures are filled from next year's forms.
        narrative: last.narrative.clone(),
        // Next year's filing comprises the same forms.
        scope: last.scope,
        export: last.export.clone(),
    }
}

/// Rows with names, categories, targets and weights; actuals, scores and reasons cleared.
fn carry_rows(rows: &[IndicatorRow], form: Form, project: Option<usize>, mark: &mut impl FnMut(bool, String)) -> Vec<IndicatorRow> {
    rows.iter()
        .enumerate()
        .map(|(k, r)| {
            let row = format!("ind#{}", k + 1);
            for (col, present) in [("name", !r.name.trim().is_empty()), ("target", !r.target.is_blank()), ("weight", r.weight.is_some())] {
                mark(present, id(form, project, &row, col));
            }
            IndicatorRow {
                l1: r.l1.clone(),
                l2: r.l2.clone(),
                name: r.name.clone(),
                target: r.target.clone(),
                actual: IndicatorValue::default(),
                weight: r.weight,
                force_qualitative: r.force_qualitative,
                different_scope: r.different_scope,
                satisfaction: r.satisfaction.as_ref().map(|q| super::Questionnaire {
                    respondents: 0,
                    counts: q.counts.iter().map(|(o, _)| (o.clone(), 0)).collect(),
                }),
                ..Default::default()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample;

    #[test]
    fn next_year_from_the_sample() {
        let last = sample::miluo_2023();
        let next = rollover(&last);
        assert_eq!(next.year, 2024);
        // {Y-1}年决算数 ← last year's {Y}年决算数; the new year's columns are blank.
        assert_eq!(next.basic.reception, Row3 { prev: last.basic.reception.fin, budget: None, fin: None });
        assert_eq!(next.basic.special_funds[0].amounts.prev, last.basic.special_funds[0].amounts.fin);
        assert!(next.basic.stated.is_none() && next.department.stated.is_none() && next.report.is_none());
        // Rows and targets copied; actuals, scores, reasons cleared.
        assert_eq!(next.department.indicators.len(), last.department.indicators.len());
        for (n, l) in next.department.indicators.iter().zip(&last.department.indicators) {
            assert_eq!((n.name.as_str(), n.target.raw(), n.weight), (l.name.as_str(), l.target.raw(), l.weight));
            assert!(n.actual.is_blank() && n.score.is_none() && n.stated_score.is_none() && n.reason.is_empty());
        }
        assert_eq!(next.projects[0].implementer, "汨罗市残联", "padding trimmed");
        assert!(next.footer.date.is_none());
        // Carried values are marked until confirmed.
        for key in ["A1.E6.prev", "A1.E10.1.prev", "A2.ind#1.target", "A3[0].ind#20.weight", "A1.footer.preparer"] {
            assert!(next.carried.contains(key), "{key} not marked: {:?}", next.carried);
        }
        assert!(!next.carried.contains("A1.E3.prev"), "blank cells are not carried");
    }
}

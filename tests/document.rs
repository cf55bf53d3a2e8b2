//! The document core without the window: stored references to cells (carried-over marks,
//! explanations, the report's count links, typed text) stay on their cells whatever rows and
//! projects are added, moved, deleted, undone and redone.

use std::collections::BTreeSet;

use proptest::prelude::*;

use zipin::document::{cells, Document};
use zipin::engine::{Form, Location};
use zipin::model::{self, Explanation, Workbook};
use zipin::sample;

/// The names a copy of a project gets (`复制项目`) stripped, so a copy is known as its original.
fn original_name(name: &str) -> String {
    let mut n = name.trim();
    while let Some(s) = n.strip_suffix("（副本）") {
        n = s.trim();
    }
    n.to_string()
}

/// What a cell *is*, independent of where it sits: form, project (by position, since copies share
/// a name), the tag of its row (indicator rows, special funds and buildings are tagged by name) and
/// its column. `None`: the address names no existing row.
fn identity(wb: &Workbook, l: &Location) -> Option<(Form, Option<usize>, String, String)> {
    let rows = cells::indicators(wb, l.form, l.project);
    let row = if let Some(n) = l.indicator_row() {
        rows?.get(n.checked_sub(1)?)?.name.clone()
    } else if let Some(k) = l.row.strip_prefix("E10.").and_then(|k| k.parse::<usize>().ok()) {
        wb.basic.special_funds.get(k.checked_sub(1)?)?.name.clone()
    } else if let Some(k) = l.row.strip_prefix("building#").and_then(|k| k.parse::<usize>().ok()) {
        wb.basic.buildings.get(k.checked_sub(1)?)?.name.clone()
    } else {
        if let Some(p) = l.project {
            wb.projects.get(p)?;
        }
        l.row.clone()
    };
    Some((l.form, l.project, row, l.column.clone()))
}

/// Every reference the workbook stores, as identities; panics when one names no existing row.
fn references(doc: &Document) -> BTreeSet<(String, (Form, Option<usize>, String, String))> {
    let wb = &doc.wb;
    let mut out = BTreeSet::new();
    let mut add = |kind: &str, text: &str| {
        let loc: Location = text.parse().unwrap_or_else(|e| panic!("{kind} {text}: {e}"));
        let id = identity(wb, &loc).unwrap_or_else(|| panic!("{kind} {text} names no existing cell"));
        assert!(!id.2.is_empty() || !loc.row.starts_with("ind#"), "{kind} {text} landed on an untagged row");
        out.insert((kind.to_string(), id));
    };
    for c in &wb.carried {
        add("carried", c);
    }
    for x in &wb.explanations {
        add("explanation", &x.cell);
    }
    for c in wb.report.iter().flat_map(|r| &r.counts) {
        for link in &c.rows {
            add("link", &format!("{link}.link"));
        }
    }
    out
}

/// The references the workbook should hold now, from those it held at the start (`start`, with
/// project names), when their row still exists: carried marks on the project and every copy of it,
/// explanations and links on the project itself.
fn expected(doc: &Document, start: &BTreeSet<(String, (Form, Option<String>, String, String))>) -> BTreeSet<(String, (Form, Option<usize>, String, String))> {
    let wb = &doc.wb;
    let mut out = BTreeSet::new();
    for (kind, (form, project, row, col)) in start {
        let places: Vec<Option<usize>> = match project {
            None => vec![None],
            // A copy of a project is as unconfirmed as its original (its carried marks are copied);
            // explanations and the report's links stay with the project they were written for.
            Some(name) if kind == "carried" => wb.projects.iter().enumerate().filter(|(_, p)| original_name(&p.name) == *name).map(|(i, _)| Some(i)).collect(),
            Some(name) => wb.projects.iter().enumerate().filter(|(_, p)| p.name.trim() == name).map(|(i, _)| Some(i)).collect(),
        };
        for p in places {
            let exists = match cells::indicators(wb, *form, p) {
                Some(rows) if row.starts_with('T') => rows.iter().any(|r| r.name == *row),
                _ if row.starts_with('F') => wb.basic.special_funds.iter().any(|f| f.name == *row),
                _ => true,
            };
            if exists {
                out.insert((kind.clone(), (*form, p, row.clone(), col.clone())));
            }
        }
    }
    out
}

/// Last year's filing with three projects rolled over (every carried cell marked), indicator rows
/// and special funds tagged by unique names, the report's counts with their links, and
/// explanations on project and department cells.
fn marked_document() -> Document {
    let mut last = sample::miluo_2023();
    let mut p2 = last.projects[0].clone();
    p2.name = "项目乙".into();
    let mut p3 = last.projects[0].clone();
    p3.name = "项目丙".into();
    last.projects.extend([p2, p3]);
    let mut wb = model::rollover(&last);
    let mut tag = 0;
    let mut next = |prefix: &str| {
        tag += 1;
        format!("{prefix}{tag}")
    };
    for r in &mut wb.department.indicators {
        r.name = next("T");
    }
    for p in &mut wb.projects {
        p.name = next("P");
        for r in &mut p.indicators {
            r.name = next("T");
        }
    }
    for f in &mut wb.basic.special_funds {
        f.name = next("F");
    }
    wb.report = last.report.clone();
    for (cell, text) in [("A3[1].fund.total.executed", "乙项目说明"), ("A3[2].header.name", "丙项目说明"), ("A2.fund.total.executed", "部门说明")] {
        wb.explanations.push(Explanation { rule: "R-EXEC-OVER-BUDGET".into(), cell: cell.into(), text: text.into() });
    }
    let (doc, _) = Document::from_workbook(wb);
    doc
}

#[derive(Debug, Clone)]
enum Op {
    AddRow(usize, usize),
    RemoveRow(usize, usize),
    MoveRow(usize, usize, bool),
    Recategorise(usize, usize, usize),
    AddProject,
    DuplicateProject(usize),
    DeleteProject(usize),
    AddFund,
    RemoveFund(usize),
    Undo,
    Redo,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..4usize, 0..4usize).prop_map(|(f, c)| Op::AddRow(f, c)),
        (0..4usize, 1..30usize).prop_map(|(f, n)| Op::RemoveRow(f, n)),
        (0..4usize, 1..30usize, any::<bool>()).prop_map(|(f, n, up)| Op::MoveRow(f, n, up)),
        (0..4usize, 1..30usize, 0..4usize).prop_map(|(f, n, c)| Op::Recategorise(f, n, c)),
        Just(Op::AddProject),
        (0..5usize).prop_map(Op::DuplicateProject),
        (0..5usize).prop_map(Op::DeleteProject),
        Just(Op::AddFund),
        (1..4usize).prop_map(Op::RemoveFund),
        Just(Op::Undo),
        Just(Op::Redo),
    ]
}

/// Form `f`: 0 is 附件2, 1.. the projects.
fn form(doc: &Document, f: usize) -> (Form, Option<usize>) {
    match f {
        0 => (Form::A2, None),
        p => (Form::A3, Some((p - 1) % doc.wb.projects.len().max(1))),
    }
}

fn apply(doc: &mut Document, op: &Op) {
    let l1 = |c: usize, doc: &Document| doc.profile.categories[c % doc.profile.categories.len()].name.clone();
    match *op {
        Op::AddRow(f, c) => {
            let (form, p) = form(doc, f);
            let l1 = l1(c, doc);
            doc.add_indicator(form, p, &l1);
        }
        Op::RemoveRow(f, n) => {
            let (form, p) = form(doc, f);
            doc.remove_indicator(form, p, n);
        }
        Op::MoveRow(f, n, up) => {
            let (form, p) = form(doc, f);
            doc.move_indicator(form, p, n, up);
        }
        Op::Recategorise(f, n, c) => {
            let (form, p) = form(doc, f);
            let l1 = l1(c, doc);
            doc.set_category(form, p, n, Some(&l1), None);
        }
        Op::AddProject => {
            doc.add_project("新项目");
        }
        Op::DuplicateProject(i) => {
            doc.duplicate_project(i);
        }
        Op::DeleteProject(i) => doc.delete_project(i),
        Op::AddFund => {
            doc.add_fund();
        }
        Op::RemoveFund(k) => doc.remove_fund(k),
        Op::Undo => {
            doc.undo();
        }
        Op::Redo => {
            doc.redo();
        }
    }
}

#[test]
fn the_marked_document_has_references_of_every_kind() {
    let doc = marked_document();
    let refs = references(&doc);
    for kind in ["carried", "explanation", "link"] {
        assert!(refs.iter().any(|(k, _)| k == kind), "no {kind} in {refs:#?}");
    }
    assert!(refs.iter().any(|(k, id)| k == "carried" && id.0 == Form::A3 && id.1 == Some(2)), "the third project carries marks");
    assert!(refs.iter().any(|(k, id)| k == "link" && id.0 == Form::A3), "links to a project row");
    assert!(refs.iter().any(|(k, id)| k == "carried" && id.2.starts_with('F')), "special funds carried");
}

#[test]
fn deleting_a_project_takes_its_marks_and_renumbers_the_others() {
    let mut doc = marked_document();
    let on = |doc: &Document, p: usize| doc.wb.carried.iter().filter(|c| c.starts_with(&format!("A3[{p}]."))).count();
    let (second, third) = (on(&doc, 1), on(&doc, 2));
    assert!(second > 0 && third > 0);
    doc.delete_project(1);
    assert_eq!(on(&doc, 1), third, "the third project's marks moved up to [1]");
    assert_eq!(on(&doc, 2), 0);
    assert!(doc.wb.explanations.iter().all(|x| x.text != "乙项目说明"), "the deleted project's explanation went with it");
    assert!(doc.wb.explanations.iter().any(|x| x.text == "丙项目说明" && x.cell == "A3[1].header.name"));
    doc.undo();
    assert_eq!((on(&doc, 1), on(&doc, 2)), (second, third));
    assert!(doc.wb.explanations.iter().any(|x| x.text == "乙项目说明" && x.cell == "A3[1].fund.total.executed"));
}

#[test]
fn removing_an_indicator_row_moves_the_report_links_below_it() {
    let mut doc = marked_document();
    let links = |doc: &Document| doc.wb.report.as_ref().unwrap().counts.iter().flat_map(|c| c.rows.clone()).collect::<Vec<_>>();
    assert!(links(&doc).iter().any(|l| l == "A2.ind#8"), "{:?}", links(&doc));
    doc.remove_indicator(Form::A2, None, 1);
    let now = links(&doc);
    assert!(now.iter().any(|l| l == "A2.ind#7") && !now.iter().any(|l| l == "A2.ind#8"), "{now:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Random edit sequences keep every mark, explanation and link on its cell.
    #[test]
    fn references_follow_their_cells(ops in prop::collection::vec(op(), 1..25)) {
        let mut doc = marked_document();
        let start: BTreeSet<_> = references(&doc)
            .into_iter()
            .map(|(k, (f, p, r, c))| (k, (f, p.map(|p| original_name(&doc.wb.projects[p].name)), r, c)))
            .collect();
        for op in &ops {
            apply(&mut doc, op);
            let now = references(&doc);
            let want = expected(&doc, &start);
            let extra: Vec<_> = now.difference(&want).collect();
            let missing: Vec<_> = want.difference(&now).collect();
            prop_assert!(extra.is_empty() && missing.is_empty(), "after {:?}: misplaced {:?}, lost {:?}", op, extra, missing);
        }
    }
}

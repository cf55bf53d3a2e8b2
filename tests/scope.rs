//! Filing scope: a draft files 部门整体 (附件1+2), 项目 (附件3), or both, with 附件4 optional.
//! Forms out of scope are not validated, counted or printed — in the engine, `check`, `score`,
//! `export` and drafts of every schema version.

use std::path::Path;
use std::process::Command;

use zipin::draft;
use zipin::engine::{evaluate, Form, Severity};
use zipin::model::{Scope, Workbook};
use zipin::profile::Profile;
use zipin::sample;

fn zipin(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_zipin")).args(args).output().expect("run zipin")
}

fn profile() -> Profile {
    Profile::builtin("hunan-2023").unwrap()
}

/// A correctly filled project (the generated workbook's first, which checks clean) under `unit`.
fn good_project(unit: &str) -> zipin::model::ProjectSelfEval {
    let mut p = sample::generated(&profile(), 1, 12).projects.remove(0);
    p.competent_dept = unit.into();
    p.implementer = unit.into();
    p
}

#[test]
fn forms_parse_and_refuse_half_a_filing() {
    assert_eq!(Scope::from_forms(&[]), Ok(Scope::ALL));
    assert_eq!(Scope::from_forms(&[3]), Ok(Scope { department: false, projects: true, report: false }));
    assert_eq!(Scope::from_forms(&[1, 2]), Ok(Scope { department: true, projects: false, report: false }));
    assert_eq!(Scope::from_forms(&[1, 2, 3, 4]), Ok(Scope::ALL));
    assert!(Scope::from_forms(&[1, 3]).unwrap_err().contains("须一起填报"));
    assert!(Scope::from_forms(&[3, 4]).unwrap_err().contains("附件4"));
    assert!(Scope::from_forms(&[5]).unwrap_err().contains("没有附件5"));
    assert_eq!(Scope::from_forms(&[3]).unwrap().forms(), vec![3]);
}

/// The engine: a project-only filing with an empty 附件1/2 has no finding on them and no error;
/// the same workbook filing everything has dozens.
#[test]
fn out_of_scope_forms_are_not_validated() {
    let mut wb = Workbook::empty("某某镇人民政府", 2023, &profile());
    wb.footer = sample::generated(&profile(), 1, 12).footer;
    wb.projects.push(good_project("某某镇人民政府"));
    let all = evaluate(&wb, &profile());
    // Findings on 附件1/2 other than the cells every form prints (unit name, year, signature block).
    let department = |e: &zipin::engine::Evaluation| {
        e.findings.iter().filter(|f| matches!(f.location.form, Form::A1 | Form::A2) && !matches!(f.location.row.as_str(), "footer" | "header")).count()
    };
    assert!(department(&all) > 20, "an empty 附件1/2 filed: {}", department(&all));
    assert!(all.has_errors(), "filing everything, the empty 附件1/2 are errors");

    wb.scope = Scope::from_forms(&[3]).unwrap();
    let e = evaluate(&wb, &profile());
    assert_eq!(department(&e), 0, "{:#?}", e.findings);
    assert!(!e.has_errors(), "{:#?}", e.findings);
    assert!(!e.projects[0].provisional);
    assert_eq!(e.projects[0].total_score, all.projects[0].total_score, "the project scores the same");

    // Shared cells (the signature block) belong to every filing.
    wb.footer.preparer.clear();
    let e = evaluate(&wb, &profile());
    assert!(e.findings.iter().any(|f| f.location.row == "footer" && f.location.column == "preparer" && f.severity == Severity::Error));
}

/// The acceptance: `zipin new --forms 3`, one project filled correctly: `check` exits 0 with no
/// finding on 附件1/2, `export --final` succeeds and prints only 附件3, without the watermark.
#[test]
fn a_project_only_draft_checks_clean_and_prints_only_its_project() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("p.ron");
    let ds = d.to_str().unwrap();
    let out = zipin(&["new", "--year", "2024", "--unit", "某某镇人民政府", "--forms", "3", "-o", ds]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut wb = draft::load(&d).unwrap();
    assert_eq!(wb.scope, Scope { department: false, projects: true, report: false });
    wb.projects.push(good_project("某某镇人民政府"));
    draft::save(&d, &wb).unwrap();
    let out = zipin(&["set", ds, "A1.footer.preparer", "张三", "A1.footer.date", "2025.03.01", "A1.footer.phone", "0730-5221234", "A1.footer.head", "李四"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let out = zipin(&["check", ds, "--format", "json"]);
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{findings:#?}");
    assert!(findings.iter().all(|f| f["form"] == "A3"), "{findings:#?}");

    let score = String::from_utf8_lossy(&zipin(&["score", ds]).stdout).into_owned();
    assert!(score.contains("仅项目") && score.contains("附件3") && !score.contains("附件2"), "{score}");

    let pdf = dir.path().join("p.pdf");
    let out = zipin(&["export", ds, "-o", pdf.to_str().unwrap(), "--final"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = Command::new("pdftotext").args(["-layout", pdf.to_str().unwrap(), "-"]).output().expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("项目支出绩效自评表"), "{text}");
    assert!(!text.contains("部门整体支出绩效评价基础数据表") && !text.contains("部门整体支出绩效自评表"), "{text}");
    assert!(!text.contains("草稿"), "no watermark on a clean filing");
    // Asking for 附件1 of a project-only filing prints nothing rather than an empty form.
    let out = zipin(&["export", ds, "-o", dir.path().join("a1.pdf").to_str().unwrap(), "--forms", "1"]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Schema version 3 stores the scope; versions 1 and 2 load as filing all forms.
#[test]
fn scope_is_stored_from_version_3_and_older_drafts_file_everything() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for v in [1, 2] {
        let wb = draft::load(&fixtures.join(format!("draft-v{v}.ron"))).unwrap();
        assert_eq!(wb.scope, Scope::ALL, "v{v}");
    }
    let v3 = draft::load(&fixtures.join("draft-v3.ron")).unwrap();
    assert_eq!(v3.scope, Scope { department: false, projects: true, report: false });
    assert_eq!(v3.projects.len(), 1);
    let text = draft::to_string(&v3);
    assert!(text.contains("version: 3,") && text.contains("scope:"), "{}", &text[..200]);
    assert_eq!(draft::from_str(Path::new("x.ron"), &text).unwrap().scope, v3.scope);
}

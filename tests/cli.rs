//! The `zipin` binary: check (text/json, exit codes), score, new, gen.

use std::process::Command;

fn zipin(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_zipin")).args(args).output().expect("run zipin")
}

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/templates/examples/miluo-2023.ron");

#[test]
fn check_json_lists_findings_and_exits_1_on_errors() {
    let out = zipin(&["check", SAMPLE, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(items.len() > 30);
    for f in &items {
        for key in ["rule", "severity", "form", "row", "column", "message"] {
            assert!(f.get(key).is_some(), "{key} missing in {f}");
        }
    }
    assert!(items.iter().any(|f| f["rule"] == "R-XFORM-FUND"
        && f["address"] == "A3[残疾人就业保障金].fund.total.full_year"
        && f["severity"] == "error"));
}

#[test]
fn check_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean.ron");
    assert!(zipin(&["gen", "--projects", "2", "--indicators", "12", "-o", clean.to_str().unwrap()]).status.success());
    let out = zipin(&["check", clean.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 错误"));
    let out = zipin(&["check", dir.path().join("missing.ron").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("不存在"));
    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, "(version: 1, workbook: (year: \"x\"))").unwrap();
    let out = zipin(&["check", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(":1:"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn score_prints_totals_and_grade() {
    let out = zipin(&["score", SAMPLE]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("总分 分值 106  得分 102  等级 优（暂定）"), "{text}");
    assert!(text.contains("总分 分值 93  得分 91"), "{text}");
    let out = zipin(&["score", SAMPLE, "--profile", "national-2020"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("应为50"));
}

#[test]
fn new_writes_the_profile_standard_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.ron");
    let out = zipin(&["new", "--year", "2024", "--unit", "某某县财政局", "--profile", "national-2020", "-o", path.to_str().unwrap()]);
    assert!(out.status.success());
    let wb = zipin::draft::load(&path).unwrap();
    assert_eq!((wb.year, wb.unit.as_str(), wb.profile_id.as_str()), (2024, "某某县财政局", "national-2020"));
    let l2: Vec<&str> = wb.department.indicators.iter().map(|r| r.l2.as_str()).collect();
    assert_eq!(l2.len(), 9);
    assert_eq!(l2[3], "成本指标");
    let out = zipin(&["new", "--year", "2024", "--unit", "x", "--profile", "no-such", "-o", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn rollover_makes_next_years_draft() {
    let dir = tempfile::tempdir().unwrap();
    let next = dir.path().join("2024.ron");
    let out = zipin(&["rollover", SAMPLE, "-o", next.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("2024年度草稿"));
    let wb = zipin::draft::load(&next).unwrap();
    assert_eq!(wb.year, 2024);
    assert!(!wb.carried.is_empty());
}

/// The ten cells `set_then_get_round_trip` fills: each fixes a finding of the filed sample.
const SET: [(&str, &str); 10] = [
    ("A1.austerity.text", "严格执行中央八项规定，压减一般性支出"),
    ("A1.staff.posts", "25"),
    ("A1.footer.phone", "0730-5222222"),
    ("A2.ind#13.target", "≥95%"),
    ("A2.ind#13.actual", "96%"),
    ("A3[0].ind#5.target", "150户"),
    ("A3[0].ind#5.actual", "150户"),
    ("A3[残疾人就业保障金].header.competent_dept", "汨罗市残疾人联合会"),
    ("A4.report.public_funds.amount", "18.30"),
    ("A4.report.dept_score.amount", "１０２"),
];

fn check_json(path: &str) -> Vec<serde_json::Value> {
    serde_json::from_slice(&zipin(&["check", path, "--format", "json"]).stdout).expect("json findings")
}

fn has(findings: &[serde_json::Value], rule: &str, address: &str) -> bool {
    findings.iter().any(|f| f["rule"] == rule && f["address"] == address)
}

/// `zipin set` ten cells from the shell, `zipin get` them back, and `check` shows the findings
/// they fixed gone; a value that does not read, a computed cell or a missing row write nothing.
#[test]
fn set_then_get_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d.ron");
    let d = d.to_str().unwrap();
    assert!(zipin(&["sample", "-o", d]).status.success());
    let before = check_json(d);
    let fixed = [
        ("R-REQUIRED-TEXT", "A1.austerity.text"),
        ("R-TARGET-MISSING", "A2.ind#13.target"),
        ("R-ACTUAL-MISSING", "A2.ind#13.actual"),
        ("R-XFORM-INDICATOR", "A3[残疾人就业保障金].ind#5.target"),
        ("R-XFORM-NAME", "A3[残疾人就业保障金].header.competent_dept"),
        ("R-REPORT-FIGURE", "A4.report.public_funds.amount"),
    ];
    for (rule, at) in fixed {
        assert!(has(&before, rule, at), "the sample has {rule} at {at}");
    }

    // Refusals first: nothing is written.
    let original = std::fs::read(d).unwrap();
    for (args, says) in [
        (vec!["A1.E11.final", "18.3O"], "不是有效值"),
        (vec!["A2.total.score", "100"], "不是可填写的单元格"),
        (vec!["A2.ind#99.target", "1"], "不存在"),
        (vec!["A3[没有这个项目].ind#1.target", "1"], "没有名为"),
        (vec!["A2.ind#1.target"], "缺少值"),
    ] {
        let mut all = vec!["set", d];
        all.extend(args.iter());
        let out = zipin(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(says), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(std::fs::read(d).unwrap(), original, "{args:?} changed the draft");
    }

    let mut args = vec!["set", d];
    for (a, v) in &SET {
        args.extend([*a, *v]);
    }
    let out = zipin(&args);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said} {}", String::from_utf8_lossy(&out.stderr));
    assert!(said.contains("已写入") && said.contains("10 个单元格"), "{said}");
    assert!(said.contains("- 已消除") && said.contains("R-XFORM-NAME"), "{said}");
    assert_eq!(std::fs::read(zipin::draft::backup_path(std::path::Path::new(d))).unwrap(), original, "the old draft kept as .bak");

    // Read back: one address prints the value; several print address and value.
    let out = zipin(&["get", d, "A4.report.dept_score.amount"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "102", "full-width digits read as the window reads them");
    let mut args = vec!["get", d];
    args.extend(SET.iter().map(|(a, _)| *a));
    let out = zipin(&args);
    assert!(out.status.success());
    let got: Vec<(String, String)> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let (a, v) = l.split_once('\t').expect("address<TAB>value");
            (a.to_string(), v.to_string())
        })
        .collect();
    let want: Vec<(String, String)> = SET
        .iter()
        .map(|(a, v)| (a.to_string(), if *v == "１０２" { "102".to_string() } else { v.to_string() }))
        .collect();
    assert_eq!(got, want);

    // No address: every input cell, one line each, the ten among them.
    let all = String::from_utf8_lossy(&zipin(&["get", d]).stdout).into_owned();
    assert!(all.lines().count() > 300, "{} lines", all.lines().count());
    assert!(all.lines().all(|l| l.contains('\t')));
    assert!(all.lines().any(|l| l == "A3[0].header.competent_dept\t汨罗市残疾人联合会"));
    assert!(all.lines().any(|l| l == "A2.ind#13.target\t≥95%"));

    let after = check_json(d);
    for (rule, at) in fixed {
        assert!(!has(&after, rule, at), "{rule} at {at} still reported");
    }
    assert!(after.len() < before.len(), "{} → {}", before.len(), after.len());
    // Untouched problems stay.
    assert!(has(&after, "R-XFORM-FUND", "A3[残疾人就业保障金].fund.total.full_year"));
}

/// The window opening a file written by `zipin set` shows the same values and findings.
#[cfg(feature = "gui")]
#[test]
fn the_window_shows_what_set_wrote() {
    use zipin::engine::Location;
    let dir = tempfile::tempdir().unwrap();
    std::env::set_var("ZIPIN_DATA_DIR", dir.path().join("data"));
    let d = dir.path().join("d.ron");
    let d = d.to_str().unwrap();
    assert!(zipin(&["sample", "-o", d]).status.success());
    let mut args = vec!["set", d];
    for (a, v) in &SET {
        args.extend([*a, *v]);
    }
    assert!(zipin(&args).status.success());
    let mut app = zipin::ui::App::from_workbook(zipin::sample::miluo_2023(), None);
    assert!(app.load(std::path::Path::new(d)));
    for (a, _) in &SET {
        let loc = Location::parse_with(a, |n| app.doc.wb.projects.iter().position(|p| p.name == n)).unwrap();
        let got = zipin(&["get", d, a]);
        assert_eq!(app.doc.text(&loc), String::from_utf8_lossy(&got.stdout).trim_end_matches('\n'), "{a}");
    }
    assert_eq!(app.doc.eval.findings.len(), check_json(d).len());
}

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

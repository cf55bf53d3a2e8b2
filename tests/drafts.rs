//! Drafts: round trips, every schema version's fixture still loads, and broken files give an
//! error with line and column while the file on disk stays byte-identical.

use std::fs;
use std::path::{Path, PathBuf};

use zipin::draft;
use zipin::engine::evaluate;
use zipin::profile::Profile;
use zipin::sample;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

#[test]
fn every_schema_version_fixture_loads() {
    let mut seen = 0;
    for entry in fs::read_dir(fixtures()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ron") && path.file_name().unwrap().to_string_lossy().starts_with("draft-v") {
            let wb = draft::load(&path).unwrap_or_else(|e| panic!("{e}"));
            assert!(!wb.unit.is_empty(), "{}", path.display());
            seen += 1;
        }
    }
    assert!(seen >= 2);
    for v in draft::OLDEST_VERSION..=draft::CURRENT_VERSION {
        assert!(fixtures().join(format!("draft-v{v}.ron")).exists(), "no fixture for schema version {v}");
    }
}

#[test]
fn v1_migrates_to_v2_and_is_written_back_as_v2() {
    let path = fixtures().join("draft-v1.ron");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("version: 1,"));
    let wb = draft::load(&path).unwrap();
    assert!(wb.explanations.is_empty() && wb.carried.is_empty());
    let saved = draft::to_string(&wb);
    assert!(saved.contains(&format!("version: {},", draft::CURRENT_VERSION)), "{}", &saved[..80]);
    assert!(saved.contains("saved_by: \"zipin "));
    assert_eq!(draft::from_str(&path, &saved).unwrap(), wb);
    let v2 = draft::load(&fixtures().join("draft-v2.ron")).unwrap();
    assert_eq!(v2.carried.len(), 3);
    assert_eq!(v2.explanations[0].rule, "R-EXEC-OVER-BUDGET");
}

#[test]
fn v1_fixture_is_the_sample() {
    let wb = draft::load(&fixtures().join("draft-v1.ron")).unwrap();
    // The sample has since gained the report's quoted counts, which a v1 draft could not hold.
    let mut sample = sample::miluo_2023();
    sample.report.as_mut().expect("report figures").counts.clear();
    assert_eq!(wb, sample);
    let minimal = draft::load(&fixtures().join("draft-v1-minimal.ron")).unwrap();
    assert_eq!(minimal.year, 2024);
    assert!(minimal.projects.is_empty() && minimal.basic.posts.is_none());
}

#[test]
fn save_load_round_trip_and_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("草稿.ron");
    let p = Profile::builtin("hunan-2023").unwrap();
    let first = sample::generated(&p, 3, 10);
    draft::save(&path, &first).unwrap();
    assert_eq!(draft::load(&path).unwrap(), first);
    assert!(!draft::backup_path(&path).exists(), "no backup of a file that did not exist");
    let first_bytes = fs::read(&path).unwrap();
    let second = sample::miluo_2023();
    draft::save(&path, &second).unwrap();
    assert_eq!(draft::load(&path).unwrap(), second);
    assert_eq!(fs::read(draft::backup_path(&path)).unwrap(), first_bytes, "the previous draft is kept as .bak");
    let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().filter_map(|e| e.ok()).filter(|e| e.file_name().to_string_lossy().ends_with(".tmp")).collect();
    assert!(leftovers.is_empty());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(fs::metadata(draft::backup_path(&path)).unwrap().permissions().mode() & 0o777, 0o600);
    }
}

#[test]
fn saving_into_a_missing_folder_is_an_error_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let e = draft::save(&dir.path().join("no/such/dir/a.ron"), &sample::miluo_2023()).unwrap_err();
    assert!(e.message.contains("不存在"), "{e}");
}

/// `n` bytes from a fixed-seed xorshift, so a failure can be replayed.
fn random_bytes(n: usize, mut x: u64) -> Vec<u8> {
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 32) as u8
        })
        .collect()
}

fn broken_cases() -> Vec<(String, Vec<u8>)> {
    let good = draft::to_string(&sample::miluo_2023());
    let mut cases: Vec<(String, Vec<u8>)> = vec![
        ("empty".into(), Vec::new()),
        ("garbage".into(), b"\x00\x01\xffgarbage{{{".to_vec()),
        ("not utf-8".into(), [good.as_bytes()[..100].to_vec(), vec![0xff, 0xfe]].concat()),
        ("wrong version".into(), good.replacen(&format!("version: {}", draft::CURRENT_VERSION), "version: 99", 1).into_bytes()),
        ("no version".into(), good.replacen(&format!("version: {},", draft::CURRENT_VERSION), "", 1).into_bytes()),
        ("wrong type".into(), good.replacen("year: 2023", "year: \"二〇二三\"", 1).into_bytes()),
        ("negative year".into(), good.replacen("year: 2023", "year: -1", 1).into_bytes()),
        ("huge number".into(), good.replacen("Some(\"581.79\")", "Some(1e30)", 1).into_bytes()),
        ("huge string number".into(), good.replacen("Some(\"581.79\")", "Some(\"1000000000000000000000000000000\")", 1).into_bytes()),
        ("bad date".into(), good.replacen("\"2024-10-10\"", "\"2024-13-45\"", 1).into_bytes()),
        ("unknown enum".into(), good.replacen("OneValue", "TwoValues", 1).into_bytes()),
        ("random bytes".into(), random_bytes(4096, 0x2023_1125)),
    ];
    for tenth in 1..10 {
        let cut = good.len() * tenth / 10;
        let cut = (0..=cut).rev().find(|&i| good.is_char_boundary(i)).unwrap();
        cases.push((format!("truncated at {tenth}0%"), good.as_bytes()[..cut].to_vec()));
    }
    cases
}

#[test]
fn broken_files_give_line_and_column_and_stay_untouched() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in broken_cases() {
        let path = dir.path().join("broken.ron");
        fs::write(&path, &bytes).unwrap();
        let e = draft::load(&path).expect_err(&name);
        assert!(e.line >= 1 && e.col >= 1, "{name}: {e:?}");
        assert!(e.message.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{name}: message in Chinese: {e}");
        assert_eq!(fs::read(&path).unwrap(), bytes, "{name}: the file must not change");
    }
}

#[test]
fn wrong_version_says_so() {
    let good = draft::to_string(&sample::miluo_2023());
    let e = draft::from_str(Path::new("x.ron"), &good.replacen(&format!("version: {}", draft::CURRENT_VERSION), "version: 99", 1)).unwrap_err();
    assert!(e.message.contains("99") && e.message.contains("版本"), "{e}");
    assert_eq!(e.line, 2);
}

#[test]
fn evaluation_is_unchanged_by_a_round_trip() {
    let p = Profile::builtin("hunan-2023").unwrap();
    let wb = sample::miluo_2023();
    let back = draft::from_str(Path::new("x"), &draft::to_string(&wb)).unwrap();
    assert_eq!(evaluate(&wb, &p), evaluate(&back, &p));
}

/// The bad-input matrix of drafts and profiles: each case gives a clear error (line/column and
/// what was expected) or loads correctly; never a panic; the file on disk is unchanged.
#[test]
fn bad_input_matrix() {
    let good = draft::to_string(&sample::miluo_2023());
    let nested = format!("(version: 2, workbook: {}{})", "(".repeat(100_000), ")".repeat(100_000));
    let ten_mb = "残".repeat(10 * 1024 * 1024 / 3);
    let matrix: Vec<(&str, String, bool)> = vec![
        ("1e30 money", good.replacen("Some(\"581.79\")", "Some(1e30)", 1), false),
        ("NaN money", good.replacen("Some(\"581.79\")", "Some(\"NaN\")", 1), false),
        ("inf money", good.replacen("Some(\"581.79\")", "Some(inf)", 1), false),
        ("deeply nested", nested, false),
        ("negative money", good.replacen("Some(\"581.79\")", "Some(\"-581.79\")", 1), true),
        ("10 MB string", good.replacen("goal_actual: \"", &format!("goal_actual: \"{ten_mb}"), 1), true),
        ("missing field", good.replacen("unit: \"汨罗市残疾人联合会\",", "", 1), true),
        ("emoji and RTL", good.replacen("unit: \"汨罗市残疾人联合会\"", "unit: \"🙂 مرحبا \u{202E}汨罗\"", 1), true),
    ];
    let dir = tempfile::tempdir().unwrap();
    let profile = Profile::builtin("hunan-2023").unwrap();
    for (name, text, loads) in matrix {
        let path = dir.path().join("case.ron");
        fs::write(&path, &text).unwrap();
        match draft::load(&path) {
            Ok(wb) => {
                assert!(loads, "{name}: should have been refused");
                let e = evaluate(&wb, &profile);
                if name == "missing field" {
                    assert!(wb.unit.is_empty(), "{name}: a missing field is blank");
                    assert_eq!(wb.projects, sample::miluo_2023().projects, "{name}: the rest still loads");
                }
                if name == "negative money" {
                    assert!(e.findings.iter().any(|f| f.rule == zipin::engine::RuleId::Negative), "{name}");
                }
            }
            Err(e) => {
                assert!(!loads, "{name}: {e}");
                assert!(e.line >= 1 && e.col >= 1, "{name}: {e:?}");
            }
        }
        assert_eq!(fs::read_to_string(&path).unwrap(), text, "{name}: file changed");
    }
    // Profiles: the same kinds of damage give file:line:col errors.
    let p = zipin::profile::BUILTIN[0].1;
    for (name, text) in [
        ("empty", String::new()),
        ("truncated", p[..p.len() / 2].to_string()),
        ("1e30 weight", p.replacen("exec_weight: 10", "exec_weight: 1e30", 1)),
        ("NaN weight", p.replacen("exec_weight: 10", "exec_weight: NaN", 1)),
        ("nested", format!("{}{}", "(".repeat(100_000), ")".repeat(100_000))),
    ] {
        let e = Profile::from_ron("bad.ron", &text).expect_err(name);
        assert!(e.line >= 1, "{name}: {e}");
    }
}

/// A draft may keep text that is not a valid number (`unparsed`): it loads, round-trips, and the
/// engine reports it at its cell, replacing what it would say about the blank cell.
#[test]
fn unparsed_text_round_trips_and_is_reported_at_its_cell() {
    use zipin::engine::{Form, Location, RuleId};
    let profile = Profile::builtin("hunan-2023").unwrap();
    let mut wb = sample::miluo_2023();
    let loc = Location::new(Form::A2, None, "fund.total", "executed");
    wb.department.funds.executed = None;
    let blank = evaluate(&wb, &profile);
    assert!(blank.findings.iter().any(|f| f.location == loc && f.rule != RuleId::NumFormat), "a blank 执行数 is itself a finding");
    wb.unparsed.push(zipin::model::Unparsed { cell: loc.clone(), label: "执行数".into(), text: "1,005.6七".into() });
    let text = draft::to_string(&wb);
    assert!(text.contains("1,005.6七"));
    let back = draft::from_str(Path::new("x.ron"), &text).unwrap();
    assert_eq!(back, wb);
    let e = evaluate(&back, &profile);
    let here: Vec<_> = e.findings.iter().filter(|f| f.location == loc).collect();
    assert_eq!(here.len(), 1, "{here:?}");
    assert_eq!(here[0].rule, RuleId::NumFormat);
    assert_eq!(here[0].message, "「执行数」不是有效数值：1,005.6七");
    assert!(e.department.provisional, "the grade waits for the figure");
    // Drafts without such text do not mention the field.
    assert!(!draft::to_string(&sample::miluo_2023()).contains("unparsed"));
}

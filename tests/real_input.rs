//! Every keystroke lands: the real binary under Xvfb, real X key events typed at human speed
//! (xdotool, ≥ 120 ms a key) and Chinese through a real input method (fcitx5 + pinyin over XIM),
//! into one cell of every input kind on 附件1, 附件2 (funds, goals, indicator grid), a project
//! (funds, goals, grid, questionnaire counts) and 自评报告, reached with Tab as a user would; then
//! Ctrl+S, and the saved draft is compared with what was typed, field by field. Prints
//! `N/N keystrokes landed` and fails on any loss. The path field (Save As without a file dialog)
//! is typed into too. Screenshots of the pinyin candidate window go to `target/real-input/`.
//!
//! Needs Xvfb, xdotool, xprop, dbus-daemon, fcitx5 with its Chinese addons and ImageMagick's
//! `import` (scripts/test.sh installs them and sets `ZIPIN_REQUIRE_X=1`). Alone:
//! `cargo test --release --test real_input -- --nocapture`; `ZIPIN_REAL_INPUT_RUNS=3` repeats it.
#![cfg(all(unix, feature = "gui"))]

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{app_command, spawn, start_x, wait_for, Fcitx, X};
use zipin::draft;
use zipin::engine::{Form, Location};
use zipin::model::{Questionnaire, Workbook};
use zipin::document::cells;

/// Milliseconds between two keys: a brisk typist, slower than any autorepeat.
const DELAY: &str = "130";

/// One thing the user does.
enum Act {
    /// Named keys (`Tab`, `shift+Tab`, `Return`), one after another.
    Keys(&'static [&'static str]),
    /// Text typed into the cell at the address, key by key (non-ASCII through xdotool's keysym map).
    Type(&'static str, &'static str),
    /// Pinyin into the cell: each (letters, commit key) picks the first candidate.
    Pinyin(&'static str, &'static [(&'static str, &'static str)]),
}

use Act::*;

/// A screen to open, what to do there, and what its cells must hold afterwards.
struct Script {
    screen: &'static str,
    acts: Vec<Act>,
    /// (address, the cell's text as the window reads it back from the saved draft).
    expect: Vec<(&'static str, &'static str)>,
    /// Save with Ctrl+Shift+S into the path field, under this name next to the draft (which then
    /// moves there); else Ctrl+S.
    save_as: Option<&'static str>,
}

fn scripts() -> Vec<Script> {
    vec![
        Script {
            screen: "basic",
            acts: vec![
                // Nothing focused: Tab goes to the first cell, 预算部门名称 — empty and red.
                Keys(&["Tab"]),
                Type("A2.header.unit", "abcd"),
                Pinyin("A2.header.unit", &[("nihao", "space"), ("shijie", "1")]),
                Keys(&["Tab", "Tab"]),
                Type("A1.staff.posts", "１２"),
                Keys(&["Tab"]),
                Type("A1.staff.in_post", "10"),
                Keys(&["Tab"]),
                Type("A1.E3.prev", "100"),
                Keys(&["Tab"]),
                Type("A1.E3.budget", "120"),
                Keys(&["Tab"]),
                Type("A1.E3.final", "115.5"),
                Keys(&["shift+Tab", "shift+Tab"]),
                // Shift+Tab back into a filled cell selects it: typing replaces.
                Type("A1.E3.prev", "99"),
                Keys(&["Tab", "Tab", "Tab", "Tab"]),
                Type("A1.E4.budget", "3.2"),
                Keys(&["Return"]),
                // Enter goes down the column.
                Type("A1.E5.budget", "1"),
            ],
            expect: vec![
                ("A2.header.unit", "abcd你好世界"),
                ("A1.staff.posts", "12"),
                ("A1.staff.in_post", "10"),
                ("A1.E3.prev", "99"),
                ("A1.E3.budget", "120"),
                ("A1.E3.final", "115.5"),
                ("A1.E4.budget", "3.2"),
                ("A1.E5.budget", "1"),
            ],
            save_as: None,
        },
        Script {
            screen: "department",
            acts: vec![
                Keys(&["Tab", "Tab"]),
                Type("A2.fund.total.initial", "100"),
                Keys(&["Tab"]),
                Type("A2.fund.total.full_year", "120"),
                Keys(&["Tab"]),
                Type("A2.fund.total.executed", "115.5"),
                Keys(&["Tab"]),
                Type("A2.source.general_budget.amount", "１１５.５"),
                Keys(&["Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab"]),
                // 实际完成情况: empty and required; two pinyin words in a row.
                Pinyin("A2.goal.actual", &[("nihao", "space"), ("ceshi", "space")]),
                Keys(&["Tab", "Tab"]),
                Type("A2.ind#1.target", "≥95%"),
                Keys(&["Tab"]),
                Type("A2.ind#1.actual", "96%"),
                Keys(&["Tab"]),
                Type("A2.ind#1.weight", "10"),
                Keys(&["Tab"]),
                Type("A2.ind#1.reason", "ok"),
                Keys(&["Tab", "Tab"]),
                Type("A2.ind#2.target", "明显改善"),
                Keys(&["Tab"]),
                Type("A2.ind#2.actual", "基本改善"),
                Keys(&["Tab"]),
                Type("A2.ind#2.weight", "10"),
                Keys(&["Tab"]),
                Type("A2.ind#2.score", "8.5"),
            ],
            expect: vec![
                ("A2.fund.total.initial", "100"),
                ("A2.fund.total.full_year", "120"),
                ("A2.fund.total.executed", "115.5"),
                ("A2.source.general_budget.amount", "115.5"),
                ("A2.goal.actual", "你好测试"),
                ("A2.ind#1.target", "≥95%"),
                ("A2.ind#1.actual", "96%"),
                ("A2.ind#1.weight", "10"),
                ("A2.ind#1.reason", "ok"),
                ("A2.ind#2.target", "明显改善"),
                ("A2.ind#2.actual", "基本改善"),
                ("A2.ind#2.weight", "10"),
                ("A2.ind#2.score", "8.5"),
            ],
            save_as: None,
        },
        Script {
            screen: "project:1",
            acts: vec![
                Keys(&["Tab"]),
                // The project's name is filled: Tab selected it, the pinyin replaces it.
                Pinyin("A3[0].header.name", &[("ceshi", "space")]),
                Keys(&["Tab"]),
                Type("A3[0].header.competent_dept", "abc"),
                Keys(&["Tab", "Tab"]),
                Type("A3[0].fund.current_approp.initial", "100"),
                Keys(&["Tab"]),
                Type("A3[0].fund.current_approp.full_year", "120"),
                Keys(&["Tab"]),
                Type("A3[0].fund.current_approp.executed", "115.5"),
                Keys(&["Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab"]),
                Pinyin("A3[0].goal.actual", &[("nihao", "space"), ("shijie", "1")]),
                // Rows 1–7: 名称 年度指标值 实际完成值 分值 得分 偏差原因 each; row 8 (满意度)
                // carries a questionnaire: its 实际完成值 is computed.
                Keys(&[
                    "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab",
                    "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab",
                    "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab",
                    "Tab", "Tab", "Tab", "Tab", "Tab", "Tab",
                ]),
                Type("A3[0].ind#8.sat.n", "40"),
                Keys(&["Tab"]),
                Type("A3[0].ind#8.sat:非常满意", "33"),
                Keys(&["Tab"]),
                Type("A3[0].ind#8.sat:满意", "5"),
                Keys(&["Tab"]),
                Type("A3[0].ind#8.sat:基本满意", "2"),
            ],
            expect: vec![
                ("A3[0].header.name", "测试"),
                ("A3[0].header.competent_dept", "abc"),
                ("A3[0].fund.current_approp.initial", "100"),
                ("A3[0].fund.current_approp.full_year", "120"),
                ("A3[0].fund.current_approp.executed", "115.5"),
                ("A3[0].goal.actual", "你好世界"),
                ("A3[0].ind#8.sat.n", "40"),
                ("A3[0].ind#8.sat:非常满意", "33"),
                ("A3[0].ind#8.sat:满意", "5"),
                ("A3[0].ind#8.sat:基本满意", "2"),
            ],
            save_as: None,
        },
        Script {
            screen: "report",
            acts: vec![
                Keys(&["Tab"]),
                Type("A4.report.basic.amount", "581.79"),
                Keys(&["Tab", "Tab"]),
                Type("A4.report.personnel_share.amount", "45.5"),
                Keys(&["Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab"]),
                // The report's text: Tab selected the whole template; typing replaces it.
                Pinyin("A4.narrative.template", &[("ceshi", "space")]),
                Type("A4.narrative.template", "abc"),
            ],
            expect: vec![
                ("A4.report.basic.amount", "581.79"),
                ("A4.report.personnel_share.amount", "45.5"),
                ("A4.narrative.template", "测试abc"),
            ],
            // Saved through the in-app path field (no file dialog here).
            save_as: Some("另存为.ron"),
        },
    ]
}

/// A blank draft (unit emptied) with one project whose satisfaction row carries a questionnaire.
fn blank_draft(path: &Path) {
    let profile = zipin::profile::Profile::builtin("hunan-2023").unwrap();
    let mut wb = Workbook::empty("", 2024, &profile);
    let mut p = Workbook::new_project(&profile, "项目一");
    let counts = profile.satisfaction.options.iter().map(|(o, _)| (o.clone(), 0)).collect();
    if let Some(r) = p.indicators.iter_mut().find(|r| r.l1 == "满意度指标") {
        r.satisfaction = Some(Questionnaire { respondents: 0, counts });
    }
    wb.projects.push(p);
    draft::save(path, &wb).unwrap();
}

/// `A2.header.unit`, `A3[0].goal.actual`, `A2.ind#1.target` → the address.
fn loc(addr: &str) -> Location {
    let (form, rest) = addr.split_once('.').unwrap();
    let (form, project) = match form {
        "A1" => (Form::A1, None),
        "A2" => (Form::A2, None),
        "A4" => (Form::A4, None),
        f => (Form::A3, Some(f.trim_start_matches("A3[").trim_end_matches(']').parse::<usize>().unwrap())),
    };
    // Rows may hold dots (`fund.total`); of the columns only `sat.n` does.
    let (row, col) = match rest.strip_suffix(".sat.n") {
        Some(row) => (row, "sat.n"),
        None => rest.rsplit_once('.').unwrap(),
    };
    Location::new(form, project, row, col)
}

struct Tally {
    keys: usize,
    landed: usize,
    lost: Vec<String>,
}

fn run_script(x: &X, ime: &Fcitx, home: &Path, path: &Path, s: &Script, shots: &Path, tally: &mut Tally) {
    let mut cmd = app_command(x, home, path);
    cmd.args(["--screen", s.screen])
        .env("XMODIFIERS", "@im=fcitx")
        .env("LANG", "C.UTF-8")
        // No file-dialog service: Save As falls back to the in-app path field.
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
        .env("PATH", "/nonexistent")
        .stderr(Stdio::null());
    let mut app = spawn(&mut cmd);
    let win = x.wait_window(&mut app);
    std::thread::sleep(Duration::from_secs(2)); // fonts loaded, first frame drawn
    // Desktops and tools find the window by class and by its title, in either X property.
    let props = x.run("xprop", &["-id", &win, "WM_CLASS", "WM_NAME", "_NET_WM_NAME"]);
    assert!(props.contains("WM_CLASS(STRING) = \"zipin\", \"zipin\""), "{props}");
    assert!(props.contains("WM_NAME(UTF8_STRING) = \"空白.ron — 绩效自评\""), "{props}");
    assert!(props.contains("_NET_WM_NAME(UTF8_STRING) = \"空白.ron — 绩效自评\""), "{props}");
    x.xdotool(&["windowfocus", "--sync", &win]);
    std::thread::sleep(Duration::from_millis(300));
    let before = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let mut keys_at: std::collections::BTreeMap<&str, usize> = Default::default();
    for (i, act) in s.acts.iter().enumerate() {
        match act {
            Keys(k) => {
                for key in *k {
                    x.xdotool(&["key", "--delay", DELAY, key]);
                    std::thread::sleep(Duration::from_millis(130));
                }
            }
            Type(addr, text) => {
                type_keys(x, text);
                *keys_at.entry(addr).or_default() += text.chars().count();
            }
            Pinyin(addr, words) => {
                ime.remote(&["-o"]);
                std::thread::sleep(Duration::from_millis(300));
                for (j, (letters, commit)) in words.iter().enumerate() {
                    x.xdotool(&["type", "--delay", DELAY, letters]);
                    std::thread::sleep(Duration::from_millis(500));
                    if j == 0 {
                        x.screenshot(&shots.join(format!("{}-{i}-candidates.png", s.screen)));
                        let cand = x.xdotool(&["search", "--name", "Fcitx5 Input Window"]);
                        eprintln!("{}: candidate window {}", s.screen, cand.split_whitespace().map(|w| x.run("xwininfo", &["-id", w])).filter_map(|i| geometry(&i)).collect::<Vec<_>>().join(" "));
                    }
                    x.xdotool(&["key", "--delay", DELAY, commit]);
                    std::thread::sleep(Duration::from_millis(300));
                    *keys_at.entry(addr).or_default() += letters.len() + 1;
                }
                ime.remote(&["-c"]);
                std::thread::sleep(Duration::from_millis(300));
            }
        }
    }
    let saved = match s.save_as {
        None => {
            x.xdotool(&["key", "--delay", DELAY, "ctrl+s"]);
            path.to_path_buf()
        }
        Some(name) => {
            let to = path.with_file_name(name);
            x.xdotool(&["key", "--delay", DELAY, "ctrl+shift+s"]);
            std::thread::sleep(Duration::from_millis(1500));
            x.screenshot(&shots.join(format!("{}-save-as.png", s.screen)));
            // The field proposes the draft's own path: select it all, type the new one.
            x.xdotool(&["key", "--delay", DELAY, "ctrl+a"]);
            let typed = to.to_string_lossy().into_owned();
            type_keys(x, &typed);
            x.screenshot(&shots.join(format!("{}-save-as-typed.png", s.screen)));
            x.xdotool(&["key", "--delay", DELAY, "Return"]);
            let keys = typed.chars().count() + 2;
            tally.keys += keys;
            wait_for("the file named in the path field", Duration::from_secs(20), || to.exists().then_some(()));
            tally.landed += keys;
            to
        }
    };
    let (wb, _) = wait_for("the draft saved", Duration::from_secs(20), || {
        let now = std::fs::metadata(&saved).and_then(|m| m.modified()).ok();
        if now == before && saved == path {
            return None;
        }
        draft::load(&saved).ok()
    });
    x.screenshot(&shots.join(format!("{}-saved.png", s.screen)));
    drop(app);
    for (addr, want) in &s.expect {
        let got = cells::read(&wb, &loc(addr));
        let keys = keys_at.get(addr).copied().unwrap_or(0);
        tally.keys += keys;
        if got == *want {
            tally.landed += keys;
        } else {
            tally.lost.push(format!("{}: {addr} = {got:?}, typed {want:?} ({keys} keys)", s.screen));
        }
    }
}

/// Types `text` key by key. A character with no key on the keyboard (`１`, `≥`, `明`) is typed by
/// xdotool remapping a spare key code first; two such characters in one call can race the
/// client's reading of the new key map (a key lost), so each goes alone, with a pause after it.
fn type_keys(x: &X, text: &str) {
    let mut ascii = String::new();
    for c in text.chars() {
        if c.is_ascii() {
            ascii.push(c);
            continue;
        }
        if !ascii.is_empty() {
            x.xdotool(&["type", "--delay", DELAY, &std::mem::take(&mut ascii)]);
        }
        x.xdotool(&["type", "--delay", DELAY, &c.to_string()]);
        std::thread::sleep(Duration::from_millis(200));
    }
    if !ascii.is_empty() {
        x.xdotool(&["type", "--delay", DELAY, &ascii]);
    }
}

/// `+X+Y WxH` of a window, from xwininfo's report.
fn geometry(info: &str) -> Option<String> {
    let get = |k: &str| info.lines().find_map(|l| l.trim().strip_prefix(k)).map(|v| v.trim().to_string());
    Some(format!("+{}+{} {}x{}", get("Absolute upper-left X:")?, get("Absolute upper-left Y:")?, get("Width:")?, get("Height:")?))
}

#[test]
fn every_keystroke_lands_in_the_saved_draft() {
    if !common::require(&["Xvfb", "xdotool", "xprop", "xwininfo", "dbus-daemon", "fcitx5", "fcitx5-remote", "import"]) {
        return;
    }
    let runs: usize = std::env::var("ZIPIN_REAL_INPUT_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(1);
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("real-input");
    std::fs::create_dir_all(&shots).unwrap();
    let x = start_x("1600x1000");
    let ime = Fcitx::start(&x);
    for run in 1..=runs {
        let t = Instant::now();
        let home = tempfile::tempdir().unwrap();
        let path = home.path().join("空白.ron");
        blank_draft(&path);
        let mut tally = Tally { keys: 0, landed: 0, lost: Vec::new() };
        let scripts = scripts();
        for s in &scripts {
            run_script(&x, &ime, home.path(), &path, s, &shots, &mut tally);
        }
        let cells: usize = scripts.iter().map(|s| s.expect.len()).sum();
        eprintln!(
            "run {run}/{runs}: {}/{} keystrokes landed in {cells} cells on {} screens ({:.0} s)",
            tally.landed,
            tally.keys,
            scripts.len(),
            t.elapsed().as_secs_f64()
        );
        assert!(tally.lost.is_empty(), "keystrokes lost in run {run}:\n{}", tally.lost.join("\n"));
    }
    eprintln!("screenshots: {}", shots.display());
}

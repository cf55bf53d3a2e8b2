//! The binary is self-contained: copied alone into an empty folder it still has its profiles and
//! its sample; a user profiles folder adds or overrides profiles; `zipin FILE` opens FILE.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/templates/examples/miluo-2023.ron");
const HUNAN: &str = include_str!("../templates/profiles/hunan-2023.ron");

/// Runs `exe` in `cwd` with an environment that has no user profiles folder but `profiles`.
fn run(exe: &Path, cwd: &Path, profiles: &Path, args: &[&str]) -> Output {
    let mut tries = 0;
    loop {
        let out = Command::new(exe)
            .args(args)
            .current_dir(cwd)
            .env("ZIPIN_PROFILE_DIR", profiles)
            .env("HOME", cwd)
            .env("XDG_CONFIG_HOME", cwd)
            .env("APPDATA", cwd)
            .output();
        match out {
            // A freshly copied exe can be "busy" for a moment: a process another test thread
            // forked meanwhile still holds the copy's write handle until it calls exec.
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 100 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            out => return out.expect("run zipin"),
        }
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The binary alone in a fresh folder: (tempdir guard, exe path, an empty working folder).
fn lone_binary() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let exe = dir.path().join("bin").join(Path::new(env!("CARGO_BIN_EXE_zipin")).file_name().unwrap());
    std::fs::create_dir(exe.parent().unwrap()).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_zipin"), &exe).unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    (dir, exe, work)
}

#[test]
fn runs_alone_from_an_empty_folder() {
    let (dir, exe, work) = lone_binary();
    let none = dir.path().join("no-profiles");
    let out = run(&exe, &work, &none, &["sample", "-o", "sample.ron"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_dir(&work).unwrap().count(), 1, "only the draft is written");

    // The embedded sample gives the same findings and scores as the repository's file.
    for args in [&["check", "--format", "json"][..], &["check"], &["score"], &["score", "--profile", "national-2020"]] {
        let here = run(&exe, &work, &none, &[&[args[0], "sample.ron"], &args[1..]].concat());
        let repo = run(&exe, &work, &none, &[&[args[0], SAMPLE], &args[1..]].concat());
        assert_eq!(here.status.code(), repo.status.code(), "{args:?}");
        assert!(!here.stdout.is_empty(), "{args:?}");
        assert_eq!(text(&here.stdout), text(&repo.stdout), "{args:?}");
    }
    let out = run(&exe, &work, &none, &["check", "sample.ron", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(findings.len() > 30);

    // Both built-in profiles are there.
    for profile in ["hunan-2023", "national-2020"] {
        let out = run(&exe, &work, &none, &["new", "--year", "2024", "--unit", "某县财政局", "--profile", profile, "-o", &format!("new-{profile}.ron")]);
        assert!(out.status.success(), "{profile}: {}", text(&out.stderr));
    }
}

#[test]
fn user_profiles_folder_adds_and_overrides() {
    let (dir, exe, work) = lone_binary();
    let profiles = dir.path().join("profiles");
    std::fs::create_dir(&profiles).unwrap();
    std::fs::copy(SAMPLE, work.join("sample.ron")).unwrap();

    // Adds: a new id.
    std::fs::write(profiles.join("county-2024.ron"), HUNAN.replacen("id: \"hunan-2023\"", "id: \"county-2024\"", 1)).unwrap();
    let out = run(&exe, &work, &profiles, &["score", "sample.ron", "--profile", "county-2024"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("评价规则 county-2024"), "{}", text(&out.stdout));

    // Overrides: the sample records hunan-2023; the user's file of that id is used instead.
    let before = text(&run(&exe, &work, &profiles, &["score", "sample.ron"]).stdout);
    assert!(before.contains("等级 优"), "{before}");
    std::fs::write(profiles.join("hunan-2023.ron"), HUNAN.replace("grade: \"优\"", "grade: \"甲\"")).unwrap();
    let after = text(&run(&exe, &work, &profiles, &["score", "sample.ron"]).stdout);
    assert!(after.contains("等级 甲") && !after.contains("等级 优"), "{after}");

    // A broken user profile is reported with its file, not silently replaced by the built-in.
    std::fs::write(profiles.join("hunan-2023.ron"), "(id: ").unwrap();
    let out = run(&exe, &work, &profiles, &["score", "sample.ron"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("hunan-2023.ron:1:"), "{}", text(&out.stderr));
}

#[test]
fn a_lone_file_argument_means_open() {
    let dir = tempfile::tempdir().unwrap();
    let none = dir.path().join("no-profiles");
    // A file named like a subcommand is still the subcommand.
    std::fs::write(dir.path().join("check"), "").unwrap();
    let out = run(Path::new(env!("CARGO_BIN_EXE_zipin")), dir.path(), &none, &["check"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    // Not a file: the usual error.
    let out = run(Path::new(env!("CARGO_BIN_EXE_zipin")), dir.path(), &none, &["nothing.ron"]);
    assert_eq!(out.status.code(), Some(2));
    #[cfg(not(feature = "gui"))]
    {
        let out = run(Path::new(env!("CARGO_BIN_EXE_zipin")), dir.path(), &none, &[SAMPLE]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(text(&out.stderr).contains("未包含图形界面"), "{}", text(&out.stderr));
    }
}

//! Autosave and recovery, end to end with the real binary: the window is opened under a virtual X
//! server (Xvfb), a cell is edited with synthetic key presses (xdotool), the autosave must reach
//! the disk within 30 s, the process is killed with SIGKILL, and a second start must offer the
//! autosaved state: Enter accepts it, Ctrl+S saves it, and the draft file then holds the edit.
//!
//! Needs `Xvfb` and `xdotool` (scripts/test.sh installs them and sets `ZIPIN_REQUIRE_X=1`, so on
//! CI a missing X server is a failure, not a skip). Alone:
//! `cargo test --release --test autosave -- --nocapture`.
#![cfg(all(unix, feature = "gui"))]

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use common::{app_command, spawn, start_x, wait_for, Proc, X};
use zipin::draft;

/// The autosave interval the window promises.
const AUTOSAVE: Duration = Duration::from_secs(30);

fn start_app(x: &X, dir: &Path, draft: &Path) -> Proc {
    spawn(&mut app_command(x, dir, draft))
}

/// The autosave files in the data folder.
fn recovery_files(dir: &Path) -> Vec<PathBuf> {
    common::files_ending(&dir.join("data/recovery"), ".ron")
}

#[test]
fn a_killed_window_offers_its_autosave_at_the_next_start() {
    if !common::require(&["Xvfb", "xdotool"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("汨罗.ron");
    draft::save(&path, &zipin::sample::miluo_2023()).unwrap();
    let original = draft::load(&path).unwrap();
    let x = start_x("1400x900");

    // 1. Edit: Tab focuses the first cell of 附件1, the typed digits go into it.
    let mut app = start_app(&x, dir.path(), &path);
    let win = x.wait_window(&mut app);
    std::thread::sleep(Duration::from_secs(2)); // fonts loaded, first frame drawn
    x.xdotool(&["windowfocus", "--sync", &win]);
    x.xdotool(&["key", "--delay", "80", "Tab"]);
    x.xdotool(&["type", "--delay", "80", "73"]);
    let edited_at = SystemTime::now();

    // 2. The autosave reaches the disk within the promised interval, holding the edit.
    let (autosaved, waited) = wait_for("autosave", AUTOSAVE + Duration::from_secs(15), || {
        let f = recovery_files(dir.path()).into_iter().next()?;
        let wb = draft::load(&f).ok()?;
        (wb != original).then_some((f, wb))
    });
    let (recovery, autosaved) = autosaved;
    let age = std::fs::metadata(&recovery).unwrap().modified().unwrap().duration_since(edited_at).unwrap_or_default();
    eprintln!("autosave written {:.1} s after the edit (waited {:.1} s)", age.as_secs_f64(), waited.as_secs_f64());
    assert!(age <= AUTOSAVE + Duration::from_secs(2), "autosave {age:?} after the edit");
    assert_eq!(draft::load(&path).unwrap(), original, "the draft file itself is untouched until the user saves");
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&recovery), 0o600, "the autosave is private");
        assert_eq!(mode(recovery.parent().unwrap()), 0o700, "the autosave folder is private");
        assert_eq!(mode(&dir.path().join("data")), 0o700, "the data folder is private");
    }

    // 3. Crash.
    drop(app);
    std::thread::sleep(Duration::from_millis(300));

    // 4. Restart: the recovery question is up; Enter restores, Ctrl+S saves to the draft.
    let mut app = start_app(&x, dir.path(), &path);
    let win = x.wait_window(&mut app);
    std::thread::sleep(Duration::from_secs(2));
    x.xdotool(&["windowfocus", "--sync", &win]);
    x.xdotool(&["key", "--delay", "200", "Return", "ctrl+s"]);
    let (saved, _) = wait_for("the restored draft saved", Duration::from_secs(20), || {
        draft::load(&path).ok().filter(|wb| *wb == autosaved)
    });
    assert_eq!(saved, autosaved);
    let (_, _) = wait_for("the autosave removed after saving", Duration::from_secs(10), || recovery_files(dir.path()).is_empty().then_some(()));
    assert_eq!(draft::load(&draft::backup_path(&path)).unwrap(), original, "the previous draft is the .bak");
    drop(app);
}

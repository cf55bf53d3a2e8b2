//! Autosave and recovery, end to end with the real binary: the window is opened under a virtual X
//! server (Xvfb), a cell is edited with synthetic key presses (xdotool), the autosave must reach
//! the disk within 30 s, the process is killed with SIGKILL, and a second start must offer the
//! autosaved state: Enter accepts it, Ctrl+S saves it, and the draft file then holds the edit.
//!
//! Needs `Xvfb` and `xdotool` (scripts/test.sh installs them and sets `ZIPIN_REQUIRE_X=1`, so on
//! CI a missing X server is a failure, not a skip). Alone:
//! `cargo test --release --test autosave -- --nocapture`.
#![cfg(all(unix, feature = "gui"))]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use zipin::draft;

/// The autosave interval the window promises.
const AUTOSAVE: Duration = Duration::from_secs(30);

fn have(tool: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {tool}")]).stdout(Stdio::null()).status().is_ok_and(|s| s.success())
}

/// Kills (SIGKILL) and reaps a child when dropped.
struct Proc(Child);
impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct X {
    display: String,
    _server: Proc,
}

fn start_x() -> X {
    let mut n = 140 + std::process::id() % 200;
    while Path::new(&format!("/tmp/.X{n}-lock")).exists() || Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
        n += 1;
    }
    let display = format!(":{n}");
    let server = Command::new("Xvfb")
        .args([display.as_str(), "-screen", "0", "1400x900x24", "-nolisten", "tcp"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start Xvfb");
    let server = Proc(server);
    let t = Instant::now();
    while !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
        assert!(t.elapsed() < Duration::from_secs(20), "Xvfb did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    X { display, _server: server }
}

fn xdotool(x: &X, args: &[&str]) -> String {
    let out = Command::new("xdotool").args(args).env("DISPLAY", &x.display).output().expect("xdotool");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The id of the app's window, found by its title ending in 绩效自评.
fn wait_window(x: &X, app: &mut Proc) -> String {
    let t = Instant::now();
    loop {
        for id in xdotool(x, &["search", "--name", "."]).split_whitespace() {
            if xdotool(x, &["getwindowname", id]).trim_end().ends_with("绩效自评") {
                return id.to_string();
            }
        }
        if let Ok(Some(status)) = app.0.try_wait() {
            panic!("the app exited before showing its window: {status}");
        }
        assert!(t.elapsed() < Duration::from_secs(60), "no window after 60 s");
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn start_app(x: &X, dir: &Path, draft: &Path) -> Proc {
    let child = Command::new(env!("CARGO_BIN_EXE_zipin"))
        .arg("open")
        .arg(draft)
        .env("DISPLAY", &x.display)
        .env("ZIPIN_DATA_DIR", dir.join("data"))
        .env("HOME", dir)
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start zipin");
    Proc(child)
}

/// The autosave files in the data folder.
fn recovery_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir.join("data/recovery"))
        .map(|r| r.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "ron")).collect())
        .unwrap_or_default()
}

fn wait_for<T>(what: &str, limit: Duration, mut f: impl FnMut() -> Option<T>) -> (T, Duration) {
    let t = Instant::now();
    loop {
        if let Some(v) = f() {
            return (v, t.elapsed());
        }
        assert!(t.elapsed() < limit, "{what}: nothing after {limit:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_killed_window_offers_its_autosave_at_the_next_start() {
    if !(have("Xvfb") && have("xdotool")) {
        assert!(std::env::var_os("ZIPIN_REQUIRE_X").is_none(), "Xvfb and xdotool are required (ZIPIN_REQUIRE_X is set)");
        eprintln!("skipped: needs Xvfb and xdotool (scripts/test.sh installs them)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("汨罗.ron");
    draft::save(&path, &zipin::sample::miluo_2023()).unwrap();
    let original = draft::load(&path).unwrap();
    let x = start_x();

    // 1. Edit: Tab focuses the first cell of 附件1, the typed digits go into it.
    let mut app = start_app(&x, dir.path(), &path);
    let win = wait_window(&x, &mut app);
    std::thread::sleep(Duration::from_secs(2)); // fonts loaded, first frame drawn
    xdotool(&x, &["windowfocus", "--sync", &win]);
    xdotool(&x, &["key", "--delay", "80", "Tab"]);
    xdotool(&x, &["type", "--delay", "80", "73"]);
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
    let win = wait_window(&x, &mut app);
    std::thread::sleep(Duration::from_secs(2));
    xdotool(&x, &["windowfocus", "--sync", &win]);
    xdotool(&x, &["key", "--delay", "200", "Return", "ctrl+s"]);
    let (saved, _) = wait_for("the restored draft saved", Duration::from_secs(20), || {
        draft::load(&path).ok().filter(|wb| *wb == autosaved)
    });
    assert_eq!(saved, autosaved);
    let (_, _) = wait_for("the autosave removed after saving", Duration::from_secs(10), || recovery_files(dir.path()).is_empty().then_some(()));
    assert_eq!(draft::load(&draft::backup_path(&path)).unwrap(), original, "the previous draft is the .bak");
    drop(app);
}

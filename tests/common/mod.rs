//! Helpers for the tests that drive the real window: a virtual X server (Xvfb), synthetic key
//! presses (xdotool), a D-Bus session with the fcitx5 input method (pinyin over XIM), the app.
//! Each test file that uses them says `mod common;`.
#![allow(dead_code)]

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn have(tool: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {tool}")]).stdout(Stdio::null()).status().is_ok_and(|s| s.success())
}

/// Whether the tools are there; with `ZIPIN_REQUIRE_X` set (scripts/test.sh) a missing one fails
/// the test instead of skipping it.
pub fn require(tools: &[&str]) -> bool {
    let missing: Vec<&str> = tools.iter().copied().filter(|t| !have(t)).collect();
    if missing.is_empty() {
        return true;
    }
    assert!(std::env::var_os("ZIPIN_REQUIRE_X").is_none(), "{missing:?} required (ZIPIN_REQUIRE_X is set)");
    eprintln!("skipped: needs {missing:?} (scripts/test.sh installs them)");
    false
}

/// A child process (and its process group) killed with SIGKILL and reaped when dropped.
pub struct Proc(pub Child);

impl Drop for Proc {
    fn drop(&mut self) {
        // The group: services a D-Bus daemon activated die with it. (Not through kill(1): procps
        // reads `kill -KILL -PID` as kill(-1), every process there is.)
        if let Ok(group) = libc::pid_t::try_from(self.0.id()) {
            if group > 1 {
                // SAFETY: a plain system call on a process group this test started.
                unsafe { libc::kill(-group, libc::SIGKILL) };
            }
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `cmd` in a process group of its own.
pub fn spawn(cmd: &mut Command) -> Proc {
    Proc(cmd.process_group(0).spawn().unwrap_or_else(|e| panic!("start {cmd:?}: {e}")))
}

pub struct X {
    pub display: String,
    _server: Proc,
}

/// A fresh Xvfb on a free display, `size` = "WIDTHxHEIGHT".
pub fn start_x(size: &str) -> X {
    let mut n = 140 + std::process::id() % 200;
    while Path::new(&format!("/tmp/.X{n}-lock")).exists() || Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
        n += 1;
    }
    let display = format!(":{n}");
    let server = spawn(
        Command::new("Xvfb")
            .args([display.as_str(), "-screen", "0", &format!("{size}x24"), "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    );
    let t = Instant::now();
    while !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
        assert!(t.elapsed() < Duration::from_secs(20), "Xvfb did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    X { display, _server: server }
}

impl X {
    /// Runs an X client on this display; its standard output.
    pub fn run(&self, program: &str, args: &[&str]) -> String {
        let out = Command::new(program).args(args).env("DISPLAY", &self.display).output().unwrap_or_else(|e| panic!("{program}: {e}"));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn xdotool(&self, args: &[&str]) -> String {
        self.run("xdotool", args)
    }

    /// The window of class `zipin` (WM_CLASS, set by the app), waiting for it to be mapped.
    pub fn wait_window(&self, app: &mut Proc) -> String {
        let t = Instant::now();
        loop {
            if let Some(id) = self.xdotool(&["search", "--onlyvisible", "--class", "zipin"]).split_whitespace().next() {
                return id.to_string();
            }
            if let Ok(Some(status)) = app.0.try_wait() {
                panic!("the app exited before showing its window: {status}");
            }
            assert!(t.elapsed() < Duration::from_secs(60), "no window of class zipin after 60 s");
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Saves a picture of the whole screen.
    pub fn screenshot(&self, to: &Path) {
        let _ = Command::new("import").args(["-window", "root"]).arg(to).env("DISPLAY", &self.display).status();
    }
}

/// The window command for `draft` on this display; the caller adds environment and spawns.
pub fn app_command(x: &X, home: &Path, draft: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zipin"));
    cmd.arg("open")
        .arg(draft)
        .env("DISPLAY", &x.display)
        .env("ZIPIN_DATA_DIR", home.join("data"))
        .env("HOME", home)
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

pub fn wait_for<T>(what: &str, limit: Duration, mut f: impl FnMut() -> Option<T>) -> (T, Duration) {
    let t = Instant::now();
    loop {
        if let Some(v) = f() {
            return (v, t.elapsed());
        }
        assert!(t.elapsed() < limit, "{what}: nothing after {limit:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A private D-Bus session with fcitx5 on it, serving pinyin to X clients over XIM
/// (`XMODIFIERS=@im=fcitx`). Cloud pinyin is off: no network.
pub struct Fcitx {
    pub home: tempfile::TempDir,
    pub bus: String,
    _fcitx: Proc,
    _dbus: Proc,
}

impl Fcitx {
    pub fn start(x: &X) -> Fcitx {
        let mut home = tempfile::tempdir().unwrap();
        let conf = home.path().join(".config/fcitx5");
        std::fs::create_dir_all(conf.join("conf")).unwrap();
        std::fs::write(
            conf.join("profile"),
            "[Groups/0]\nName=Default\nDefault Layout=us\nDefaultIM=pinyin\n\n[Groups/0/Items/0]\nName=keyboard-us\nLayout=\n\n\
             [Groups/0/Items/1]\nName=pinyin\nLayout=\n\n[GroupOrder]\n0=Default\n",
        )
        .unwrap();
        std::fs::write(conf.join("conf/pinyin.conf"), "CloudPinyinEnabled=False\n").unwrap();
        for attempt in 0..3 {
            let (dbus, bus) = start_dbus(home.path());
            let fcitx = spawn(
                Command::new("fcitx5")
                    .args(["--replace", "--disable=wayland"])
                    .env("DISPLAY", &x.display)
                    .env("HOME", home.path())
                    .env("DBUS_SESSION_BUS_ADDRESS", &bus)
                    .env("LANG", "C.UTF-8")
                    .env_remove("XDG_RUNTIME_DIR")
                    .env_remove("WAYLAND_DISPLAY")
                    .stdout(Stdio::null())
                    .stderr(Stdio::null()),
            );
            let f = Fcitx { home, bus, _fcitx: fcitx, _dbus: dbus };
            let t = Instant::now();
            while t.elapsed() < Duration::from_secs(20) {
                if x.run("xprop", &["-root", "XIM_SERVERS"]).contains("@server=fcitx") && f.remote(&[]).is_some() {
                    std::thread::sleep(Duration::from_millis(1500)); // the pinyin engine loads
                    return f;
                }
                std::thread::sleep(Duration::from_millis(200));
            }
            eprintln!("fcitx5 came up without its XIM server (attempt {}); restarting it", attempt + 1);
            home = f.home_take();
        }
        panic!("fcitx5 did not register its XIM server");
    }

    fn home_take(self) -> tempfile::TempDir {
        let Fcitx { home, _fcitx, _dbus, .. } = self;
        drop(_fcitx);
        drop(_dbus);
        home
    }

    /// `fcitx5-remote ARGS` on this session: its output, `None` when it failed.
    pub fn remote(&self, args: &[&str]) -> Option<String> {
        let out = Command::new("fcitx5-remote").args(args).env("DBUS_SESSION_BUS_ADDRESS", &self.bus).output().ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    }
}

/// A D-Bus session daemon in its own process group; its address.
fn start_dbus(home: &Path) -> (Proc, String) {
    let mut child = Command::new("dbus-daemon")
        .args(["--session", "--nofork", "--print-address=1"])
        .env("HOME", home)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("start dbus-daemon");
    let mut out = child.stdout.take().unwrap();
    let proc = Proc(child);
    let mut line = Vec::new();
    let mut byte = [0u8];
    while std::io::Read::read(&mut out, &mut byte).unwrap_or(0) == 1 && byte[0] != b'\n' {
        line.push(byte[0]);
    }
    let bus = String::from_utf8_lossy(&line).trim().to_string();
    assert!(bus.starts_with("unix:"), "dbus-daemon printed {bus:?}");
    (proc, bus)
}

/// Files in `dir` (not recursive) whose name ends with `suffix`.
pub fn files_ending(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|r| r.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.to_string_lossy().ends_with(suffix)).collect())
        .unwrap_or_default()
}

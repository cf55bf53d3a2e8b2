//! Crash safety: a child process saves a large draft in a loop and is killed (SIGKILL on Unix,
//! TerminateProcess on Windows) at random moments, 200 times. After every kill the draft loads
//! and equals one of the versions that was being saved, and so does its `.bak` when present.
//!
//! Runs in the default `cargo test --release`; alone: `cargo test --release --test crash -- --nocapture`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use zipin::profile::Profile;
use zipin::{draft, sample};

const KILLS: usize = 200;

/// A small deterministic PRNG (xorshift), so a failure can be replayed from its seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn killed_while_saving_the_draft_survives() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("大草稿.ron");
    let projects = 10;
    let base = sample::generated(&Profile::builtin("hunan-2023").unwrap(), projects, 40);
    draft::save(&path, &sample::stress_version(&base, 0)).unwrap();
    let size = std::fs::metadata(&path).unwrap().len();

    let seed = std::env::var("ZIPIN_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5EED_2023_u64);
    let mut rng = Rng(seed);
    let started = Instant::now();
    let mut versions_seen = std::collections::BTreeSet::new();
    let mut killed_mid_run = 0;
    for kill in 0..KILLS {
        let mut child = Command::new(env!("CARGO_BIN_EXE_zipin"))
            .args(["stress-save", path.to_str().unwrap(), "--projects", &projects.to_string(), "--start", &(kill as u64 * 1000 + 1).to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the saver");
        // Let it complete 1–3 saves, then kill at a random moment within the next save, so kills
        // land in every phase: writing, fsync, backup, rename.
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut last = Instant::now();
        let mut save_time = Duration::from_millis(5);
        for _ in 0..1 + rng.next() % 3 {
            if lines.next().is_none() {
                break;
            }
            save_time = last.elapsed();
            last = Instant::now();
        }
        let micros = save_time.as_micros().max(1) as u64;
        std::thread::sleep(Duration::from_micros(rng.next() % (micros + micros / 2)));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        let _ = child.kill();
        let status = child.wait().unwrap();
        assert!(!status.success(), "kill {kill}: the saver loops until killed");

        for (what, p) in [("draft", path.clone()), ("backup", draft::backup_path(&path))] {
            if what == "backup" && !p.exists() {
                continue;
            }
            let wb = draft::load(&p).unwrap_or_else(|e| panic!("kill {kill} (seed {seed}): {what} does not load: {e}"));
            let v = sample::stress_version_of(&wb).unwrap_or_else(|| panic!("kill {kill}: {what} is no saved version"));
            assert_eq!(wb, sample::stress_version(&base, v), "kill {kill}: {what} is not exactly version {v}");
            if what == "draft" {
                versions_seen.insert(v);
            }
        }
    }
    // A killed save leaves its temporary files; the next save removes them.
    let tmp = std::fs::read_dir(dir.path()).unwrap().filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".tmp")).count();
    eprintln!(
        "crash test: {KILLS} kills ({killed_mid_run} mid-run) of a {} KB draft in {:.1?}; draft always loaded; versions seen {}; stray temp files {tmp}",
        size / 1024,
        started.elapsed(),
        versions_seen.len()
    );
    assert!(tmp <= 2, "stale temporary files pile up: {tmp}");
    assert!(killed_mid_run >= KILLS / 2, "most kills must land while saving");
    assert!(versions_seen.len() > KILLS / 2, "kills must land after various saves: {versions_seen:?}");
}

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

/// `export` (PDF and XLSX) and `rollover --force`, each killed at a random moment of its run, 200
/// times in all: the target is always the old file or the new one, complete (never a mix, never
/// empty), a draft's `.bak` always loads, and once a run completes no temporary file is left.
#[cfg(unix)]
#[test]
fn killed_while_exporting_or_rolling_over_the_target_survives() {
    const KILLS: usize = 200;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let src = d.join("s.ron");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/examples/miluo-2023.ron"), &src).unwrap();
    let sample = draft::load(&src).unwrap();
    let next = zipin::model::rollover(&sample);
    let run = |args: &[&str]| -> std::process::Child {
        Command::new(env!("CARGO_BIN_EXE_zipin"))
            .current_dir(d)
            .args(args)
            // A fixed creation time: the same draft exports to the same bytes.
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start zipin")
    };
    let finish = |args: &[&str]| {
        let t = Instant::now();
        assert!(run(args).wait().unwrap().success(), "{args:?}");
        t.elapsed()
    };
    // The old files (one form only) and the new ones, and how long each command runs.
    let jobs: [(&str, [&str; 5]); 3] = [
        ("out.pdf", ["export", "s.ron", "-o", "out.pdf", "--force"]),
        ("out.xlsx", ["export", "s.ron", "-o", "out.xlsx", "--force"]),
        ("next.ron", ["rollover", "s.ron", "-o", "next.ron", "--force"]),
    ];
    finish(&["export", "s.ron", "-o", "out.pdf", "--forms", "1"]);
    finish(&["export", "s.ron", "-o", "out.xlsx", "--forms", "1"]);
    std::fs::copy(&src, d.join("next.ron")).unwrap();
    let old: Vec<Vec<u8>> = jobs.iter().map(|(t, _)| std::fs::read(d.join(t)).unwrap()).collect();
    let mut new: Vec<Vec<u8>> = Vec::new();
    let mut took: Vec<Duration> = Vec::new();
    for (i, (target, args)) in jobs.iter().enumerate() {
        took.push(finish(args));
        new.push(std::fs::read(d.join(target)).unwrap());
        if i < 2 {
            assert_ne!(old[i], new[i]);
            finish(args);
            assert!(std::fs::read(d.join(target)).unwrap() == new[i], "{target}: the export is reproducible");
        }
        std::fs::write(d.join(target), &old[i]).unwrap();
    }

    let seed = std::env::var("ZIPIN_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x0E4B_0213_u64);
    let mut rng = Rng(seed);
    let started = Instant::now();
    let (mut mid_run, mut saw_old, mut saw_new) = (0, 0, 0);
    // Temporary files seen after a kill: kills that landed between creating and renaming one.
    let mut temps_seen = std::collections::BTreeSet::new();
    for kill in 0..KILLS {
        let job = kill % jobs.len();
        let (target, args) = &jobs[job];
        // Half the kills anywhere in the run, half in its last third (where it writes).
        let micros = took[job].as_micros() as u64;
        let at = if rng.next() % 2 == 0 { rng.next() % (micros + 1) } else { micros * 2 / 3 + rng.next() % (micros / 3 + 1) };
        let mut child = run(&args[..]);
        std::thread::sleep(Duration::from_micros(at));
        if child.try_wait().unwrap().is_none() {
            mid_run += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        temps_seen.extend(zipin::safe_write::temp_files(d));
        let now = std::fs::read(d.join(target)).unwrap();
        if *target == "next.ron" {
            for file in [d.join(target), draft::backup_path(&d.join(target))] {
                let wb = draft::load(&file).unwrap_or_else(|e| panic!("kill {kill} (seed {seed}): {} does not load: {e}", file.display()));
                assert!(wb == sample || wb == next, "kill {kill} (seed {seed}): {} is neither the old nor the new draft", file.display());
            }
            if draft::load(&d.join(target)).unwrap() == next { saw_new += 1 } else { saw_old += 1 }
        } else {
            assert!(now == old[job] || now == new[job], "kill {kill} (seed {seed}): {target} is neither the old nor the new file ({} bytes)", now.len());
            if now == new[job] { saw_new += 1 } else { saw_old += 1 }
            // Back to the old file, so the next kill of this job can tell old from new.
            if now == new[job] && rng.next() % 2 == 0 {
                std::fs::write(d.join(target), &old[job]).unwrap();
            }
        }
    }
    let in_write = temps_seen.len();
    for (_, args) in &jobs {
        finish(&args[..]);
    }
    let left = zipin::safe_write::temp_files(d);
    eprintln!(
        "crash test (export, rollover): {KILLS} kills ({mid_run} mid-run, {in_write} while writing: a temporary file was left) in {:.1?}; \
         target afterwards the old file {saw_old}, the new one {saw_new}, anything else 0; temp files after the next runs {}",
        started.elapsed(),
        left.len()
    );
    assert!(left.is_empty(), "temporary files left behind: {left:?}");
    // How many kills land where depends on the machine's load; some must land in each phase.
    assert!(mid_run >= KILLS / 4, "many kills must land while the command runs: {mid_run}");
    assert!(in_write > 0, "some kills must land between creating and renaming a temporary file");
}

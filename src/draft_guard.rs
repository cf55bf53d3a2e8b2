//! Two windows on one draft: the lock file beside an open draft, and the fingerprint of the file
//! on disk that every save checks first. Plain `std`, so both are unit-tested here and the
//! window only asks.
//!
//! - **Lock**: a window that opens `NAME.ron` writes `.NAME.ron.lock` beside it (pid, host, user,
//!   time and a token of its own) and removes it when it closes the draft. A second window (another
//!   process: the app has one window a process) that opens the same draft finds the lock and says
//!   who has it. A lock whose process is gone (same host, pid not running) is stale and ignored; a
//!   crash therefore never locks a draft for good.
//! - **Fingerprint**: modification time, size and a hash of the bytes as loaded or last saved. If
//!   the file on disk no longer matches (another window or program saved it), the window asks
//!   before overwriting. A file merely touched (same bytes) is not a change.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::safe_write;

/// What a draft file looked like when it was loaded or saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    modified: Option<SystemTime>,
    len: u64,
    hash: u64,
}

/// FNV-1a over the bytes: stable across runs and platforms.
pub fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl Fingerprint {
    /// The file's fingerprint; `None` when there is no file.
    pub fn of(path: &Path) -> io::Result<Option<Fingerprint>> {
        let meta = match fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let bytes = fs::read(path)?;
        Ok(Some(Fingerprint { modified: meta.modified().ok(), len: bytes.len() as u64, hash: fnv(&bytes) }))
    }

    /// True when `path` no longer holds what this fingerprint saw. Same time and size is taken
    /// as unchanged without reading; otherwise the bytes decide (a touched file is unchanged).
    pub fn changed(&self, path: &Path) -> bool {
        match fs::metadata(path) {
            Ok(meta) if meta.len() == self.len && meta.modified().ok() == self.modified => false,
            Ok(_) => match fs::read(path) {
                Ok(bytes) => bytes.len() as u64 != self.len || fnv(&bytes) != self.hash,
                Err(_) => true,
            },
            Err(_) => true,
        }
    }
}

/// True when the draft at `path` changed since `known` was taken (`None`: it did not exist then,
/// so any file there now is a change).
pub fn changed_on_disk(path: &Path, known: Option<&Fingerprint>) -> bool {
    match known {
        Some(f) => f.changed(path),
        None => path.exists(),
    }
}

/// Who holds a draft open, as read from its lock file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockInfo {
    pub pid: u32,
    pub host: String,
    pub user: String,
    /// Local time the draft was opened, "YYYY-MM-DD HH:MM:SS".
    pub time: String,
    token: String,
}

impl LockInfo {
    fn parse(text: &str) -> Option<LockInfo> {
        let field = |key: &str| {
            text.lines().find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix('='))).map(|v| v.trim().to_string())
        };
        Some(LockInfo {
            pid: field("pid")?.parse().ok()?,
            host: field("host").unwrap_or_default(),
            user: field("user").unwrap_or_default(),
            time: field("time").unwrap_or_default(),
            token: field("token").unwrap_or_default(),
        })
    }

    fn text(&self) -> String {
        format!("pid={}\nhost={}\nuser={}\ntime={}\ntoken={}\n", self.pid, self.host, self.user, self.time, self.token)
    }

    /// The lock's process is gone: same host and the pid no longer runs.
    pub fn stale(&self) -> bool {
        self.host == host_name() && safe_write::process_gone(self.pid)
    }

    /// "用户 root（主机 pc1，进程 1234，2026-12-03 20:30:00 打开）".
    pub fn describe(&self) -> String {
        format!("用户 {}（主机 {}，进程 {}，{} 打开）", self.user, self.host, self.pid, self.time)
    }
}

fn env(keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
}

/// This machine's name (`HOSTNAME`/`COMPUTERNAME`, else `/etc/hostname`).
pub fn host_name() -> String {
    env(&["HOSTNAME", "COMPUTERNAME"])
        .or_else(|| fs::read_to_string("/etc/hostname").ok().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "?".into())
}

fn user_name() -> String {
    env(&["USER", "USERNAME", "LOGNAME"]).unwrap_or_else(|| "?".into())
}

/// The lock file of a draft: `.NAME.ron.lock` beside it.
pub fn lock_path(draft: &Path) -> PathBuf {
    let name = draft.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    draft.with_file_name(format!(".{name}.lock"))
}

/// A draft held open by this window. Dropping it removes the lock file, unless another window has
/// since taken the draft over (仍然打开).
#[derive(Debug)]
pub struct Lock {
    file: PathBuf,
    token: String,
}

impl Lock {
    /// Who else holds `draft` open: a live lock of another process (this process's own locks
    /// hold nobody back: it shows one window).
    pub fn holder(draft: &Path) -> Option<LockInfo> {
        let info = LockInfo::parse(&fs::read_to_string(lock_path(draft)).ok()?)?;
        let mine = info.pid == std::process::id() && info.host == host_name();
        (!mine && !info.stale()).then_some(info)
    }

    /// Takes the lock of `draft` (replacing a stale one, or a live one when the user said 仍然打开).
    pub fn acquire(draft: &Path) -> Result<Lock, safe_write::WriteError> {
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let nanos = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let info = LockInfo {
            pid: std::process::id(),
            host: host_name(),
            user: user_name(),
            time: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
            token: format!("{:x}-{n}-{nanos:x}", std::process::id()),
        };
        let file = lock_path(draft);
        safe_write::write(&file, info.text().as_bytes(), safe_write::Options::default())?;
        Ok(Lock { file, token: info.token })
    }

    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.file
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let still_ours = fs::read_to_string(&self.file).ok().and_then(|t| LockInfo::parse(&t)).is_some_and(|i| i.token == self.token);
        if still_ours {
            let _ = fs::remove_file(&self.file);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_draft_is_free_and_a_takeover_survives_the_first_closing() {
        let dir = tempfile::tempdir().unwrap();
        let draft = dir.path().join("a.ron");
        fs::write(&draft, "x").unwrap();
        assert_eq!(Lock::holder(&draft), None);
        let a = Lock::acquire(&draft).unwrap();
        assert_eq!(a.path(), dir.path().join(".a.ron.lock"));
        assert_eq!(Lock::holder(&draft), None, "this process's own lock holds nobody back");
        // 仍然打开: the second opener takes over; the first one closing leaves its lock alone.
        let b = Lock::acquire(&draft).unwrap();
        drop(a);
        assert!(lock_path(&draft).exists());
        drop(b);
        assert!(!lock_path(&draft).exists());
    }

    #[cfg(unix)]
    #[test]
    fn another_live_process_holds_the_draft() {
        let dir = tempfile::tempdir().unwrap();
        let draft = dir.path().join("a.ron");
        // The test runner's parent: a live process that is not this one.
        let other = std::os::unix::process::parent_id();
        let info = LockInfo { pid: other, host: host_name(), user: "张三".into(), time: "2026-12-03 09:00:00".into(), token: "t".into() };
        fs::write(lock_path(&draft), info.text()).unwrap();
        let held = Lock::holder(&draft).expect("a second window sees the lock");
        assert_eq!(held, info);
        assert!(held.describe().contains("张三") && held.describe().contains(&other.to_string()), "{}", held.describe());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_lock_of_a_dead_process_is_stale() {
        let dir = tempfile::tempdir().unwrap();
        let draft = dir.path().join("a.ron");
        let info = LockInfo { pid: 4_194_304, host: host_name(), user: "x".into(), time: String::new(), token: "t".into() };
        fs::write(lock_path(&draft), info.text()).unwrap();
        assert_eq!(Lock::holder(&draft), None);
        let other_host = LockInfo { host: "elsewhere".into(), ..info };
        fs::write(lock_path(&draft), other_host.text()).unwrap();
        assert!(Lock::holder(&draft).is_some(), "another machine's lock cannot be judged stale");
    }

    #[test]
    fn fingerprint_sees_other_writers_but_not_a_touch() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.ron");
        fs::write(&p, "one").unwrap();
        let f = Fingerprint::of(&p).unwrap().unwrap();
        assert!(!f.changed(&p));
        fs::write(&p, "one").unwrap();
        assert!(!f.changed(&p), "same bytes rewritten");
        fs::write(&p, "two").unwrap();
        assert!(f.changed(&p));
        fs::remove_file(&p).unwrap();
        assert!(f.changed(&p));
        assert!(!changed_on_disk(&p, None));
        fs::write(&p, "new").unwrap();
        assert!(changed_on_disk(&p, None));
    }
}

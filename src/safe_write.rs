//! The one safe-write path every file the app writes goes through: drafts, exports, the autosave
//! recovery files and the recent-files list.
//!
//! - The target must be a regular file or a new name. A device (`/dev/null`), a FIFO, a socket or
//!   a folder is refused; a symbolic link is refused unless the caller asks to write through it
//!   (then the file it points to is written and the link stays).
//! - The bytes go to a temporary file in the target's folder, `.NAME.<pid>-<n>.tmp`, created
//!   exclusively (`create_new`: `O_CREAT|O_EXCL`, which never follows a link), so two writers
//!   (two windows, two CLI runs, two threads) never share or clobber a temporary file.
//! - The temporary file gets the mode of the file it replaces (a new file: 0600, private to the
//!   user), is flushed to disk (fsync), optionally the old file is copied to `NAME.bak` the same
//!   way, then it is renamed over the target (`MoveFileEx(REPLACE_EXISTING)` on Windows) and the
//!   folder is flushed (Unix).
//! - Temporary files left by a process that was killed are removed by the next write to the same
//!   target; those of a process still running (another save in progress) are left alone.
//!
//! A kill at any moment therefore leaves the target either as it was or complete.

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Why a file was not written. `message` is in Chinese, for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteError {
    pub path: PathBuf,
    pub kind: io::ErrorKind,
    pub message: String,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for WriteError {}

impl WriteError {
    fn io(path: &Path, e: &io::Error) -> WriteError {
        WriteError { path: path.to_path_buf(), kind: e.kind(), message: io_message(e) }
    }

    fn refused(path: &Path, message: String) -> WriteError {
        WriteError { path: path.to_path_buf(), kind: io::ErrorKind::InvalidInput, message }
    }
}

/// How to write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Keep the file being replaced as `NAME.bak` (drafts).
    pub backup: bool,
    /// A symbolic link at the target is written through (the file it points to is replaced, the
    /// link stays); otherwise it is refused.
    pub follow_symlink: bool,
}

/// What is at a target path.
#[derive(Debug)]
pub enum Target {
    /// Nothing: the file will be created.
    New,
    /// A regular file (its metadata).
    File(fs::Metadata),
}

/// A user-facing description of an I/O error.
pub fn io_message(e: &io::Error) -> String {
    use io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "文件或文件夹不存在".into(),
        K::PermissionDenied => "没有权限（文件夹只读或被占用）".into(),
        K::StorageFull => "磁盘空间不足".into(),
        K::ReadOnlyFilesystem => "文件夹所在磁盘为只读".into(),
        K::QuotaExceeded => "磁盘配额已用完".into(),
        K::FileTooLarge => "文件超出了磁盘允许的大小".into(),
        K::NotADirectory => "路径中有一项不是文件夹".into(),
        K::IsADirectory => "这是一个文件夹，不是文件".into(),
        _ => format!("读写失败：{e}"),
    }
}

/// Resolves a symbolic link at `path` (when allowed) and checks what is there: a regular file or
/// nothing. Returns the path to write (the link's target when following one) and what is there.
pub fn inspect(path: &Path, follow_symlink: bool) -> Result<(PathBuf, Target), WriteError> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((path.to_path_buf(), Target::New)),
        Err(e) => return Err(WriteError::io(path, &e)),
    };
    let kind = meta.file_type();
    if kind.is_symlink() {
        if !follow_symlink {
            return Err(WriteError::refused(path, "这是一个符号链接，为免写到别处，拒绝写入（确需写入它指向的文件时加 --force）".into()));
        }
        let target = match fs::canonicalize(path) {
            Ok(t) => t,
            // A dangling link: the file it names, created.
            Err(_) => {
                let link = fs::read_link(path).map_err(|e| WriteError::io(path, &e))?;
                folder_of(path).join(link)
            }
        };
        return inspect(&target, false).map_err(|e| WriteError { message: format!("符号链接指向的{}", e.message), ..e });
    }
    if kind.is_dir() {
        return Err(WriteError { path: path.to_path_buf(), kind: io::ErrorKind::IsADirectory, message: "这是一个文件夹，不是文件".into() });
    }
    if !kind.is_file() {
        return Err(WriteError::refused(path, "这不是普通文件（设备、管道或套接字），拒绝写入".into()));
    }
    Ok((path.to_path_buf(), Target::File(meta)))
}

/// The folder a path's file lives in (`.` for a bare name).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The backup kept beside a file: `NAME.bak` (drafts: `NAME.ron.bak`).
pub fn backup_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(".bak");
    PathBuf::from(s)
}

/// Writes `bytes` to `path` safely (see the module documentation).
pub fn write(path: &Path, bytes: &[u8], opts: Options) -> Result<(), WriteError> {
    let (path, target) = inspect(path, opts.follow_symlink)?;
    let dir = folder_of(&path);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "file".into());
    let existing = match &target {
        Target::File(meta) => Some(meta),
        Target::New => None,
    };
    let mut temps: Vec<PathBuf> = Vec::new();
    let result = (|| {
        let tmp = write_temp(&dir, &name, "tmp", existing, &mut temps, |f| f.write_all(bytes))?;
        if let (true, Some(meta)) = (opts.backup, existing) {
            // Copy, not rename: the target itself must exist at every moment.
            let mut old = fs::File::open(&path)?;
            let bak_tmp = write_temp(&dir, &name, "bak.tmp", Some(meta), &mut temps, |f| io::copy(&mut old, f).map(drop))?;
            fs::rename(&bak_tmp, backup_path(&path))?;
        }
        fs::rename(&tmp, &path)?;
        sync_dir(&dir);
        Ok(())
    })();
    if result.is_err() {
        for t in &temps {
            let _ = fs::remove_file(t);
        }
    }
    remove_stale_temps(&dir, &name);
    result.map_err(|e: io::Error| WriteError::io(&path, &e))
}

/// Creates a new temporary file `.NAME.<pid>-<n>.SUFFIX` in `dir` exclusively, fills it with
/// `fill`, gives it the mode (and, as root, the owner) of `like`, and flushes it to disk.
fn write_temp(
    dir: &Path,
    name: &str,
    suffix: &str,
    like: Option<&fs::Metadata>,
    temps: &mut Vec<PathBuf>,
    fill: impl FnOnce(&mut fs::File) -> io::Result<()>,
) -> io::Result<PathBuf> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let pid = std::process::id();
    let mut attempt = 0;
    let (tmp, mut f) = loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let tmp = dir.join(format!(".{name}.{pid}-{n}{nanos:x}.{suffix}"));
        match create_private(&tmp) {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    };
    temps.push(tmp.clone());
    fill(&mut f)?;
    #[cfg(unix)]
    if let Some(meta) = like {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let mode = meta.mode() & 0o7777;
        if mode != 0o600 {
            f.set_permissions(fs::Permissions::from_mode(mode))?;
        }
        // As root, a replaced file keeps its owner; an ordinary user cannot give files away.
        let _ = std::os::unix::fs::fchown(&f, Some(meta.uid()), Some(meta.gid()));
    }
    #[cfg(not(unix))]
    let _ = like;
    f.sync_all()?;
    Ok(tmp)
}

/// A new file, created exclusively (fails if the name exists, never follows a link), private to
/// the user (0600 on Unix).
pub fn create_private(path: &Path) -> io::Result<fs::File> {
    let mut o = fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// Temporary files of `NAME` left by a process that is no longer running (killed half-way):
/// `.NAME.<pid>-<n>.tmp`, `.NAME.<pid>-<n>.bak.tmp` (and the older `.NAME.<pid>.tmp`). A running
/// process's temporary files (a concurrent save) are left alone.
pub fn remove_stale_temps(dir: &Path, name: &str) {
    let prefix = format!(".{name}.");
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        let Some(rest) = file.strip_prefix(&prefix).filter(|r| r.ends_with(".tmp")) else { continue };
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let Ok(pid) = digits.parse::<u32>() else { continue };
        if !matches!(rest[digits.len()..].chars().next(), Some('-' | '.')) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > std::time::Duration::from_secs(3600));
        if process_gone(pid) || (pid != std::process::id() && old) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The names of the temporary files in `dir` (`*.tmp`), sorted: what a killed write may leave
/// until the next write to the same target removes it (tests and checks).
pub fn temp_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.ends_with(".tmp")).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// True when no process `pid` is running on this machine (as far as can be told: on systems
/// without `/proc` this says false, and callers fall back to the file's age).
pub fn process_gone(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    #[cfg(target_os = "linux")]
    {
        !Path::new("/proc").join(pid.to_string()).exists()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pid;
        false
    }
}

/// Makes a rename durable (Unix); Windows has no directory handles to sync.
pub fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_new_and_replaces_keeping_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.ron");
        write(&p, b"one", Options { backup: true, ..Default::default() }).unwrap();
        assert!(!backup_path(&p).exists());
        write(&p, b"two", Options { backup: true, ..Default::default() }).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(fs::read(backup_path(&p)).unwrap(), b"one");
        assert!(temp_files(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_private_and_replaced_ones_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.pdf");
        write(&p, b"x", Options::default()).unwrap();
        assert_eq!(fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
        fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        write(&p, b"y", Options::default()).unwrap();
        assert_eq!(fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn refuses_folders_devices_and_links_unless_asked() {
        let dir = tempfile::tempdir().unwrap();
        let e = write(dir.path(), b"x", Options::default()).unwrap_err();
        assert!(e.message.contains("文件夹"), "{e}");
        let e = write(Path::new("/dev/null"), b"x", Options::default()).unwrap_err();
        assert!(e.message.contains("不是普通文件"), "{e}");
        assert!(!Path::new("/dev/null.bak").exists());
        let victim = dir.path().join("victim.txt");
        fs::write(&victim, "keep").unwrap();
        let link = dir.path().join("link.pdf");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        let e = write(&link, b"x", Options::default()).unwrap_err();
        assert!(e.message.contains("符号链接"), "{e}");
        assert_eq!(fs::read(&victim).unwrap(), b"keep");
        write(&link, b"through", Options { follow_symlink: true, ..Default::default() }).unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"through");
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert!(temp_files(dir.path()).is_empty());
    }

    #[test]
    fn stale_temps_of_dead_processes_go_and_live_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let mine = dir.path().join(format!(".a.ron.{}-1.tmp", std::process::id()));
        fs::write(&mine, "in flight").unwrap();
        // pid 4194304 is above Linux's pid_max: never a live process.
        let dead = dir.path().join(".a.ron.4194304-1.tmp");
        let dead_old_style = dir.path().join(".a.ron.4194304.bak.tmp");
        fs::write(&dead, "").unwrap();
        fs::write(&dead_old_style, "").unwrap();
        write(&dir.path().join("a.ron"), b"x", Options::default()).unwrap();
        assert!(mine.exists(), "a running save's temp file is not touched");
        if cfg!(target_os = "linux") {
            assert!(!dead.exists() && !dead_old_style.exists());
        }
    }

    #[test]
    fn concurrent_writers_never_break_each_other() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.ron");
        std::thread::scope(|s| {
            for t in 0..4u8 {
                let p = &p;
                s.spawn(move || {
                    for i in 0..50u8 {
                        write(p, &[t, i], Options { backup: true, ..Default::default() }).unwrap();
                    }
                });
            }
        });
        assert_eq!(fs::read(&p).unwrap().len(), 2);
        assert!(temp_files(dir.path()).is_empty());
    }
}

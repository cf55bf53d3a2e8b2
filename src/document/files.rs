//! Where the app keeps its own files: the per-user data folder, the recent-files list and the
//! autosave recovery files. Plain `std`.
//!
//! Data folder: `$ZIPIN_DATA_DIR` if set (tests); else `%APPDATA%\zipin` on Windows,
//! `~/Library/Application Support/zipin` on macOS, `$XDG_DATA_HOME/zipin` or
//! `~/.local/share/zipin` elsewhere.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Entries kept in the recent-files list.
pub const RECENT_LIMIT: usize = 10;

pub fn data_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("ZIPIN_DATA_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    if cfg!(windows) {
        if let Some(d) = std::env::var_os("APPDATA").filter(|d| !d.is_empty()) {
            return PathBuf::from(d).join("zipin");
        }
    }
    if cfg!(target_os = "macos") {
        if let Some(h) = std::env::var_os("HOME").filter(|d| !d.is_empty()) {
            return PathBuf::from(h).join("Library/Application Support/zipin");
        }
    }
    if let Some(d) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(d).join("zipin");
    }
    if let Some(h) = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE")).filter(|d| !d.is_empty()) {
        return PathBuf::from(h).join(".local/share/zipin");
    }
    std::env::temp_dir().join("zipin")
}

fn recent_file() -> PathBuf {
    data_dir().join("recent.txt")
}

/// The recent drafts, most recent first (missing files are kept: a USB stick may come back).
pub fn recent() -> Vec<PathBuf> {
    fs::read_to_string(recent_file())
        .map(|s| s.lines().filter(|l| !l.trim().is_empty()).map(PathBuf::from).take(RECENT_LIMIT).collect())
        .unwrap_or_default()
}

/// Moves `path` to the front of the recent list. Failures are ignored: the list is a convenience.
pub fn add_recent(path: &Path) -> Vec<PathBuf> {
    let path = absolute(path);
    let mut list = recent();
    list.retain(|p| p != &path);
    list.insert(0, path);
    list.truncate(RECENT_LIMIT);
    let text: String = list.iter().map(|p| format!("{}\n", p.display())).collect();
    let _ = write_file(&recent_file(), text.as_bytes());
    list
}

pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Zoom of the window in percent, 80–200 (the system's scale factor is 100).
pub const ZOOM_RANGE: std::ops::RangeInclusive<u16> = 80..=200;

fn settings_file() -> PathBuf {
    data_dir().join("settings.txt")
}

/// The zoom last chosen (100 when none, or when the file says something else).
pub fn zoom() -> u16 {
    fs::read_to_string(settings_file())
        .ok()
        .and_then(|s| s.lines().find_map(|l| l.trim().strip_prefix("zoom=")?.trim().parse().ok()))
        .filter(|z| ZOOM_RANGE.contains(z))
        .unwrap_or(100)
}

/// Remembers the zoom. Failures are ignored: a setting is a convenience.
pub fn save_zoom(zoom: u16) {
    let _ = write_file(&settings_file(), format!("zoom={zoom}\n").as_bytes());
}

/// The recovery file for a draft (`None`: the untitled draft).
pub fn recovery_path(draft: Option<&Path>) -> PathBuf {
    let dir = data_dir().join("recovery");
    match draft {
        None => dir.join("untitled.ron"),
        Some(p) => {
            let abs = absolute(p);
            let stem: String = abs
                .file_stem()
                .map(|s| s.to_string_lossy().chars().filter(|c| !matches!(c, '/' | '\\' | ':')).take(40).collect())
                .unwrap_or_default();
            dir.join(format!("{stem}-{:016x}.ron", crate::draft_guard::fnv(abs.to_string_lossy().as_bytes())))
        }
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// A recovery file worth offering: it exists and is newer than the draft (or the draft is gone).
pub fn pending_recovery(draft: Option<&Path>) -> Option<PathBuf> {
    let rec = recovery_path(draft);
    let rec_time = modified(&rec)?;
    match draft.and_then(modified) {
        Some(draft_time) if draft_time >= rec_time => None,
        _ => Some(rec),
    }
}

/// Writes the autosave of a draft.
pub fn write_recovery(draft: Option<&Path>, text: &str) -> std::io::Result<PathBuf> {
    let rec = recovery_path(draft);
    write_file(&rec, text.as_bytes())?;
    Ok(rec)
}

pub fn remove_recovery(draft: Option<&Path>) {
    let _ = fs::remove_file(recovery_path(draft));
}

/// Writes through the one safe-write path ([`crate::safe_write`]), creating the folder (private
/// on Unix).
pub fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        let mut b = fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(dir)?;
    }
    crate::safe_write::write(path, bytes, crate::safe_write::Options::default()).map_err(|e| std::io::Error::new(e.kind, e.message))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Tests that set `ZIPIN_DATA_DIR` run one at a time.
    pub(crate) static ENV: Mutex<()> = Mutex::new(());

    #[test]
    fn recent_list_moves_to_front_and_is_bounded() {
        let _g = ENV.lock().unwrap_or_else(|e| e.into_inner());
        let dir = tempfile::tempdir().unwrap();
        std::env::set_var("ZIPIN_DATA_DIR", dir.path());
        for i in 0..12 {
            add_recent(Path::new(&format!("/tmp/d{i}.ron")));
        }
        let list = add_recent(Path::new("/tmp/d3.ron"));
        assert_eq!(list.len(), RECENT_LIMIT);
        assert_eq!(list[0], PathBuf::from("/tmp/d3.ron"));
        assert_eq!(recent(), list);
        std::env::remove_var("ZIPIN_DATA_DIR");
    }

    #[test]
    fn zoom_is_remembered_within_its_range() {
        let _g = ENV.lock().unwrap_or_else(|e| e.into_inner());
        let dir = tempfile::tempdir().unwrap();
        std::env::set_var("ZIPIN_DATA_DIR", dir.path());
        assert_eq!(zoom(), 100);
        save_zoom(130);
        assert_eq!(zoom(), 130);
        fs::write(dir.path().join("settings.txt"), "zoom=900\n").unwrap();
        assert_eq!(zoom(), 100, "out of range: the default");
        std::env::remove_var("ZIPIN_DATA_DIR");
    }

    #[test]
    fn recovery_is_offered_only_when_newer() {
        let _g = ENV.lock().unwrap_or_else(|e| e.into_inner());
        let dir = tempfile::tempdir().unwrap();
        std::env::set_var("ZIPIN_DATA_DIR", dir.path().join("data"));
        let draft = dir.path().join("a.ron");
        fs::write(&draft, "x").unwrap();
        assert_eq!(pending_recovery(Some(&draft)), None);
        std::thread::sleep(std::time::Duration::from_millis(20));
        write_recovery(Some(&draft), "y").unwrap();
        assert_eq!(pending_recovery(Some(&draft)), Some(recovery_path(Some(&draft))));
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&draft, "z").unwrap();
        assert_eq!(pending_recovery(Some(&draft)), None, "a draft saved after the autosave wins");
        remove_recovery(Some(&draft));
        assert!(!recovery_path(Some(&draft)).exists());
        std::env::remove_var("ZIPIN_DATA_DIR");
    }
}

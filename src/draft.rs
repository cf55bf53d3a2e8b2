//! Drafts: a workbook saved as RON with a schema `version`.
//!
//! Saving goes through [`crate::safe_write`]: the new text goes to a temporary file of its own in
//! the same folder, is flushed to disk (fsync), the previous draft is kept as `NAME.ron.bak`, and
//! only then is the temporary file renamed over the draft. A kill at any moment leaves the draft
//! (or its `.bak`) whole. Loading never writes; a bad file gives an error with line and column; a
//! UTF-8 byte-order mark (Notepad writes one) is skipped.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::Workbook;

/// The schema version this build writes.
///
/// - 1: the workbook.
/// - 2: adds `saved_by` / `saved_at` to the envelope, and the workbook's `explanations` (填报说明)
///   and `carried` (cells carried over from last year, not yet confirmed). A version-1 draft
///   migrates by taking both empty; it is written back as version 2.
/// - 3: adds the workbook's `scope` (the forms the filing comprises: 部门整体, 项目, 附件4). Drafts
///   of versions 1 and 2 read as filing all forms.
pub const CURRENT_VERSION: u32 = 3;
/// Oldest version this build still reads.
pub const OLDEST_VERSION: u32 = 1;

/// Drafts larger than this are refused before parsing (a year's filing is well under 1 MB).
pub const MAX_DRAFT_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Serialize)]
struct DraftOut<'a> {
    version: u32,
    /// The program that wrote the draft ("zipin 0.1.0").
    saved_by: String,
    /// Local time of the save, ISO 8601.
    saved_at: String,
    workbook: &'a Workbook,
}

/// Version 3 (current); drafts of versions 1 and 2 read into it too (they lack `saved_by`/`saved_at`
/// and the workbook's `scope`, which then defaults to all forms).
#[derive(Deserialize)]
struct DraftIn {
    version: u32,
    #[serde(default)]
    #[allow(dead_code)]
    saved_by: String,
    #[serde(default)]
    #[allow(dead_code)]
    saved_at: String,
    workbook: Workbook,
}

/// Version 1: the workbook as it was then. Its fields are a subset of today's, so it reads into
/// today's `Workbook`; `migrate_v1` fills what version 2 added.
mod v1 {
    pub struct Draft {
        #[allow(dead_code)]
        pub version: u32,
        pub workbook: crate::model::Workbook,
    }
}

fn migrate_v1(old: v1::Draft) -> Workbook {
    Workbook { explanations: Vec::new(), carried: Default::default(), scope: crate::model::Scope::ALL, ..old.workbook }
}

#[derive(Deserialize)]
struct VersionProbe {
    version: u32,
}

/// Why a draft could not be read or written. `line`/`col` are 1-based; 0 when not applicable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftError {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for DraftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}:{}: {}", self.path.display(), self.line, self.col, self.message)
        } else {
            write!(f, "{}: {}", self.path.display(), self.message)
        }
    }
}

impl std::error::Error for DraftError {}

pub use crate::display::ron_message;

fn error_at(path: &Path, e: &ron::error::SpannedError) -> DraftError {
    DraftError { path: path.to_path_buf(), line: e.position.line, col: e.position.col, message: ron_message(&e.code) }
}

/// Parses a draft's text. `path` only names the source in errors.
///
/// One pass: every version this build reads has the shape of [`DraftIn`] (older versions lack
/// fields that default), so the text is parsed once and migrated by its `version`. Only when that
/// fails is the text probed for its version alone, so that a draft of a newer program is refused
/// for its version rather than for the field it does not know.
pub fn from_str(path: &Path, text: &str) -> Result<Workbook, DraftError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match ron::from_str::<DraftIn>(text) {
        Ok(d) => {
            check_version(path, text, d.version)?;
            Ok(match d.version {
                1 => migrate_v1(v1::Draft { version: 1, workbook: d.workbook }),
                2 => Workbook { scope: crate::model::Scope::ALL, ..d.workbook },
                _ => d.workbook,
            })
        }
        Err(full) => {
            if let Ok(probe) = ron::from_str::<VersionProbe>(text) {
                check_version(path, text, probe.version)?;
            }
            Err(error_at(path, &full))
        }
    }
}

/// Refuses a version this build does not read, pointing at the `version` field.
fn check_version(path: &Path, text: &str, version: u32) -> Result<(), DraftError> {
    if (OLDEST_VERSION..=CURRENT_VERSION).contains(&version) {
        return Ok(());
    }
    let (line, col) = text
        .find("version")
        .map(|i| {
            let before = &text[..i];
            (before.matches('\n').count() + 1, before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1)
        })
        .unwrap_or((1, 1));
    Err(DraftError {
        path: path.to_path_buf(),
        line,
        col,
        message: format!("不支持的草稿版本 {version}（本程序可读取版本 {OLDEST_VERSION}–{CURRENT_VERSION}，请升级程序）"),
    })
}

/// Reads a draft. Never writes to `path`.
pub fn load(path: &Path) -> Result<Workbook, DraftError> {
    let io = |e: std::io::Error| DraftError { path: path.to_path_buf(), line: 0, col: 0, message: io_message(&e) };
    let size = fs::metadata(path).map_err(io)?.len();
    if size > MAX_DRAFT_BYTES {
        return Err(DraftError {
            path: path.to_path_buf(),
            line: 0,
            col: 0,
            message: format!("文件过大（{} MB），不是有效的草稿", size / 1024 / 1024),
        });
    }
    let bytes = fs::read(path).map_err(io)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let valid = String::from_utf8_lossy(valid);
        DraftError {
            path: path.to_path_buf(),
            line: valid.matches('\n').count() + 1,
            col: valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
            message: "文件不是有效的 UTF-8 文本".into(),
        }
    })?;
    from_str(path, &text)
}

/// The draft's text.
pub fn to_string(workbook: &Workbook) -> String {
    let config = ron::ser::PrettyConfig::new().indentor("  ".to_string()).struct_names(false);
    let out = DraftOut {
        version: CURRENT_VERSION,
        saved_by: format!("zipin {}", env!("CARGO_PKG_VERSION")),
        saved_at: chrono::Local::now().format("%Y-%m-%dT%H:%M:%S").to_string(),
        workbook,
    };
    ron::ser::to_string_pretty(&out, config)
        .expect("a workbook always serialises")
}

pub use crate::safe_write::{backup_path, io_message};

/// Saves through the one safe-write path ([`crate::safe_write`]: exclusive temporary file, fsync,
/// rename), keeping the previous file as `NAME.ron.bak`. A symbolic link is written through (the
/// window's file dialogs and the CLI's `--force` ask for that).
pub fn save(path: &Path, workbook: &Workbook) -> Result<(), DraftError> {
    write_atomic(path, to_string(workbook).as_bytes())
}

/// Writes `bytes` to `path` through [`crate::safe_write`], keeping the previous file as `.bak`.
/// New files are private to the user (mode 0600 on Unix); a replaced file keeps its mode.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), DraftError> {
    crate::safe_write::write(path, bytes, crate::safe_write::Options { backup: true, follow_symlink: true }).map_err(DraftError::from)
}

impl From<crate::safe_write::WriteError> for DraftError {
    fn from(e: crate::safe_write::WriteError) -> DraftError {
        DraftError { path: e.path, line: 0, col: 0, message: e.message }
    }
}

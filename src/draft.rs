//! Drafts: a workbook saved as RON with a schema `version`.
//!
//! Saving is atomic: the new text goes to a temporary file in the same folder, is flushed to disk
//! (fsync), the previous draft is kept as `NAME.ron.bak`, and only then is the temporary file
//! renamed over the draft. A kill at any moment leaves the draft (or its `.bak`) whole.
//! Loading never writes; a bad file gives an error with line and column.

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::Workbook;

/// The schema version this build writes.
///
/// - 1: the workbook.
/// - 2: adds `saved_by` / `saved_at` to the envelope, and the workbook's `explanations` (填报说明)
///   and `carried` (cells carried over from last year, not yet confirmed). A version-1 draft
///   migrates by taking both empty; it is written back as version 2.
pub const CURRENT_VERSION: u32 = 2;
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

/// Version 2 (current).
#[derive(Deserialize)]
struct DraftIn {
    #[allow(dead_code)]
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
    #[derive(serde::Deserialize)]
    pub struct Draft {
        #[allow(dead_code)]
        pub version: u32,
        pub workbook: crate::model::Workbook,
    }
}

fn migrate_v1(old: v1::Draft) -> Workbook {
    Workbook { explanations: Vec::new(), carried: Default::default(), ..old.workbook }
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

/// A Chinese description of a RON error, saying what was expected.
pub fn ron_message(code: &ron::Error) -> String {
    use ron::Error as E;
    match code {
        E::Eof => "文件意外结束（可能被截断）".into(),
        E::ExpectedArray => "此处应为列表 [...]".into(),
        E::ExpectedArrayEnd => "列表缺少结尾的 ]".into(),
        E::ExpectedBoolean => "此处应为 true 或 false".into(),
        E::ExpectedComma => "此处缺少逗号".into(),
        E::ExpectedFloat | E::ExpectedInteger => "此处应为数字".into(),
        E::IntegerOutOfBounds => "数字超出范围".into(),
        E::ExpectedOption => "此处应为 Some(...) 或 None".into(),
        E::ExpectedMap | E::ExpectedMapColon | E::ExpectedMapEnd => "映射 {...} 格式有误".into(),
        E::ExpectedStructLike | E::ExpectedNamedStructLike(_) => "此处应为 (...) 结构".into(),
        E::ExpectedStructLikeEnd => "结构缺少结尾的 )".into(),
        E::ExpectedString | E::ExpectedStringEnd => "此处应为带引号的文字 \"...\"".into(),
        E::ExpectedIdentifier => "此处应为字段名".into(),
        E::UnexpectedChar(c) => format!("意外的字符“{c}”"),
        E::Utf8Error(_) => "文件不是有效的 UTF-8 文本".into(),
        E::MissingStructField { field, .. } => format!("缺少字段 {field}"),
        E::NoSuchStructField { found, expected, .. } => {
            format!("未知字段 {found}（可用字段：{}）", expected.join(", "))
        }
        E::NoSuchEnumVariant { found, expected, .. } => format!("未知取值 {found}（可用：{}）", expected.join(", ")),
        E::DuplicateStructField { field, .. } => format!("字段 {field} 重复"),
        E::ExceededRecursionLimit => "嵌套层数过深".into(),
        E::InvalidValueForType { expected, found } => format!("取值 {found} 无效，应为{expected}"),
        E::Message(m) => translate_serde_message(m),
        other => format!("格式错误：{other}"),
    }
}

/// serde's own messages ("invalid type: string \"x\", expected u32") in Chinese, keeping the detail.
fn translate_serde_message(m: &str) -> String {
    if m.starts_with("invalid type") {
        format!("类型不符：{m}")
    } else if m.starts_with("invalid value") {
        format!("取值无效（数值过大或格式不对）：{m}")
    } else {
        format!("格式错误：{m}")
    }
}

fn error_at(path: &Path, e: &ron::error::SpannedError) -> DraftError {
    DraftError { path: path.to_path_buf(), line: e.position.line, col: e.position.col, message: ron_message(&e.code) }
}

/// Parses a draft's text. `path` only names the source in errors.
pub fn from_str(path: &Path, text: &str) -> Result<Workbook, DraftError> {
    let version = match ron::from_str::<VersionProbe>(text) {
        Ok(v) => v.version,
        Err(e) => {
            // A syntax error anywhere makes the probe fail too; report it as such.
            return Err(match ron::from_str::<DraftIn>(text) {
                Err(full) => error_at(path, &full),
                Ok(_) => error_at(path, &e),
            });
        }
    };
    if !(OLDEST_VERSION..=CURRENT_VERSION).contains(&version) {
        let (line, col) = text
            .find("version")
            .map(|i| {
                let before = &text[..i];
                (before.matches('\n').count() + 1, before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1)
            })
            .unwrap_or((1, 1));
        return Err(DraftError {
            path: path.to_path_buf(),
            line,
            col,
            message: format!("不支持的草稿版本 {version}（本程序可读取版本 {OLDEST_VERSION}–{CURRENT_VERSION}，请升级程序）"),
        });
    }
    match version {
        1 => ron::from_str::<v1::Draft>(text).map(migrate_v1).map_err(|e| error_at(path, &e)),
        _ => ron::from_str::<DraftIn>(text).map(|d| d.workbook).map_err(|e| error_at(path, &e)),
    }
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

/// A user-facing description of an I/O error.
pub fn io_message(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
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

/// The backup kept beside a draft: `NAME.ron.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(".bak");
    PathBuf::from(s)
}

/// Saves atomically (temp file + fsync + rename), keeping the previous file as `NAME.ron.bak`.
pub fn save(path: &Path, workbook: &Workbook) -> Result<(), DraftError> {
    write_atomic(path, to_string(workbook).as_bytes())
}

/// Writes `bytes` to `path` atomically, keeping the previous file as `.bak`. Files are private
/// to the user (mode 0600 on Unix).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), DraftError> {
    let err = |e: std::io::Error| DraftError { path: path.to_path_buf(), line: 0, col: 0, message: io_message(&e) };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "draft".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = create_private(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        if path.exists() {
            // Copy, not rename: the draft itself must exist at every moment.
            let bak = backup_path(path);
            let bak_tmp = dir.join(format!(".{name}.{}.bak.tmp", std::process::id()));
            let mut b = create_private(&bak_tmp)?;
            b.write_all(&fs::read(path)?)?;
            b.sync_all()?;
            drop(b);
            fs::rename(&bak_tmp, &bak)?;
        }
        fs::rename(&tmp, path)?;
        sync_dir(&dir);
        remove_stale_temps(&dir, &name);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(err)
}

/// Temporary files left by a save that was killed half-way (`.NAME.<pid>.tmp`, `.NAME.<pid>.bak.tmp`).
fn remove_stale_temps(dir: &Path, name: &str) {
    let prefix = format!(".{name}.");
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        if file.starts_with(&prefix) && file.ends_with(".tmp") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn create_private(path: &Path) -> std::io::Result<fs::File> {
    let mut o = fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// Makes the rename durable (Unix); Windows has no directory handles to sync.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

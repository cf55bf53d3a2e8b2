//! Issue #13: no command destroys a file it was not asked to write. One test per numbered
//! reproduction of the issue, each run against the real binary: the exit code, the message, and
//! every file that was there before byte-identical afterwards (or the new file complete).
//!
//! The two-window case in the window itself is `ui::reliability_tests::two_windows_on_one_draft`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/templates/examples/miluo-2023.ron");

/// Runs zipin in `dir`.
fn zipin(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zipin")).current_dir(dir).args(args).output().expect("run zipin")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file in `dir` with its bytes (links as "-> target").
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            let kind = e.file_type().unwrap();
            let bytes = if kind.is_symlink() {
                format!("-> {}", fs::read_link(e.path()).unwrap().display()).into_bytes()
            } else if kind.is_file() {
                fs::read(e.path()).unwrap()
            } else {
                b"(not a file)".to_vec()
            };
            (name, bytes)
        })
        .collect();
    v.sort();
    v
}

/// The command was refused: exit 2, `message` on stderr, and `dir` exactly as before.
fn assert_refused(out: &Output, message: &str, dir: &Path, before: &[(String, Vec<u8>)]) {
    assert_eq!(out.status.code(), Some(2), "stderr: {}", stderr(out));
    assert!(stderr(out).contains(message), "expected “{message}” in: {}", stderr(out));
    assert!(stderr(out).starts_with("错误："), "{}", stderr(out));
    assert!(snapshot(dir) == before, "files changed: before {:?}, after {:?}", names(before), names(&snapshot(dir)));
}

fn names(files: &[(String, Vec<u8>)]) -> Vec<&str> {
    files.iter().map(|(n, _)| n.as_str()).collect()
}

fn sample_in(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    fs::copy(SAMPLE, &p).unwrap();
    p
}

fn is_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-") && bytes.trim_ascii_end().ends_with(b"%%EOF")
}

fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") && zip::ZipArchive::new(std::io::Cursor::new(bytes)).is_ok()
}

/// 1. `export in.ron -o in.ron` and `-o notes.txt`: the draft is never turned into a PDF.
#[test]
fn export_refuses_its_input_other_drafts_and_unknown_formats() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sample_in(d, "in.ron");
    fs::write(d.join("notes.txt"), "my notes").unwrap();
    // A draft whose name looks like an export.
    sample_in(d, "draft.pdf");
    let before = snapshot(d);
    assert_refused(&zipin(d, &["export", "in.ron", "-o", "in.ron"]), "不支持导出为“.ron”", d, &before);
    assert_refused(&zipin(d, &["export", "in.ron", "-o", "notes.txt"]), "不支持导出为“.txt”", d, &before);
    assert_refused(&zipin(d, &["export", "in.ron", "-o", "new.txt"]), "应以 .pdf、.xlsx 或 .docx 结尾", d, &before);
    assert_refused(&zipin(d, &["export", "in.ron", "-o", "noext"]), "没有扩展名", d, &before);
    assert_refused(&zipin(d, &["export", "draft.pdf", "-o", "draft.pdf"]), "就是要导出的草稿本身", d, &before);
    assert_refused(&zipin(d, &["export", "in.ron", "-o", "draft.pdf"]), "是一份绩效自评草稿", d, &before);
    // Asked for: --force replaces it.
    let out = zipin(d, &["export", "in.ron", "-o", "draft.pdf", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(is_pdf(&fs::read(d.join("draft.pdf")).unwrap()));
    // Upper-case extensions choose too.
    let out = zipin(d, &["export", "in.ron", "-o", "OUT.XLSX"]);
    assert!(out.status.success() && is_xlsx(&fs::read(d.join("OUT.XLSX")).unwrap()), "{}", stderr(&out));
}

/// 2. `rollover d.ron -o d.ron` twice, `new -o filled.ron`: refused without --force; with it the
/// old file is the `.bak`.
#[test]
fn draft_commands_refuse_an_existing_file_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let draft = sample_in(d, "d.ron");
    let original = fs::read(&draft).unwrap();
    let before = snapshot(d);
    for _ in 0..2 {
        assert_refused(&zipin(d, &["rollover", "d.ron", "-o", "d.ron"]), "d.ron 已存在，未写入", d, &before);
    }
    assert_refused(&zipin(d, &["new", "--year", "2024", "--unit", "x", "-o", "d.ron"]), "--force", d, &before);
    assert_refused(&zipin(d, &["sample", "-o", "d.ron"]), "已存在", d, &before);
    assert_refused(&zipin(d, &["gen", "--projects", "1", "-o", "d.ron"]), "已存在", d, &before);

    let out = zipin(d, &["rollover", "d.ron", "-o", "d.ron", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(fs::read(d.join("d.ron.bak")).unwrap(), original, "the year rolled over is kept as .bak");
    assert_eq!(zipin::draft::load(&draft).unwrap().year, 2024);
    // A new name needs no --force.
    let out = zipin(d, &["new", "--year", "2024", "--unit", "x", "-o", "fresh.ron"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// 3. A device, a FIFO, a folder: refused at once, nothing created beside them.
#[cfg(unix)]
#[test]
fn devices_fifos_and_folders_are_refused() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let null_bak_before = Path::new("/dev/null.bak").exists();
    let out = zipin(d, &["sample", "-o", "/dev/null"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("不是普通文件"), "{}", stderr(&out));
    assert!(fs::metadata("/dev/null").unwrap().file_type().is_char_device());
    assert_eq!(Path::new("/dev/null.bak").exists(), null_bak_before, "no /dev/null.bak");

    assert!(Command::new("mkfifo").arg(d.join("f.ron")).status().unwrap().success());
    fs::create_dir(d.join("somedir")).unwrap();
    fs::create_dir(d.join("somedir.pdf")).unwrap();
    let before = snapshot(d);
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_zipin"))
        .current_dir(d)
        .args(["sample", "-o", "f.ron", "--force"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("zipin hangs on a FIFO");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    assert_refused(&out, "不是普通文件", d, &before);
    assert!(fs::metadata(d.join("f.ron")).unwrap().file_type().is_fifo());
    assert_refused(&zipin(d, &["sample", "-o", "somedir", "--force"]), "这是一个文件夹", d, &before);
    assert_refused(&zipin(d, &["export", SAMPLE, "-o", "somedir.pdf", "--force"]), "这是一个文件夹", d, &before);
}

/// 4. Export's temporary file is its own, created exclusively: a link planted at the old fixed
/// name is not followed, a link at the output is refused unless --force, and two exports to the
/// same stem at once each write their own format.
#[cfg(unix)]
#[test]
fn export_writes_through_its_own_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("victim.txt"), "precious").unwrap();
    std::os::unix::fs::symlink("victim.txt", d.join("o.export.tmp")).unwrap();
    let out = zipin(d, &["export", SAMPLE, "-o", "o.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(fs::read(d.join("victim.txt")).unwrap(), b"precious");
    assert!(is_pdf(&fs::read(d.join("o.pdf")).unwrap()));

    std::os::unix::fs::symlink("victim.txt", d.join("link.pdf")).unwrap();
    let before = snapshot(d);
    assert_refused(&zipin(d, &["export", SAMPLE, "-o", "link.pdf"]), "符号链接", d, &before);
    let out = zipin(d, &["export", SAMPLE, "-o", "link.pdf", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(is_pdf(&fs::read(d.join("victim.txt")).unwrap()), "--force writes the file the link points to");
    assert!(fs::symlink_metadata(d.join("link.pdf")).unwrap().file_type().is_symlink(), "the link stays");

    for round in 0..4 {
        let spawn = |out: &str| Command::new(env!("CARGO_BIN_EXE_zipin")).current_dir(d).args(["export", SAMPLE, "-o", out]).output();
        let (pdf, xlsx) = std::thread::scope(|s| {
            let a = s.spawn(|| spawn("o.pdf").unwrap());
            let b = s.spawn(|| spawn("o.xlsx").unwrap());
            (a.join().unwrap(), b.join().unwrap())
        });
        assert!(pdf.status.success() && xlsx.status.success(), "round {round}: {} {}", stderr(&pdf), stderr(&xlsx));
        assert!(is_pdf(&fs::read(d.join("o.pdf")).unwrap()), "round {round}: o.pdf holds a PDF");
        assert!(is_xlsx(&fs::read(d.join("o.xlsx")).unwrap()), "round {round}: o.xlsx holds a workbook");
    }
    assert!(zipin::safe_write::temp_files(d).iter().all(|t| t == "o.export.tmp"), "only the planted link: {:?}", zipin::safe_write::temp_files(d));
}

/// 5. Concurrent saves: each with its own temporary file, none fails because of another; the
/// draft is always one whole version. (The windows' lock and on-disk check: see the module doc.)
#[test]
fn concurrent_saves_never_break_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sample_in(d, "d.ron");
    for round in 0..6 {
        let outs: Vec<Output> = std::thread::scope(|s| {
            let a = s.spawn(|| zipin(d, &["sample", "-o", "d.ron", "--force"]));
            let b = s.spawn(|| zipin(d, &["gen", "--projects", "2", "--indicators", "12", "-o", "d.ron", "--force"]));
            let c = s.spawn(|| zipin(d, &["rollover", SAMPLE, "-o", "d.ron", "--force"]));
            vec![a.join().unwrap(), b.join().unwrap(), c.join().unwrap()]
        });
        for o in &outs {
            assert!(o.status.success(), "round {round}: {}", stderr(o));
        }
        zipin::draft::load(&d.join("d.ron")).unwrap();
        zipin::draft::load(&d.join("d.ron.bak")).unwrap();
    }
    assert!(zipin::safe_write::temp_files(d).is_empty(), "{:?}", zipin::safe_write::temp_files(d));
}

/// 6. No display: the app's own message, exit 2, no panic.
#[cfg(all(feature = "gui", unix, not(target_os = "macos")))]
#[test]
fn no_display_gives_the_apps_message() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sample_in(d, "s.ron");
    let before = snapshot(d);
    let out = Command::new(env!("CARGO_BIN_EXE_zipin"))
        .current_dir(d)
        .args(["open", "s.ron"])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("ZIPIN_DATA_DIR", d.join("data"))
        .output()
        .unwrap();
    assert_refused(&out, "没有图形显示", d, &before);
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    // A display that is set but not there: the window library panics; the app reports it.
    let out = Command::new(env!("CARGO_BIN_EXE_zipin"))
        .current_dir(d)
        .args(["open", "s.ron"])
        .env("DISPLAY", ":9999")
        .env_remove("WAYLAND_DISPLAY")
        .env("ZIPIN_DATA_DIR", d.join("data"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).starts_with("错误：无法打开窗口：图形界面启动失败"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    assert!(!d.join(".s.ron.lock").exists());
}

/// 7. XLSX takes any project name and any text length.
#[test]
fn xlsx_takes_any_project_name_and_over_long_text() {
    use calamine::{DataType, Reader};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut wb = zipin::sample::miluo_2023();
    let first = wb.projects[0].clone();
    wb.projects = ["'开头引号'", "abc", "ABC", "[a]:*?/\\b", &"很长的项目名称".repeat(8), &"很长的项目名称".repeat(8)]
        .iter()
        .map(|n| zipin::model::ProjectSelfEval { name: n.to_string(), ..first.clone() })
        .collect();
    wb.department.goal_expected = "年度总体目标".repeat(6000);
    zipin::draft::save(&d.join("w.ron"), &wb).unwrap();
    let out = zipin(d, &["export", "w.ron", "-o", "w.xlsx"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("已截断"), "a note on the cut text: {}", stderr(&out));
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(d.join("w.xlsx")).unwrap();
    let sheets = book.sheet_names();
    assert_eq!(sheets.len(), 2 + wb.projects.len(), "{sheets:?}");
    let lower: std::collections::BTreeSet<String> = sheets.iter().map(|s| s.to_lowercase()).collect();
    assert_eq!(lower.len(), sheets.len(), "unique ignoring case: {sheets:?}");
    for s in &sheets {
        assert!(s.chars().count() <= 31 && !s.starts_with('\'') && !s.ends_with('\'') && !s.contains(['[', ']', ':', '*', '?', '/', '\\']), "{s}");
    }
    let a2 = book.worksheet_range("附件2").unwrap();
    let cut = a2.cells().find_map(|(_, _, c)| c.as_string().filter(|s| s.contains("内容过长")));
    assert!(cut.is_some_and(|s| s.chars().count() == 32_767), "the goal text is cut with a visible marker");
}

/// 8. gen is bounded, and what it may write loads.
#[test]
fn gen_is_bounded_below_the_draft_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let before = snapshot(d);
    for args in [&["--projects", "5000"][..], &["--projects", "1000000000"], &["--indicators", "100000"], &["--projects", "1000", "--indicators", "200"]] {
        let started = Instant::now();
        let out = zipin(d, &[&["gen", "-o", "big.ron"][..], args].concat());
        assert_refused(&out, "gen 最多生成 2000 个项目、每表 200 行指标、共 100000 行指标", d, &before);
        assert!(started.elapsed() < Duration::from_secs(10));
    }
    // The largest allowed draft stays under the load limit: measure the size a project adds.
    let size = |projects: &str| {
        let name = format!("g{projects}.ron");
        let out = zipin(d, &["gen", "--projects", projects, "--indicators", "200", "-o", &name]);
        assert!(out.status.success(), "{}", stderr(&out));
        fs::metadata(d.join(&name)).unwrap().len()
    };
    let (s2, s4) = (size("2"), size("4"));
    let per_row = (s4 - s2) / 2 / 200;
    let largest = s2 + per_row * zipin::sample::GEN_MAX_ROWS as u64;
    assert!(largest < zipin::draft::MAX_DRAFT_BYTES, "gen's largest draft ≈ {} MB", largest / 1024 / 1024);
    let out = zipin(d, &["check", "g4.ron"]);
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// 9. Profiles: a negative weight is refused; the header names the file used.
#[test]
fn profile_weights_are_not_negative_and_the_header_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/profiles/hunan-2023.ron")).unwrap();
    let bad = text
        .replace("exec_weight: 10", "exec_weight: -10")
        .replace("(name: \"产出指标\", weight: 30", "(name: \"产出指标\", weight: 50");
    assert_ne!(bad, text);
    fs::write(d.join("bad.ron"), bad).unwrap();
    fs::write(d.join("mine.ron"), &text).unwrap();
    let before = snapshot(d);
    assert_refused(&zipin(d, &["score", SAMPLE, "--profile", "bad.ron"]), "不能为负数", d, &before);
    let out = zipin(d, &["score", SAMPLE, "--profile", "mine.ron"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let head = String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or_default().to_string();
    assert!(head.contains("评价规则 hunan-2023（文件 mine.ron）"), "{head}");
}

/// 10. The smaller ones: BOM, modes, the template's name, the year, the PDF's metadata.
#[test]
fn bom_modes_template_year_and_pdf_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut bom = "\u{feff}".as_bytes().to_vec();
    bom.extend(fs::read(SAMPLE).unwrap());
    fs::write(d.join("bom.ron"), &bom).unwrap();
    let out = zipin(d, &["check", "bom.ron"]);
    assert_eq!(out.status.code(), Some(1), "loads (the sample has errors): {}", stderr(&out));

    let before = snapshot(d);
    assert_refused(&zipin(d, &["report", "bom.ron", "--template", "missing.txt"]), "无法读取报告模板 missing.txt", d, &before);
    assert_refused(&zipin(d, &["new", "--year", "0", "--unit", "x", "-o", "y0.ron"]), "年度 0 无效", d, &before);

    let out = zipin(d, &["export", "bom.ron", "-o", "a.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = fs::read(d.join("a.pdf")).unwrap();
    let text = String::from_utf8_lossy(&pdf);
    assert!(!text.contains("GTS_PDFXVersion"), "no PDF/X key");
    assert!(!text.contains("D:19700101"), "a real creation date");
    let year = chrono::Utc::now().format("D:%Y").to_string();
    assert!(text.contains(&format!("/CreationDate({year}")) || text.contains(&format!("/CreationDate ({year}")), "CreationDate this year");
    assert!(text.contains("/Producer"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &str| fs::metadata(d.join(p)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode("a.pdf"), 0o600, "a new export is private");
        let out = zipin(d, &["export", "bom.ron", "-o", "a.xlsx"]);
        assert!(out.status.success());
        assert_eq!(mode("a.xlsx"), 0o600);
        fs::set_permissions(d.join("a.pdf"), fs::Permissions::from_mode(0o640)).unwrap();
        assert!(zipin(d, &["export", "bom.ron", "-o", "a.pdf"]).status.success());
        assert_eq!(mode("a.pdf"), 0o640, "a replaced export keeps its mode");
    }
}

/// 11. XLSX printing: A4, one page wide, print titles, margins, row heights, labelled amounts as
/// numbers. (Rendered by LibreOffice by hand: see the README.)
#[test]
fn xlsx_page_setup_row_heights_and_numbers() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = zipin(d, &["export", SAMPLE, "-o", "s.xlsx"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = fs::read(d.join("s.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut part = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let workbook = part("xl/workbook.xml");
    let styles = part("xl/styles.xml");
    assert!(styles.contains("按支出性质分：&quot;0.00") || styles.contains("按支出性质分：\"0.00"), "the labelled amount's format");
    for n in 1..=3 {
        let sheet = part(&format!("xl/worksheets/sheet{n}.xml"));
        assert!(sheet.contains("<pageSetUpPr fitToPage=\"1\"/>"), "sheet{n}: fit to page");
        assert!(!sheet.contains("fitToWidth="), "sheet{n}: fitToWidth is its default, 1");
        assert!(sheet.contains("paperSize=\"9\""), "sheet{n}: A4");
        assert!(sheet.contains("fitToHeight=\"0\""), "sheet{n}: one page wide, as many tall as needed");
        assert!(sheet.contains("<pageMargins left=\"0.59\""), "sheet{n}: margins");
        assert!(sheet.contains("customHeight=\"1\""), "sheet{n}: rows as tall as their text");
    }
    assert!(workbook.contains("_xlnm.Print_Titles"), "header rows repeat on every page");
    let a2 = part("xl/worksheets/sheet2.xml");
    assert!(a2.contains("<v>1005.67</v>"), "按支出性质分：1005.67 is a number");
}

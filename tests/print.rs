//! `zipin printers` and `zipin print` (Unix: CUPS over IPP).
//!
//! Always: bad input and a missing print service give a clear message and exit 2 within seconds.
//! With a CUPS server and the cups-pdf queue `zipin-pdf` (`scripts/test.sh` sets them up through
//! `cups_start` in scripts/lib.sh and sets `ZIPIN_REQUIRE_CUPS=1`, which makes their absence a
//! failure): the pages that arrive at the printer are the exported pages — same count, and each
//! page rendered by pdftoppm close to the export's (cups-pdf re-renders the fonts as Type 3
//! without usable text, so pictures are compared, by RMSE).
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/templates/examples/miluo-2023.ron");
const QUEUE: &str = "zipin-pdf";

fn zipin(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zipin"));
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run zipin")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn no_print_service_is_a_clear_message_not_a_hang() {
    // A closed port, and a socket that does not exist.
    for server in ["127.0.0.1:1", "/nonexistent/cups.sock"] {
        for args in [&["printers"][..], &["print", SAMPLE][..]] {
            let t0 = Instant::now();
            let o = zipin(args, &[("CUPS_SERVER", server)]);
            let took = t0.elapsed();
            assert_eq!(o.status.code(), Some(2), "{args:?} with CUPS_SERVER={server}: {}", stderr(&o));
            let e = stderr(&o);
            assert!(e.starts_with("错误：没有找到打印服务（CUPS）"), "{e}");
            assert!(e.contains(server), "names the server: {e}");
            assert!(took < Duration::from_secs(5), "{args:?} took {took:?}");
        }
    }
}

#[test]
fn bad_input_is_refused_before_printing() {
    let cases: &[(&[&str], &str)] = &[
        (&["--copies", "0"], "份数“0”无效"),
        (&["--copies", "many"], "份数“many”无效"),
        (&["--pages", "3-1"], "前大后小"),
        (&["--pages", "x"], "页码范围“x”"),
        (&["--projects", "0"], "项目序号“0”无效"),
    ];
    for (extra, expected) in cases {
        let mut args = vec!["print", SAMPLE];
        args.extend_from_slice(extra);
        // No server is reached: the input is read first.
        let o = zipin(&args, &[("CUPS_SERVER", "127.0.0.1:1")]);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(expected), "{args:?}: {}", stderr(&o));
    }
    // A final copy with errors: refused like export, exit 1, before any printer is asked.
    let o = zipin(&["print", SAMPLE, "--final"], &[("CUPS_SERVER", "127.0.0.1:1")]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("不能打印正式版"), "{}", stderr(&o));
    let o = zipin(&["print", "/nonexistent/draft.ron"], &[]);
    assert_eq!(o.status.code(), Some(2));
}

/// Whether this machine has the CUPS queue; with ZIPIN_REQUIRE_CUPS=1 it must.
fn cups_queue() -> Option<PathBuf> {
    let required = std::env::var("ZIPIN_REQUIRE_CUPS").is_ok_and(|v| v == "1");
    let o = zipin(&["printers"], &[]);
    let has_queue = o.status.success() && stdout(&o).lines().any(|l| l.get(2..).is_some_and(|n| n.split('\t').next() == Some(QUEUE)));
    let dir = std::env::var_os("ZIPIN_CUPS_PDF_DIR").map(PathBuf::from);
    match (has_queue, dir) {
        (true, Some(dir)) => Some(dir),
        _ if required => panic!(
            "ZIPIN_REQUIRE_CUPS=1 but no CUPS queue {QUEUE} with ZIPIN_CUPS_PDF_DIR set (zipin printers: {} {})",
            stdout(&o),
            stderr(&o)
        ),
        _ => {
            eprintln!("SKIPPED: no CUPS queue {QUEUE} (run scripts/test.sh, or `. scripts/lib.sh; cups_start`)");
            None
        }
    }
}

/// The PDFs in `dir` with their modification times (cups-pdf names a file after the job's title,
/// so a second job of the same document replaces the first's file).
fn pdfs(dir: &Path) -> Vec<(PathBuf, Option<std::time::SystemTime>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
                .map(|p| {
                    let t = std::fs::metadata(&p).and_then(|m| m.modified()).ok();
                    (p, t)
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The PDF cups-pdf writes for the job just sent: a new or rewritten file in `dir`, complete
/// (pdfinfo reads it and its size holds still), within 90 s.
fn arrived(dir: &Path, before: &[(PathBuf, Option<std::time::SystemTime>)]) -> PathBuf {
    let t0 = Instant::now();
    let mut last: Option<(PathBuf, u64)> = None;
    while t0.elapsed() < Duration::from_secs(90) {
        if let Some((p, _)) = pdfs(dir).into_iter().find(|f| !before.contains(f)) {
            let size = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
            if size > 0 && last.as_ref() == Some(&(p.clone(), size)) && pages(&p).is_some() {
                return p;
            }
            last = Some((p, size));
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    panic!("no PDF arrived in {} within 90 s (cups-pdf; see /var/log/cups/error_log)", dir.display());
}

fn pages(pdf: &Path) -> Option<usize> {
    let o = Command::new("pdfinfo").arg(pdf).output().ok()?;
    String::from_utf8_lossy(&o.stdout).lines().find_map(|l| l.strip_prefix("Pages:").and_then(|n| n.trim().parse().ok()))
}

/// Each page of `pdf` as a grey picture at 40 dpi (pdftoppm, PGM).
fn pictures(pdf: &Path, out: &Path, prefix: &str) -> Vec<(usize, usize, Vec<u8>)> {
    let root = out.join(prefix);
    let s = Command::new("pdftoppm").args(["-r", "40", "-gray"]).arg(pdf).arg(&root).stderr(std::process::Stdio::null()).status().expect("pdftoppm (poppler-utils)");
    assert!(s.success());
    let mut files: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(&format!("{prefix}-")))
        .collect();
    files.sort_by_key(|p| {
        let name = p.file_stem().unwrap().to_string_lossy().into_owned();
        name.rsplit('-').next().unwrap().parse::<usize>().unwrap()
    });
    files.iter().map(|p| pgm(&std::fs::read(p).unwrap())).collect()
}

/// A binary PGM (P5, 8-bit): width, height, pixels.
fn pgm(b: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut fields = Vec::new();
    let mut i = 2;
    assert_eq!(&b[..2], b"P5");
    while fields.len() < 3 {
        while b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b[i] == b'#' {
            while b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        let start = i;
        while !b[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(std::str::from_utf8(&b[start..i]).unwrap().parse::<usize>().unwrap());
    }
    let (w, h) = (fields[0], fields[1]);
    (w, h, b[i + 1..i + 1 + w * h].to_vec())
}

/// Root-mean-square difference of two pictures, 0 (same) … 1; differing sizes count as 1.
fn rmse(a: &(usize, usize, Vec<u8>), b: &(usize, usize, Vec<u8>)) -> f64 {
    if (a.0, a.1) != (b.0, b.1) {
        return 1.0;
    }
    let sum: f64 = a.2.iter().zip(&b.2).map(|(&x, &y)| ((x as f64 - y as f64) / 255.0).powi(2)).sum();
    (sum / a.2.len() as f64).sqrt()
}

/// How much ink a page carries: the mean darkness, 0 (white) … 1.
fn ink(p: &(usize, usize, Vec<u8>)) -> f64 {
    p.2.iter().map(|&x| (255 - x) as f64 / 255.0).sum::<f64>() / p.2.len().max(1) as f64
}

/// The same ink within 8 %: cups-pdf's pages measure within 1.5 % of the export's, while a page
/// with its rules but without its text (e.g. a font the driver dropped) has 30–50 % less, which
/// RMSE alone, on a mostly white page, would not always tell.
fn same_ink(a: &(usize, usize, Vec<u8>), b: &(usize, usize, Vec<u8>)) -> bool {
    (ink(a) - ink(b)).abs() <= 0.08 * ink(a)
}

/// Same page: ≈ 0.03–0.10 (cups-pdf's Ghostscript re-rendering); another page: ≈ 0.27–0.32.
const SAME_PAGE: f64 = 0.17;

#[test]
fn printed_pages_are_the_exported_pages() {
    let Some(dir) = cups_queue() else { return };
    let work = tempfile::tempdir().unwrap();
    let export = work.path().join("export.pdf");
    let o = zipin(&["export", SAMPLE, "-o", export.to_str().unwrap()], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let exported = pages(&export).expect("pdfinfo reads the export");
    assert!(exported >= 3, "{exported} pages");
    let expected = pictures(&export, work.path(), "export");
    assert_eq!(expected.len(), exported);

    // All pages, to the queue by name.
    let before = pdfs(&dir);
    let t0 = Instant::now();
    let o = zipin(&["print", SAMPLE, "--printer", QUEUE], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with(&format!("已发送到打印机 {QUEUE}：{exported} 页")), "{}", stdout(&o));
    assert!(stderr(&o).contains("草稿"), "the sample has errors: a draft is printed");
    let printed = arrived(&dir, &before);
    eprintln!("job arrived in {:.1} s: {}", t0.elapsed().as_secs_f64(), printed.display());
    assert_eq!(pages(&printed), Some(exported), "printed pages = exported pages");
    let got = pictures(&printed, work.path(), "printed");
    assert_eq!(got.len(), exported);
    for (i, (e, g)) in expected.iter().zip(&got).enumerate() {
        let same = rmse(e, g);
        let other = rmse(&expected[(i + 1) % exported], g);
        eprintln!(
            "page {}: RMSE {same:.3} against the exported page, {other:.3} against the next one; ink {:.4} printed, {:.4} exported",
            i + 1,
            ink(g),
            ink(e)
        );
        assert!(same < SAME_PAGE, "page {} differs from the export (RMSE {same:.3})", i + 1);
        assert!(same_ink(e, g), "page {} has not the export's ink: {:.4} printed, {:.4} exported", i + 1, ink(g), ink(e));
        assert!(other > same + 0.1, "the comparison tells pages apart ({other:.3} vs {same:.3})");
    }

    // A page range, to the default printer: those pages of the export, in order.
    let before = pdfs(&dir);
    let o = zipin(&["print", SAMPLE, "--pages", "2-3"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with(&format!("已发送到打印机 {QUEUE}：2 页")), "{}", stdout(&o));
    let printed = arrived(&dir, &before);
    assert_eq!(pages(&printed), Some(2));
    let got = pictures(&printed, work.path(), "range");
    for (k, g) in got.iter().enumerate() {
        let same = rmse(&expected[k + 1], g);
        assert!(same < SAME_PAGE, "page {} of the range differs from export page {} (RMSE {same:.3})", k + 1, k + 2);
        assert!(same_ink(&expected[k + 1], g), "page {} of the range: ink {:.4}, export page {}: {:.4}", k + 1, ink(g), k + 2, ink(&expected[k + 1]));
    }

    // An unknown printer names the ones there are.
    let o = zipin(&["print", SAMPLE, "--printer", "no-such-printer"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("没有名为“no-such-printer”的打印机") && stderr(&o).contains(QUEUE), "{}", stderr(&o));
    // A page beyond the document.
    let o = zipin(&["print", SAMPLE, "--pages", "99"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(&format!("没有第99页（共{exported}页）")), "{}", stderr(&o));
}

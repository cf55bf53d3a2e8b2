//! Word export (.docx): the document XML read back with `zip` (tables, merged cells, repeated
//! header rows, page setup, fonts, watermark, page numbers), and the document opened by
//! LibreOffice headless (`soffice --convert-to pdf` and `txt`): A4 pages, the sample's figures,
//! and the same form text as zipin's own PDF (poppler's `pdftotext` on both).
//!
//! The LibreOffice part needs `soffice` (Debian: libreoffice-writer-nogui) and poppler-utils;
//! scripts/test.sh installs them and sets `ZIPIN_REQUIRE_LIBREOFFICE=1`, so on CI a missing
//! soffice is a failure, not a skip. Alone: `cargo test --release --test docx -- --nocapture`.

use std::io::Read;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use zipin::display::score;
use zipin::engine::{self, Evaluation};
use zipin::model::Workbook;
use zipin::pdf::{export_docx, export_pdf, ExportOptions};
use zipin::profile::Profile;
use zipin::sample;

fn hunan() -> Profile {
    Profile::builtin("hunan-2023").expect("built-in profile")
}

/// The sample with the 附件4 report adopted.
fn sample_with_report() -> Workbook {
    let mut wb = sample::miluo_2023();
    wb.narrative = Some(zipin::narrative::TEMPLATE.to_string());
    wb
}

fn docx(wb: &Workbook, opts: &ExportOptions) -> (Vec<u8>, Evaluation) {
    let profile = hunan();
    let eval = engine::evaluate(wb, &profile);
    (export_docx(wb, &profile, &eval, opts).expect("docx export"), eval)
}

/// The package's parts by name.
fn parts(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut out = std::collections::BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.is_dir() {
            continue;
        }
        let name = f.name().map(|n| n.to_string()).unwrap_or_default();
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap_or_else(|e| panic!("{name} is not UTF-8 text: {e}"));
        out.insert(name, text);
    }
    out
}

/// The text of every `w:t`, in order, whitespace removed.
fn text_of(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(at) = rest.find("<w:t") {
        let after = &rest[at + 4..];
        // <w:t> or <w:t xml:space=…>, not <w:tbl>, <w:tc> …
        if !(after.starts_with('>') || after.starts_with(' ')) {
            rest = after;
            continue;
        }
        let Some(open_end) = after.find('>') else { break };
        let body = &after[open_end + 1..];
        let Some(close) = body.find("</w:t>") else { break };
        out.push_str(&unescape(&body[..close]));
        rest = &body[close..];
    }
    out.chars().filter(|c| !c.is_whitespace()).collect()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

/// The `w:tc` elements of `xml` whose text contains `text`: their `w:tcPr`.
fn cell_props<'a>(xml: &'a str, text: &str) -> Vec<&'a str> {
    xml.split("<w:tc>").skip(1).filter(|tc| text_of(tc.split("</w:tc>").next().unwrap_or("")).contains(text)).filter_map(|tc| tc.split("</w:tcPr>").next()).collect()
}

#[test]
fn sample_as_word_tables_with_merged_cells_on_a4() {
    let wb = sample::miluo_2023();
    let (bytes, eval) = docx(&wb, &ExportOptions::default());
    assert!(eval.has_errors());
    let all = parts(&bytes);
    let doc = &all["word/document.xml"];

    // Real tables: 5 on 附件1 (staff, funds, buildings, austerity, signature), 5 on 附件2 (unit,
    // funds, goals, indicators, signature) and 5 on each 附件3.
    assert_eq!(wb.projects.len(), 1);
    assert_eq!(count(doc, "<w:tbl>"), 15, "table count");
    // Header rows repeated on continuation pages: 附件1 funds and buildings, each indicator grid.
    assert_eq!(count(doc, "<w:tblHeader />"), 4);
    // Merged header cells, as the PDF's.
    let staff = cell_props(doc, "财政供养人员情况（人）");
    assert_eq!(staff.len(), 1);
    assert!(staff[0].contains(r#"<w:vMerge w:val="restart" />"#), "{}", staff[0]);
    let bianzhi = cell_props(doc, "编制数");
    assert!(bianzhi[0].contains(r#"<w:gridSpan w:val="2" />"#), "{}", bianzhi[0]);
    let budget = cell_props(doc, "年度预算申请（万元）");
    assert!(budget[0].contains(r#"<w:vMerge w:val="restart" />"#), "{}", budget[0]);
    let total = cell_props(doc, "总分");
    assert_eq!(total.len(), 2, "总分 of 附件2 and 附件3");
    assert!(total.iter().all(|t| t.contains(r#"<w:gridSpan w:val="5" />"#)), "{total:?}");
    // 年度预算申请 spans 7 rows: 6 continuations below it in 附件2, 4 below 项目资金 in 附件3, and
    // the 一级/二级 labels of the indicator grids.
    assert!(count(doc, r#"<w:vMerge w:val="continue" />"#) >= 10);

    // A4 portrait, the PDF's margins (15 mm = 850 twips, 17 mm at the bottom), every section.
    let sections = count(doc, "<w:sectPr>");
    assert_eq!(sections, 3, "one section a form");
    assert_eq!(count(doc, r#"<w:pgSz w:w="11906" w:h="16838" />"#), sections);
    assert_eq!(count(doc, r#"<w:pgMar w:top="850" w:right="850" w:bottom="964" w:left="850""#), sections);

    // Figures from the engine, text as the PDF's.
    let text = text_of(doc);
    for s in ["581.79", "1005.67", "652.59", "353.08", "172.86%", "按支出性质分：1005.67", "（单位盖章）", "单位负责人签字："] {
        assert!(text.contains(s), "{s} missing");
    }
    let e = &eval.department;
    for s in [score(e.total_weight), score(e.total_score), score(eval.projects[0].total_weight), score(eval.projects[0].total_score)] {
        assert!(text.contains(&format!("总分{s}")) || text.contains(&s), "{s}");
    }
    assert!(text.contains(&format!("总分{}{}", score(e.total_weight), score(e.total_score))), "A2 总分 row");
    assert!(text.contains("总分9391"), "A3 总分 row");

    // Fonts named for East Asian text; the _GB2312 faces' alternatives in the font table.
    assert!(doc.contains(r#"w:eastAsia="宋体""#));
    let fonts = &all["word/fontTable.xml"];
    assert!(fonts.contains(r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋" />"#), "{fonts}");

    // 第X页 共Y页 in the footer; the draft watermark, a VML text shape in the header.
    let footer = &all["word/footer1.xml"];
    assert!(footer.contains("<w:instrText>PAGE</w:instrText>") && footer.contains("<w:instrText>NUMPAGES</w:instrText>"));
    assert!(text_of(footer).contains("第1页共1页"), "{}", text_of(footer));
    let header = &all["word/header1.xml"];
    assert!(header.contains("PowerPlusWaterMarkObject1") && header.contains(r#"string="草稿""#), "{header}");
    assert!(!header.contains('\u{E000}'));

    // Deterministic: every part but the creation time is the same on a second export.
    let (again, _) = docx(&wb, &ExportOptions::default());
    let again = parts(&again);
    for (name, part) in &all {
        if name != "docProps/core.xml" {
            assert_eq!(part, &again[name], "{name} differs between two exports");
        }
    }
}

#[test]
fn the_report_is_an_official_document() {
    let wb = sample_with_report();
    let (bytes, _) = docx(&wb, &ExportOptions { forms: vec![4], ..Default::default() });
    let parts = parts(&bytes);
    let doc = &parts["word/document.xml"];
    assert_eq!(count(doc, "<w:tbl>"), 0, "the report is prose");
    // Body 仿宋_GB2312 三号 (32 half-points), first line indented two characters; title 黑体 二号.
    assert!(doc.contains(r#"w:eastAsia="仿宋_GB2312""#) && doc.contains(r#"<w:sz w:val="32" />"#));
    assert!(doc.contains(r#"w:firstLine="640""#), "first-line indent of two 16 pt characters");
    assert!(doc.contains(r#"<w:sz w:val="44" />"#) && doc.contains(r#"w:eastAsia="黑体""#));
    assert!(doc.contains(r#"w:eastAsia="楷体_GB2312""#) || !text_of(doc).contains("（一）"));
    // 22 lines of exactly 28.95 pt in the type area, 28 characters of 16 pt (448 pt) wide.
    assert!(doc.contains(r#"w:line="579" w:lineRule="exact""#));
    assert!(doc.contains(r#"<w:pgMar w:top="2098" w:right="1416" w:bottom="1982" w:left="1530""#), "type area");
    // Page numbers outside: odd pages right, even pages left.
    assert!(parts["word/settings.xml"].contains("<w:evenAndOddHeaders"));
    assert!(doc.contains(r#"<w:footerReference w:type="even""#));
    let text = text_of(doc);
    for s in ["一、部门整体支出概况", "581.79", "1005.67", "353.08", "652.59", "自评等级为“优”"] {
        assert!(text.contains(s), "{s} missing from the report");
    }
}

#[test]
fn a_workbook_without_errors_has_no_watermark() {
    let profile = hunan();
    let wb = sample::generated(&profile, 2, 12);
    let (bytes, eval) = docx(&wb, &ExportOptions { final_copy: true, ..Default::default() });
    assert!(!eval.has_errors());
    let parts = parts(&bytes);
    for (name, part) in &parts {
        assert!(!part.contains("PowerPlusWaterMarkObject") && !part.contains("草稿"), "{name}");
    }
    assert_eq!(count(&parts["word/document.xml"], "<w:tbl>"), 20, "5 tables a form: 附件1, 附件2, two 附件3");
}

/// Any text makes a readable document: control characters dropped, markup escaped, every XML part
/// well-formed; an empty workbook and very long texts too.
#[test]
fn strange_texts_make_a_well_formed_document() {
    let mut wb = sample_with_report();
    wb.unit = "单位<&>\"'\u{1}\u{1b}\u{FFFF}".into();
    wb.projects[0].name = "项目\t名称\r\n第二行\u{0}]]>".into();
    wb.department.indicators[0].reason = "原因\u{7}".repeat(2000);
    wb.department.goal_expected = "长".repeat(5000);
    wb.basic.austerity = "a".repeat(700) + &" word".repeat(300);
    let empty = Workbook::default();
    for (wb, what) in [(&wb, "strange texts"), (&empty, "empty workbook")] {
        let (bytes, _) = docx(wb, &ExportOptions::default());
        for (name, part) in parts(&bytes) {
            if name.ends_with(".xml") || name.ends_with(".rels") {
                roxmltree::Document::parse(&part).unwrap_or_else(|e| panic!("{what}: {name} is not well-formed: {e}"));
            }
        }
    }
    let (bytes, _) = docx(&wb, &ExportOptions::default());
    let text = text_of(&parts(&bytes)["word/document.xml"]);
    assert!(text.contains("单位<&>\"'"), "escaped, not lost");
    assert!(text.contains("项目名称第二行]]>"), "the name's lines, control characters dropped");
}

#[test]
fn cli_writes_docx_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("d.ron");
    let out = dir.path().join("表.DOCX");
    let zipin = env!("CARGO_BIN_EXE_zipin");
    assert!(Command::new(zipin).args(["sample", "-o"]).arg(&draft).status().unwrap().success());
    let o = Command::new(zipin).arg("export").arg(&draft).arg("-o").arg(&out).args(["--forms", "2"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let parts = parts(&std::fs::read(&out).unwrap());
    assert_eq!(count(&parts["word/document.xml"], "<w:tbl>"), 5, "附件2 only");
    // An existing draft is never overwritten by an export.
    let o = Command::new(zipin).arg("export").arg(&draft).arg("-o").arg(&draft).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let o = Command::new(zipin).arg("export").arg(&draft).arg("-o").arg(dir.path().join("x.doc")).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains(".docx"));
}

fn tool(name: &str) -> bool {
    Command::new(name).arg("--version").output().is_ok()
}

/// `soffice --headless --convert-to FILTER` of `input` into `dir`, with a profile of its own and
/// a time limit.
fn soffice(input: &Path, filter: &str, dir: &Path) -> Duration {
    let started = Instant::now();
    let profile = format!("file://{}", dir.join("lo-profile").display());
    let mut child = Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args(["--headless", "--norestore", "--convert-to", filter, "--outdir"])
        .arg(dir)
        .arg(input)
        .env("HOME", dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("soffice runs");
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "soffice --convert-to {filter}: {status}");
            return started.elapsed();
        }
        if started.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("soffice --convert-to {filter} took over 180 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| panic!("{tool} not runnable ({e}); install poppler-utils"));
    assert!(out.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn libreoffice_opens_it_as_the_same_forms() {
    if !tool("soffice") {
        assert!(
            std::env::var("ZIPIN_REQUIRE_LIBREOFFICE").is_err(),
            "ZIPIN_REQUIRE_LIBREOFFICE is set but soffice is missing (apt-get install libreoffice-writer-nogui)"
        );
        eprintln!("SKIPPED libreoffice_opens_it_as_the_same_forms: soffice not installed (scripts/test.sh installs it)");
        return;
    }
    let wb = sample_with_report();
    let profile = hunan();
    let eval = engine::evaluate(&wb, &profile);
    let opts = ExportOptions::default();
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("forms.docx");
    std::fs::write(&docx, export_docx(&wb, &profile, &eval, &opts).unwrap()).unwrap();
    let ours = dir.path().join("zipin.pdf");
    std::fs::write(&ours, export_pdf(&wb, &profile, &eval, &opts).unwrap()).unwrap();

    let to_pdf = soffice(&docx, "pdf", dir.path());
    let to_txt = soffice(&docx, "txt:Text (encoded):UTF8", dir.path());
    eprintln!("soffice: pdf in {to_pdf:.1?}, txt in {to_txt:.1?}");
    let converted = dir.path().join("forms.pdf");
    let p = converted.to_str().unwrap();

    // A4 pages: the forms, and the report in its larger official type.
    let info = poppler("pdfinfo", &[p]);
    assert!(info.lines().any(|l| l.starts_with("Page size:") && l.contains("595.") && l.contains("841.")), "{info}");
    let pages: usize = info.lines().find_map(|l| l.strip_prefix("Pages:")).and_then(|n| n.trim().parse().ok()).unwrap();
    assert!((6..=9).contains(&pages), "{pages} pages");

    // The sample's figures, each total and the grade, in LibreOffice's text and PDF.
    let txt = std::fs::read_to_string(dir.path().join("forms.txt")).unwrap();
    let lo_raw = poppler("pdftotext", &["-raw", p, "-"]);
    let lo: String = lo_raw.chars().filter(|c| !c.is_whitespace()).collect();
    let txt_flat: String = txt.chars().filter(|c| !c.is_whitespace()).collect();
    let e = &eval.department;
    let grade = &e.grade;
    assert_eq!(grade, "优");
    let mut figures: Vec<String> = ["581.79", "1005.67", "652.59", "353.08"].map(String::from).to_vec();
    figures.push(format!("总分{}{}", score(e.total_weight), score(e.total_score)));
    for p in &eval.projects {
        figures.push(format!("总分{}{}", score(p.total_weight), score(p.total_score)));
        figures.push(format!("等级“{}”", p.grade));
    }
    figures.push(format!("自评等级为“{grade}”"));
    for f in &figures {
        assert!(lo.contains(f.as_str()), "{f} missing from LibreOffice's PDF");
        assert!(txt_flat.contains(f.as_str()), "{f} missing from LibreOffice's text");
    }

    // zipin's own PDF, word by word (each line of a cell as printed), is in LibreOffice's PDF,
    // but for the page furniture (watermark, running heads of continuation pages).
    let zipin_raw = poppler("pdftotext", &["-raw", ours.to_str().unwrap(), "-"]);
    let words: Vec<&str> = zipin_raw.split_whitespace().filter(|w| !w.contains("（续）") && *w != "草" && *w != "稿").collect();
    assert!(words.len() > 400, "{} words", words.len());
    let missing: Vec<&&str> = words.iter().filter(|w| !lo.contains(**w)).collect();
    assert!(missing.is_empty(), "in zipin's PDF but not in LibreOffice's: {missing:?}");
    // Page numbers as the PDF's: 第1页共N页 on the forms, — N — on the report.
    assert!(lo.contains(&format!("第1页共{pages}页")), "page numbers");
    assert!(lo.contains(&format!("—{pages}—")), "report page number");
}

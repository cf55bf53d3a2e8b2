//! PDF export: the printed text round-trips through poppler (`pdftotext`, `pdfinfo`), so every
//! value of the forms must be findable in it. Needs poppler-utils
//! (`apt-get install -y poppler-utils`).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use zipin::display::{money, percent, score, score_opt};
use zipin::engine::{self, Evaluation};
use zipin::model::{Workbook, INPUT_ROWS};
use zipin::pdf::{export_pdf, ExportError, ExportOptions};
use zipin::profile::Profile;
use zipin::sample;

fn hunan() -> Profile {
    Profile::builtin("hunan-2023").expect("built-in profile")
}

fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} not runnable ({e}); install poppler-utils"));
    assert!(out.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The exported PDF as poppler reads it.
struct Printed {
    /// `pdftotext -layout`.
    layout: String,
    /// `pdftotext -raw` (content-stream order) per page, with all whitespace removed, so text
    /// that wrapped inside a cell reads as one string again.
    pages: Vec<String>,
    page_count: usize,
}

impl Printed {
    fn new(pdf: &[u8]) -> Printed {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.pdf");
        std::fs::write(&path, pdf).unwrap();
        let p = path.to_str().unwrap();
        let layout = poppler("pdftotext", &["-layout", p, "-"]);
        let raw = poppler("pdftotext", &["-raw", p, "-"]);
        let mut pages: Vec<String> = raw.split('\u{c}').map(|t| t.chars().filter(|c| !c.is_whitespace()).collect()).collect();
        if pages.last().is_some_and(|p| p.is_empty()) {
            pages.pop();
        }
        // One font: the embedded CJK font, subset, CID-keyed, Identity-H, with a ToUnicode map.
        let fonts = poppler("pdffonts", &[p]);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert_eq!(rows.len(), 1, "{fonts}");
        let cols: Vec<&str> = rows[0].split_whitespace().collect();
        assert!(cols[0].ends_with("+ZipinSans-Regular") && cols[0].len() == "XXXXXX+ZipinSans-Regular".len(), "{fonts}");
        assert_eq!(&cols[1..8], ["CID", "Type", "0C", "Identity-H", "yes", "yes", "yes"], "{fonts}");
        let info = poppler("pdfinfo", &[p]);
        let page_count = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .expect("page count");
        assert_eq!(pages.len(), page_count);
        Printed { layout, pages, page_count }
    }

    fn flow(&self) -> String {
        self.pages.concat()
    }
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every string a printout of `wb` must show, derived from the workbook and its evaluation.
/// (`short` = values that never wrap, checked in the `-layout` text too.)
fn expected(wb: &Workbook, profile: &Profile, eval: &Evaluation) -> (Vec<String>, Vec<String>) {
    let mut short: Vec<String> = Vec::new();
    let mut long: Vec<String> = Vec::new();
    let y = wb.year;
    long.push(wb.unit.clone());
    for t in ["部门整体支出绩效评价基础数据表", "部门整体支出绩效自评表", "项目支出绩效自评表"] {
        long.push(format!("{y}年度{t}"));
    }
    short.extend(["附件1", "附件2", "附件3"].map(String::from));

    // 附件1
    let b = &wb.basic;
    short.extend([b.posts, b.in_post].iter().flatten().map(|n| n.to_string()));
    short.push(percent(eval.basic.control_rate));
    for (id, label) in INPUT_ROWS {
        long.push(label.to_string());
        let r = b.row(id).unwrap();
        short.extend([r.prev, r.budget, r.fin].iter().flatten().map(|&v| money(v)));
    }
    for f in &b.special_funds {
        long.push(f.name.clone());
        short.extend([f.amounts.prev, f.amounts.budget, f.amounts.fin].iter().flatten().map(|&v| money(v)));
    }
    for s in [&eval.basic.three_public, &eval.basic.special] {
        short.extend([s.prev, s.budget, s.fin].map(money));
    }
    for (bl, (r1, r2)) in b.buildings.iter().zip(&eval.basic.buildings) {
        short.extend([bl.approved_m2, bl.actual_m2, bl.budget_inv, bl.actual_inv].iter().flatten().map(|&v| money(v)));
        short.extend([percent(*r1), percent(*r2)]);
    }

    // 附件2 and each 附件3: funds, goals, every indicator cell, totals.
    let d = &wb.department;
    let e = &eval.department;
    short.extend([d.funds.initial, d.funds.full_year, d.funds.executed].iter().flatten().map(|&v| money(v)));
    short.extend(d.by_source.values().iter().flatten().map(|&v| money(v)));
    short.extend([d.by_nature.basic, d.by_nature.project].iter().flatten().map(|&v| money(v)));
    long.push(format!("按支出性质分：{}", money(e.expend_total)));
    long.extend([d.goal_expected.clone(), d.goal_actual.clone()]);
    let mut forms = vec![(&d.indicators, e)];
    for (p, pe) in wb.projects.iter().zip(&eval.projects) {
        long.extend([p.name.trim(), p.competent_dept.trim(), p.implementer.trim(), &p.goal_expected, &p.goal_actual].map(String::from));
        for (_, _, f) in p.sources() {
            short.extend([f.initial, f.full_year, f.executed].iter().flatten().map(|&v| money(v)));
        }
        short.extend([pe.funds.initial, pe.funds.full_year, pe.funds.executed].map(money));
        forms.push((&p.indicators, pe));
    }
    for (rows, fe) in forms {
        short.extend([score(fe.exec_weight), percent(fe.exec_rate), score(fe.exec_score)]);
        short.extend([score(fe.total_weight), score(fe.total_score)]);
        for c in &fe.categories {
            long.push(format!("{}({}分)", c.name, score(c.weight)));
        }
        for (row, re) in rows.iter().zip(&fe.rows) {
            long.extend([row.l2.clone(), row.name.trim().to_string(), row.target.display(), row.actual.display(), row.reason.clone()]);
            short.extend([score_opt(row.weight), score_opt(re.score)]);
        }
    }

    // The signature block.
    let f = &wb.footer;
    long.extend([f.preparer.clone(), f.phone.clone(), f.head.clone()]);
    long.push(f.date.map(|d| d.format(&profile.date_format).to_string()).unwrap_or_default());
    long.extend(["填表人", "填报日期", "联系电话", "单位负责人签字", "单位盖章"].map(String::from));
    short.retain(|s| !s.is_empty());
    long.retain(|s| !s.trim().is_empty());
    (short, long)
}

fn export(wb: &Workbook, opts: &ExportOptions) -> Result<(Vec<u8>, Evaluation), ExportError> {
    let profile = hunan();
    let eval = engine::evaluate(wb, &profile);
    export_pdf(wb, &profile, &eval, opts).map(|pdf| (pdf, eval))
}

#[test]
fn sample_prints_every_value_with_a_draft_watermark() {
    let wb = sample::miluo_2023();
    let profile = hunan();
    let (pdf, eval) = export(&wb, &ExportOptions::default()).expect("draft export");
    assert!(eval.has_errors());
    assert!(pdf.len() <= 300 * 1024, "sample PDF is {} KB", pdf.len() / 1024);
    let printed = Printed::new(&pdf);
    let flow = printed.flow();
    let (short, long) = expected(&wb, &profile, &eval);
    for s in &short {
        assert!(printed.layout.contains(s.as_str()), "missing in pdftotext -layout: {s:?}");
    }
    for s in short.iter().chain(&long) {
        assert!(flow.contains(&squeeze(s)), "missing in the printed text: {s:?}");
    }
    // The figures the filed form gets wrong, as the engine computes them.
    for s in ["172.86%", "1005.67", "2024.10.10", "13517307865"] {
        assert!(printed.layout.contains(s), "{s}");
    }
    let a2_total = format!("总分{}{}", score(eval.department.total_weight), score(eval.department.total_score));
    assert_eq!(a2_total, "总分106102");
    assert!(flow.contains(&a2_total), "A2 总分 row");
    assert!(flow.contains("总分9391"), "A3 总分 row");
    // Blank rates print "—" (楼堂馆所 0/0).
    assert!(printed.layout.contains('—'));

    // 附件1 on one page, 附件2 and 附件3 on two each; every page numbered and watermarked.
    assert_eq!(printed.page_count, 5);
    for (i, page) in printed.pages.iter().enumerate() {
        assert!(page.contains(&format!("第{}页共{}页", i + 1, printed.page_count)), "page {}", i + 1);
        assert!(page.starts_with("草稿"), "page {} has no watermark", i + 1);
    }
    assert!(printed.pages[0].contains("附件1") && printed.pages[1].contains("附件2") && printed.pages[3].contains("附件3"));
    // Continuation pages repeat the grid's header row.
    for i in [2, 4] {
        assert!(printed.pages[i].contains("一级指标二级指标三级指标年度指标值实际完成值分值得分"), "page {}", i + 1);
        assert!(printed.pages[i].contains("（续）"), "page {}", i + 1);
    }
}

#[test]
fn selection_of_forms_and_projects() {
    let wb = sample::miluo_2023();
    let only_a3 = ExportOptions { forms: vec![3], projects: Some(vec![0]), ..Default::default() };
    let (pdf, _) = export(&wb, &only_a3).unwrap();
    let printed = Printed::new(&pdf);
    assert_eq!(printed.page_count, 2);
    assert!(printed.flow().contains("附件3") && !printed.flow().contains("附件1"));
    let bad = ExportOptions { projects: Some(vec![1]), ..Default::default() };
    assert_eq!(export(&wb, &bad).unwrap_err(), ExportError::NoSuchProject { index: 1, count: 1 });
    let bad = ExportOptions { forms: vec![5], ..Default::default() };
    assert_eq!(export(&wb, &bad).unwrap_err(), ExportError::NoSuchForm(5));
    // 附件4 only prints when the workbook has adopted a report.
    let report = ExportOptions { forms: vec![4], ..Default::default() };
    assert_eq!(export(&wb, &report).unwrap_err(), ExportError::Nothing);
}

#[test]
fn final_copy_is_refused_while_errors_remain() {
    let wb = sample::miluo_2023();
    let opts = ExportOptions { final_copy: true, ..Default::default() };
    let Err(ExportError::FinalRefused(errors)) = export(&wb, &opts) else { panic!("final copy with errors") };
    assert_eq!(errors.len(), 39);
    assert!(ExportError::FinalRefused(errors).to_string().contains("不能导出正式版"));
}

#[test]
fn cli_final_exits_1_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("final.pdf");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/examples/miluo-2023.ron");
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_zipin"))
            .arg("export")
            .arg(&sample)
            .arg("-o")
            .arg(&out)
            .args(extra)
            .output()
            .expect("run zipin")
    };
    let r = run(&["--final"]);
    assert_eq!(r.status.code(), Some(1));
    assert!(!out.exists(), "no file for a refused final copy");
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert!(stderr.contains("R-WEIGHT-TOTAL") && stderr.contains("不能导出正式版"), "{stderr}");

    // A draft is written; its errors go to stderr.
    let r = run(&[]);
    assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(out.exists());
    assert!(String::from_utf8_lossy(&r.stderr).contains("草稿"));
    let r = run(&["--forms", "2", "--projects", "all"]);
    assert_eq!(r.status.code(), Some(0));
    assert_eq!(Printed::new(&std::fs::read(&out).unwrap()).page_count, 2);
}

#[test]
fn a_workbook_without_errors_prints_without_watermark_and_may_be_final() {
    let profile = hunan();
    let wb = sample::generated(&profile, 2, 12);
    let eval = engine::evaluate(&wb, &profile);
    assert!(!eval.has_errors(), "{:?}", eval.findings);
    let pdf = export_pdf(&wb, &profile, &eval, &ExportOptions { final_copy: true, ..Default::default() }).unwrap();
    let printed = Printed::new(&pdf);
    assert!(!printed.flow().contains("草稿"));
    assert_eq!(printed.page_count, 4);
    let (short, long) = expected(&wb, &profile, &eval);
    let flow = printed.flow();
    for s in short.iter().chain(&long) {
        assert!(flow.contains(&squeeze(s)), "missing: {s:?}");
    }
}

#[test]
fn fifty_projects() {
    let profile = hunan();
    let wb = sample::generated(&profile, 50, 40);
    let eval = engine::evaluate(&wb, &profile);
    let t = Instant::now();
    let pdf = export_pdf(&wb, &profile, &eval, &ExportOptions::default()).unwrap();
    eprintln!("50 projects × 40 rows: {} KB in {:?}", pdf.len() / 1024, t.elapsed());
    let printed = Printed::new(&pdf);
    // 附件1 (50 fund rows) 2 pages, 附件2 and each 附件3 (40 rows) 2–3 pages.
    assert!((2 + 51 * 2..=2 + 51 * 3).contains(&printed.page_count), "{} pages", printed.page_count);
    let flow = printed.flow();
    assert!(flow.contains("专项资金50"));
    assert!(flow.contains(&format!("第{0}页共{0}页", printed.page_count)));
}

#[test]
fn empty_workbook_prints_blank_forms() {
    let wb = Workbook::default();
    let (pdf, _) = export(&wb, &ExportOptions::default()).expect("empty workbook");
    let printed = Printed::new(&pdf);
    assert_eq!(printed.page_count, 2, "附件1 and 附件2, no 附件3");
    assert!(printed.flow().contains("部门整体支出绩效自评表"));
    assert_eq!(export(&wb, &ExportOptions { forms: vec![3], ..Default::default() }).unwrap_err(), ExportError::Nothing);
}

#[test]
fn very_long_texts_and_huge_numbers_break_across_pages() {
    let mut wb = sample::miluo_2023();
    let sentence = "因项目实施周期跨年度，部分资金未能及时拨付，下年度将加强预算执行管理。";
    let reason: String = sentence.chars().cycle().take(5000).collect();
    wb.department.indicators[3].reason = reason.clone();
    wb.department.goal_expected = "长".repeat(3000);
    wb.projects[0].name = "很长的项目名称".repeat(40);
    wb.department.funds.executed = Some("79228162514264337593543950.33".parse().unwrap());
    wb.basic.austerity = "a".repeat(700) + &" word".repeat(300);
    let (pdf, _) = export(&wb, &ExportOptions::default()).expect("long texts");
    let printed = Printed::new(&pdf);
    assert!(printed.page_count > 8, "{} pages", printed.page_count);
    // The reason runs over several pages; each page break may cut one sentence.
    let whole = 5000 / sentence.chars().count();
    let found = printed.flow().matches(sentence).count();
    assert!(found + printed.page_count >= whole, "{found} of {whole} sentences printed");
    assert!(printed.flow().contains("79228162514264337593543950.33"));
}

/// The XLSX export holds the same values as the PDF, numbers as numbers, with merged cells.
#[test]
fn xlsx_export_reads_back() {
    use calamine::{Data, Reader, Xlsx};
    let wb = zipin::sample::miluo_2023();
    let profile = zipin::profile::Profile::builtin("hunan-2023").unwrap();
    let eval = zipin::engine::evaluate(&wb, &profile);
    let bytes = zipin::pdf::export_xlsx(&wb, &profile, &eval, &zipin::pdf::ExportOptions::default()).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["附件1", "附件2", "附件3-残疾人就业保障金"]);
    let cells = |book: &mut Xlsx<_>, name: &str| -> Vec<Data> {
        book.worksheet_range(name).unwrap().cells().map(|(_, _, d)| d.clone()).collect()
    };
    let a2 = cells(&mut book, "附件2");
    let has_num = |cells: &[Data], x: f64| cells.iter().any(|d| matches!(d, Data::Float(v) if (v - x).abs() < 1e-9));
    let has_text = |cells: &[Data], t: &str| cells.iter().any(|d| matches!(d, Data::String(s) if s.contains(t)));
    assert!(has_num(&a2, 581.79) && has_num(&a2, 1005.67) && has_num(&a2, 652.59));
    assert!(has_num(&a2, 1.7286), "执行率 172.86% as a rate");
    assert!(has_num(&a2, 106.0) && has_num(&a2, 102.0), "总分 computed by the engine");
    assert!(has_text(&a2, "汨罗市残疾人联合会") && has_text(&a2, "18200人") && has_text(&a2, "草稿"));
    for row in &wb.department.indicators {
        assert!(row.name.trim().is_empty() || has_text(&a2, row.name.trim()), "{}", row.name);
    }
    let a1 = cells(&mut book, "附件1");
    assert!(has_num(&a1, 221.0) && has_num(&a1, 16.5) && has_num(&a1, 4.29));
    let a3 = cells(&mut book, "附件3-残疾人就业保障金");
    assert!(has_num(&a3, 91.0) && has_text(&a3, "≥1000人"));
    let merged = book.merge_cells_by_sheet_name("附件2").unwrap();
    assert!(merged.len() > 10, "category and header cells are merged: {}", merged.len());
}

/// Questionnaire counts print as a note under the grid; 填报说明 print after the forms.
#[test]
fn questionnaire_notes_and_explanations_print() {
    let mut wb = sample::miluo_2023();
    wb.department.indicators[15].satisfaction = Some(zipin::model::Questionnaire {
        respondents: 40,
        counts: vec![("非常满意".into(), 33), ("满意".into(), 5), ("基本满意".into(), 2)],
    });
    wb.explanations.push(zipin::model::Explanation {
        rule: "R-EXEC-OVER-BUDGET".into(),
        cell: "A2.fund.total.executed".into(),
        text: "年中追加残疾人两项补贴资金，全年执行数超过年初预算。".into(),
    });
    let (pdf, eval) = export(&wb, &ExportOptions::default()).unwrap();
    assert_eq!(eval.department.rows[15].satisfaction, Some(rust_decimal::Decimal::new(995, 1)));
    let printed = Printed::new(&pdf);
    let flow = printed.flow();
    assert!(flow.contains(&squeeze("第16行“服务对象满意度”满意度问卷：有效问卷40份，非常满意33份、满意5份、基本满意2份，满意度99.50%")), "{}", printed.layout);
    assert!(flow.contains("填报说明") && flow.contains(&squeeze("年中追加残疾人两项补贴资金")), "{}", printed.layout);
    assert!(printed.pages.last().unwrap().contains("填报说明"), "printed after the forms");
}

#[test]
fn the_report_prints_last_with_the_engines_numbers() {
    let mut wb = sample::miluo_2023();
    let (plain, _) = export(&wb, &ExportOptions::default()).unwrap();
    let forms_only = Printed::new(&plain).page_count;
    // The user's wording, the figures from placeholders.
    let template = zipin::narrative::TEMPLATE.replace("四、自评结论", "四、自评结论\n经复核，本单位自评总分{总分}分，预算执行率{预算执行率}。");
    wb.narrative = Some(template);
    let (pdf, eval) = export(&wb, &ExportOptions::default()).unwrap();
    let printed = Printed::new(&pdf);
    assert!(printed.page_count > forms_only, "the report adds pages");
    let first = printed.pages.iter().position(|p| p.contains("附件4")).expect("附件4 printed");
    assert!(first >= forms_only, "after the forms");
    let report: String = printed.pages[first..].concat();
    let total = score(eval.department.total_score);
    assert_eq!(total, "102");
    for s in [
        "2023年度汨罗市残疾人联合会部门整体支出绩效自评报告".to_string(),
        format!("经复核，本单位自评总分{total}分，预算执行率{}。", percent(eval.department.exec_rate)),
        "全年执行1005.67万元，预算执行率172.86%".to_string(),
        format!("自评得分为{total}分（满分100分），自评等级为“优”"),
        "“残疾人就业保障金”项目全年预算154.00万元".to_string(),
    ] {
        assert!(report.contains(&squeeze(&s)), "missing {s:?} in {}", printed.layout);
    }
    assert!(!report.contains('{'), "no placeholder left");
    // Only the report.
    let (pdf, _) = export(&wb, &ExportOptions { forms: vec![4], ..Default::default() }).unwrap();
    let only = Printed::new(&pdf);
    assert!(only.flow().contains("附件4") && !only.flow().contains("附件1") && !only.flow().contains("附件2"));
}

#[test]
fn the_preview_page_model_is_the_pdf() {
    let mut wb = sample::miluo_2023();
    wb.narrative = Some(zipin::narrative::TEMPLATE.to_string());
    let profile = hunan();
    let eval = engine::evaluate(&wb, &profile);
    let opts = ExportOptions::default();
    let pages = zipin::pdf::pages(&wb, &profile, &eval, &opts).expect("page model");
    let printed = Printed::new(&export_pdf(&wb, &profile, &eval, &opts).unwrap());
    assert_eq!(pages.len(), printed.page_count);
    let forms = pages.iter().take_while(|p| !p.texts.iter().any(|t| t.text == "附件4")).count();
    assert!(forms == 5 && pages.len() > forms, "5 pages of forms, then the report");
    for (i, (page, text)) in pages.iter().zip(&printed.pages).enumerate() {
        // Text: the watermark first, then every run, in content-stream order, as pdftotext reads it.
        let mut model: String = page.watermark.iter().map(|w| w.text.clone()).collect();
        model.extend(page.texts.iter().map(|t| t.text.as_str()));
        assert_eq!(squeeze(&model), *text, "page {}", i + 1);
        assert!((page.width, page.height) == (210.0, 297.0), "A4 portrait");
        // Everything lies on the page; the grid rules are there.
        if i < forms {
            assert!(page.lines.len() > 10, "page {} has its rules", i + 1);
        }
        for t in &page.texts {
            assert!(t.x >= 0.0 && t.x < page.width && t.baseline > 0.0 && t.baseline < page.height, "{t:?}");
        }
    }
    // The page model is deterministic: the preview shows what the next export prints.
    assert_eq!(pages, zipin::pdf::pages(&wb, &profile, &eval, &opts).unwrap());
}

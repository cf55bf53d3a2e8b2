//! Workbooks shipped in the binary or generated: the filed sample (seed 002, errors included)
//! and large generated workbooks for benchmarks and property tests.

use rust_decimal::Decimal;

use crate::model::{Footer, FundTotal, IndicatorRow, Nature, ProjectSelfEval, Sources, Workbook, Fund3, Row3};
use crate::parse::IndicatorValue;
use crate::profile::Profile;

/// The filed 2023 sample of 汨罗市残疾人联合会, transcribed as filed (`templates/examples/miluo-2023.ron`).
pub const MILUO_2023: &str = include_str!("../templates/examples/miluo-2023.ron");

/// The filed sample as a workbook.
pub fn miluo_2023() -> Workbook {
    crate::draft::from_str(std::path::Path::new("templates/examples/miluo-2023.ron"), MILUO_2023)
        .expect("the embedded sample is a valid draft")
}

fn money(cents: i64) -> Option<Decimal> {
    Some(Decimal::new(cents, 2))
}

/// The largest workbook `zipin gen` makes: projects, indicator rows a form, and indicator rows in
/// all (projects × rows). At the largest (100,000 rows, about 50 MB) the draft stays below
/// [`crate::draft::MAX_DRAFT_BYTES`] (`tests/files.rs` checks it with the measured size of a row).
pub const GEN_MAX_PROJECTS: usize = 2000;
pub const GEN_MAX_INDICATORS: usize = 200;
pub const GEN_MAX_ROWS: usize = 100_000;

/// A valid, fully filled workbook: the department form plus `projects` project forms with
/// `indicators` rows each, weights spread so every category adds up. Deterministic.
pub fn generated(profile: &Profile, projects: usize, indicators: usize) -> Workbook {
    let mut wb = Workbook::empty("测试市某某局", 2023, profile);
    wb.footer = Footer {
        preparer: "张三".into(),
        date: chrono::NaiveDate::from_ymd_opt(2024, 3, 1),
        phone: "0730-5221234".into(),
        head: "李四".into(),
    };
    wb.basic.posts = Some(30);
    wb.basic.in_post = Some(29);
    wb.basic.austerity = "严格执行中央八项规定精神，压减一般性支出。".into();
    wb.basic.reception = Row3::new(money(179), money(300), money(300));
    wb.basic.business = Row3::new(money(5000), money(5000), money(5000));
    let mut special_total = 0i64;
    for p in 0..projects {
        let amount = 10_000 + (p as i64 % 7) * 1_234;
        special_total += amount;
        wb.basic.special_funds.push(Fund3 { name: format!("专项资金{:02}", p + 1), amounts: Row3::new(money(amount), money(amount), money(amount)) });
    }
    let budget = 100_000 + special_total;
    wb.department.funds = FundTotal { initial: money(budget), full_year: money(budget), executed: money(budget) };
    wb.department.by_source = Sources { general_budget: money(budget), ..Default::default() };
    wb.department.by_nature = Nature { basic: money(budget - 5000 - special_total), project: money(5000 + special_total) };
    wb.department.goal_expected = "完成年度工作任务。".into();
    wb.department.goal_actual = "已完成年度工作任务。".into();
    wb.department.indicators = rows(profile, indicators, 0);
    for p in 0..projects {
        let fund = &wb.basic.special_funds[p];
        let f = fund.amounts;
        let mut project = ProjectSelfEval {
            name: fund.name.clone(),
            competent_dept: wb.unit.clone(),
            implementer: wb.unit.clone(),
            current_approp: FundTotal { initial: f.budget, full_year: f.budget, executed: f.fin },
            goal_expected: "完成项目年度任务。".into(),
            goal_actual: "已完成项目年度任务。".into(),
            ..Default::default()
        };
        project.indicators = rows(profile, indicators, p + 1);
        wb.projects.push(project);
    }
    wb
}

/// `n` rows spread over the profile's categories, weights summing to each category's weight
/// (in hundredths), alternating quantitative and qualitative rows, names unique per form.
fn rows(profile: &Profile, n: usize, seed: usize) -> Vec<IndicatorRow> {
    let cats = &profile.categories;
    let n = n.max(cats.len());
    let mut out = Vec::with_capacity(n);
    for (ci, cat) in cats.iter().enumerate() {
        let count = n / cats.len() + usize::from(ci < n % cats.len());
        let cents = i64::try_from((cat.weight * Decimal::ONE_HUNDRED).trunc()).unwrap_or(0);
        for k in 0..count {
            let g = out.len();
            let share = cents / count as i64 + i64::from((k as i64) < cents % count as i64);
            let w = Decimal::new(share, 2);
            let l2 = cat.subs[k % cat.subs.len()].clone();
            let name = format!("{}{}-{}", l2.trim_end_matches("指标"), seed, g + 1);
            let cost = profile.cost_categories.iter().any(|c| *c == cat.name || *c == l2);
            let row = if cost {
                let t = 10 + g % 50;
                IndicatorRow {
                    l1: cat.name.clone(),
                    l2,
                    name,
                    target: IndicatorValue::new(format!("≤{t}万元")),
                    actual: IndicatorValue::new(format!("{}万元", t - 1)),
                    weight: Some(w),
                    ..Default::default()
                }
            } else if k % 2 == 0 {
                let t = 100 + g * 10 + seed % 7;
                let a = t - (k % 3);
                let short = a < t;
                IndicatorRow {
                    l1: cat.name.clone(),
                    l2,
                    name,
                    target: IndicatorValue::new(format!("≥{t}人")),
                    actual: IndicatorValue::new(format!("{a}人")),
                    weight: Some(w),
                    reason: if short { "受天气影响，部分工作顺延，下年度加快进度。".into() } else { String::new() },
                    ..Default::default()
                }
            } else {
                IndicatorRow {
                    l1: cat.name.clone(),
                    l2,
                    name,
                    target: IndicatorValue::new("明显改善"),
                    actual: IndicatorValue::new("明显改善"),
                    weight: Some(w),
                    score: Some(w),
                    level: Some(profile.qual_bands[0].level.clone()),
                    ..Default::default()
                }
            };
            out.push(row);
        }
    }
    out
}

/// Version `n` of a workbook for the crash-safety test: the unit name carries the number.
pub fn stress_version(base: &Workbook, n: u64) -> Workbook {
    let mut wb = base.clone();
    wb.unit = format!("{}（第{n}版）", base.unit);
    wb
}

/// The version number a [`stress_version`] workbook carries.
pub fn stress_version_of(wb: &Workbook) -> Option<u64> {
    wb.unit.rsplit_once("（第")?.1.strip_suffix("版）")?.parse().ok()
}

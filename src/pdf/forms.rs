//! The three forms as table data for `layout` (forms.md §1–4): which cells, which spans, which
//! text. Every value is the workbook's input or the engine's result, formatted by
//! `crate::display`; nothing is computed here except "is this subtotal's column blank".

use chrono::NaiveDate;

use super::layout::{Cell, Row, Section, Table};
use crate::display::{money, money_opt, percent, score, score_opt};
use crate::engine::{BasicEval, Evaluation, FormEval, Sum3};
use crate::model::{FundTotal, IndicatorRow, ProjectSelfEval, Row3, Sources, Workbook, INPUT_ROWS};
use crate::profile::{Profile, SatisfactionMode};

/// Body text size (pt).
const BODY: f32 = 9.0;

/// 附件1 部门整体支出绩效评价基础数据表.
pub fn basic(wb: &Workbook, profile: &Profile, eval: &Evaluation) -> Section {
    let title = format!("{}年度部门整体支出绩效评价基础数据表", year(wb.year, 0));
    let mut blocks = heading("附件1", &title, &wb.unit);
    let b = &wb.basic;
    let e: &BasicEval = &eval.basic;
    const W: [f32; 7] = [54.0, 21.0, 21.0, 21.0, 21.0, 21.0, 21.0];

    // 财政供养人员情况
    let mut staff = Table::grid(&W);
    staff.row(vec![
        Cell::new("财政供养人员情况（人）").rows(2),
        Cell::new("编制数").cols(2),
        Cell::new(format!("{}年实际在职人数", year(wb.year, 0))).cols(2),
        Cell::new("控制率").cols(2),
    ]);
    staff.row(vec![
        Cell::new(count(b.posts)).cols(2),
        Cell::new(count(b.in_post)).cols(2),
        Cell::new(percent(e.control_rate)).cols(2),
    ]);
    blocks.push(staff);

    // 经费控制情况: input rows as entered, subtotal rows from the engine.
    let mut funds = Table::grid(&W).header(1);
    funds.row(vec![
        Cell::new("经费控制情况（万元）"),
        Cell::new(format!("{}年决算数", year(wb.year, -1))).cols(2),
        Cell::new(format!("{}年预算数", year(wb.year, 0))).cols(2),
        Cell::new(format!("{}年决算数", year(wb.year, 0))).cols(2),
    ]);
    let input = |id: &str| b.row(id).copied().unwrap_or_default();
    fn label(id: &'static str) -> &'static str {
        INPUT_ROWS.iter().find(|(i, _)| *i == id).map_or(id, |(_, l)| *l)
    }
    let row3 = |t: &mut Table, label: &str, cells: [String; 3]| {
        let [a, b, c] = cells;
        t.row(vec![Cell::text(label), Cell::new(a).cols(2), Cell::new(b).cols(2), Cell::new(c).cols(2)]);
    };
    let inputs = |r: Row3| [money_opt(r.prev), money_opt(r.budget), money_opt(r.fin)];
    let fund_rows: Vec<Row3> = b.special_funds.iter().map(|f| f.amounts).collect();
    let three_public_children = [input("E3"), input("E4"), input("E5"), input("E6")];
    row3(&mut funds, "“三公”经费", subtotal(&e.three_public, &three_public_children));
    row3(&mut funds, "1、公务用车购置和维护经费", subtotal(&e.vehicles, &[input("E3"), input("E4")]));
    for id in ["E3", "E4", "E5", "E6"] {
        row3(&mut funds, label(id), inputs(input(id)));
    }
    let project_children: Vec<Row3> = [input("E8"), input("E9")].into_iter().chain(fund_rows.iter().copied()).collect();
    let projects = if profile.print_group_totals { subtotal(&e.projects, &project_children) } else { Default::default() };
    row3(&mut funds, "项目支出：", projects);
    for id in ["E8", "E9"] {
        row3(&mut funds, label(id), inputs(input(id)));
    }
    row3(&mut funds, "3、县级专项资金（一个专项一行）", subtotal(&e.special, &fund_rows));
    for f in &b.special_funds {
        row3(&mut funds, &format!("　　{}", f.name.trim()), inputs(f.amounts));
    }
    for id in ["E11", "E12", "E13", "E14", "E15", "E16"] {
        row3(&mut funds, label(id), inputs(input(id)));
    }
    blocks.push(funds);

    // 楼堂馆所控制情况
    let mut buildings = Table::grid(&W).header(1);
    buildings.row(vec![
        Cell::new(format!("楼堂馆所控制情况（{}年完工项目）", year(wb.year, 0))),
        Cell::new("批复规模（㎡）"),
        Cell::new("实际规模（㎡）"),
        Cell::new("规模控制率"),
        Cell::new("预算投资（万元）"),
        Cell::new("实际投资（万元）"),
        Cell::new("投资概算控制率"),
    ]);
    for (i, bl) in b.buildings.iter().enumerate() {
        let (scale, invest) = e.buildings.get(i).copied().unwrap_or((None, None));
        buildings.row(vec![
            Cell::text(bl.name.trim()),
            Cell::new(money_opt(bl.approved_m2)),
            Cell::new(money_opt(bl.actual_m2)),
            Cell::new(percent(scale)),
            Cell::new(money_opt(bl.budget_inv)),
            Cell::new(money_opt(bl.actual_inv)),
            Cell::new(percent(invest)),
        ]);
    }
    if b.buildings.is_empty() {
        buildings.row((0..7).map(|_| Cell::empty()).collect());
    }
    blocks.push(buildings);

    let mut austerity = Table::grid(&[W[0], W[1..].iter().sum()]).space_after(4.0);
    austerity.push(Row::new(vec![Cell::new("厉行节约保障措施"), Cell::text(b.austerity.trim())]).min_height(14.0));
    blocks.push(austerity);

    blocks.push(signature(wb, profile));
    let mut note = Table::plain(&[1.0], 8.5);
    note.row(vec![Cell::text(
        "说明：1.“项目支出”需要填报除基本支出以外的所有项目支出情况；2.“公用经费”填报基本支出中的一般商品和服务支出。",
    )]);
    blocks.push(note);
    Section { running_head: format!("附件1 {title}（续）"), landscape: false, report: false, blocks }
}

/// 附件2 部门整体支出绩效自评表.
pub fn department(wb: &Workbook, profile: &Profile, eval: &Evaluation) -> Section {
    let title = format!("{}年度部门整体支出绩效自评表", year(wb.year, 0));
    let mut blocks = heading("附件2", &title, &wb.unit);
    let d = &wb.department;
    let e = &eval.department;

    let mut head = Table::grid(&[24.0, 156.0]);
    head.row(vec![Cell::new("预算部门名称"), Cell::text(wb.unit.trim())]);
    blocks.push(head);

    // 年度预算申请: the total row, then the two breakdowns side by side.
    let mut funds = Table::grid(&FUND_WIDTHS);
    let mut header = vec![Cell::new("年度预算申请\n（万元）").rows(7)];
    header.extend(fund_header());
    funds.row(header);
    let f = d.funds;
    funds.row(vec![
        Cell::new("年度资金总额"),
        Cell::new(money_opt(f.initial)),
        Cell::new(money_opt(f.full_year)),
        Cell::new(money_opt(f.executed)),
        Cell::new(score(e.exec_weight)),
        Cell::new(percent(e.exec_rate)),
        Cell::new(score(e.exec_score)),
    ]);
    let nature = [d.by_nature.basic, d.by_nature.project];
    let expend = if nature.iter().any(Option::is_some) { money(e.expend_total) } else { String::new() };
    funds.row(vec![Cell::text("按收入性质分：").cols(3), Cell::text(format!("按支出性质分：{expend}")).cols(4)]);
    let sources = d.by_source.values();
    for (i, (_, label)) in Sources::ROWS.iter().enumerate() {
        let label = if i == 0 { format!("其中：{label}") } else { label.to_string() };
        let mut cells = vec![Cell::text(label).cols(2), Cell::new(money_opt(sources[i]))];
        match i {
            0 => cells.extend([Cell::text("其中：基本支出").cols(2), Cell::new(money_opt(nature[0])).cols(2)]),
            1 => cells.extend([Cell::text("项目支出").cols(2), Cell::new(money_opt(nature[1])).cols(2)]),
            _ => cells.extend([Cell::empty().cols(2), Cell::empty().cols(2)]),
        }
        funds.row(cells);
    }
    blocks.push(funds);

    blocks.push(goals(&d.goal_expected, &d.goal_actual));
    blocks.push(indicator_grid(&d.indicators, e, profile.satisfaction.mode));
    blocks.extend(questionnaire_notes(&d.indicators, e));
    blocks.push(signature(wb, profile));
    Section { running_head: format!("附件2 {title}（续）"), landscape: false, report: false, blocks }
}

/// 附件3 项目支出绩效自评表 of project `index`.
pub fn project(wb: &Workbook, profile: &Profile, eval: &Evaluation, index: usize) -> Section {
    let title = format!("{}年度项目支出绩效自评表", year(wb.year, 0));
    let mut blocks = heading("附件3", &title, &wb.unit);
    let default_project = ProjectSelfEval::default();
    let p = wb.projects.get(index).unwrap_or(&default_project);
    let default_eval = FormEval::default();
    let e = eval.projects.get(index).unwrap_or(&default_eval);

    let mut head = Table::grid(&[24.0, 66.0, 24.0, 66.0]);
    head.row(vec![Cell::new("项目支出名称"), Cell::text(p.name.trim()).cols(3)]);
    head.row(vec![
        Cell::new("主管部门"),
        Cell::text(p.competent_dept.trim()),
        Cell::new("实施单位"),
        Cell::text(p.implementer.trim()),
    ]);
    blocks.push(head);

    // 项目资金: the total (as the engine scored it), then the three source rows as entered.
    let mut funds = Table::grid(&FUND_WIDTHS);
    let mut header = vec![Cell::new("项目资金\n（万元）").rows(5)];
    header.extend(fund_header());
    funds.row(header);
    let sources = p.sources();
    let printed = p.stated.as_ref().and_then(|s| s.fund_total);
    let filled = |pick: fn(&FundTotal) -> Option<rust_decimal::Decimal>| {
        sources.iter().any(|(_, _, f)| pick(f).is_some()) || printed.as_ref().is_some_and(|t| pick(t).is_some())
    };
    let total = |pick: fn(&FundTotal) -> Option<rust_decimal::Decimal>, v| if filled(pick) { money(v) } else { String::new() };
    funds.row(vec![
        Cell::new("年度资金总额"),
        Cell::new(total(|f| f.initial, e.funds.initial)),
        Cell::new(total(|f| f.full_year, e.funds.full_year)),
        Cell::new(total(|f| f.executed, e.funds.executed)),
        Cell::new(score(e.exec_weight)),
        Cell::new(percent(e.exec_rate)),
        Cell::new(score(e.exec_score)),
    ]);
    for (_, label, f) in sources {
        funds.row(vec![
            Cell::text(label),
            Cell::new(money_opt(f.initial)),
            Cell::new(money_opt(f.full_year)),
            Cell::new(money_opt(f.executed)),
            Cell::empty(),
            Cell::empty(),
            Cell::empty(),
        ]);
    }
    blocks.push(funds);

    blocks.push(goals(&p.goal_expected, &p.goal_actual));
    blocks.push(indicator_grid(&p.indicators, e, profile.satisfaction.mode));
    blocks.extend(questionnaire_notes(&p.indicators, e));
    blocks.push(signature(wb, profile));
    let name = p.name.trim();
    Section { running_head: format!("附件3 {title}（续）：{name}"), landscape: false, report: false, blocks }
}

/// 年度预算申请 / 项目资金: label, row label, 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分.
const FUND_WIDTHS: [f32; 8] = [24.0, 36.0, 20.0, 20.0, 20.0, 18.0, 22.0, 20.0];

fn fund_header() -> Vec<Cell> {
    ["", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"].into_iter().map(Cell::new).collect()
}

/// 年度总体目标: 预期目标 and 实际完成情况 side by side.
fn goals(expected: &str, actual: &str) -> Table {
    let mut t = Table::grid(&[24.0, 78.0, 78.0]);
    t.row(vec![Cell::new("年度总体目标").rows(2), Cell::new("预期目标"), Cell::new("实际完成情况")]);
    t.push(Row::new(vec![Cell::text(expected.trim()).top(), Cell::text(actual.trim()).top()]).min_height(12.0));
    t
}

/// 绩效指标 grid (forms.md §3.4): 一级 and 二级 merged over their consecutive rows, the 一级
/// label with its weight from the profile; then the 总分 row (§3.5).
fn indicator_grid(rows: &[IndicatorRow], e: &FormEval, mode: SatisfactionMode) -> Table {
    let mut t = Table::grid(&[20.0, 22.0, 34.0, 19.0, 19.0, 11.0, 11.0, 44.0]).header(1).space_after(4.0);
    t.row(
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
            .into_iter()
            .map(Cell::new)
            .collect(),
    );
    let run = |from: usize, same: &dyn Fn(&IndicatorRow) -> bool, end: usize| {
        rows[from..end].iter().take_while(|r| same(r)).count().max(1)
    };
    let mut l1_end = 0;
    for (i, row) in rows.iter().enumerate() {
        let mut cells = Vec::with_capacity(8);
        if i >= l1_end {
            let n = run(i, &|r: &IndicatorRow| r.l1 == row.l1, rows.len());
            l1_end = i + n;
            cells.push(Cell::new(category_label(&row.l1, e)).rows(n));
        }
        if i == 0 || rows[i - 1].l2 != row.l2 || rows[i - 1].l1 != row.l1 {
            let n = run(i, &|r: &IndicatorRow| r.l2 == row.l2, l1_end);
            cells.push(Cell::new(row.l2.trim()).rows(n));
        }
        let score_cell = e.rows.get(i).and_then(|r| r.score);
        cells.extend([
            Cell::text(row.name.trim()),
            Cell::new(row.target.display()),
            // A questionnaire's rate is the row's actual (profile mode Target), as the engine scores it.
            Cell::new(match (e.rows.get(i).and_then(|r| r.satisfaction), mode) {
                (Some(s), SatisfactionMode::Target) => format!("{}%", money(s)),
                _ => row.actual.display(),
            }),
            Cell::new(score_opt(row.weight)),
            Cell::new(score_opt(score_cell)),
            Cell::text(row.reason.trim()),
        ]);
        t.row(cells);
    }
    t.row(vec![
        Cell::new("总分").cols(5),
        Cell::new(score(e.total_weight)),
        Cell::new(score(e.total_score)),
        Cell::empty(),
    ]);
    t
}

/// "产出指标(30分)": the 一级 name with the weight the profile gives it (the weight on a line
/// of its own).
fn category_label(l1: &str, e: &FormEval) -> String {
    match e.categories.iter().find(|c| c.name == l1) {
        Some(c) => format!("{}\n({}分)", l1.trim(), score(c.weight)),
        None => l1.trim().to_string(),
    }
}

/// "附件N" above the title, the title, the unit.
fn heading(label: &str, title: &str, unit: &str) -> Vec<Table> {
    let mut l = Table::plain(&[1.0], 10.5);
    l.row(vec![Cell::text(label)]);
    let mut t = Table::plain(&[1.0], 16.0).space_after(1.0);
    t.row(vec![Cell::new(title)]);
    let mut u = Table::plain(&[1.0], BODY);
    u.row(vec![Cell::text(format!("填报单位：{}", unit.trim()))]);
    vec![l, t, u]
}

/// "注：" lines under a grid for rows whose 实际完成值 comes from a satisfaction questionnaire.
fn questionnaire_notes(rows: &[IndicatorRow], e: &FormEval) -> Option<Table> {
    let notes: Vec<String> = rows
        .iter()
        .zip(&e.rows)
        .enumerate()
        .filter_map(|(i, (row, r))| {
            let q = row.satisfaction.as_ref()?;
            let counts: Vec<String> = q.counts.iter().filter(|(_, n)| *n > 0).map(|(o, n)| format!("{o}{n}份")).collect();
            let rate = r.satisfaction.map(|s| format!("，满意度{}%", money(s))).unwrap_or_default();
            Some(format!("第{}行“{}”满意度问卷：有效问卷{}份，{}{rate}。", i + 1, row.name.trim(), q.respondents, counts.join("、")))
        })
        .collect();
    if notes.is_empty() {
        return None;
    }
    let mut t = Table::plain(&[1.0], BODY).space_after(2.0);
    t.row(vec![Cell::text(format!("注：{}", notes.join("\n")))]);
    Some(t)
}

/// 附件4 自评报告: the report's template (`Workbook::narrative`) filled from the evaluation, its
/// first line as the title, one paragraph a row; `None` when the report was not adopted.
pub fn narrative(wb: &Workbook, eval: &Evaluation) -> Option<Section> {
    let template = wb.narrative.as_deref()?;
    let text = crate::narrative::draft(template, wb, eval);
    let mut lines = text.lines().map(str::trim_end).skip_while(|l| l.trim().is_empty());
    let title = lines.next().unwrap_or_default().trim().to_string();
    let mut blocks = heading("附件4", &title, &wb.unit);
    let mut body = Table::plain(&[1.0], BODY + 1.0).space_after(2.0);
    for line in lines.filter(|l| !l.trim().is_empty()) {
        body.row(vec![Cell::text(line)]);
    }
    blocks.push(body);
    Some(Section { running_head: format!("附件4 {title}（续）"), landscape: false, report: true, blocks })
}

/// 填报说明: explanations attached to warnings that concern no indicator row (rules.md §8),
/// printed after the forms.
pub fn explanations(wb: &Workbook) -> Option<Section> {
    if wb.explanations.is_empty() {
        return None;
    }
    let mut blocks = heading("", "填报说明", &wb.unit);
    let mut t = Table::grid(&[10.0, 40.0, 130.0]).header(1);
    t.row(vec![Cell::new("序号"), Cell::new("事项"), Cell::new("说明")]);
    for (i, x) in wb.explanations.iter().enumerate() {
        t.row(vec![Cell::new((i + 1).to_string()), Cell::text(format!("{}\n{}", x.rule, x.cell)), Cell::text(x.text.trim())]);
    }
    blocks.push(t);
    Some(Section { running_head: "填报说明（续）".into(), landscape: false, report: false, blocks })
}

/// 填表人 / 填报日期 / 联系电话 / 单位负责人, then room for the head's signature and the stamp.
fn signature(wb: &Workbook, profile: &Profile) -> Table {
    let f = &wb.footer;
    let mut t = Table::plain(&[45.0, 45.0, 45.0, 45.0], BODY).space_after(3.0);
    t.push(
        Row::new(vec![
            Cell::text(format!("填表人：{}", f.preparer.trim())),
            Cell::text(format!("填报日期：{}", date(f.date, &profile.date_format))),
            Cell::text(format!("联系电话：{}", f.phone.trim())),
            Cell::text(format!("单位负责人：{}", f.head.trim())),
        ])
        .min_height(8.0),
    );
    t.push(
        Row::new(vec![
            Cell::text("单位负责人签字：").bottom(),
            Cell::empty().cols(2).underline(),
            Cell::new("（单位盖章）").bottom(),
        ])
        .min_height(32.0),
    );
    t
}

/// A subtotal row: the engine's sums, printed only in columns where some child is filled.
fn subtotal(sum: &Sum3, children: &[Row3]) -> [String; 3] {
    let any = |pick: fn(&Row3) -> bool| children.iter().any(pick);
    [
        if any(|r| r.prev.is_some()) { money(sum.prev) } else { String::new() },
        if any(|r| r.budget.is_some()) { money(sum.budget) } else { String::new() },
        if any(|r| r.fin.is_some()) { money(sum.fin) } else { String::new() },
    ]
}

fn count(n: Option<u32>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// The year for a header, `offset` years from Y; blank while Y is not set.
fn year(y: u16, offset: i32) -> String {
    if y == 0 {
        "    ".to_string()
    } else {
        (i32::from(y) + offset).to_string()
    }
}

/// 填报日期 in the profile's format (an invalid format falls back to ISO rather than panic).
fn date(d: Option<NaiveDate>, format: &str) -> String {
    use std::fmt::Write;
    let Some(d) = d else { return String::new() };
    let mut s = String::new();
    if write!(s, "{}", d.format(format)).is_err() {
        return d.to_string();
    }
    s
}

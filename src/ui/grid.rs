//! The 绩效指标 grid shared by 附件2 and 附件3 (forms.md §3.4): 一级 cells merged over their rows
//! with the weight from the profile ("产出指标(30分)"), 二级 from the profile (pick list), 三级,
//! 年度指标值, 实际完成值, 分值, 得分 (computed for quantitative rows, entered with a level for
//! qualitative ones), 偏差原因分析及改进措施; rows added, removed and moved within a category.

use iced::widget::{column, container, pick_list, row, text, Column, Row};
use iced::{Alignment, Element, Length, Padding};

use crate::display;
use crate::engine::{Form, FormEval, Location, RowKind};

use crate::document::Document;
use super::screen::{self, Ctx, Effect};
use super::widgets::{self, CellMsg};

#[derive(Debug, Clone)]
pub enum Message {
    Cell(CellMsg),
    /// Add a row at the end of this 一级.
    Add(String),
    Remove(usize),
    /// Move row n up (`true`) or down within its 一级.
    Move(usize, bool),
    L1(usize, String),
    L2(usize, String),
    Level(usize, String),
    /// Attach (`true`) or remove a satisfaction questionnaire on row n.
    Questionnaire(usize, bool),
}

const ADD_LABEL: &str = "＋ 新增一行";

/// The level choice that means "infer from the score".
pub const AUTO_LEVEL: &str = "按得分";

pub fn update(ctx: &mut Ctx<'_>, form: Form, project: Option<usize>, msg: Message) -> Effect {
    let at = |n: usize, col: &str| Location::new(form, project, format!("ind#{n}"), col);
    match msg {
        Message::Cell(c) => screen::handle_cell(ctx, c),
        Message::Add(l1) => match ctx.doc.add_indicator(form, project, &l1) {
            Some(n) => Effect::Focus(at(n, "name")),
            None => Effect::None,
        },
        Message::Remove(n) => {
            ctx.doc.remove_indicator(form, project, n);
            Effect::None
        }
        Message::Move(n, up) => match ctx.doc.move_indicator(form, project, n, up) {
            Some(m) => Effect::Focus(at(m, "name")),
            None => Effect::None,
        },
        Message::L1(n, l1) => {
            ctx.doc.set_category(form, project, n, Some(&l1), None);
            Effect::None
        }
        Message::L2(n, l2) => {
            ctx.doc.set_category(form, project, n, None, Some(&l2));
            Effect::None
        }
        Message::Questionnaire(n, on) => {
            ctx.doc.set_questionnaire(form, project, n, on);
            if on {
                Effect::Focus(at(n, crate::document::cells::SAT_RESPONDENTS))
            } else {
                Effect::None
            }
        }
        Message::Level(n, level) => {
            // The option reads `达成 8–10`: the level is the part before the band.
            let level = level.split(' ').next().unwrap_or_default().to_string();
            let level = (!level.starts_with(AUTO_LEVEL)).then_some(level);
            ctx.doc.set_level(form, project, n, level);
            Effect::None
        }
    }
}

/// The level pick list of a qualitative row: "按得分（达成）" (the level inferred from the score
/// until one is picked), then each level with its band for the row's 分值 (`达成 8–10` at w = 10);
/// and the option shown.
pub fn level_options(doc: &Document, r: &crate::model::IndicatorRow, inferred: Option<&str>, levels: &[String]) -> (Vec<String>, String) {
    let auto = match (&r.level, inferred) {
        (None, Some(l)) => format!("{AUTO_LEVEL}（{l}）"),
        _ => AUTO_LEVEL.to_string(),
    };
    let with_band = |level: &str| match (r.weight, doc.profile.qual_bands.iter().find(|b| b.level == level)) {
        (Some(w), Some(b)) => {
            let at = |p: rust_decimal::Decimal| display::score(w * p / rust_decimal::Decimal::ONE_HUNDRED);
            format!("{level} {}–{}", at(b.lo), at(b.hi))
        }
        _ => level.to_string(),
    };
    let mut options: Vec<String> = levels.iter().map(|l| with_band(l)).collect();
    options[0] = auto.clone();
    let chosen = r.level.as_deref().map(with_band).unwrap_or(auto);
    (options, chosen)
}

/// Row numbers (1-based) grouped into blocks in display order: one block per 一级 of the profile
/// (possibly empty), then rows whose 一级 the profile does not know.
pub fn blocks(doc: &Document, form: Form, project: Option<usize>) -> Vec<(Option<String>, Vec<usize>)> {
    let rows = crate::document::cells::indicators(&doc.wb, form, project).map_or(&[][..], |v| v.as_slice());
    let mut out: Vec<(Option<String>, Vec<usize>)> = doc.profile.categories.iter().map(|c| (Some(c.name.clone()), Vec::new())).collect();
    let mut unknown = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        match doc.profile.categories.iter().position(|c| c.name == r.l1) {
            Some(k) => out[k].1.push(i + 1),
            None => unknown.push(i + 1),
        }
    }
    if !unknown.is_empty() {
        out.push((None, unknown));
    }
    out
}

/// Input cells of the grid in reading order.
pub fn cells_in_order(doc: &Document, form: Form, project: Option<usize>) -> Vec<Location> {
    let mut out = Vec::new();
    for (_, rows) in blocks(doc, form, project) {
        for n in rows {
            let q = rate_from_questionnaire(doc, form, project, n);
            for col in ["name", "target", "actual", "weight", "score", "reason"] {
                if !(q && col == "actual") {
                    out.push(Location::new(form, project, format!("ind#{n}"), col));
                }
            }
            if questionnaire(doc, form, project, n).is_some() {
                out.push(Location::new(form, project, format!("ind#{n}"), crate::document::cells::SAT_RESPONDENTS));
                for (o, _) in &doc.profile.satisfaction.options {
                    out.push(crate::document::cells::sat_option(form, project, n, o));
                }
            }
        }
    }
    out
}

/// The grid's column widths. The fixed columns take what their content needs (a compact set
/// where the room is short: 1366×768 and 1280×720 screens, or a zoom); 三级指标 and 偏差原因分析
/// share the rest, the indicator name as much as its longest name needs (up to 70 %).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Widths {
    pub l1: f32,
    pub no: f32,
    pub l2: f32,
    pub value: f32,
    pub weight: f32,
    pub score: f32,
    pub level: f32,
    pub actions: f32,
    /// The 二级指标 pick list names the sub-category without its trailing "指标" (the header
    /// says it), so "服务对象满意度" fits the compact column.
    pub short_l2: bool,
    /// The shares (FillPortion) of 三级指标 and 偏差原因分析及改进措施 in what is left.
    pub name: u16,
    pub reason: u16,
}

impl Widths {
    /// The widths for a grid `room` layout pixels wide; 三级指标 and 偏差原因 share the rest equally.
    pub fn for_room(room: f32) -> Widths {
        const WIDE: Widths = Widths { l1: 100.0, no: 44.0, l2: 160.0, value: 100.0, weight: 58.0, score: 64.0, level: 112.0, actions: 78.0, short_l2: false, name: 1, reason: 1 };
        const COMPACT: Widths = Widths { l1: 84.0, no: 40.0, l2: 120.0, value: 88.0, weight: 50.0, score: 56.0, level: 100.0, actions: 72.0, short_l2: true, name: 1, reason: 1 };
        // Wide while the two text columns keep 450 px between them.
        if room - WIDE.fixed() >= 450.0 {
            WIDE
        } else {
            COMPACT
        }
    }

    /// The widths for a grid whose 三级指标 are `names`: the name column gets what the longest
    /// name needs on one line, between half and 70 % of the room the two text columns share.
    pub fn for_grid<'n>(room: f32, names: impl Iterator<Item = &'n str>) -> Widths {
        let mut w = Widths::for_room(room);
        let shared = (room - w.fixed()).max(1.0);
        // Em widths at the cells' text size: a CJK character one em, others about half.
        let longest = names.map(|n| n.trim().chars().map(|c| if c.is_ascii() { 0.55 } else { 1.0 }).sum::<f32>()).fold(0.0, f32::max);
        let need = longest * widgets::TEXT + 20.0;
        let share = (need / shared).clamp(0.5, 0.7);
        w.name = (share * 100.0).round() as u16;
        w.reason = 100 - w.name;
        w
    }

    fn fixed(&self) -> f32 {
        self.l1 + self.no + self.l2 + 2.0 * self.value + self.weight + self.score + self.level + self.actions
    }
}

/// A 二级指标 choice as the pick list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct L2Choice {
    name: String,
    short: bool,
}

impl std::fmt::Display for L2Choice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = if self.short { self.name.strip_suffix("指标").filter(|s| !s.is_empty()).unwrap_or(&self.name) } else { &self.name };
        f.write_str(shown)
    }
}

/// The questionnaire of row `n`, if it carries one.
fn questionnaire(doc: &Document, form: Form, project: Option<usize>, n: usize) -> Option<&crate::model::Questionnaire> {
    crate::document::cells::indicators(&doc.wb, form, project)?.get(n.checked_sub(1)?)?.satisfaction.as_ref()
}

/// Whether row `n`'s 实际完成值 is the questionnaire's rate (profile mode `Target`), shown computed.
fn rate_from_questionnaire(doc: &Document, form: Form, project: Option<usize>, n: usize) -> bool {
    questionnaire(doc, form, project, n).is_some()
        && doc.profile.satisfaction.mode == crate::profile::SatisfactionMode::Target
        && doc.is_satisfaction_row(form, project, n)
}

/// The id of the "问卷" button's container on row `n`.
pub fn questionnaire_button_id(form: Form, project: Option<usize>, n: usize) -> String {
    Location::new(form, project, format!("ind#{n}"), "sat.open").widget_id()
}

/// The sub-row under a satisfaction row: N, the count of every option with its weight, the rate.
fn questionnaire_row<'a>(doc: &'a Document, form: Form, project: Option<usize>, n: usize, rate: Option<rust_decimal::Decimal>, w: Widths) -> Element<'a, Message> {
    let loc = Location::new(form, project, format!("ind#{n}"), crate::document::cells::SAT_RESPONDENTS);
    let small_input = |l: Location| container(widgets::input(doc, l, Length::Fill).map(Message::Cell)).width(Length::Fixed(56.0));
    let result = match rate {
        Some(s) => text(format!("= 满意度 {}%", display::money(s))).size(widgets::TEXT).color(widgets::INK),
        None => text("= 满意度 —（各选项人数合计应等于有效问卷数）").size(widgets::SMALL).color(widgets::MUTED),
    };
    let head = row![
        text("满意度问卷").size(widgets::TEXT).color(widgets::INK),
        text("有效问卷数").size(widgets::SMALL),
        small_input(loc),
        result,
        iced::widget::space().width(Length::Fill),
        widgets::tool_button("移除问卷", Some(Message::Questionnaire(n, false))),
    ]
    .spacing(8)
    .align_y(Alignment::Center);
    let mut options = Row::new().spacing(6).align_y(Alignment::Center).push(text("各选项人数：").size(widgets::SMALL).color(widgets::MUTED));
    for (o, w) in &doc.profile.satisfaction.options {
        options = options
            .push(text(format!("{o}（{}%）", display::score(*w))).size(widgets::SMALL).color(widgets::MUTED))
            .push(small_input(crate::document::cells::sat_option(form, project, n, o)));
    }
    let line = column![head, options].spacing(4);
    container(line)
        .padding(Padding { top: 4.0, bottom: 4.0, left: w.no + 8.0, right: 4.0 })
        .width(Length::Fill)
        .style(widgets::label_style)
        .into()
}

fn fixed(w: f32) -> Length {
    Length::Fixed(w)
}

/// The grid's header. The two text columns' headers wrap where the room is short (their height
/// sets the row's); the fixed columns' headers stretch to it.
pub fn header_row<'a, M: 'a>(w: Widths) -> Element<'a, M> {
    let h = |label: &'a str, width: f32| widgets::header_cell(label, fixed(width), Length::Fill);
    let wrap = |label: &'a str, portion: u16| widgets::header_cell(label, Length::FillPortion(portion), Length::Shrink);
    row![
        h("一级指标", w.l1),
        h("序号", w.no),
        h("二级指标", w.l2),
        wrap("三级指标", w.name),
        h("年度指标值", w.value),
        h("实际完成值", w.value),
        h("分值", w.weight),
        h("得分", w.score),
        h("评价等级", w.level),
        wrap("偏差原因分析及改进措施", w.reason),
        h("调整", w.actions),
    ]
    .into()
}

pub fn view<'a>(doc: &'a Document, form: Form, project: Option<usize>, eval: &'a FormEval, w: Widths) -> Element<'a, Message> {
    let rows = crate::document::cells::indicators(&doc.wb, form, project).map_or(&[][..], |v| v.as_slice());
    let loc = |n: usize, col: &str| Location::new(form, project, format!("ind#{n}"), col);
    let mut grid = Column::new().spacing(0).push(header_row(w));
    let levels: Vec<String> =
        std::iter::once(AUTO_LEVEL.to_string()).chain(doc.profile.qual_bands.iter().map(|b| b.level.clone())).collect();

    for (cat, numbers) in blocks(doc, form, project) {
        let profile_cat = cat.as_deref().and_then(|c| doc.profile.category(c));
        let mut body = Column::new().spacing(0).width(Length::Fill);
        for (pos, &n) in numbers.iter().enumerate() {
            let r = &rows[n - 1];
            let re = eval.rows.get(n - 1);
            let quantitative = re.is_some_and(|e| e.kind == RowKind::Quantitative);
            let computed = re.and_then(|e| e.computed);

            let l2: Element<'a, Message> = match profile_cat {
                Some(c) => {
                    let choice = |name: &String| L2Choice { name: name.clone(), short: w.short_l2 };
                    let selected = Some(choice(&r.l2));
                    let sev = doc.severity_at(&loc(n, "l2"));
                    let pl = pick_list(c.subs.iter().map(choice).collect::<Vec<_>>(), selected, move |s| Message::L2(n, s.name))
                        .style(widgets::pick_style)
                        .text_size(widgets::TEXT)
                        .padding(Padding::from([5, 6]))
                        .width(Length::Fill);
                    let c = container(widgets::clipped(pl)).width(fixed(w.l2)).height(Length::Fixed(widgets::ROW_H)).id(loc(n, "l2").widget_id());
                    match sev {
                        Some(_) => c.style(|t| widgets::banner_style(crate::engine::Severity::Error)(t)).into(),
                        None => c.style(widgets::plain_cell_style).into(),
                    }
                }
                None => {
                    let names: Vec<String> = doc.profile.categories.iter().map(|c| c.name.clone()).collect();
                    container(widgets::clipped(
                        pick_list(names, None::<String>, move |s| Message::L1(n, s))
                            .placeholder(format!("{}→?", r.l1))
                            .text_size(widgets::TEXT)
                            .padding(Padding::from([5, 6]))
                            .width(Length::Fill),
                    ))
                    .id(loc(n, "l1").widget_id())
                    .width(fixed(w.l2))
                    .height(Length::Fixed(widgets::ROW_H))
                    .style(|t| widgets::banner_style(crate::engine::Severity::Error)(t))
                    .into()
                }
            };

            let score: Element<'a, Message> = if quantitative || computed.is_some() {
                widgets::computed(doc, Some(&loc(n, "score")), display::score_opt(re.and_then(|e| e.score)), fixed(w.score))
            } else {
                // A row suggested 达成 (rules.md §4.3) shows the suggested score, greyed, until one is typed.
                let suggested = doc.at(&loc(n, "score")).any(|f| f.rule == crate::engine::RuleId::QualSuggested);
                let hint = if suggested { format!("建议{}", display::score_opt(re.and_then(|e| e.score))) } else { String::new() };
                widgets::cell_with(doc, loc(n, "score"), fixed(w.score), &hint).map(Message::Cell)
            };
            let level: Element<'a, Message> = if quantitative {
                container(text("定量").size(widgets::SMALL).color(widgets::MUTED))
                    .center_x(fixed(w.level))
                    .height(Length::Fixed(widgets::ROW_H))
                    .align_y(Alignment::Center)
                    .style(widgets::computed_style)
                    .into()
            } else {
                let (options, chosen) = level_options(doc, r, re.and_then(|e| e.level.as_deref()), &levels);
                container(widgets::clipped(
                    pick_list(options, Some(chosen), move |s| Message::Level(n, s))
                        .style(widgets::pick_style)
                        .text_size(widgets::SMALL)
                        .padding(Padding::from([6, 4]))
                        .width(Length::Fill),
                ))
                .width(fixed(w.level))
                .height(Length::Fixed(widgets::ROW_H))
                .style(widgets::plain_cell_style)
                .into()
            };
            let first = pos == 0;
            let last = pos + 1 == numbers.len();
            let tools = row![
                widgets::tool_button("↑", (!first).then_some(Message::Move(n, true))),
                widgets::tool_button("↓", (!last).then_some(Message::Move(n, false))),
                widgets::tool_button("×", Some(Message::Remove(n))),
            ]
            .spacing(0);
            let actions = container(tools)
            .width(fixed(w.actions))
            .height(Length::Fixed(widgets::ROW_H))
            .align_y(Alignment::Center)
            .style(widgets::label_style);

            let line = Row::new()
                .push(widgets::label(n.to_string(), fixed(w.no)))
                .push(l2)
                .push(widgets::cell(doc, loc(n, "name"), Length::FillPortion(w.name)).map(Message::Cell))
                .push(widgets::cell(doc, loc(n, "target"), fixed(w.value)).map(Message::Cell))
                .push(if rate_from_questionnaire(doc, form, project, n) {
                    let rate = re.and_then(|e| e.satisfaction).map(|s| format!("{}%", display::money(s))).unwrap_or_default();
                    widgets::computed(doc, Some(&loc(n, "actual")), rate, fixed(w.value))
                } else {
                    widgets::cell(doc, loc(n, "actual"), fixed(w.value)).map(Message::Cell)
                })
                .push(widgets::cell(doc, loc(n, "weight"), fixed(w.weight)).map(Message::Cell))
                .push(score)
                .push(level)
                .push(widgets::cell(doc, loc(n, "reason"), Length::FillPortion(w.reason)).map(Message::Cell))
                .push(actions);
            body = body.push(line);
            if r.satisfaction.is_some() {
                body = body.push(questionnaire_row(doc, form, project, n, re.and_then(|e| e.satisfaction), w));
            } else if doc.is_satisfaction_row(form, project, n) {
                let open = widgets::tool_button("＋ 按问卷计算满意度（输入各选项人数）", Some(Message::Questionnaire(n, true)));
                body = body.push(
                    container(container(open).id(questionnaire_button_id(form, project, n)))
                        .padding(Padding { top: 1.0, bottom: 1.0, left: w.no, right: 0.0 }),
                );
            } else {
                // Same number of children per row whatever the row is (the widget tree stays put).
                body = body.push(iced::widget::space());
            }
            body = body.push(widgets::row_messages(doc.lines_on_row(form, project, &format!("ind#{n}"))));
        }
        if numbers.is_empty() {
            body = body.push(widgets::label("（本类暂无指标）", Length::Fill));
        }
        if let Some(c) = cat.clone() {
            // Tall enough that the merged 一级 cell beside a one-row block shows all it holds.
            let h = if numbers.len() <= 1 { 52.0 } else { 28.0 };
            body = body.push(
                container(widgets::tool_button(ADD_LABEL, Some(Message::Add(c))))
                    .height(Length::Fixed(h))
                    .align_y(Alignment::Center)
                    .padding(Padding { top: 0.0, bottom: 0.0, left: 4.0, right: 0.0 }),
            );
        }

        // The merged 一级 cell: name, weight, the sums of its rows, and "add a row".
        let cat_name = cat.clone().unwrap_or_else(|| "不在评价规则中".into());
        let ce = cat.as_deref().and_then(|c| eval.categories.iter().find(|e| e.name == c));
        let cat_loc = Location::new(form, project, format!("cat:{cat_name}"), "weight");
        let cat_sev = doc.severity_at(&cat_loc);
        let mut head = column![text(cat_name.clone()).size(widgets::TEXT)].spacing(2).align_x(Alignment::Center);
        if let Some(c) = profile_cat {
            head = head.push(text(format!("({}分)", display::score(c.weight))).size(widgets::TEXT));
        }
        if let Some(ce) = ce {
            let color = if cat_sev.is_some() { widgets::ERROR } else { widgets::MUTED };
            head = head.push(text(format!("分值合计 {}", display::score(ce.weight_sum))).size(widgets::SMALL).color(color));
            head = head.push(text(format!("得分合计 {}", display::score(ce.score_sum))).size(widgets::SMALL).color(widgets::MUTED));
        }
        let mut l1 = container(head)
            .id(cat_loc.widget_id())
            .width(fixed(w.l1))
            .height(Length::Fill)
            .padding(4)
            .align_y(Alignment::Center)
            .align_x(Alignment::Center);
        l1 = match cat_sev {
            Some(s) => l1.style(move |t| widgets::banner_style(s)(t)),
            None => l1.style(widgets::label_style),
        };
        let block: Element<'a, Message> = row![l1, body].into();
        grid = grid.push(block);
        grid = grid.push(widgets::row_messages(doc.lines_on_row(form, project, &format!("cat:{cat_name}"))));
    }
    grid.into()
}

/// The 总分 row under the grid: 分值 and 得分 totals, and the grade ("（暂定）" while errors remain).
pub fn total_row<'a, M: 'a>(doc: &'a Document, form: Form, project: Option<usize>, eval: &'a FormEval, w: Widths) -> Element<'a, M> {
    let loc = |col: &str| Location::new(form, project, "total", col);
    let line = row![
        widgets::header("总分", fixed(w.l1 + w.no + w.l2)),
        widgets::label("执行率分值与全部指标合计", Length::FillPortion(w.name)),
        widgets::label("", fixed(w.value)),
        widgets::label("", fixed(w.value)),
        widgets::computed(doc, Some(&loc("weight")), display::score(eval.total_weight), fixed(w.weight)),
        widgets::computed(doc, Some(&loc("score")), display::score(eval.total_score), fixed(w.score)),
        widgets::computed(doc, None, eval.grade_label(), fixed(w.level)),
        widgets::label("", Length::FillPortion(w.reason)),
        widgets::label("", fixed(w.actions)),
    ];
    let mut col = Column::new().push(line);
    col = col.push(widgets::row_messages(doc.lines_on_row(form, project, "total")));
    col.into()
}

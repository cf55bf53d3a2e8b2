//! 附件1 部门整体支出绩效评价基础数据表 (forms.md §2), laid out like the paper form:
//! 财政供养人员情况, 经费控制情况 (E1–E16 with the special funds E10.k), 楼堂馆所控制情况,
//! 厉行节约保障措施, 说明, and the signature line.

use iced::widget::{button, container, row, text, Column, Row};
use iced::{Alignment, Element, Length, Padding};

use crate::display;
use crate::engine::{Form, Location, Sum3};

use super::screen::{self, Ctx, Effect, Page, Room};
use super::widgets::{self, CellMsg, Editors};
use crate::document::Document;

#[derive(Debug, Clone)]
pub enum Message {
    Cell(CellMsg),
    AddFund,
    RemoveFund(usize),
    AddBuilding,
    RemoveBuilding(usize),
    ClearStated,
}

fn loc(row: &str, col: &str) -> Location {
    Location::new(Form::A1, None, row, col)
}

/// The long-text cells of this screen.
fn long_texts() -> Vec<Location> {
    vec![loc("austerity", "text")]
}

/// Input cells in reading order (for Enter → the cell below).
fn cells_in_order(doc: &Document) -> Vec<Location> {
    let mut v = vec![Location::new(Form::A2, None, "header", "unit"), loc("header", "year"), loc("staff", "posts"), loc("staff", "in_post")];
    for line in LINES {
        match line {
            Line::Input(id, _, _) => v.extend(COLUMNS.iter().map(|c| loc(id, c))),
            Line::Computed(..) => {}
            Line::Funds => {
                for k in 1..=doc.wb.basic.special_funds.len() {
                    let id = format!("E10.{k}");
                    v.push(loc(&id, "name"));
                    v.extend(COLUMNS.iter().map(|c| loc(&id, c)));
                }
            }
        }
    }
    for k in 1..=doc.wb.basic.buildings.len() {
        let id = format!("building#{k}");
        for c in ["name", "approved_m2", "actual_m2", "budget_inv", "actual_inv"] {
            v.push(loc(&id, c));
        }
    }
    v
}

pub fn update(ctx: &mut Ctx<'_>, msg: Message) -> Effect {
    match msg {
        Message::Cell(c) => screen::handle_cell(ctx, c),
        Message::AddFund => {
            let k = ctx.doc.add_fund();
            Effect::Focus(loc(&format!("E10.{k}"), "name"))
        }
        Message::RemoveFund(k) => {
            ctx.doc.remove_fund(k);
            Effect::None
        }
        Message::AddBuilding => {
            let k = ctx.doc.add_building();
            Effect::Focus(loc(&format!("building#{k}"), "name"))
        }
        Message::RemoveBuilding(k) => {
            ctx.doc.remove_building(k);
            Effect::None
        }
        Message::ClearStated => {
            ctx.doc.clear_basic_stated();
            Effect::None
        }
    }
}

/// 附件1, as the app shows it.
pub struct Basic;

impl<M: From<Message> + 'static> Page<M> for Basic {
    fn long_texts(&self) -> Vec<Location> {
        long_texts()
    }

    fn cells_in_order(&self, doc: &Document) -> Vec<Location> {
        cells_in_order(doc)
    }

    fn view<'a>(&self, doc: &'a Document, editors: &'a Editors, _room: Room) -> Element<'a, M> {
        view(doc, editors).map(M::from)
    }
}

const LABEL_W: Length = Length::FillPortion(5);
const MONEY_W: Length = Length::FillPortion(2);
const COLUMNS: [&str; 3] = ["prev", "budget", "final"];

/// The input rows and computed subtotal rows of 经费控制情况, in printed order.
enum Line {
    Input(&'static str, &'static str, u16),
    Computed(&'static str, &'static str, fn(&crate::engine::BasicEval) -> Sum3),
    Funds,
}

const LINES: &[Line] = &[
    Line::Computed("E1", "\"三公\"经费", |e| e.three_public),
    Line::Computed("E2", "1、公务用车购置和维护经费", |e| e.vehicles),
    Line::Input("E3", "其中：公车购置", 2),
    Line::Input("E4", "公车运行维护", 2),
    Line::Input("E5", "2、出国经费", 0),
    Line::Input("E6", "3、公务接待", 0),
    Line::Computed("E7", "项目支出：", |e| e.projects),
    Line::Input("E8", "1、业务工作经费", 0),
    Line::Input("E9", "2、运行维护经费", 0),
    Line::Computed("E10", "3、县级专项资金(一个专项一行)", |e| e.special),
    Line::Funds,
    Line::Input("E11", "公用经费", 0),
    Line::Input("E12", "其中：办公经费", 2),
    Line::Input("E13", "水费、电费、差旅费", 2),
    Line::Input("E14", "会议费、培训费", 2),
    Line::Input("E15", "政府采购金额", 0),
    Line::Input("E16", "部门基本支出预算调整", 0),
];

fn indented(label: &str, indent: u16) -> String {
    format!("{}{label}", "　".repeat(indent as usize))
}

fn push_messages<'a>(col: Column<'a, Message>, doc: &'a Document, row: &str) -> Column<'a, Message> {
    col.push(widgets::row_messages(doc.lines_on_row(Form::A1, None, row)))
}

fn cell<'a>(doc: &'a Document, row: &str, col: &str, width: Length) -> Element<'a, Message> {
    widgets::cell(doc, loc(row, col), width).map(Message::Cell)
}

fn view<'a>(doc: &'a Document, editors: &'a Editors) -> Element<'a, Message> {
    let wb = &doc.wb;
    let y = wb.year;
    let eval = &doc.eval.basic;
    let mut page = Column::new().spacing(0).width(Length::Fill);

    page = page.push(widgets::title_block(
        "附件1",
        format!("{}年度部门整体支出绩效评价基础数据表", if y > 0 { y.to_string() } else { "____".into() }),
        None,
    ));
    let unit_year = row![
        text("预算部门名称：").size(widgets::TEXT),
        container(widgets::input_with(doc, Location::new(Form::A2, None, "header", "unit"), Length::Fill, "例如 汨罗市残疾人联合会").map(Message::Cell))
            .width(Length::Fixed(320.0)),
        text("评价年度：").size(widgets::TEXT),
        container(widgets::input_with(doc, loc("header", "year"), Length::Fill, "2023").map(Message::Cell)).width(Length::Fixed(80.0)),
        text("年").size(widgets::TEXT),
    ]
    .spacing(8)
    .align_y(Alignment::Center);
    page = page.push(container(unit_year).padding(Padding { top: 12.0, bottom: 4.0, left: 0.0, right: 0.0 }));
    page = push_messages(page, doc, "header");

    // 一、财政供养人员情况
    page = page.push(widgets::section("一、财政供养人员情况(人)"));
    let staff_head = row![
        widgets::header("编制数", Length::Fill),
        widgets::header(format!("{y}年实际在职人数"), Length::Fill),
        widgets::header("控制率", Length::Fill),
    ];
    let staff = row![
        cell(doc, "staff", "posts", Length::Fill),
        cell(doc, "staff", "in_post", Length::Fill),
        widgets::computed(doc, Some(&loc("staff", "control_rate")), display::percent(eval.control_rate), Length::Fill),
    ];
    page = page.push(container(Column::new().push(staff_head).push(staff)).width(Length::Fixed(620.0)));
    page = push_messages(page, doc, "staff");

    // 二、经费控制情况
    page = page.push(widgets::section("二、经费控制情况(万元)"));
    let mut table = Column::new().spacing(0);
    table = table.push(row![
        widgets::header("项目", LABEL_W),
        widgets::header(format!("{}年决算数", y.saturating_sub(1)), MONEY_W),
        widgets::header(format!("{y}年预算数"), MONEY_W),
        widgets::header(format!("{y}年决算数"), MONEY_W),
        widgets::header("", Length::Fixed(44.0)),
    ]);
    for line in LINES {
        match line {
            Line::Input(id, label, indent) => {
                let mut r = Row::new().push(widgets::label(indented(label, *indent), LABEL_W));
                for c in COLUMNS {
                    r = r.push(cell(doc, id, c, MONEY_W));
                }
                r = r.push(widgets::label("", Length::Fixed(44.0)));
                table = table.push(r);
                table = push_messages(table, doc, id);
            }
            Line::Computed(id, label, get) => {
                let sum = get(eval);
                let mut r = Row::new().push(widgets::label(*label, LABEL_W));
                for c in COLUMNS {
                    r = r.push(widgets::computed(doc, Some(&loc(id, c)), display::money(sum.get(c)), MONEY_W));
                }
                r = r.push(widgets::label("", Length::Fixed(44.0)));
                table = table.push(r);
                table = push_messages(table, doc, id);
            }
            Line::Funds => {
                for (k, _) in wb.basic.special_funds.iter().enumerate() {
                    let id = format!("E10.{}", k + 1);
                    let name = container(widgets::input_with(doc, loc(&id, "name"), Length::Fill, "专项名称（一个专项一行）").map(Message::Cell))
                        .padding(Padding { top: 0.0, bottom: 0.0, left: 28.0, right: 0.0 })
                        .width(LABEL_W)
                        .height(Length::Fixed(widgets::ROW_H))
                        .style(widgets::label_style);
                    let mut r = Row::new().push(name);
                    for c in COLUMNS {
                        r = r.push(cell(doc, &id, c, MONEY_W));
                    }
                    r = r.push(
                        container(widgets::tool_button("×", Some(Message::RemoveFund(k + 1))))
                            .width(Length::Fixed(44.0))
                            .height(Length::Fixed(widgets::ROW_H))
                            .center_x(Length::Fixed(44.0))
                            .style(widgets::label_style),
                    );
                    table = table.push(r);
                    table = push_messages(table, doc, &id);
                }
                table = table.push(
                    container(button(text("＋ 新增专项").size(widgets::SMALL)).style(button::text).padding([3, 8]).on_press(Message::AddFund))
                        .padding(Padding { top: 0.0, bottom: 0.0, left: 24.0, right: 0.0 }),
                );
            }
        }
    }
    page = page.push(table);
    // A slot either way, so the inputs after it keep their place in the widget tree.
    page = page.push(if wb.basic.stated.is_some() { stated_notice() } else { iced::widget::space().into() });

    // 三、楼堂馆所控制情况
    page = page.push(widgets::section(format!("三、楼堂馆所控制情况({y}年完工项目)")));
    let bw = Length::FillPortion(2);
    let mut bt = Column::new().spacing(0).push(row![
        widgets::header("项目名称", Length::FillPortion(3)),
        widgets::header("批复规模(m²)", bw),
        widgets::header("实际规模(m²)", bw),
        widgets::header("规模控制率", bw),
        widgets::header("预算投资(万元)", bw),
        widgets::header("实际投资(万元)", bw),
        widgets::header("投资概算控制率", bw),
        widgets::header("", Length::Fixed(44.0)),
    ]);
    if wb.basic.buildings.is_empty() {
        bt = bt.push(widgets::label("无（本年度没有完工的楼堂馆所项目）", Length::Fill));
    }
    for (k, _) in wb.basic.buildings.iter().enumerate() {
        let id = format!("building#{}", k + 1);
        let (scale, inv) = eval.buildings.get(k).copied().unwrap_or((None, None));
        let r = row![
            cell(doc, &id, "name", Length::FillPortion(3)),
            cell(doc, &id, "approved_m2", bw),
            cell(doc, &id, "actual_m2", bw),
            widgets::computed(doc, Some(&loc(&id, "scale_rate")), display::percent(scale), bw),
            cell(doc, &id, "budget_inv", bw),
            cell(doc, &id, "actual_inv", bw),
            widgets::computed(doc, Some(&loc(&id, "invest_rate")), display::percent(inv), bw),
            container(widgets::tool_button("×", Some(Message::RemoveBuilding(k + 1))))
                .height(Length::Fixed(widgets::ROW_H))
                .center_x(Length::Fixed(44.0))
                .style(widgets::label_style),
        ];
        bt = bt.push(r);
        bt = push_messages(bt, doc, &id);
    }
    bt = bt.push(button(text("＋ 新增完工项目").size(widgets::SMALL)).style(button::text).padding([3, 8]).on_press(Message::AddBuilding));
    page = page.push(bt);

    // 四、厉行节约保障措施
    page = page.push(widgets::section("四、厉行节约保障措施"));
    page = page.push(widgets::editor(doc, editors, loc("austerity", "text"), 90.0).map(Message::Cell));
    page = push_messages(page, doc, "austerity");

    page = page.push(widgets::section("说明"));
    page = page.push(
        text(
            "1. “项目支出”需要填报除基本支出以外的所有项目支出情况。\n2. “公用经费”填报基本支出中的一般商品和服务支出。",
        )
        .size(widgets::SMALL)
        .color(widgets::MUTED),
    );
    page = page.push(widgets::footer(doc).map(Message::Cell));
    page.into()
}

fn stated_notice<'a>() -> Element<'a, Message> {
    container(
        row![
            text("本表保留了原表填报的小计（仅用于与计算值核对，不参与计算）。").size(widgets::SMALL).color(widgets::MUTED),
            button(text("清除原表填报值").size(widgets::SMALL)).style(button::secondary).padding([2, 8]).on_press(Message::ClearStated),
        ]
        .spacing(10)
        .align_y(Alignment::Center),
    )
    .padding(Padding { top: 6.0, bottom: 0.0, left: 0.0, right: 0.0 })
    .into()
}

//! The window around the screen on display: a tool bar (新建 打开 最近文件 保存 另存为 · 撤销 重做 ·
//! 打印预览 导出), a banner when something went wrong, the step side bar (基础数据表,
//! 整体支出自评表, each 项目支出自评表, 自评报告, 问题清单 with their error counts), the screen in
//! a scrollable (only that screen is built), 上一步/下一步, the status bar ("N 错误 · M 警告",
//! the live 总分 and 等级); the print preview and dialogs as layers over it.

use std::path::PathBuf;

use iced::widget::{button, column, container, opaque, pick_list, row, scrollable, stack, text, text_input, Column};
use iced::{Alignment, Element, Length, Padding};

use crate::engine::Severity;

use crate::ui::screen::Screen;
use crate::ui::{preview, widgets};
use crate::document::Counts;
use super::{step_id, Answer, App, Banner, ConflictChoice, Dialog, ExportKind, LockChoice, Message, PathPurpose, Pending, PATH_FIELD_ID, SCROLL_ID, STEPS_ID};

impl App {
    pub fn view<'a>(&'a self) -> Element<'a, Message> {
        let page = self.page();
        let screen = page.view(&self.doc, &self.editors, self.room());
        let margins = Padding { top: 16.0, bottom: 24.0, left: 24.0, right: 28.0 };
        let body: Element<'a, Message> = if page.scrolls_itself() {
            container(screen).padding(Padding { bottom: 0.0, ..margins }).width(Length::Fill).height(Length::Fill).into()
        } else {
            scrollable(container(screen).padding(margins).width(Length::Fill)).id(SCROLL_ID).height(Length::Fill).width(Length::Fill).into()
        };
        let main = column![body, self.nav_bar()];
        // The strips above the forms are slots, present (empty) even when they have nothing to
        // show: the forms stay at the same place in the widget tree, and a focused cell keeps its
        // focus when a banner comes or goes.
        let slot = |e: Option<Element<'a, Message>>| e.unwrap_or_else(|| iced::widget::space().into());
        let page = column![
            self.tool_bar(),
            slot(self.banner.as_ref().map(banner)),
            slot(self.path_field.as_ref().map(path_field)),
            slot((!self.doc.wb.carried.is_empty()).then(|| carried_bar(self.doc.wb.carried.len(), self.doc.wb.year))),
            row![self.side_bar(), main].height(Length::Fill),
            self.status_bar(),
        ];
        // Likewise the print preview and dialogs are layers over the page, which stays the first
        // child of the stack whether or not they are up.
        let mut layers = stack![page];
        // Under the 打印… dialog the preview is not drawn (it stays open, back on Esc): the
        // software renderer's partial redraws of its page layers under the dialog's translucent
        // backdrop left undimmed patches (seen under Xvfb when the printer list arrived).
        let printing = matches!(self.dialog, Some(Dialog::Print(_)));
        if let Some(p) = self.preview.as_ref().filter(|_| !printing) {
            layers = layers.push(opaque(preview::view(p).map(Message::Preview)));
        }
        if let Some(d) = &self.dialog {
            layers = layers.push(opaque(container(dialog(d, self)).center(Length::Fill).style(|_| container::Style {
                background: Some(iced::Color::from_rgba(0.0, 0.0, 0.0, 0.35).into()),
                ..Default::default()
            })));
        }
        layers.into()
    }

    fn tool_bar(&self) -> Element<'_, Message> {
        let b = |label: &'static str, msg: Option<Message>| -> Element<'_, Message> {
            button(text(label).size(widgets::TEXT).wrapping(text::Wrapping::None)).style(button::text).padding([5, 10]).on_press_maybe(msg).into()
        };
        let recent: Vec<RecentItem> = self.recent.iter().map(|p| RecentItem(p.clone())).collect();
        let recent = pick_list(recent, None::<RecentItem>, |r| Message::OpenRecent(r.0))
            .placeholder("最近文件")
            .text_size(widgets::TEXT)
            .padding([4, 8])
            .width(Length::Fixed(150.0));
        let undo_tip = self.doc.history.can_undo().then_some(Message::Undo);
        let redo_tip = self.doc.history.can_redo().then_some(Message::Redo);
        // The file's path takes what room is left, clipped where the buttons need it (1280 px).
        let file = container(
            text(self.path.as_ref().map_or("未保存的新草稿".into(), |p| p.display().to_string()))
                .size(widgets::SMALL)
                .color(widgets::MUTED)
                .wrapping(text::Wrapping::None),
        )
        .align_right(Length::Fill)
        .padding(Padding { left: 8.0, ..Padding::ZERO })
        .clip(true);
        // A narrow window (1366×768 at 150 %, 1280×720 at 130 %) gets one 导出… (the picker has the
        // format) and a shorter 生成下一年度草稿, and no path: the buttons stay on one line.
        let narrow = self.window.width < NARROW_TOOL_BAR;
        let mut bar = row![
            b("新建", Some(Message::New)),
            b("打开…", Some(Message::Open)),
            recent,
            b("保存", Some(Message::Save)),
            b("另存为…", Some(Message::SaveAs)),
            text("|").color(widgets::GRID),
            b("撤销", undo_tip),
            b("重做", redo_tip),
            text("|").color(widgets::GRID),
            b("检查", Some(Message::Check)),
            b("打印预览", Some(Message::OpenPreview)),
            b("打印…", Some(Message::Print)),
        ];
        if narrow {
            bar = bar.push(b("导出…", Some(Message::Export(ExportKind::Pdf))));
        } else {
            bar = bar
                .push(b("导出PDF…", Some(Message::Export(ExportKind::Pdf))))
                .push(b("导出Word…", Some(Message::Export(ExportKind::Docx))))
                .push(b("导出Excel…", Some(Message::Export(ExportKind::Xlsx))));
        }
        bar = bar.push(text("|").color(widgets::GRID)).push(b(if narrow { "下一年度…" } else { "生成下一年度草稿…" }, Some(Message::Rollover)));
        if !narrow {
            bar = bar.push(file);
        }
        let bar = bar
        .spacing(2)
        .align_y(Alignment::Center);
        container(bar)
            .padding(Padding::from([4, 10]))
            .width(Length::Fill)
            .style(widgets::strip_style(iced::Color::from_rgb(0.97, 0.975, 0.98), widgets::GRID))
            .into()
    }

    fn side_bar(&self) -> Element<'_, Message> {
        let idx = &self.doc.index;
        let narrow = self.narrow_side_bar();
        let mut col = Column::new().spacing(2).padding(Padding::from([10, if narrow { 4 } else { 8 }]));
        // «: narrow (numbers and marks only, the forms get the room); »: the steps' names again.
        let toggle = iced::widget::tooltip(
            button(text(if narrow { "»" } else { "«" }).size(widgets::TEXT)).style(button::text).padding([0, 6]).on_press(Message::ToggleSideBar),
            container(text(if narrow { "展开步骤栏（Ctrl+B）" } else { "收起步骤栏（Ctrl+B）" }).size(widgets::SMALL)).padding(4).style(container::rounded_box),
            iced::widget::tooltip::Position::Bottom,
        );
        col = col.push(if narrow {
            Element::from(container(toggle).center_x(Length::Fill))
        } else {
            row![text("填报步骤").size(widgets::SMALL).color(widgets::MUTED), iced::widget::space().width(Length::Fill), toggle]
                .align_y(Alignment::Center)
                .into()
        });
        let step = |active: bool, label: String, hint: &'static str, c: Counts, target: Screen| step(narrow, active, label, hint, c, target);
        let scope = self.doc.wb.scope;
        if scope.department {
            col = col.push(step(self.screen == Screen::Basic, "1  基础数据表".into(), "附件1", idx.basic, Screen::Basic));
            col = col.push(step(
                self.screen == Screen::Department,
                "2  整体支出自评表".into(),
                "附件2",
                idx.department,
                Screen::Department,
            ));
        }
        if scope.projects {
            col = self.project_steps(col, narrow);
        }
        if scope.has_report() {
            let r = idx.report;
            col = col.push(step(self.screen == Screen::Report, "4  自评报告".into(), "附件4", r, Screen::Report));
        }
        let t = idx.total;
        col = col.push(step(self.screen == Screen::Problems, "5  问题清单".into(), "", t, Screen::Problems));
        container(col)
            .width(Length::Fixed(if narrow { NARROW_SIDE_BAR } else { SIDE_BAR }))
            .height(Length::Fill)
            .style(widgets::strip_style(iced::Color::from_rgb(0.965, 0.97, 0.975), widgets::GRID))
            .into()
    }

    /// 3 项目支出自评表 with its ＋ 新增 and one step a project.
    fn project_steps<'a>(&'a self, mut col: Column<'a, Message>, narrow: bool) -> Column<'a, Message> {
        let idx = &self.doc.index;
        let add = button(text(if narrow { "＋" } else { "＋ 新增" }).size(widgets::SMALL)).style(button::text).padding([2, 6]).on_press(Message::AddProject);
        col = col.push(if narrow {
            Element::from(
                row![text("3").size(widgets::TEXT), iced::widget::space().width(Length::Fill), add]
                    .align_y(Alignment::Center)
                    .padding(Padding { top: 6.0, bottom: 2.0, left: 8.0, right: 0.0 }),
            )
        } else {
            row![text("3  项目支出自评表").size(widgets::TEXT), iced::widget::space().width(Length::Fill), add]
                .align_y(Alignment::Center)
                .padding(Padding { top: 6.0, bottom: 2.0, left: 8.0, right: 0.0 })
                .into()
        });
        let mut projects = Column::new().spacing(1);
        for (i, p) in self.doc.wb.projects.iter().enumerate() {
            let c = idx.projects.get(i).copied().unwrap_or_default();
            let name = p.name.trim();
            let name = if name.is_empty() { format!("项目{}", i + 1) } else { name.to_string() };
            let entry = step(narrow, self.screen == Screen::Project(i), format!("3.{}  {name}", i + 1), "", c, Screen::Project(i));
            projects = projects.push(container(entry).id(step_id(i)));
        }
        if self.doc.wb.projects.is_empty() && !narrow {
            projects = projects.push(container(text("尚无项目，点“＋ 新增”").size(widgets::SMALL).color(widgets::MUTED)).padding([4, 16]));
        }
        let many = self.doc.wb.projects.len() > 12;
        let projects: Element<'_, Message> = if many { scrollable(projects).id(STEPS_ID).height(Length::Fill).into() } else { projects.into() };
        col.push(projects)
    }

    fn nav_bar(&self) -> Element<'_, Message> {
        let steps = self.steps();
        let i = steps.iter().position(|s| *s == self.screen).unwrap_or(0);
        let name = |s: Screen| s.name(&self.doc);
        let prev = (i > 0).then(|| steps[i - 1]);
        let next = steps.get(i + 1).copied();
        let bar = row![
            button(text(prev.map_or("上一步".into(), |s| format!("‹ 上一步：{}", name(s)))).size(widgets::TEXT))
                .style(button::secondary)
                .padding([5, 12])
                .on_press_maybe(prev.map(|_| Message::Prev)),
            iced::widget::space().width(Length::Fill),
            button(text(next.map_or("下一步".into(), |s| format!("下一步：{} ›", name(s)))).size(widgets::TEXT))
                .style(button::primary)
                .padding([5, 12])
                .on_press_maybe(next.map(|_| Message::Next)),
        ]
        .align_y(Alignment::Center);
        container(bar)
            .padding(Padding::from([6, 24]))
            .width(Length::Fill)
            .style(widgets::strip_style(iced::Color::WHITE, widgets::GRID))
            .into()
    }

    fn status_bar(&self) -> Element<'_, Message> {
        let t = self.doc.index.total;
        let counts = row![
            text(format!("{} 错误", t.errors)).size(widgets::TEXT).color(if t.errors > 0 { widgets::ERROR } else { widgets::INK }),
            text("·").size(widgets::TEXT),
            text(format!("{} 警告", t.warnings)).size(widgets::TEXT).color(if t.warnings > 0 { widgets::WARNING } else { widgets::INK }),
            text("·").size(widgets::TEXT),
            text(format!("{} 提示", t.infos)).size(widgets::TEXT).color(widgets::MUTED),
            text(if t.unfilled > 0 { format!("· {} 未填", t.unfilled) } else { String::new() }).size(widgets::TEXT).color(widgets::MUTED),
            // 已保存 HH:MM while the figures are those saved; empty otherwise (same widget).
            text(match (&self.saved_at, self.doc.dirty) {
                (Some(at), false) => format!("已保存 {at}"),
                _ => String::new(),
            })
            .size(widgets::TEXT)
            .color(widgets::MUTED),
        ]
        .spacing(6);
        let verdict = match self.screen.scored(&self.doc) {
            Some((label, e)) => format!("{label}  总分 {} · 等级 {}", crate::display::score(e.total_score), e.grade_label()),
            None => "尚无项目".to_string(),
        };
        let score = text(format!("{} · {verdict}", self.doc.wb.scope.label())).size(widgets::TEXT);
        // Rows counted at a suggested score until accepted: say how many, offer 全部采纳.
        let suggested = self.doc.index.suggestions;
        let accept: Element<'_, Message> = if suggested > 0 {
            button(text(format!("{suggested} 行建议得分 · 全部采纳")).size(widgets::SMALL))
                .style(button::secondary)
                .padding([2, 8])
                .on_press(Message::AcceptSuggestions)
                .into()
        } else {
            iced::widget::space().width(0).into()
        };
        // The zoom (Ctrl+= / Ctrl+- / Ctrl+0); a click resets it.
        let zoom = button(text(format!("{}%", self.zoom)).size(widgets::SMALL)).style(button::text).padding([2, 6]).on_press(Message::Zoom(0));
        // The rules in use; a click changes them (and the filing scope).
        let rules = button(text(format!("评价规则 {}", self.doc.profile.id)).size(widgets::SMALL))
            .style(button::text)
            .padding([2, 6])
            .on_press(Message::EditRules);
        container(row![counts, iced::widget::space().width(Length::Fill), accept, zoom, rules, score].spacing(12).align_y(Alignment::Center))
            .padding(Padding::from([5, 12]))
            .width(Length::Fill)
            .style(widgets::strip_style(widgets::HEADER_BG, widgets::GRID))
            .into()
    }
}

/// A recent file in the pick list, shown by name and folder.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RecentItem(PathBuf);

impl std::fmt::Display for RecentItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.display())
    }
}

/// The side bar's width.
pub const SIDE_BAR: f32 = 236.0;

/// Below this window width (layout pixels) the tool bar takes its short form.
const NARROW_TOOL_BAR: f32 = 1250.0;

/// The side bar's width when narrow: room for "3.12" and two marks.
pub const NARROW_SIDE_BAR: f32 = 64.0;

/// One step of the side bar: its label ("3.1  项目名"), form hint and marks (未填, errors, warnings
/// or ✓). Narrow: the number over the marks, the name in a tooltip.
fn step<'a>(narrow: bool, active: bool, label: String, hint: &'a str, c: Counts, target: Screen) -> Element<'a, Message> {
    let (errors, warnings) = (c.errors, c.warnings);
    let mut badges = row![].spacing(if narrow { 2 } else { 4 }).align_y(Alignment::Center);
    if c.unfilled > 0 {
        // Blank cells of a new draft not yet visited: 未填 (grey), not errors; the status bar
        // names them.
        badges = badges.push(pill(c.unfilled.to_string(), widgets::MUTED));
    }
    if errors > 0 {
        badges = badges.push(pill(errors.to_string(), widgets::ERROR));
    }
    if warnings > 0 && !(narrow && errors > 0 && c.unfilled > 0) {
        badges = badges.push(pill(warnings.to_string(), widgets::WARNING));
    }
    if errors == 0 && warnings == 0 && c.unfilled == 0 {
        badges = badges.push(text("✓").size(widgets::SMALL).color(iced::Color::from_rgb(0.13, 0.55, 0.25)));
    }
    let style = move |t: &iced::Theme, s: button::Status| {
        let mut st = button::text(t, s);
        if active {
            st.background = Some(iced::Color::from_rgb(0.86, 0.91, 0.98).into());
            st.border = iced::Border { color: t.palette().primary, width: 0.0, radius: 4.0.into() };
        } else if matches!(s, button::Status::Hovered) {
            st.background = Some(widgets::HEADER_BG.into());
        }
        st.text_color = widgets::INK;
        st
    };
    if narrow {
        let number = label.split("  ").next().unwrap_or_default().to_string();
        let content = column![text(number).size(widgets::TEXT).wrapping(text::Wrapping::None), badges].spacing(2).align_x(Alignment::Center);
        let b = button(content).width(Length::Fill).padding(Padding::from([4, 2])).style(style).on_press(Message::Go(target));
        let tip = container(text(format!("{label}  {hint}")).size(widgets::SMALL)).padding(4).style(container::rounded_box);
        return iced::widget::tooltip(b, tip, iced::widget::tooltip::Position::Right).into();
    }
    let content = row![
        text(label).size(widgets::TEXT).wrapping(text::Wrapping::None),
        text(hint).size(widgets::SMALL).color(widgets::MUTED),
        iced::widget::space().width(Length::Fill),
        badges,
    ]
    .spacing(6)
    .align_y(Alignment::Center);
    button(content).width(Length::Fill).padding(Padding::from([6, 8])).style(style).on_press(Message::Go(target)).into()
}

fn pill<'a>(s: String, color: iced::Color) -> Element<'a, Message> {
    container(text(s).size(widgets::SMALL - 1.0).color(iced::Color::WHITE).wrapping(text::Wrapping::None))
        .padding(Padding::from([0, 6]))
        .style(move |_| container::Style { background: Some(color.into()), border: iced::border::rounded(8), ..Default::default() })
        .into()
}

fn banner(b: &Banner) -> Element<'_, Message> {
    container(
        row![
            text(widgets::severity_mark(b.severity)).color(widgets::severity_color(b.severity)),
            text(b.text.as_str()).size(widgets::TEXT).width(Length::Fill),
            button(text("关闭").size(widgets::SMALL)).style(button::text).padding([2, 8]).on_press(Message::DismissBanner),
        ]
        .spacing(8)
        .align_y(Alignment::Center),
    )
    .padding(Padding::from([6, 12]))
    .width(Length::Fill)
    .style(widgets::banner_style(b.severity))
    .into()
}

/// The strip above the forms while cells carried over from last year await confirmation.
fn carried_bar<'a>(count: usize, year: u16) -> Element<'a, Message> {
    container(
        row![
            container(text("结转").size(widgets::SMALL).color(widgets::CARRIED))
                .padding(Padding::from([1, 6]))
                .style(|_| container::Style {
                    background: Some(widgets::CARRIED_BG.into()),
                    border: iced::Border { color: widgets::CARRIED, width: 1.0, radius: 3.0.into() },
                    ..Default::default()
                }),
            text(format!(
                "有 {count} 个单元格由{}年度草稿结转（浅紫色标出），请核对；修改单元格即视为确认。",
                year.saturating_sub(1)
            ))
            .size(widgets::TEXT)
            .width(Length::Fill),
            button(text("全部确认").size(widgets::SMALL)).style(button::secondary).padding([3, 10]).on_press(Message::ConfirmCarried),
        ]
        .spacing(8)
        .align_y(Alignment::Center),
    )
    .padding(Padding::from([5, 12]))
    .width(Length::Fill)
    .style(widgets::strip_style(widgets::CARRIED_BG, widgets::CARRIED))
    .into()
}

fn path_field(f: &(PathPurpose, String)) -> Element<'_, Message> {
    let (purpose, value) = f;
    let (prompt, action) = match purpose {
        PathPurpose::Open => ("没有看到文件对话框？可直接输入要打开的草稿路径：", "打开"),
        PathPurpose::SaveAs => ("没有看到文件对话框？可直接输入保存路径（.ron）：", "保存"),
        PathPurpose::Export => ("没有看到文件对话框？可直接输入导出路径（.pdf、.docx 或 .xlsx）：", "导出"),
    };
    container(
        row![
            text(prompt).size(widgets::TEXT),
            text_input("/home/用户/文档/2023年度绩效自评.ron", value)
                .id(PATH_FIELD_ID)
                .on_input(Message::PathEdit)
                .on_submit(Message::PathSubmit)
                .size(widgets::TEXT)
                .padding(5)
                .width(Length::Fill),
            button(text(action).size(widgets::TEXT)).style(button::primary).padding([4, 12]).on_press(Message::PathSubmit),
            button(text("取消").size(widgets::TEXT)).style(button::secondary).padding([4, 12]).on_press(Message::PathCancel),
        ]
        .spacing(8)
        .align_y(Alignment::Center),
    )
    .padding(Padding::from([6, 12]))
    .width(Length::Fill)
    .style(widgets::banner_style(Severity::Info))
    .into()
}

/// A dialog's title, text and buttons (label, message, primary).
type DialogContent = (String, String, Vec<(std::borrow::Cow<'static, str>, Message, bool)>);

fn dialog_content(d: &Dialog, app: &App) -> DialogContent {
    match d {
        Dialog::Unsaved(p) => (
            "保存修改吗？".into(),
            format!(
                "“{}”有尚未保存的修改。{}",
                app.path.as_ref().and_then(|p| p.file_name()).map_or("未命名".into(), |n| n.to_string_lossy().into_owned()),
                match p {
                    Pending::Close(_) => "关闭前是否保存？",
                    Pending::Rollover(_) => "生成下一年度草稿前是否保存？",
                    Pending::New => "新建草稿前是否保存？",
                    Pending::Sample => "打开示例前是否保存？",
                    _ => "打开其他草稿前是否保存？",
                }
            ),
            vec![
                ("保存".into(), Message::Unsaved(Answer::Save), true),
                ("不保存".into(), Message::Unsaved(Answer::Discard), false),
                ("取消".into(), Message::Unsaved(Answer::Cancel), false),
            ],
        ),
        Dialog::Recovery { recovery, when } => (
            "发现自动保存的内容".into(),
            format!(
                "上次编辑{}时程序未正常关闭。自动保存的内容（{when}）比草稿文件更新，要恢复吗？\n自动保存文件：{}",
                app.path.as_ref().map_or("新草稿".into(), |p| format!("“{}”", p.display())),
                recovery.display()
            ),
            vec![
                ("恢复".into(), Message::Recovery(true), true),
                ("稍后决定".into(), Message::DialogKey(false), false),
                ("不恢复（删除自动保存）".into(), Message::Recovery(false), false),
            ],
        ),
        Dialog::DeleteProject(p) => (
            "删除项目".into(),
            format!(
                "确定删除项目“{}”的项目支出自评表吗？（可用“撤销”恢复）",
                app.doc.wb.projects.get(*p).map_or("", |p| p.name.trim())
            ),
            vec![("删除".into(), Message::DeleteProject(true), true), ("取消".into(), Message::DeleteProject(false), false)],
        ),
        Dialog::Locked { path, holder } => (
            "草稿已在别处打开".into(),
            format!(
                "“{}”正由{holder}编辑。\n只读打开：可以查看和另存为，不会覆盖原文件。仍然打开：两处都能保存，保存前会检查文件是否已被对方改过。",
                path.display()
            ),
            vec![
                ("只读打开".into(), Message::Locked(LockChoice::ReadOnly), true),
                ("仍然打开".into(), Message::Locked(LockChoice::Anyway), false),
                ("取消".into(), Message::Locked(LockChoice::Cancel), false),
            ],
        ),
        Dialog::NewDraft(_) | Dialog::Export(_) | Dialog::Print(_) => (String::new(), String::new(), Vec::new()), // drawn by their own views
        Dialog::Start { last } => {
            let mut buttons = Vec::new();
            if let Some(p) = last {
                let name = p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned());
                buttons.push((format!("继续：{name}").into(), Message::OpenRecent(p.clone()), true));
            }
            buttons.push(("新建…".into(), Message::New, last.is_none()));
            buttons.push(("打开…".into(), Message::Open, false));
            buttons.push(("打开示例".into(), Message::OpenSample, false));
            (
                "绩效自评".into(),
                match last {
                    Some(p) => format!("上次编辑的草稿：{}\n也可以新建草稿、打开其他草稿，或先看看示例（汨罗市残联2023年度，含原表错误）。", p.display()),
                    None => "新建一份草稿（选择年度、单位、评价规则和填报范围），或打开已有的草稿；也可以先看看示例（汨罗市残联2023年度，含原表错误）。".into(),
                },
                buttons,
            )
        }
        Dialog::ChangedOnDisk(path) => (
            "文件已被修改".into(),
            format!("“{}”在本窗口打开或上次保存之后，已被其他窗口或程序修改。覆盖将丢掉对方保存的内容（对方的内容会留在 .bak 备份中）。", path.display()),
            vec![
                ("另存为…".into(), Message::ChangedOnDisk(ConflictChoice::SaveAs), true),
                ("覆盖".into(), Message::ChangedOnDisk(ConflictChoice::Overwrite), false),
                ("取消".into(), Message::ChangedOnDisk(ConflictChoice::Cancel), false),
            ],
        ),
    }
}

fn dialog<'a>(d: &'a Dialog, app: &'a App) -> Element<'a, Message> {
    let card = |content: Element<'a, Message>, width: f32| {
        container(content)
            .padding(20)
            .width(Length::Fixed(width))
            .style(|t| container::Style { border: iced::border::rounded(8), ..container::rounded_box(t) }.background(iced::Color::WHITE))
            .into()
    };
    if let Dialog::NewDraft(state) = d {
        return card(super::new_draft::view(state).map(Message::NewDraft), 640.0);
    }
    if let Dialog::Print(state) = d {
        return card(crate::ui::print_dialog::view(state).map(Message::PrintDialog), 560.0);
    }
    if let Dialog::Export(state) = d {
        return card(crate::ui::export_picker::view(state).map(Message::ExportPicker), 560.0);
    }
    let (title, body, buttons) = dialog_content(d, app);
    let mut btns = row![].spacing(10);
    for (label, msg, primary) in buttons {
        btns = btns.push(
            button(text(label).size(widgets::TEXT))
                .style(if primary { button::primary } else { button::secondary })
                .padding([6, 16])
                .on_press(msg),
        );
    }
    let content = column![text(title).size(widgets::SECTION + 1.0), text(body).size(widgets::TEXT), container(btns).align_right(Length::Fill),].spacing(14);
    card(content.into(), 480.0)
}

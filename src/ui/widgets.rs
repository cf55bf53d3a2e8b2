//! Cell widgets and styles shared by the form screens: an input cell named by its address
//! (`Location::widget_id`), outlined red/amber when a finding sits on it; read-only computed cells;
//! header cells; the message line under a row; long-text editors.

use std::collections::HashMap;

use iced::widget::{button, container, row, text, text_editor, text_input, tooltip, Column};
use iced::{border, Background, Border, Color, Element, Length, Padding, Theme};

use crate::engine::{Finding, Location, Severity};

use crate::document::Document;

/// Messages every form screen's cells send.
#[derive(Debug, Clone)]
pub enum CellMsg {
    /// The text of an input changed.
    Edit(Location, String),
    /// Enter in an input: commit and move down.
    Submit(Location),
    /// An edit in a long-text editor.
    Editor(Location, text_editor::Action),
}

/// Long-text editors of the screen on display, by address.
pub type Editors = HashMap<Location, text_editor::Content>;

// ----- sizes and colours ----------------------------------------------------------------------

pub const TEXT: f32 = 13.0;
pub const SMALL: f32 = 12.0;
pub const TITLE: f32 = 20.0;
pub const SECTION: f32 = 15.0;
pub const ROW_H: f32 = 30.0;

pub const GRID: Color = Color::from_rgb(0.77, 0.79, 0.83);
pub const HEADER_BG: Color = Color::from_rgb(0.91, 0.93, 0.96);
pub const COMPUTED_BG: Color = Color::from_rgb(0.955, 0.96, 0.965);
pub const LABEL_BG: Color = Color::from_rgb(0.985, 0.985, 0.99);
pub const ERROR: Color = Color::from_rgb(0.82, 0.16, 0.12);
pub const ERROR_BG: Color = Color::from_rgb(0.99, 0.92, 0.91);
pub const WARNING: Color = Color::from_rgb(0.80, 0.50, 0.0);
pub const WARNING_BG: Color = Color::from_rgb(1.0, 0.96, 0.85);
pub const INFO: Color = Color::from_rgb(0.10, 0.42, 0.85);
pub const MUTED: Color = Color::from_rgb(0.42, 0.45, 0.50);
pub const INK: Color = Color::from_rgb(0.13, 0.15, 0.18);
/// A cell carried over from last year's draft, not yet confirmed.
pub const CARRIED: Color = Color::from_rgb(0.47, 0.33, 0.78);
pub const CARRIED_BG: Color = Color::from_rgb(0.945, 0.925, 1.0);
/// The tooltip of a carried cell.
pub const CARRIED_TIP: &str = "上年结转，请确认（修改即视为确认）";

pub fn severity_color(s: Severity) -> Color {
    match s {
        Severity::Error => ERROR,
        Severity::Warning => WARNING,
        Severity::Info => INFO,
    }
}

pub fn severity_mark(s: Severity) -> &'static str {
    match s {
        Severity::Error => "●",
        Severity::Warning => "▲",
        Severity::Info => "ⓘ",
    }
}

// ----- styles ---------------------------------------------------------------------------------

fn grid_border() -> Border {
    Border { color: GRID, width: 0.5, radius: 0.0.into() }
}

pub fn header_style(_: &Theme) -> container::Style {
    container::Style { background: Some(HEADER_BG.into()), border: grid_border(), text_color: Some(INK), ..Default::default() }
}

pub fn label_style(_: &Theme) -> container::Style {
    container::Style { background: Some(LABEL_BG.into()), border: grid_border(), text_color: Some(INK), ..Default::default() }
}

pub fn computed_style(_: &Theme) -> container::Style {
    container::Style { background: Some(COMPUTED_BG.into()), border: grid_border(), text_color: Some(INK), ..Default::default() }
}

pub fn plain_cell_style(_: &Theme) -> container::Style {
    container::Style { background: Some(Color::WHITE.into()), border: grid_border(), ..Default::default() }
}

fn flagged_style(sev: Severity) -> impl Fn(&Theme) -> container::Style {
    move |_| {
        let (c, bg) = match sev {
            Severity::Error => (ERROR, ERROR_BG),
            Severity::Warning => (WARNING, WARNING_BG),
            Severity::Info => (INFO, COMPUTED_BG),
        };
        container::Style {
            background: Some(bg.into()),
            border: Border { color: c, width: 2.0, radius: 0.0.into() },
            text_color: Some(INK),
            ..Default::default()
        }
    }
}

/// The border and background of an input cell: flagged by its worst finding, focused, carried over
/// from last year (violet tint until confirmed), or plain.
fn cell_look(sev: Option<Severity>, focused: bool, carried: bool, primary: Color) -> (Border, Color) {
    let plain = if carried { CARRIED_BG } else { Color::WHITE };
    match sev {
        Some(Severity::Error) => (Border { color: ERROR, width: 2.0, radius: 0.0.into() }, ERROR_BG),
        Some(Severity::Warning) => (Border { color: WARNING, width: 2.0, radius: 0.0.into() }, WARNING_BG),
        _ if focused => (Border { color: primary, width: 2.0, radius: 0.0.into() }, plain),
        Some(Severity::Info) => (Border { color: INFO, width: 1.0, radius: 0.0.into() }, plain),
        None if carried => (Border { color: CARRIED, width: 1.0, radius: 0.0.into() }, plain),
        None => (Border { color: GRID, width: 0.5, radius: 0.0.into() }, plain),
    }
}

/// An input inside a grid cell: no border of its own unless flagged.
fn input_style(sev: Option<Severity>, carried: bool) -> impl Fn(&Theme, text_input::Status) -> text_input::Style {
    move |theme, status| {
        let base = text_input::default(theme, status);
        let focused = matches!(status, text_input::Status::Focused { .. });
        let (border, background) = cell_look(sev, focused, carried, theme.palette().primary);
        text_input::Style { border, background: Background::Color(background), ..base }
    }
}

fn editor_style(sev: Option<Severity>, carried: bool) -> impl Fn(&Theme, text_editor::Status) -> text_editor::Style {
    move |theme, status| {
        let base = text_editor::default(theme, status);
        let focused = matches!(status, text_editor::Status::Focused { .. });
        let (border, background) = cell_look(sev.filter(|s| *s != Severity::Info), focused, carried, theme.palette().primary);
        text_editor::Style { border, background: Background::Color(background), ..base }
    }
}

/// A full-width strip (tool bar, status bar, notices): background `bg`, a thin `line` border.
pub fn strip_style(bg: Color, line: Color) -> impl Fn(&Theme) -> container::Style {
    move |_| container::Style { background: Some(bg.into()), border: Border { color: line, width: 0.5, radius: 0.0.into() }, ..Default::default() }
}

pub fn tooltip_style(_: &Theme) -> container::Style {
    container::Style {
        background: Some(Color::from_rgb(0.16, 0.17, 0.2).into()),
        text_color: Some(Color::WHITE),
        border: border::rounded(4),
        ..Default::default()
    }
}

pub fn banner_style(sev: Severity) -> impl Fn(&Theme) -> container::Style {
    move |_| {
        let (c, bg) = match sev {
            Severity::Error => (ERROR, ERROR_BG),
            Severity::Warning => (WARNING, WARNING_BG),
            Severity::Info => (INFO, Color::from_rgb(0.91, 0.95, 1.0)),
        };
        container::Style {
            background: Some(bg.into()),
            border: Border { color: c, width: 1.0, radius: 4.0.into() },
            text_color: Some(INK),
            ..Default::default()
        }
    }
}

/// A small flat button for row actions (↑ ↓ × ＋).
pub fn tool_button<'a, M: Clone + 'a>(label: &'a str, msg: Option<M>) -> Element<'a, M> {
    button(text(label).size(SMALL))
        .padding(Padding::from([2, 6]))
        .style(button::text)
        .on_press_maybe(msg)
        .into()
}

// ----- cells ----------------------------------------------------------------------------------

/// Messages of the findings at a cell, one a line.
fn messages(findings: &[&Finding]) -> String {
    findings.iter().map(|f| format!("{} {}", f.rule.as_str(), f.message)).collect::<Vec<_>>().join("\n")
}

/// Wraps a cell in its tooltip. The wrapper is there whatever the cell's state, empty and
/// invisible when there is nothing to say: a widget that came and went with the cell's findings
/// would change the widget tree under a focused input, and iced would drop the focus (and the
/// user's next keystrokes) on the first re-validation.
fn with_tooltip<'a, M: 'a>(content: Element<'a, M>, findings: &[&Finding], carried: bool) -> Element<'a, M> {
    let mut tip = messages(findings);
    if carried {
        if !tip.is_empty() {
            tip.push('\n');
        }
        tip.push_str(CARRIED_TIP);
    }
    if tip.is_empty() {
        return tooltip(content, iced::widget::space(), tooltip::Position::Bottom).padding(0).into();
    }
    tooltip(content, container(text(tip).size(SMALL)).padding(6).style(tooltip_style), tooltip::Position::Bottom).into()
}

/// An input cell for `loc`, filling `width`.
pub fn input<'a>(doc: &'a Document, loc: Location, width: Length) -> Element<'a, CellMsg> {
    input_with(doc, loc, width, "")
}

pub fn input_with<'a>(doc: &'a Document, loc: Location, width: Length, placeholder: &str) -> Element<'a, CellMsg> {
    let found: Vec<&Finding> = doc.at(&loc).collect();
    let sev = found.iter().map(|f| f.severity).min();
    let carried = doc.is_carried(&loc);
    let value = doc.text(&loc);
    // Numbers line up on the right, as in a spreadsheet.
    let numeric = matches!(crate::document::cells::kind(&loc), Some((crate::document::cells::Kind::Money | crate::document::cells::Kind::Count | crate::document::cells::Kind::Score, _)));
    let field = text_input(placeholder, &value)
        .align_x(if numeric { iced::Alignment::End } else { iced::Alignment::Start })
        .id(loc.widget_id())
        .on_input({
            let loc = loc.clone();
            move |s| CellMsg::Edit(loc.clone(), s)
        })
        .on_submit(CellMsg::Submit(loc))
        .size(TEXT)
        .padding(Padding::from([5, 6]))
        .width(width)
        .style(input_style(sev, carried));
    with_tooltip(ime_below(field), &found, carried)
}

/// A long-text editor for `loc`.
pub fn editor<'a>(doc: &'a Document, editors: &'a Editors, loc: Location, height: f32) -> Element<'a, CellMsg> {
    let found: Vec<&Finding> = doc.at(&loc).collect();
    let sev = found.iter().map(|f| f.severity).min();
    let carried = doc.is_carried(&loc);
    let Some(content) = editors.get(&loc) else {
        // Not synced yet (first frame of a screen): a plain input keeps the text editable.
        return input(doc, loc, Length::Fill);
    };
    let ed = text_editor(content)
        .id(loc.widget_id())
        .on_action({
            let loc = loc.clone();
            move |a| CellMsg::Editor(loc.clone(), a)
        })
        .size(TEXT)
        .padding(6)
        .height(Length::Fixed(height))
        .style(editor_style(sev, carried));
    with_tooltip(ime_below(ed), &found, carried)
}

/// A read-only computed cell. `loc` names it (for jump-to-problem) and picks up its findings.
pub fn computed<'a, M: 'a>(doc: &Document, loc: Option<&Location>, value: String, width: Length) -> Element<'a, M> {
    let found: Vec<&Finding> = loc.map(|l| doc.at(l).collect()).unwrap_or_default();
    let sev = found.iter().map(|f| f.severity).min();
    let mut c = container(text(value).size(TEXT))
        .padding(Padding::from([6, 6]))
        .width(width)
        .height(Length::Fixed(ROW_H))
        .align_y(iced::alignment::Vertical::Center)
        .align_x(iced::alignment::Horizontal::Right);
    c = match sev {
        Some(s) if s != Severity::Info => c.style(flagged_style(s)),
        _ => c.style(computed_style),
    };
    if let Some(l) = loc {
        c = c.id(l.widget_id());
    }
    with_tooltip(c.into(), &found, false)
}

/// A grey header cell.
pub fn header<'a, M: 'a>(label: impl text::IntoFragment<'a>, width: Length) -> Element<'a, M> {
    header_cell(label, width, Length::Fixed(ROW_H + 4.0))
}

/// A grey header cell of any height: `Shrink` wraps its label (one line is as tall as
/// [`header`]'s), `Fill` stretches to the tallest cell of its row.
pub fn header_cell<'a, M: 'a>(label: impl text::IntoFragment<'a>, width: Length, height: Length) -> Element<'a, M> {
    container(text(label).size(TEXT))
        .padding(Padding::from([8, 6]))
        .width(width)
        .height(height)
        .align_y(iced::alignment::Vertical::Center)
        .align_x(iced::alignment::Horizontal::Center)
        .style(header_style)
        .into()
}

/// A row label cell (the 项目 column of a table).
pub fn label<'a, M: 'a>(label: impl text::IntoFragment<'a>, width: Length) -> Element<'a, M> {
    container(text(label).size(TEXT))
        .padding(Padding::from([6, 8]))
        .width(width)
        .height(Length::Fixed(ROW_H))
        .align_y(iced::alignment::Vertical::Center)
        .style(label_style)
        .into()
}

/// A label that may be taller than a row (wraps).
pub fn label_tall<'a, M: 'a>(label: impl text::IntoFragment<'a>, width: Length, height: Length) -> Element<'a, M> {
    container(text(label).size(TEXT))
        .padding(Padding::from([6, 8]))
        .width(width)
        .height(height)
        .align_y(iced::alignment::Vertical::Center)
        .style(label_style)
        .into()
}

/// An input in a grid cell: wraps the input so the grid keeps its row height.
pub fn cell<'a>(doc: &'a Document, loc: Location, width: Length) -> Element<'a, CellMsg> {
    cell_with(doc, loc, width, "")
}

/// [`cell`] with a grey text shown while it is empty (a suggested score).
pub fn cell_with<'a>(doc: &'a Document, loc: Location, width: Length, placeholder: &str) -> Element<'a, CellMsg> {
    container(input_with(doc, loc, Length::Fill, placeholder)).width(width).height(Length::Fixed(ROW_H)).style(plain_cell_style).into()
}

/// The lines of messages under a table row: every finding on that row, coloured by severity, in
/// plain Chinese (no rule codes).
///
/// Always an element, empty when the row has nothing to say, so that the widgets after it keep
/// their place in the widget tree (and their focus) when a row's last finding goes away. Screens
/// pass [`Document::lines_on_row`], which holds the lines still while the user types in a cell.
pub fn row_messages<'a, M: 'a>(findings: impl Iterator<Item = &'a Finding>) -> Element<'a, M> {
    let mut col = Column::new().spacing(1);
    let mut any = false;
    for f in findings {
        any = true;
        col = col.push(
            row![
                text(severity_mark(f.severity)).size(SMALL).color(severity_color(f.severity)),
                // Plain Chinese for the accountant: the rule code is in 问题清单, the cell's
                // tooltip and `check --format json`.
                text(f.message.as_str()).size(SMALL).color(severity_color(f.severity)),
            ]
            .spacing(6),
        );
    }
    let pad = if !any { Padding::ZERO } else { Padding { top: 2.0, bottom: 4.0, left: 10.0, right: 4.0 } };
    container(col).padding(pad).into()
}

/// A form section heading: "二、经费控制情况(万元)".
pub fn section<'a, M: 'a>(title: impl text::IntoFragment<'a>) -> Element<'a, M> {
    container(text(title).size(SECTION).color(INK)).padding(Padding { top: 14.0, bottom: 6.0, left: 0.0, right: 0.0 }).into()
}

/// The form title block: attachment label, title, subtitle.
pub fn title_block<'a, M: 'a>(attachment: &'a str, title: String, subtitle: Option<String>) -> Element<'a, M> {
    let mut col = Column::new().spacing(4).push(text(attachment).size(TEXT).color(MUTED));
    col = col.push(container(text(title).size(TITLE).color(INK)).center_x(Length::Fill));
    if let Some(s) = subtitle {
        col = col.push(container(text(s).size(TEXT).color(MUTED)).center_x(Length::Fill));
    }
    col.into()
}

/// The signature line under each form (shared by all three: addresses `A1.footer.*`).
pub fn footer(doc: &Document) -> Element<'_, CellMsg> {
    let loc = |c: &str| Location::new(crate::engine::Form::A1, None, "footer", c);
    let field = |lbl: &'static str, c: &str, w: f32, ph: &'static str| -> Element<'_, CellMsg> {
        row![
            text(lbl).size(TEXT),
            container(input_with(doc, loc(c), Length::Fill, ph)).width(Length::Fixed(w)),
        ]
        .spacing(6)
        .align_y(iced::alignment::Vertical::Center)
        .into()
    };
    let line = row![
        field("填表人：", "preparer", 120.0, ""),
        field("填报日期：", "date", 130.0, "2024.10.10"),
        field("联系电话：", "phone", 150.0, ""),
        field("单位负责人签字：", "head", 120.0, "（打印姓名）"),
    ]
    .spacing(24)
    .align_y(iced::alignment::Vertical::Center);
    let col = Column::new().spacing(2).push(line).push(row_messages(doc.lines_on_row(crate::engine::Form::A1, None, "footer")));
    container(col).padding(Padding { top: 12.0, bottom: 8.0, left: 0.0, right: 0.0 }).into()
}

// ----- wrappers -------------------------------------------------------------------------------

/// Draws its content in a layer clipped to the content's visible part.
///
/// iced 0.14's tiny-skia renderer clips "cached" text (what `pick_list` draws its value with)
/// only against the viewport passed in, not against the text's own bounds: a pick list scrolled
/// half out of the form would paint its value over the tool and status bars. In a layer of its
/// own the clip is exact.
pub fn clipped<'a, M: 'a>(content: impl Into<Element<'a, M>>) -> Element<'a, M> {
    Element::new(Wrap { content: content.into(), clip: true, ime_below: false })
}

/// An input whose input-method area is the line *below* its caret.
///
/// iced reports the caret's rectangle and winit hands only its top-left corner to XIM as the
/// "spot", so fcitx/ibus put their candidate window over the lower half of the line being typed.
/// Reporting the caret's bottom edge puts the window under the line, as in other desktop apps
/// (iced draws its own pre-edit overlay at the same place: under the line).
pub fn ime_below<'a, M: 'a>(content: impl Into<Element<'a, M>>) -> Element<'a, M> {
    Element::new(Wrap { content: content.into(), clip: false, ime_below: true })
}

/// A transparent wrapper around one widget: layout, state, events and operations are the
/// content's own; only drawing (`clip`) or the input-method request (`ime_below`) differ.
struct Wrap<'a, M> {
    content: Element<'a, M>,
    clip: bool,
    ime_below: bool,
}

mod wrap_impl {
    use iced::{mouse, Event, Length, Rectangle, Renderer, Size, Theme, Vector};
    use iced_core::layout::{self, Layout};
    use iced_core::widget::{tree, Operation, Tree};
    use iced_core::{overlay, renderer, Clipboard, InputMethod, Renderer as _, Shell, Widget};

    use super::Wrap;

    impl<'a, M> Widget<M, Theme, Renderer> for Wrap<'a, M> {
        fn size(&self) -> Size<Length> {
            self.content.as_widget().size()
        }
        fn size_hint(&self) -> Size<Length> {
            self.content.as_widget().size_hint()
        }
        fn layout(&mut self, tree: &mut Tree, renderer: &Renderer, limits: &layout::Limits) -> layout::Node {
            self.content.as_widget_mut().layout(tree, renderer, limits)
        }
        fn draw(
            &self,
            tree: &Tree,
            renderer: &mut Renderer,
            theme: &Theme,
            style: &renderer::Style,
            layout: Layout<'_>,
            cursor: mouse::Cursor,
            viewport: &Rectangle,
        ) {
            if !self.clip {
                self.content.as_widget().draw(tree, renderer, theme, style, layout, cursor, viewport);
            } else if let Some(visible) = layout.bounds().intersection(viewport) {
                renderer.with_layer(visible, |r| self.content.as_widget().draw(tree, r, theme, style, layout, cursor, viewport));
            }
        }
        fn tag(&self) -> tree::Tag {
            self.content.as_widget().tag()
        }
        fn state(&self) -> tree::State {
            self.content.as_widget().state()
        }
        fn children(&self) -> Vec<Tree> {
            self.content.as_widget().children()
        }
        fn diff(&self, tree: &mut Tree) {
            self.content.as_widget().diff(tree)
        }
        fn operate(&mut self, tree: &mut Tree, layout: Layout<'_>, renderer: &Renderer, operation: &mut dyn Operation) {
            self.content.as_widget_mut().operate(tree, layout, renderer, operation)
        }
        fn update(
            &mut self,
            tree: &mut Tree,
            event: &Event,
            layout: Layout<'_>,
            cursor: mouse::Cursor,
            renderer: &Renderer,
            clipboard: &mut dyn Clipboard,
            shell: &mut Shell<'_, M>,
            viewport: &Rectangle,
        ) {
            let before = shell.input_method().is_enabled();
            self.content.as_widget_mut().update(tree, event, layout, cursor, renderer, clipboard, shell, viewport);
            if self.ime_below && !before {
                if let InputMethod::Enabled { cursor, .. } = shell.input_method_mut() {
                    cursor.y += cursor.height;
                    cursor.height = 0.0;
                }
            }
        }
        fn mouse_interaction(
            &self,
            tree: &Tree,
            layout: Layout<'_>,
            cursor: mouse::Cursor,
            viewport: &Rectangle,
            renderer: &Renderer,
        ) -> mouse::Interaction {
            self.content.as_widget().mouse_interaction(tree, layout, cursor, viewport, renderer)
        }
        fn overlay<'b>(
            &'b mut self,
            tree: &'b mut Tree,
            layout: Layout<'b>,
            renderer: &Renderer,
            viewport: &Rectangle,
            translation: Vector,
        ) -> Option<overlay::Element<'b, M, Theme, Renderer>> {
            self.content.as_widget_mut().overlay(tree, layout, renderer, viewport, translation)
        }
    }
}

/// A pick list that looks like a grid cell (white, thin grid line), blue when hovered or open.
pub fn pick_style(theme: &Theme, status: iced::widget::pick_list::Status) -> iced::widget::pick_list::Style {
    let base = iced::widget::pick_list::default(theme, status);
    let active = matches!(status, iced::widget::pick_list::Status::Active);
    iced::widget::pick_list::Style {
        background: Background::Color(Color::WHITE),
        text_color: INK,
        border: Border { color: if active { GRID } else { theme.palette().primary }, width: if active { 0.5 } else { 1.5 }, radius: 0.0.into() },
        ..base
    }
}

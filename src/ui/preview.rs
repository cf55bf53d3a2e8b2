//! 打印预览: the pages of the PDF export inside the window, before it is written.
//!
//! The pages come from `crate::pdf::pages` — the layout engine's page model that the PDF writer
//! draws too — so the preview shows exactly what will be printed: same page breaks, same text
//! runs at the same places, same rules. This module only draws that model: a small widget paints
//! a page's rules as thin quads and its text runs with the embedded font, scaled to the window.

use iced::widget::{button, column, container, row, scrollable, text, Column};
use iced::{Alignment, Color, Element, Length, Padding};

use crate::document::Document;
use crate::pdf::{ExportError, ExportOptions, Page};

use super::screen::Effect;
use super::widgets;

#[derive(Debug, Clone)]
pub enum Message {
    Close,
    /// 导出PDF…: close the preview and ask where to write the PDF.
    Export,
    /// 打印…: the print dialog, for these pages.
    Print,
}

/// The id of the preview's scrollable.
pub const SCROLL_ID: &str = "preview";

/// The id of the preview's 导出PDF… button (the tool bar has one too, under the overlay).
pub const EXPORT_ID: &str = "preview-export";

/// The id of the preview's 打印… button.
pub const PRINT_ID: &str = "preview-print";

/// Pixels per millimetre (an A4 page is 714 px wide).
pub const SCALE: f32 = 3.4;

/// The laid-out pages on display.
#[derive(Debug, Clone)]
pub struct Preview {
    pub pages: Vec<Page>,
}

impl Preview {
    /// The pages the export would print now.
    pub fn open(doc: &Document) -> Result<Preview, ExportError> {
        // The pages the export will have: the forms and projects chosen for this draft (as a
        // draft copy: a final one is refused while errors remain, and says so when exported).
        let opts = ExportOptions { final_copy: false, ..ExportOptions::chosen(&doc.wb.export) };
        let pages = crate::pdf::pages(&doc.wb, &doc.profile, &doc.eval, &opts)?;
        Ok(Preview { pages })
    }
}

/// What the preview's buttons ask of the app (its pages stay as they were laid out).
pub fn update(msg: Message) -> Effect {
    match msg {
        Message::Close => Effect::ClosePreview,
        Message::Export => Effect::ExportPdf,
        Message::Print => Effect::Print,
    }
}

pub fn view(p: &Preview) -> Element<'_, Message> {
    let n = p.pages.len();
    let watermark = p.pages.iter().any(|p| p.watermark.is_some());
    let note = if watermark { "表中仍有错误：导出的是带“草稿”水印的草稿" } else { "与导出的PDF完全一致" };
    let bar = row![
        text("打印预览").size(widgets::SECTION + 1.0).color(widgets::INK),
        text(format!("共 {n} 页 · A4")).size(widgets::TEXT).color(widgets::INK),
        text(note).size(widgets::SMALL).color(widgets::MUTED),
        iced::widget::space().width(Length::Fill),
        container(button(text("打印…（Ctrl+P）").size(widgets::TEXT)).style(button::primary).padding([5, 14]).on_press(Message::Print)).id(PRINT_ID),
        container(button(text("导出PDF…").size(widgets::TEXT)).style(button::secondary).padding([5, 14]).on_press(Message::Export))
            .id(EXPORT_ID),
        button(text("关闭（Esc）").size(widgets::TEXT)).style(button::secondary).padding([5, 14]).on_press(Message::Close),
    ]
    .spacing(12)
    .align_y(Alignment::Center);
    let bar = container(bar).padding(Padding::from([8, 16])).width(Length::Fill).style(widgets::strip_style(Color::from_rgb(0.97, 0.975, 0.98), widgets::GRID));
    let mut pages = Column::new().spacing(10).padding(Padding::from([20, 20])).align_x(Alignment::Center).width(Length::Fill);
    for (i, page) in p.pages.iter().enumerate() {
        let sheet = container(Element::new(PageView { page, scale: SCALE })).style(|_| container::Style {
            // No shadow: tiny-skia draws a quad's shadow outside the scrollable's clip, so the
            // sheets' shadows showed over the header bar once scrolled (and as a grey band along
            // page 1).
            border: iced::Border { color: Color::from_rgb(0.55, 0.57, 0.6), width: 1.0, radius: 0.0.into() },
            ..Default::default()
        });
        pages = pages.push(sheet);
        pages = pages.push(text(format!("第 {} 页 / 共 {n} 页", i + 1)).size(widgets::SMALL).color(Color::from_rgb(0.9, 0.91, 0.93)));
    }
    let body = scrollable(pages).id(SCROLL_ID).height(Length::Fill).width(Length::Fill);
    container(column![bar, body])
        .width(Length::Fill)
        .height(Length::Fill)
        .style(|_| container::Style { background: Some(Color::from_rgb(0.36, 0.38, 0.42).into()), ..Default::default() })
        .into()
}

/// One page of the model, drawn at `scale` pixels per millimetre.
struct PageView<'a> {
    page: &'a Page,
    scale: f32,
}

mod page_impl {
    use iced::{mouse, Color, Length, Pixels, Point, Rectangle, Renderer, Size, Theme};
    use iced_core::layout::{self, Layout};
    use iced_core::text::{self, Renderer as _};
    use iced_core::widget::Tree;
    use iced_core::{renderer, Renderer as _, Widget};

    use super::PageView;
    use crate::pdf::{ASCENT_EM, MM_PER_POINT, RULE_WIDTH_PT};

    impl<M> Widget<M, Theme, Renderer> for PageView<'_> {
        fn size(&self) -> Size<Length> {
            Size::new(Length::Fixed(self.page.width * self.scale), Length::Fixed(self.page.height * self.scale))
        }

        fn layout(&mut self, _tree: &mut Tree, _renderer: &Renderer, _limits: &layout::Limits) -> layout::Node {
            layout::Node::new(Size::new(self.page.width * self.scale, self.page.height * self.scale))
        }

        fn draw(
            &self,
            _tree: &Tree,
            renderer: &mut Renderer,
            _theme: &Theme,
            _style: &renderer::Style,
            layout: Layout<'_>,
            _cursor: mouse::Cursor,
            viewport: &Rectangle,
        ) {
            let bounds = layout.bounds();
            let Some(visible) = bounds.intersection(viewport) else { return };
            let s = self.scale;
            let at = |x: f32, y: f32| Point::new(bounds.x + x * s, bounds.y + y * s);
            // Only text whose whole line is in view is drawn: the renderer decides whether a text
            // needs the layer's clip from its bounds before the scroll translation, so a line
            // scrolled above the view was painted, unclipped, over the header bar.
            let text_run = |r: &mut Renderer, content: &str, baseline: Point, size_pt: f32, color: Color| {
                let px = size_pt * MM_PER_POINT * s;
                let top = baseline.y - ASCENT_EM * px;
                if top < visible.y || top + px * 1.5 > visible.y + visible.height {
                    return;
                }
                r.fill_text(
                    text::Text {
                        content: content.to_string(),
                        bounds: Size::new(bounds.width, px * 1.5),
                        size: Pixels(px),
                        line_height: text::LineHeight::Relative(1.0),
                        font: super::super::FONT,
                        align_x: text::Alignment::Left,
                        align_y: iced::alignment::Vertical::Top,
                        shaping: text::Shaping::Basic,
                        wrapping: text::Wrapping::None,
                    },
                    Point::new(baseline.x, top),
                    color,
                    visible,
                );
            };
            // Layers, clipped exactly to the visible part of the page: paper and watermark first,
            // then the rules and text on top (within one layer text would cover the rules).
            renderer.with_layer(visible, |r| {
                r.fill_quad(renderer::Quad { bounds, ..Default::default() }, Color::WHITE);
                // The model's watermark is one run at 45°; the quad/text renderer does not rotate
                // glyphs, so they stand upright along that diagonal, the group centred on the page.
                if let Some(w) = &self.page.watermark {
                    let em = w.size * MM_PER_POINT;
                    let (sin, cos) = w.angle.to_radians().sin_cos();
                    let n = w.text.chars().count().max(1) as f32;
                    let (span_x, span_y) = (em * (1.0 + (n - 1.0) * cos), em * (1.0 + (n - 1.0) * sin));
                    let (left, bottom) = ((self.page.width - span_x) / 2.0, (self.page.height + span_y) / 2.0);
                    let grey = Color::from_rgb(w.grey, w.grey, w.grey);
                    for (i, c) in w.text.chars().enumerate() {
                        let d = i as f32 * em;
                        let baseline = bottom - d * sin - (1.0 - ASCENT_EM) * em;
                        let mut buf = [0u8; 4];
                        text_run(r, c.encode_utf8(&mut buf), at(left + d * cos, baseline), w.size, grey);
                    }
                }
            });
            renderer.with_layer(visible, |r| {
                let thick = (RULE_WIDTH_PT * MM_PER_POINT * s).max(1.0);
                for line in &self.page.lines {
                    let pts = &line.points;
                    let closing = if line.closed && pts.len() > 2 { pts.first().zip(pts.last()).map(|(a, b)| (*b, *a)) } else { None };
                    for ((x1, y1), (x2, y2)) in pts.windows(2).map(|w| (w[0], w[1])).chain(closing) {
                        // The layout engine draws only horizontal and vertical rules.
                        let (a, b) = (at(x1.min(x2), y1.min(y2)), at(x1.max(x2), y1.max(y2)));
                        let r_bounds = Rectangle {
                            x: a.x - thick / 2.0,
                            y: a.y - thick / 2.0,
                            width: (b.x - a.x) + thick,
                            height: (b.y - a.y) + thick,
                        };
                        r.fill_quad(renderer::Quad { bounds: r_bounds, ..Default::default() }, Color::BLACK);
                    }
                }
                for t in &self.page.texts {
                    text_run(r, &t.text, at(t.x, t.baseline), t.size, Color::BLACK);
                }
            });
        }
    }
}

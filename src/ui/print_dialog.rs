//! 打印…: the system's printers (the default preselected; listed off the UI thread each time the
//! dialog opens), copies, a page range, and the export picker's form/project/draft-final choice.
//! What is printed is the export's pages ([`crate::pdf::Printout`]) — the pages the preview shows —
//! under the same draft/final rule; the job runs in the background (正在打印…), then a result line
//! says where it went or why not.
//!
//! Its own state, `Message`, `update` and `view`; the app shows it as a dialog (Enter prints, Esc
//! closes) and runs the [`Outcome`]s that need the document or a thread.

use iced::widget::{button, column, container, pick_list, row, text, text_input};
use iced::{Alignment, Element, Length};

use crate::model::{ExportChoice, Workbook};
use crate::print::{Job, PageRange, Printer, Sent};

use super::{export_picker, widgets};

/// The id of the copies field.
pub const COPIES_ID: &str = "print-copies";
/// The id of the page range field.
pub const PAGES_ID: &str = "print-pages";

#[derive(Debug, Clone, PartialEq)]
pub enum Printers {
    /// Being listed (the dialog just opened, or 刷新).
    Loading,
    Ready(Vec<Printer>),
    /// No print service, or it failed: why.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Idle,
    Printing,
    Sent(String),
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub printers: Printers,
    /// The printer chosen (the default one once the list arrives).
    pub printer: Option<String>,
    pub copies: String,
    pub pages: String,
    /// Forms, projects, draft or final: as the export picker has them.
    pub choice: export_picker::State,
    /// Pages of the current choice (all of them; the range picks among these).
    pub total: Option<usize>,
    /// Why the input cannot be printed (copies, range), shown under it.
    pub error: Option<String>,
    pub status: Status,
}

impl State {
    /// From the draft's remembered choice; the printers are still to be listed.
    pub fn new(wb: &Workbook, errors: usize) -> State {
        State {
            printers: Printers::Loading,
            printer: None,
            copies: "1".into(),
            pages: String::new(),
            choice: export_picker::State::new(wb, errors, super::app::ExportKind::Pdf),
            total: None,
            error: None,
            status: Status::Idle,
        }
    }

    fn list(&self) -> &[Printer] {
        match &self.printers {
            Printers::Ready(list) => list,
            _ => &[],
        }
    }

    /// The job and the choice as entered, or why not.
    pub fn job(&self) -> Result<(Job, ExportChoice), String> {
        let printer = self.printer.clone().ok_or_else(|| match &self.printers {
            Printers::Loading => "正在查找打印机…".to_string(),
            Printers::Failed(e) => e.clone(),
            Printers::Ready(l) if l.is_empty() => "没有可用的打印机".to_string(),
            Printers::Ready(_) => "请选择打印机".to_string(),
        })?;
        let copies = crate::print::parse_copies(&self.copies)?;
        let pages = PageRange::parse(&self.pages)?;
        if let (Some(range), Some(total)) = (&pages, self.total) {
            range.pages(total)?;
        }
        let choice = self.choice.choice().map_err(|e| e.replace("导出正式版", "打印正式版").replace("再导出", "再打印").replace("或导出草稿", "或打印草稿"))?;
        Ok((Job { printer: Some(printer), copies, pages }, choice))
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    /// The printer list arrived (or why there is none).
    Listed(Result<Vec<Printer>, String>),
    Refresh,
    Printer(Printer),
    Copies(String),
    Pages(String),
    Choice(export_picker::Message),
    Go,
    Close,
    /// The job's result.
    Done(Result<Sent, String>),
}

/// What the app must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// List the printers (off the UI thread).
    List,
    /// The forms or projects changed: count the pages again.
    Recount,
    /// Print these pages there (off the UI thread); remember the choice.
    Print(Job, ExportChoice),
    Close,
}

pub fn update(state: &mut State, message: Message) -> Option<Outcome> {
    match message {
        Message::Listed(Ok(list)) => {
            let keep = state.printer.clone().filter(|p| list.iter().any(|x| &x.name == p));
            state.printer = keep.or_else(|| list.iter().find(|p| p.is_default).or(list.first()).map(|p| p.name.clone()));
            state.printers = Printers::Ready(list);
            None
        }
        Message::Listed(Err(e)) => {
            state.printers = Printers::Failed(e);
            state.printer = None;
            None
        }
        Message::Refresh => {
            state.printers = Printers::Loading;
            Some(Outcome::List)
        }
        Message::Printer(p) => {
            state.printer = Some(p.name);
            state.error = None;
            None
        }
        Message::Copies(c) => {
            state.copies = c;
            state.error = None;
            None
        }
        Message::Pages(p) => {
            state.pages = p;
            state.error = None;
            None
        }
        Message::Choice(m) => match m {
            export_picker::Message::Go => update(state, Message::Go),
            export_picker::Message::Cancel => Some(Outcome::Close),
            m => {
                let _ = export_picker::update(&mut state.choice, m);
                state.error = None;
                Some(Outcome::Recount)
            }
        },
        Message::Go => {
            if state.status == Status::Printing {
                return None;
            }
            match state.job() {
                Ok((job, choice)) => {
                    state.error = None;
                    state.status = Status::Printing;
                    Some(Outcome::Print(job, choice))
                }
                Err(e) => {
                    state.error = Some(e);
                    None
                }
            }
        }
        Message::Close => Some(Outcome::Close),
        Message::Done(result) => {
            state.error = None;
            state.status = match result {
                Ok(sent) => Status::Sent(sent.to_string()),
                Err(e) => Status::Failed(e),
            };
            None
        }
    }
}

pub fn view(state: &State) -> Element<'_, Message> {
    let label = |s: &'static str| text(s).size(widgets::TEXT).width(Length::Fixed(64.0));
    let list = state.list();
    let selected = state.printer.as_ref().and_then(|n| list.iter().find(|p| &p.name == n));
    let printer: Element<'_, Message> = match &state.printers {
        Printers::Loading => text("正在查找打印机…").size(widgets::TEXT).color(widgets::MUTED).into(),
        Printers::Failed(e) => text(e.as_str()).size(widgets::SMALL).color(widgets::ERROR).width(Length::Fill).into(),
        Printers::Ready(l) if l.is_empty() => {
            text("没有可用的打印机：请先在系统设置中添加打印机，然后点“刷新”。").size(widgets::SMALL).color(widgets::ERROR).width(Length::Fill).into()
        }
        Printers::Ready(l) => pick_list(&l[..], selected, Message::Printer).text_size(widgets::TEXT).padding([5, 8]).width(Length::Fill).into(),
    };
    let refresh = button(text("刷新").size(widgets::SMALL)).style(button::text).padding([4, 8]).on_press_maybe((state.printers != Printers::Loading).then_some(Message::Refresh));
    let total = state.total.map_or(String::new(), |n| format!("共 {n} 页，如 1-3,5；留空为全部"));
    let fields = column![
        row![label("打印机"), printer, refresh].spacing(8).align_y(Alignment::Center),
        row![
            label("份数"),
            text_input("1", &state.copies).id(COPIES_ID).on_input(Message::Copies).on_submit(Message::Go).size(widgets::TEXT).padding(5).width(Length::Fixed(72.0)),
        ]
        .spacing(8)
        .align_y(Alignment::Center),
        row![
            label("页码范围"),
            text_input("全部", &state.pages).id(PAGES_ID).on_input(Message::Pages).on_submit(Message::Go).size(widgets::TEXT).padding(5).width(Length::Fixed(160.0)),
            text(total).size(widgets::SMALL).color(widgets::MUTED),
        ]
        .spacing(8)
        .align_y(Alignment::Center),
    ]
    .spacing(10);
    let (status, color) = match (&state.error, &state.status) {
        (Some(e), _) => (e.clone(), widgets::ERROR),
        (None, Status::Printing) => ("正在打印…".to_string(), widgets::INFO),
        (None, Status::Sent(s)) => (s.clone(), widgets::INFO),
        (None, Status::Failed(e)) => (e.clone(), widgets::ERROR),
        (None, Status::Idle) if state.choice.errors > 0 && !state.choice.final_copy => {
            (format!("表中还有 {} 个错误：打印的是带“草稿”水印的草稿（与打印预览相同）", state.choice.errors), widgets::MUTED)
        }
        (None, Status::Idle) => ("打印的页与打印预览、导出的PDF完全相同".to_string(), widgets::MUTED),
    };
    let printing = state.status == Status::Printing;
    let can_print = !printing && state.printer.is_some();
    let close = if matches!(state.status, Status::Sent(_)) { "关闭" } else { "取消" };
    column![
        text("打印").size(widgets::SECTION + 1.0),
        fields,
        Element::from(export_picker::choices(&state.choice)).map(Message::Choice),
        text(status).size(widgets::SMALL).color(color),
        container(
            row![
                button(text(close).size(widgets::TEXT)).style(button::secondary).padding([6, 16]).on_press(Message::Close),
                button(text(if printing { "正在打印…" } else { "打印" }).size(widgets::TEXT))
                    .style(button::primary)
                    .padding([6, 16])
                    .on_press_maybe(can_print.then_some(Message::Go)),
            ]
            .spacing(10)
        )
        .align_right(Length::Fill),
    ]
    .spacing(12)
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printers() -> Vec<Printer> {
        vec![
            Printer { name: "office".into(), info: String::new(), is_default: false },
            Printer { name: "zipin-pdf".into(), info: "CUPS-PDF".into(), is_default: true },
        ]
    }

    #[test]
    fn the_default_printer_is_preselected_and_input_is_checked() {
        let wb = crate::sample::miluo_2023();
        let mut s = State::new(&wb, 3);
        assert_eq!(update(&mut s, Message::Go), None, "nothing to print to yet");
        assert_eq!(s.error.as_deref(), Some("正在查找打印机…"));
        update(&mut s, Message::Listed(Ok(printers())));
        assert_eq!(s.printer.as_deref(), Some("zipin-pdf"));
        s.total = Some(5);
        update(&mut s, Message::Copies("0".into()));
        assert_eq!(update(&mut s, Message::Go), None);
        assert!(s.error.as_deref().unwrap().contains("份数"));
        update(&mut s, Message::Copies("2".into()));
        update(&mut s, Message::Pages("9".into()));
        assert_eq!(update(&mut s, Message::Go), None);
        assert_eq!(s.error.as_deref(), Some("没有第9页（共5页）"));
        update(&mut s, Message::Pages("2-3".into()));
        update(&mut s, Message::Printer(printers()[0].clone()));
        match update(&mut s, Message::Go) {
            Some(Outcome::Print(job, choice)) => {
                assert_eq!(job.printer.as_deref(), Some("office"));
                assert_eq!(job.copies, 2);
                assert_eq!(job.pages.map(|p| p.to_string()).as_deref(), Some("2-3"));
                assert_eq!(choice, ExportChoice::default());
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(s.status, Status::Printing);
        assert_eq!(update(&mut s, Message::Go), None, "one job at a time");
        update(&mut s, Message::Done(Err("打印失败：x".into())));
        assert_eq!(s.status, Status::Failed("打印失败：x".into()));
        // A final copy while errors remain: refused, in the dialog's words.
        update(&mut s, Message::Choice(export_picker::Message::Final(true)));
        assert_eq!(update(&mut s, Message::Go), None);
        assert!(s.error.as_deref().unwrap().contains("不能打印正式版"), "{:?}", s.error);
        // A refreshed list keeps the printer chosen; no service says why.
        update(&mut s, Message::Listed(Ok(printers())));
        assert_eq!(s.printer.as_deref(), Some("office"));
        update(&mut s, Message::Listed(Err("没有找到打印服务（CUPS）".into())));
        assert_eq!(s.printer, None);
    }
}

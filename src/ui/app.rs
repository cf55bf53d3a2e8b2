//! The application: state and messages; `update` routes each message to its screen (carrying
//! out the [`Effect`] the screen answers with) or handles it here: files, edits, focus, dialogs;
//! subscriptions and shortcuts. The window around the screens is drawn in `app/view.rs`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use iced::keyboard;
use iced::widget::operation::{self, AbsoluteOffset};
use iced::widget::selector::{self, Target};
use iced::widget::text_editor;
use iced::{window, Subscription, Task, Theme};

use crate::draft;
use crate::draft_guard::{self, Fingerprint, Lock};
use crate::engine::{Form, Location, Severity};
use crate::model::Workbook;

use crate::document::{files, Document};
use super::screen::{self, Ctx, Effect, Page, Screen};
use super::widgets::Editors;
use super::{basic, department, export_picker, new_draft, preview, print_dialog, problems, project, report};

mod view;

/// The id of the scrollable that holds the current screen.
pub const SCROLL_ID: &str = "screen";
/// The id of the in-app path field.
pub const PATH_FIELD_ID: &str = "path-field";
/// The id of the side bar's scrollable list of projects.
pub const STEPS_ID: &str = "steps";

/// How the app was started.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub path: Option<PathBuf>,
    pub screen: Option<Screen>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Save,
    Discard,
    Cancel,
}

/// What to do once unsaved changes are dealt with.
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    Close(window::Id),
    New,
    Open,
    OpenPath(PathBuf),
    /// Open next year's draft, built from the document as it was when asked (生成下一年度草稿).
    Rollover(Box<Workbook>),
    /// 打开示例.
    Sample,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Dialog {
    /// 保存 / 不保存 / 取消 before `Pending`.
    Unsaved(Pending),
    /// An autosave newer than its draft was found; `when`: its time, as the dialog shows it.
    Recovery { recovery: PathBuf, when: String },
    DeleteProject(usize),
    /// The draft is open in another window (`holder`: who, as the lock says): 只读打开 / 仍然打开 / 取消.
    Locked { path: PathBuf, holder: String },
    /// The draft on disk changed since this window loaded or saved it: 另存为 / 覆盖 / 取消.
    ChangedOnDisk(PathBuf),
    /// 新建: year, unit, rule profile, filing scope, project names.
    NewDraft(Box<new_draft::State>),
    /// The start page, when the app opens without a file: the last draft, 新建, 打开, the sample.
    Start { last: Option<PathBuf> },
    /// 导出: format, forms, projects, draft or final, before the file chooser.
    Export(Box<export_picker::State>),
    /// 打印…: printer, copies, page range, and the export's choice.
    Print(Box<print_dialog::State>),
}

/// The answer to [`Dialog::Locked`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockChoice {
    ReadOnly,
    Anyway,
    Cancel,
}

/// The answer to [`Dialog::ChangedOnDisk`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictChoice {
    SaveAs,
    Overwrite,
    Cancel,
}

/// What the in-app path field is for (when no native dialog is available).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPurpose {
    Open,
    SaveAs,
    Export,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Pdf,
    Xlsx,
    /// Word (.docx): the forms as Word tables and the 附件4 report as an official document.
    Docx,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Banner {
    pub severity: Severity,
    pub text: String,
}

#[derive(Debug, Clone)]
pub enum Message {
    Go(Screen),
    Prev,
    Next,
    AddProject,
    Basic(basic::Message),
    Department(department::Message),
    Project(project::Message),
    Report(report::Message),
    Problems(problems::Message),

    New,
    Open,
    OpenRecent(PathBuf),
    Save,
    SaveAs,
    Export(ExportKind),
    /// 生成下一年度草稿…: next year's draft from the open one, as a new unsaved draft.
    Rollover,
    /// 全部确认: every cell carried over from last year is confirmed.
    ConfirmCarried,
    /// The 新建 dialog (also the 评价规则与填报范围 dialog).
    NewDraft(new_draft::Message),
    /// The status bar's 评价规则 button: change the open draft's profile and scope.
    EditRules,
    /// Ctrl+= / Ctrl+- / Ctrl+0 (and Ctrl+wheel): zoom by this many steps of 10 %; 0 resets.
    Zoom(i8),
    /// The window opened or was resized: its size in the layout's pixels.
    WindowSize(iced::Size),
    /// The side bar's «/» button (Ctrl+B): narrow (step numbers and marks only) or wide.
    ToggleSideBar,
    /// The 导出 picker.
    ExportPicker(export_picker::Message),
    /// 检查: every finding shows (also the blank cells of sections not yet visited), in 问题清单.
    Check,
    /// 打开示例: the filed sample as a new, unsaved draft.
    OpenSample,
    /// 全部采纳: every row suggested 达成 (actual reads as target, rules.md §4.3) gets its score.
    AcceptSuggestions,
    /// 打印预览 (Ctrl+P): the export's pages inside the window.
    OpenPreview,
    Preview(preview::Message),
    /// 打印… (the tool bar, the preview's header; Ctrl+P in the preview).
    Print,
    PrintDialog(print_dialog::Message),
    /// Ctrl+P: 打印… when the preview is up, else the preview.
    PrintKey,
    Opened(Option<PathBuf>),
    SaveAsChosen(Option<PathBuf>),
    ExportChosen(Option<PathBuf>),
    PathEdit(String),
    PathSubmit,
    PathCancel,

    Undo,
    Redo,
    FocusNext,
    FocusPrevious,
    /// (the widget to show, the screen's scrollable) as found by a selector.
    Reveal(Option<Target>, Option<Target>),
    /// Tab or Shift+Tab moved the focus to this widget: select its content, show it.
    Focused(Option<Target>),
    /// A mouse button went down (anywhere; widgets have handled it already).
    PointerDown,
    /// After a click, the widget that has the focus now.
    FocusAfterClick(Option<Target>),

    Autosave,
    CloseRequested(window::Id),
    Unsaved(Answer),
    Recovery(bool),
    DeleteProject(bool),
    Locked(LockChoice),
    ChangedOnDisk(ConflictChoice),
    /// Enter (true: the dialog's primary button) or Esc (false: cancel, destroying nothing; with
    /// no dialog up, Esc closes the print preview).
    DialogKey(bool),
    DismissBanner,
}

/// A screen's message as the app's: what [`Page::view`] maps the screen's view with.
macro_rules! from_screen {
    ($($variant:ident($msg:ty)),*) => {$(
        impl From<$msg> for Message {
            fn from(m: $msg) -> Message {
                Message::$variant(m)
            }
        }
    )*};
}
from_screen!(
    Basic(basic::Message),
    Department(department::Message),
    Project(project::Message),
    Report(report::Message),
    Problems(problems::Message)
);

pub struct App {
    pub doc: Document,
    pub path: Option<PathBuf>,
    pub screen: Screen,
    /// The long-text editors of the screen on display (see [`Page::long_texts`]).
    pub editors: Editors,
    /// 问题清单's own state (its filter), kept while other screens are shown.
    pub problems: problems::State,
    pub banner: Option<Banner>,
    pub dialog: Option<Dialog>,
    /// The in-app path field: (purpose, text).
    pub path_field: Option<(PathPurpose, String)>,
    /// What to do after a pending Save As completes (close, open …).
    after_save: Option<Pending>,
    pub recent: Vec<PathBuf>,
    /// The print preview on display (its pages laid out when it was opened).
    pub preview: Option<preview::Preview>,
    /// The widget id most recently asked to take focus (for tests and the status bar).
    pub focus_request: Option<String>,
    autosaved: u64,
    /// The title last written as the window's legacy X title.
    wm_name: String,
    /// Opened with 只读打开: never written back to its own file.
    pub read_only: bool,
    /// The draft file as this window last loaded or saved it.
    disk: Option<Fingerprint>,
    /// The lock beside the open draft (removed when dropped).
    lock: Option<Lock>,
    /// 覆盖 was answered: the next save skips the on-disk check once.
    overwrite_confirmed: bool,
    /// When the draft was last saved in this window (HH:MM), for the status bar.
    pub saved_at: Option<String>,
    /// Zoom in percent (80–200) over the system's scale factor; remembered in the settings.
    pub zoom: u16,
    /// The window's size in the layout's pixels (it shrinks as the zoom grows).
    pub window: iced::Size,
    /// The side bar as the user set it (Ctrl+B); `None`: narrow when the window is narrower than
    /// [`WIDE_SIDE_BAR_FROM`].
    pub side_bar_narrow: Option<bool>,
}

/// From this width on (layout pixels) the side bar shows the steps' names by default; below it,
/// the forms get the room (1366×768 and 1280×720 office screens, 150 % on 1920×1080).
pub const WIDE_SIDE_BAR_FROM: f32 = 1400.0;

/// Whether Ctrl (Cmd) is held: Ctrl+wheel zooms. Kept outside the app so that plain wheel events
/// never become messages (each message rebuilds the view).
static CTRL_HELD: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

impl App {
    /// An app showing `wb`, as if opened from `path`.
    pub fn from_workbook(wb: Workbook, path: Option<PathBuf>) -> App {
        let (doc, note) = Document::from_workbook(wb);
        let mut app = App {
            doc,
            path,
            screen: Screen::Basic,
            editors: Editors::new(),
            problems: problems::State::default(),
            banner: note.map(|text| Banner { severity: Severity::Warning, text }),
            dialog: None,
            path_field: None,
            after_save: None,
            recent: files::recent(),
            preview: None,
            focus_request: None,
            autosaved: 0,
            wm_name: String::new(),
            read_only: false,
            disk: None,
            lock: None,
            overwrite_confirmed: false,
            saved_at: None,
            zoom: files::zoom(),
            window: iced::Size::new(1440.0, 900.0),
            side_bar_narrow: None,
        };
        app.screen = Screen::first(&app.doc);
        app.sync_editors();
        app
    }

    fn blank_workbook() -> Workbook {
        let profile = crate::profile::Profile::builtin("hunan-2023").expect("built-in profile");
        let year = chrono::Datelike::year(&chrono::Local::now().date_naive()) - 1;
        Workbook::empty("", u16::try_from(year).unwrap_or(2023), &profile)
    }

    /// Starts the app: opens `options.path` if given, offers a newer autosave, goes to the screen asked for.
    pub fn boot(options: Options) -> (App, Task<Message>) {
        let mut app = App::from_workbook(Self::blank_workbook(), None);
        // The blank draft behind the start page: nothing red before the user has been anywhere.
        app.doc.quiet_until_visited();
        if let Some(path) = &options.path {
            app.load(path);
        } else {
            app.offer_recovery();
            if app.dialog.is_none() {
                // No file given: the start page (the last draft one click away).
                app.dialog = Some(Dialog::Start { last: app.recent.first().cloned() });
            }
        }
        if let Some(s) = options.screen {
            app.go(s);
        }
        let task = Task::batch([reveal_step(app.screen), app.retitle()]);
        (app, task)
    }

    pub fn title(&self) -> String {
        let name = self
            .path
            .as_ref()
            .and_then(|p| p.file_name())
            .map_or("未命名".into(), |n| n.to_string_lossy().into_owned());
        format!("{name}{} — 绩效自评", if self.doc.dirty { " *" } else { "" })
    }

    /// Whether the side bar shows only the steps' numbers and marks.
    pub fn narrow_side_bar(&self) -> bool {
        self.side_bar_narrow.unwrap_or(self.window.width < WIDE_SIDE_BAR_FROM)
    }

    /// The room the screen is laid out in: the window less the side bar, the screen's margins and
    /// scroll bar, and the bars above and below it.
    pub fn room(&self) -> super::screen::Room {
        let side = if self.narrow_side_bar() { view::NARROW_SIDE_BAR } else { view::SIDE_BAR };
        super::screen::Room { width: (self.window.width - side - 24.0 - 28.0 - 10.0).max(0.0), height: (self.window.height - 150.0).max(0.0) }
    }

    /// The window's scale over the system's: the zoom.
    pub fn scale(&self) -> f32 {
        f32::from(self.zoom) / 100.0
    }

    pub fn theme(&self) -> Theme {
        Theme::Light
    }

    // ----- files --------------------------------------------------------------------------------

    /// Opens a draft; on failure the current document stays and a banner says why. A draft open
    /// in another window is not opened yet: [`Dialog::Locked`] asks first.
    pub fn load(&mut self, path: &Path) -> bool {
        if let Some(holder) = Lock::holder(path) {
            self.dialog = Some(Dialog::Locked { path: path.to_path_buf(), holder: holder.describe() });
            return false;
        }
        self.load_as(path, false)
    }

    /// Opens a draft, taking its lock unless `read_only`.
    fn load_as(&mut self, path: &Path, read_only: bool) -> bool {
        match Document::open(path) {
            Ok((doc, note)) => {
                self.disk = Fingerprint::of(path).ok().flatten();
                self.read_only = read_only;
                self.lock = if read_only { None } else { Lock::acquire(path).ok() };
                self.doc = doc;
                self.path = Some(path.to_path_buf());
                self.recent = files::add_recent(path);
                self.banner = note.map(|text| Banner { severity: Severity::Warning, text });
                self.screen = Screen::first(&self.doc);
                self.autosaved = 0;
                self.sync_editors();
                self.offer_recovery();
                true
            }
            Err(e) => {
                self.error(format!("无法打开草稿：{e}"));
                false
            }
        }
    }

    fn offer_recovery(&mut self) {
        if let Some(recovery) = files::pending_recovery(self.path.as_deref()) {
            let when = std::fs::metadata(&recovery)
                .and_then(|m| m.modified())
                .map(|t| chrono::DateTime::<chrono::Local>::from(t).format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default();
            self.dialog = Some(Dialog::Recovery { recovery, when });
        }
    }

    fn error(&mut self, text: String) {
        self.banner = Some(Banner { severity: Severity::Error, text });
    }

    fn info(&mut self, text: String) {
        self.banner = Some(Banner { severity: Severity::Info, text });
    }

    /// Saves to `path`. The in-memory draft is untouched whatever happens.
    pub fn save_to(&mut self, path: &Path) -> bool {
        let path = if path.extension().is_none() { path.with_extension("ron") } else { path.to_path_buf() };
        if !self.may_save(&path) {
            return false;
        }
        match draft::save(&path, &self.doc.for_saving()) {
            Ok(()) => {
                self.disk = Fingerprint::of(&path).ok().flatten();
                if self.path.as_deref() != Some(path.as_path()) || self.lock.is_none() {
                    self.lock = Lock::acquire(&path).ok();
                }
                self.read_only = false;
                files::remove_recovery(self.path.as_deref());
                files::remove_recovery(Some(&path));
                self.path = Some(path.clone());
                self.doc.saved();
                self.saved_at = Some(chrono::Local::now().format("%H:%M").to_string());
                self.recent = files::add_recent(&path);
                let bad = self.doc.buffers.values().filter(|t| t.error.is_some()).count();
                if bad > 0 {
                    self.banner = Some(Banner {
                        severity: Severity::Warning,
                        text: format!("已保存到 {}。注意：有 {bad} 个单元格的内容不是有效数值，原文已一并保存，计算时按空白处理，请改正。", path.display()),
                    });
                } else {
                    self.banner = None;
                }
                true
            }
            Err(e) => {
                self.error(format!("保存失败：{}（{}）。填写的内容仍保留在程序中，可换一个位置“另存为”。", e.message, path.display()));
                false
            }
        }
    }

    /// Before writing `path`: a draft opened read-only is not written back; a draft another window
    /// has open is not taken; a file changed on disk since this window loaded or saved it is not
    /// overwritten without asking ([`Dialog::ChangedOnDisk`]).
    fn may_save(&mut self, path: &Path) -> bool {
        if self.path.as_deref() != Some(path) {
            if let Some(holder) = Lock::holder(path) {
                self.error(format!("{} 正在另一窗口中编辑（{}），不能覆盖。请换一个文件名另存。", path.display(), holder.describe()));
                return false;
            }
            return true;
        }
        if self.read_only {
            self.error("此草稿以只读方式打开（另一窗口正在编辑），不会保存到原文件。请用“另存为”保存到其他文件。".into());
            return false;
        }
        if !std::mem::take(&mut self.overwrite_confirmed) && draft_guard::changed_on_disk(path, self.disk.as_ref()) {
            self.dialog = Some(Dialog::ChangedOnDisk(path.to_path_buf()));
            return false;
        }
        true
    }

    /// Shows `wb` as a new, untitled draft (新建, 打开示例).
    fn new_document(&mut self, wb: Workbook) {
        files::remove_recovery(self.path.as_deref());
        *self = App { recent: std::mem::take(&mut self.recent), ..App::from_workbook(wb, None) };
    }

    fn new_draft(&mut self, message: new_draft::Message) -> Task<Message> {
        let Some(Dialog::NewDraft(state)) = self.dialog.as_mut() else { return Task::none() };
        match new_draft::update(state, message) {
            Some(new_draft::Outcome::Create(wb)) => {
                let (year, unit, scope) = (wb.year, wb.unit.clone(), wb.scope.label());
                self.new_document(*wb);
                self.doc.quiet_until_visited();
                self.info(format!("已新建{year}年度草稿：{unit}（{scope}）。保存（Ctrl+S）时选择存放位置。"));
            }
            Some(new_draft::Outcome::Apply(profile, scope)) => {
                self.dialog = None;
                let label = profile.label();
                if self.doc.set_rules(*profile, scope) {
                    self.go(self.screen);
                    self.info(format!("已改用评价规则 {label}，填报范围：{}。已重新计分，可撤销。", scope.label()));
                }
            }
            Some(new_draft::Outcome::Cancel) => self.dialog = None,
            None => {}
        }
        Task::none()
    }

    fn export_picker(&mut self, message: export_picker::Message) -> Task<Message> {
        let Some(Dialog::Export(state)) = self.dialog.as_mut() else { return Task::none() };
        let outcome = export_picker::update(state, message);
        // The format as the picker has it now (it may switch between PDF, Word and Excel).
        let kind = state.kind;
        match outcome {
            Some(export_picker::Outcome::Go(choice)) => {
                self.dialog = None;
                self.doc.set_export(choice);
                self.export_dialog(kind)
            }
            Some(export_picker::Outcome::Cancel) => {
                self.dialog = None;
                Task::none()
            }
            None => Task::none(),
        }
    }

    /// 打印…: the dialog, its printers listed off the UI thread, its page count for the draft's
    /// remembered choice.
    fn open_print_dialog(&mut self) -> Task<Message> {
        // Like the export picker: every error counts (also blank cells not yet visited).
        self.doc.reveal_all();
        let mut state = print_dialog::State::new(&self.doc.wb, self.doc.index.total.errors);
        state.total = self.print_pages(&state).ok().map(|p| p.pages.len());
        self.dialog = Some(Dialog::Print(Box::new(state)));
        list_printers()
    }

    /// The pages the dialog's choice prints (as a draft while the final copy is refused: the
    /// count is the same).
    fn print_pages(&self, state: &print_dialog::State) -> Result<crate::pdf::Printout, crate::pdf::ExportError> {
        let mut draft = state.choice.clone();
        draft.final_copy = false;
        let choice = draft.choice().map_err(|_| crate::pdf::ExportError::Nothing)?;
        crate::pdf::Printout::of(&self.doc.wb, &self.doc.profile, &self.doc.eval, &crate::pdf::ExportOptions::chosen(&choice))
    }

    fn print_dialog(&mut self, message: print_dialog::Message) -> Task<Message> {
        let Some(Dialog::Print(state)) = self.dialog.as_mut() else {
            // A job that finished after the dialog was closed: its result as a banner.
            if let print_dialog::Message::Done(result) = message {
                match result {
                    Ok(sent) => self.info(format!("{sent}。")),
                    Err(e) => self.error(e),
                }
            }
            return Task::none();
        };
        match print_dialog::update(state, message) {
            None => Task::none(),
            Some(print_dialog::Outcome::List) => list_printers(),
            Some(print_dialog::Outcome::Recount) => {
                let total = {
                    let Some(Dialog::Print(state)) = self.dialog.as_ref() else { return Task::none() };
                    self.print_pages(state).ok().map(|p| p.pages.len())
                };
                if let Some(Dialog::Print(state)) = self.dialog.as_mut() {
                    state.total = total;
                }
                Task::none()
            }
            Some(print_dialog::Outcome::Close) => {
                self.dialog = None;
                Task::none()
            }
            Some(print_dialog::Outcome::Print(job, choice)) => {
                // The choice is remembered, as an export's is; the preview shows it.
                self.doc.set_export(choice.clone());
                if self.preview.is_some() {
                    if let Ok(p) = preview::Preview::open(&self.doc) {
                        self.preview = Some(p);
                    }
                }
                let opts = crate::pdf::ExportOptions::chosen(&choice);
                match crate::pdf::Printout::of(&self.doc.wb, &self.doc.profile, &self.doc.eval, &opts) {
                    Ok(printout) => Task::perform(off_thread(move || crate::print::print(&printout, &job).map_err(|e| e.to_string())), |r| {
                        Message::PrintDialog(print_dialog::Message::Done(r.unwrap_or_else(|| Err("打印失败：打印线程意外退出".into()))))
                    }),
                    Err(e) => {
                        let e = e.to_string();
                        Task::done(Message::PrintDialog(print_dialog::Message::Done(Err(e))))
                    }
                }
            }
        }
    }

    /// 打开示例: the embedded filed sample, errors included, as a new unsaved draft.
    fn open_sample(&mut self) -> Task<Message> {
        self.new_document(crate::sample::miluo_2023());
        self.info("已打开示例（汨罗市残联2023年度，按原表照录，含原表错误）。另存为后即可修改。".into());
        Task::none()
    }

    /// Shows `next` (built by `model::rollover`) as a new, unsaved draft.
    fn open_rollover(&mut self, next: Workbook) {
        files::remove_recovery(self.path.as_deref());
        let year = next.year;
        let carried = next.carried.len();
        *self = App { recent: std::mem::take(&mut self.recent), ..App::from_workbook(next, None) };
        self.doc.dirty = true;
        self.doc.generation = 1;
        self.info(format!(
            "已生成{year}年度草稿（尚未保存）：上年决算数、指标和目标值已结转，实际完成值、得分和本年金额已清空。{carried}个结转单元格以浅紫色标出，请逐一核对确认。"
        ));
    }

    fn open_dialog() -> Task<Message> {
        Task::perform(
            rfd::AsyncFileDialog::new().set_title("打开草稿").add_filter("绩效自评草稿", &["ron"]).pick_file(),
            |h| Message::Opened(h.map(|h| h.path().to_path_buf())),
        )
    }

    fn save_dialog(&self) -> Task<Message> {
        let name = self
            .path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| format!("{}{}年度绩效自评.ron", self.doc.wb.unit.trim(), self.doc.wb.year));
        let mut d = rfd::AsyncFileDialog::new().set_title("保存草稿").add_filter("绩效自评草稿", &["ron"]).set_file_name(name);
        if let Some(dir) = self.path.as_ref().and_then(|p| p.parent()) {
            d = d.set_directory(dir);
        }
        Task::perform(d.save_file(), |h| Message::SaveAsChosen(h.map(|h| h.path().to_path_buf())))
    }

    /// Runs what was waiting for unsaved changes to be dealt with.
    fn run_pending(&mut self, pending: Pending) -> Task<Message> {
        match pending {
            Pending::Close(id) => {
                if self.doc.dirty {
                    // 不保存: the autosave is no longer wanted.
                    files::remove_recovery(self.path.as_deref());
                }
                window::close(id)
            }
            Pending::New => {
                self.dialog = Some(Dialog::NewDraft(Box::new(new_draft::State::new(&self.doc.wb))));
                Task::none()
            }
            Pending::Open => Self::open_dialog(),
            Pending::OpenPath(p) => {
                self.load(&p);
                Task::none()
            }
            Pending::Rollover(next) => {
                self.open_rollover(*next);
                Task::none()
            }
            Pending::Sample => self.open_sample(),
        }
    }

    /// Runs `pending` now, or asks first when there are unsaved changes.
    fn guard(&mut self, pending: Pending) -> Task<Message> {
        if self.doc.dirty {
            self.dialog = Some(Dialog::Unsaved(pending));
            Task::none()
        } else {
            self.run_pending(pending)
        }
    }

    /// Asks where to write the PDF (or XLSX, or DOCX) of the chosen forms.
    fn export_dialog(&self, kind: ExportKind) -> Task<Message> {
        let (ext, filter) = match kind {
            ExportKind::Pdf => ("pdf", "PDF 文件"),
            ExportKind::Xlsx => ("xlsx", "Excel 工作簿"),
            ExportKind::Docx => ("docx", "Word 文档"),
        };
        let proposed = self.proposed_path(ext);
        let name = proposed.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mut d = rfd::AsyncFileDialog::new().set_title("导出").add_filter(filter, &[ext]).set_file_name(name);
        if let Some(dir) = proposed.parent() {
            d = d.set_directory(dir);
        }
        Task::perform(d.save_file(), |h| Message::ExportChosen(h.map(|h| h.path().to_path_buf())))
    }

    /// Where an export (or the first save) is proposed: the draft's folder (else the home folder),
    /// named `2024年度绩效自评-单位.EXT`.
    pub fn proposed_path(&self, ext: &str) -> PathBuf {
        let dir = match self.path.as_ref().and_then(|p| p.parent()) {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE")).map(PathBuf::from).unwrap_or_else(|| PathBuf::from(".")),
        };
        let unit: String = self.doc.wb.unit.trim().chars().map(|c| if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() { '_' } else { c }).collect();
        let unit = if unit.is_empty() { "未命名单位".to_string() } else { unit };
        dir.join(format!("{}年度绩效自评-{unit}.{ext}", self.doc.wb.year))
    }

    /// Prints every form to `path` (PDF, or XLSX / DOCX when the name ends so). While errors remain
    /// the copy is a draft: the exporter puts a "草稿" watermark on it.
    pub fn export_to(&mut self, path: &Path) -> bool {
        self.doc.reveal_all();
        let path = if path.extension().is_none() { path.with_extension("pdf") } else { path.to_path_buf() };
        let format = match crate::pdf::Format::of(&path) {
            Ok(f) => f,
            Err(e) => {
                self.error(format!("导出失败：{e}"));
                return false;
            }
        };
        if self.path.as_deref() == Some(path.as_path()) || draft::load(&path).is_ok() {
            self.error(format!("导出失败：{} 是一份草稿，导出会覆盖它。请换一个文件名。", path.display()));
            return false;
        }
        // The forms, projects and copy the export picker chose for this draft.
        let opts = crate::pdf::ExportOptions::chosen(&self.doc.wb.export);
        let (wb, profile, eval) = (&self.doc.wb, &self.doc.profile, &self.doc.eval);
        let (bytes, notes) = match crate::pdf::export(format, wb, profile, eval, &opts) {
            Ok(b) => b,
            Err(e) => {
                self.error(format!("导出失败：{e}"));
                return false;
            }
        };
        let write = crate::safe_write::Options { backup: false, follow_symlink: true };
        match crate::safe_write::write(&path, &bytes, write) {
            Ok(()) => {
                let errors = self.doc.index.total.errors;
                let mut note = if errors > 0 { format!("还有 {errors} 个错误，导出的是带“草稿”水印的草稿。") } else { String::new() };
                note.extend(notes.iter().map(|n| format!("注意：{n}。")));
                self.info(format!("已导出 {}（{} KB）。{note}", path.display(), bytes.len().div_ceil(1024)));
                true
            }
            Err(e) => {
                self.error(format!("导出失败：{}（{}）", e.message, path.display()));
                false
            }
        }
    }

    // ----- screens ------------------------------------------------------------------------------

    /// The steps in wizard order.
    pub fn steps(&self) -> Vec<Screen> {
        Screen::steps(&self.doc)
    }

    /// The screen on display, as a [`Page`]: the one place the app tells its screens apart.
    fn page(&self) -> Box<dyn Page<Message>> {
        match self.screen {
            Screen::Basic => Box::new(basic::Basic),
            Screen::Department => Box::new(department::Department),
            Screen::Project(p) => Box::new(project::Project(p)),
            Screen::Report => Box::new(report::Report),
            Screen::Problems => Box::new(self.problems),
        }
    }

    pub fn go(&mut self, screen: Screen) {
        let screen = screen.clamped(&self.doc);
        if screen != self.screen {
            self.doc.leave_cell();
            self.doc.seal();
            // Validate as the user goes: a section left shows its blank cells from now on;
            // 问题清单 shows everything.
            match self.screen {
                Screen::Basic => self.doc.reveal(Form::A1, None),
                Screen::Department => self.doc.reveal(Form::A2, None),
                Screen::Project(p) => self.doc.reveal(Form::A3, Some(p)),
                Screen::Report => self.doc.reveal(Form::A4, None),
                Screen::Problems => {}
            }
            if screen == Screen::Problems {
                self.doc.reveal_all();
                // A new list scrollable starts at the top: so does the part of the list built.
                self.problems.offset = 0.0;
            }
        }
        self.screen = screen;
        self.sync_editors();
    }

    /// Keeps the long-text editors of the current screen in step with the document.
    fn sync_editors(&mut self) {
        let wanted = self.page().long_texts();
        screen::sync_editors(&mut self.editors, wanted, &self.doc);
    }

    /// Focuses the cell's widget with its content selected (typing replaces it, as in WPS and
    /// Excel) and scrolls it into view.
    fn focus(&mut self, loc: &Location) -> Task<Message> {
        let id = loc.widget_id();
        self.focus_request = Some(id.clone());
        if let Some(content) = self.editors.get_mut(loc) {
            content.perform(text_editor::Action::SelectAll);
        }
        Task::batch([operation::focus::<Message>(id.clone()).chain(operation::select_all(id.clone())), reveal(id)])
    }

    /// Selects the content of the widget Tab moved to (an input, or a long-text editor).
    fn select_focused(&mut self, target: &Target) -> Task<Message> {
        let Some(id) = target_id(target) else { return Task::none() };
        match self.editors.iter_mut().find(|(l, _)| iced::widget::Id::from(l.widget_id()) == *id) {
            Some((_, content)) => {
                content.perform(text_editor::Action::SelectAll);
                Task::none()
            }
            None => operation::select_all(id.clone()),
        }
    }

    /// Carries out what a screen's update asked for.
    fn apply(&mut self, effect: Effect) -> Task<Message> {
        match effect {
            Effect::None => Task::none(),
            Effect::Focus(loc) => self.focus(&loc),
            Effect::Down(loc) => self.focus_below(&loc),
            Effect::Go(s) => {
                self.go(s);
                Task::batch([operation::snap_to(SCROLL_ID, operation::RelativeOffset::START), reveal_step(self.screen)])
            }
            Effect::Show(loc) => self.show(&loc),
            Effect::ConfirmDeleteProject(p) => {
                self.dialog = Some(Dialog::DeleteProject(p));
                Task::none()
            }
            Effect::ClosePreview => {
                self.preview = None;
                Task::none()
            }
            Effect::ExportPdf => {
                self.preview = None;
                self.export_dialog(ExportKind::Pdf)
            }
            Effect::Print => self.open_print_dialog(),
            Effect::ScrollToStart(id) => operation::snap_to(id, operation::RelativeOffset::START),
        }
    }

    /// Enter in `loc`: the next cell of its column in reading order (else simply the next cell).
    fn focus_below(&mut self, loc: &Location) -> Task<Message> {
        let order = self.page().cells_in_order(&self.doc);
        let next = order.iter().position(|l| l == loc).and_then(|i| {
            order[i + 1..].iter().find(|l| l.column == loc.column && l.row != loc.row).or_else(|| order.get(i + 1))
        });
        match next.cloned() {
            Some(n) => self.focus(&n),
            None => {
                self.focus_request = None;
                operation::focus_next()
            }
        }
    }

    /// Shows `loc` wherever it is: its screen, the cell focused and scrolled into view.
    fn show(&mut self, loc: &Location) -> Task<Message> {
        let screen = self.screen.of_cell(loc);
        self.go(screen);
        Task::batch([self.focus(loc), reveal_step(self.screen)])
    }

    // ----- update -------------------------------------------------------------------------------

    fn ctx(&mut self) -> Ctx<'_> {
        Ctx { doc: &mut self.doc, editors: &mut self.editors }
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        let task = self.route(message);
        self.sync_editors();
        Task::batch([task, self.retitle()])
    }

    /// After the title changed: the legacy X title (`WM_NAME`) written again, correctly encoded
    /// (see `ui::x11`); nothing elsewhere.
    fn retitle(&mut self) -> Task<Message> {
        let title = self.title();
        if title == self.wm_name {
            return Task::none();
        }
        self.wm_name = title.clone();
        #[cfg(target_os = "linux")]
        {
            window::latest().and_then(move |id| window::run(id, {
                let title = title.clone();
                move |w| super::x11::set_wm_name(w, &title)
            }))
            .discard()
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = title;
            Task::none()
        }
    }

    /// Hands a message to what it is for: a screen (whose effect is then carried out), a file
    /// operation, an edit, a move of the focus, a dialog.
    fn route(&mut self, message: Message) -> Task<Message> {
        // Any way forward from the start page closes it.
        if matches!(self.dialog, Some(Dialog::Start { .. })) && matches!(message, Message::New | Message::Open | Message::OpenRecent(_) | Message::OpenSample) {
            self.dialog = None;
        }
        match message {
            Message::Basic(m) => self.on_screen(|ctx| basic::update(ctx, m)),
            Message::Department(m) => self.on_screen(|ctx| department::update(ctx, m)),
            Message::Project(m) => match self.screen {
                Screen::Project(p) => self.on_screen(|ctx| project::update(ctx, p, m)),
                _ => Task::none(),
            },
            Message::Report(m) => self.on_screen(|ctx| report::update(ctx, m)),
            Message::Problems(m) => {
                let e = self.problems.update(&self.doc, m);
                self.apply(e)
            }
            Message::Preview(m) => self.apply(preview::update(m)),

            Message::Go(s) => self.apply(Effect::Go(s)),
            Message::Prev => self.step_by(false),
            Message::Next => self.step_by(true),
            Message::AddProject => self.add_project(),

            Message::New => self.guard(Pending::New),
            Message::Open => self.guard(Pending::Open),
            Message::OpenRecent(p) => self.guard(Pending::OpenPath(p)),
            Message::Opened(p) => self.opened(p),
            Message::Save => self.save(),
            Message::SaveAs => self.save_dialog(),
            Message::SaveAsChosen(p) => self.save_as_chosen(p),
            Message::Export(kind) => {
                // The picker counts every error (also blank cells not yet visited).
                self.doc.reveal_all();
                let state = export_picker::State::new(&self.doc.wb, self.doc.index.total.errors, kind);
                self.dialog = Some(Dialog::Export(Box::new(state)));
                Task::none()
            }
            Message::ExportPicker(m) => self.export_picker(m),
            Message::ExportChosen(p) => self.export_chosen(p),
            Message::Rollover => {
                let next = crate::model::rollover(&self.doc.wb);
                self.guard(Pending::Rollover(Box::new(next)))
            }
            Message::OpenPreview => self.open_preview(),
            Message::Print => self.open_print_dialog(),
            Message::PrintDialog(m) => self.print_dialog(m),
            Message::PrintKey => {
                if self.preview.is_some() {
                    if self.dialog.is_none() {
                        return self.open_print_dialog();
                    }
                    Task::none()
                } else {
                    self.open_preview()
                }
            }
            Message::PathEdit(s) => self.path_edit(s),
            Message::PathSubmit => self.path_submit(),
            Message::PathCancel => self.path_cancel(),
            Message::Autosave => self.autosave(),

            Message::Undo => self.undo_redo(true),
            Message::Redo => self.undo_redo(false),
            Message::NewDraft(m) => self.new_draft(m),
            Message::Zoom(steps) => {
                let (lo, hi) = (i32::from(*files::ZOOM_RANGE.start()), i32::from(*files::ZOOM_RANGE.end()));
                let z = if steps == 0 { 100 } else { u16::try_from((i32::from(self.zoom) + 10 * i32::from(steps)).clamp(lo, hi)).unwrap_or(100) };
                if z != self.zoom {
                    // The window keeps its size on the screen; in layout pixels it narrows as the zoom grows.
                    self.window = self.window * (f32::from(self.zoom) / f32::from(z));
                    self.zoom = z;
                    files::save_zoom(z);
                }
                Task::none()
            }
            Message::WindowSize(size) => {
                self.window = size;
                Task::none()
            }
            Message::ToggleSideBar => {
                self.side_bar_narrow = Some(!self.narrow_side_bar());
                Task::none()
            }
            Message::Check => {
                self.doc.reveal_all();
                self.go(Screen::Problems);
                let t = self.doc.index.total;
                self.info(format!("检查完成：{} 错误 · {} 警告 · {} 提示。", t.errors, t.warnings, t.infos));
                Task::none()
            }
            Message::EditRules => {
                self.dialog = Some(Dialog::NewDraft(Box::new(new_draft::State::settings(&self.doc.wb))));
                Task::none()
            }
            Message::OpenSample => self.guard(Pending::Sample),
            Message::ConfirmCarried => {
                self.doc.confirm_carried();
                Task::none()
            }
            Message::AcceptSuggestions => {
                let n = self.doc.accept_suggestions();
                if n > 0 {
                    self.info(format!("已采纳 {n} 行建议得分（评为达成、得满分），可逐行修改，撤销可还原。"));
                }
                Task::none()
            }

            Message::FocusNext => self.tab(true),
            Message::FocusPrevious => self.tab(false),
            Message::Focused(target) => self.focused(target),
            Message::PointerDown => self.pointer_down(),
            Message::FocusAfterClick(target) => self.focus_after_click(target),
            Message::Reveal(target, scroller) => scroll_into_view(target, scroller),

            Message::CloseRequested(id) => self.guard(Pending::Close(id)),
            Message::Unsaved(answer) => self.answer_unsaved(answer),
            Message::Recovery(restore) => self.answer_recovery(restore),
            Message::DeleteProject(yes) => self.answer_delete_project(yes),
            Message::Locked(choice) => self.answer_locked(choice),
            Message::ChangedOnDisk(choice) => self.answer_changed_on_disk(choice),
            Message::DialogKey(accept) => self.dialog_key(accept),
            Message::DismissBanner => {
                self.banner = None;
                Task::none()
            }
        }
    }

    /// Runs a form screen's update on the document and carries out its effect.
    fn on_screen(&mut self, update: impl FnOnce(&mut Ctx<'_>) -> Effect) -> Task<Message> {
        let e = update(&mut self.ctx());
        self.apply(e)
    }

    // ----- update: navigation -------------------------------------------------------------------

    /// 上一步 (`forward` false) or 下一步.
    fn step_by(&mut self, forward: bool) -> Task<Message> {
        let steps = self.steps();
        let i = steps.iter().position(|s| *s == self.screen).unwrap_or(0);
        let j = if forward { (i + 1).min(steps.len() - 1) } else { i.saturating_sub(1) };
        self.apply(Effect::Go(steps[j]))
    }

    /// ＋ 新增: a new project, its screen shown, its name focused.
    fn add_project(&mut self) -> Task<Message> {
        let n = self.doc.wb.projects.len() + 1;
        let p = self.doc.add_project(&format!("新项目{n}"));
        self.go(Screen::Project(p));
        let loc = Location::new(Form::A3, Some(p), "header", "name");
        Task::batch([operation::snap_to(SCROLL_ID, operation::RelativeOffset::START), self.focus(&loc), reveal_step(self.screen)])
    }

    // ----- update: files ------------------------------------------------------------------------

    /// The open dialog answered (`None`: cancelled — or no dialog could be shown, no desktop
    /// portal, no zenity: the path field is offered).
    fn opened(&mut self, path: Option<PathBuf>) -> Task<Message> {
        match path {
            Some(p) => {
                self.path_field = None;
                self.load(&p);
                Task::none()
            }
            None => {
                self.path_field = Some((PathPurpose::Open, String::new()));
                operation::focus(PATH_FIELD_ID)
            }
        }
    }

    /// 保存: to the draft's own file, or Save As for a new draft.
    fn save(&mut self) -> Task<Message> {
        match self.path.clone() {
            Some(p) => {
                self.save_to(&p);
                Task::none()
            }
            None => self.save_dialog(),
        }
    }

    /// The Save As dialog answered; once saved, what was waiting for it runs.
    fn save_as_chosen(&mut self, path: Option<PathBuf>) -> Task<Message> {
        match path {
            Some(p) => {
                self.path_field = None;
                if self.save_to(&p) {
                    if let Some(next) = self.after_save.take() {
                        return self.run_pending(next);
                    }
                }
                Task::none()
            }
            None => {
                let suggestion = self.path.clone().unwrap_or_else(|| self.proposed_path("ron")).display().to_string();
                self.path_field = Some((PathPurpose::SaveAs, suggestion));
                operation::focus(PATH_FIELD_ID)
            }
        }
    }

    /// The export dialog answered.
    fn export_chosen(&mut self, path: Option<PathBuf>) -> Task<Message> {
        match path {
            Some(p) => {
                self.path_field = None;
                self.export_to(&p);
                Task::none()
            }
            None => {
                let suggestion = self.proposed_path("pdf").display().to_string();
                self.path_field = Some((PathPurpose::Export, suggestion));
                operation::focus(PATH_FIELD_ID)
            }
        }
    }

    /// 打印预览: the export's pages laid out now, shown from the first.
    fn open_preview(&mut self) -> Task<Message> {
        self.doc.reveal_all();
        match preview::Preview::open(&self.doc) {
            Ok(p) => {
                self.preview = Some(p);
                operation::snap_to(preview::SCROLL_ID, operation::RelativeOffset::START)
            }
            Err(e) => {
                self.error(format!("无法生成打印预览：{e}"));
                Task::none()
            }
        }
    }

    fn path_edit(&mut self, s: String) -> Task<Message> {
        if let Some((_, t)) = &mut self.path_field {
            *t = s;
        }
        Task::none()
    }

    /// The path field's 打开 / 保存 / 导出: as if the native dialog had answered with that path.
    fn path_submit(&mut self) -> Task<Message> {
        let Some((purpose, t)) = self.path_field.clone() else { return Task::none() };
        let t = t.trim();
        if t.is_empty() {
            return Task::none();
        }
        let p = PathBuf::from(t);
        match purpose {
            PathPurpose::Open => self.opened(Some(p)),
            PathPurpose::SaveAs => self.save_as_chosen(Some(p)),
            PathPurpose::Export => self.export_chosen(Some(p)),
        }
    }

    fn path_cancel(&mut self) -> Task<Message> {
        self.path_field = None;
        self.after_save = None;
        Task::none()
    }

    /// Every 30 s: the unsaved document written to its recovery file, once per change.
    fn autosave(&mut self) -> Task<Message> {
        if self.doc.dirty && self.doc.generation != self.autosaved {
            match files::write_recovery(self.path.as_deref(), &draft::to_string(&self.doc.for_saving())) {
                Ok(_) => self.autosaved = self.doc.generation,
                Err(e) => self.error(format!("自动保存失败：{}", draft::io_message(&e))),
            }
        }
        Task::none()
    }

    // ----- update: edits ------------------------------------------------------------------------

    /// 撤销 (`undo`) or 重做: the cell that changed shown and focused.
    fn undo_redo(&mut self, undo: bool) -> Task<Message> {
        let r = if undo { self.doc.undo() } else { self.doc.redo() };
        if r.is_some() && !self.doc.dirty {
            // Back to the saved figures: an autosave of the undone edits is not wanted.
            files::remove_recovery(self.path.as_deref());
            self.autosaved = self.doc.generation;
        }
        match r {
            Some(Some(loc)) => {
                let s = self.screen.of_cell(&loc);
                self.go(s);
                self.sync_editors();
                self.focus(&loc)
            }
            Some(None) => {
                // The screen on display may be a project the undo removed.
                self.go(self.screen);
                Task::none()
            }
            None => Task::none(),
        }
    }

    // ----- update: focus ------------------------------------------------------------------------

    /// Tab (`forward`) or Shift+Tab: the cell is left, the focus moves, then what it landed on is
    /// selected and shown ([`Message::Focused`]).
    fn tab(&mut self, forward: bool) -> Task<Message> {
        self.doc.leave_cell();
        self.doc.seal();
        // With nothing focused, focus_next focuses the first input of the window: the
        // screen's first cell (the path field when it is up).
        let moved = if forward { operation::focus_next() } else { operation::focus_previous() };
        moved.chain(selector::find(selector::is_focused()).map(Message::Focused))
    }

    fn focused(&mut self, target: Option<Target>) -> Task<Message> {
        match target {
            Some(t) => {
                let select = self.select_focused(&t);
                Task::batch([select, selector::find(selector::id(SCROLL_ID)).map(move |s| Message::Reveal(Some(t.clone()), s))])
            }
            None => Task::none(),
        }
    }

    /// A click while typing in a cell: which widget has the focus now ([`Message::FocusAfterClick`]).
    fn pointer_down(&mut self) -> Task<Message> {
        match self.doc.editing() {
            Some(_) => selector::find(selector::is_focused()).map(Message::FocusAfterClick),
            None => Task::none(),
        }
    }

    /// The click took the focus out of the cell being typed in: the cell is left.
    fn focus_after_click(&mut self, target: Option<Target>) -> Task<Message> {
        let still = match (self.doc.editing(), target.as_ref().and_then(target_id)) {
            (Some(loc), Some(id)) => iced::widget::Id::from(loc.widget_id()) == *id,
            _ => false,
        };
        if !still {
            self.doc.leave_cell();
            self.doc.seal();
        }
        Task::none()
    }

    // ----- update: dialogs ----------------------------------------------------------------------

    /// 保存 / 不保存 / 取消 before what was pending.
    fn answer_unsaved(&mut self, answer: Answer) -> Task<Message> {
        let Some(Dialog::Unsaved(pending)) = self.dialog.take() else { return Task::none() };
        match answer {
            Answer::Cancel => Task::none(),
            Answer::Discard => {
                files::remove_recovery(self.path.as_deref());
                self.doc.dirty = false;
                self.run_pending(pending)
            }
            Answer::Save => match self.path.clone() {
                Some(p) => {
                    if self.save_to(&p) {
                        self.run_pending(pending)
                    } else {
                        Task::none()
                    }
                }
                None => {
                    self.after_save = Some(pending);
                    self.save_dialog()
                }
            },
        }
    }

    /// 恢复 (`restore`) the autosave, or delete it.
    fn answer_recovery(&mut self, restore: bool) -> Task<Message> {
        let Some(Dialog::Recovery { recovery, .. }) = self.dialog.take() else { return Task::none() };
        if !restore {
            let _ = std::fs::remove_file(&recovery);
            return Task::none();
        }
        match Document::recover(&recovery) {
            Ok(doc) => {
                self.doc = doc;
                self.autosaved = self.doc.generation;
                self.sync_editors();
                self.info("已恢复自动保存的内容。请检查后保存。".into());
            }
            Err(e) => self.error(format!("无法恢复自动保存的内容：{e}")),
        }
        Task::none()
    }

    fn answer_delete_project(&mut self, yes: bool) -> Task<Message> {
        if let (true, Some(Dialog::DeleteProject(p))) = (yes, self.dialog.clone()) {
            self.doc.delete_project(p);
            // The next project (the last one, 附件2 when none is left).
            self.go(Screen::Project(p));
        }
        self.dialog = None;
        Task::none()
    }

    fn answer_locked(&mut self, choice: LockChoice) -> Task<Message> {
        let Some(Dialog::Locked { path, .. }) = self.dialog.take() else { return Task::none() };
        match choice {
            LockChoice::ReadOnly => {
                if self.load_as(&path, true) {
                    self.info("已以只读方式打开：可以查看、修改后“另存为”，不会覆盖原文件。".into());
                }
            }
            LockChoice::Anyway => {
                self.load_as(&path, false);
            }
            LockChoice::Cancel => {}
        }
        Task::none()
    }

    fn answer_changed_on_disk(&mut self, choice: ConflictChoice) -> Task<Message> {
        let Some(Dialog::ChangedOnDisk(path)) = self.dialog.take() else { return Task::none() };
        match choice {
            ConflictChoice::SaveAs => self.save_dialog(),
            ConflictChoice::Overwrite => {
                self.overwrite_confirmed = true;
                self.save_to(&path);
                Task::none()
            }
            ConflictChoice::Cancel => Task::none(),
        }
    }

    /// Enter (`accept`: the dialog's primary button) or Esc (cancel, destroying nothing; with no
    /// dialog up, Esc closes the print preview).
    fn dialog_key(&mut self, accept: bool) -> Task<Message> {
        match (&self.dialog, accept) {
            (Some(Dialog::Unsaved(_)), true) => self.update(Message::Unsaved(Answer::Save)),
            (Some(Dialog::Unsaved(_)), false) => self.update(Message::Unsaved(Answer::Cancel)),
            (Some(Dialog::Recovery { .. }), true) => self.update(Message::Recovery(true)),
            (Some(Dialog::Recovery { .. }), false) => {
                // Esc keeps the autosave: it is offered again next time.
                self.dialog = None;
                self.info("自动保存的内容已保留，下次打开时仍会询问是否恢复。".into());
                Task::none()
            }
            (Some(Dialog::DeleteProject(_)), yes) => self.update(Message::DeleteProject(yes)),
            (Some(Dialog::Locked { .. }), true) => self.update(Message::Locked(LockChoice::ReadOnly)),
            (Some(Dialog::Locked { .. }), false) => self.update(Message::Locked(LockChoice::Cancel)),
            (Some(Dialog::ChangedOnDisk(_)), true) => self.update(Message::ChangedOnDisk(ConflictChoice::SaveAs)),
            (Some(Dialog::ChangedOnDisk(_)), false) => self.update(Message::ChangedOnDisk(ConflictChoice::Cancel)),
            (Some(Dialog::Export(_)), true) => self.export_picker(export_picker::Message::Go),
            (Some(Dialog::Export(_)), false) => self.export_picker(export_picker::Message::Cancel),
            (Some(Dialog::Print(_)), true) => self.print_dialog(print_dialog::Message::Go),
            (Some(Dialog::Print(_)), false) => self.print_dialog(print_dialog::Message::Close),
            (Some(Dialog::NewDraft(_)), true) => self.new_draft(new_draft::Message::Create),
            (Some(Dialog::NewDraft(_)), false) => self.new_draft(new_draft::Message::Cancel),
            (Some(Dialog::Start { last: Some(p) }), true) => {
                let p = p.clone();
                self.dialog = None;
                self.update(Message::OpenRecent(p))
            }
            (Some(Dialog::Start { .. }), _) => {
                self.dialog = None;
                Task::none()
            }
            (None, false) if self.preview.is_some() => self.apply(preview::update(preview::Message::Close)),
            (None, _) => Task::none(),
        }
    }

    // ----- subscriptions ------------------------------------------------------------------------

    pub fn subscription(&self) -> Subscription<Message> {
        Subscription::batch([
            iced::time::every(Duration::from_secs(30)).map(|_| Message::Autosave),
            keyboard::listen().filter_map(shortcut),
            iced::event::listen_with(pointer),
            window::close_requests().map(Message::CloseRequested),
        ])
    }
}

/// Runs `f` on a thread of its own; the future resolves with its result (`None` if it panicked).
fn off_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> impl std::future::Future<Output = Option<T>> {
    let (tx, rx) = iced::futures::channel::oneshot::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    async move { rx.await.ok() }
}

/// The system's printers, listed off the UI thread, for the 打印… dialog.
fn list_printers() -> Task<Message> {
    Task::perform(off_thread(|| crate::print::printers().map_err(|e| e.to_string())), |r| {
        Message::PrintDialog(print_dialog::Message::Listed(r.unwrap_or_else(|| Err("无法列出打印机".into()))))
    })
}

/// Finds `id` and the screen's scrollable, then scrolls so `id` is visible.
fn reveal(id: String) -> Task<Message> {
    reveal_in(id, SCROLL_ID)
}

/// Finds `id` and the scrollable `scroller` it sits in, then scrolls so `id` is visible.
fn reveal_in(id: String, scroller: &'static str) -> Task<Message> {
    selector::find(selector::id(id)).then(move |t| selector::find(selector::id(scroller)).map(move |s| Message::Reveal(t.clone(), s)))
}

/// Keeps the current project visible in the side bar's list.
fn reveal_step(screen: Screen) -> Task<Message> {
    match screen {
        Screen::Project(p) => reveal_in(step_id(p), STEPS_ID),
        _ => Task::none(),
    }
}

/// The id of a project's entry in the side bar.
fn step_id(p: usize) -> String {
    format!("step:project:{p}")
}

/// The id of the widget a selector found.
fn target_id(t: &Target) -> Option<&iced::widget::Id> {
    match t {
        Target::Container { id, .. }
        | Target::Focusable { id, .. }
        | Target::Scrollable { id, .. }
        | Target::TextInput { id, .. }
        | Target::Text { id, .. }
        | Target::Custom { id, .. } => id.as_ref(),
    }
}

/// Every mouse press, whoever handled it (a click may move the focus out of the cell being typed in).
fn pointer(event: iced::Event, _: iced::event::Status, _: window::Id) -> Option<Message> {
    match event {
        iced::Event::Mouse(iced::mouse::Event::ButtonPressed(_)) => Some(Message::PointerDown),
        iced::Event::Window(window::Event::Opened { size, .. } | window::Event::Resized(size)) => Some(Message::WindowSize(size)),
        iced::Event::Mouse(iced::mouse::Event::WheelScrolled { delta }) if CTRL_HELD.load(std::sync::atomic::Ordering::Relaxed) => {
            let y = match delta {
                iced::mouse::ScrollDelta::Lines { y, .. } | iced::mouse::ScrollDelta::Pixels { y, .. } => y,
            };
            (y != 0.0).then_some(Message::Zoom(if y > 0.0 { 1 } else { -1 }))
        }
        _ => None,
    }
}

/// The vertical offset that shows `target` inside `scroller`, if it is not visible already.
pub fn offset_to_show(target: &Target, scroller: &Target) -> Option<f32> {
    let Target::Scrollable { bounds, content_bounds, translation, .. } = scroller else { return None };
    let t = target.bounds();
    let top = t.y - content_bounds.y;
    let bottom = top + t.height;
    let view_top = translation.y;
    let view_bottom = translation.y + bounds.height;
    if top >= view_top + 4.0 && bottom <= view_bottom - 4.0 {
        return None;
    }
    Some((top - bounds.height / 3.0).max(0.0))
}

fn scroll_into_view(target: Option<Target>, scroller: Option<Target>) -> Task<Message> {
    match (target, scroller) {
        (Some(t), Some(s)) => match (offset_to_show(&t, &s), &s) {
            (Some(y), Target::Scrollable { id: Some(id), .. }) => operation::scroll_to(id.clone(), AbsoluteOffset { x: None, y: Some(y) }),
            _ => Task::none(),
        },
        _ => Task::none(),
    }
}

/// Keyboard shortcuts (only keys no widget captured arrive here).
pub(crate) fn shortcut(event: keyboard::Event) -> Option<Message> {
    use keyboard::{key::Named, Key};
    if let keyboard::Event::ModifiersChanged(m) = event {
        CTRL_HELD.store(m.command(), std::sync::atomic::Ordering::Relaxed);
        return None;
    }
    let keyboard::Event::KeyPressed { key, modifiers, .. } = event else { return None };
    match key.as_ref() {
        Key::Character(c) if modifiers.command() => match c.to_lowercase().as_str() {
            // Ctrl+= and Ctrl++ (with or without Shift), Ctrl+-, Ctrl+0.
            "=" | "+" => Some(Message::Zoom(1)),
            "-" | "_" => Some(Message::Zoom(-1)),
            "0" => Some(Message::Zoom(0)),
            "b" => Some(Message::ToggleSideBar),
            "s" if modifiers.shift() => Some(Message::SaveAs),
            "s" => Some(Message::Save),
            "o" => Some(Message::Open),
            "n" => Some(Message::New),
            "z" if modifiers.shift() => Some(Message::Redo),
            "z" => Some(Message::Undo),
            "y" => Some(Message::Redo),
            "p" => Some(Message::PrintKey),
            "e" => Some(Message::Export(ExportKind::Pdf)),
            _ => None,
        },
        // Only reaches here when no text input has taken the key.
        Key::Named(Named::Enter) if modifiers.is_empty() => Some(Message::DialogKey(true)),
        Key::Named(Named::Escape) => Some(Message::DialogKey(false)),
        // 上一步 / 下一步, as tabs of a document window move.
        Key::Named(Named::PageDown) if modifiers.command() => Some(Message::Next),
        Key::Named(Named::PageUp) if modifiers.command() => Some(Message::Prev),
        Key::Named(Named::Tab) if modifiers.shift() => Some(Message::FocusPrevious),
        Key::Named(Named::Tab) => Some(Message::FocusNext),
        _ => None,
    }
}

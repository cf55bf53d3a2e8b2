//! Window tests: iced_test `Simulator` for clicks and typing, `App::update` for the rest, and a
//! headless `UserInterface` that runs the widget operations a returned `Task` carries, to check
//! which cell really ends up focused.

use std::sync::MutexGuard;

use iced::futures::StreamExt;
use iced::{Pixels, Size, Task};
use iced_test::core::renderer::Headless;
use iced_test::core::widget::operation::{self, Outcome};
use iced_test::core::widget::Id;
use iced_test::runtime::{task, user_interface, Action, UserInterface};
use iced_test::{selector, Simulator};
use rust_decimal::Decimal;

use super::app::{Dialog, Message, Options};
use super::screen::Screen;
use super::widgets::CellMsg;
use super::{department, problems, settings, App, FONT};
use crate::document::files;
use crate::engine::{Form, Location, RuleId};
use crate::{draft, sample};

/// Tests touching the data folder run one at a time, each with its own folder.
pub(super) struct DataDir {
    _lock: MutexGuard<'static, ()>,
    pub(super) dir: tempfile::TempDir,
}

pub(super) fn data_dir() -> DataDir {
    let lock = files::tests::ENV.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("temp dir");
    std::env::set_var("ZIPIN_DATA_DIR", dir.path().join("data"));
    DataDir { _lock: lock, dir }
}

pub(super) fn miluo() -> App {
    App::from_workbook(sample::miluo_2023(), None)
}

fn a2(row: &str, col: &str) -> Location {
    Location::new(Form::A2, None, row, col)
}

fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

/// A simulator tall enough that every cell of a form is on screen.
fn simulate(app: &App) -> Simulator<'_, Message> {
    Simulator::with_size(settings(), Size::new(1440.0, 5000.0), app.view())
}

/// Clicks the input `loc` and types `text`; feeds the messages back into the app.
fn type_into(app: &mut App, loc: &Location, text: &str) {
    let mut ui = simulate(app);
    ui.click(selector::id(loc.widget_id())).unwrap_or_else(|e| panic!("{}: {e}", loc.widget_id()));
    let _ = ui.typewrite(text);
    let messages: Vec<Message> = ui.into_messages().collect();
    assert!(!messages.is_empty(), "typing into {} produced no message", loc.widget_id());
    for m in messages {
        let _ = app.update(m);
    }
}

/// Replaces the cell's text as a user selecting it and typing would (one message).
pub(super) fn set(app: &mut App, loc: &Location, text: &str) {
    let cell = CellMsg::Edit(loc.clone(), text.to_string());
    let m = match loc.form {
        Form::A1 => Message::Basic(super::basic::Message::Cell(cell)),
        Form::A2 => Message::Department(department::Message::Cell(cell)),
        Form::A4 => Message::Report(super::report::Message::Cell(cell)),
        _ => Message::Project(super::project::Message::Cell(cell)),
    };
    let _ = app.update(m);
}

/// The window as the runtime keeps it between frames: one widget tree (focus, caret, editor
/// state) carried from view to view, keyboard events delivered to the widgets, their messages fed
/// back into the app and the widget operations of its tasks run — what a `Simulator` (one view,
/// nothing fed back) cannot show: whether the focus survives the app's reaction to a keystroke.
pub(super) struct Live {
    renderer: iced::Renderer,
    cache: Option<user_interface::Cache>,
}

impl Live {
    pub(super) fn new() -> Live {
        use iced::futures::executor::block_on;
        let renderer = block_on(<iced::Renderer as Headless>::new(FONT, Pixels(14.0), None)).expect("headless renderer");
        Live { renderer, cache: Some(user_interface::Cache::default()) }
    }

    /// Builds the app's view on the tree kept from the last frame, runs `f` on it, keeps the tree.
    fn frame<T>(&mut self, app: &App, f: impl FnOnce(&mut UserInterface<'_, Message, iced::Theme, iced::Renderer>, &mut iced::Renderer) -> T) -> T {
        let cache = self.cache.take().unwrap_or_default();
        let mut ui = UserInterface::build(app.view(), Size::new(1440.0, 900.0), cache, &mut self.renderer);
        let out = f(&mut ui, &mut self.renderer);
        self.cache = Some(ui.into_cache());
        out
    }

    /// Runs the widget operations of `task` on the current view; the messages it produced.
    pub(super) fn operate(&mut self, app: &App, task: Task<Message>) -> Vec<Message> {
        use iced::futures::executor::block_on;
        let mut out = Vec::new();
        let Some(mut stream) = task::into_stream(task) else { return out };
        self.frame(app, |ui, renderer| {
            while let Some(action) = block_on(stream.next()) {
                match action {
                    Action::Widget(op) => {
                        let mut current = Some(op);
                        while let Some(mut op) = current.take() {
                            ui.operate(renderer, op.as_mut());
                            if let Outcome::Chain(next) = op.finish() {
                                current = Some(next);
                            }
                        }
                    }
                    Action::Output(m) => out.push(m),
                    _ => {}
                }
            }
        });
        out
    }

    /// `app.update(message)`, then the task's operations and the messages they produce, in turn.
    pub(super) fn send(&mut self, app: &mut App, message: Message) {
        let mut queue = vec![message];
        while let Some(m) = queue.pop() {
            let task = app.update(m);
            queue.extend(self.operate(app, task));
        }
    }

    /// Types `text` key by key, each key a frame: its messages go to the app before the next key.
    pub(super) fn type_text(&mut self, app: &mut App, text: &str) {
        for c in text.chars() {
            let events: Vec<iced::Event> = iced_test::simulator::typewrite(&c.to_string()).collect();
            let messages = self.frame(app, |ui, renderer| {
                let mut messages = Vec::new();
                let _ = ui.update(&events, iced::mouse::Cursor::Unavailable, renderer, &mut iced_test::core::clipboard::Null, &mut messages);
                messages
            });
            for m in messages {
                self.send(app, m);
            }
        }
    }

    /// The id of the focused widget.
    pub(super) fn focused(&mut self, app: &App) -> Option<Id> {
        self.frame(app, |ui, renderer| {
            let mut find = operation::focusable::find_focused();
            ui.operate(renderer, &mut operation::black_box(&mut find));
            match operation::Operation::finish(&find) {
                Outcome::Some(id) => Some(id),
                _ => None,
            }
        })
    }
}

/// Runs the widget operations of `task` against the app's current view, as the runtime would,
/// and returns the id of the focused widget afterwards and the messages the task produced.
fn run_task(app: &App, task: Task<Message>) -> (Option<Id>, Vec<Message>) {
    let mut live = Live::new();
    let out = live.operate(app, task);
    (live.focused(app), out)
}

#[test]
fn typing_a_value_updates_the_row_score_and_the_total() {
    let _d = data_dir();
    let mut app = miluo();
    app.go(Screen::Department);
    let before = app.doc.eval.department.total_score;
    // Row 12 (经济效益) has a target of 100% and no actual; its filed score 9 counts until then.
    assert_eq!(app.doc.eval.department.rows[11].score, Some(dec("9")));
    type_into(&mut app, &a2("ind#12", "actual"), "80%");
    let row = &app.doc.eval.department.rows[11];
    assert_eq!(row.computed, Some(dec("8")), "10 × 80/100");
    assert_eq!(app.doc.eval.department.total_score, before - dec("1"));
    assert_eq!(app.doc.text(&a2("ind#12", "actual")), "80%");
    // The re-rendered screen and status bar show the new values.
    let mut ui = simulate(&app);
    let total = crate::display::score(app.doc.eval.department.total_score);
    assert!(ui.find(format!("部门整体和项目 · 附件2 部门整体  总分 {total} · 等级 优（暂定）").as_str()).is_ok(), "status bar shows {total}");
}

#[test]
fn an_invalid_number_shows_its_error_on_that_cell() {
    let _d = data_dir();
    let mut app = miluo();
    app.go(Screen::Department);
    let loc = a2("nature.basic", "amount");
    let exec_before = app.doc.eval.department.expend_total;
    set(&mut app, &loc, "");
    type_into(&mut app, &loc, "353.o8");
    assert_eq!(app.doc.text(&loc), "353.o8", "the text is kept as typed");
    let found: Vec<_> = app.doc.at(&loc).collect();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].rule, RuleId::NumFormat);
    assert_eq!(app.doc.wb.department.by_nature.basic, None, "its last good value is left out");
    assert_eq!(app.doc.eval.department.expend_total, exec_before - dec("353.08"));
    // The message line under the row appears once the user leaves the cell (the outline at once).
    let _ = app.update(Message::FocusNext);
    let mut ui = simulate(&app);
    assert!(ui.find("「基本支出」不是有效数值：353.o8").is_ok(), "the message is shown under the cell");
    assert!(ui.find(selector::id(loc.widget_id())).is_ok());
    drop(ui);
    // Fixing the text clears it.
    set(&mut app, &loc, "353.08");
    assert!(app.doc.at(&loc).all(|f| f.rule != RuleId::NumFormat));
    assert_eq!(app.doc.eval.department.expend_total, exec_before);
}

#[test]
fn a_score_below_weight_needs_a_reason_and_the_reason_clears_it() {
    let _d = data_dir();
    let mut app = miluo();
    app.go(Screen::Department);
    let reason = a2("ind#2", "reason");
    assert_eq!(app.doc.at(&reason).count(), 0);
    set(&mut app, &a2("ind#2", "actual"), "");
    type_into(&mut app, &a2("ind#2", "actual"), "140人"); // target 156人
    assert_eq!(app.doc.text(&a2("ind#2", "actual")), "140人");
    assert_eq!(app.doc.eval.department.rows[1].computed, Some(dec("2.69")), "3 × 140/156, rounded");
    let rules: Vec<RuleId> = app.doc.at(&reason).map(|f| f.rule).collect();
    assert_eq!(rules, [RuleId::DeviationRequired]);
    type_into(&mut app, &reason, "部分康复对象年内迁出，下年度加强动态管理");
    assert_eq!(app.doc.at(&reason).count(), 0);
}

#[test]
fn activating_a_finding_jumps_to_its_screen_and_focuses_the_cell() {
    let _d = data_dir();
    let mut app = miluo();
    app.go(Screen::Problems);
    let target = a2("ind#13", "reason");
    let i = app.doc.eval.findings.iter().position(|f| f.location == target).expect("R-DEVIATION-REQUIRED on #13");
    let mut ui = simulate(&app);
    ui.click(app.doc.eval.findings[i].message.as_str()).expect("the finding is listed");
    let messages: Vec<Message> = ui.into_messages().collect();
    assert!(matches!(messages.as_slice(), [Message::Problems(problems::Message::Jump(j))] if *j == i), "{messages:?}");
    let task = app.update(messages.into_iter().next().unwrap());
    assert_eq!(app.screen, Screen::Department);
    assert_eq!(app.focus_request.as_deref(), Some("A2.ind#13.reason"));
    let (focused, produced) = run_task(&app, task);
    assert_eq!(focused, Some(Id::from(target.widget_id())));
    // The scroll-into-view step reports where the cell and the form are.
    assert!(produced.iter().any(|m| matches!(m, Message::Reveal(Some(_), Some(_)))), "{produced:?}");
}

#[test]
fn enter_moves_down_and_tab_moves_on() {
    let _d = data_dir();
    let mut app = miluo();
    app.go(Screen::Department);
    let task = app.update(Message::Department(department::Message::Cell(CellMsg::Submit(a2("ind#1", "target")))));
    assert_eq!(app.focus_request.as_deref(), Some("A2.ind#2.target"));
    let (focused, _) = run_task(&app, task);
    assert_eq!(focused, Some(Id::from("A2.ind#2.target".to_string())));
    // Tab from nothing focused goes to the first input of the screen.
    let task = app.update(Message::FocusNext);
    let (focused, _) = run_task(&app, task);
    assert_eq!(focused, Some(Id::from("A2.header.unit".to_string())));
}

#[test]
fn undo_and_redo_restore_exact_values() {
    let _d = data_dir();
    let mut app = miluo();
    app.go(Screen::Department);
    let exec = a2("fund.total", "executed");
    let original = app.doc.wb.clone();
    assert_eq!(app.doc.wb.department.funds.executed.map(|d| d.to_string()), Some("1005.67".into()));
    for t in ["9", "90", "90x"] {
        set(&mut app, &exec, t);
    }
    assert_eq!(app.doc.wb.department.funds.executed, None);
    let _ = app.update(Message::Department(department::Message::Cell(CellMsg::Submit(exec.clone()))));
    let name = a2("ind#3", "name");
    set(&mut app, &name, "扶残助学（更正）");
    let _ = app.update(Message::Department(department::Message::Grid(super::grid::Message::Remove(19))));
    assert_eq!(app.doc.wb.department.indicators.len(), 18);

    let _ = app.update(Message::Undo);
    assert_eq!(app.doc.wb.department.indicators.len(), 19);
    let _ = app.update(Message::Undo);
    assert_eq!(app.doc.wb.department.indicators[2].name, "3：扶残助学");
    let _ = app.update(Message::Undo);
    assert_eq!(app.doc.wb, original, "all three keystrokes in one cell are one step");
    assert_eq!(app.doc.wb.department.funds.executed.unwrap().to_string(), "1005.67", "same digits, same scale");
    assert_eq!(app.doc.text(&exec), "1005.67");
    assert!(app.doc.at(&exec).all(|f| f.rule != RuleId::NumFormat));
    assert_eq!(app.focus_request.as_deref(), Some("A2.fund.total.executed"), "undo shows the cell");

    let _ = app.update(Message::Redo);
    assert_eq!(app.doc.text(&exec), "90x", "the typed text comes back as typed");
    assert!(app.doc.at(&exec).any(|f| f.rule == RuleId::NumFormat));
    let _ = app.update(Message::Redo);
    let _ = app.update(Message::Redo);
    assert_eq!(app.doc.wb.department.indicators.len(), 18);
    assert_eq!(app.doc.wb.department.indicators[2].name, "扶残助学（更正）");
}

#[test]
fn save_then_reopen_gives_the_same_workbook() {
    let d = data_dir();
    let path = d.dir.path().join("草稿.ron");
    let mut app = miluo();
    set(&mut app, &a2("goal", "expected"), "完成年度目标。\n第二行");
    set(&mut app, &Location::new(Form::A1, None, "footer", "phone"), "0730-5221234");
    assert!(app.title().starts_with("未命名 *"));
    assert!(app.save_to(&path));
    assert_eq!(app.title(), "草稿.ron — 绩效自评");
    // The status bar says so, until the next change.
    let said = format!("已保存 {}", app.saved_at.clone().expect("saved time"));
    assert!(simulate(&app).find(said.as_str()).is_ok(), "{said}");
    set(&mut app, &Location::new(Form::A1, None, "footer", "phone"), "0730-5221235");
    assert!(simulate(&app).find(said.as_str()).is_err(), "changed since");
    set(&mut app, &Location::new(Form::A1, None, "footer", "phone"), "0730-5221234");
    assert!(app.save_to(&path));
    let (reopened, _) = App::boot(Options { path: Some(path.clone()), screen: None });
    assert_eq!(reopened.doc.wb, app.doc.wb);
    assert!(reopened.dialog.is_none());
    assert_eq!(files::recent().first().map(|p| p.as_path()), Some(files::absolute(&path).as_path()));
}

/// Export (and a first save) propose the draft's folder and `2023年度绩效自评-单位.pdf`.
#[test]
fn exports_are_proposed_beside_the_draft_with_a_filing_name() {
    let d = data_dir();
    let mut app = miluo();
    let name = format!("{}年度绩效自评-{}.pdf", app.doc.wb.year, app.doc.wb.unit.trim());
    assert_eq!(app.proposed_path("pdf").file_name().unwrap().to_string_lossy(), name);
    let path = d.dir.path().join("sub").join("d.ron");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    assert!(app.save_to(&path));
    assert_eq!(app.proposed_path("xlsx"), path.parent().unwrap().join(name.replace(".pdf", ".xlsx")));
    app.doc.wb.unit = "a/b:c".into();
    assert!(app.proposed_path("pdf").ends_with(format!("{}年度绩效自评-a_b_c.pdf", app.doc.wb.year)));
}

/// Without a file the app opens on the start page: the last draft one click (or Enter) away,
/// 新建…, 打开…, 打开示例.
#[test]
fn the_start_page_offers_the_last_draft_new_open_and_the_sample() {
    let d = data_dir();
    let (app, _) = App::boot(Options { path: None, screen: None });
    assert_eq!(app.dialog, Some(Dialog::Start { last: None }));
    let mut ui = simulate(&app);
    for label in ["新建…", "打开…", "打开示例"] {
        assert!(ui.find(label).is_ok(), "{label}");
    }
    drop(ui);
    let path = d.dir.path().join("上次.ron");
    draft::save(&path, &crate::sample::miluo_2023()).unwrap();
    files::add_recent(&path);
    let (mut app, _) = App::boot(Options { path: None, screen: None });
    assert!(simulate(&app).find("继续：上次.ron").is_ok());
    let _ = app.update(Message::DialogKey(true));
    assert_eq!(app.path.as_deref(), Some(path.as_path()), "Enter reopens the last draft");
    assert!(app.dialog.is_none());
    let (mut app, _) = App::boot(Options { path: None, screen: None });
    let _ = app.update(Message::OpenSample);
    assert!(app.dialog.is_none());
    assert_eq!(app.doc.wb.unit, crate::sample::miluo_2023().unit);
    assert_eq!(app.path, None, "the sample opens untitled");
}

/// 新建 asks: year, unit, rule profile (built-in and the user's own), filing scope, projects.
#[test]
fn new_asks_for_year_unit_rules_scope_and_projects() {
    use super::new_draft::Message as N;
    let d = data_dir();
    // A profile of the user's own is offered too.
    let dir = d.dir.path().join("profiles");
    std::fs::create_dir_all(&dir).unwrap();
    let mine = crate::profile::Profile::builtin("national-2020").unwrap();
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/profiles/national-2020.ron")).unwrap();
    std::fs::write(dir.join("my-rules.ron"), text.replacen("\"national-2020\"", "\"my-rules\"", 1)).unwrap();
    std::env::set_var("ZIPIN_PROFILE_DIR", &dir);
    let mut app = miluo();
    let _ = app.update(Message::New);
    std::env::remove_var("ZIPIN_PROFILE_DIR");
    let Some(Dialog::NewDraft(state)) = &app.dialog else { panic!("no 新建 dialog: {:?}", app.dialog) };
    assert!(state.choices.iter().any(|c| c.key.ends_with("my-rules.ron") && c.label.contains("自定义")), "{:?}", state.choices);
    assert!(state.choices.iter().any(|c| c.key == "hunan-2023") && state.choices.iter().any(|c| c.key == "national-2020"));
    let national = state.choices.iter().find(|c| c.key == "national-2020").unwrap().clone();
    assert!(national.label.contains(&mine.name), "{}", national.label);
    let ui = simulate(&app);
    drop(ui);
    for m in [
        N::Year("2024".into()),
        N::Unit("某某镇人民政府".into()),
        N::Profile(national),
        N::Department(false),
        N::ProjectNames("道路养护、 农村饮水安全".into()),
    ] {
        let _ = app.update(Message::NewDraft(m));
    }
    let _ = app.update(Message::NewDraft(N::Year("19".into())));
    let _ = app.update(Message::NewDraft(N::Create));
    match &app.dialog {
        Some(Dialog::NewDraft(s)) => assert!(s.error.as_deref().is_some_and(|e| e.contains("年度")), "{:?}", s.error),
        other => panic!("a bad year keeps the dialog: {other:?}"),
    }
    let _ = app.update(Message::NewDraft(N::Year("2024".into())));
    let _ = app.update(Message::DialogKey(true));
    assert!(app.dialog.is_none());
    let wb = &app.doc.wb;
    assert_eq!((wb.year, wb.unit.as_str(), wb.profile_id.as_str()), (2024, "某某镇人民政府", "national-2020"));
    assert_eq!(wb.scope, crate::model::Scope { department: false, projects: true, report: false });
    assert_eq!(wb.projects.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["道路养护", "农村饮水安全"]);
    assert_eq!(wb.projects[0].competent_dept, "某某镇人民政府");
    assert_eq!(app.doc.profile.id, "national-2020");
    assert_eq!(app.screen, Screen::Project(0));
}

/// The status bar names the rules in use; a click changes them and the filing scope, re-scoring
/// at once, undoable.
#[test]
fn the_rules_and_scope_change_from_the_status_bar() {
    use super::new_draft::Message as N;
    let _d = data_dir();
    let mut app = miluo();
    let mut ui = simulate(&app);
    ui.click("评价规则 hunan-2023").expect("the status bar's rules button");
    for m in ui.into_messages().collect::<Vec<_>>() {
        let _ = app.update(m);
    }
    let Some(Dialog::NewDraft(state)) = &app.dialog else { panic!("no rules dialog: {:?}", app.dialog) };
    assert!(state.settings);
    let national = state.choices.iter().find(|c| c.key == "national-2020").unwrap().clone();
    let _ = app.update(Message::NewDraft(N::Profile(national)));
    let _ = app.update(Message::NewDraft(N::Projects(false)));
    let _ = app.update(Message::DialogKey(true));
    assert!(app.dialog.is_none());
    assert_eq!(app.doc.profile.id, "national-2020");
    assert!(!app.doc.wb.scope.projects);
    assert!(!app.steps().iter().any(|s| matches!(s, Screen::Project(_))), "{:?}", app.steps());
    assert!(simulate(&app).find("评价规则 national-2020").is_ok());
    let _ = app.update(Message::Undo);
    assert_eq!(app.doc.profile.id, "hunan-2023");
    assert!(app.doc.wb.scope.projects);
}

struct Before {
    basic: crate::document::Counts,
    department: crate::document::Counts,
    total: crate::document::Counts,
}

/// Validate as the user goes: a fresh draft is not a wall of red. Blank cells of a section the user
/// has not left yet count as 未填; leaving it, 检查 or 问题清单 show them; a saved draft shows all.
#[test]
fn a_fresh_draft_shows_blank_cells_as_unfilled_until_visited() {
    use super::new_draft::Message as N;
    let d = data_dir();
    let mut app = miluo();
    let _ = app.update(Message::New);
    let _ = app.update(Message::NewDraft(N::Unit("某某局".into())));
    let _ = app.update(Message::NewDraft(N::Create));
    assert!(app.dialog.is_none());
    assert_eq!(app.screen, Screen::Basic);
    let before = (app.doc.index.basic, app.doc.index.department, app.doc.index.total);
    let before = Before { basic: before.0, department: before.1, total: before.2 };
    assert!(before.basic.unfilled > 0 && before.department.unfilled > 0);
    let posts = Location::new(Form::A1, None, "staff", "posts");
    assert_eq!(app.doc.severity_at(&posts), None, "a blank cell is not red before the user has been there");
    let mut ui = simulate(&app);
    assert!(ui.find(before.basic.unfilled.to_string().as_str()).is_ok(), "the side bar counts them (grey)");
    assert!(ui.find(format!("· {} 未填", before.total.unfilled).as_str()).is_ok(), "the status bar too");
    drop(ui);
    // Leaving 附件1 (Ctrl+PageDown: 下一步) shows its blank cells; 附件2's stay quiet until it is left too.
    let page_down = iced::keyboard::Event::KeyPressed {
        key: iced::keyboard::Key::Named(iced::keyboard::key::Named::PageDown),
        modified_key: iced::keyboard::Key::Named(iced::keyboard::key::Named::PageDown),
        physical_key: iced::keyboard::key::Physical::Unidentified(iced::keyboard::key::NativeCode::Unidentified),
        location: iced::keyboard::Location::Standard,
        modifiers: iced::keyboard::Modifiers::CTRL,
        text: None,
        repeat: false,
    };
    let _ = app.update(super::app::shortcut(page_down).expect("Ctrl+PageDown is 下一步"));
    assert_eq!(app.screen, Screen::Department);
    assert_eq!(app.doc.index.basic.unfilled, 0);
    assert!(app.doc.index.basic.errors > before.basic.errors);
    assert!(app.doc.index.department.unfilled > 0);
    // 检查 shows everything, in 问题清单.
    let _ = app.update(Message::Check);
    assert_eq!(app.screen, Screen::Problems);
    assert_eq!(app.doc.index.total.unfilled, 0);
    assert_eq!(app.doc.index.total.errors, app.doc.eval.findings.iter().filter(|f| f.severity == crate::engine::Severity::Error).count());
    // A draft opened from a file shows everything at once.
    let path = d.dir.path().join("新.ron");
    assert!(app.save_to(&path));
    assert!(app.load(&path));
    assert_eq!(app.doc.index.total.unfilled, 0);
}

/// 导出 asks which forms, which projects, draft or final, remembers the choice in the draft, and
/// the export and the preview print exactly that.
#[test]
fn the_export_picker_chooses_forms_projects_and_copy_and_remembers_them() {
    use super::app::ExportKind;
    use super::export_picker::Message as E;
    let d = data_dir();
    let mut app = miluo();
    let _ = app.update(Message::Export(ExportKind::Pdf));
    let Some(Dialog::Export(state)) = &app.dialog else { panic!("no picker: {:?}", app.dialog) };
    assert_eq!(state.forms.iter().map(|f| f.0).collect::<Vec<_>>(), [1, 2, 3, 4]);
    assert!(state.forms.iter().all(|f| f.2) && state.projects.iter().all(|p| p.1), "everything ticked the first time");
    assert!(simulate(&app).find("选择位置并导出…").is_ok());
    let _ = app.update(Message::ExportPicker(E::Form(1, false)));
    let _ = app.update(Message::ExportPicker(E::Form(2, false)));
    let _ = app.update(Message::ExportPicker(E::Final(true)));
    let _ = app.update(Message::ExportPicker(E::Go));
    match &app.dialog {
        Some(Dialog::Export(s)) => assert!(s.error.as_deref().is_some_and(|e| e.contains("不能导出正式版")), "{:?}", s.error),
        other => panic!("a final copy with errors stays in the picker: {other:?}"),
    }
    let _ = app.update(Message::ExportPicker(E::Final(false)));
    let task = app.update(Message::DialogKey(true));
    assert!(app.dialog.is_none());
    assert!(task.units() > 0, "then the file chooser");
    assert_eq!(app.doc.wb.export, crate::model::ExportChoice { forms: vec![3, 4], projects: None, final_copy: false });
    assert!(app.doc.dirty, "the choice is saved with the draft");
    let pdf = d.dir.path().join("只有项目.pdf");
    assert!(app.export_to(&pdf));
    let pages = crate::pdf::pages(&app.doc.wb, &app.doc.profile, &app.doc.eval, &crate::pdf::ExportOptions { forms: vec![3, 4], ..Default::default() }).unwrap();
    assert!(pages.iter().all(|p| !p.texts.iter().any(|t| t.text.contains("部门整体支出绩效"))), "only 附件3");
    let _ = app.update(Message::OpenPreview);
    assert_eq!(app.preview.as_ref().map(|p| p.pages.len()), Some(pages.len()), "the preview shows those pages");
    // Remembered per draft.
    let path = d.dir.path().join("d.ron");
    assert!(app.save_to(&path));
    assert_eq!(draft::load(&path).unwrap().export.forms, vec![3, 4]);
    let _ = app.update(Message::Export(ExportKind::Xlsx));
    let Some(Dialog::Export(state)) = &app.dialog else { panic!() };
    assert_eq!(state.forms.iter().filter(|f| f.2).map(|f| f.0).collect::<Vec<_>>(), [3, 4]);
}

/// 导出Word…: the picker opens on Word, can switch format, and the export writes a .docx (the
/// proposed name ends in .docx).
#[test]
fn the_export_picker_exports_word() {
    use super::app::ExportKind;
    use super::export_picker::Message as E;
    let d = data_dir();
    let mut app = miluo();
    let _ = app.update(Message::Export(ExportKind::Docx));
    let Some(Dialog::Export(state)) = &app.dialog else { panic!("no picker: {:?}", app.dialog) };
    assert_eq!(state.kind, ExportKind::Docx);
    for label in ["导出PDF…", "导出Word…", "导出Excel…", "Word：表格和自评报告可在 Word / WPS 中继续编辑"] {
        assert!(simulate(&app).find(label).is_ok(), "{label}");
    }
    let _ = app.update(Message::ExportPicker(E::Kind(ExportKind::Pdf)));
    assert!(matches!(&app.dialog, Some(Dialog::Export(s)) if s.kind == ExportKind::Pdf));
    let _ = app.update(Message::ExportPicker(E::Kind(ExportKind::Docx)));
    let task = app.update(Message::ExportPicker(E::Go));
    assert!(app.dialog.is_none() && task.units() > 0, "then the file chooser");
    assert!(app.proposed_path("docx").to_string_lossy().ends_with(&format!("{}年度绩效自评-{}.docx", app.doc.wb.year, app.doc.wb.unit.trim())));
    let out = d.dir.path().join("自评表.docx");
    assert!(app.export_to(&out), "{:?}", app.banner);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"PK"), "a zip package");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut doc = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut doc).unwrap();
    assert!(doc.contains("<w:tbl>") && doc.contains("1005.67"));
}

/// Ctrl+= / Ctrl+- / Ctrl+0 zoom from 80 % to 200 % in steps of 10, shown in the status bar and
/// remembered for the next start.
#[test]
fn zoom_follows_the_keys_and_is_remembered() {
    let _d = data_dir();
    let key = |c: &str| iced::keyboard::Event::KeyPressed {
        key: iced::keyboard::Key::Character(c.into()),
        modified_key: iced::keyboard::Key::Character(c.into()),
        physical_key: iced::keyboard::key::Physical::Unidentified(iced::keyboard::key::NativeCode::Unidentified),
        location: iced::keyboard::Location::Standard,
        modifiers: iced::keyboard::Modifiers::CTRL,
        text: None,
        repeat: false,
    };
    let mut app = miluo();
    assert_eq!(app.zoom, 100);
    for _ in 0..3 {
        let _ = app.update(super::app::shortcut(key("=")).expect("Ctrl+="));
    }
    assert_eq!((app.zoom, app.scale()), (130, 1.3));
    assert!(simulate(&app).find("130%").is_ok(), "the status bar shows it");
    assert_eq!(miluo().zoom, 130, "remembered");
    for _ in 0..20 {
        let _ = app.update(super::app::shortcut(key("-")).expect("Ctrl+-"));
    }
    assert_eq!(app.zoom, 80, "not below 80 %");
    for _ in 0..20 {
        let _ = app.update(Message::Zoom(1));
    }
    assert_eq!(app.zoom, 200, "not above 200 %");
    let _ = app.update(super::app::shortcut(key("0")).expect("Ctrl+0"));
    assert_eq!(app.zoom, 100);
}

#[test]
fn a_failed_save_keeps_the_draft_and_says_why() {
    let d = data_dir();
    let mut app = miluo();
    set(&mut app, &a2("header", "unit"), "汨罗市残联");
    let bad = d.dir.path().join("没有这个文件夹").join("a.ron");
    assert!(!app.save_to(&bad));
    let banner = app.banner.clone().expect("banner");
    assert!(banner.text.starts_with("保存失败"), "{}", banner.text);
    assert!(app.doc.dirty);
    assert_eq!(app.doc.wb.unit, "汨罗市残联");
    assert!(app.path.is_none());
}

#[test]
fn autosave_recovery_is_offered_after_a_crash() {
    let d = data_dir();
    let path = d.dir.path().join("a.ron");
    draft::save(&path, &sample::miluo_2023()).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(30));

    // A session edits and autosaves, then dies without saving.
    let (mut app, _) = App::boot(Options { path: Some(path.clone()), screen: None });
    assert!(app.dialog.is_none());
    set(&mut app, &a2("header", "unit"), "汨罗市残疾人联合会（自动保存）");
    let _ = app.update(Message::Autosave);
    assert!(files::recovery_path(Some(&path)).exists());
    drop(app);

    let (mut app, _) = App::boot(Options { path: Some(path.clone()), screen: None });
    assert!(matches!(app.dialog, Some(Dialog::Recovery { .. })), "{:?}", app.dialog);
    assert_eq!(app.doc.wb.unit, "汨罗市残疾人联合会", "nothing restored until asked");
    let _ = app.update(Message::Recovery(true));
    assert_eq!(app.doc.wb.unit, "汨罗市残疾人联合会（自动保存）");
    assert!(app.doc.dirty);
    assert!(app.dialog.is_none());

    // A recovery file written by hand (the crash simulated directly) is offered for an untitled draft too.
    let mut wb = sample::miluo_2023();
    wb.unit = "未命名的草稿".into();
    files::write_recovery(None, &draft::to_string(&wb)).unwrap();
    let (mut app, _) = App::boot(Options::default());
    assert!(matches!(app.dialog, Some(Dialog::Recovery { .. })));
    let _ = app.update(Message::Recovery(false));
    assert!(files::pending_recovery(None).is_none(), "declining deletes it");
}

#[test]
fn closing_with_unsaved_changes_asks_first() {
    let d = data_dir();
    let mut app = miluo();
    set(&mut app, &a2("header", "unit"), "x");
    let id = iced::window::Id::unique();
    let _ = app.update(Message::CloseRequested(id));
    assert!(matches!(app.dialog, Some(Dialog::Unsaved(_))));
    let mut ui = simulate(&app);
    assert!(ui.find("保存修改吗？").is_ok() && ui.find("不保存").is_ok());
    drop(ui);
    let _ = app.update(Message::Unsaved(super::app::Answer::Cancel));
    assert!(app.dialog.is_none());
    assert!(app.doc.dirty);
    // Opening another draft asks too; 不保存 opens it.
    let other = d.dir.path().join("b.ron");
    draft::save(&other, &sample::generated(&app.doc.profile, 2, 8)).unwrap();
    let _ = app.update(Message::OpenRecent(other.clone()));
    assert!(matches!(app.dialog, Some(Dialog::Unsaved(_))));
    let _ = app.update(Message::Unsaved(super::app::Answer::Discard));
    assert_eq!(app.path.as_deref(), Some(other.as_path()));
    assert_eq!(app.doc.wb.projects.len(), 2);
}

#[test]
fn opening_an_unreadable_file_shows_a_banner_and_keeps_the_draft() {
    let d = data_dir();
    let mut app = miluo();
    let bad = d.dir.path().join("坏.ron");
    std::fs::write(&bad, "(version: 1, workbook: (unit: 3").unwrap();
    assert!(!app.load(&bad));
    assert!(app.banner.as_ref().is_some_and(|b| b.text.starts_with("无法打开草稿")));
    assert_eq!(app.doc.wb, sample::miluo_2023());
}

#[test]
fn the_wizard_walks_the_steps_and_projects_can_be_added() {
    let _d = data_dir();
    let mut app = miluo();
    assert_eq!(app.screen, Screen::Basic);
    let _ = app.update(Message::Next);
    assert_eq!(app.screen, Screen::Department);
    let _ = app.update(Message::Next);
    assert_eq!(app.screen, Screen::Project(0));
    let _ = app.update(Message::AddProject);
    assert_eq!(app.screen, Screen::Project(1));
    assert_eq!(app.focus_request.as_deref(), Some("A3[1].header.name"));
    let _ = app.update(Message::Next);
    assert_eq!(app.screen, Screen::Report);
    let _ = app.update(Message::Next);
    assert_eq!(app.screen, Screen::Problems);
    let _ = app.update(Message::Prev);
    let _ = app.update(Message::Prev);
    assert_eq!(app.screen, Screen::Project(1));
    // Every screen builds (only the current one is built at a time).
    for s in app.steps() {
        app.go(s);
        let _ = simulate(&app);
    }
    assert_eq!(Screen::parse("project:1"), Some(Screen::Project(0)));
    assert_eq!(Screen::parse("problems"), Some(Screen::Problems));
    assert_eq!(Screen::parse("project:0"), None);
}

/// A project-only filing: the window shows no 附件1/2 steps, opens on the first project, and the
/// status bar gives that project's verdict under 仅项目 (no 附件2 总分 0 · 差).
#[test]
fn a_project_only_filing_shows_only_its_projects() {
    let _d = data_dir();
    let mut wb = crate::sample::generated(&crate::profile::Profile::builtin("hunan-2023").unwrap(), 2, 12);
    wb.scope = crate::model::Scope::from_forms(&[3]).unwrap();
    let mut app = App::from_workbook(wb, None);
    assert_eq!(app.steps(), vec![Screen::Project(0), Screen::Project(1), Screen::Problems]);
    assert_eq!(app.screen, Screen::Project(0));
    app.go(Screen::Basic);
    assert_eq!(app.screen, Screen::Project(0), "附件1 is not part of this filing");
    let mut ui = simulate(&app);
    assert!(ui.find("基础数据表").is_err() && ui.find("2  整体支出自评表").is_err(), "no 附件1/2 steps");
    let e = &app.doc.eval.projects[0];
    let verdict = format!("仅项目 · 附件3「{}」  总分 {} · 等级 {}", app.doc.wb.projects[0].name.trim(), crate::display::score(e.total_score), e.grade_label());
    assert!(ui.find(verdict.as_str()).is_ok(), "{verdict}");
    drop(ui);
    let _ = app.update(Message::Next);
    let _ = app.update(Message::Next);
    assert_eq!(app.screen, Screen::Problems);
    let ui = simulate(&app);
    drop(ui);
    assert_eq!(app.doc.index.basic.errors + app.doc.index.department.errors, 0);
}

/// A qualitative row's level pick list shows each level's band for the row's 分值.
#[test]
fn levels_show_their_band() {
    let _d = data_dir();
    let wb = crate::sample::generated(&crate::profile::Profile::builtin("hunan-2023").unwrap(), 1, 12);
    let n = wb.projects[0].indicators.iter().position(|r| r.level.as_deref() == Some("达成") && r.weight == Some(dec("10"))).expect("a 达成 row of 10") + 1;
    let mut app = App::from_workbook(wb, None);
    app.go(Screen::Project(0));
    let _ = simulate(&app);
    let levels: Vec<String> = std::iter::once("按得分".to_string()).chain(app.doc.profile.qual_bands.iter().map(|b| b.level.clone())).collect();
    let (options, chosen) = super::grid::level_options(&app.doc, &app.doc.wb.projects[0].indicators[n - 1], None, &levels);
    assert_eq!(chosen, "达成 8–10", "row {n}: the chosen level reads with its band");
    assert_eq!(&options[1..], ["达成 8–10", "部分达成 6–8", "未达成 0–6"]);
    let _ = app.update(Message::Project(super::project::Message::Grid(super::grid::Message::Level(n, "部分达成 6–8".into()))));
    assert_eq!(app.doc.wb.projects[0].indicators[n - 1].level.as_deref(), Some("部分达成"));
}

/// rules.md §4.3 in the window: a qualitative row whose actual reads as its target shows the
/// suggested score greyed in its empty 得分 cell; the status bar counts such rows and 全部采纳
/// enters them all in one undo step.
#[test]
fn suggested_scores_are_shown_and_accepted_at_once() {
    let _d = data_dir();
    let mut wb = crate::sample::generated(&crate::profile::Profile::builtin("hunan-2023").unwrap(), 1, 12);
    let rows: Vec<usize> = (0..12).filter(|&i| !wb.projects[0].indicators[i].target.parts().is_quantitative()).collect();
    for &i in &rows {
        let r = &mut wb.projects[0].indicators[i];
        r.score = None;
        r.level = None;
        r.actual = r.target.clone();
    }
    let mut app = App::from_workbook(wb, None);
    app.go(Screen::Project(0));
    let mut ui = simulate(&app);
    let w = crate::display::score_opt(app.doc.wb.projects[0].indicators[rows[0]].weight);
    assert!(ui.find(format!("建议{w}").as_str()).is_ok(), "the suggested score shows in the empty cell");
    let button = format!("{} 行建议得分 · 全部采纳", rows.len());
    let messages: Vec<Message> = {
        ui.click(button.as_str()).expect("the 全部采纳 button");
        ui.into_messages().collect()
    };
    for m in messages {
        let _ = app.update(m);
    }
    assert_eq!(app.doc.index.suggestions, 0);
    assert!(rows.iter().all(|&i| app.doc.wb.projects[0].indicators[i].score == app.doc.wb.projects[0].indicators[i].weight));
    let _ = app.update(Message::Undo);
    assert_eq!(app.doc.index.suggestions, rows.len());
}

#[test]
fn every_character_the_window_shows_is_in_the_embedded_font() {
    // On a machine without CJK (or any) system fonts only the embedded font can draw: a symbol
    // missing from its GBK subset would show as a box.
    let face = ttf_parser::Face::parse(super::FONT_BYTES, 0).expect("embedded font parses");
    let sources = [
        ("app.rs", include_str!("app.rs")),
        ("app/view.rs", include_str!("app/view.rs")),
        ("basic.rs", include_str!("basic.rs")),
        ("department.rs", include_str!("department.rs")),
        ("project.rs", include_str!("project.rs")),
        ("problems.rs", include_str!("problems.rs")),
        ("grid.rs", include_str!("grid.rs")),
        ("widgets.rs", include_str!("widgets.rs")),
        ("cells.rs", include_str!("../document/cells.rs")),
        ("document/mod.rs", include_str!("../document/mod.rs")),
        ("report.rs", include_str!("report.rs")),
        ("preview.rs", include_str!("preview.rs")),
        ("screen.rs", include_str!("screen.rs")),
    ];
    let mut missing = Vec::new();
    for (file, text) in sources {
        for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for ch in line.chars().filter(|c| !c.is_ascii()) {
                if face.glyph_index(ch).is_none() {
                    missing.push(format!("{file}: {ch} U+{:04X}", ch as u32));
                }
            }
        }
    }
    // The messages of the engine are shown too.
    for f in &miluo_findings() {
        for ch in f.chars().filter(|c| !c.is_ascii()) {
            if face.glyph_index(ch).is_none() {
                missing.push(format!("finding: {ch} U+{:04X} in {f}", ch as u32));
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "{missing:#?}");
}

fn miluo_findings() -> Vec<String> {
    let app = miluo();
    app.doc.eval.findings.iter().map(|f| f.message.clone()).collect()
}

#[test]
fn a_qualitative_score_is_entered_with_its_level_and_checked_against_the_band() {
    let _d = data_dir();
    let mut app = miluo();
    app.go(Screen::Project(0));
    let score = Location::new(Form::A3, Some(0), "ind#13", "score");
    let rules = |app: &App| app.doc.at(&score).map(|f| f.rule).collect::<Vec<_>>();
    assert_eq!(app.doc.text(&score), "7");
    assert!(rules(&app).is_empty());
    // 部分达成 is 60–80 % of 7: 7 is out of band.
    let _ = app.update(Message::Project(super::project::Message::Grid(super::grid::Message::Level(13, "部分达成".into()))));
    assert_eq!(rules(&app), [RuleId::QualBand]);
    set(&mut app, &score, "5");
    assert!(rules(&app).is_empty());
    assert_eq!(app.doc.eval.projects[0].rows[12].score, Some(dec("5")));
    // Back to "by score": the level is inferred again.
    let _ = app.update(Message::Project(super::project::Message::Grid(super::grid::Message::Level(13, "按得分（部分达成）".into()))));
    assert_eq!(app.doc.wb.projects[0].indicators[12].level, None);
    assert_eq!(app.doc.eval.projects[0].rows[12].level.as_deref(), Some("部分达成"));
}

#[test]
fn export_writes_the_pdf_and_says_it_is_a_draft_while_errors_remain() {
    let d = data_dir();
    let mut app = miluo();
    let pdf = d.dir.path().join("自评表.pdf");
    assert!(app.export_to(&pdf));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"), "a PDF");
    let banner = app.banner.clone().expect("banner");
    assert!(banner.text.contains("草稿"), "{}", banner.text);
    let xlsx = d.dir.path().join("自评表.xlsx");
    assert!(app.export_to(&xlsx));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"), "an xlsx is a zip");
    // A folder that does not exist: a banner, nothing else changes.
    assert!(!app.export_to(&d.dir.path().join("没有").join("a.pdf")));
    assert!(app.banner.as_ref().is_some_and(|b| b.text.starts_with("导出失败")));
}

#[test]
fn the_side_bar_scrolls_to_the_current_project() {
    let _d = data_dir();
    let profile = crate::profile::Profile::builtin("hunan-2023").unwrap();
    let mut app = App::from_workbook(sample::generated(&profile, 50, 8), None);
    let task = app.update(Message::Go(Screen::Project(44)));
    let (_, produced) = run_task(&app, task);
    let reveal = produced.iter().find_map(|m| match m {
        Message::Reveal(Some(t), Some(s @ iced::widget::selector::Target::Scrollable { .. })) => Some((t.clone(), s.clone())),
        _ => None,
    });
    let (t, s) = reveal.expect("the project's entry and the side bar list were found");
    assert!(super::app::offset_to_show(&t, &s).is_some_and(|y| y > 0.0), "entry 45 is below the fold and gets scrolled to");
}

#[test]
fn a_questionnaire_on_a_satisfaction_row_fills_its_actual_with_the_engine_rate() {
    let _d = data_dir();
    let mut app = miluo();
    // The hand case of rules.md §4.4 with option weights 100 / 90 / 80 %.
    app.doc.profile.satisfaction.options =
        vec![("非常满意".into(), dec("100")), ("满意".into(), dec("90")), ("基本满意".into(), dec("80")), ("不满意".into(), dec("0"))];
    app.doc.evaluate();
    app.go(Screen::Department);
    let n = app.doc.wb.department.indicators.iter().position(|r| r.l1 == "满意度指标").expect("a satisfaction row") + 1;
    let row = format!("ind#{n}");
    // Only satisfaction rows offer the questionnaire.
    let mut ui = simulate(&app);
    assert!(ui.find(selector::id(super::grid::questionnaire_button_id(Form::A2, None, 1))).is_err());
    ui.click(selector::id(super::grid::questionnaire_button_id(Form::A2, None, n))).expect("问卷 button");
    for m in ui.into_messages().collect::<Vec<_>>() {
        let _ = app.update(m);
    }
    assert!(app.doc.wb.department.indicators[n - 1].satisfaction.is_some());
    let before = app.doc.wb.department.indicators[n - 1].satisfaction.clone();
    let sat = |col: &str| a2(&row, col);
    type_into(&mut app, &sat("sat.n"), "40");
    // Counts not yet complete: R-SATISFACTION-COUNT on 实际完成值, live.
    assert!(app.doc.at(&sat("actual")).any(|f| f.rule == RuleId::SatisfactionCount));
    type_into(&mut app, &sat("sat:非常满意"), "33");
    type_into(&mut app, &sat("sat:满意"), "5");
    type_into(&mut app, &sat("sat:基本满意"), "2");
    let e = &app.doc.eval.department.rows[n - 1];
    assert_eq!(e.satisfaction, Some(dec("97.75")), "(33×100 + 5×90 + 2×80) / 40");
    assert!(app.doc.at(&sat("actual")).all(|f| f.rule != RuleId::SatisfactionCount));
    assert!(app.doc.at(&sat("actual")).all(|f| f.rule != RuleId::ActualMissing), "the rate is the actual");
    // Target ≥95%: the rate meets it, so the row scores its full weight.
    assert_eq!(e.score, app.doc.wb.department.indicators[n - 1].weight);
    let q = app.doc.wb.department.indicators[n - 1].satisfaction.clone().unwrap();
    assert_eq!(q.respondents, 40);
    assert!(q.counts.contains(&("非常满意".into(), 33)) && q.counts.contains(&("基本满意".into(), 2)));
    let mut ui = simulate(&app);
    assert!(ui.find("97.75%").is_ok(), "实际完成值 shows the engine's rate");
    assert!(ui.find("= 满意度 97.75%").is_ok());
    drop(ui);
    // Undo takes back the last count (the rate with it), redo brings it back.
    let _ = app.update(Message::Undo);
    assert_eq!(app.doc.eval.department.rows[n - 1].satisfaction, None);
    assert!(app.doc.at(&sat("actual")).any(|f| f.rule == RuleId::SatisfactionCount));
    let _ = app.update(Message::Redo);
    assert_eq!(app.doc.eval.department.rows[n - 1].satisfaction, Some(dec("97.75")));
    // Saved in the draft.
    let path = _d.dir.path().join("q.ron");
    assert!(app.save_to(&path));
    let back = draft::load(&path).expect("reload");
    assert_eq!(back.department.indicators[n - 1].satisfaction, Some(q));
    // Removing the questionnaire is one undo step too.
    let _ = app.update(Message::Department(department::Message::Grid(super::grid::Message::Questionnaire(n, false))));
    assert_eq!(app.doc.wb.department.indicators[n - 1].satisfaction, None);
    let _ = app.update(Message::Undo);
    assert_ne!(app.doc.wb.department.indicators[n - 1].satisfaction, before);
    assert_eq!(app.doc.eval.department.rows[n - 1].satisfaction, Some(dec("97.75")));
}

#[test]
fn next_years_draft_opens_unsaved_with_carried_cells_marked_until_confirmed() {
    let _d = data_dir();
    let mut app = miluo();
    // A dirty draft: the unsaved-changes guard asks first; 取消 keeps everything.
    set(&mut app, &a2("header", "unit"), "汨罗市残联");
    let mut ui = simulate(&app);
    ui.click("生成下一年度草稿…").expect("tool bar action");
    for m in ui.into_messages().collect::<Vec<_>>() {
        let _ = app.update(m);
    }
    assert!(matches!(app.dialog, Some(Dialog::Unsaved(super::app::Pending::Rollover(_)))), "{:?}", app.dialog);
    let _ = app.update(Message::Unsaved(super::app::Answer::Cancel));
    assert_eq!(app.doc.wb.year, 2023);
    assert_eq!(app.doc.wb.unit, "汨罗市残联");
    // 不保存: next year's draft opens, unsaved, built from what was on screen.
    let _ = app.update(Message::Rollover);
    let _ = app.update(Message::Unsaved(super::app::Answer::Discard));
    assert_eq!(app.doc.wb.year, 2024);
    assert_eq!(app.doc.wb.unit, "汨罗市残联");
    assert!(app.path.is_none() && app.doc.dirty);
    assert!(app.title().starts_with("未命名 *"));
    assert_eq!(app.doc.wb, crate::model::rollover(&{
        let mut last = sample::miluo_2023();
        last.unit = "汨罗市残联".into();
        last
    }));
    let target = a2("ind#1", "target");
    assert!(app.doc.is_carried(&target));
    let carried = app.doc.wb.carried.len();
    app.go(Screen::Department);
    let mut ui = simulate(&app);
    assert!(ui.find(format!("有 {carried} 个单元格由2023年度草稿结转（浅紫色标出），请核对；修改单元格即视为确认。").as_str()).is_ok());
    drop(ui);
    // Editing a carried cell confirms it; undo brings the mark back.
    type_into(&mut app, &target, "≥160户");
    assert!(!app.doc.is_carried(&target));
    assert_eq!(app.doc.wb.carried.len(), carried - 1);
    let _ = app.update(Message::Undo);
    assert!(app.doc.is_carried(&target));
    assert_eq!(app.doc.text(&target), sample::miluo_2023().department.indicators[0].target.raw());
    // 全部确认 clears every mark (one undo step) and the strip goes.
    let mut ui = simulate(&app);
    ui.click("全部确认").expect("全部确认");
    for m in ui.into_messages().collect::<Vec<_>>() {
        let _ = app.update(m);
    }
    assert!(app.doc.wb.carried.is_empty());
    assert!(simulate(&app).find("全部确认").is_err());
    let _ = app.update(Message::Undo);
    assert_eq!(app.doc.wb.carried.len(), carried);
    // Saved as a draft, the marks stay until confirmed.
    let path = _d.dir.path().join("2024.ron");
    assert!(app.save_to(&path));
    assert_eq!(draft::load(&path).expect("reload").carried.len(), carried);
}

#[test]
fn the_report_screen_checks_its_figures_live_and_previews_the_text_with_engine_numbers() {
    let _d = data_dir();
    let mut app = miluo();
    let public = Location::new(Form::A4, None, "report.public_funds", "amount");
    // 问题清单 → an 附件4 finding opens the report screen on its cell (P5).
    let i = app.doc.eval.findings.iter().position(|f| f.location == public).expect("R-REPORT-FIGURE on 公用经费");
    let task = app.update(Message::Problems(problems::Message::Jump(i)));
    assert_eq!(app.screen, Screen::Report);
    let (focused, _) = run_task(&app, task);
    assert_eq!(focused, Some(Id::from(public.widget_id())));
    let side = app.doc.index.report;
    assert!(side.warnings + side.errors >= 9, "{side:?}");
    let mut ui = simulate(&app);
    assert!(ui.find("自评报告公用经费为46.74，表中为18.30").is_ok(), "the message under the figure");
    assert!(ui.find("4  自评报告").is_ok());
    drop(ui);
    // Live: the report's figure typed as the forms have it clears the finding.
    set(&mut app, &public, "");
    type_into(&mut app, &public, "18.3");
    assert_eq!(app.doc.wb.report.as_ref().unwrap().public_funds, Some(dec("18.3")));
    assert!(app.doc.at(&public).all(|f| f.rule != RuleId::ReportFigure));
    let _ = app.update(Message::Undo);
    assert!(app.doc.at(&public).any(|f| f.rule == RuleId::ReportFigure), "undo brings it back");

    // A breakdown line: added, typed, its sum checked, removed.
    let _ = app.update(Message::Report(super::report::Message::AddLine(crate::document::cells::ReportList::Breakdown)));
    let line = Location::new(Form::A4, None, "report.breakdown#6", "amount");
    type_into(&mut app, &line, "1");
    let sum = Location::new(Form::A4, None, "report.breakdown", "amount");
    assert!(app.doc.at(&sum).any(|f| f.message.contains("652.59")), "明细合计 651.59 + 1");
    let _ = app.update(Message::Report(super::report::Message::RemoveLine(crate::document::cells::ReportList::Breakdown, 6)));
    assert_eq!(app.doc.wb.report.as_ref().unwrap().breakdown.len(), 5);

    // The text: typed into the template editor, adopted, the preview filled by the engine.
    assert!(app.doc.wb.narrative.is_none());
    let editor = super::report::narrative_loc();
    let mut ui = simulate(&app);
    ui.click(selector::id(editor.widget_id())).expect("the template editor");
    let _ = ui.typewrite("经复核总分为{总分}分。");
    let messages: Vec<Message> = ui.into_messages().collect();
    assert!(!messages.is_empty());
    for m in messages {
        let _ = app.update(m);
    }
    let template = app.doc.wb.narrative.clone().expect("editing adopts the text");
    assert!(template.contains("经复核总分为{总分}分。"), "{template}");
    let rendered = crate::narrative::draft(&template, &app.doc.wb, &app.doc.eval);
    let line = rendered.lines().find(|l| l.contains("经复核总分为102分。")).expect("filled from the engine").to_string();
    let mut ui = simulate(&app);
    assert!(ui.find(line.as_str()).is_ok(), "the preview shows {line:?}");
    assert!(ui.find("✓ 已采用：导出PDF时作为附件4附在各表之后。").is_ok());
    drop(ui);
    // The preview follows the forms: a changed score shows in the report at once.
    set(&mut app, &a2("ind#12", "actual"), "80%");
    let rendered = crate::narrative::draft(&template, &app.doc.wb, &app.doc.eval);
    assert!(rendered.contains("经复核总分为101分。"), "{rendered}");
    // Saved with the draft; undo and 不随PDF导出 work as any edit.
    let path = _d.dir.path().join("r.ron");
    assert!(app.save_to(&path));
    assert_eq!(draft::load(&path).expect("reload").narrative.as_deref(), Some(template.as_str()));
    let _ = app.update(Message::Report(super::report::Message::Adopt(false)));
    assert!(app.doc.wb.narrative.is_none());
    let _ = app.update(Message::Undo);
    assert_eq!(app.doc.wb.narrative.as_deref(), Some(template.as_str()));
}

#[test]
fn the_print_preview_shows_the_pages_the_pdf_will_have() {
    let _d = data_dir();
    let mut app = miluo();
    // Ctrl+P opens it.
    let ctrl_p = iced::keyboard::Event::KeyPressed {
        key: iced::keyboard::Key::Character("p".into()),
        modified_key: iced::keyboard::Key::Character("p".into()),
        physical_key: iced::keyboard::key::Physical::Unidentified(iced::keyboard::key::NativeCode::Unidentified),
        location: iced::keyboard::Location::Standard,
        modifiers: iced::keyboard::Modifiers::CTRL,
        text: None,
        repeat: false,
    };
    let m = super::app::shortcut(ctrl_p).expect("Ctrl+P is a shortcut");
    assert!(matches!(m, Message::PrintKey));
    let _ = app.update(m);
    let pages = app.preview.as_ref().expect("preview open").pages.clone();
    // The export's page model (tests/pdf.rs checks it against the PDF read back by poppler).
    assert_eq!(pages.len(), 5, "附件1 1 page, 附件2 2, 附件3 2");
    assert!(pages.iter().all(|p| p.watermark.as_ref().is_some_and(|w| w.text == "草稿")), "errors remain: a draft");
    assert!(pages[1].texts.iter().any(|t| t.text == "2023年度部门整体支出绩效自评表"));
    assert_eq!(pages, crate::pdf::pages(&app.doc.wb, &app.doc.profile, &app.doc.eval, &Default::default()).unwrap());
    let mut ui = simulate(&app);
    assert!(ui.find("共 5 页 · A4").is_ok());
    assert!(ui.find("表中仍有错误：导出的是带“草稿”水印的草稿").is_ok());
    assert!(ui.find("第 5 页 / 共 5 页").is_ok());
    // 导出PDF… closes the preview and asks where to write.
    ui.click(selector::id(super::preview::EXPORT_ID)).expect("export button");
    let messages: Vec<Message> = ui.into_messages().collect();
    assert!(matches!(messages.as_slice(), [Message::Preview(super::preview::Message::Export)]), "{messages:?}");
    let task = app.update(messages.into_iter().next().unwrap());
    assert!(app.preview.is_none());
    assert!(task.units() > 0, "the save dialog is asked for");
    // Esc closes it.
    let _ = app.update(Message::OpenPreview);
    let esc = iced::keyboard::Event::KeyPressed {
        key: iced::keyboard::Key::Named(iced::keyboard::key::Named::Escape),
        modified_key: iced::keyboard::Key::Named(iced::keyboard::key::Named::Escape),
        physical_key: iced::keyboard::key::Physical::Unidentified(iced::keyboard::key::NativeCode::Unidentified),
        location: iced::keyboard::Location::Standard,
        modifiers: iced::keyboard::Modifiers::empty(),
        text: None,
        repeat: false,
    };
    let _ = app.update(super::app::shortcut(esc).expect("Esc"));
    assert!(app.preview.is_none());
}

/// 打印…: Ctrl+P in the preview (or its button) opens the dialog over it, the printers listed in
/// the background with the default preselected, the page count of the preview's pages; Enter
/// prints, Esc closes the dialog and leaves the preview up.
#[test]
fn ctrl_p_in_the_preview_opens_the_print_dialog() {
    use super::app::Dialog;
    use super::print_dialog::{self, Printers, Status};
    let _d = data_dir();
    let mut app = miluo();
    let ctrl_p = || iced::keyboard::Event::KeyPressed {
        key: iced::keyboard::Key::Character("p".into()),
        modified_key: iced::keyboard::Key::Character("p".into()),
        physical_key: iced::keyboard::key::Physical::Unidentified(iced::keyboard::key::NativeCode::Unidentified),
        location: iced::keyboard::Location::Standard,
        modifiers: iced::keyboard::Modifiers::CTRL,
        text: None,
        repeat: false,
    };
    let _ = app.update(super::app::shortcut(ctrl_p()).unwrap());
    assert!(app.preview.is_some() && app.dialog.is_none(), "the first Ctrl+P: the preview");
    let mut ui = simulate(&app);
    ui.click(selector::id(super::preview::PRINT_ID)).expect("打印… in the preview's header");
    let messages: Vec<Message> = ui.into_messages().collect();
    assert!(matches!(messages.as_slice(), [Message::Preview(super::preview::Message::Print)]), "{messages:?}");
    let task = app.update(super::app::shortcut(ctrl_p()).unwrap());
    assert!(task.units() > 0, "the printers are listed in the background");
    let Some(Dialog::Print(state)) = &app.dialog else { panic!("the print dialog: {:?}", app.dialog) };
    assert_eq!(state.printers, Printers::Loading);
    assert_eq!(state.total, Some(app.preview.as_ref().unwrap().pages.len()), "the preview's pages");
    let printers = vec![
        crate::print::Printer { name: "office".into(), info: String::new(), is_default: false },
        crate::print::Printer { name: "zipin-pdf".into(), info: "CUPS-PDF".into(), is_default: true },
    ];
    let _ = app.update(Message::PrintDialog(print_dialog::Message::Listed(Ok(printers))));
    let Some(Dialog::Print(state)) = &app.dialog else { panic!() };
    assert_eq!(state.printer.as_deref(), Some("zipin-pdf"), "the default preselected");
    let mut ui = simulate(&app);
    for shown in ["打印", "共 5 页，如 1-3,5；留空为全部", "附件2 部门整体支出绩效自评表"] {
        assert!(ui.find(shown).is_ok(), "{shown} is shown");
    }
    assert!(ui.find("表中还有 39 个错误：打印的是带“草稿”水印的草稿（与打印预览相同）").is_ok());
    drop(ui);
    // Unticking 附件3 recounts the pages.
    let _ = app.update(Message::PrintDialog(print_dialog::Message::Choice(super::export_picker::Message::Form(3, false))));
    let Some(Dialog::Print(state)) = &app.dialog else { panic!() };
    assert_eq!(state.total, Some(3));
    // A bad range is said in the dialog; nothing is sent.
    let _ = app.update(Message::PrintDialog(print_dialog::Message::Pages("7".into())));
    let task = app.update(Message::DialogKey(true));
    assert_eq!(task.units(), 0);
    let Some(Dialog::Print(state)) = &app.dialog else { panic!() };
    assert_eq!(state.error.as_deref(), Some("没有第7页（共3页）"));
    // A job's result shows in the dialog.
    let sent = crate::print::Sent { printer: "zipin-pdf".into(), pages: 3, copies: 1, job_id: Some(7) };
    if let Some(Dialog::Print(state)) = &mut app.dialog {
        state.status = Status::Printing;
    }
    assert!(simulate(&app).find("正在打印…").is_ok());
    let _ = app.update(Message::PrintDialog(print_dialog::Message::Done(Ok(sent))));
    assert!(simulate(&app).find("已发送到打印机 zipin-pdf：3 页（作业 7）").is_ok());
    // Esc closes the dialog, the preview stays; Esc again closes the preview.
    let _ = app.update(Message::DialogKey(false));
    assert!(app.dialog.is_none() && app.preview.is_some());
    let _ = app.update(Message::DialogKey(false));
    assert!(app.preview.is_none());
    // Ctrl+P elsewhere still opens the preview, 打印… in the tool bar the dialog.
    let _ = app.update(Message::Print);
    assert!(matches!(app.dialog, Some(Dialog::Print(_))));
}

/// 附件4's quoted counts: on the report screen, each line's findings (linked rows, units, the
/// quote's sense) show under it; a new count is typed in, checked live, marked as another scope,
/// and removed.
#[test]
fn report_counts_are_edited_and_checked_live() {
    use crate::document::cells::ReportList;
    let _d = data_dir();
    let mut app = miluo();
    app.go(Screen::Report);
    let n = app.doc.wb.report.as_ref().unwrap().counts.len();
    let mut ui = simulate(&app);
    assert!(ui.find("自评报告救助盲人为近400人，表中为400人（附件2第8行）").is_ok(), "the sample's P33 under its line");
    drop(ui);

    let _ = app.update(Message::Report(super::report::Message::AddLine(ReportList::Counts)));
    let k = n + 1;
    let cell = |col: &str| Location::new(Form::A4, None, format!("report.count#{k}"), col);
    type_into(&mut app, &cell("name"), "扶残助学");
    type_into(&mut app, &cell("value"), "170人");
    type_into(&mut app, &cell("rows"), "A2.ind#3，A3[残疾人就业保障金].ind#9");
    let c = app.doc.wb.report.as_ref().unwrap().counts[k - 1].clone();
    assert_eq!(c.rows, ["A2.ind#3", "A3[残疾人就业保障金].ind#9"]);
    let found: Vec<_> = app.doc.at(&cell("value")).collect();
    assert_eq!(found.len(), 2, "both linked rows say 176人: {found:#?}");
    assert!(found.iter().all(|f| f.rule == RuleId::ReportFigure && f.severity == crate::engine::Severity::Warning && f.message.contains("176人")));
    // Another scope: information only.
    type_into(&mut app, &cell("scope"), "是");
    assert!(app.doc.wb.report.as_ref().unwrap().counts[k - 1].different_scope);
    assert!(app.doc.at(&cell("value")).all(|f| f.severity == crate::engine::Severity::Info));
    // The right count clears it.
    set(&mut app, &cell("value"), "176人");
    assert_eq!(app.doc.at(&cell("value")).count(), 0);
    let _ = app.update(Message::Report(super::report::Message::RemoveLine(ReportList::Counts, k)));
    assert_eq!(app.doc.wb.report.as_ref().unwrap().counts.len(), n);
    let _ = app.update(Message::Undo);
    assert_eq!(app.doc.wb.report.as_ref().unwrap().counts.len(), n + 1, "undo brings the line back");
}

#[test]
fn the_problems_list_builds_only_the_rows_in_view_and_follows_the_wheel() {
    let _d = data_dir();
    let profile = crate::profile::Profile::builtin("hunan-2023").expect("built-in profile");
    // Next year's draft of a big workbook: every actual and score blank, thousands of findings.
    let mut app = App::from_workbook(crate::model::rollover(&sample::generated(&profile, 50, 40)), None);
    let _ = app.update(Message::WindowSize(Size::new(1600.0, 1000.0)));
    app.go(Screen::Problems);
    let n = app.doc.eval.findings.len();
    assert!(n > 500, "{n} findings");
    let widget_of = |i: usize| app.doc.eval.findings[i].location.widget_id();
    let (first, far) = (widget_of(0), widget_of(n - 1));
    {
        let mut ui = Simulator::with_size(settings(), Size::new(1600.0, 1000.0), app.view());
        assert!(ui.find(first.as_str()).is_ok(), "the first finding is listed");
        assert!(ui.find(far.as_str()).is_err(), "the last one is not built while out of view");
    }
    // Scrolled to the end: the last finding is built, the first no longer.
    let height = 700.0;
    let offset = n as f32 * problems::ROW_HEIGHT - height;
    let _ = app.update(Message::Problems(problems::Message::Scrolled { offset, height }));
    let mut ui = Simulator::with_size(settings(), Size::new(1600.0, 1000.0), app.view());
    assert!(ui.find(far.as_str()).is_ok(), "the last finding shows at the end of the list");
    assert!(ui.find(first.as_str()).is_err());
    // The rows built cover the view and no more than a few rows around it.
    let r = problems::visible_rows(n, offset, height);
    assert_eq!(r.end, n);
    assert!(r.len() as f32 * problems::ROW_HEIGHT >= height && r.len() <= (height / problems::ROW_HEIGHT) as usize + 4, "{r:?}");
    assert_eq!(problems::visible_rows(3, 0.0, 700.0), 0..3);
    assert_eq!(problems::visible_rows(0, 50.0, 700.0), 0..0);
}

#[test]
fn a_small_window_narrows_the_side_bar_and_the_grid_columns_and_ctrl_b_toggles_it() {
    let _d = data_dir();
    let mut app = miluo();
    app.go(Screen::Department);
    let _ = app.update(Message::WindowSize(Size::new(1280.0, 650.0)));
    assert!(app.narrow_side_bar());
    let narrow = app.room().width;
    assert_eq!(super::grid::Widths::for_room(narrow).short_l2, true, "compact columns at 1280 px");
    {
        // The step's name is a tooltip, not a label.
        let mut ui = Simulator::with_size(settings(), Size::new(1280.0, 650.0), app.view());
        assert!(ui.find("2  整体支出自评表").is_err());
        assert!(ui.find("2").is_ok());
    }
    let _ = app.update(Message::ToggleSideBar);
    assert!(!app.narrow_side_bar() && app.room().width < narrow);
    let _ = app.update(Message::WindowSize(Size::new(1920.0, 1000.0)));
    assert!(!app.narrow_side_bar(), "the user's choice stands");
    let _ = app.update(Message::ToggleSideBar);
    assert!(app.narrow_side_bar());
    // A wide window with the side bar shown: the full column set.
    let mut wide = miluo();
    let _ = wide.update(Message::WindowSize(Size::new(1920.0, 1000.0)));
    assert!(!wide.narrow_side_bar());
    assert_eq!(super::grid::Widths::for_room(wide.room().width).short_l2, false);
    // Zoom: 150 % of 1920 leaves 1280 layout pixels — the narrow layout again.
    for _ in 0..5 {
        let _ = wide.update(Message::Zoom(1));
    }
    assert_eq!(wide.zoom, 150);
    assert!((wide.window.width - 1280.0).abs() < 0.5 && wide.narrow_side_bar());
}

#[test]
fn the_indicator_name_column_takes_what_its_longest_name_needs() {
    use super::grid::Widths;
    let room = 1240.0; // 1366×768, the side bar narrow
    let short = Widths::for_grid(room, ["数量", "质量指标"].into_iter());
    assert_eq!((short.name, short.reason), (50, 50), "short names: an equal share");
    let long = "扶助残疾人平等充公参与社会活动，共享社会物质和文化成果";
    let w = Widths::for_grid(room, ["数量", long].into_iter());
    assert!(w.name > 60 && w.name <= 70 && w.name + w.reason == 100, "{w:?}");
    let fixed = w.l1 + w.no + w.l2 + 2.0 * w.value + w.weight + w.score + w.level + w.actions;
    let name_px = (room - fixed) * f32::from(w.name) / 100.0;
    assert!(name_px >= long.chars().count() as f32 * super::widgets::TEXT, "{name_px} px for the name at 1366×768");
}

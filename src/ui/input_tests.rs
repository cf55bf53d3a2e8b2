//! Keystrokes against a live widget tree (`tests::Live`): the focus must survive whatever the app
//! does in reaction to a keystroke — an error clearing, a row turning quantitative, a banner —
//! and Tab / Enter select what they land on. The end-to-end version with real X key events and
//! pinyin is `tests/real_input.rs`.

use iced_test::core::widget::Id;

use super::app::{Banner, Message};
use super::screen::Screen;
use super::tests::{data_dir, Live};
use super::App;
use crate::engine::{Form, Location, RuleId, Severity};
use crate::model::Workbook;

/// A blank draft (unit left empty) with one project, on `screen`.
fn blank(screen: Screen) -> App {
    let profile = crate::profile::Profile::builtin("hunan-2023").expect("built-in profile");
    let mut wb = Workbook::empty("", 2024, &profile);
    wb.projects.push(Workbook::new_project(&profile, "项目一"));
    let mut app = App::from_workbook(wb, None);
    app.go(screen);
    app
}

fn id(loc: &Location) -> Option<Id> {
    Some(Id::from(loc.widget_id()))
}

/// Presses Tab until `loc` has the focus (at most 200 times).
fn tab_to(live: &mut Live, app: &mut App, loc: &Location) {
    for _ in 0..200 {
        live.send(app, Message::FocusNext);
        if live.focused(app) == id(loc) {
            return;
        }
    }
    panic!("Tab never reached {}", loc.widget_id());
}

#[test]
fn the_first_keystroke_into_a_red_cell_keeps_the_focus() {
    let _d = data_dir();
    let mut app = blank(Screen::Basic);
    let unit = Location::new(Form::A2, None, "header", "unit");
    assert!(app.doc.at(&unit).any(|f| f.rule == RuleId::Required), "the empty unit name starts red");
    let mut live = Live::new();
    // Nothing focused: Tab goes to the screen's first cell.
    live.send(&mut app, Message::FocusNext);
    assert_eq!(live.focused(&app), id(&unit));
    live.type_text(&mut app, "abcd");
    assert_eq!(app.doc.wb.unit, "abcd", "every key landed");
    assert_eq!(app.doc.at(&unit).count(), 0, "the error cleared at the first key");
    assert_eq!(live.focused(&app), id(&unit), "and the cell kept the focus");
}

#[test]
fn numbers_tabbed_through_fund_rows_land_each_in_its_cell() {
    let _d = data_dir();
    let mut app = blank(Screen::Project(0));
    let cell = |c: &str| Location::new(Form::A3, Some(0), "fund.current_approp", c);
    let mut live = Live::new();
    tab_to(&mut live, &mut app, &cell("initial"));
    live.type_text(&mut app, "100");
    live.send(&mut app, Message::FocusNext);
    live.type_text(&mut app, "120");
    live.send(&mut app, Message::FocusNext);
    live.type_text(&mut app, "115.5");
    let f = &app.doc.wb.projects[0].current_approp;
    assert_eq!((f.initial, f.full_year, f.executed), (Some(100.into()), Some(120.into()), Some("115.5".parse().unwrap())));
    assert_eq!(live.focused(&app), id(&cell("executed")));
}

#[test]
fn a_date_is_not_rewritten_while_it_is_typed() {
    let _d = data_dir();
    let mut app = blank(Screen::Basic);
    let date = Location::new(Form::A1, None, "footer", "date");
    let mut live = Live::new();
    tab_to(&mut live, &mut app, &date);
    live.type_text(&mut app, "2025-03-15");
    assert_eq!(app.doc.wb.footer.date, chrono::NaiveDate::from_ymd_opt(2025, 3, 15));
    assert_eq!(app.doc.text(&date), "2025-03-15", "shown as typed while the cell has the focus");
    assert_eq!(live.focused(&app), id(&date));
}

#[test]
fn full_width_digits_are_read_and_shown_normalised_once_the_cell_is_left() {
    let _d = data_dir();
    let mut app = blank(Screen::Basic);
    let posts = Location::new(Form::A1, None, "staff", "posts");
    let mut live = Live::new();
    tab_to(&mut live, &mut app, &posts);
    live.type_text(&mut app, "１２");
    assert_eq!(app.doc.wb.basic.posts, Some(12));
    assert_eq!(app.doc.text(&posts), "１２", "not rewritten under the caret");
    live.send(&mut app, Message::FocusNext);
    assert_eq!(app.doc.text(&posts), "12", "normalised on leaving");
}

#[test]
fn a_long_text_box_keeps_the_focus_when_its_error_clears() {
    let _d = data_dir();
    let mut app = blank(Screen::Department);
    let actual = Location::new(Form::A2, None, "goal", "actual");
    assert!(app.doc.at(&actual).any(|f| f.severity == Severity::Error), "实际完成情况 starts red");
    let mut live = Live::new();
    tab_to(&mut live, &mut app, &actual);
    live.type_text(&mut app, "你好");
    live.type_text(&mut app, "测试");
    assert_eq!(app.doc.wb.department.goal_actual, "你好测试");
    assert_eq!(live.focused(&app), id(&actual));
}

#[test]
fn a_row_turning_quantitative_under_the_caret_keeps_the_focus() {
    let _d = data_dir();
    let mut app = blank(Screen::Department);
    let target = Location::new(Form::A2, None, "ind#1", "target");
    let mut live = Live::new();
    tab_to(&mut live, &mut app, &target);
    live.type_text(&mut app, "≥95%");
    assert_eq!(crate::document::cells::read(&app.doc.wb, &target), "≥95%");
    assert_eq!(app.doc.eval.department.rows[0].kind, crate::engine::RowKind::Quantitative, "the score cell became computed");
    assert_eq!(live.focused(&app), id(&target));
    // Tab now skips the computed score: 实际完成值 is next.
    live.send(&mut app, Message::FocusNext);
    live.type_text(&mut app, "96%");
    assert_eq!(crate::document::cells::read(&app.doc.wb, &Location::new(Form::A2, None, "ind#1", "actual")), "96%");
}

#[test]
fn a_banner_coming_up_does_not_take_the_focus() {
    let _d = data_dir();
    let mut app = blank(Screen::Basic);
    let unit = Location::new(Form::A2, None, "header", "unit");
    let mut live = Live::new();
    live.send(&mut app, Message::FocusNext);
    live.type_text(&mut app, "ab");
    app.banner = Some(Banner { severity: Severity::Error, text: "自动保存失败：磁盘空间不足".into() });
    live.type_text(&mut app, "cd");
    app.banner = None;
    live.type_text(&mut app, "e");
    assert_eq!(app.doc.wb.unit, "abcde");
    assert_eq!(live.focused(&app), id(&unit));
}

#[test]
fn tab_and_enter_select_the_cell_so_typing_replaces_it() {
    let _d = data_dir();
    let mut app = App::from_workbook(crate::sample::miluo_2023(), None);
    app.go(Screen::Basic);
    let mut live = Live::new();
    live.send(&mut app, Message::FocusNext);
    live.type_text(&mut app, "某某单位");
    assert_eq!(app.doc.wb.unit, "某某单位", "Tab selected the filled name: typing replaced it");
    // Enter moves down a column and selects there too.
    let e3 = Location::new(Form::A1, None, "E3", "budget");
    tab_to(&mut live, &mut app, &e3);
    live.type_text(&mut app, "7");
    live.send(&mut app, Message::Basic(super::basic::Message::Cell(super::widgets::CellMsg::Submit(e3.clone()))));
    let below = Location::new(Form::A1, None, "E4", "budget");
    assert_eq!(live.focused(&app), id(&below));
    live.type_text(&mut app, "8");
    assert_eq!(app.doc.wb.basic.vehicle_buy.budget, Some(7.into()));
    assert_eq!(app.doc.wb.basic.vehicle_run.budget, Some(8.into()));
}

#[test]
fn message_lines_hold_still_while_typing_and_follow_once_the_cell_is_left() {
    let _d = data_dir();
    let mut app = blank(Screen::Basic);
    let unit = Location::new(Form::A2, None, "header", "unit");
    let lines = |app: &App| app.doc.lines_on_row(Form::A2, None, "header").count();
    let before = lines(&app);
    assert!(before > 0, "the header row has its 为必填项 line");
    let mut live = Live::new();
    live.send(&mut app, Message::FocusNext);
    live.type_text(&mut app, "a");
    assert_eq!(app.doc.at(&unit).count(), 0, "the outline follows the keystroke");
    assert_eq!(lines(&app), before, "the line under the row stays while the user types");
    live.send(&mut app, Message::FocusNext);
    assert_eq!(lines(&app), app.doc.on_row(Form::A2, None, "header").count(), "leaving the cell updates the lines");
    assert!(lines(&app) < before);
}

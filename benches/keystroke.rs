//! One keystroke in the window on the big workbook (50 projects × 40 indicators): the app's
//! `update` with a typed value — parse, write, evaluate everything again, rebuild the findings
//! index. Target: median ≤ 2 ms. Also the cost of building the current screen (`view`).

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};

use zipin::engine::{Form, Location};
use zipin::profile::Profile;
use zipin::sample;
use zipin::ui::widgets::CellMsg;
use zipin::ui::{project, App, Message, Screen};

fn big_app() -> App {
    let profile = Profile::builtin("hunan-2023").expect("built-in profile");
    let mut app = App::from_workbook(sample::generated(&profile, 50, 40), None);
    app.go(Screen::Project(25));
    app
}

fn keystroke(c: &mut Criterion) {
    let mut app = big_app();
    let actual = Location::new(Form::A3, Some(25), "ind#7", "actual");
    let weight = Location::new(Form::A3, Some(25), "ind#8", "weight");
    let mut i = 0u32;
    c.bench_function("keystroke: type into 实际完成值 (50×40 workbook)", |b| {
        b.iter(|| {
            i += 1;
            let text = format!("{}人", 100 + i % 50);
            let _ = app.update(Message::Project(project::Message::Cell(CellMsg::Edit(actual.clone(), text))));
        })
    });
    let mut i = 0u32;
    c.bench_function("keystroke: type a bad number into 分值 (50×40 workbook)", |b| {
        b.iter(|| {
            i += 1;
            let text = if i % 2 == 0 { "0.6x".to_string() } else { format!("0.{}", 5 + i % 4) };
            let _ = app.update(Message::Project(project::Message::Cell(CellMsg::Edit(weight.clone(), text))));
        })
    });
    // For comparison: the engine alone on the same workbook (what every keystroke has to pay).
    c.bench_function("engine only: evaluate the same workbook", |b| {
        b.iter(|| std::hint::black_box(zipin::engine::evaluate(&app.doc.wb, &app.doc.profile)))
    });
    c.bench_function("view: build the project screen (40 indicator rows)", |b| {
        b.iter(|| {
            let e = app.view();
            std::hint::black_box(&e);
        })
    });
}

/// On-CPU time of this thread (Linux: /proc/thread-self/schedstat, nanoseconds), so a busy machine
/// (another build on the same cores) does not count against the keystroke.
fn cpu_time() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

fn keystroke_cpu(c: &mut Criterion) {
    if cpu_time().is_none() {
        return;
    }
    let mut app = big_app();
    let actual = Location::new(Form::A3, Some(25), "ind#7", "actual");
    let mut i = 0u32;
    c.bench_function("keystroke, on-CPU time: type into 实际完成值 (50×40 workbook)", |b| {
        b.iter_custom(|iters| {
            let start = cpu_time().unwrap_or_default();
            for _ in 0..iters {
                i += 1;
                let text = format!("{}人", 100 + i % 50);
                let _ = app.update(Message::Project(project::Message::Cell(CellMsg::Edit(actual.clone(), text))));
            }
            cpu_time().unwrap_or_default().saturating_sub(start)
        })
    });
    c.bench_function("engine only, on-CPU time: evaluate the same workbook", |b| {
        b.iter_custom(|iters| {
            let start = cpu_time().unwrap_or_default();
            for _ in 0..iters {
                std::hint::black_box(zipin::engine::evaluate(&app.doc.wb, &app.doc.profile));
            }
            cpu_time().unwrap_or_default().saturating_sub(start)
        })
    });
}

criterion_group!(benches, keystroke, keystroke_cpu);
criterion_main!(benches);

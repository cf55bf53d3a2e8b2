//! `cargo bench --bench engine`: evaluating a big workbook (附件2 + 50 projects × 40 indicators)
//! and the filed sample. Target: ≤ 1 ms median for the big one in release.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

use zipin::engine::evaluate;
use zipin::profile::Profile;
use zipin::sample;

fn engine(c: &mut Criterion) {
    let profile = Profile::builtin("hunan-2023").unwrap();
    let big = sample::generated(&profile, 50, 40);
    let rows: usize = big.department.indicators.len() + big.projects.iter().map(|p| p.indicators.len()).sum::<usize>();
    eprintln!("big workbook: {} projects, {rows} indicator rows", big.projects.len());
    c.bench_function("evaluate 50 projects x 40 indicators", |b| b.iter(|| evaluate(black_box(&big), black_box(&profile))));
    let miluo = sample::miluo_2023();
    c.bench_function("evaluate filed sample", |b| b.iter(|| evaluate(black_box(&miluo), black_box(&profile))));
    let text = zipin::draft::to_string(&big);
    eprintln!("big draft: {} KB", text.len() / 1024);
    c.bench_function("load big draft", |b| {
        b.iter(|| zipin::draft::from_str(std::path::Path::new("big.ron"), black_box(&text)).unwrap())
    });
    // What the window and `zipin get/set` do on open: parse, resolve the profile, evaluate.
    c.bench_function("open big draft (parse + evaluate)", |b| {
        b.iter(|| zipin::document::Document::from_workbook(zipin::draft::from_str(std::path::Path::new("big.ron"), black_box(&text)).unwrap()))
    });
}

criterion_group!(benches, engine);
criterion_main!(benches);

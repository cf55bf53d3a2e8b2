//! Export of the filed sample to PDF (all forms, draft), and of a 50-project workbook.
//! `cargo bench --no-default-features --bench export`

use criterion::{criterion_group, criterion_main, Criterion};

use zipin::engine;
use zipin::pdf::{export_pdf, ExportOptions};
use zipin::profile::Profile;
use zipin::sample;

fn export(c: &mut Criterion) {
    let profile = Profile::builtin("hunan-2023").expect("profile");
    let opts = ExportOptions::default();

    let wb = sample::miluo_2023();
    let eval = engine::evaluate(&wb, &profile);
    // The font is parsed once per process; parse it outside the measurement.
    export_pdf(&wb, &profile, &eval, &opts).expect("export");
    c.bench_function("export_sample", |b| b.iter(|| export_pdf(&wb, &profile, &eval, &opts).expect("export")));

    let big = sample::generated(&profile, 50, 40);
    let big_eval = engine::evaluate(&big, &profile);
    let mut group = c.benchmark_group("export_large");
    group.sample_size(10);
    group.bench_function("export_50_projects", |b| b.iter(|| export_pdf(&big, &profile, &big_eval, &opts).expect("export")));
    group.finish();
}

criterion_group!(benches, export);
criterion_main!(benches);

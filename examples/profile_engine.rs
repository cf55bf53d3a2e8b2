//! Runs the engine on the big generated workbook in a loop (for profilers: perf, callgrind).
fn main() {
    let profile = zipin::profile::Profile::builtin("hunan-2023").unwrap();
    let big = zipin::sample::generated(&profile, 50, 40);
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(50).max(1);
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(zipin::engine::evaluate(&big, &profile));
    }
    println!("{:?} per evaluation", t.elapsed() / n as u32);
}

//! Fuzzing the four parsers users can feed: the draft loader, the profile loader, the number
//! parser and the 年度指标值 parser. Inputs are generated from a seeded PRNG — random text from
//! an alphabet of the characters that matter (digits, full-width forms, comparators, units,
//! RON punctuation, CJK, emoji, RTL) and byte-level mutations of valid drafts and profiles.
//! Every input must give a value or an error, never a panic.
//!
//! CI runs 20,000 inputs a target. The full run (1,000,000 inputs in total):
//! `ZIPIN_FUZZ_CASES=250000 cargo test --release --test fuzz -- --nocapture`

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use zipin::profile::{Profile, BUILTIN};
use zipin::{draft, engine, parse, sample};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const ATOMS: &[&str] = &[
    "0", "1", "9", "95", "100", "1005.67", ".", ",", "-", "+", "%", "％", "１", "９", "．", "，", "≥", "≤", ">=", "<=", "=", ">", "<",
    "≧", "不低于", "不超过", "万", "万元", "亿", "人", "户", "m²", "㎡", "e", "E", "1e30", "NaN", "inf", " ", "\u{3000}", "\t", "\n",
    "明显改善", "预算执行率", "(", ")", "[", "]", "{", "}", ":", "\"", "\\", "'", "Some(", "None", "version", "workbook", "🙂",
    "مرحبا", "\u{202E}", "\u{0}", "99999999999999999999999999999", "0.000000000000000000000000001", "年", "月", "日", "2024",
];

fn random_text(rng: &mut Rng, max_atoms: usize) -> String {
    (0..rng.below(max_atoms + 1)).map(|_| ATOMS[rng.below(ATOMS.len())]).collect()
}

/// A byte-level mutation of `seed`: flip, delete, insert an atom, duplicate or truncate.
fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(v.len() + 1).min(v.len());
        match rng.below(6) {
            0 if !v.is_empty() => {
                let i = at.min(v.len() - 1);
                v[i] ^= 1 << rng.below(8);
            }
            1 => {
                let end = (at + 1 + rng.below(40)).min(v.len());
                v.drain(at..end);
            }
            2 => {
                let atom = ATOMS[rng.below(ATOMS.len())].as_bytes();
                v.splice(at..at, atom.iter().copied());
            }
            3 => {
                let end = (at + rng.below(200)).min(v.len());
                let chunk = v[at..end].to_vec();
                v.splice(at..at, chunk);
            }
            4 => v.truncate(at),
            _ => {
                let digits = rng.next().to_string();
                v.splice(at..at, digits.bytes());
            }
        }
    }
    v
}

fn cases() -> usize {
    std::env::var("ZIPIN_FUZZ_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(20_000)
}

/// Runs `f` on `n` inputs, counting panics (the panic message is silenced while fuzzing).
fn fuzz(name: &str, n: usize, mut input: impl FnMut(&mut Rng) -> Vec<u8>, f: impl Fn(&[u8])) {
    let mut rng = Rng(0xF022_u64 ^ name.len() as u64 * 7919);
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut panics = Vec::new();
    for _ in 0..n {
        let bytes = input(&mut rng);
        if catch_unwind(AssertUnwindSafe(|| f(&bytes))).is_err() {
            panics.push(String::from_utf8_lossy(&bytes).chars().take(200).collect::<String>());
        }
    }
    std::panic::set_hook(hook);
    eprintln!("fuzz {name}: {n} inputs, {} panics", panics.len());
    assert!(panics.is_empty(), "{name}: {} panics, first inputs: {:#?}", panics.len(), &panics[..panics.len().min(5)]);
}

#[test]
fn number_parser() {
    fuzz("number parser", cases(), |r| random_text(r, 8).into_bytes(), |b| {
        let s = String::from_utf8_lossy(b);
        let _ = parse::parse_decimal(&s);
        let _ = parse::parse_money(&s);
        let _ = parse::parse_count(&s);
        let _ = parse::parse_date(&s);
        let _ = parse::phone_is_valid(&s);
    });
}

#[test]
fn indicator_value_parser() {
    fuzz("indicator value parser", cases(), |r| random_text(r, 8).into_bytes(), |b| {
        let v = parse::IndicatorValue::new(String::from_utf8_lossy(b));
        let _ = v.display();
        let p = v.parts();
        if let Some(n) = p.number {
            let _ = engine::score_quantitative(n, p.comparator, n, n, zipin::profile::ReverseFormula::LinearTwoT);
        }
    });
}

#[test]
fn draft_loader() {
    let seeds = [draft::to_string(&sample::miluo_2023()), draft::to_string(&sample::generated(&Profile::builtin("hunan-2023").unwrap(), 1, 8))];
    let profile = Profile::builtin("hunan-2023").unwrap();
    fuzz(
        "draft loader",
        cases(),
        |r| {
            if r.below(10) == 0 {
                return random_text(r, 30).into_bytes();
            }
            let seed = seeds[r.below(2)].as_bytes();
            mutate(r, seed)
        },
        |b| {
            let text = String::from_utf8_lossy(b);
            // Whatever loads must also evaluate and save without panicking.
            if let Ok(wb) = draft::from_str(Path::new("fuzz.ron"), &text) {
                let _ = engine::evaluate(&wb, &profile);
                let _ = draft::to_string(&wb);
            }
        },
    );
}

#[test]
fn profile_loader() {
    fuzz(
        "profile loader",
        cases(),
        |r| {
            let seed = BUILTIN[r.below(BUILTIN.len())].1.as_bytes();
            mutate(r, seed)
        },
        |b| {
            if let Ok(p) = Profile::from_ron("fuzz.ron", &String::from_utf8_lossy(b)) {
                let _ = engine::evaluate(&sample::miluo_2023(), &p);
            }
        },
    );
}

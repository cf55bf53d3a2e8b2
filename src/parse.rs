//! User text → values: numbers, money, counts, 年度指标值 / 实际完成值, dates, phone numbers.
//!
//! Accountants type with a Chinese IME, so everything here first folds full-width forms
//! (`９５％`, `≥`, `，`) to their ASCII counterparts. Every function is total: bad text is an
//! error that says what was expected, never a panic.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Why a cell's text was not accepted. `expected` is a Chinese phrase shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub found: String,
    pub expected: &'static str,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "“{}”不是有效值：{}", self.found, self.expected)
    }
}

impl std::error::Error for ParseError {}

fn err(found: &str, expected: &'static str) -> ParseError {
    // Long garbage is cut so a message stays readable.
    let found: String = found.chars().take(40).collect();
    ParseError { found, expected }
}

/// Folds full-width ASCII (U+FF01–FF5E), the ideographic space and a few look-alikes to ASCII,
/// and trims. Chinese characters are left alone.
pub fn normalize(s: &str) -> std::borrow::Cow<'_, str> {
    // Borrowed when nothing needs folding: this runs for every indicator value on every keystroke.
    if s.chars().all(|c| fold_char(c) == c) {
        return std::borrow::Cow::Borrowed(s.trim());
    }
    std::borrow::Cow::Owned(s.chars().map(fold_char).collect::<String>().trim().to_string())
}

/// One character of [`normalize`]: full-width ASCII to ASCII, the ideographic and no-break
/// spaces to a space, every comparator look-alike to its plain sign (≧ ⩾ → ≥, ≦ ⩽ → ≤, the small
/// forms ﹦ ﹥ ﹤ → = > <), ﹪ to %.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' => ' ',
        '≧' | '⩾' => '≥',
        '≦' | '⩽' => '≤',
        '﹦' => '=',
        '﹥' => '>',
        '﹤' => '<',
        '﹪' => '%',
        _ => c,
    }
}

const NUMBER_EXPECTED: &str = "应为数字，例如 1005.67、1,005.67 或 98%";

/// A plain number as typed: `1,005.67`, `１００５．６７`, ` 98% `, `-3`.
/// Returns `Ok(None)` for a blank cell. A trailing `%` is accepted and ignored (the number is
/// returned as written: `98%` → 98). Exponents, words and several numbers are errors.
pub fn parse_decimal(s: &str) -> Result<Option<Decimal>, ParseError> {
    let n = normalize(s);
    if n.is_empty() {
        return Ok(None);
    }
    let body = n.strip_suffix('%').map_or(&*n, str::trim_end);
    let digits = strip_thousands(body).ok_or_else(|| err(s, NUMBER_EXPECTED))?;
    decimal_from_plain(&digits).map(Some).ok_or_else(|| err(s, NUMBER_EXPECTED))
}

/// Removes thousands separators, checking they sit every three digits (`1,005.67` yes, `1,0` no).
fn strip_thousands(s: &str) -> Option<String> {
    if !s.contains(',') {
        return Some(s.to_string());
    }
    let (int_part, frac) = match s.find('.') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let unsigned = int_part.trim_start_matches(['+', '-']);
    let groups: Vec<&str> = unsigned.split(',').collect();
    let first_ok = !groups[0].is_empty() && groups[0].len() <= 3;
    if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
        return None;
    }
    let sign = &int_part[..int_part.len() - unsigned.len()];
    Some(format!("{sign}{}{frac}", groups.concat()))
}

/// Digits with an optional sign and one decimal point; nothing else.
fn decimal_from_plain(s: &str) -> Option<Decimal> {
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let mut dots = 0;
    let mut digits = 0;
    for c in unsigned.chars() {
        match c {
            '0'..='9' => digits += 1,
            '.' => dots += 1,
            _ => return None,
        }
    }
    if digits == 0 || dots > 1 {
        return None;
    }
    let s = s.strip_prefix('+').unwrap_or(s);
    Decimal::from_str(s).ok()
}

/// A money cell in 万元: a number ≥ 0. Scale and sign are checked by the engine (R-NUM-FORMAT,
/// R-NEGATIVE) so that a value already in a draft is judged the same way as a typed one.
pub fn parse_money(s: &str) -> Result<Option<Decimal>, ParseError> {
    parse_decimal(s)
}

/// A count of persons, posts …: a whole number ≥ 0.
pub fn parse_count(s: &str) -> Result<Option<u32>, ParseError> {
    const EXPECTED: &str = "应为不小于0的整数，例如 30";
    match parse_decimal(s)? {
        None => Ok(None),
        Some(d) if d.is_sign_negative() || !d.fract().is_zero() => Err(err(s, EXPECTED)),
        Some(d) => u32::try_from(d.trunc().mantissa() / 10i128.pow(d.scale()))
            .map(Some)
            .map_err(|_| err(s, EXPECTED)),
    }
}

/// 填报日期: `2024.10.10`, `2024-10-10`, `2024/10/10`, `2024年10月10日`.
pub fn parse_date(s: &str) -> Result<Option<NaiveDate>, ParseError> {
    const EXPECTED: &str = "应为日期，例如 2024.10.10 或 2024年10月10日";
    let n = normalize(s);
    if n.is_empty() {
        return Ok(None);
    }
    let parts: Vec<&str> = n
        .split(['.', '-', '/', '年', '月', '日'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != 3 || parts.iter().any(|p| !p.chars().all(|c| c.is_ascii_digit()) || p.len() > 4) {
        return Err(err(s, EXPECTED));
    }
    let y: i32 = parts[0].parse().map_err(|_| err(s, EXPECTED))?;
    let m: u32 = parts[1].parse().map_err(|_| err(s, EXPECTED))?;
    let d: u32 = parts[2].parse().map_err(|_| err(s, EXPECTED))?;
    NaiveDate::from_ymd_opt(y, m, d).map(Some).ok_or_else(|| err(s, EXPECTED))
}

/// A plausible Chinese phone number: an 11-digit mobile (1[3-9]…), or a landline of 7–8 digits
/// with an optional area code (0 + 2–3 digits) and extension, `-` or spaces between groups.
pub fn phone_is_valid(s: &str) -> bool {
    let n = normalize(s);
    if n.is_empty() || !n.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ' ') {
        return false;
    }
    let groups: Vec<&str> = n.split(['-', ' ']).filter(|g| !g.is_empty()).collect();
    let digits: String = groups.concat();
    let b = digits.as_bytes();
    let mobile = b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]);
    let landline = match groups.as_slice() {
        [local] => (7..=8).contains(&local.len()) || (b[0] == b'0' && (10..=12).contains(&b.len())),
        [area, local] => area.starts_with('0') && (3..=4).contains(&area.len()) && (7..=8).contains(&local.len()),
        [area, local, ext] => {
            area.starts_with('0') && (3..=4).contains(&area.len()) && (7..=8).contains(&local.len()) && ext.len() <= 6
        }
        _ => false,
    };
    mobile || landline
}

/// Comparator of a 年度指标值.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Cmp {
    Ge,
    Le,
    Eq,
    Gt,
    Lt,
}

impl Cmp {
    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::Ge => "≥",
            Cmp::Le => "≤",
            Cmp::Eq => "=",
            Cmp::Gt => ">",
            Cmp::Lt => "<",
        }
    }
    /// `≥ = >` (and none) score "higher is better"; `≤ <` score "lower is better".
    pub fn is_upper_bound(self) -> bool {
        matches!(self, Cmp::Le | Cmp::Lt)
    }
}

/// The parsed meaning of a 年度指标值 / 实际完成值 cell.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValueParts {
    pub comparator: Option<Cmp>,
    /// The number to compare, with `%` kept as written (95% → 95) and `万` expanded (1.82万 → 18200).
    pub number: Option<Decimal>,
    /// `%`, `人`, `万元` … as written after the number; `None` when there is none.
    pub unit: Option<String>,
    /// Qualitative text (no number), e.g. 明显改善.
    pub text: Option<String>,
}

impl ValueParts {
    pub fn is_blank(&self) -> bool {
        self.comparator.is_none() && self.number.is_none() && self.text.is_none()
    }
    pub fn is_quantitative(&self) -> bool {
        self.number.is_some()
    }
}

/// Comparator words accountants write instead of symbols, longest first.
const CMP_WORDS: &[(&str, Cmp)] = &[
    (">=", Cmp::Ge),
    ("<=", Cmp::Le),
    ("≥", Cmp::Ge),
    ("≤", Cmp::Le),
    ("==", Cmp::Eq),
    ("=", Cmp::Eq),
    (">", Cmp::Gt),
    ("<", Cmp::Lt),
    ("≮", Cmp::Ge),
    ("≯", Cmp::Le),
    ("大于等于", Cmp::Ge),
    ("大于或等于", Cmp::Ge),
    ("不低于", Cmp::Ge),
    ("不少于", Cmp::Ge),
    ("不小于", Cmp::Ge),
    ("小于等于", Cmp::Le),
    ("小于或等于", Cmp::Le),
    ("不高于", Cmp::Le),
    ("不超过", Cmp::Le),
    ("不多于", Cmp::Le),
    ("不大于", Cmp::Le),
    ("控制在", Cmp::Le),
    ("至少", Cmp::Ge),
    ("达到", Cmp::Ge),
    ("最多", Cmp::Le),
    ("超过", Cmp::Gt),
    ("不足", Cmp::Lt),
    ("大于", Cmp::Gt),
    ("高于", Cmp::Gt),
    ("小于", Cmp::Lt),
    ("低于", Cmp::Lt),
    ("等于", Cmp::Eq),
];

/// Comparators written after the value (`2800人以上`, `95%以下`, `10万元以内`), longest first
/// (after [`normalize`], so `（含）` reads `(含)`). As in Chinese law and standards, 以上/以下/以内
/// include the number itself.
const CMP_SUFFIXES: &[(&str, Cmp)] = &[
    ("(含)以上", Cmp::Ge),
    ("以上(含)", Cmp::Ge),
    ("及其以上", Cmp::Ge),
    ("及以上", Cmp::Ge),
    ("或以上", Cmp::Ge),
    ("以上", Cmp::Ge),
    ("(含)以下", Cmp::Le),
    ("以下(含)", Cmp::Le),
    ("及其以下", Cmp::Le),
    ("及以下", Cmp::Le),
    ("或以下", Cmp::Le),
    ("以下", Cmp::Le),
    ("(含)以内", Cmp::Le),
    ("以内", Cmp::Le),
    ("之内", Cmp::Le),
    ("内", Cmp::Le),
];

/// Words before a number that say it is approximate: the number is read, with no comparator.
const ABOUT_WORDS: &[&str] = &["大约", "约"];
/// The same after the value (`2800人左右`).
const ABOUT_SUFFIXES: &[&str] = &["左右"];

/// Parses a 年度指标值 / 实际完成值: `≥95%`, `≤10万元`, `=1`, `18200人`, `1.82万人`, `>=95`,
/// `≥９５％`, `不低于95%`, `2800人以上`, `10万元以内`, `﹦2800人`, or qualitative text such as
/// `明显改善`. Never fails: text that is not `[comparator] number [unit] [comparator]` is
/// qualitative (the engine warns when such text holds digits).
pub fn parse_indicator_value(s: &str) -> ValueParts {
    let n = normalize(s);
    if n.is_empty() {
        return ValueParts::default();
    }
    let mut rest: &str = &n;
    let mut comparator = None;
    for (word, cmp) in CMP_WORDS {
        if let Some(r) = rest.strip_prefix(word) {
            comparator = Some(*cmp);
            rest = r.trim_start();
            break;
        }
    }
    if comparator.is_none() {
        if let Some(r) = ABOUT_WORDS.iter().find_map(|w| rest.strip_prefix(w)) {
            rest = r.trim_start();
        }
    }
    // Leading number: digits, separators, one point.
    let num_end = rest
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || c == ',' || ((c == '-' || c == '+') && i == 0)))
        .map_or(rest.len(), |(i, _)| i);
    let num_text = rest[..num_end].trim_end_matches(',');
    let num_end = num_text.len();
    let number = strip_thousands(num_text).and_then(|t| decimal_from_plain(&t));
    let Some(mut number) = number else {
        return ValueParts { comparator, number: None, unit: None, text: Some(rest.trim().to_string()) };
    };
    let mut unit_text = rest[num_end..].trim();
    if let Some((stem, cmp)) = CMP_SUFFIXES.iter().find_map(|(w, c)| Some((unit_text.strip_suffix(w)?, *c))) {
        // A comparator written before the value wins (`≥2800人以上` says it twice).
        comparator = comparator.or(Some(cmp));
        unit_text = stem.trim_end();
    } else if let Some(stem) = ABOUT_SUFFIXES.iter().find_map(|w| unit_text.strip_suffix(w)) {
        unit_text = stem.trim_end();
    }
    // 万: "10万元" keeps 万元 as the unit; "1.82万人" / "1.82万" means ×10 000.
    if let Some(after) = unit_text.strip_prefix('万') {
        if !after.starts_with('元') {
            number = number.checked_mul(Decimal::from(10_000)).unwrap_or(number);
            unit_text = after.trim();
        }
    }
    if let Some(after) = unit_text.strip_prefix('亿') {
        if !after.starts_with('元') {
            number = number.checked_mul(Decimal::from(100_000_000)).unwrap_or(number);
            unit_text = after.trim();
        }
    }
    let unit = match unit_text {
        "" => None,
        "㎡" | "平方米" | "m2" => Some("m²".to_string()),
        u => Some(u.to_string()),
    };
    ValueParts { comparator, number: Some(number.normalize()), unit, text: None }
}

/// A 年度指标值 / 实际完成值 cell: the text as typed plus its parsed meaning.
/// Drafts store only the text; the meaning is derived again on load, so the two can never disagree.
#[derive(Debug, Clone, Default)]
pub struct IndicatorValue {
    raw: String,
    parts: ValueParts,
}

impl IndicatorValue {
    pub fn new(raw: impl Into<String>) -> Self {
        let raw = raw.into();
        let parts = parse_indicator_value(&raw);
        IndicatorValue { raw, parts }
    }
    pub fn raw(&self) -> &str {
        &self.raw
    }
    pub fn parts(&self) -> &ValueParts {
        &self.parts
    }
    pub fn is_blank(&self) -> bool {
        self.parts.is_blank()
    }
    /// The value as the app prints it: comparator symbol, number, unit, or the text.
    pub fn display(&self) -> String {
        let p = &self.parts;
        let cmp = p.comparator.map_or("", Cmp::symbol);
        match (&p.number, &p.text) {
            (Some(n), _) => format!("{cmp}{}{}", n, p.unit.as_deref().unwrap_or("")),
            (None, Some(t)) => format!("{cmp}{t}"),
            (None, None) => cmp.to_string(),
        }
    }
}

impl PartialEq for IndicatorValue {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}

impl Serialize for IndicatorValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for IndicatorValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(IndicatorValue::new)
    }
}

impl From<&str> for IndicatorValue {
    fn from(s: &str) -> Self {
        IndicatorValue::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros_free::dec;

    mod rust_decimal_macros_free {
        macro_rules! dec {
            ($s:expr) => {
                rust_decimal::Decimal::from_str_exact(stringify!($s)).unwrap()
            };
        }
        pub(crate) use dec;
    }

    #[test]
    fn numbers_as_accountants_type_them() {
        assert_eq!(parse_decimal("1,005.67").unwrap(), Some(dec!(1005.67)));
        assert_eq!(parse_decimal("１００５．６７").unwrap(), Some(dec!(1005.67)));
        assert_eq!(parse_decimal(" 98% ").unwrap(), Some(dec!(98)));
        assert_eq!(parse_decimal("９８％").unwrap(), Some(dec!(98)));
        assert_eq!(parse_decimal("-3").unwrap(), Some(dec!(-3)));
        assert_eq!(parse_decimal("").unwrap(), None);
        assert_eq!(parse_decimal("　").unwrap(), None);
        for bad in ["abc", "1,0", "1.2.3", "1e5", "12万", "--1", "%", ".", "1 2", "99999999999999999999999999999999"] {
            let e = parse_decimal(bad).unwrap_err();
            assert!(e.to_string().contains("应为数字"), "{bad}: {e}");
        }
    }

    #[test]
    fn counts_are_whole() {
        assert_eq!(parse_count("30").unwrap(), Some(30));
        assert_eq!(parse_count("３０").unwrap(), Some(30));
        assert!(parse_count("3.5").is_err());
        assert!(parse_count("-1").is_err());
        assert!(parse_count("99999999999").is_err());
    }

    #[test]
    fn dates_in_three_spellings() {
        let d = NaiveDate::from_ymd_opt(2024, 10, 10);
        assert_eq!(parse_date("2024.10.10").unwrap(), d);
        assert_eq!(parse_date("2024-10-10").unwrap(), d);
        assert_eq!(parse_date("2024年10月10日").unwrap(), d);
        assert!(parse_date("2024.13.10").is_err());
        assert!(parse_date("昨天").is_err());
    }

    #[test]
    fn phones() {
        assert!(phone_is_valid("13517307865"));
        assert!(phone_is_valid("0730-5221234"));
        assert!(phone_is_valid("5221234"));
        assert!(!phone_is_valid("1351730786"));
        assert!(!phone_is_valid("电话"));
        assert!(!phone_is_valid(""));
    }

    fn q(s: &str) -> (Option<Cmp>, Option<Decimal>, Option<String>, Option<String>) {
        let p = parse_indicator_value(s);
        (p.comparator, p.number, p.unit, p.text)
    }

    #[test]
    fn indicator_values() {
        assert_eq!(q("≥95%"), (Some(Cmp::Ge), Some(dec!(95)), Some("%".into()), None));
        assert_eq!(q("≥９５％"), (Some(Cmp::Ge), Some(dec!(95)), Some("%".into()), None));
        assert_eq!(q(">=95"), (Some(Cmp::Ge), Some(dec!(95)), None, None));
        assert_eq!(q("≤10万元"), (Some(Cmp::Le), Some(dec!(10)), Some("万元".into()), None));
        assert_eq!(q("=1"), (Some(Cmp::Eq), Some(dec!(1)), None, None));
        assert_eq!(q("100%"), (None, Some(dec!(100)), Some("%".into()), None));
        assert_eq!(q("18200人"), (None, Some(dec!(18200)), Some("人".into()), None));
        assert_eq!(q("1.82万人"), (None, Some(dec!(18200)), Some("人".into()), None));
        assert_eq!(q("1.82万"), (None, Some(dec!(18200)), None, None));
        assert_eq!(q("不低于95%"), (Some(Cmp::Ge), Some(dec!(95)), Some("%".into()), None));
        assert_eq!(q("1,000人"), (None, Some(dec!(1000)), Some("人".into()), None));
        assert_eq!(q("及时"), (None, None, None, Some("及时".into())));
        assert_eq!(q("明显改善"), (None, None, None, Some("明显改善".into())));
        assert_eq!(q("预算执行率"), (None, None, None, Some("预算执行率".into())));
        assert_eq!(q("≥明显改善"), (Some(Cmp::Ge), None, None, Some("明显改善".into())));
        assert_eq!(q("200㎡"), (None, Some(dec!(200)), Some("m²".into()), None));
        assert!(parse_indicator_value("  ").is_blank());
    }

    /// Targets as published forms of other provinces write them: every comparator spelling reads as
    /// the rule it states (以上/以下/以内 include the number), units stay units.
    #[test]
    fn real_world_target_phrasings() {
        use Cmp::*;
        let cases: &[(&str, Option<Cmp>, &str, Option<&str>)] = &[
            ("2800人以上", Some(Ge), "2800", Some("人")),
            ("2800人及以上", Some(Ge), "2800", Some("人")),
            ("2800人（含）以上", Some(Ge), "2800", Some("人")),
            ("2800人(含)以上", Some(Ge), "2800", Some("人")),
            ("2800人以上（含）", Some(Ge), "2800", Some("人")),
            ("2800人或以上", Some(Ge), "2800", Some("人")),
            ("2800人及其以上", Some(Ge), "2800", Some("人")),
            ("2800以上", Some(Ge), "2800", None),
            ("95%以上", Some(Ge), "95", Some("%")),
            ("９５％以上", Some(Ge), "95", Some("%")),
            ("95%及以上", Some(Ge), "95", Some("%")),
            ("95%以下", Some(Le), "95", Some("%")),
            ("5%及以下", Some(Le), "5", Some("%")),
            ("5%（含）以下", Some(Le), "5", Some("%")),
            ("10万元以内", Some(Le), "10", Some("万元")),
            ("10万元之内", Some(Le), "10", Some("万元")),
            ("10万元（含）以内", Some(Le), "10", Some("万元")),
            ("3个工作日内", Some(Le), "3", Some("个工作日")),
            ("30天内", Some(Le), "30", Some("天")),
            ("1.82万人以上", Some(Ge), "18200", Some("人")),
            ("﹦2800人", Some(Eq), "2800", Some("人")),
            ("＝2800人", Some(Eq), "2800", Some("人")),
            ("=2800人", Some(Eq), "2800", Some("人")),
            ("﹥90%", Some(Gt), "90", Some("%")),
            ("﹤5%", Some(Lt), "5", Some("%")),
            ("＞90%", Some(Gt), "90", Some("%")),
            ("＜5%", Some(Lt), "5", Some("%")),
            ("⩾95%", Some(Ge), "95", Some("%")),
            ("⩽10万元", Some(Le), "10", Some("万元")),
            ("≧95%", Some(Ge), "95", Some("%")),
            ("≦10万元", Some(Le), "10", Some("万元")),
            ("≮95%", Some(Ge), "95", Some("%")),
            ("≯10万元", Some(Le), "10", Some("万元")),
            ("≥2800人以上", Some(Ge), "2800", Some("人")),
            ("大于或等于95%", Some(Ge), "95", Some("%")),
            ("不少于2800人", Some(Ge), "2800", Some("人")),
            ("不超过10万元", Some(Le), "10", Some("万元")),
            ("控制在10万元", Some(Le), "10", Some("万元")),
            ("至少2800人", Some(Ge), "2800", Some("人")),
            ("达到95%", Some(Ge), "95", Some("%")),
            ("最多3次", Some(Le), "3", Some("次")),
            ("超过90%", Some(Gt), "90", Some("%")),
            ("不足5%", Some(Lt), "5", Some("%")),
            ("约2800人", None, "2800", Some("人")),
            ("大约95%", None, "95", Some("%")),
            ("2800人左右", None, "2800", Some("人")),
            ("2,800人以上", Some(Ge), "2800", Some("人")),
            ("≥ 95 %", Some(Ge), "95", Some("%")),
            ("100%", None, "100", Some("%")),
        ];
        assert!(cases.len() >= 40);
        for (text, cmp, number, unit) in cases {
            let p = parse_indicator_value(text);
            assert_eq!(
                (p.comparator, p.number, p.unit.as_deref(), p.text.as_deref()),
                (*cmp, Some(Decimal::from_str(number).unwrap()), *unit, None),
                "{text}"
            );
        }
        // Qualitative text stays text, also with a comparator word inside it.
        for text in ["明显改善", "及时", "以上均达标", "有所提高"] {
            assert_eq!(parse_indicator_value(text).number, None, "{text}");
        }
    }

    #[test]
    fn indicator_value_keeps_raw_text() {
        let v = IndicatorValue::new("≥９５％");
        assert_eq!(v.raw(), "≥９５％");
        assert_eq!(v.display(), "≥95%");
        let back: IndicatorValue = ron::from_str(&ron::to_string(&v).unwrap()).unwrap();
        assert_eq!(back.parts(), v.parts());
    }
}

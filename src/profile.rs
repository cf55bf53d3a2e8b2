//! Rule profiles: categories, weights, bands and thresholds, loaded from RON (`templates/profiles/`).
//!
//! Nothing the rules depend on is a constant in code. A profile is checked when it is loaded
//! (weights add up to 100, bands ordered and covering 0–100 …); a problem is reported with the
//! file, line and column it concerns.

use std::collections::BTreeMap;
use std::fmt;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::finding::Severity;

/// The profiles shipped inside the binary: (file name, RON text).
pub const BUILTIN: &[(&str, &str)] = &[
    ("hunan-2023.ron", include_str!("../templates/profiles/hunan-2023.ron")),
    ("national-2020.ron", include_str!("../templates/profiles/national-2020.ron")),
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub id: String,
    /// The file this profile was read from (`None`: built in). Not part of the RON.
    #[serde(skip)]
    pub source: Option<PathBuf>,
    pub name: String,
    /// 分值 of the 预算执行率 row.
    pub exec_weight: Decimal,
    /// 一级 categories in printed order.
    pub categories: Vec<Category>,
    /// Scoring of "≤" rows when the actual exceeds the target.
    pub reverse_formula: ReverseFormula,
    /// Qualitative bands in percent of a row's 分值, highest first.
    pub qual_bands: Vec<QualBand>,
    /// Grades by minimum total, highest first; the last has min 0.
    pub grade_bands: Vec<GradeBand>,
    pub over_completion: OverCompletion,
    /// A stated score passes when |stated − computed| ≤ this.
    pub score_tolerance: Decimal,
    /// Decimal places allowed in money cells.
    pub money_scale: u32,
    /// Free texts whose absence is a warning (R-REQUIRED-TEXT): "厉行节约保障措施".
    pub required_texts: Vec<String>,
    pub xform: XForm,
    pub satisfaction: Satisfaction,
    /// Rule ID → severity. Not allowed for R-REQUIRED, R-WEIGHT-*, R-SUM-*, R-TOTAL-MISMATCH.
    pub severity_overrides: BTreeMap<String, Severity>,
    /// 一级 categories that may be left without rows ("如有").
    pub optional_categories: Vec<String>,
    /// 一级 or 二级 names whose rows are cost indicators (R-COST-DIRECTION).
    pub cost_categories: Vec<String>,
    /// 一级 or 二级 names whose rows may carry a questionnaire.
    pub satisfaction_categories: Vec<String>,
    /// 三级 names that duplicate the execution-rate score (R-INDICATOR-EXEC-DUP).
    pub exec_indicator_names: Vec<String>,
    /// A target text ending like this names a measure, not a value (R-TARGET-FORMAT): "率".
    pub metric_name_suffixes: Vec<String>,
    /// Units that count things; two rows with the same count target are duplicates.
    pub count_units: Vec<String>,
    /// Abbreviation → full form, applied when comparing unit names (残联 → 残疾人联合会).
    pub name_aliases: Vec<(String, String)>,
    /// chrono format of 填报日期 on print.
    pub date_format: String,
    /// Print the E7 项目支出 subtotal in 附件1.
    pub print_group_totals: bool,
    /// Fund sources (as tagged on 附件4's 项目支出 lines) that are 政府性基金: spending quoted from
    /// them needs 政府性基金拨款 in 附件2's income (R-REPORT-FIGURE). Optional in a profile.
    #[serde(default)]
    pub government_fund_sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Category {
    pub name: String,
    pub weight: Decimal,
    pub subs: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReverseFormula {
    /// w × (1 − (A−T)/T) for T < A < 2T, 0 from 2T.
    LinearTwoT,
    /// w × T/A.
    Ratio,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualBand {
    pub level: String,
    pub lo: Decimal,
    pub hi: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradeBand {
    pub min: Decimal,
    pub grade: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverCompletion {
    pub enabled: bool,
    pub threshold_pct: Decimal,
    /// Also flag "≤" rows that come in far under target.
    pub reverse: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FundColumn {
    /// 年初预算数
    Initial,
    /// 全年预算数
    FullYear,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct XForm {
    /// Which 附件3 column is compared with 附件1's {Y}年预算数.
    pub fund_budget_column: FundColumn,
    /// Severity of R-XFORM-PROJECT.
    pub project_total: Severity,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SatisfactionMode {
    /// S is the row's actual, scored against the target by the "≥" rule.
    Target,
    /// score = w × S.
    Direct,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Satisfaction {
    pub mode: SatisfactionMode,
    /// (option, weight in percent)
    pub options: Vec<(String, Decimal)>,
}

/// A profile that could not be loaded: where, and why (in Chinese).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: 评价规则有误：{}", self.file, self.line, self.col, self.message)
    }
}

impl std::error::Error for ProfileError {}

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

impl Profile {
    /// Parses and checks a profile. `file` names the source in error messages.
    pub fn from_ron(file: &str, text: &str) -> Result<Profile, ProfileError> {
        let profile: Profile = ron::from_str(text).map_err(|e| ProfileError {
            file: file.to_string(),
            line: e.position.line,
            col: e.position.col,
            message: crate::display::ron_message(&e.code),
        })?;
        profile.check().map_err(|(anchor, message)| {
            let (line, col) = locate(text, &anchor);
            ProfileError { file: file.to_string(), line, col, message }
        })?;
        Ok(profile)
    }

    /// Reads a profile file.
    pub fn load(path: &Path) -> Result<Profile, ProfileError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ProfileError { file: file.clone(), line: 0, col: 0, message: format!("无法读取：{e}") })?;
        Profile::from_ron(&file, &text).map(|p| Profile { source: Some(path.to_path_buf()), ..p })
    }

    /// The id, and the file it came from when not built in: "hunan-2023（文件 /path/x.ron）".
    pub fn label(&self) -> String {
        match &self.source {
            Some(file) => format!("{}（文件 {}）", self.id, file.display()),
            None => self.id.clone(),
        }
    }

    /// A profile shipped in the binary, by id.
    pub fn builtin(id: &str) -> Option<Profile> {
        BUILTIN
            .iter()
            .find(|(file, _)| file.strip_suffix(".ron") == Some(id))
            .map(|(file, text)| Profile::from_ron(&format!("templates/profiles/{file}"), text).expect("built-in profile is valid"))
    }

    /// Ids of the built-in profiles.
    pub fn builtin_ids() -> Vec<&'static str> {
        BUILTIN.iter().filter_map(|(f, _)| f.strip_suffix(".ron")).collect()
    }

    /// A profile by path or id. Lookup order:
    ///
    /// 1. `id_or_path` names an existing file: that file;
    /// 2. `ID.ron` in the user's profiles folder ([`user_profile_dir`]), which may add profiles
    ///    or override a built-in one of the same id;
    /// 3. the built-in profile `ID`.
    pub fn resolve(id_or_path: &str) -> Result<Profile, ProfileError> {
        Profile::resolve_in(id_or_path, user_profile_dir().as_deref())
    }

    /// [`Profile::resolve`] with an explicit user profiles folder (`None`: none).
    pub fn resolve_in(id_or_path: &str, user_dir: Option<&Path>) -> Result<Profile, ProfileError> {
        let path = Path::new(id_or_path);
        if path.is_file() {
            return Profile::load(path);
        }
        // Only a plain id is looked up in the folder: a draft's profile_id must not reach
        // outside it ("../x").
        let plain_id = !id_or_path.is_empty()
            && !id_or_path.starts_with('.')
            && !id_or_path.contains(['/', '\\', ':'])
            && path.components().count() == 1;
        if let (true, Some(dir)) = (plain_id, user_dir) {
            let file = dir.join(format!("{id_or_path}.ron"));
            if file.is_file() {
                let profile = Profile::load(&file)?;
                if profile.id != id_or_path {
                    // A draft records the id; it must find the same file again.
                    let text = std::fs::read_to_string(&file).unwrap_or_default();
                    let (line, col) = locate(&text, "id");
                    return Err(ProfileError {
                        file: file.display().to_string(),
                        line,
                        col,
                        message: format!("id 为“{}”，应与文件名“{id_or_path}”一致", profile.id),
                    });
                }
                return Ok(profile);
            }
        }
        if let Some(p) = Profile::builtin(id_or_path) {
            return Ok(p);
        }
        let folder = user_dir.map(|d| format!("；自定义：{}", d.display())).unwrap_or_default();
        Err(ProfileError {
            file: id_or_path.to_string(),
            line: 0,
            col: 0,
            message: format!("找不到评价规则“{id_or_path}”（内置：{}{folder}）", Profile::builtin_ids().join("、")),
        })
    }

    /// Semantic checks. On failure: (text to find in the source for line/col, message).
    fn check(&self) -> Result<(), (String, String)> {
        let total = self.exec_weight + self.categories.iter().map(|c| c.weight).sum::<Decimal>();
        if total != HUNDRED {
            return Err(("categories".into(), format!("执行率分值与各一级指标分值合计为{total}，应为100")));
        }
        if self.exec_weight < Decimal::ZERO {
            return Err(("exec_weight".into(), format!("预算执行率的分值为{}，不能为负数", self.exec_weight)));
        }
        if self.categories.is_empty() {
            return Err(("categories".into(), "至少需要一个一级指标".into()));
        }
        let mut names = std::collections::HashSet::new();
        for c in &self.categories {
            if !names.insert(c.name.as_str()) {
                return Err((quoted(&c.name), format!("一级指标“{}”重复", c.name)));
            }
            if c.weight <= Decimal::ZERO {
                return Err((quoted(&c.name), format!("一级指标“{}”的分值应大于0", c.name)));
            }
            if c.subs.is_empty() {
                return Err((quoted(&c.name), format!("一级指标“{}”下没有二级指标", c.name)));
            }
            let mut subs = std::collections::HashSet::new();
            for s in &c.subs {
                if !subs.insert(s.as_str()) {
                    return Err((quoted(s), format!("二级指标“{s}”在“{}”下重复", c.name)));
                }
            }
        }
        for o in &self.optional_categories {
            if !self.categories.iter().any(|c| &c.name == o) {
                return Err((quoted(o), format!("optional_categories 中的“{o}”不是一级指标")));
            }
        }
        // Qualitative bands: highest first, contiguous, from 100 down to 0.
        if self.qual_bands.is_empty() {
            return Err(("qual_bands".into(), "qual_bands 不能为空".into()));
        }
        let mut expected_hi = HUNDRED;
        for b in &self.qual_bands {
            if b.lo > b.hi || b.hi != expected_hi {
                return Err((quoted(&b.level), format!("定性等级“{}”区间{}–{}应紧接上一等级且下限不大于上限", b.level, b.lo, b.hi)));
            }
            expected_hi = b.lo;
        }
        if expected_hi != Decimal::ZERO {
            return Err(("qual_bands".into(), "定性等级区间应覆盖0–100".into()));
        }
        // Grade bands: strictly descending minimums, ending at 0.
        let mut prev: Option<Decimal> = None;
        for g in &self.grade_bands {
            if prev.is_some_and(|p| g.min >= p) || g.min < Decimal::ZERO || g.min > HUNDRED {
                return Err((quoted(&g.grade), format!("等级“{}”的下限{}应在0–100内并低于上一等级", g.grade, g.min)));
            }
            prev = Some(g.min);
        }
        if prev != Some(Decimal::ZERO) {
            return Err(("grade_bands".into(), "grade_bands 的最后一个等级下限应为0".into()));
        }
        for (name, w) in &self.satisfaction.options {
            if *w < Decimal::ZERO || *w > HUNDRED {
                return Err((quoted(name), format!("满意度选项“{name}”的权重{w}应在0–100之间")));
            }
        }
        if self.score_tolerance < Decimal::ZERO || self.over_completion.threshold_pct < Decimal::ZERO {
            return Err(("score_tolerance".into(), "容差和超额阈值不能为负".into()));
        }
        if self.money_scale > 6 {
            return Err(("money_scale".into(), "money_scale 应在0–6之间".into()));
        }
        for rule in self.severity_overrides.keys() {
            if crate::finding::RuleId::from_str_id(rule).is_none() {
                return Err((quoted(rule), format!("未知的规则编号“{rule}”")));
            }
            if !crate::finding::RuleId::from_str_id(rule).is_some_and(|r| r.severity_overridable()) {
                return Err((quoted(rule), format!("规则“{rule}”的级别不可更改")));
            }
        }
        Ok(())
    }

    pub fn category(&self, name: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.name == name)
    }

    /// Grade for a total score.
    pub fn grade(&self, total: Decimal) -> &str {
        self.grade_bands.iter().find(|g| total >= g.min).map_or("差", |g| g.grade.as_str())
    }
}

/// The folder where a user adds or overrides profiles (`ID.ron`): `ZIPIN_PROFILE_DIR` if set;
/// else `%APPDATA%\zipin\profiles` on Windows, `$XDG_CONFIG_HOME/zipin/profiles` or
/// `~/.config/zipin/profiles` elsewhere. The folder need not exist.
pub fn user_profile_dir() -> Option<PathBuf> {
    profile_dir_from(|k| std::env::var_os(k), cfg!(windows))
}

/// [`user_profile_dir`] with the environment given (tests).
fn profile_dir_from(env: impl Fn(&str) -> Option<OsString>, windows: bool) -> Option<PathBuf> {
    let var = |k: &str| env(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = var("ZIPIN_PROFILE_DIR") {
        return Some(dir);
    }
    let config = if windows {
        var("APPDATA")
    } else {
        // The XDG spec ignores a relative XDG_CONFIG_HOME.
        var("XDG_CONFIG_HOME").filter(|p| p.is_absolute()).or_else(|| var("HOME").map(|h| h.join(".config")))
    };
    config.map(|c| c.join("zipin").join("profiles"))
}

fn quoted(s: &str) -> String {
    format!("\"{s}\"")
}

/// 1-based line and column (in characters) of the first occurrence of `needle`, or 1:1.
fn locate(text: &str, needle: &str) -> (usize, usize) {
    match text.find(needle) {
        None => (1, 1),
        Some(i) => {
            let before = &text[..i];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            (line, col)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_load() {
        let h = Profile::builtin("hunan-2023").unwrap();
        assert_eq!(h.exec_weight, Decimal::TEN);
        assert_eq!(h.categories.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["产出指标", "效益指标", "满意度指标", "成本指标"]);
        let n = Profile::builtin("national-2020").unwrap();
        assert_eq!(n.category("产出指标").unwrap().weight, Decimal::from(50));
        assert!(n.category("成本指标").is_none());
    }

    #[test]
    fn weights_must_total_100_and_error_points_at_the_file() {
        let text = BUILTIN[0].1.replace("(name: \"成本指标\", weight: 20", "(name: \"成本指标\", weight: 25");
        let e = Profile::from_ron("x.ron", &text).unwrap_err();
        assert!(e.message.contains("105"), "{e}");
        assert!(e.line > 1, "{e}");
        assert!(e.to_string().starts_with("x.ron:"), "{e}");
    }

    #[test]
    fn bands_must_be_ordered() {
        let text = BUILTIN[0].1.replace("(level: \"部分达成\", lo: 60, hi: 80)", "(level: \"部分达成\", lo: 60, hi: 70)");
        let e = Profile::from_ron("x.ron", &text).unwrap_err();
        assert!(e.message.contains("部分达成"), "{e}");
        let line_of = BUILTIN[0].1.lines().position(|l| l.contains("部分达成")).unwrap() + 1;
        assert_eq!(e.line, line_of);
        let text = BUILTIN[0].1.replace("(min: 80, grade: \"良\")", "(min: 95, grade: \"良\")");
        assert!(Profile::from_ron("x.ron", &text).unwrap_err().message.contains("良"));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = Profile::from_ron("x.ron", "(id: \"a\", name: ").unwrap_err();
        assert!(e.line >= 1 && e.col > 1, "{e:?}");
        let e = Profile::from_ron("x.ron", &BUILTIN[0].1.replace("exec_weight: 10", "exec_weight: \"ten\"")).unwrap_err();
        assert!(e.line > 1, "{e:?}");
    }
    fn with_name(id: &str, name: &str) -> String {
        BUILTIN[0]
            .1
            .replacen("id: \"hunan-2023\"", &format!("id: \"{id}\""), 1)
            .replacen("name: \"湖南省", &format!("name: \"{name}"), 1)
    }

    #[test]
    fn resolve_looks_at_path_then_user_folder_then_builtin() {
        let dir = tempfile::tempdir().unwrap();
        let user = dir.path().join("profiles");
        // No folder, or an empty one: the built-in.
        assert_eq!(Profile::resolve_in("hunan-2023", None).unwrap(), Profile::builtin("hunan-2023").unwrap());
        assert_eq!(Profile::resolve_in("hunan-2023", Some(&user)).unwrap(), Profile::builtin("hunan-2023").unwrap());
        // The user folder overrides a built-in of the same id and adds new ones.
        std::fs::create_dir(&user).unwrap();
        std::fs::write(user.join("hunan-2023.ron"), with_name("hunan-2023", "本单位")).unwrap();
        std::fs::write(user.join("county-2024.ron"), with_name("county-2024", "县级")).unwrap();
        assert!(Profile::resolve_in("hunan-2023", Some(&user)).unwrap().name.starts_with("本单位"));
        assert!(Profile::resolve_in("county-2024", Some(&user)).unwrap().name.starts_with("县级"));
        assert!(Profile::resolve_in("national-2020", Some(&user)).unwrap() == Profile::builtin("national-2020").unwrap());
        assert!(Profile::resolve_in("county-2024", None).is_err());
        // A path comes first.
        let file = dir.path().join("mine.ron");
        std::fs::write(&file, with_name("mine", "路径")).unwrap();
        assert!(Profile::resolve_in(file.to_str().unwrap(), Some(&user)).unwrap().name.starts_with("路径"));
        // Only plain ids are looked up in the folder.
        std::fs::write(dir.path().join("outside.ron"), with_name("outside", "外")).unwrap();
        assert!(Profile::resolve_in("../outside", Some(&user)).is_err());
        // The id inside must match the file name (a draft finds its profile by id).
        std::fs::write(user.join("other.ron"), with_name("not-other", "错")).unwrap();
        let e = Profile::resolve_in("other", Some(&user)).unwrap_err();
        assert!(e.message.contains("not-other") && e.file.ends_with("other.ron") && e.line > 0, "{e}");
        // A broken override is reported, not silently replaced by the built-in.
        std::fs::write(user.join("national-2020.ron"), "(id: ").unwrap();
        assert!(Profile::resolve_in("national-2020", Some(&user)).unwrap_err().file.ends_with("national-2020.ron"));
        let e = Profile::resolve_in("nowhere", Some(&user)).unwrap_err();
        assert!(e.message.contains("hunan-2023") && e.message.contains("profiles"), "{e}");
    }

    #[test]
    fn user_profile_dir_by_platform() {
        fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
            move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| OsString::from(v))
        }
        let linux = [("HOME", "/home/a"), ("XDG_CONFIG_HOME", "/cfg"), ("APPDATA", "C:/x")];
        assert_eq!(profile_dir_from(env(&linux), false), Some(PathBuf::from("/cfg/zipin/profiles")));
        assert_eq!(profile_dir_from(env(&[("HOME", "/home/a"), ("XDG_CONFIG_HOME", "rel")]), false), Some(PathBuf::from("/home/a/.config/zipin/profiles")));
        assert_eq!(profile_dir_from(env(&[("HOME", "/home/a"), ("XDG_CONFIG_HOME", "")]), false), Some(PathBuf::from("/home/a/.config/zipin/profiles")));
        assert_eq!(profile_dir_from(env(&linux), true), Some(PathBuf::from("C:/x").join("zipin").join("profiles")));
        assert_eq!(profile_dir_from(env(&[("ZIPIN_PROFILE_DIR", "/p"), ("HOME", "/h")]), false), Some(PathBuf::from("/p")));
        assert_eq!(profile_dir_from(env(&[("ZIPIN_PROFILE_DIR", "/p")]), true), Some(PathBuf::from("/p")));
        assert_eq!(profile_dir_from(env(&[]), false), None);
    }
}

//! The scoring and validation engine: one pure function from (workbook, profile) to an evaluation.
//!
//! `evaluate` computes every derived value (控制率, 执行率 and its score, each indicator's score,
//! category subtotals, 总分, 等级) and every finding of rules.md. It never mutates the workbook
//! and never fails: whatever the input, the result is values plus findings. Exact decimals
//! throughout; rounding happens once per row score (rules.md §2) and otherwise only on display.
//!
//! One file per family of rules: `funds` (附件1 and the funds rows of 附件2/3), `indicators`
//! (the 绩效指标 grid), `totals` (weights, totals, grade), `crossform` (checks between forms).

mod crossform;
pub use crate::finding;
mod funds;
mod indicators;
mod totals;

use rust_decimal::Decimal;

pub use crate::finding::{Finding, Form, Location, RuleId, Severity};
pub use indicators::{score_quantitative, RowKind};

use crate::model::{Money, Workbook};
use crate::profile::Profile;

/// Everything the engine derives from a workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub basic: BasicEval,
    pub department: FormEval,
    pub projects: Vec<FormEval>,
    /// Findings in form order (附件1, 附件2, 附件3 by project, cross-form last).
    pub findings: Vec<Finding>,
}

impl Evaluation {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
    /// Findings whose location is this cell.
    pub fn at<'a>(&'a self, location: &'a Location) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| &f.location == location)
    }
}

/// Three columns of an 附件1 subtotal row, blanks counted as 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sum3 {
    pub prev: Decimal,
    pub budget: Decimal,
    pub fin: Decimal,
}

impl Sum3 {
    pub fn get(&self, column: &str) -> Decimal {
        match column {
            "prev" => self.prev,
            "budget" => self.budget,
            _ => self.fin,
        }
    }
}

/// Derived values of 附件1.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BasicEval {
    /// 控制率 = 实际在职人数 / 编制数 (a ratio; `None` when 编制数 is 0 or blank).
    pub control_rate: Option<Decimal>,
    /// E1 "三公"经费 = E2 + E5 + E6
    pub three_public: Sum3,
    /// E2 公务用车购置和维护经费 = E3 + E4
    pub vehicles: Sum3,
    /// E7 项目支出 = E8 + E9 + E10
    pub projects: Sum3,
    /// E10 县级专项资金 = Σ E10.k
    pub special: Sum3,
    /// Per building: (规模控制率, 投资概算控制率).
    pub buildings: Vec<(Option<Decimal>, Option<Decimal>)>,
}

/// The three money columns of a funds row, blanks counted as 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FundValues {
    pub initial: Decimal,
    pub full_year: Decimal,
    pub executed: Decimal,
}

/// Derived values of one self-evaluation form (附件2, or one 附件3).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FormEval {
    /// 年度资金总额 as scored (附件3: the sum of the source rows, or the printed total of a filed form).
    pub funds: FundValues,
    /// 附件3: Σ of the source rows per column (for display next to a printed total).
    pub source_sum: FundValues,
    /// 附件2 按收入性质分 total.
    pub income_total: Decimal,
    /// 附件2 按支出性质分 total (printed in the label, "按支出性质分：1005.67").
    pub expend_total: Decimal,
    pub exec_weight: Decimal,
    /// 执行率 = 全年执行数 / 全年预算数 (unrounded ratio; `None` when the budget is 0 or blank).
    pub exec_rate: Option<Decimal>,
    /// min(rate, 100%) × 分值, rounded half-up to 2 dp.
    pub exec_score: Decimal,
    pub rows: Vec<RowEval>,
    pub categories: Vec<CategoryEval>,
    /// 执行率分值 + Σ row 分值.
    pub total_weight: Decimal,
    /// 执行率得分 + Σ row 得分 (each rounded to 2 dp).
    pub total_score: Decimal,
    /// The most points this form can score (100 less the weight of optional categories left out).
    pub max_score: Decimal,
    pub grade: String,
    /// The grade is provisional while errors remain ("（暂定）").
    pub provisional: bool,
}

impl FormEval {
    /// "优", or "优（暂定）" while errors remain.
    pub fn grade_label(&self) -> String {
        if self.provisional {
            format!("{}（暂定）", self.grade)
        } else {
            self.grade.clone()
        }
    }
}

/// One indicator row as scored.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowEval {
    pub kind: RowKind,
    /// The engine's score (quantitative rows, questionnaires), rounded to 2 dp.
    pub computed: Option<Decimal>,
    /// The score that counts: computed when it can be, else the entered (or printed) one.
    pub score: Option<Decimal>,
    /// Qualitative level, as chosen or inferred from the score.
    pub level: Option<String>,
    /// Satisfaction rate S in percent, when the row carries a questionnaire.
    pub satisfaction: Option<Decimal>,
    /// Index of the row's 一级 in the profile; `None` when it is not one of the profile's.
    pub category: Option<usize>,
}

/// A 一级 category's roll-up.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CategoryEval {
    pub name: String,
    /// The profile's weight.
    pub weight: Decimal,
    /// Σ 分值 of its rows.
    pub weight_sum: Decimal,
    /// Σ 得分 of its rows.
    pub score_sum: Decimal,
    pub rows: usize,
}

/// A HashMap with FNV-1a hashing: the engine's keys are short strings and small tuples hashed
/// on every keystroke, where SipHash's DoS resistance buys nothing.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

#[derive(Default)]
pub(crate) struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// Collects findings, applying the profile's severity overrides.
pub(crate) struct Sink<'p> {
    profile: &'p Profile,
    pub findings: Vec<Finding>,
}

impl<'p> Sink<'p> {
    fn new(profile: &'p Profile) -> Self {
        Sink { profile, findings: Vec::new() }
    }

    pub fn push(&mut self, rule: RuleId, location: Location, message: String) {
        self.push_with(rule, rule.default_severity(), location, message);
    }

    /// For rules whose severity depends on the case (R-RATE-STATED: info or warning).
    pub fn push_with(&mut self, rule: RuleId, severity: Severity, location: Location, message: String) {
        let severity = if rule.severity_overridable() {
            self.profile.severity_overrides.get(rule.as_str()).copied().unwrap_or(severity)
        } else {
            severity
        };
        self.findings.push(Finding { rule, severity, location, message });
    }

    /// R-NEGATIVE and R-NUM-FORMAT (too many decimals) for a stored money cell.
    pub fn money(&mut self, value: Option<Money>, location: impl FnOnce() -> Location, field: impl std::fmt::Display) {
        let Some(v) = value else { return };
        if v.is_sign_negative() && !v.is_zero() {
            self.push(RuleId::Negative, location(), format!("「{field}」不能为负数"));
        } else if v.normalize().scale() > self.profile.money_scale {
            self.push(
                RuleId::NumFormat,
                location(),
                format!("「{field}」不是有效数值：{v}（金额最多{}位小数）", self.profile.money_scale),
            );
        }
    }

    /// R-REQUIRED for a blank text.
    pub fn required_text(&mut self, text: &str, location: impl FnOnce() -> Location, field: &str) {
        if text.trim().is_empty() {
            self.push(RuleId::Required, location(), format!("「{field}」为必填项"));
        }
    }
}

/// A cell's name in a message: its row and its column, `公用经费（决算数）`, formatted only when a
/// finding needs it.
pub struct RowCol<'a>(pub &'a str, pub &'a str);

impl std::fmt::Display for RowCol<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}（{}）", self.0.trim_start_matches("其中：").trim(), self.1)
    }
}

/// Evaluates a workbook. Projects are scored with the same profile as the department form;
/// use [`evaluate_with`] to honour per-project profiles.
pub fn evaluate(workbook: &Workbook, profile: &Profile) -> Evaluation {
    evaluate_with(workbook, profile, |_| None)
}

/// Evaluates a workbook; `project_profile(id)` supplies the profile of a project whose
/// `profile_id` differs from the workbook's (falls back to `profile`).
pub fn evaluate_with<'a>(
    workbook: &Workbook,
    profile: &'a Profile,
    project_profile: impl Fn(&str) -> Option<&'a Profile>,
) -> Evaluation {
    let mut sink = Sink::new(profile);
    funds::common(workbook, &mut sink);
    let basic = funds::basic(workbook, &mut sink);
    let mut department = funds::department(workbook, &mut sink);
    let dept_keys = indicators::grid(&workbook.department.indicators, Form::A2, None, &mut department, &mut sink);
    totals::form(&workbook.department.indicators, workbook.department.stated.as_ref(), Form::A2, None, &mut department, profile, &mut sink);
    let dept_findings = sink.findings.len();

    let mut projects = Vec::with_capacity(workbook.projects.len());
    let mut project_ranges = Vec::with_capacity(workbook.projects.len());
    let mut project_keys = Vec::with_capacity(workbook.projects.len());
    for (i, project) in workbook.projects.iter().enumerate() {
        let p = project
            .profile_id
            .as_deref()
            .filter(|id| *id != profile.id)
            .and_then(&project_profile)
            .unwrap_or(profile);
        let mut own = Sink::new(p);
        let start = sink.findings.len();
        let mut eval = funds::project(project, i, &mut own);
        project_keys.push(indicators::grid(&project.indicators, Form::A3, Some(i), &mut eval, &mut own));
        totals::form(&project.indicators, project.stated.as_ref(), Form::A3, Some(i), &mut eval, p, &mut own);
        sink.findings.append(&mut own.findings);
        project_ranges.push(start..sink.findings.len());
        projects.push(eval);
    }

    let before_cross = sink.findings.len();
    crossform::check(workbook, &basic, &department, &projects, (&dept_keys, &project_keys), profile, &mut sink);

    // Only the forms the filing comprises count (model::Scope).
    let scope = workbook.scope;
    let error = |f: &&Finding| f.severity == Severity::Error && in_scope(scope, f);
    // A grade is provisional while its form, 附件1, or a cross-form check still has an error.
    let shared = sink.findings[..dept_findings].iter().chain(&sink.findings[before_cross..]).any(|f| error(&f));
    department.provisional = shared;
    for (eval, range) in projects.iter_mut().zip(project_ranges) {
        let own = sink.findings[range].iter().any(|f| error(&f));
        let cross = sink.findings[before_cross..].iter().any(|f| error(&f));
        eval.provisional = own || cross;
    }
    sink.findings.retain(|f| in_scope(scope, f));
    let mut eval = Evaluation { basic, department, projects, findings: sink.findings };
    apply_unparsed(&mut eval, &workbook.unparsed);
    eval
}

/// Whether a finding concerns the filing of `scope`: its form is filed, and a cross-form check
/// compares two filed forms. The cells every form prints (预算部门名称, 年度, the signature block)
/// belong to every filing.
pub fn in_scope(scope: crate::model::Scope, f: &Finding) -> bool {
    if scope == crate::model::Scope::ALL {
        // Every form filed (the usual case, on every keystroke): nothing to drop.
        return true;
    }
    let l = &f.location;
    let shared = matches!((l.form, l.row.as_str(), l.column.as_str()), (Form::A2, "header", "unit") | (Form::A1, "header", "year") | (_, "footer", _));
    if shared {
        return true;
    }
    // 附件1's special funds and 附件2's indicators against each 附件3.
    let across = matches!(f.rule, RuleId::XformFund | RuleId::XformIndicator);
    match l.form {
        Form::A1 | Form::A2 => scope.department && (!across || scope.projects),
        Form::A3 => scope.projects && (!across || scope.department),
        Form::A4 => scope.has_report(),
    }
}

/// Cells whose typed text is not a valid value. Each gets its own
/// R-NUM-FORMAT, which replaces whatever was found about the (blank) cell, and the grades its
/// value feeds become provisional. Used for a draft's saved `unparsed` text and for the text the
/// window holds while the user types.
pub fn apply_unparsed(eval: &mut Evaluation, cells: &[crate::model::Unparsed]) {
    let mut bad: Vec<Finding> = cells.iter().map(|u| Finding::num_format(u.cell.clone(), &u.label, u.text.trim())).collect();
    if bad.is_empty() {
        return;
    }
    let at: std::collections::BTreeSet<&Location> = bad.iter().map(|f| &f.location).collect();
    eval.findings.retain(|f| !at.contains(&f.location));
    for f in &bad {
        match f.location.form {
            Form::A3 => {
                if let Some(e) = f.location.project.and_then(|p| eval.projects.get_mut(p)) {
                    e.provisional = true;
                }
            }
            _ => {
                eval.department.provisional = true;
                if f.location.form == Form::A1 {
                    eval.projects.iter_mut().for_each(|p| p.provisional = true);
                }
            }
        }
    }
    bad.append(&mut eval.findings);
    eval.findings = bad;
}

//! Every editable cell, addressed by its [`Location`] (forms.md §0.2): what kind of value it holds,
//! how its current value reads as text, and how typed text is written into the workbook.
//!
//! This is the one place that maps an address to a field of the model; screens, undo, jump-to-problem
//! and the tests all go through it. Nothing of the window here.
//!
//! One table: [`Cell`] is the typed address of an input cell. [`Cell::from_location`] is the only
//! parser of row and column text and [`Cell::location`] writes it back; [`Cell::kind`] says what
//! each cell is; [`Cell::slot`] / [`Cell::slot_mut`] are expanded from one mapping to the model.
//! Columns of a row (`prev`, `executed`, `target` …) come from `columns!` tables: one line gives
//! a column its id, label, kind and field.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::engine::{Form, Location};
use crate::model::{
    BasicData, Building, DeptSelfEval, Footer, FundTotal, IndicatorRow, Nature, ProjectSelfEval, Questionnaire, ReportCount,
    ReportFigures, ReportLine, ReportProject, Row3, Sources, Workbook, INPUT_ROWS,
};
use crate::parse::{self, IndicatorValue, ParseError};

/// What a cell holds, which decides how typed text is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 万元, or m² for building sizes.
    Money,
    /// Persons, posts; also the year.
    Count,
    /// 分值 / 得分.
    Score,
    Date,
    /// Free text, one line.
    Text,
    /// Free text that may run over several lines.
    LongText,
    /// 年度指标值 / 实际完成值.
    Indicator,
}

impl Kind {
    /// Cells whose text is parsed into a number or date (and may therefore fail to parse).
    pub fn is_parsed(self) -> bool {
        matches!(self, Kind::Money | Kind::Count | Kind::Score | Kind::Date)
    }
}

/// The field behind a cell: [`SlotRef`] to read it, [`Slot`] to write it (one declaration for both).
macro_rules! slot_enum {
    ($(#[$doc:meta])* $Name:ident [$($m:tt)*]) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub enum $Name<'a> {
            /// 万元, m², 分值 …
            Money(&'a $($m)* Option<Decimal>),
            Count(&'a $($m)* Option<u32>),
            Year(&'a $($m)* u16),
            Date(&'a $($m)* Option<NaiveDate>),
            Text(&'a $($m)* String),
            Indicator(&'a $($m)* IndicatorValue),
            /// 得分 and the 得分 a filed form printed: reads as the first that is set; a typed
            /// score replaces the printed one.
            Score(&'a $($m)* Option<Decimal>, &'a $($m)* Option<Decimal>),
            /// A row's questionnaire, for its N (blank when 0).
            Respondents(&'a $($m)* Option<Questionnaire>),
            /// A row's questionnaire, for the count of one option (blank when 0).
            SatOption(&'a $($m)* Option<Questionnaire>, &'a str),
            /// The indicator rows a quoted count speaks of, read and typed as one list.
            Rows(&'a $($m)* Vec<String>),
            /// Yes or no, read as 是 or blank.
            Flag(&'a $($m)* bool),
            /// The report's text; `None` reads as the built-in template.
            Narrative(&'a $($m)* Option<String>),
        }
    };
}
slot_enum!(
    /// A cell's field, to read.
    SlotRef []
);
slot_enum!(
    /// A cell's field, to write.
    Slot [mut]
);

/// The fields of a model struct `T` named by a column enum (see `columns!`).
pub trait Columns<T> {
    fn slot(self, of: &T) -> SlotRef<'_>;
    fn slot_mut(self, of: &mut T) -> Slot<'_>;
}

/// A column enum from one table, a line a column: `Variant = "id" "label" Kind => Slot(field, …)`.
/// Gives the enum its `TABLE` of (id, label, kind), `ALL`, `id`, `label`, `kind`, `parse`, and
/// [`Columns`] for each struct named after `on`.
macro_rules! columns {
    ($(#[$doc:meta])* $Name:ident on [$($T:ty),+] $body:tt) => {
        columns!(@enum [$(#[$doc])*] $Name $body);
        $(columns!(@fields $Name $T $body);)+
    };
    (@enum [$($attr:tt)*] $Name:ident { $($V:ident = $id:literal $label:literal $kind:ident => $S:ident($($f:ident),+),)+ }) => {
        $($attr)*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $Name {
            $($V),+
        }
        impl $Name {
            const N: usize = [$($id),+].len();
            /// (id, label, kind) of every column, in printed order.
            pub const TABLE: [(&'static str, &'static str, Kind); $Name::N] = [$(($id, $label, Kind::$kind)),+];
            pub const ALL: [$Name; $Name::N] = [$($Name::$V),+];
            pub fn id(self) -> &'static str {
                Self::TABLE[self as usize].0
            }
            pub fn label(self) -> &'static str {
                Self::TABLE[self as usize].1
            }
            pub fn kind(self) -> Kind {
                Self::TABLE[self as usize].2
            }
            pub fn parse(id: &str) -> Option<$Name> {
                Self::ALL.iter().copied().find(|c| c.id() == id)
            }
        }
    };
    (@fields $Name:ident $T:ty { $($V:ident = $id:literal $label:literal $kind:ident => $S:ident($($f:ident),+),)+ }) => {
        impl Columns<$T> for $Name {
            fn slot(self, of: &$T) -> SlotRef<'_> {
                match self {
                    $($Name::$V => SlotRef::$S($(&of.$f),+),)+
                }
            }
            fn slot_mut(self, of: &mut $T) -> Slot<'_> {
                match self {
                    $($Name::$V => Slot::$S($(&mut of.$f),+),)+
                }
            }
        }
    };
}

columns! {
    /// The three columns of an 附件1 row (`E3` … `E16`, `E10.k`).
    Col3 on [Row3] {
        Prev = "prev" "上年决算数" Money => Money(prev),
        Budget = "budget" "预算数" Money => Money(budget),
        Final = "final" "决算数" Money => Money(fin),
    }
}
columns! {
    /// 年初预算数 / 全年预算数 / 全年执行数 of a funds row (附件2 `fund.total`, 附件3 `fund.<source>`).
    FundCol on [FundTotal] {
        Initial = "initial" "年初预算数" Money => Money(initial),
        FullYear = "full_year" "全年预算数" Money => Money(full_year),
        Executed = "executed" "全年执行数" Money => Money(executed),
    }
}
columns! {
    /// 附件1 `staff`.
    StaffCol on [BasicData] {
        Posts = "posts" "编制数" Count => Count(posts),
        InPost = "in_post" "实际在职人数" Count => Count(in_post),
    }
}
columns! {
    /// 附件1 `building#k`.
    BuildingCol on [Building] {
        Name = "name" "项目名称" Text => Text(name),
        ApprovedM2 = "approved_m2" "批复规模" Money => Money(approved_m2),
        ActualM2 = "actual_m2" "实际规模" Money => Money(actual_m2),
        BudgetInv = "budget_inv" "预算投资" Money => Money(budget_inv),
        ActualInv = "actual_inv" "实际投资" Money => Money(actual_inv),
    }
}
columns! {
    /// The signature line, `footer` (addressed on 附件1, printed under each form).
    FooterCol on [Footer] {
        Preparer = "preparer" "填表人" Text => Text(preparer),
        Date = "date" "填报日期" Date => Date(date),
        Phone = "phone" "联系电话" Text => Text(phone),
        Head = "head" "单位负责人" Text => Text(head),
    }
}
columns! {
    /// 附件2 按支出性质分: the rows `nature.<id>`, column `amount`.
    NatureRow on [Nature] {
        Basic = "basic" "基本支出" Money => Money(basic),
        Project = "project" "项目支出" Money => Money(project),
    }
}
columns! {
    /// 年度总体目标 of 附件2 and of each 附件3: `goal`.
    GoalCol on [DeptSelfEval, ProjectSelfEval] {
        Expected = "expected" "预期目标" LongText => Text(goal_expected),
        Actual = "actual" "实际完成情况" LongText => Text(goal_actual),
    }
}
columns! {
    /// 附件3 `header`.
    HeaderCol on [ProjectSelfEval] {
        Name = "name" "项目支出名称" Text => Text(name),
        CompetentDept = "competent_dept" "主管部门" Text => Text(competent_dept),
        Implementer = "implementer" "实施单位" Text => Text(implementer),
    }
}
columns! {
    /// The input columns of an indicator row `ind#n` (labels follow 第n行).
    IndCol on [IndicatorRow] {
        Name = "name" "三级指标" Text => Text(name),
        Target = "target" "年度指标值" Indicator => Indicator(target),
        Actual = "actual" "实际完成值" Indicator => Indicator(actual),
        Weight = "weight" "分值" Score => Money(weight),
        Score = "score" "得分" Score => Score(score, stated_score),
        Reason = "reason" "偏差原因分析及改进措施" LongText => Text(reason),
    }
}
columns! {
    /// 附件4 key figures (forms.md §5), by the rows R-REPORT-FIGURE names; column `amount`.
    FigureRow on [ReportFigures] {
        Basic = "report.basic" "基本支出" Money => Money(basic),
        Personnel = "report.personnel" "人员经费" Money => Money(personnel),
        PersonnelShare = "report.personnel_share" "人员经费占基本支出比例(%)" Score => Money(personnel_share),
        PublicFunds = "report.public_funds" "公用经费" Money => Money(public_funds),
        PublicShare = "report.public_share" "公用经费占基本支出比例(%)" Score => Money(public_share),
        ThreePublic = "report.three_public" "\"三公\"经费" Money => Money(three_public),
        Project = "report.project" "项目支出" Money => Money(project),
        DeptScore = "report.dept_score" "部门整体自评得分" Score => Money(dept_score),
        DeptGrade = "report.dept_grade" "部门整体自评等级" Text => Text(dept_grade),
    }
}
columns! {
    /// A 项目支出 breakdown line of 附件4 (labels follow 第k条).
    LineCol on [ReportLine] {
        Name = "name" "项目支出明细名称" Text => Text(name),
        Amount = "amount" "项目支出明细金额" Money => Money(amount),
        Source = "source" "项目支出明细资金来源" Text => Text(source),
    }
}
columns! {
    /// A project the report quotes (labels follow 报告第k个).
    ProjectCol on [ReportProject] {
        Name = "name" "项目名称" Text => Text(name),
        Budget = "budget" "项目预算数" Money => Money(budget),
        Paid = "paid" "项目支出数" Money => Money(paid),
        Score = "score" "项目得分" Score => Money(score),
    }
}
columns! {
    /// A count the report quotes (labels follow 报告第k个).
    CountCol on [ReportCount] {
        Name = "name" "引用数量的名称" Text => Text(name),
        Value = "value" "引用数量" Text => Text(value),
        Rows = "rows" "引用数量对应的指标行" Text => Rows(rows),
        Scope = "scope" "引用数量口径可能不同" Text => Flag(different_scope),
    }
}

/// (id, label) of a column table, as a fixed array.
const fn pairs<const N: usize>(t: [(&'static str, &'static str, Kind); N]) -> [(&'static str, &'static str); N] {
    let mut out = [("", ""); N];
    let mut i = 0;
    while i < N {
        out[i] = (t[i].0, t[i].1);
        i += 1;
    }
    out
}

/// The ids of a column table, as a fixed array.
const fn ids<const N: usize>(t: [(&'static str, &'static str, Kind); N]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = t[i].0;
        i += 1;
    }
    out
}

/// A1 fund-like row ids (`E3` … `E16`) and the three columns.
pub const ROW3_COLUMNS: [(&str, &str); 3] = pairs(Col3::TABLE);
/// 年初预算数 / 全年预算数 / 全年执行数.
pub const FUND_COLUMNS: [(&str, &str); 3] = pairs(FundCol::TABLE);
/// Indicator grid columns that hold input.
pub const INDICATOR_COLUMNS: [&str; 6] = ids(IndCol::TABLE);
/// 附件4 key figures (forms.md §5), by the rows R-REPORT-FIGURE names: (row, label, kind).
pub const REPORT_FIGURES: [(&str, &str, Kind); 9] = FigureRow::TABLE;

/// Questionnaire cells of a satisfaction row (rules.md §4.4): N, and n_i per option
/// (`sat:非常满意`).
pub const SAT_RESPONDENTS: &str = "sat.n";
pub const SAT_OPTION: &str = "sat:";

/// The address of option `option`'s count on row `n`.
pub fn sat_option(form: Form, project: Option<usize>, n: usize, option: &str) -> Location {
    Location::new(form, project, format!("ind#{n}"), format!("{SAT_OPTION}{option}"))
}

/// A 项目支出 breakdown line: `report.breakdown#k`.
pub const REPORT_LINE: &str = "report.breakdown#";
/// A project quoted by the report: `report.project#k`.
pub const REPORT_PROJECT: &str = "report.project#";
/// A count quoted by the report: `report.count#k` (the engine's findings use this row too).
pub const REPORT_COUNT: &str = "report.count#";
/// The report's text (a template, see `crate::narrative`).
pub const NARRATIVE_ROW: &str = "narrative";

const INDICATOR_ROW: &str = "ind#";
const SPECIAL_FUND: &str = "E10.";
const BUILDING: &str = "building#";

/// The forms with a 年度总体目标 and an indicator grid: 附件2, or the 附件3 of project `p` (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Grid {
    Dept,
    Project(usize),
}

impl Grid {
    pub fn form(self) -> Form {
        match self {
            Grid::Dept => Form::A2,
            Grid::Project(_) => Form::A3,
        }
    }
    pub fn project(self) -> Option<usize> {
        match self {
            Grid::Dept => None,
            Grid::Project(p) => Some(p),
        }
    }
}

/// The typed address of an input cell. Row numbers `k`, `n` are 1-based as printed; projects are
/// 0-based as in [`Location`]. Row ids of the model's own tables (`E3`, `general_budget`,
/// `current_approp`) are the `&'static str` of that table.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cell {
    /// `A1.header.year`
    Year,
    /// `A1.staff.posts`, `A1.staff.in_post`
    Staff(StaffCol),
    /// `A1.E3.prev` … `A1.E16.final`: a row of [`INPUT_ROWS`].
    Expense(&'static str, Col3),
    /// `A1.E10.k.name`
    SpecialName(usize),
    /// `A1.E10.k.prev` …
    Special(usize, Col3),
    /// `A1.building#k.name` …
    Building(usize, BuildingCol),
    /// `A1.austerity.text`
    Austerity,
    /// `A1.footer.preparer` …
    Footer(FooterCol),
    /// `A2.header.unit`
    Unit,
    /// `A2.fund.total.initial` …
    DeptFund(FundCol),
    /// `A2.source.general_budget.amount` …: a row of [`Sources::ROWS`].
    Source(&'static str),
    /// `A2.nature.basic.amount`, `A2.nature.project.amount`
    Nature(NatureRow),
    /// `A2.goal.expected`, `A3[p].goal.actual` …
    Goal(Grid, GoalCol),
    /// `A3[p].header.name` …
    ProjectHeader(usize, HeaderCol),
    /// `A3[p].fund.current_approp.initial` …: a row of [`ProjectSelfEval::SOURCES`].
    ProjectFund(usize, &'static str, FundCol),
    /// `A2.ind#n.target`, `A3[p].ind#n.score` …
    Indicator(Grid, usize, IndCol),
    /// `A2.ind#n.sat.n`
    Respondents(Grid, usize),
    /// `A2.ind#n.sat:非常满意`
    SatOption(Grid, usize, String),
    /// `A4.report.basic.amount` …
    Figure(FigureRow),
    /// `A4.report.breakdown#k.name` …
    Breakdown(usize, LineCol),
    /// `A4.report.project#k.budget` …
    ReportProject(usize, ProjectCol),
    /// `A4.report.count#k.value` …
    ReportCount(usize, CountCol),
    /// `A4.narrative.template`
    Narrative,
}

/// k of `PREFIXk`, 1-based and written the one way [`Cell::location`] writes it.
fn numbered(row: &str, prefix: &str) -> Option<usize> {
    let s = row.strip_prefix(prefix)?;
    s.parse().ok().filter(|k: &usize| *k > 0 && k.to_string() == s)
}

impl Cell {
    /// The input cell at `loc`, or `None` when `loc` is not one (a computed cell, a category
    /// header, a misspelt address …). The one parser of row and column text.
    pub fn from_location(loc: &Location) -> Option<Cell> {
        use Cell as C;
        let (row, col) = (loc.row.as_str(), loc.column.as_str());
        let grid = match (loc.form, loc.project) {
            (Form::A2, None) => Some(Grid::Dept),
            (Form::A3, Some(p)) => Some(Grid::Project(p)),
            (Form::A1 | Form::A4, None) => None,
            _ => return None,
        };
        if let Some(n) = numbered(row, INDICATOR_ROW) {
            let g = grid?;
            return Some(match (col, col.strip_prefix(SAT_OPTION)) {
                (SAT_RESPONDENTS, _) => C::Respondents(g, n),
                (_, Some(option)) => C::SatOption(g, n, option.to_string()),
                _ => C::Indicator(g, n, IndCol::parse(col)?),
            });
        }
        if row == "goal" {
            return Some(C::Goal(grid?, GoalCol::parse(col)?));
        }
        let amount = col == "amount";
        Some(match loc.form {
            Form::A1 => match row {
                "header" if col == "year" => C::Year,
                "staff" => C::Staff(StaffCol::parse(col)?),
                "austerity" if col == "text" => C::Austerity,
                "footer" => C::Footer(FooterCol::parse(col)?),
                _ => {
                    if let Some(k) = numbered(row, SPECIAL_FUND) {
                        if col == "name" {
                            C::SpecialName(k)
                        } else {
                            C::Special(k, Col3::parse(col)?)
                        }
                    } else if let Some(k) = numbered(row, BUILDING) {
                        C::Building(k, BuildingCol::parse(col)?)
                    } else {
                        C::Expense(INPUT_ROWS.iter().find(|(id, _)| *id == row)?.0, Col3::parse(col)?)
                    }
                }
            },
            Form::A2 => match row {
                "header" if col == "unit" => C::Unit,
                "fund.total" => C::DeptFund(FundCol::parse(col)?),
                _ if amount => match (row.strip_prefix("source."), row.strip_prefix("nature.")) {
                    (Some(id), _) => C::Source(Sources::ROWS.iter().find(|(x, _)| *x == id)?.0),
                    (_, Some(id)) => C::Nature(NatureRow::parse(id)?),
                    _ => return None,
                },
                _ => return None,
            },
            Form::A3 => {
                let p = loc.project?;
                match row {
                    "header" => C::ProjectHeader(p, HeaderCol::parse(col)?),
                    _ => {
                        let id = row.strip_prefix("fund.")?;
                        C::ProjectFund(p, ProjectSelfEval::SOURCES.iter().find(|(x, _)| *x == id)?.0, FundCol::parse(col)?)
                    }
                }
            }
            Form::A4 => {
                if row == NARRATIVE_ROW {
                    return (col == "template").then_some(C::Narrative);
                } else if let Some(k) = numbered(row, REPORT_LINE) {
                    C::Breakdown(k, LineCol::parse(col)?)
                } else if let Some(k) = numbered(row, REPORT_PROJECT) {
                    C::ReportProject(k, ProjectCol::parse(col)?)
                } else if let Some(k) = numbered(row, REPORT_COUNT) {
                    C::ReportCount(k, CountCol::parse(col)?)
                } else if amount {
                    C::Figure(FigureRow::parse(row)?)
                } else {
                    return None;
                }
            }
        })
    }

    /// The cell's address; [`Cell::from_location`] reads it back as this cell.
    pub fn location(&self) -> Location {
        use Cell as C;
        let a1 = |row: String, col: &str| Location::new(Form::A1, None, row, col);
        let a2 = |row: String, col: &str| Location::new(Form::A2, None, row, col);
        let a3 = |p: usize, row: String, col: &str| Location::new(Form::A3, Some(p), row, col);
        let a4 = |row: String, col: &str| Location::new(Form::A4, None, row, col);
        let on = |g: Grid, row: String, col: &str| Location::new(g.form(), g.project(), row, col);
        match self {
            C::Year => a1("header".into(), "year"),
            C::Staff(c) => a1("staff".into(), c.id()),
            C::Expense(id, c) => a1(id.to_string(), c.id()),
            C::SpecialName(k) => a1(format!("{SPECIAL_FUND}{k}"), "name"),
            C::Special(k, c) => a1(format!("{SPECIAL_FUND}{k}"), c.id()),
            C::Building(k, c) => a1(format!("{BUILDING}{k}"), c.id()),
            C::Austerity => a1("austerity".into(), "text"),
            C::Footer(c) => a1("footer".into(), c.id()),
            C::Unit => a2("header".into(), "unit"),
            C::DeptFund(c) => a2("fund.total".into(), c.id()),
            C::Source(id) => a2(format!("source.{id}"), "amount"),
            C::Nature(r) => a2(format!("nature.{}", r.id()), "amount"),
            C::Goal(g, c) => on(*g, "goal".into(), c.id()),
            C::ProjectHeader(p, c) => a3(*p, "header".into(), c.id()),
            C::ProjectFund(p, id, c) => a3(*p, format!("fund.{id}"), c.id()),
            C::Indicator(g, n, c) => on(*g, format!("{INDICATOR_ROW}{n}"), c.id()),
            C::Respondents(g, n) => on(*g, format!("{INDICATOR_ROW}{n}"), SAT_RESPONDENTS),
            C::SatOption(g, n, o) => sat_option(g.form(), g.project(), *n, o),
            C::Figure(r) => a4(r.id().into(), "amount"),
            C::Breakdown(k, c) => a4(format!("{REPORT_LINE}{k}"), c.id()),
            C::ReportProject(k, c) => a4(format!("{REPORT_PROJECT}{k}"), c.id()),
            C::ReportCount(k, c) => a4(format!("{REPORT_COUNT}{k}"), c.id()),
            C::Narrative => a4(NARRATIVE_ROW.into(), "template"),
        }
    }

    /// What the cell holds and a short Chinese label for messages.
    pub fn kind(&self) -> (Kind, String) {
        use Cell as C;
        let k = |kind: Kind, label: &str| (kind, label.to_string());
        match self {
            C::Year => k(Kind::Count, "年度"),
            C::Staff(c) => k(c.kind(), c.label()),
            // Every label names its row and its column, so that a message says which cell.
            C::Expense(id, c) => {
                let label = INPUT_ROWS.iter().find(|(x, _)| x == id).map_or(*id, |(_, l)| *l);
                (Kind::Money, format!("{}（{}）", label.trim_start_matches("其中："), c.label()))
            }
            C::SpecialName(n) => (Kind::Text, format!("第{n}项专项名称")),
            C::Special(n, c) => (Kind::Money, format!("第{n}项县级专项资金（{}）", c.label())),
            C::Building(n, c) => (c.kind(), format!("楼堂馆所第{n}行{}", c.label())),
            C::Austerity => k(Kind::LongText, "厉行节约保障措施"),
            C::Footer(c) => k(c.kind(), c.label()),
            C::Unit => k(Kind::Text, "预算部门名称"),
            C::DeptFund(c) => (c.kind(), format!("年度资金总额（{}）", c.label())),
            C::ProjectFund(_, id, c) => {
                let source = ProjectSelfEval::SOURCES.iter().find(|(x, _)| x == id).map_or(*id, |(_, l)| *l);
                (c.kind(), format!("{}（{}）", source.trim_start_matches("其中：").trim(), c.label()))
            }
            C::Source(id) => k(Kind::Money, Sources::ROWS.iter().find(|(x, _)| x == id).map_or(*id, |(_, l)| *l)),
            C::Nature(r) => k(r.kind(), r.label()),
            C::Goal(_, c) => k(c.kind(), c.label()),
            C::ProjectHeader(_, c) => k(c.kind(), c.label()),
            C::Indicator(_, n, c) => (c.kind(), format!("第{n}行{}", c.label())),
            C::Respondents(_, n) => (Kind::Count, format!("第{n}行有效问卷数")),
            C::SatOption(_, n, o) => (Kind::Count, format!("第{n}行「{o}」人数")),
            C::Figure(r) => (r.kind(), format!("自评报告{}", r.label())),
            C::Breakdown(n, c) => (c.kind(), format!("第{n}条{}", c.label())),
            C::ReportProject(n, c) => (c.kind(), format!("报告第{n}个{}", c.label())),
            C::ReportCount(n, c) => (c.kind(), format!("报告第{n}个{}", c.label())),
            C::Narrative => k(Kind::LongText, "自评报告正文"),
        }
    }
}

/// `Cell::slot` and `Cell::slot_mut`, expanded from one mapping: `[$m]` is `mut` or nothing, and
/// each name in braces is the reading or the writing accessor of the model.
macro_rules! cell_slots {
    ($($(#[$doc:meta])* fn $name:ident($($sig:tt)*) -> $Slot:ident [$($m:tt)*] {
        $get:ident, $row:ident, $source:ident, $report:ident, $indicators:ident, $slot:ident $(,)?
    })+) => {
        impl Cell {
            $(
            $(#[$doc])*
            pub fn $name<'a>(&'a self, wb: &'a $($m)* Workbook) -> Option<$Slot<'a>> {
                use Cell as C;
                let at = |k: &usize| k.wrapping_sub(1);
                Some(match self {
                    C::Year => $Slot::Year(&$($m)* wb.year),
                    C::Staff(c) => c.$slot(&$($m)* wb.basic),
                    C::Expense(id, c) => c.$slot(wb.basic.$row(id)?),
                    C::SpecialName(k) => $Slot::Text(&$($m)* wb.basic.special_funds.$get(at(k))?.name),
                    C::Special(k, c) => c.$slot(&$($m)* wb.basic.special_funds.$get(at(k))?.amounts),
                    C::Building(k, c) => c.$slot(wb.basic.buildings.$get(at(k))?),
                    C::Austerity => $Slot::Text(&$($m)* wb.basic.austerity),
                    C::Footer(c) => c.$slot(&$($m)* wb.footer),
                    C::Unit => $Slot::Text(&$($m)* wb.unit),
                    C::DeptFund(c) => c.$slot(&$($m)* wb.department.funds),
                    C::Source(id) => $Slot::Money(wb.department.by_source.$get(id)?),
                    C::Nature(r) => r.$slot(&$($m)* wb.department.by_nature),
                    C::Goal(Grid::Dept, c) => c.$slot(&$($m)* wb.department),
                    C::Goal(Grid::Project(p), c) => c.$slot(wb.projects.$get(*p)?),
                    C::ProjectHeader(p, c) => c.$slot(wb.projects.$get(*p)?),
                    C::ProjectFund(p, id, c) => c.$slot(wb.projects.$get(*p)?.$source(id)?),
                    C::Indicator(g, n, c) => c.$slot($indicators(wb, g.form(), g.project())?.$get(at(n))?),
                    C::Respondents(g, n) => {
                        $Slot::Respondents(&$($m)* $indicators(wb, g.form(), g.project())?.$get(at(n))?.satisfaction)
                    }
                    C::SatOption(g, n, o) => {
                        $Slot::SatOption(&$($m)* $indicators(wb, g.form(), g.project())?.$get(at(n))?.satisfaction, o)
                    }
                    C::Figure(r) => r.$slot($report(wb)?),
                    C::Breakdown(k, c) => c.$slot($report(wb)?.breakdown.$get(at(k))?),
                    C::ReportProject(k, c) => c.$slot($report(wb)?.projects.$get(at(k))?),
                    C::ReportCount(k, c) => c.$slot($report(wb)?.counts.$get(at(k))?),
                    C::Narrative => $Slot::Narrative(&$($m)* wb.narrative),
                })
            }
            )+
        }
    };
}

cell_slots! {
    /// The field behind the cell, to read; `None` when the workbook has no such row or project.
    fn slot(wb: &Workbook) -> SlotRef [] { get, row, source, report, indicators, slot }
    /// The field behind the cell, to write. Any 附件4 report cell creates `wb.report` when absent.
    fn slot_mut(wb: &mut Workbook) -> Slot [mut] { get_mut, row_mut, source_mut, report_mut, indicators_mut, slot_mut }
}

fn report(wb: &Workbook) -> Option<&ReportFigures> {
    wb.report.as_ref()
}

fn report_mut(wb: &mut Workbook) -> Option<&mut ReportFigures> {
    Some(wb.report.get_or_insert_with(Default::default))
}

/// Every input cell of `wb`, in form order: 附件1 (the signature line with it), 附件2, each
/// 附件3, 附件4. Questionnaire cells are listed for rows that carry a questionnaire, one per option
/// it has a count for.
pub fn all_cells(wb: &Workbook) -> Vec<Location> {
    use Cell as C;
    let mut out = vec![C::Year];
    out.extend(StaffCol::ALL.iter().map(|c| C::Staff(*c)));
    for (id, _) in INPUT_ROWS {
        out.extend(Col3::ALL.iter().map(|c| C::Expense(id, *c)));
        if *id == "E9" {
            for k in 1..=wb.basic.special_funds.len() {
                out.push(C::SpecialName(k));
                out.extend(Col3::ALL.iter().map(|c| C::Special(k, *c)));
            }
        }
    }
    for k in 1..=wb.basic.buildings.len() {
        out.extend(BuildingCol::ALL.iter().map(|c| C::Building(k, *c)));
    }
    out.push(C::Austerity);
    out.extend(FooterCol::ALL.iter().map(|c| C::Footer(*c)));
    out.push(C::Unit);
    out.extend(FundCol::ALL.iter().map(|c| C::DeptFund(*c)));
    out.extend(Sources::ROWS.iter().map(|(id, _)| C::Source(id)));
    out.extend(NatureRow::ALL.iter().map(|r| C::Nature(*r)));
    let grid = |out: &mut Vec<Cell>, g: Grid, rows: &[IndicatorRow]| {
        out.extend(GoalCol::ALL.iter().map(|c| C::Goal(g, *c)));
        for (i, r) in rows.iter().enumerate() {
            let n = i + 1;
            out.extend(IndCol::ALL.iter().map(|c| C::Indicator(g, n, *c)));
            if let Some(q) = &r.satisfaction {
                out.push(C::Respondents(g, n));
                out.extend(q.counts.iter().map(|(o, _)| C::SatOption(g, n, o.clone())));
            }
        }
    };
    grid(&mut out, Grid::Dept, &wb.department.indicators);
    for (p, project) in wb.projects.iter().enumerate() {
        out.extend(HeaderCol::ALL.iter().map(|c| C::ProjectHeader(p, *c)));
        for (id, _) in ProjectSelfEval::SOURCES.iter() {
            out.extend(FundCol::ALL.iter().map(|c| C::ProjectFund(p, id, *c)));
        }
        grid(&mut out, Grid::Project(p), &project.indicators);
    }
    out.extend(FigureRow::ALL.iter().map(|r| C::Figure(*r)));
    if let Some(r) = &wb.report {
        for k in 1..=r.breakdown.len() {
            out.extend(LineCol::ALL.iter().map(|c| C::Breakdown(k, *c)));
        }
        for k in 1..=r.projects.len() {
            out.extend(ProjectCol::ALL.iter().map(|c| C::ReportProject(k, *c)));
        }
        for k in 1..=r.counts.len() {
            out.extend(CountCol::ALL.iter().map(|c| C::ReportCount(k, *c)));
        }
    }
    out.push(C::Narrative);
    out.iter().map(Cell::location).collect()
}

/// The kind of the cell at `loc` and a short Chinese label for messages, or `None` when the
/// address is not an input cell (a computed cell, a category header …).
pub fn kind(loc: &Location) -> Option<(Kind, String)> {
    Cell::from_location(loc).map(|c| c.kind())
}

/// The indicator rows of the form `loc` is on (附件2, or one 附件3).
pub fn indicators(wb: &Workbook, form: Form, project: Option<usize>) -> Option<&Vec<IndicatorRow>> {
    match (form, project) {
        (Form::A2, _) => Some(&wb.department.indicators),
        (Form::A3, Some(p)) => wb.projects.get(p).map(|p| &p.indicators),
        _ => None,
    }
}

pub fn indicators_mut(wb: &mut Workbook, form: Form, project: Option<usize>) -> Option<&mut Vec<IndicatorRow>> {
    match (form, project) {
        (Form::A2, _) => Some(&mut wb.department.indicators),
        (Form::A3, Some(p)) => wb.projects.get_mut(p).map(|p| &mut p.indicators),
        _ => None,
    }
}

/// Whether typing into the cell at `loc` would land in `wb`: it is an input cell and its row, list
/// line or project exists (a 附件4 figure exists before the report does: writing creates it).
pub fn exists(wb: &Workbook, loc: &Location) -> bool {
    let Some(cell) = Cell::from_location(loc) else { return false };
    cell.slot(wb).is_some() || write(&mut wb.clone(), loc, &read(wb, loc)) == Ok(true)
}

/// The cell's current value as text (what an input shows when it has no typed text of its own).
pub fn read(wb: &Workbook, loc: &Location) -> String {
    let Some(cell) = Cell::from_location(loc) else { return String::new() };
    cell.slot(wb).map(SlotRef::text).unwrap_or_default()
}

impl SlotRef<'_> {
    /// The value as the cell shows it.
    pub fn text(self) -> String {
        let count = |n: u32| if n > 0 { n.to_string() } else { String::new() };
        match self {
            SlotRef::Money(v) => num_text(*v),
            SlotRef::Count(v) => v.map(|v| v.to_string()).unwrap_or_default(),
            SlotRef::Year(y) => y.to_string(),
            SlotRef::Date(d) => d.map(|d| d.format("%Y.%m.%d").to_string()).unwrap_or_default(),
            SlotRef::Text(t) => t.clone(),
            SlotRef::Indicator(v) => v.raw().to_string(),
            SlotRef::Score(score, stated) => num_text(score.or(*stated)),
            SlotRef::Respondents(q) => count(q.as_ref().map_or(0, |q| q.respondents)),
            SlotRef::SatOption(q, o) => count(q.as_ref().and_then(|q| q.counts.iter().find(|(x, _)| x == o)).map_or(0, |(_, n)| *n)),
            SlotRef::Rows(rows) => rows.join("，"),
            SlotRef::Flag(b) => if *b { "是" } else { "" }.to_string(),
            SlotRef::Narrative(t) => t.clone().unwrap_or_else(|| crate::narrative::TEMPLATE.to_string()),
        }
    }
}

/// A parsed value ready to be stored.
enum Value {
    Num(Option<Decimal>),
    Count(Option<u32>),
    Date(Option<NaiveDate>),
    Text(String),
}

fn parse_for(kind: Kind, text: &str) -> Result<Value, ParseError> {
    Ok(match kind {
        Kind::Money | Kind::Score => Value::Num(parse::parse_decimal(text)?),
        Kind::Count => Value::Count(parse::parse_count(text)?),
        Kind::Date => Value::Date(parse::parse_date(text)?),
        Kind::Text | Kind::LongText | Kind::Indicator => Value::Text(text.to_string()),
    })
}

/// Parses `text` for the cell at `loc` without writing anything.
pub fn check(loc: &Location, text: &str) -> Result<(), ParseError> {
    match kind(loc) {
        Some((k, _)) => parse_for(k, text).map(|_| ()),
        None => Ok(()),
    }
}

/// Writes `text` into the cell at `loc`. When the text does not parse, the cell is left blank (its
/// last good value no longer counts) and the parse error is returned; the caller keeps the text.
/// Returns `Ok(false)` when `loc` is not an input cell, or names a row or project the workbook
/// does not have.
pub fn write(wb: &mut Workbook, loc: &Location, text: &str) -> Result<bool, ParseError> {
    let Some(cell) = Cell::from_location(loc) else { return Ok(false) };
    let (kind, _) = cell.kind();
    let (value, result) = match parse_for(kind, text) {
        Ok(v) => (v, Ok(())),
        Err(e) => {
            let blank = match kind {
                Kind::Count => Value::Count(None),
                Kind::Date => Value::Date(None),
                _ => Value::Num(None),
            };
            (blank, Err(e))
        }
    };
    let stored = cell.slot_mut(wb).map(|slot| slot.store(value)).is_some();
    result.map(|()| stored)
}

impl Slot<'_> {
    /// Stores a value parsed for the cell's kind.
    fn store(self, v: Value) {
        let num = |v: Value| match v {
            Value::Num(n) => n,
            _ => None,
        };
        let text = |v: Value| match v {
            Value::Text(t) => t,
            _ => String::new(),
        };
        match (self, v) {
            (Slot::Money(x), v) => *x = num(v),
            (Slot::Count(x), Value::Count(c)) => *x = c,
            (Slot::Year(y), Value::Count(c)) => *y = c.and_then(|c| u16::try_from(c).ok()).unwrap_or(0),
            (Slot::Date(x), Value::Date(d)) => *x = d,
            (Slot::Text(x), v) => *x = text(v),
            (Slot::Indicator(x), v) => *x = IndicatorValue::new(text(v)),
            (Slot::Score(score, stated), v) => {
                *score = num(v);
                // A score typed by the user replaces the one a filed form printed.
                *stated = None;
            }
            (Slot::Respondents(q), Value::Count(c)) => q.get_or_insert_with(Default::default).respondents = c.unwrap_or(0),
            (Slot::SatOption(q, o), Value::Count(c)) => {
                let counts = &mut q.get_or_insert_with(Default::default).counts;
                let c = c.unwrap_or(0);
                match counts.iter_mut().find(|(x, _)| x == o) {
                    Some((_, n)) => *n = c,
                    None => counts.push((o.to_string(), c)),
                }
            }
            (Slot::Rows(rows), v) => {
                let t = text(v);
                *rows = t.split([',', '，', ';', '；', ' ', '、']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
            }
            (Slot::Flag(b), v) => *b = scope_flag(&text(v)),
            (Slot::Narrative(x), v) => *x = Some(text(v)),
            // A value of another kind than the slot's: [`Cell::kind`] and the slot disagree.
            (slot, _) => debug_assert!(false, "{slot:?}"),
        }
    }
}

/// The texts that mark a quoted count as possibly of another scope (口径可能不同).
fn scope_flag(text: &str) -> bool {
    matches!(text.trim(), "是" | "√" | "✓" | "Y" | "y" | "yes" | "口径不同")
}

fn num_text(d: Option<Decimal>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// The lists of 附件4 whose lines the user adds and removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportList {
    /// The 项目支出 breakdown.
    Breakdown,
    /// The projects the report quotes.
    Projects,
    /// The counts the report quotes.
    Counts,
}

impl ReportList {
    pub fn prefix(self) -> &'static str {
        match self {
            ReportList::Breakdown => REPORT_LINE,
            ReportList::Projects => REPORT_PROJECT,
            ReportList::Counts => REPORT_COUNT,
        }
    }

    pub fn len(self, r: &ReportFigures) -> usize {
        match self {
            ReportList::Breakdown => r.breakdown.len(),
            ReportList::Projects => r.projects.len(),
            ReportList::Counts => r.counts.len(),
        }
    }

    /// Appends a blank line; returns its number (1-based).
    pub fn push(self, r: &mut ReportFigures) -> usize {
        match self {
            ReportList::Breakdown => r.breakdown.push(Default::default()),
            ReportList::Projects => r.projects.push(Default::default()),
            ReportList::Counts => r.counts.push(Default::default()),
        }
        self.len(r)
    }

    /// Removes line `k` (1-based) when it exists.
    pub fn remove(self, r: &mut ReportFigures, k: usize) {
        if k == 0 || k > self.len(r) {
            return;
        }
        match self {
            ReportList::Breakdown => drop(r.breakdown.remove(k - 1)),
            ReportList::Projects => drop(r.projects.remove(k - 1)),
            ReportList::Counts => drop(r.counts.remove(k - 1)),
        }
    }
}

/// `Decimal::from_str` for tests and callers that hold plain digits.
pub fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("a decimal literal")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample;

    fn a1(row: &str, col: &str) -> Location {
        Location::new(Form::A1, None, row, col)
    }

    #[test]
    fn read_and_write_round_trip_every_kind() {
        let mut wb = sample::miluo_2023();
        assert_eq!(read(&wb, &a1("E11", "final")), "18.3");
        assert_eq!(write(&mut wb, &a1("E11", "final"), "1,005.67"), Ok(true));
        assert_eq!(wb.basic.public_funds.fin, Some(dec("1005.67")));
        assert!(write(&mut wb, &a1("E11", "final"), "abc").is_err());
        assert_eq!(wb.basic.public_funds.fin, None, "a bad cell leaves the totals");
        let d = Location::new(Form::A2, None, "ind#13", "target");
        write(&mut wb, &d, "≥95%").unwrap();
        assert_eq!(read(&wb, &d), "≥95%");
        let f = a1("footer", "date");
        write(&mut wb, &f, "2024年10月10日").unwrap();
        assert_eq!(read(&wb, &f), "2024.10.10");
        let p = Location::new(Form::A3, Some(0), "fund.current_approp", "full_year");
        write(&mut wb, &p, "１５４").unwrap();
        assert_eq!(wb.projects[0].current_approp.full_year, Some(dec("154")));
        assert_eq!(write(&mut wb, &Location::new(Form::A2, None, "fund.total", "rate"), "1"), Ok(false));
    }

    /// The sample, with a questionnaire on 附件2 row 13 so its cells are among the input cells.
    fn sample_with_questionnaire() -> Workbook {
        let mut wb = sample::miluo_2023();
        let counts = [("非常满意", 100), ("满意", 20), ("不满意", 0)].map(|(o, n)| (o.to_string(), n)).to_vec();
        wb.department.indicators[12].satisfaction = Some(Questionnaire { respondents: 120, counts });
        wb
    }

    #[test]
    fn every_input_cell_reads_back_what_it_writes() {
        let mut wb = sample_with_questionnaire();
        let cells = all_cells(&wb);
        let (funds, buildings) = (wb.basic.special_funds.len(), wb.basic.buildings.len());
        let per_form = |f: Form| cells.iter().filter(|l| l.form == f).count();
        assert_eq!(per_form(Form::A1), 1 + 2 + 3 * INPUT_ROWS.len() + 4 * funds + 5 * buildings + 1 + 4);
        let grid = |rows: &[IndicatorRow]| 2 + 6 * rows.len() + rows.iter().filter_map(|r| r.satisfaction.as_ref()).map(|q| 1 + q.counts.len()).sum::<usize>();
        assert_eq!(per_form(Form::A2), 1 + 3 + 4 + 2 + grid(&wb.department.indicators));
        assert_eq!(per_form(Form::A3), wb.projects.iter().map(|p| 3 + 9 + grid(&p.indicators)).sum::<usize>());
        let r = wb.report.as_ref().expect("the sample has 附件4 figures");
        assert_eq!(per_form(Form::A4), 9 + 3 * r.breakdown.len() + 4 * r.projects.len() + 4 * r.counts.len() + 1);
        assert_eq!(cells.iter().collect::<std::collections::BTreeSet<_>>().len(), cells.len(), "no cell twice");
        assert!(cells.contains(&sat_option(Form::A2, None, 13, "满意")) && cells.contains(&a1("E10.1", "name")));

        for loc in &cells {
            let cell = Cell::from_location(loc).unwrap_or_else(|| panic!("{loc} is not an input cell"));
            assert_eq!(&cell.location(), loc);
            assert_eq!(loc.to_string().parse::<Location>().as_ref(), Ok(loc), "the text form of {loc}");
            let (kind, label) = kind(loc).unwrap();
            assert!(!label.is_empty(), "{loc}");
            let text = read(&wb, loc);
            check(loc, &text).unwrap_or_else(|e| panic!("{loc} = {text:?} does not parse back: {e:?}"));
            // What writing its own text back changes: nothing, except the documented side effects.
            let mut expected = wb.clone();
            if let Cell::Indicator(g, n, IndCol::Score) = &cell {
                let row = &mut indicators_mut(&mut expected, g.form(), g.project()).unwrap()[n - 1];
                row.score = row.score.or(row.stated_score);
                row.stated_score = None;
            }
            if cell == Cell::Narrative && expected.narrative.is_none() {
                expected.narrative = Some(crate::narrative::TEMPLATE.to_string());
            }
            assert_eq!(write(&mut wb, loc, &text), Ok(true), "{loc} ({kind:?})");
            assert_eq!(read(&wb, loc), text, "{loc}");
            assert!(wb == expected, "writing {text:?} back into {loc} changed the workbook");
        }
        let moved = wb.department.indicators.iter().chain(wb.projects.iter().flat_map(|p| &p.indicators));
        assert!(moved.clone().all(|r| r.stated_score.is_none()) && moved.filter(|r| r.score.is_some()).count() > 30);
        assert_eq!(wb.narrative.as_deref(), Some(crate::narrative::TEMPLATE));
    }

    #[test]
    fn labels_and_reading() {
        let wb = sample_with_questionnaire();
        let k = |s: &str| kind(&s.parse().unwrap()).unwrap_or_else(|| panic!("{s}"));
        let l = |kind: Kind, label: &str| (kind, label.to_string());
        assert_eq!(k("A1.E3.prev"), l(Kind::Money, "公车购置（上年决算数）"));
        assert_eq!(k("A1.E5.final"), l(Kind::Money, "2、出国经费（决算数）"));
        assert_eq!(k("A1.E10.2.budget"), l(Kind::Money, "第2项县级专项资金（预算数）"));
        assert_eq!(k("A1.building#1.approved_m2"), l(Kind::Money, "楼堂馆所第1行批复规模"));
        assert_eq!(k("A1.staff.in_post"), l(Kind::Count, "实际在职人数"));
        assert_eq!(k("A1.footer.date"), l(Kind::Date, "填报日期"));
        assert_eq!(k("A2.source.special_account_nontax.amount"), l(Kind::Money, "纳入专户管理的非税收入拨款"));
        assert_eq!(k("A2.fund.total.full_year"), l(Kind::Money, "年度资金总额（全年预算数）"));
        assert_eq!(k("A3[0].fund.carry_over.executed"), l(Kind::Money, "上年结转资金（全年执行数）"));
        assert_eq!(k("A3[0].goal.actual"), l(Kind::LongText, "实际完成情况"));
        assert_eq!(k("A3[0].ind#17.target"), l(Kind::Indicator, "第17行年度指标值"));
        assert_eq!(k("A2.ind#3.reason"), l(Kind::LongText, "第3行偏差原因分析及改进措施"));
        assert_eq!(k("A2.ind#13.sat.n"), l(Kind::Count, "第13行有效问卷数"));
        assert_eq!(k("A2.ind#13.sat:满意"), l(Kind::Count, "第13行「满意」人数"));
        assert_eq!(k("A4.report.three_public.amount"), l(Kind::Money, "自评报告\"三公\"经费"));
        assert_eq!(k("A4.report.dept_grade.amount"), l(Kind::Text, "自评报告部门整体自评等级"));
        assert_eq!(k("A4.report.breakdown#2.source"), l(Kind::Text, "第2条项目支出明细资金来源"));
        assert_eq!(k("A4.report.project#1.score"), l(Kind::Score, "报告第1个项目得分"));
        assert_eq!(k("A4.report.count#3.rows"), l(Kind::Text, "报告第3个引用数量对应的指标行"));
        assert_eq!(k("A4.narrative.template"), l(Kind::LongText, "自评报告正文"));
        assert_eq!(ROW3_COLUMNS[2], ("final", "决算数"));
        assert_eq!(INDICATOR_COLUMNS, ["name", "target", "actual", "weight", "score", "reason"]);
        assert_eq!(REPORT_FIGURES[8], ("report.dept_grade", "部门整体自评等级", Kind::Text));

        let r = |s: &str| read(&wb, &s.parse().unwrap());
        assert_eq!(r("A1.header.year"), "2023");
        assert_eq!(r("A1.footer.date"), "2024.10.10");
        assert_eq!(r("A2.ind#1.score"), "6", "the printed score when none is typed");
        assert_eq!(r("A2.ind#13.sat.n"), "120");
        assert_eq!(r("A2.ind#13.sat:不满意"), "", "a count of 0 reads blank");
        assert_eq!(r("A2.ind#13.sat:基本满意"), "", "an option without a count");
        assert_eq!(r("A4.report.count#1.rows"), "A2.ind#1，A2.ind#6，A3[0].ind#5");
        assert_eq!(r("A4.report.count#5.scope"), "是");
        assert_eq!(r("A4.report.count#1.scope"), "");
        assert_eq!(r("A4.narrative.template"), crate::narrative::TEMPLATE);
    }

    #[test]
    fn writing_has_its_side_effects() {
        let mut wb = sample_with_questionnaire();
        let mut w = |s: &str, text: &str| write(&mut wb, &s.parse().unwrap(), text);
        assert_eq!(w("A2.ind#2.score", "2.5"), Ok(true));
        assert_eq!(w("A4.report.count#2.rows", "A2.ind#8; A3[0].ind#4、A2.ind#9"), Ok(true));
        assert_eq!(w("A4.report.count#2.scope", " √ "), Ok(true));
        assert_eq!(w("A2.ind#13.sat:基本满意", "7"), Ok(true));
        assert_eq!(w("A2.ind#14.sat.n", "30"), Ok(true));
        assert_eq!(w("A1.header.year", "70000"), Ok(true));
        assert!(w("A2.ind#13.sat.n", "many").is_err());
        let row = &wb.department.indicators[1];
        assert_eq!((row.score, row.stated_score), (Some(dec("2.5")), None), "a typed score replaces the printed one");
        let c = &wb.report.as_ref().unwrap().counts[1];
        assert_eq!((c.rows.join(" "), c.different_scope), ("A2.ind#8 A3[0].ind#4 A2.ind#9".to_string(), true));
        let q = wb.department.indicators[12].satisfaction.as_ref().unwrap();
        assert_eq!((q.respondents, q.counts.last()), (0, Some(&("基本满意".to_string(), 7))), "a bad N leaves 0");
        assert_eq!(wb.department.indicators[13].satisfaction.as_ref().map(|q| q.respondents), Some(30));
        assert_eq!(wb.year, 0, "a year out of range");

        let mut blank = Workbook::default();
        assert_eq!(write(&mut blank, &"A4.report.basic.amount".parse().unwrap(), "353.08"), Ok(true));
        assert_eq!(blank.report.as_ref().and_then(|r| r.basic), Some(dec("353.08")), "a figure creates the report");
        assert_eq!(write(&mut blank, &"A4.narrative.template".parse().unwrap(), ""), Ok(true));
        assert_eq!(blank.narrative.as_deref(), Some(""));
    }

    #[test]
    fn addresses_that_are_not_input_cells() {
        let wb = sample_with_questionnaire();
        for s in [
            "A2.fund.total.rate",
            "A2.fund.total.score",
            "A2.total.score",
            "A2.total.weight",
            "A2.cat:产出指标.weight",
            "A1.staff.control_rate",
            "A1.E10.0.name",
            "A1.E10.01.name",
            "A1.E1.final",
            "A1.E11.rate",
            "A1.building#1.scale_rate",
            "A1.ind#1.name",
            "A2.ind#0.name",
            "A2.ind#1.l1",
            "A2.ind#01.name",
            "A2.header.year",
            "A3[0].fund.total.executed",
            "A3[0].header.unit",
            "A4.report.breakdown.source",
            "A4.report.breakdown#0.amount",
            "A4.report.total.amount",
            "A4.narrative.text",
        ] {
            let loc: Location = s.parse().unwrap();
            assert_eq!(kind(&loc), None, "{s}");
            assert_eq!(Cell::from_location(&loc), None, "{s}");
            assert_eq!(read(&wb, &loc), "", "{s}");
            let mut copy = wb.clone();
            assert_eq!(write(&mut copy, &loc, "12"), Ok(false), "{s}");
            assert_eq!(check(&loc, "abc"), Ok(()), "{s}");
            assert!(copy == wb, "{s}");
        }
        for loc in [a1("E10", "name"), Location::new(Form::A3, None, "header", "name"), Location::new(Form::A2, Some(0), "ind#1", "name")] {
            assert_eq!(kind(&loc), None, "{loc:?}");
        }
        // Input cells of rows or projects the workbook does not have: blank, and nothing written.
        for s in ["A2.ind#999.weight", "A3[0].ind#999.target", "A3[7].header.name", "A1.E10.9.final", "A1.building#3.name", "A2.ind#999.sat.n"] {
            let loc: Location = s.parse().unwrap();
            assert!(kind(&loc).is_some(), "{s}");
            assert_eq!(read(&wb, &loc), "", "{s}");
            let mut copy = wb.clone();
            assert_eq!(write(&mut copy, &loc, "12"), Ok(false), "{s}");
            assert!(write(&mut copy, &loc, "abc").is_err() || kind(&loc).is_some_and(|(k, _)| !k.is_parsed()), "{s}");
            assert!(copy == wb, "{s}");
        }
    }
}

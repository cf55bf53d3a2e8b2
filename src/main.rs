//! The `zipin` binary: the desktop app (no arguments, or `open FILE`) and the CLI.

// Windows: no console window behind the app; the CLI attaches to the terminal it runs from.
#![cfg_attr(windows, windows_subsystem = "windows")]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::Write;

/// println! that does not panic when stdout is closed (`zipin check … | head`).
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

use zipin::document::{self, cells, Document};
use zipin::engine::{Evaluation, Finding, Location, Severity};
use zipin::model::Workbook;
use zipin::profile::Profile;
use zipin::{display, draft, pdf, sample};

#[cfg(windows)]
mod win_console;

#[derive(Parser)]
#[command(name = "zipin", version, about = "绩效自评：填写、检查并打印部门整体支出与项目支出绩效自评表")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// 检查草稿，列出全部问题（有错误时退出码为1，文件无法读取时为2）
    Check {
        file: PathBuf,
        /// 评价规则：内置编号（hunan-2023、national-2020）或 .ron 文件路径；默认用草稿所记录的
        #[arg(long)]
        profile: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// 计算各表得分、总分和等级
    Score {
        file: PathBuf,
        #[arg(long)]
        profile: Option<String>,
    },
    /// 新建空白草稿（含评价规则的标准指标行）
    New {
        #[arg(long)]
        year: u16,
        #[arg(long)]
        unit: String,
        #[arg(long, default_value = "hunan-2023")]
        profile: String,
        /// 填报范围：1,2 为部门整体（附件1、2），3 为项目（附件3），4 为自评报告；默认全部，如只报项目：--forms 3
        #[arg(long, value_delimiter = ',')]
        forms: Vec<u8>,
        #[arg(short, long)]
        output: PathBuf,
        /// 覆盖已存在的文件（原文件保留为 .bak）；输出为符号链接时写入它指向的文件
        #[arg(long)]
        force: bool,
    },
    /// 生成用于测试和性能测量的大草稿（项目数不超过2000，每表指标行不超过200）
    Gen {
        #[arg(long, default_value_t = 50)]
        projects: usize,
        #[arg(long, default_value_t = 40)]
        indicators: usize,
        #[arg(long, default_value = "hunan-2023")]
        profile: String,
        #[arg(short, long)]
        output: PathBuf,
        /// 覆盖已存在的文件（原文件保留为 .bak）；输出为符号链接时写入它指向的文件
        #[arg(long)]
        force: bool,
    },
    /// 由上年草稿生成下年草稿：上年决算数、指标及目标值带入，实际值和得分清空
    Rollover {
        last: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
        /// 覆盖已存在的文件（原文件保留为 .bak）；输出为符号链接时写入它指向的文件
        #[arg(long)]
        force: bool,
    },
    /// 由表中数据生成自评报告（附件4）初稿
    Report {
        file: PathBuf,
        #[arg(long)]
        profile: Option<String>,
        /// 报告模板（默认用内置模板）
        #[arg(long)]
        template: Option<PathBuf>,
    },
    /// 写出内置的示例草稿（汨罗市残联2023年度，按原表照录，含原表错误）
    Sample {
        #[arg(short, long)]
        output: PathBuf,
        /// 覆盖已存在的文件（原文件保留为 .bak）；输出为符号链接时写入它指向的文件
        #[arg(long)]
        force: bool,
    },
    /// (testing) Saves versions 1, 2, 3 … of a generated workbook to FILE in an endless loop, so a
    /// test can kill the process at random moments and check the draft survives.
    #[command(hide = true)]
    StressSave {
        file: PathBuf,
        #[arg(long, default_value_t = 20)]
        projects: usize,
        /// First version number.
        #[arg(long, default_value_t = 1)]
        start: u64,
    },
    /// 打印为PDF：附件1、附件2和各项目的附件3（有错误时为带“草稿”水印的草稿）；格式由输出文件的扩展名决定：.pdf、.xlsx 或 .docx
    Export {
        file: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
        /// 允许覆盖输入的草稿或另一份草稿；输出为符号链接时写入它指向的文件
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        selection: Selection,
    },
    /// 列出系统中的打印机（* 为默认打印机）；没有打印机时也正常退出
    Printers,
    /// 打印与导出的PDF相同的页（同样的 --forms、--projects；有错误时带“草稿”水印，--final 拒绝，退出码1）
    Print {
        file: PathBuf,
        /// 打印机名称（zipin printers 列出的）；默认用系统的默认打印机
        #[arg(long)]
        printer: Option<String>,
        /// 份数（1–999）
        #[arg(long, default_value = "1")]
        copies: String,
        /// 页码范围，如 1-3,5（页码即预览和导出的PDF中的页码；默认全部）
        #[arg(long)]
        pages: Option<String>,
        #[command(flatten)]
        selection: Selection,
    },
    /// 读出单元格的值，如 zipin get d.ron A2.fund.total.executed "A3[0].ind#1.actual"（项目也可写名称：A3[项目名]…）；不给地址时列出全部可填写的单元格
    Get {
        file: PathBuf,
        /// 单元格地址（零个或多个）
        addresses: Vec<String>,
    },
    /// 填写单元格并保存（原文件保留为 .bak），列出因此新增和消除的问题：zipin set d.ron 地址 值 [地址 值 …]
    Set {
        file: PathBuf,
        /// 成对的 地址 值；值为空串 "" 即清空该单元格
        #[arg(required = true, num_args = 1.., value_names = ["ADDRESS", "VALUE"])]
        pairs: Vec<String>,
        /// 草稿正在另一窗口中打开时仍然写入
        #[arg(long)]
        force: bool,
    },
    /// 打开草稿（图形界面）
    Open {
        file: Option<PathBuf>,
        /// 启动时显示的页面：basic、department、project:N（第N个项目）、report、problems
        #[arg(long)]
        screen: Option<String>,
    },
}

/// What `export` and `print` put on paper: the same choice, the same draft/final rule.
#[derive(Args)]
struct Selection {
    /// 要打印的表，如 1,2,3（默认全部；4 为已采用的自评报告正文）
    #[arg(long, value_delimiter = ',')]
    forms: Vec<u8>,
    /// 要打印的项目：all，或项目序号（从1开始），如 1,3
    #[arg(long, default_value = "all")]
    projects: String,
    /// 正式版：有错误时拒绝（退出码1），不写文件、不打印
    #[arg(long = "final")]
    final_copy: bool,
    #[arg(long)]
    profile: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    #[cfg(windows)]
    let _console = (std::env::args_os().len() > 1).then(win_console::attach);
    // Not Cli::parse(): its exit would skip restoring the console (win_console::Console).
    let cli = match Cli::try_parse_from(args()) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    match cli.command {
        None => run_gui(None, None),
        Some(Command::Open { file, screen }) => run_gui(file, screen),
        Some(Command::Check { file, profile, format }) => check(&file, profile.as_deref(), format),
        Some(Command::Score { file, profile }) => score(&file, profile.as_deref()),
        Some(Command::New { year, unit, profile, forms, output, force }) => {
            if !YEARS.contains(&year) {
                return fail(2, &format!("年度 {year} 无效（应为 {}–{} 之间的年份）", YEARS.start(), YEARS.end()));
            }
            let scope = match zipin::model::Scope::from_forms(&forms) {
                Ok(s) => s,
                Err(e) => return fail(2, &e),
            };
            if let Err(code) = check_draft_output(&output, force) {
                return code;
            }
            let profile = match Profile::resolve(&profile) {
                Ok(p) => p,
                Err(e) => return fail(2, &e.to_string()),
            };
            write(&output, &Workbook { scope, ..Workbook::empty(&unit, year, &profile) })
        }
        Some(Command::Gen { projects, indicators, profile, output, force }) => {
            let rows = projects.saturating_add(1).saturating_mul(indicators);
            if projects > sample::GEN_MAX_PROJECTS || indicators > sample::GEN_MAX_INDICATORS || rows > sample::GEN_MAX_ROWS {
                return fail(
                    2,
                    &format!(
                        "gen 最多生成 {} 个项目、每表 {} 行指标、共 {} 行指标（所要求的为 {projects} 个项目、每表 {indicators} 行）：再大的草稿会超过草稿大小上限 {} MB",
                        sample::GEN_MAX_PROJECTS,
                        sample::GEN_MAX_INDICATORS,
                        sample::GEN_MAX_ROWS,
                        draft::MAX_DRAFT_BYTES / 1024 / 1024
                    ),
                );
            }
            if let Err(code) = check_draft_output(&output, force) {
                return code;
            }
            let profile = match Profile::resolve(&profile) {
                Ok(p) => p,
                Err(e) => return fail(2, &e.to_string()),
            };
            write(&output, &sample::generated(&profile, projects, indicators))
        }
        Some(Command::Sample { output, force }) => match check_draft_output(&output, force) {
            Ok(()) => write(&output, &sample::miluo_2023()),
            Err(code) => code,
        },
        Some(Command::Report { file, profile, template }) => {
            let (wb, profile) = match load(&file, profile.as_deref()) {
                Ok(x) => x,
                Err(code) => return code,
            };
            let template = match &template {
                None => zipin::narrative::TEMPLATE.to_string(),
                Some(path) => match std::fs::read(path).map(|b| String::from_utf8_lossy(&b).trim_start_matches('\u{feff}').to_string()) {
                    Ok(t) => t,
                    Err(e) => return fail(2, &format!("无法读取报告模板 {}：{}", path.display(), draft::io_message(&e))),
                },
            };
            say!("{}", zipin::narrative::draft(&template, &wb, &evaluate(&wb, &profile)));
            ExitCode::SUCCESS
        }
        Some(Command::Rollover { last, output, force }) => match check_draft_output(&output, force).and_then(|()| draft::load(&last).map_err(|e| fail(2, &e.to_string()))) {
            Ok(wb) => {
                let next = zipin::model::rollover(&wb);
                say!("{}年度草稿：带入 {} 项上年数据，请逐项确认", next.year, next.carried.len());
                write(&output, &next)
            }
            Err(code) => code,
        },
        Some(Command::StressSave { file, projects, start }) => {
            let profile = Profile::builtin("hunan-2023").expect("built-in profile");
            let base = sample::generated(&profile, projects, 40);
            for version in start.. {
                if let Err(e) = draft::save(&file, &sample::stress_version(&base, version)) {
                    return fail(2, &e.to_string());
                }
                say!("saved {version}");
            }
            ExitCode::SUCCESS
        }
        Some(Command::Get { file, addresses }) => get(&file, &addresses),
        Some(Command::Set { file, pairs, force }) => set(&file, &pairs, force),
        Some(Command::Export { file, output, force, selection }) => export(&file, &output, force, selection),
        Some(Command::Printers) => printers(),
        Some(Command::Print { file, printer, copies, pages, selection }) => {
            let job = match parse_job(printer, &copies, pages.as_deref()) {
                Ok(j) => j,
                Err(code) => return code,
            };
            print(&file, &job, selection)
        }
    }
}

/// The command line, with `zipin FILE` read as `zipin open FILE`: that is how Windows' "Open with",
/// a draft dropped on zipin.exe and file managers start the app.
fn args() -> Vec<std::ffi::OsString> {
    let mut args: Vec<_> = std::env::args_os().collect();
    if args.len() == 2 && Path::new(&args[1]).is_file() {
        use clap::CommandFactory;
        let word = args[1].to_string_lossy();
        if Cli::command().find_subcommand(word.as_ref()).is_none() {
            args.insert(1, "open".into());
        }
    }
    args
}

#[cfg(feature = "gui")]
fn run_gui(file: Option<PathBuf>, screen: Option<String>) -> ExitCode {
    use zipin::ui::{Options, Screen};
    let screen = match screen.as_deref().map(|s| (s, Screen::parse(s))) {
        None => None,
        Some((_, Some(s))) => Some(s),
        Some((s, None)) => return fail(2, &format!("未知页面“{s}”（可用：basic、department、project:N、report、problems）")),
    };
    if let Some(why) = no_display() {
        return fail(2, &why);
    }
    // The windowing library panics on some failures (no X server behind DISPLAY): a panic of the
    // main thread is reported our way, with its text as the detail (other threads: as before).
    thread_local! {
        static DETAIL: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() == Some("main") {
            let text = info.payload().downcast_ref::<String>().cloned().or_else(|| info.payload().downcast_ref::<&str>().map(|s| s.to_string()));
            DETAIL.with(|d| *d.borrow_mut() = text);
        } else {
            previous(info);
        }
    }));
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| zipin::ui::run_with(Options { path: file, screen })));
    match run {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => fail(2, &format!("无法打开窗口：{e}")),
        Err(_) => {
            let detail = DETAIL.with(|d| d.borrow_mut().take()).unwrap_or_default();
            fail(2, &format!("无法打开窗口：图形界面启动失败（{detail}）。命令行功能（check、export 等）不需要图形界面，见 zipin --help"))
        }
    }
}

/// Why no window can be opened, found before trying: on Linux and the BSDs a window needs an X11
/// or Wayland display.
#[cfg(feature = "gui")]
fn no_display() -> Option<String> {
    let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    let needs_display = cfg!(all(unix, not(target_os = "macos")));
    (needs_display && !set("DISPLAY") && !set("WAYLAND_DISPLAY")).then(|| {
        "无法打开窗口：没有图形显示（未设置 DISPLAY 或 WAYLAND_DISPLAY，例如在 SSH 或服务器上运行）。请在桌面环境中运行；命令行功能（check、export 等）不需要图形界面，见 zipin --help".to_string()
    })
}

#[cfg(not(feature = "gui"))]
fn run_gui(_file: Option<PathBuf>, _screen: Option<String>) -> ExitCode {
    use clap::CommandFactory;
    let _ = Cli::command().print_help();
    eprintln!("\n（此版本未包含图形界面）");
    ExitCode::SUCCESS
}

fn fail(code: u8, message: &str) -> ExitCode {
    eprintln!("错误：{message}");
    ExitCode::from(code)
}

/// Years a new draft may be for.
const YEARS: std::ops::RangeInclusive<u16> = 2000..=2100;

/// Refuses an output that is not a regular file or a new name (a device, FIFO or folder; a
/// symbolic link unless `--force`), naming it. The `Err` is the exit code, the message printed.
fn check_target(output: &Path, force: bool) -> Result<zipin::safe_write::Target, ExitCode> {
    zipin::safe_write::inspect(output, force).map(|(_, target)| target).map_err(|e| fail(2, &format!("{e}；未写入任何文件")))
}

/// `new`, `gen`, `rollover`, `sample`: the output must be a new name, or `--force` (the old file
/// is then kept as `.bak`).
fn check_draft_output(output: &Path, force: bool) -> Result<(), ExitCode> {
    match check_target(output, force)? {
        zipin::safe_write::Target::File(_) if !force => Err(fail(
            2,
            &format!("{} 已存在，未写入（确要覆盖时加 --force，原文件将保留为 {}）", output.display(), draft::backup_path(output).display()),
        )),
        _ => Ok(()),
    }
}

/// `export`: the format follows the extension; the output may not be the input or any existing
/// draft unless `--force`.
fn check_export_output(input: &Path, output: &Path, force: bool) -> Result<pdf::Format, ExitCode> {
    let format = pdf::Format::of(output).map_err(|e| fail(2, &format!("{e}；未写入任何文件")))?;
    if let zipin::safe_write::Target::File(_) = check_target(output, force)? {
        if force {
            return Ok(format);
        }
        let same = matches!((std::fs::canonicalize(input), std::fs::canonicalize(output)), (Ok(a), Ok(b)) if a == b);
        if same {
            return Err(fail(2, &format!("输出文件 {} 就是要导出的草稿本身，导出会毁掉草稿；未写入（请换一个输出文件名）", output.display())));
        }
        if draft::load(output).is_ok() {
            return Err(fail(
                2,
                &format!("{} 是一份绩效自评草稿，导出会覆盖它；未写入（请换一个输出文件名，确要覆盖时加 --force）", output.display()),
            ));
        }
    }
    Ok(format)
}

fn write(path: &Path, wb: &Workbook) -> ExitCode {
    match draft::save(path, wb) {
        Ok(()) => {
            say!("已写入 {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => fail(2, &e.to_string()),
    }
}

/// Loads a draft and the profile to score it with (`--profile`, else the draft's own).
fn load(file: &Path, profile: Option<&str>) -> Result<(Workbook, Profile), ExitCode> {
    let wb = draft::load(file).map_err(|e| fail(2, &e.to_string()))?;
    let id = profile.map(str::to_string).unwrap_or_else(|| wb.profile_id.clone());
    let profile = Profile::resolve(&id).map_err(|e| fail(2, &e.to_string()))?;
    Ok((wb, profile))
}

/// The name of the project a cell is on (附件3), for addresses as forms.md writes them.
fn project_name<'a>(wb: &'a Workbook, loc: &Location) -> Option<&'a str> {
    loc.project.and_then(|p| wb.projects.get(p)).map(|p| p.name.trim())
}

/// A finding as `check` lists it: severity, rule, address, message.
fn finding_line(wb: &Workbook, f: &Finding) -> String {
    format!("{:<4} {:<22} {:<40} {}", f.severity.label(), f.rule.as_str(), f.location.address(project_name(wb, &f.location)), f.message)
}

/// The evaluation every command shows: the window's own ([`document::evaluate`]).
fn evaluate(wb: &Workbook, profile: &Profile) -> Evaluation {
    document::evaluate(wb, profile)
}

/// An address typed on the command line, its project given by number or by name.
fn address(doc: &Document, text: &str) -> Result<Location, ExitCode> {
    let loc = Location::parse_with(text, |name| doc.wb.projects.iter().position(|p| p.name.trim() == name)).map_err(|e| fail(2, &e.to_string()))?;
    if cells::kind(&loc).is_none() {
        return Err(fail(2, &format!("「{text}」不是可填写的单元格（合计、得分等由程序计算，或行、项目不存在）")));
    }
    if !cells::exists(&doc.wb, &loc) {
        return Err(fail(2, &format!("「{text}」所在的行或项目不存在")));
    }
    Ok(loc)
}

fn open_document(file: &Path) -> Result<Document, ExitCode> {
    let (doc, note) = Document::open(file).map_err(|e| fail(2, &e.to_string()))?;
    if let Some(note) = note {
        eprintln!("注意：{note}");
    }
    Ok(doc)
}

/// `zipin get`: the cells' values as the window shows them.
fn get(file: &Path, addresses: &[String]) -> ExitCode {
    let doc = match open_document(file) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let mut lines = Vec::new();
    if addresses.is_empty() {
        for loc in cells::all_cells(&doc.wb) {
            lines.push((loc.to_string(), doc.text(&loc).into_owned()));
        }
    }
    for text in addresses {
        match address(&doc, text) {
            Ok(loc) => lines.push((text.clone(), doc.text(&loc).into_owned())),
            Err(code) => return code,
        }
    }
    for (text, value) in lines {
        if addresses.len() == 1 {
            say!("{value}");
        } else {
            // One line a cell: a multi-line text shows its line breaks as \n.
            say!("{text}\t{}", value.replace('\\', "\\\\").replace('\n', "\\n"));
        }
    }
    ExitCode::SUCCESS
}

/// `zipin set`: types each value into its cell as the window would, refuses the lot (writing
/// nothing) if a value does not read as what its cell holds, saves atomically (old file as `.bak`)
/// and prints the findings that appeared and went.
fn set(file: &Path, pairs: &[String], force: bool) -> ExitCode {
    if pairs.len() % 2 != 0 {
        return fail(2, &format!("地址和值应成对给出：「{}」缺少值", pairs[pairs.len() - 1]));
    }
    if let Some(holder) = zipin::draft_guard::Lock::holder(file).filter(|_| !force) {
        return fail(2, &format!("{} 正在另一窗口中编辑（{}），未写入；确要写入时加 --force", file.display(), holder.describe()));
    }
    let mut doc = match open_document(file) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let key = |f: &Finding| (f.rule, f.location.clone(), f.message.clone());
    let before: std::collections::BTreeMap<_, Finding> = doc.eval.findings.iter().map(|f| (key(f), f.clone())).collect();
    let mut changed = 0;
    for pair in pairs.chunks(2) {
        let loc = match address(&doc, &pair[0]) {
            Ok(l) => l,
            Err(code) => return code,
        };
        if let Err(e) = cells::check(&loc, &pair[1]) {
            let label = cells::kind(&loc).map(|(_, l)| l).unwrap_or_default();
            return fail(2, &format!("{}（{label}）：{e}；未写入任何文件", pair[0]));
        }
        doc.seal();
        changed += usize::from(doc.edit(&loc, &pair[1]));
    }
    if changed == 0 {
        say!("没有变化，未写入 {}", file.display());
        return ExitCode::SUCCESS;
    }
    if let Err(e) = draft::save(file, &doc.for_saving()) {
        return fail(2, &e.to_string());
    }
    let after: std::collections::BTreeMap<_, Finding> = doc.eval.findings.iter().map(|f| (key(f), f.clone())).collect();
    for (k, f) in &before {
        if !after.contains_key(k) {
            say!("- 已消除 {}", finding_line(&doc.wb, f));
        }
    }
    for (k, f) in &after {
        if !before.contains_key(k) {
            say!("+ 新问题 {}", finding_line(&doc.wb, f));
        }
    }
    say!(
        "已写入 {}（{changed} 个单元格）：共 {} 错误 · {} 警告 · {} 提示",
        file.display(),
        doc.eval.count(Severity::Error),
        doc.eval.count(Severity::Warning),
        doc.eval.count(Severity::Info)
    );
    ExitCode::SUCCESS
}

fn check(file: &Path, profile: Option<&str>, format: Format) -> ExitCode {
    let (wb, profile) = match load(file, profile) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let eval = evaluate(&wb, &profile);
    match format {
        Format::Json => {
            let items: Vec<serde_json::Value> = eval
                .findings
                .iter()
                .map(|f| {
                    let name = project_name(&wb, &f.location);
                    serde_json::json!({
                        "rule": f.rule.as_str(),
                        "severity": f.severity.as_str(),
                        "form": f.location.form.as_str(),
                        "project": f.location.project,
                        "project_name": name,
                        "row": f.location.row,
                        "column": f.location.column,
                        "address": f.location.address(name),
                        "message": f.message,
                    })
                })
                .collect();
            say!("{}", serde_json::to_string_pretty(&items).expect("json"));
        }
        Format::Text => {
            for f in &eval.findings {
                say!("{}", finding_line(&wb, f));
            }
            say!(
                "共 {} 错误 · {} 警告 · {} 提示",
                eval.count(Severity::Error),
                eval.count(Severity::Warning),
                eval.count(Severity::Info)
            );
        }
    }
    if eval.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn score(file: &Path, profile: Option<&str>) -> ExitCode {
    let (wb, profile) = match load(file, profile) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let eval = evaluate(&wb, &profile);
    say!("{} {}年度 · 评价规则 {} · 填报范围 {}", wb.unit, wb.year, profile.label(), wb.scope.label());
    let department = wb.scope.department.then(|| ("附件2 部门整体支出绩效自评表".to_string(), &eval.department));
    let projects = wb.projects.iter().zip(&eval.projects).filter(|_| wb.scope.projects).map(|(p, e)| (format!("附件3 {}", p.name.trim()), e));
    let forms = department.into_iter().chain(projects);
    for (title, e) in forms {
        say!("\n{title}");
        say!(
            "  执行率 {}  分值 {}  得分 {}",
            display::percent(e.exec_rate),
            display::score(e.exec_weight),
            display::score(e.exec_score)
        );
        for c in &e.categories {
            say!(
                "  {:<8} 分值 {:>6}（应为{}） 得分 {:>6}",
                c.name,
                display::score(c.weight_sum),
                display::score(c.weight),
                display::score(c.score_sum)
            );
        }
        say!("  总分 分值 {}  得分 {}  等级 {}", display::score(e.total_weight), display::score(e.total_score), e.grade_label());
    }
    // Rows counted at their suggested full score (rules.md §4.3) until a score is entered.
    let suggested: Vec<String> = eval
        .findings
        .iter()
        .filter(|f| f.rule == zipin::finding::RuleId::QualSuggested)
        .map(|f| f.location.address(project_name(&wb, &f.location)))
        .collect();
    if !suggested.is_empty() {
        say!("\n以下 {} 行按建议得分（实际完成值与年度指标值相同，建议评为达成）计入，确认后请填写得分：", suggested.len());
        for a in suggested {
            say!("  {a}");
        }
    }
    ExitCode::SUCCESS
}

/// What `export` and `print` start from: the draft read and checked, and the choice of forms and
/// projects (a bad `--projects` or an unreadable draft: its exit code, said).
fn export_input(file: &Path, selection: Selection) -> Result<(Workbook, Profile, Evaluation, pdf::ExportOptions), ExitCode> {
    let Selection { forms, projects, final_copy, profile } = selection;
    let projects = parse_projects(&projects)?;
    let (wb, profile) = load(file, profile.as_deref())?;
    let eval = evaluate(&wb, &profile);
    Ok((wb, profile, eval, pdf::ExportOptions { forms, projects, final_copy }))
}

/// The errors that refuse a final copy, one a line under the message saying so.
fn list_errors<'a>(wb: &Workbook, errors: &mut dyn Iterator<Item = &'a Finding>) {
    for f in errors {
        eprintln!("  {:<22} {:<40} {}", f.rule.as_str(), f.location.address(project_name(wb, &f.location)), f.message);
    }
}

fn export(file: &Path, output: &Path, force: bool, selection: Selection) -> ExitCode {
    let format = match check_export_output(file, output, force) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let (wb, profile, eval, opts) = match export_input(file, selection) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let list_errors = |errors: &mut dyn Iterator<Item = &Finding>| list_errors(&wb, errors);
    let bytes = match pdf::export(format, &wb, &profile, &eval, &opts) {
        Ok((b, notes)) => {
            for note in notes {
                eprintln!("注意：{note}");
            }
            b
        }
        Err(pdf::ExportError::FinalRefused(errors)) => {
            eprintln!("错误：还有{}个错误，不能导出正式版，未写入文件（不加 --final 可导出带“草稿”水印的草稿）：", errors.len());
            list_errors(&mut errors.iter());
            return ExitCode::from(1);
        }
        Err(e) => return fail(2, &e.to_string()),
    };
    if eval.has_errors() {
        eprintln!("注意：还有{}个错误，导出的是带“草稿”水印的草稿：", eval.count(Severity::Error));
        list_errors(&mut eval.findings.iter().filter(|f| f.severity == Severity::Error));
    }
    let opts = zipin::safe_write::Options { backup: false, follow_symlink: force };
    if let Err(e) = zipin::safe_write::write(output, &bytes, opts) {
        return fail(2, &format!("无法写入 {e}"));
    }
    say!("已写入 {}（{} KB）", output.display(), bytes.len().div_ceil(1024));
    ExitCode::SUCCESS
}

/// `--projects`: `all`, or project numbers from 1 (`1,3`), as 0-based indices.
fn parse_projects(projects: &str) -> Result<Option<Vec<usize>>, ExitCode> {
    match projects.trim() {
        "all" | "" => Ok(None),
        list => list
            .split(',')
            .map(|n| n.trim().parse::<usize>().ok().filter(|&n| n >= 1).map(|n| n - 1).ok_or(n))
            .collect::<Result<Vec<usize>, _>>()
            .map(Some)
            .map_err(|n| fail(2, &format!("项目序号“{n}”无效（应为 all 或从1开始的序号，如 1,3）"))),
    }
}

/// `zipin printers`: one line a printer, the default marked `*`.
fn printers() -> ExitCode {
    match zipin::print::printers() {
        Ok(list) if list.is_empty() => {
            say!("没有可用的打印机（打印服务中还没有添加打印机）");
            ExitCode::SUCCESS
        }
        Ok(list) => {
            for p in &list {
                let info = if p.info.is_empty() || p.info == p.name { String::new() } else { format!("\t{}", p.info) };
                say!("{} {}{info}", if p.is_default { "*" } else { " " }, p.name);
            }
            match list.iter().find(|p| p.is_default) {
                Some(p) => say!("（* 为默认打印机：{}）", p.name),
                None => say!("（没有设置默认打印机：打印时请用 --printer 指定）"),
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(2, &e.to_string()),
    }
}

/// `--printer`, `--copies`, `--pages` read, or exit 2 naming what does not read.
fn parse_job(printer: Option<String>, copies: &str, pages: Option<&str>) -> Result<zipin::print::Job, ExitCode> {
    let copies = zipin::print::parse_copies(copies).map_err(|e| fail(2, &e))?;
    let pages = zipin::print::PageRange::parse(pages.unwrap_or("")).map_err(|e| fail(2, &e))?;
    Ok(zipin::print::Job { printer, copies, pages })
}

/// `zipin print`: the export's pages (same choice, same draft/final rule) to a printer.
fn print(file: &Path, job: &zipin::print::Job, selection: Selection) -> ExitCode {
    let (wb, profile, eval, opts) = match export_input(file, selection) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let list_errors = |errors: &mut dyn Iterator<Item = &Finding>| list_errors(&wb, errors);
    let printout = match pdf::Printout::of(&wb, &profile, &eval, &opts) {
        Ok(p) => p,
        Err(pdf::ExportError::FinalRefused(errors)) => {
            eprintln!("错误：还有{}个错误，不能打印正式版，未打印（不加 --final 可打印带“草稿”水印的草稿）：", errors.len());
            list_errors(&mut errors.iter());
            return ExitCode::from(1);
        }
        Err(e) => return fail(2, &e.to_string()),
    };
    match zipin::print::print(&printout, job) {
        Ok(sent) => {
            if eval.has_errors() {
                eprintln!("注意：还有{}个错误，打印的是带“草稿”水印的草稿", eval.count(Severity::Error));
            }
            say!("{sent}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(2, &format!("{e}；未打印")),
    }
}

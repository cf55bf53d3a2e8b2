//! 附件4 自评报告: a first draft of the narrative report, written from the engine's numbers.
//!
//! The text comes from a template (`templates/report/narrative.txt`, placeholders in braces);
//! every figure in it is taken from the evaluation, so the report and the tables cannot disagree.
//! The user edits the result; `zipin report FILE` prints it.

use crate::display;
use crate::engine::{Evaluation, Severity};
use crate::model::Workbook;

/// The built-in template.
pub const TEMPLATE: &str = include_str!("../templates/report/narrative.txt");

/// Placeholders a template may use: the Chinese name (what the built-in template and the window
/// show) and the ASCII name (also accepted, for templates written for earlier versions).
pub const PLACEHOLDERS: [(&str, &str); 20] = [
    ("单位名称", "unit"),
    ("年度", "year"),
    ("年初预算数", "initial"),
    ("全年预算数", "full_year"),
    ("全年执行数", "executed"),
    ("预算执行率", "exec_rate"),
    ("执行率得分", "exec_score"),
    ("执行率分值", "exec_weight"),
    ("基本支出", "basic"),
    ("项目支出", "project"),
    ("三级指标数", "rows"),
    ("各一级指标得分", "categories"),
    ("扣分情况说明", "deductions_heading"),
    ("扣分明细", "deductions"),
    ("项目自评情况", "projects"),
    ("总分", "total"),
    ("满分", "max"),
    ("等级", "grade"),
    ("暂定说明", "open_issues"),
    ("评价规则", "profile"),
];

/// Fills `template` for `wb` with the figures of `eval`.
pub fn draft(template: &str, wb: &Workbook, eval: &Evaluation) -> String {
    let d = &eval.department;
    let dept = &wb.department;
    let categories: Vec<String> = d
        .categories
        .iter()
        .map(|c| format!("{}（{}分）得分{}分；", c.name, display::score(c.weight), display::score(c.score_sum)))
        .collect();
    let mut deductions = Vec::new();
    for (i, (row, r)) in dept.indicators.iter().zip(&d.rows).enumerate() {
        let (Some(w), Some(s)) = (row.weight, r.score) else { continue };
        if s < w {
            let reason = if row.reason.trim().is_empty() { "（偏差原因待填写）".to_string() } else { row.reason.trim().to_string() };
            deductions.push(format!(
                "{}. “{}”（第{}行）目标{}，实际{}，分值{}分，得分{}分，扣{}分。原因及改进措施：{}",
                deductions.len() + 1,
                row.name.trim(),
                i + 1,
                if row.target.is_blank() { "未填写".to_string() } else { row.target.display() },
                if row.actual.is_blank() { "未填写".to_string() } else { row.actual.display() },
                display::score(w),
                display::score(s),
                display::score(w - s),
                reason
            ));
        }
    }
    let projects: Vec<String> = wb
        .projects
        .iter()
        .zip(&eval.projects)
        .map(|(p, e)| {
            format!(
                "“{}”项目全年预算{}万元，执行{}万元，执行率{}，自评得分{}分，等级“{}”。",
                p.name.trim(),
                display::money(e.funds.full_year),
                display::money(e.funds.executed),
                display::percent(e.exec_rate),
                display::score(e.total_score),
                e.grade
            )
        })
        .collect();
    let errors = eval.count(Severity::Error);
    let open_issues = if errors > 0 {
        format!("（注：表中尚有{errors}处错误未更正，以上得分和等级为暂定。）")
    } else {
        String::new()
    };
    let fields: [(&str, String); 20] = [
        ("unit", wb.unit.trim().to_string()),
        ("year", wb.year.to_string()),
        ("initial", display::money(d.funds.initial)),
        ("full_year", display::money(d.funds.full_year)),
        ("executed", display::money(d.funds.executed)),
        ("exec_rate", display::percent(d.exec_rate)),
        ("exec_score", display::score(d.exec_score)),
        ("exec_weight", display::score(d.exec_weight)),
        ("basic", display::money_opt(dept.by_nature.basic)),
        ("project", display::money_opt(dept.by_nature.project)),
        ("rows", dept.indicators.len().to_string()),
        ("categories", categories.join("\n")),
        ("deductions_heading", if deductions.is_empty() { "各项指标均按目标完成，无扣分。".into() } else { "扣分情况如下：".into() }),
        ("deductions", deductions.join("\n")),
        ("projects", if projects.is_empty() { "本年度无项目支出自评表。".into() } else { projects.join("\n") }),
        ("total", display::score(d.total_score)),
        ("max", display::score(d.max_score)),
        ("grade", d.grade.clone()),
        ("open_issues", open_issues),
        ("profile", wb.profile_id.clone()),
    ];
    fill(template, &fields)
}

/// Replaces `{name}` (a name of [`PLACEHOLDERS`], Chinese or ASCII) by its value; unknown placeholders are left as they are, so a typo in a
/// user's template shows instead of vanishing.
fn fill(template: &str, fields: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() * 2);
    let mut rest = template;
    let ascii = |name: &str| PLACEHOLDERS.iter().find(|(zh, _)| *zh == name).map_or(name, |(_, en)| *en).to_string();
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let found = after.find('}').map(|end| (ascii(&after[..end]), end));
        match found.as_ref().map(|(n, end)| (n.as_str(), *end)) {
            Some((name, end)) if fields.iter().any(|(k, _)| *k == name) => {
                out.push_str(&fields.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str()).unwrap_or_default());
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.trim_end().to_string() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::evaluate;
    use crate::profile::Profile;
    use crate::sample;

    #[test]
    fn every_number_comes_from_the_engine() {
        let wb = sample::miluo_2023();
        let eval = evaluate(&wb, &Profile::builtin("hunan-2023").unwrap());
        let text = draft(TEMPLATE, &wb, &eval);
        assert!(text.starts_with("2023年度汨罗市残疾人联合会部门整体支出绩效自评报告"), "{text}");
        assert!(text.contains("全年执行1005.67万元，预算执行率172.86%，执行率得分10分"), "{text}");
        assert!(text.contains("产出指标（30分）得分36分"), "{text}");
        assert!(text.contains("自评得分为102分（满分100分），自评等级为“优”"), "{text}");
        assert!(text.contains("“残疾人就业保障金”项目全年预算154.00万元，执行154.00万元，执行率100.00%，自评得分91分"), "{text}");
        assert!(text.contains("扣1分。原因及改进措施：（偏差原因待填写）"), "{text}");
        assert!(text.contains("以上得分和等级为暂定"), "{text}");
        assert!(!text.contains('{'), "no placeholder left: {text}");
    }

    #[test]
    fn unknown_placeholders_stay_visible() {
        assert_eq!(fill("{a}-{b}-{", &[("a", "1".into())]), "1-{b}-{\n");
    }

    #[test]
    fn chinese_and_ascii_names_fill_alike() {
        assert_eq!(fill("{总分}/{total}/{总 分}", &[("total", "98".into())]), "98/98/{总 分}\n");
        let wb = sample::miluo_2023();
        let eval = evaluate(&wb, &Profile::builtin("hunan-2023").unwrap());
        let ascii = PLACEHOLDERS.iter().fold(TEMPLATE.to_string(), |t, (zh, en)| t.replace(&format!("{{{zh}}}"), &format!("{{{en}}}")));
        assert_ne!(ascii, TEMPLATE);
        assert_eq!(draft(&ascii, &wb, &eval), draft(TEMPLATE, &wb, &eval));
    }
}

//! Markdown for a pull-request comment: a verdict, the counts, and a table of changes.

use super::human::consumer;
use super::{Report, allowance_text, standing};

/// The comment text.
pub(super) fn render(report: &Report) -> String {
    let verdict = if report.fails() {
        "**Breaking changes found.**"
    } else {
        "No unallowed breaking changes."
    };
    let mut out = format!(
        "### cqrsgen diff against `{}`\n\n{verdict} {}.\n",
        report.base,
        report.summary()
    );
    if report.entries.is_empty() {
        return out;
    }
    out += "\n| | Code | Subject | Change | Consumers |\n|---|---|---|---|---|\n";
    for entry in &report.entries {
        let change = &entry.change;
        let mut text = change.message.clone();
        if let Some(allowance) = &change.allowed {
            text += &format!(" ({})", allowance_text(allowance));
        }
        let consumers: Vec<String> = change.consumers.iter().map(consumer).collect();
        out += &format!(
            "| {} | {} | `{}` | {} | {} |\n",
            standing(change),
            change.code,
            change.subject,
            cell(&text),
            cell(&consumers.join("; "))
        );
    }
    out
}

/// Text safe inside a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

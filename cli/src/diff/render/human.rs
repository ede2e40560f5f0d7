//! Text for people: one block per change, then the counts.

use super::{Report, allowance_text, standing};
use crate::diff::change::Impact;
use crate::report::display_path;

/// Every change with its place, consumers and allowance, then a summary line.
pub(super) fn render(report: &Report) -> String {
    let mut out = String::new();
    for entry in &report.entries {
        let change = &entry.change;
        out += &format!(
            "{}[{}] {}: {}\n",
            standing(change),
            change.code,
            change.subject,
            change.message
        );
        if let Some(l) = &entry.location {
            out += &format!(
                "  --> {}:{}:{}\n",
                display_path(&l.file),
                l.start.line,
                l.start.column
            );
        }
        for impact in &change.consumers {
            out += &format!("  - {}\n", consumer(impact));
        }
        if let Some(allowance) = &change.allowed {
            out += &format!("  = {}\n", allowance_text(allowance));
        }
    }
    if !report.entries.is_empty() {
        out.push('\n');
    }
    out += &format!("{} (against `{}`)\n", report.summary(), report.base);
    out
}

/// `billing reads `total``, `billing` (affected as a whole) or `shipping: not affected`.
pub(super) fn consumer(impact: &Impact) -> String {
    let reads: Vec<String> = impact
        .reads
        .iter()
        .map(|r| {
            if r == "*" {
                "everything (a hook)".to_owned()
            } else {
                format!("`{r}`")
            }
        })
        .collect();
    match (impact.affected, reads.is_empty()) {
        (false, _) => format!("{}: not affected", impact.service),
        (true, true) => impact.service.clone(),
        (true, false) => format!("{} reads {}", impact.service, reads.join(", ")),
    }
}

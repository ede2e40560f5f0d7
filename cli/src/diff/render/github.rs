//! GitHub Actions workflow commands: failing breaking changes become errors, allowed ones
//! warnings, the rest notices, each on the spec line it is about.

use super::{Report, allowance_text};
use crate::diff::code::Class;
use crate::report::display_path;
use crate::report::github::{escape_data, escape_property};

/// One workflow command per change.
pub(super) fn render(report: &Report) -> String {
    let mut out = String::new();
    for entry in &report.entries {
        let change = &entry.change;
        let level = match change.class() {
            Class::Breaking if change.fails() => "error",
            Class::Breaking => "warning",
            Class::Compatible | Class::Informational => "notice",
        };
        let mut properties = Vec::new();
        if let Some(l) = &entry.location {
            properties.push(("file", display_path(&l.file)));
            properties.push(("line", l.start.line.to_string()));
            properties.push(("col", l.start.column.to_string()));
        }
        properties.push(("title", format!("{} {}", change.code, change.subject)));
        let properties: Vec<String> = properties
            .into_iter()
            .map(|(key, value)| format!("{key}={}", escape_property(&value)))
            .collect();
        let mut message = change.message.clone();
        let affected: Vec<&str> = change.affected().map(|i| i.service.as_str()).collect();
        if !affected.is_empty() {
            message += &format!("\naffects: {}", affected.join(", "));
        }
        if let Some(allowance) = &change.allowed {
            message += &format!("\n{}", allowance_text(allowance));
        }
        out += &format!(
            "::{level} {}::{}\n",
            properties.join(","),
            escape_data(&message)
        );
    }
    out
}

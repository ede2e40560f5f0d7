//! SARIF 2.1.0 for code-scanning services: failing breaking changes are errors, allowed
//! ones warnings, the rest notes.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::{Report, allowance_text};
use crate::diff::code::{ChangeCode, Class};
use crate::report::{display_path, to_json_pretty};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF log, pretty-printed, with a trailing newline.
pub(super) fn render(report: &Report, tool_version: &str) -> String {
    to_json_pretty(&log(report, tool_version))
}

/// The SARIF log as a value.
fn log(report: &Report, tool_version: &str) -> Value {
    let codes: BTreeSet<ChangeCode> = report.entries.iter().map(|e| e.change.code).collect();
    let rules: Vec<Value> = codes
        .iter()
        .map(|code| {
            json!({
                "id": code.as_str(),
                "shortDescription": { "text": code.summary() },
                "defaultConfiguration": { "level": level(code.class(), true) },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .entries
        .iter()
        .map(|entry| {
            let change = &entry.change;
            let mut text = format!("{}: {}", change.subject, change.message);
            if let Some(allowance) = &change.allowed {
                text += &format!(" ({})", allowance_text(allowance));
            }
            let mut result = json!({
                "ruleId": change.code.as_str(),
                "level": level(change.class(), change.fails()),
                "message": { "text": text },
            });
            if let Some(l) = &entry.location {
                result["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": { "uri": display_path(&l.file) },
                        "region": { "startLine": l.start.line, "startColumn": l.start.column },
                    }
                }]);
            }
            result
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "cqrsgen diff",
                "informationUri": "https://github.com/cqrsgen/cqrsgen/blob/main/docs/diff.md",
                "version": tool_version,
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

fn level(class: Class, fails: bool) -> &'static str {
    match class {
        Class::Breaking if fails => "error",
        Class::Breaking => "warning",
        Class::Compatible | Class::Informational => "note",
    }
}

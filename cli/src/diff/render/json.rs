//! A stable JSON document of a diff; its shape is documented in `docs/diff.md` and changes
//! only with a new `version`.

use serde::Serialize;

use super::{Report, Summary};
use crate::diff::change::{Allowance, Impact};
use crate::diff::code::{ChangeCode, Class};
use crate::report::{display_path, to_json_pretty};

/// The shape's version, bumped on incompatible changes.
const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    base: &'a str,
    changes: Vec<JsonChange<'a>>,
    summary: Summary,
    fails: bool,
}

#[derive(Serialize)]
struct JsonChange<'a> {
    code: ChangeCode,
    class: Class,
    subject: &'a str,
    path: Option<&'a str>,
    message: &'a str,
    consumers: Vec<Consumer<'a>>,
    allowed: Option<Allowed<'a>>,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
}

#[derive(Serialize)]
struct Consumer<'a> {
    service: &'a str,
    reads: &'a [String],
    affected: bool,
}

#[derive(Serialize)]
struct Allowed<'a> {
    by: &'static str,
    reason: Option<&'a str>,
    kept: Option<u32>,
    current: Option<u32>,
}

/// The document, pretty-printed, with a trailing newline.
pub(super) fn render(report: &Report) -> String {
    let changes = report
        .entries
        .iter()
        .map(|entry| {
            let change = &entry.change;
            let location = entry.location.as_ref();
            JsonChange {
                code: change.code,
                class: change.class(),
                subject: &change.subject,
                path: change.path.as_deref(),
                message: &change.message,
                consumers: change.consumers.iter().map(consumer).collect(),
                allowed: change.allowed.as_ref().map(allowed),
                file: location.map(|l| display_path(&l.file)),
                line: location.map(|l| l.start.line),
                column: location.map(|l| l.start.column),
            }
        })
        .collect();
    to_json_pretty(&Document {
        version: VERSION,
        base: &report.base,
        changes,
        summary: report.summary(),
        fails: report.fails(),
    })
}

fn consumer(impact: &Impact) -> Consumer<'_> {
    Consumer {
        service: &impact.service,
        reads: &impact.reads,
        affected: impact.affected,
    }
}

fn allowed(allowance: &Allowance) -> Allowed<'_> {
    match allowance {
        Allowance::Flag => Allowed {
            by: "flag",
            reason: None,
            kept: None,
            current: None,
        },
        Allowance::Acknowledged(reason) => Allowed {
            by: "acknowledgement",
            reason: Some(reason),
            kept: None,
            current: None,
        },
        Allowance::Versioned { kept, current } => Allowed {
            by: "version",
            reason: None,
            kept: Some(*kept),
            current: Some(*current),
        },
    }
}

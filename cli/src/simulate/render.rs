//! What `simulate` prints: the trace and the final views as text or JSON, and the
//! comparison of the views with the expected rows.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::{Map, Value};

use super::compile::Expected;
use super::engine::{DELETED, Entry, LATCHED, Outcome, Row, RowKey, TIMESTAMP};
use crate::ir::{System, View, ViewId};

/// One view at the end of a run.
#[derive(Debug, Clone, Serialize)]
pub struct FinalView {
    /// The service keeping it.
    pub service: String,
    /// The view.
    pub view: String,
    /// Its live rows in key order, as stored (with `timestamp` and `latched`).
    pub rows: Vec<Map<String, Value>>,
    /// How many rows are deleted (tombstones, not shown).
    pub deleted: usize,
}

/// Every view of `system` at the end of `outcome`, in service and view order.
pub fn final_views(system: &System, outcome: &Outcome) -> Vec<FinalView> {
    system
        .services
        .values()
        .flat_map(|service| service.views.iter())
        .map(|&id| {
            let view = &system.views[id];
            let table = &outcome.views[crate::ir::Id::index(id)];
            FinalView {
                service: system.services[view.service].name.clone(),
                view: view.name.clone(),
                rows: table
                    .values()
                    .filter(|row| !row.is_deleted())
                    .map(|row| row.values.clone())
                    .collect(),
                deleted: table.values().filter(|row| row.is_deleted()).count(),
            }
        })
        .collect()
}

/// A difference between the expected and the final rows of a view.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Difference {
    /// An expected row is not there.
    Missing {
        /// `service/view`.
        view: String,
        /// The row's key.
        key: String,
        /// The expected row.
        expected: Map<String, Value>,
    },
    /// A row is there that is not expected.
    Unexpected {
        /// `service/view`.
        view: String,
        /// The row's key.
        key: String,
        /// The row (view fields).
        found: Map<String, Value>,
    },
    /// A row differs in some fields.
    Differs {
        /// `service/view`.
        view: String,
        /// The row's key.
        key: String,
        /// Per differing field: its name, the expected and the found value (`null`: absent).
        fields: Vec<(String, Value, Value)>,
    },
}

/// The view fields of a stored row (without `timestamp`, `latched`, `deleted`).
fn fields_of(view: &View, row: &Map<String, Value>) -> Map<String, Value> {
    row.iter()
        .filter(|(name, _)| view.fields.iter().any(|f| &f.name == *name))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn key_of(view: &View, row: &Map<String, Value>) -> String {
    view.key
        .fields()
        .map(|i| match row.get(&view.fields[i].name) {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => "?".into(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Compares the final views with `expect`; no differences when they agree.
pub fn compare(system: &System, outcome: &Outcome, expect: &[Expected]) -> Vec<Difference> {
    let mut out = Vec::new();
    for expected in expect {
        let view = &system.views[expected.view];
        let name = view_name(system, expected.view);
        let table: &BTreeMap<RowKey, Row> = &outcome.views[crate::ir::Id::index(expected.view)];
        let mut found: BTreeMap<String, Map<String, Value>> = table
            .values()
            .filter(|row| !row.is_deleted())
            .map(|row| (key_of(view, &row.values), fields_of(view, &row.values)))
            .collect();
        for row in &expected.rows {
            let key = key_of(view, row);
            match found.remove(&key) {
                None => out.push(Difference::Missing {
                    view: name.clone(),
                    key,
                    expected: row.clone(),
                }),
                Some(actual) => {
                    let fields: Vec<(String, Value, Value)> = view
                        .fields
                        .iter()
                        .filter_map(|f| {
                            let e = row.get(&f.name).cloned().unwrap_or(Value::Null);
                            let a = actual.get(&f.name).cloned().unwrap_or(Value::Null);
                            (e != a).then(|| (f.name.clone(), e, a))
                        })
                        .collect();
                    if !fields.is_empty() {
                        out.push(Difference::Differs {
                            view: name.clone(),
                            key,
                            fields,
                        });
                    }
                }
            }
        }
        for (key, row) in found {
            out.push(Difference::Unexpected {
                view: name.clone(),
                key,
                found: row,
            });
        }
    }
    out
}

fn view_name(system: &System, id: ViewId) -> String {
    let view = &system.views[id];
    format!("{}/{}", system.services[view.service].name, view.name)
}

/// The differences as text, one line or block per difference.
pub fn differences_text(differences: &[Difference]) -> String {
    let mut text = String::new();
    for d in differences {
        match d {
            Difference::Missing {
                view,
                key,
                expected,
            } => {
                let _ = writeln!(
                    text,
                    "- {view} [{key}]: expected row missing: {}",
                    Value::Object(expected.clone())
                );
            }
            Difference::Unexpected { view, key, found } => {
                let _ = writeln!(
                    text,
                    "+ {view} [{key}]: unexpected row: {}",
                    Value::Object(found.clone())
                );
            }
            Difference::Differs { view, key, fields } => {
                let _ = writeln!(text, "~ {view} [{key}]:");
                for (name, expected, found) in fields {
                    let _ = writeln!(
                        text,
                        "    {name}: expected {}, found {}",
                        shown(expected),
                        shown(found)
                    );
                }
            }
        }
    }
    text
}

fn shown(value: &Value) -> String {
    match value {
        Value::Null => "(absent)".into(),
        other => other.to_string(),
    }
}

/// The JSON document of `--format json`.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    /// Version of this shape.
    pub version: u32,
    /// What happened.
    pub trace: &'a [Entry],
    /// The views at the end.
    pub views: Vec<FinalView>,
    /// The comparison with the expected rows, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assert: Option<Assertion>,
}

/// The result of `--assert`.
#[derive(Debug, Serialize)]
pub struct Assertion {
    /// Whether the views are as expected.
    pub passed: bool,
    /// How they differ.
    pub differences: Vec<Difference>,
}

/// The trace as text.
pub fn trace_text(trace: &[Entry]) -> String {
    let mut text = String::new();
    for entry in trace {
        let _ = match entry {
            Entry::Change {
                step,
                service,
                entity,
                change,
                key,
                at,
            } => writeln!(
                text,
                "step {step}: {} {entity} `{key}` of {service} at {at}",
                change.as_str()
            ),
            Entry::Waiting { service, .. } => writeln!(
                text,
                "  {service} is down: the record waits in the table's stream"
            ),
            Entry::Replayed { step, service } => writeln!(
                text,
                "  the trigger of {service} reads the record of step {step}"
            ),
            Entry::Skipped { reason, .. } => writeln!(text, "  skipped: {reason}"),
            Entry::NoEvent { .. } => writeln!(text, "  no `publishes` rule fires: no event"),
            Entry::External {
                step,
                event,
                source,
                at,
            } => writeln!(
                text,
                "step {step}: external event {event} from `{source}` at {at}"
            ),
            Entry::Published {
                id,
                event,
                sequence,
                timestamp,
            } => writeln!(
                text,
                "  event {event} `{id}` (sequence {sequence}, timestamp {timestamp})"
            ),
            Entry::Routed {
                service,
                delivered,
                reason,
                copies,
                waits,
                ..
            } => {
                if *delivered {
                    let twice = if *copies > 1 { " twice" } else { "" };
                    let waits = if *waits { " (waits in the queue)" } else { "" };
                    writeln!(text, "    -> {service}: delivered{twice}{waits}")
                } else {
                    writeln!(
                        text,
                        "    -x {service}: filtered out: {}",
                        reason.as_deref().unwrap_or("")
                    )
                }
            }
            Entry::NoSubscriber { .. } => writeln!(text, "    (no subscriber)"),
            Entry::Applied {
                service,
                id,
                event,
                writes,
            } => {
                let _ = writeln!(text, "  {service} applies {event} `{id}`");
                if writes.is_empty() {
                    let _ = writeln!(text, "    no projection: acknowledged");
                }
                for w in writes {
                    let key = w
                        .key
                        .as_deref()
                        .map(|k| format!(" [{k}]"))
                        .unwrap_or_default();
                    let _ = writeln!(
                        text,
                        "    {}{key}: {} {}: {}",
                        w.view, w.operation, w.outcome, w.detail
                    );
                }
                Ok(())
            }
            Entry::Perturbation {
                step,
                action,
                service,
                order,
                queued,
            } => {
                let more = match (order, queued) {
                    (Some(order), Some(queued)) => {
                        format!(": {queued} queued message(s), delivered {order}")
                    }
                    _ => String::new(),
                };
                writeln!(text, "step {step}: {action} {service}{more}")
            }
        };
    }
    text
}

/// Widest cell shown in a table, in characters.
const CELL: usize = 40;

/// The views as text tables.
pub fn views_text(system: &System, views: &[FinalView]) -> String {
    let mut text = String::new();
    let all = system
        .services
        .values()
        .flat_map(|service| service.views.iter());
    for (&id, fin) in all.zip(views) {
        let view = &system.views[id];
        let deleted = if fin.deleted > 0 {
            format!(", {} deleted", fin.deleted)
        } else {
            String::new()
        };
        let _ = writeln!(
            text,
            "\n{}/{} ({} row(s){deleted})",
            fin.service,
            fin.view,
            fin.rows.len()
        );
        if fin.rows.is_empty() {
            continue;
        }
        let header: Vec<String> = view.fields.iter().map(|f| f.name.clone()).collect();
        let rows: Vec<Vec<String>> = fin
            .rows
            .iter()
            .map(|row| view.fields.iter().map(|f| cell(row.get(&f.name))).collect())
            .collect();
        let widths: Vec<usize> = (0..header.len())
            .map(|i| {
                rows.iter()
                    .map(|r| r[i].chars().count())
                    .chain(std::iter::once(header[i].chars().count()))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &[String]| {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c:<w$}"))
                .collect();
            format!("  {}", padded.join(" | ").trim_end())
        };
        let _ = writeln!(text, "{}", line(&header));
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        let _ = writeln!(text, "  {}", rule.join("-+-"));
        for row in &rows {
            let _ = writeln!(text, "{}", line(row));
        }
    }
    text
}

fn cell(value: Option<&Value>) -> String {
    let text = match value {
        None | Some(Value::Null) => "-".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    if text.chars().count() > CELL {
        let cut: String = text.chars().take(CELL - 3).collect();
        format!("{cut}...")
    } else {
        text
    }
}

/// Whether an attribute is one the stores manage themselves.
pub fn is_reserved(name: &str) -> bool {
    [TIMESTAMP, LATCHED, DELETED].contains(&name)
}

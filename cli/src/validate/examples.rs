//! Spec `examples` checked against their event version: the generated JSON Schema (the one
//! consumers get) plus what that schema leaves open on purpose: keys the version does not
//! declare (a typo in an example is a bug, even though readers ignore unknown keys), and
//! bounds on decimals (strings on the wire).

use serde_json::Value;

use super::context::{Part, Reporter};
use crate::diagnostic::Code;
use crate::emit::json_schema::event_schema;
use crate::ir::{Event, EventVersion, Field, System, TypeKind};
use crate::load::span::escape_token;

/// Runs the checks on the resolved system.
pub fn check(r: &mut Reporter<'_>, system: &System) {
    for event in system.events.values() {
        for version in &event.versions {
            check_version(r, system, event, version);
        }
    }
}

fn check_version(r: &mut Reporter<'_>, system: &System, event: &Event, version: &EventVersion) {
    if version.examples.is_empty() {
        return;
    }
    let schema = event_schema(system, event, version);
    // Formats (uuid, date-time, email...) are annotations in draft 2020-12; examples must
    // honour them.
    let Ok(validator) = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
    else {
        return;
    };
    for (i, example) in version.examples.iter().enumerate() {
        let at = version.origin.key("examples").index(i);
        let mut problems: Vec<(String, String)> = validator
            .iter_errors(example)
            .map(|e| (e.instance_path().as_str().to_owned(), e.to_string()))
            .collect();
        undeclared(system, &version.fields, example, "", &mut problems);
        for (pointer, message) in problems {
            let shown = if pointer.is_empty() {
                String::new()
            } else {
                format!(" at `{pointer}`")
            };
            r.error(
                Code::InvalidExample,
                &at.at(&pointer),
                Part::Value,
                format!(
                    "example {} of `{}` v{} is invalid{shown}: {message}",
                    i + 1,
                    event.name,
                    version.version
                ),
            )
            .with_help("fix the example or the field definition");
        }
    }
}

/// Keys the fields do not declare, and decimals outside their bounds, recursively.
fn undeclared(
    system: &System,
    fields: &[Field],
    value: &Value,
    pointer: &str,
    out: &mut Vec<(String, String)>,
) {
    let Some(object) = value.as_object() else {
        return;
    };
    for (key, item) in object {
        let here = format!("{pointer}/{}", escape_token(key));
        match fields.iter().find(|f| &f.name == key) {
            None => out.push((here, format!("`{key}` is not a field of this version"))),
            Some(field) => nested(system, field, &field.ty.kind, item, &here, out),
        }
    }
}

fn nested(
    system: &System,
    field: &Field,
    kind: &TypeKind,
    value: &Value,
    pointer: &str,
    out: &mut Vec<(String, String)>,
) {
    match kind {
        TypeKind::Record(inner) => undeclared(system, inner, value, pointer, out),
        TypeKind::Named(id) => {
            if let Some(inner) = system.record(*id) {
                undeclared(system, inner, value, pointer, out);
            }
        }
        TypeKind::Array(item) => {
            for (i, element) in value.as_array().into_iter().flatten().enumerate() {
                nested(
                    system,
                    field,
                    &item.kind,
                    element,
                    &format!("{pointer}/{i}"),
                    out,
                );
            }
        }
        TypeKind::Map(item) => {
            for (key, element) in value.as_object().into_iter().flatten() {
                nested(
                    system,
                    field,
                    &item.kind,
                    element,
                    &format!("{pointer}/{}", escape_token(key)),
                    out,
                );
            }
        }
        TypeKind::Decimal => {
            let number = value.as_str().and_then(|s| s.parse::<f64>().ok());
            let constraints = &field.ty.constraints;
            if let Some(n) = number
                && (constraints.min.is_some_and(|min| n < min)
                    || constraints.max.is_some_and(|max| n > max))
            {
                let bounds = [
                    constraints.min.map(|m| format!("min {m}")),
                    constraints.max.map(|m| format!("max {m}")),
                ];
                let bounds: Vec<String> = bounds.into_iter().flatten().collect();
                out.push((
                    pointer.to_owned(),
                    format!(
                        "{n} is outside the bounds of `{}` ({})",
                        field.name,
                        bounds.join(", ")
                    ),
                ));
            }
        }
        _ => {}
    }
}

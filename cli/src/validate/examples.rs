//! Spec `examples` checked against their event version: the generated JSON Schema (the one
//! consumers get) plus what that schema leaves open on purpose: keys the version does not
//! declare (a typo in an example is a bug, even though readers ignore unknown keys), and
//! bounds on decimals (strings on the wire).

use serde_json::Value;

use super::context::{Checker, Part};
use crate::diagnostic::Code;
use crate::emit::json_schema::event_schema;
use crate::load::span::escape_token;
use crate::model::{Event, EventVersion, Field, NamedKind, TypeKind};

/// Runs the checks. Call only when the model has no errors: the schema of a version with
/// unknown types would accept anything there.
pub fn check(c: &mut Checker<'_>) {
    for event in c.system.events.values() {
        for version in &event.versions {
            check_version(c, event, version);
        }
    }
}

fn check_version(c: &mut Checker<'_>, event: &Event, version: &EventVersion) {
    if version.examples.is_empty() {
        return;
    }
    let schema = event_schema(c.system, event, version);
    // Formats (uuid, date-time, email...) are annotations in draft 2020-12; examples must
    // honour them.
    let Ok(validator) = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
    else {
        return;
    };
    for (i, example) in version.examples.iter().enumerate() {
        let at = event.origin.at(&format!("{}/examples/{i}", version.at));
        let mut problems: Vec<(String, String)> = validator
            .iter_errors(example)
            .map(|e| (e.instance_path().as_str().to_owned(), e.to_string()))
            .collect();
        undeclared(c, &version.fields, example, "", &mut problems);
        for (pointer, message) in problems {
            let shown = if pointer.is_empty() {
                String::new()
            } else {
                format!(" at `{pointer}`")
            };
            c.error(
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
    c: &Checker<'_>,
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
            Some(field) => nested(c, field, &field.ty.kind, item, &here, out),
        }
    }
}

fn nested(
    c: &Checker<'_>,
    field: &Field,
    kind: &TypeKind,
    value: &Value,
    pointer: &str,
    out: &mut Vec<(String, String)>,
) {
    match kind {
        TypeKind::Record(inner) => undeclared(c, inner, value, pointer, out),
        TypeKind::Named(name) => {
            if let Some(NamedKind::Record(inner)) = c.system.types.get(name).map(|t| &t.kind) {
                undeclared(c, inner, value, pointer, out);
            }
        }
        TypeKind::Array(item) => {
            for (i, element) in value.as_array().into_iter().flatten().enumerate() {
                nested(
                    c,
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
                    c,
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

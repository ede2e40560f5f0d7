//! View checks: keys and indexes, and every projection's sources, targets and types.

use std::collections::BTreeMap;

use super::context::{Checker, Part, suggest};
use super::references::unknown_event;
use crate::diagnostic::Code;
use crate::load::span::escape_token;
use crate::model::{
    Event, Field, IntWidth, Meta, NamedKind, Origin, Projection, Service, Source, TypeKind, View,
};
use crate::spec::{KeyDef, Scalar};

/// Runs the checks.
pub fn check(c: &mut Checker<'_>) {
    for service in c.system.services.values() {
        for view in service.views.values() {
            let at = service
                .origin
                .at(&format!("/views/{}", escape_token(&view.name)));
            key(c, view, &view.key, &at.at("/key"));
            for (name, index) in &view.indexes {
                key(
                    c,
                    view,
                    index,
                    &at.at(&format!("/indexes/{}", escape_token(name))),
                );
            }
            for (event, projection) in &view.projections {
                let here = at.at(&format!("/projections/{}", escape_token(event)));
                project(c, service, view, event, projection, &here);
            }
        }
    }
}

fn key(c: &mut Checker<'_>, view: &View, key: &KeyDef, at: &Origin) {
    if key.sort.as_ref() == Some(&key.partition) {
        c.error(
            Code::InvalidKey,
            &at.at("/sort"),
            Part::Value,
            format!("`{}` is both the partition and the sort key", key.partition),
        )
        .with_label("same field as the partition key")
        .with_help("DynamoDB needs two attributes: sort by another field, or leave `sort` out");
    }
    let parts = std::iter::once(("partition", &key.partition))
        .chain(key.sort.as_ref().map(|s| ("sort", s)));
    for (part, name) in parts {
        let here = at.at(&format!("/{part}"));
        match view.fields.iter().find(|f| &f.name == name) {
            None => {
                let names: Vec<&str> = view.fields.iter().map(|f| f.name.as_str()).collect();
                let d = c
                    .error(
                        Code::InvalidKey,
                        &here,
                        Part::Value,
                        format!("view `{}` has no field `{name}`", view.name),
                    )
                    .with_label("not a field of the view");
                suggest(d, name, names);
            }
            Some(field) if !key_kind(c, &field.ty.kind) => {
                c.error(
                    Code::InvalidKey,
                    &here,
                    Part::Value,
                    format!(
                        "`{name}` is {}, which cannot be a key",
                        field.ty.kind.describe()
                    ),
                )
                .with_help("keys are strings, uuids, dates, timestamps, enums or integers");
            }
            Some(field) if field.optional => {
                c.error(
                    Code::InvalidKey,
                    &here,
                    Part::Value,
                    format!("key field `{name}` is optional"),
                )
                .with_help("key fields must always have a value");
            }
            Some(_) => {}
        }
    }
}

fn key_kind(c: &Checker<'_>, kind: &TypeKind) -> bool {
    match kind {
        TypeKind::Named(name) => matches!(
            c.system.types.get(name).map(|t| &t.kind),
            Some(crate::model::NamedKind::Enum(_))
        ),
        k => k.is_key(),
    }
}

fn project(
    c: &mut Checker<'_>,
    service: &Service,
    view: &View,
    event_name: &str,
    projection: &Projection,
    at: &Origin,
) {
    let Some(event) = c.system.events.get(event_name) else {
        unknown_event(c, event_name, at, Part::Key);
        return;
    };
    if !service.subscriptions.iter().any(|s| s.event == event_name) {
        c.error(
            Code::NotSubscribed,
            at,
            Part::Key,
            format!(
                "view `{}` projects `{event_name}`, but `{}` does not subscribe to it",
                view.name, service.name
            ),
        )
        .with_help(format!(
            "add `- event: {event_name}` to `subscribes` of `{}`",
            service.name
        ));
    }
    let keys: Vec<&String> = std::iter::once(&view.key.partition)
        .chain(view.key.sort.as_ref())
        .collect();
    match projection {
        Projection::Upsert(map) => {
            for (target, source) in map {
                let here = at.at(&format!("/upsert/{}", escape_token(target)));
                let Some(field) = view.fields.iter().find(|f| &f.name == target) else {
                    let names: Vec<&str> = view.fields.iter().map(|f| f.name.as_str()).collect();
                    let d = c.error(
                        Code::UnknownField,
                        &here,
                        Part::Key,
                        format!("view `{}` has no field `{target}`", view.name),
                    );
                    suggest(d, target, names);
                    continue;
                };
                source_fits(c, event, field, source, &here);
            }
            unmapped_required(c, view, map, &keys, at);
            for key in keys.iter().filter(|k| !map.contains_key(k.as_str())) {
                c.error(
                    Code::KeyNotMapped,
                    &at.at("/upsert"),
                    Part::Key,
                    format!(
                        "the upsert does not set key field `{key}` of view `{}`",
                        view.name
                    ),
                )
                .with_help(format!("map it: `{key}: <event field>`"));
            }
        }
        Projection::Delete(map) => {
            for key in &keys {
                let here = match map.get(key.as_str()) {
                    Some(_) => at.at(&format!("/delete/{}", escape_token(key))),
                    None => {
                        c.error(Code::KeyNotMapped, at, Part::Value, format!("the delete does not say which event field gives key field `{key}` of view `{}`", view.name))
                            .with_help(format!("write `{{ delete: {{ {key}: <event field> }} }}`"));
                        continue;
                    }
                };
                let path = &map[key.as_str()];
                if let Some(field) = view.fields.iter().find(|f| &f.name == *key) {
                    source_fits(c, event, field, &Source::Field(path.clone()), &here);
                }
            }
            for extra in map.keys().filter(|k| !keys.contains(k)) {
                c.error(
                    Code::InvalidProjection,
                    &at.at(&format!("/delete/{}", escape_token(extra))),
                    Part::Key,
                    format!("`{extra}` is not a key field of view `{}`", view.name),
                );
            }
        }
        Projection::Hook(_) => {}
    }
}

/// Rows are decoded into the view's row type, so every row an upsert may create holds every
/// required field: the upsert maps each (key fields are reported by [`Code::KeyNotMapped`]).
fn unmapped_required(
    c: &mut Checker<'_>,
    view: &View,
    map: &BTreeMap<String, Source>,
    keys: &[&String],
    at: &Origin,
) {
    let missing: Vec<String> = view
        .fields
        .iter()
        .filter(|f| !f.optional && !map.contains_key(&f.name) && !keys.contains(&&f.name))
        // Invalid names are reported as such.
        .filter(|f| crate::naming::check_field(&f.name).is_ok())
        .map(|f| format!("`{}`", f.name))
        .collect();
    if missing.is_empty() {
        return;
    }
    let (noun, pronoun) = if missing.len() == 1 {
        ("field", "it")
    } else {
        ("fields", "them")
    };
    c.error(
        Code::InvalidProjection,
        &at.at("/upsert"),
        Part::Key,
        format!(
            "the upsert does not set required {noun} {} of view `{}`",
            missing.join(", "),
            view.name
        ),
    )
    .with_label(format!("a row this creates lacks {pronoun}"))
    .with_help(format!(
        "map {pronoun} here, or make {pronoun} optional (`optional: true`) if some events \
         cannot give a value"
    ));
}

/// Checks that a source exists on the event and its type matches the view field's.
fn source_fits(c: &mut Checker<'_>, event: &Event, target: &Field, source: &Source, at: &Origin) {
    match source {
        Source::Field(path) => {
            if let Some(name) = path.strip_prefix('$') {
                let names: Vec<&str> = Meta::ALL.iter().map(|(n, _)| &n[1..]).collect();
                let d = c
                    .error(
                        Code::UnknownField,
                        at,
                        Part::Value,
                        format!("`${name}` is not envelope metadata"),
                    )
                    .with_label("unknown metadata");
                suggest(d, name, names);
                return;
            }
            let Some((field, optional)) = c.lookup_optional(&event.current().fields, path) else {
                let paths = c.paths(&event.current().fields);
                let d = c
                    .error(
                        Code::UnknownField,
                        at,
                        Part::Value,
                        format!("event `{}` has no field `{path}`", event.name),
                    )
                    .with_label("unknown field path");
                suggest(d, path, paths.iter().map(String::as_str));
                return;
            };
            if field.ty.kind != target.ty.kind {
                c.error(
                    Code::TypeMismatch,
                    at,
                    Part::Value,
                    format!(
                        "view field `{}` is {} but event field `{path}` is {}",
                        target.name,
                        target.ty.kind.describe(),
                        field.ty.kind.describe()
                    ),
                );
            } else if optional && !target.optional {
                c.error(
                    Code::TypeMismatch,
                    at,
                    Part::Value,
                    format!(
                        "view field `{}` is required but event field `{path}` may be absent",
                        target.name
                    ),
                )
                .with_label("optional source")
                .with_help(format!(
                    "make `{}` optional in the view, or map a required event field",
                    target.name
                ));
            }
        }
        Source::Meta(meta) => {
            if target.ty.kind != meta.kind() {
                c.error(
                    Code::TypeMismatch,
                    at,
                    Part::Value,
                    format!(
                        "view field `{}` is {} but this metadata is {}",
                        target.name,
                        target.ty.kind.describe(),
                        meta.kind().describe()
                    ),
                )
                .with_help(format!("make the view field {}", meta.kind().describe()));
            }
        }
        Source::Const(value) => {
            let fits = constant_fits(c, value, &target.ty.kind);
            if !fits {
                c.error(
                    Code::TypeMismatch,
                    at,
                    Part::Value,
                    format!(
                        "this constant does not fit view field `{}` ({})",
                        target.name,
                        target.ty.kind.describe()
                    ),
                )
                .with_help(
                    "write it as the field's wire form: decimals, timestamps, dates and uuids as \
                     quoted strings (`\"2.50\"`), integers without a fraction",
                );
            }
        }
    }
}

/// Whether constant `value` decodes as a value of `kind` when a row is read: stored as
/// written, so a string must be in the type's wire form (decimals too) and a number must
/// fit an integer's width.
fn constant_fits(c: &Checker<'_>, value: &Scalar, kind: &TypeKind) -> bool {
    let named_enum = match kind {
        TypeKind::Named(name) => match c.system.types.get(name).map(|t| &t.kind) {
            Some(NamedKind::Enum(values)) => Some(values),
            _ => None,
        },
        TypeKind::Enum(values) => Some(values),
        _ => None,
    };
    if let Some(values) = named_enum {
        return matches!(value, Scalar::String(s) if values.contains(s));
    }
    match (value, kind) {
        (Scalar::String(_), TypeKind::String) => true,
        (Scalar::String(s), TypeKind::Uuid) => uuid::Uuid::parse_str(s).is_ok(),
        (Scalar::String(s), TypeKind::Date) => has_format(s, "date"),
        (Scalar::String(s), TypeKind::Timestamp) => has_format(s, "date-time"),
        (Scalar::String(s), TypeKind::Decimal) => is_decimal(s),
        (Scalar::Number(n), TypeKind::Integer(IntWidth::I64)) => n.as_i64().is_some(),
        (Scalar::Number(n), TypeKind::Integer(IntWidth::I32)) => {
            n.as_i64().is_some_and(|i| i32::try_from(i).is_ok())
        }
        (Scalar::Number(n), TypeKind::Number) => n.as_f64().is_some_and(f64::is_finite),
        (Scalar::Bool(_), TypeKind::Boolean) => true,
        _ => false,
    }
}

/// Whether `text` has JSON Schema string format `format`, as examples are checked.
fn has_format(text: &str, format: &str) -> bool {
    let schema = serde_json::json!({"type": "string", "format": format});
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .is_ok_and(|validator| validator.is_valid(&serde_json::json!(text)))
}

/// Whether `text` is a decimal the generated code reads: digits with an optional sign and
/// fraction, at most 28 of them.
fn is_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    !whole.is_empty()
        && all_digits(whole)
        && all_digits(fraction)
        && !(digits.contains('.') && fraction.is_empty())
        && whole.len() + fraction.len() <= 28
}

//! Reference and ownership checks: events and their owners and versions, what services
//! publish, what they subscribe to and how they filter, and every field type reference.

use std::collections::BTreeSet;

use super::context::{Checker, Part, suggest};
use crate::diagnostic::Code;
use crate::eventbridge::{FieldKind, PatternError, compile, operator_kind};
use crate::load::span::escape_token;
use crate::model::{Event, Field, NamedKind, Origin, TypeKind};
use crate::spec::{AnythingBut, ChangeDef, Condition, Filter, Operator, Scalar};

/// Runs the checks.
pub fn check(c: &mut Checker<'_>) {
    let system = c.system;
    for event in system.events.values() {
        ownership(c, event);
        versions(c, event);
    }
    for service in system.services.values() {
        for (i, publish) in service.publishes.iter().enumerate() {
            let at = service.origin.at(&format!("/publishes/{i}"));
            publishes(c, &service.name, publish, &at);
        }
        let mut seen = BTreeSet::new();
        for (i, sub) in service.subscriptions.iter().enumerate() {
            let at = service.origin.at(&format!("/subscribes/{i}"));
            if !seen.insert(sub.event.as_str()) {
                c.error(
                    Code::DuplicateSubscription,
                    &at.at("/event"),
                    Part::Value,
                    format!("`{}` subscribes to `{}` twice", service.name, sub.event),
                )
                .with_help("merge the filters into one subscription with `any-of`");
                continue;
            }
            subscription(c, sub.event.as_str(), sub.filter.as_ref(), &at);
        }
    }
    type_references(c);
}

/// Reports a reference to an event that does not exist, with the closest name as help.
pub(super) fn unknown_event(c: &mut Checker<'_>, name: &str, at: &Origin, part: Part) {
    let names: Vec<&str> = c.system.events.keys().map(String::as_str).collect();
    let d = c
        .error(
            Code::UnknownEvent,
            at,
            part,
            format!("unknown event `{name}`"),
        )
        .with_label("no event has this name");
    suggest(d, name, names);
}

fn ownership(c: &mut Checker<'_>, event: &Event) {
    let at = &event.origin;
    match (&event.owner, event.external) {
        (None, false) => {
            c.error(
                Code::NoOwner,
                at,
                Part::Key,
                format!("event `{}` has no owner", event.name),
            )
            .with_label("no `owner`")
            .with_help(
                "name the producing service with `owner:`, or mark the event `external: true`",
            );
        }
        (Some(_), true) => {
            c.error(
                Code::TwoOwners,
                &at.at("/external"),
                Part::Key,
                format!("event `{}` has an owner and is external", event.name),
            )
            .with_help("an event has exactly one producer: remove `owner` or `external`");
        }
        (Some(owner), false) => {
            let Some(service) = c.system.services.get(owner) else {
                let names: Vec<&str> = c.system.services.keys().map(String::as_str).collect();
                let d = c
                    .error(
                        Code::UnknownService,
                        &at.at("/owner"),
                        Part::Value,
                        format!("unknown service `{owner}`"),
                    )
                    .with_label("no service has this name");
                suggest(d, owner, names);
                return;
            };
            // With consumers, each subscription reports the missing producer instead.
            let consumed = c.system.consumers(&event.name).next().is_some();
            if !consumed && !service.publishes.iter().any(|p| p.event == event.name) {
                c.error(Code::NoProducer, &at.at("/owner"), Part::Value, format!("`{owner}` owns `{}` but does not publish it", event.name))
                    .with_label("owner")
                    .with_help(format!("add `- {{ event: {}, entity: ..., when: insert }}` to `publishes` of `{owner}`", event.name));
            }
        }
        (None, true) => {}
    }
}

/// Versions increase, and a change that is not additive names an upcast hook.
fn versions(c: &mut Checker<'_>, event: &Event) {
    for pair in event.versions.windows(2) {
        let (old, new) = (&pair[0], &pair[1]);
        let at = event.origin.at(&old.at);
        if old.version >= new.version {
            c.error(
                Code::InvalidVersion,
                &at.at("/version"),
                Part::Value,
                format!(
                    "version {} of `{}` is not lower than the version after it ({})",
                    old.version, event.name, new.version
                ),
            )
            .with_help("list `previous` versions oldest first, each lower than `version`");
            continue;
        }
        if old.upcast.is_none()
            && let Some(reason) = not_additive(&old.fields, &new.fields)
        {
            c.error(
                Code::InvalidVersion,
                &at.at("/version"),
                Part::Value,
                format!(
                    "`{}` v{} -> v{} is not additive: {reason}",
                    event.name, old.version, new.version
                ),
            )
            .with_help("declare `upcast: <hook-name>` on the older version and implement the hook");
        }
    }
}

/// Why `new` is not `old` plus optional fields, if it is not.
fn not_additive(old: &[Field], new: &[Field]) -> Option<String> {
    for field in old {
        match new.iter().find(|f| f.name == field.name) {
            None => return Some(format!("field `{}` was removed", field.name)),
            Some(f) if f.ty.kind != field.ty.kind => {
                return Some(format!("field `{}` changed type", field.name));
            }
            Some(f) if f.ty.constraints != field.ty.constraints => {
                return Some(format!("field `{}` changed constraints", field.name));
            }
            Some(f) if f.optional != field.optional => {
                return Some(format!("field `{}` changed optionality", field.name));
            }
            Some(_) => {}
        }
    }
    new.iter()
        .find(|f| !f.optional && !old.iter().any(|o| o.name == f.name))
        .map(|f| format!("new field `{}` is required", f.name))
}

fn publishes(c: &mut Checker<'_>, service: &str, publish: &crate::model::Publish, at: &Origin) {
    let system = c.system;
    let Some(event) = system.events.get(&publish.event) else {
        unknown_event(c, &publish.event, &at.at("/event"), Part::Value);
        return;
    };
    // An event without a valid owner is reported at the event itself.
    let owner_known = event
        .owner
        .as_ref()
        .is_some_and(|o| system.services.contains_key(o));
    if (owner_known || event.external) && event.owner.as_deref() != Some(service) {
        let owner = event.owner.as_deref().map_or_else(
            || "produced outside the system".to_owned(),
            |o| format!("owned by `{o}`"),
        );
        c.error(
            Code::NotOwner,
            &at.at("/event"),
            Part::Value,
            format!("`{service}` publishes `{}`, which is {owner}", event.name),
        )
        .with_help("only an event's owner publishes it; change `owner` or publish another event");
    }
    let Some(entity) = system
        .services
        .get(service)
        .and_then(|s| s.entities.get(&publish.entity))
    else {
        let names: Vec<&str> = system
            .services
            .get(service)
            .map(|s| s.entities.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let d = c
            .error(
                Code::UnknownEntity,
                &at.at("/entity"),
                Part::Value,
                format!("`{service}` has no entity `{}`", publish.entity),
            )
            .with_label("unknown entity");
        suggest(d, &publish.entity, names);
        return;
    };
    if let ChangeDef::Transition(t) = &publish.when {
        match entity.fields.iter().find(|f| f.name == t.field) {
            None => {
                c.error(
                    Code::UnknownField,
                    &at.at("/when/field"),
                    Part::Value,
                    format!("entity `{}` has no field `{}`", entity.name, t.field),
                );
            }
            Some(field) => {
                for (value, pointer) in std::iter::once((&t.becomes, "/when/becomes".to_owned()))
                    .chain(
                        t.from
                            .iter()
                            .enumerate()
                            .map(|(i, v)| (v, format!("/when/from/{i}"))),
                    )
                {
                    if let Some(problem) = literal_mismatch(c, value, &field.ty.kind) {
                        c.error(Code::TypeMismatch, &at.at(&pointer), Part::Value, problem);
                    }
                }
            }
        }
    }
    let fields = &event.current().fields;
    for (event_field, entity_path) in &publish.map {
        let ev = fields.iter().find(|f| &f.name == event_field);
        let en = c.lookup_optional(&entity.fields, entity_path);
        let map_at = at.at(&format!("/map/{}", escape_token(event_field)));
        match (ev, en) {
            (None, _) => {
                let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                let d = c.error(
                    Code::UnknownField,
                    &map_at,
                    Part::Key,
                    format!("event `{}` has no field `{event_field}`", event.name),
                );
                suggest(d, event_field, names);
            }
            (_, None) => {
                let names: Vec<&str> = entity.fields.iter().map(|f| f.name.as_str()).collect();
                let d = c.error(
                    Code::UnknownField,
                    &map_at,
                    Part::Value,
                    format!("entity `{}` has no field `{entity_path}`", entity.name),
                );
                suggest(d, entity_path, names);
            }
            (Some(ev), Some((en, _))) if ev.ty.kind != en.ty.kind => {
                c.error(
                    Code::TypeMismatch,
                    &map_at,
                    Part::Value,
                    format!(
                        "event field `{event_field}` is {} but entity field `{entity_path}` is {}",
                        ev.ty.kind.describe(),
                        en.ty.kind.describe()
                    ),
                );
            }
            (Some(ev), Some((_, true))) if !ev.optional => {
                optional_source(c, &map_at, event_field, entity_path);
            }
            _ => {}
        }
    }
    for field in fields.iter().filter(|f| !publish.map.contains_key(&f.name)) {
        match entity.fields.iter().find(|f| f.name == field.name) {
            None if !field.optional => {
                c.error(Code::UnknownField, &at.at("/event"), Part::Value, format!("event field `{}` of `{}` has no source: entity `{}` has no field of that name", field.name, event.name, entity.name))
                    .with_help(format!("map it: `map: {{ {}: <entity field> }}`", field.name));
            }
            Some(en) if en.ty.kind != field.ty.kind => {
                c.error(
                    Code::TypeMismatch,
                    &at.at("/event"),
                    Part::Value,
                    format!(
                        "event field `{}` is {} but entity field `{}` is {}",
                        field.name,
                        field.ty.kind.describe(),
                        en.name,
                        en.ty.kind.describe()
                    ),
                );
            }
            Some(en) if en.optional && !field.optional => {
                optional_source(c, &at.at("/event"), &field.name, &en.name);
            }
            _ => {}
        }
    }
}

/// A required event field fed by an entity value that may be absent.
fn optional_source(c: &mut Checker<'_>, at: &Origin, event_field: &str, entity_path: &str) {
    c.error(
        Code::TypeMismatch,
        at,
        Part::Value,
        format!(
            "event field `{event_field}` is required but entity field `{entity_path}` may be absent"
        ),
    )
    .with_label("optional source")
    .with_help(format!(
        "make `{event_field}` optional in the event, or map it from a required entity field"
    ));
}

fn subscription(c: &mut Checker<'_>, name: &str, filter: Option<&Filter>, at: &Origin) {
    let system = c.system;
    let Some(event) = system.events.get(name) else {
        unknown_event(c, name, &at.at("/event"), Part::Value);
        return;
    };
    // An event without a valid owner is reported at the event itself.
    if let Some(owner) = event.owner.as_ref().and_then(|o| system.services.get(o))
        && !event.external
        && !owner.publishes.iter().any(|p| p.event == name)
    {
        c.error(Code::NoProducer, &at.at("/event"), Part::Value, format!("no service publishes `{name}`"))
                .with_label("nothing produces this event")
                .with_help(format!("add `{name}` to `publishes` of its owner `{}`, or mark it `external: true` if it comes from outside", owner.name));
    }
    if event.deprecated {
        c.error(
            Code::DeprecatedConsumed,
            &at.at("/event"),
            Part::Value,
            format!("`{name}` is deprecated"),
        )
        .with_help("move to its replacement and remove this subscription");
    }
    if let Some(filter) = filter {
        let before = c.error_count();
        check_filter(c, event, filter, &at.at("/filter"));
        if c.error_count() == before {
            pattern_limits(c, event, filter, &at.at("/filter"));
        }
    }
}

/// Compiles the filter as the infrastructure emitter will, so EventBridge's own limits
/// (number ranges and precision, `any-of` alternatives, wildcards) are reported here.
fn pattern_limits(c: &mut Checker<'_>, event: &Event, filter: &Filter, at: &Origin) {
    let entity = crate::naming::lower_camel(&event.entity);
    if let Err(error) = compile(Some(filter), &entity, &event.name, event.owner.as_deref()) {
        let here = match &error {
            PatternError::Field { path, .. } => at.at(&format!("/{}", escape_token(path))),
            _ => at.clone(),
        };
        c.error(
            Code::FilterOperator,
            &here,
            Part::Value,
            format!("this filter cannot become an EventBridge pattern: {error}"),
        );
    }
}

fn check_filter(c: &mut Checker<'_>, event: &Event, filter: &Filter, at: &Origin) {
    for (i, alternative) in filter.any_of.iter().enumerate() {
        check_filter(c, event, alternative, &at.at(&format!("/any-of/{i}")));
    }
    for (path, condition) in &filter.fields {
        let here = at.at(&format!("/{}", escape_token(path)));
        let Some(field) = c.lookup(&event.current().fields, path) else {
            let paths = c.paths(&event.current().fields);
            let d = c
                .error(
                    Code::UnknownField,
                    &here,
                    Part::Key,
                    format!("event `{}` has no field `{path}`", event.name),
                )
                .with_label("unknown field path");
            suggest(d, path, paths.iter().map(String::as_str));
            continue;
        };
        let kind = resolve_kind(c, &field.ty.kind);
        if let Some(problem) = condition_mismatch(c, condition, &kind) {
            c.error(
                Code::FilterOperator,
                &here,
                Part::Value,
                format!("filter on `{path}` ({}): {problem}", kind.describe()),
            );
        }
    }
}

/// Named enum types behave like their values; named records stay named.
fn resolve_kind(c: &Checker<'_>, kind: &TypeKind) -> TypeKind {
    match kind {
        TypeKind::Named(name) => match c.system.types.get(name).map(|t| &t.kind) {
            Some(NamedKind::Enum(values)) => TypeKind::Enum(values.clone()),
            _ => kind.clone(),
        },
        // EventBridge matches an array when any element matches.
        TypeKind::Array(item) => resolve_kind(c, &item.kind),
        _ => kind.clone(),
    }
}

fn condition_mismatch(c: &Checker<'_>, condition: &Condition, kind: &TypeKind) -> Option<String> {
    match condition {
        Condition::Equals(v) => literal_mismatch(c, v, kind),
        Condition::OneOf(values) => values.iter().find_map(|v| literal_mismatch(c, v, kind)),
        Condition::Operator(op) => operator_mismatch(c, op, kind),
    }
}

fn operator_mismatch(c: &Checker<'_>, op: &Operator, kind: &TypeKind) -> Option<String> {
    // Several or no operators in one condition are a schema error, reported already.
    let operator = operator_kind(op).ok()?;
    let field = field_kind(kind);
    if !operator.fits(field) {
        let why = if field == FieldKind::Decimal {
            " (decimals travel as strings: only `equals`, `anything-but` and `exists` apply)"
        } else {
            ""
        };
        return Some(format!(
            "`{}` does not apply to a field of this type{why}",
            operator.keyword()
        ));
    }
    let values = match (&op.equals, &op.anything_but) {
        (Some(values), _) | (None, Some(AnythingBut::Values(values))) => one_or_many(values),
        _ => return None,
    };
    values.iter().find_map(|v| literal_mismatch(c, v, kind))
}

/// How EventBridge sees a field of `kind`.
fn field_kind(kind: &TypeKind) -> FieldKind {
    match kind {
        k if k.is_textual() => FieldKind::String,
        k if k.is_json_number() => FieldKind::Number,
        TypeKind::Boolean => FieldKind::Boolean,
        TypeKind::Decimal => FieldKind::Decimal,
        _ => FieldKind::Other,
    }
}

fn one_or_many(values: &crate::spec::OneOrMany) -> Vec<&Scalar> {
    match values {
        crate::spec::OneOrMany::One(v) => vec![v],
        crate::spec::OneOrMany::Many(vs) => vs.iter().collect(),
    }
}

/// Why a literal cannot be a value of `kind`, if it cannot.
fn literal_mismatch(c: &Checker<'_>, value: &Scalar, kind: &TypeKind) -> Option<String> {
    let kind = resolve_kind(c, kind);
    match (value, &kind) {
        (Scalar::String(s), TypeKind::Enum(values)) if !values.contains(s) => Some(format!(
            "`{s}` is not one of the values [{}]",
            values.join(", ")
        )),
        (Scalar::String(_), k) if k.is_textual() || *k == TypeKind::Decimal => None,
        (Scalar::Number(_), k) if k.is_json_number() => None,
        (Scalar::Bool(_), TypeKind::Boolean) => None,
        (v, k) => Some(format!(
            "`{}` is not a value of type {}",
            literal_text(v),
            k.describe()
        )),
    }
}

fn literal_text(value: &Scalar) -> String {
    match value {
        Scalar::Bool(b) => b.to_string(),
        Scalar::Number(n) => n.to_string(),
        Scalar::String(s) => s.clone(),
    }
}

/// Every field list of the system with the pointer it is at.
pub fn all_fields<'s>(c: &Checker<'s>) -> Vec<(Origin, &'s [Field])> {
    let system = c.system;
    let mut lists: Vec<(Origin, &[Field])> = Vec::new();
    for t in system.types.values() {
        if let NamedKind::Record(fields) = &t.kind {
            lists.push((t.origin.at("/fields"), fields));
        }
    }
    for e in system.events.values() {
        for v in &e.versions {
            lists.push((e.origin.at(&format!("{}/fields", v.at)), &v.fields));
        }
    }
    for s in system.services.values() {
        for en in s.entities.values() {
            lists.push((
                s.origin
                    .at(&format!("/entities/{}/fields", escape_token(&en.name))),
                &en.fields,
            ));
        }
        for v in s.views.values() {
            lists.push((
                s.origin
                    .at(&format!("/views/{}/fields", escape_token(&v.name))),
                &v.fields,
            ));
        }
    }
    lists
}

/// Calls `f` for every type reference (field types, array/map elements, inline records), with
/// the pointer of the field that holds it.
pub fn each_type(fields: &[Field], at: &Origin, f: &mut dyn FnMut(&TypeKind, &Origin)) {
    for field in fields {
        let here = at.at(&format!("/{}", escape_token(&field.name)));
        let mut kind = &field.ty.kind;
        loop {
            f(kind, &here);
            match kind {
                TypeKind::Array(inner) | TypeKind::Map(inner) => kind = &inner.kind,
                TypeKind::Record(inner) => {
                    each_type(inner, &here.at("/fields"), f);
                    break;
                }
                _ => break,
            }
        }
    }
}

fn type_references(c: &mut Checker<'_>) {
    let mut unknown = Vec::new();
    for (at, fields) in all_fields(c) {
        each_type(fields, &at, &mut |kind, here| {
            if let TypeKind::Named(name) = kind
                && !c.system.types.contains_key(name)
            {
                unknown.push((name.clone(), here.clone()));
            }
        });
    }
    let candidates: Vec<&str> = c
        .system
        .types
        .keys()
        .map(String::as_str)
        .chain(crate::model::ty::BUILTINS.iter().copied())
        .collect();
    for (name, at) in unknown {
        let d = c
            .error(
                Code::UnknownType,
                &at,
                Part::Value,
                format!("unknown type `{name}`"),
            )
            .with_label("neither a builtin nor a declared type");
        suggest(d, &name, candidates.iter().copied());
    }
}

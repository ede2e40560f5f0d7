//! Warnings about unused parts (events no one consumes, unused types, subscriptions no view
//! uses) and the check for types that contain themselves.

use std::collections::BTreeSet;

use super::context::{Checker, Part};
use super::references::{all_fields, each_type};
use crate::diagnostic::Code;
use crate::model::{Field, NamedKind, TypeKind};

/// Runs the checks.
pub fn check(c: &mut Checker<'_>) {
    let system = c.system;
    for event in system.events.values() {
        if system.consumers(&event.name).next().is_none() {
            c.error(
                Code::Unconsumed,
                &event.origin,
                Part::Key,
                format!("no service consumes `{}`", event.name),
            )
            .with_help("subscribe a service to it, or remove it");
        }
    }
    let mut used = BTreeSet::new();
    for (at, fields) in all_fields(c) {
        each_type(fields, &at, &mut |kind, _| {
            if let TypeKind::Named(name) = kind {
                used.insert(name.clone());
            }
        });
    }
    for t in system.types.values().filter(|t| !used.contains(&t.name)) {
        c.error(
            Code::UnusedType,
            &t.origin,
            Part::Key,
            format!("type `{}` is not used", t.name),
        )
        .with_help("remove it, or use it in a field");
    }
    for service in system.services.values() {
        for (i, sub) in service.subscriptions.iter().enumerate() {
            let known = system.events.contains_key(&sub.event);
            if known
                && !service
                    .views
                    .values()
                    .any(|v| v.projections.contains_key(&sub.event))
            {
                c.error(
                    Code::UnusedSubscription,
                    &service.origin.at(&format!("/subscribes/{i}/event")),
                    Part::Value,
                    format!("no view of `{}` projects `{}`", service.name, sub.event),
                )
                .with_help("add a projection for it to a view, or remove the subscription");
            }
        }
    }
    for t in system.types.values() {
        if let NamedKind::Record(fields) = &t.kind
            && let Some(path) = cycle(c, &t.name, fields, &mut vec![t.name.clone()])
        {
            c.error(
                Code::RecursiveType,
                &t.origin,
                Part::Key,
                format!("type `{}` contains itself: {}", t.name, path.join(" -> ")),
            )
            .with_help(
                "make a field on the cycle an array or a map (an optional field still holds the \
                 value inline)",
            );
        }
    }
}

/// A chain of record fields leading back to `root`, if there is one. Only arrays and maps
/// break a cycle: an optional field is an `Option<T>`, which holds the record inline.
fn cycle(
    c: &Checker<'_>,
    root: &str,
    fields: &[Field],
    trail: &mut Vec<String>,
) -> Option<Vec<String>> {
    for field in fields {
        let inner = match &field.ty.kind {
            TypeKind::Named(name) if name == root => {
                let mut path = trail.clone();
                path.push(name.clone());
                return Some(path);
            }
            TypeKind::Named(name) if !trail.contains(name) => {
                match c.system.types.get(name).map(|t| &t.kind) {
                    Some(NamedKind::Record(inner)) => {
                        trail.push(name.clone());
                        let found = cycle(c, root, inner, trail);
                        trail.pop();
                        found
                    }
                    _ => None,
                }
            }
            TypeKind::Record(inner) => cycle(c, root, inner, trail),
            _ => None,
        };
        if inner.is_some() {
            return inner;
        }
    }
    None
}

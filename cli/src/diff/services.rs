//! Rules for services: services and views added or removed, view keys and indexes, and what
//! each service consumes.

use super::Sides;
use super::change::{Change, Impact};
use super::code::ChangeCode;
use super::usage::{Reads, Usage};
use crate::ir::{ServiceId, View, ViewKey};

/// Compares every service of both sides, matched by name.
pub(super) fn compare(sides: &Sides<'_>, out: &mut Vec<Change>) {
    for (id, base) in sides.base.services.iter() {
        let name = &base.name;
        match sides.head.service_named(name) {
            Some(head) => views(sides, id, head, out),
            None => out.push(Change::new(
                ChangeCode::ServiceChanged,
                name,
                format!("service `{name}` was removed"),
            )),
        }
    }
    for head in sides.head.services.values() {
        let name = &head.name;
        if sides.base.service_named(name).is_none() {
            let mut change = Change::new(
                ChangeCode::ServiceChanged,
                name,
                format!("service `{name}` was added"),
            );
            change.at = Some(head.origin.clone());
            out.push(change);
        }
    }
    consumption(sides, out);
}

/// Views added, removed, or with another key or other indexes, of a service on both sides;
/// views match by name.
fn views(sides: &Sides<'_>, base: ServiceId, head: ServiceId, out: &mut Vec<Change>) {
    let base_views = || sides.base.views_of(base).map(|(_, view)| view);
    let head_views = || sides.head.views_of(head).map(|(_, view)| view);
    let head = &sides.head.services[head];
    for old in base_views() {
        let name = &old.name;
        let subject = format!("{}/{name}", head.name);
        let Some(new) = head_views().find(|v| v.name == *name) else {
            out.push(Change::new(
                ChangeCode::ViewChanged,
                subject,
                format!("view `{name}` of `{}` was removed", head.name),
            ));
            continue;
        };
        if key(old, old.key) != key(new, new.key) {
            let mut change = Change::new(
                ChangeCode::ViewKeyChanged,
                &subject,
                format!(
                    "the key of view `{subject}` changed from {} to {}; rebuild its table by replaying its events",
                    key(old, old.key),
                    key(new, new.key)
                ),
            );
            change.consumers = vec![Impact {
                service: head.name.clone(),
                reads: Vec::new(),
                affected: true,
            }];
            change.at = Some(new.origin.key("key"));
            out.push(change);
        }
        if indexes(old) != indexes(new) {
            let mut change = Change::new(
                ChangeCode::ViewChanged,
                &subject,
                format!(
                    "the indexes of view `{subject}` changed: {} -> {}",
                    indexes(old),
                    indexes(new)
                ),
            );
            change.at = Some(new.origin.clone());
            out.push(change);
        }
    }
    for new in head_views() {
        if base_views().any(|v| v.name == new.name) {
            continue;
        }
        let mut change = Change::new(
            ChangeCode::ViewChanged,
            format!("{}/{}", head.name, new.name),
            format!("view `{}` of `{}` was added", new.name, head.name),
        );
        change.at = Some(new.origin.clone());
        out.push(change);
    }
}

/// A key of `view` by its fields' names, as it reads in a message.
fn key(view: &View, key: ViewKey) -> String {
    let name = |field: usize| &view.fields[field].name;
    match key.sort {
        Some(sort) => format!("(`{}`, `{}`)", name(key.partition), name(sort)),
        None => format!("(`{}`)", name(key.partition)),
    }
}

/// The indexes of `view` with their keys, as they read in a message.
fn indexes(view: &View) -> String {
    if view.indexes.is_empty() {
        return "none".into();
    }
    view.indexes
        .iter()
        .map(|index| format!("{} {}", index.name, key(view, index.key)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Subscriptions started or stopped, and changes in what a consumer reads, for services on
/// both sides.
fn consumption(sides: &Sides<'_>, out: &mut Vec<Change>) {
    let (base, head) = (Usage::of(sides.base), Usage::of(sides.head));
    let both = |service: &str| {
        sides.base.service_named(service).is_some() && sides.head.service_named(service).is_some()
    };
    let mut note = |event: &str, service: &str, message: String| {
        let mut change = Change::new(ChangeCode::ConsumptionChanged, event, message);
        change.at = sides
            .head
            .service_named(service)
            .map(|id| sides.head.services[id].origin.clone());
        out.push(change);
    };
    for (event, service, old) in base.pairs().filter(|(_, s, _)| both(s)) {
        match head.get(event, service) {
            None => note(
                event,
                service,
                format!("`{service}` no longer consumes `{event}`"),
            ),
            Some(new) if new != old => note(
                event,
                service,
                format!(
                    "`{service}` now reads {} of `{event}` (was {})",
                    reads(new),
                    reads(old)
                ),
            ),
            Some(_) => {}
        }
    }
    for (event, service, _) in head.pairs().filter(|(_, s, _)| both(s)) {
        if base.get(event, service).is_none() {
            note(
                event,
                service,
                format!("`{service}` now consumes `{event}`"),
            );
        }
    }
}

/// What a consumer reads of an event, as a message says it.
fn reads(reads: &Reads<'_>) -> String {
    let mut parts: Vec<String> = reads.paths().iter().map(|p| format!("`{p}`")).collect();
    if reads.everything() {
        parts.push("everything (a hook)".into());
    }
    if parts.is_empty() {
        "no field".into()
    } else {
        parts.join(", ")
    }
}

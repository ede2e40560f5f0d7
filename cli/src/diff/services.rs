//! Rules for services: services and views added or removed, view keys and indexes, and what
//! each service consumes.

use super::change::{Change, Impact};
use super::code::ChangeCode;
use super::usage::Usage;
use super::{Sides, escape};
use crate::model::{Service, View};
use crate::spec::KeyDef;

/// Compares every service of both sides.
pub(super) fn compare(sides: &Sides<'_>, out: &mut Vec<Change>) {
    for (name, base) in &sides.base.services {
        match sides.head.services.get(name) {
            Some(head) => views(base, head, out),
            None => out.push(Change::new(
                ChangeCode::ServiceChanged,
                name,
                format!("service `{name}` was removed"),
            )),
        }
    }
    for (name, head) in &sides.head.services {
        if !sides.base.services.contains_key(name) {
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

fn views(base: &Service, head: &Service, out: &mut Vec<Change>) {
    let at = |view: &str, key: &str| head.origin.at(&format!("/views/{}{key}", escape(view)));
    for (name, old) in &base.views {
        let subject = format!("{}/{name}", head.name);
        let Some(new) = head.views.get(name) else {
            out.push(Change::new(
                ChangeCode::ViewChanged,
                subject,
                format!("view `{name}` of `{}` was removed", head.name),
            ));
            continue;
        };
        if old.key != new.key {
            let mut change = Change::new(
                ChangeCode::ViewKeyChanged,
                &subject,
                format!(
                    "the key of view `{subject}` changed from {} to {}; rebuild its table by replaying its events",
                    key(&old.key),
                    key(&new.key)
                ),
            );
            change.consumers = vec![Impact {
                service: head.name.clone(),
                reads: Vec::new(),
                affected: true,
            }];
            change.at = Some(at(name, "/key"));
            out.push(change);
        }
        if old.indexes != new.indexes {
            let mut change = Change::new(
                ChangeCode::ViewChanged,
                &subject,
                format!(
                    "the indexes of view `{subject}` changed: {} -> {}",
                    indexes(old),
                    indexes(new)
                ),
            );
            change.at = Some(at(name, ""));
            out.push(change);
        }
    }
    for name in head.views.keys().filter(|v| !base.views.contains_key(*v)) {
        let mut change = Change::new(
            ChangeCode::ViewChanged,
            format!("{}/{name}", head.name),
            format!("view `{name}` of `{}` was added", head.name),
        );
        change.at = Some(at(name, ""));
        out.push(change);
    }
}

fn key(key: &KeyDef) -> String {
    match &key.sort {
        Some(sort) => format!("(`{}`, `{sort}`)", key.partition),
        None => format!("(`{}`)", key.partition),
    }
}

fn indexes(view: &View) -> String {
    if view.indexes.is_empty() {
        return "none".into();
    }
    view.indexes
        .iter()
        .map(|(name, k)| format!("{name} {}", key(k)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Subscriptions started or stopped, and changes in what a consumer reads, for services on
/// both sides.
fn consumption(sides: &Sides<'_>, out: &mut Vec<Change>) {
    let (base, head) = (Usage::of(sides.base), Usage::of(sides.head));
    let both = |service: &str| {
        sides.base.services.contains_key(service) && sides.head.services.contains_key(service)
    };
    let mut note = |event: &str, service: &str, message: String| {
        let mut change = Change::new(ChangeCode::ConsumptionChanged, event, message);
        change.at = sides.head.services.get(service).map(|s| s.origin.clone());
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

fn reads(reads: &super::usage::Reads) -> String {
    let mut parts: Vec<String> = reads.paths.iter().map(|p| format!("`{p}`")).collect();
    if reads.everything {
        parts.push("everything (a hook)".into());
    }
    if parts.is_empty() {
        "no field".into()
    } else {
        parts.join(", ")
    }
}

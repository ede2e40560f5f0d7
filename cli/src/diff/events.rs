//! Rules for events: removed, added, moved to another owner or entity, and the changes of
//! their payload, version by version.

use super::Sides;
use super::change::{Allowance, Change, Impact};
use super::code::ChangeCode;
use super::fields::{self, Delta, FieldDelta};
use crate::ir::{Event, EventVersion, System, Upcast};

/// Compares every event of both sides, matched by name.
pub(super) fn compare(sides: &Sides<'_>, out: &mut Vec<Change>) {
    for base in sides.base.events.values() {
        match sides.head.event_named(&base.name) {
            Some(head) => changed(sides, base, &sides.head.events[head], out),
            None => out.push(removed(sides, base)),
        }
    }
    for head in sides.head.events.values() {
        let name = &head.name;
        if sides.base.event_named(name).is_none() {
            let mut change = Change::new(
                ChangeCode::EventAdded,
                name,
                format!("event `{name}` was added"),
            );
            change.at = Some(head.origin.clone());
            out.push(change);
        }
    }
}

/// Every consumer of `event`, all affected.
fn everyone(sides: &Sides<'_>, event: &str) -> Vec<Impact> {
    sides
        .usage
        .consumers(event)
        .map(|(service, _)| Impact {
            service: service.to_owned(),
            reads: Vec::new(),
            affected: true,
        })
        .collect()
}

/// A change of the whole event: breaking when it has consumers, else [`ChangeCode::Unread`].
fn whole_event(sides: &Sides<'_>, event: &str, code: ChangeCode, message: String) -> Change {
    let consumers = everyone(sides, event);
    let mut change = if consumers.is_empty() {
        Change::new(
            ChangeCode::Unread,
            event,
            format!("{message}; no service consumes it"),
        )
    } else {
        Change::new(code, event, message)
    };
    change.consumers = consumers;
    change
}

fn removed(sides: &Sides<'_>, base: &Event) -> Change {
    let fields: Vec<&str> = names(base.current());
    let renamed = sides.head.events.values().find(|h| {
        sides.base.event_named(&h.name).is_none()
            && h.entity == base.entity
            && names(h.current()) == fields
    });
    let hint = renamed.map_or_else(String::new, |h| {
        format!(
            " (renamed to `{}`? the name is the DetailType consumers' rules match)",
            h.name
        )
    });
    whole_event(
        sides,
        &base.name,
        ChangeCode::EventRemoved,
        format!("event `{}` was removed{hint}", base.name),
    )
}

fn names(version: &EventVersion) -> Vec<&str> {
    version.fields.iter().map(|f| f.name.as_str()).collect()
}

fn changed(sides: &Sides<'_>, base: &Event, head: &Event, out: &mut Vec<Change>) {
    let name = &head.name;
    let mut push = |mut change: Change| {
        change.at.get_or_insert_with(|| head.origin.clone());
        out.push(change);
    };
    if base.source(sides.base) != head.source(sides.head) {
        push(whole_event(
            sides,
            name,
            ChangeCode::SourceChanged,
            format!(
                "the source of `{name}` changed from {} to {}",
                source(sides.base, base),
                source(sides.head, head)
            ),
        ));
    }
    if base.entity != head.entity {
        push(whole_event(
            sides,
            name,
            ChangeCode::EntityChanged,
            format!(
                "the entity of `{name}` changed from `{}` to `{}`",
                base.entity, head.entity
            ),
        ));
    }
    if base.deprecated != head.deprecated {
        let what = if head.deprecated {
            "is now deprecated"
        } else {
            "is no longer deprecated"
        };
        push(Change::new(
            ChangeCode::Deprecation,
            name,
            format!("event `{name}` {what}"),
        ));
    }
    for change in versions(sides, base, head) {
        push(change);
    }
}

/// Who produces `event` of `system`, in words.
fn source(system: &System, event: &Event) -> String {
    match event.source(system) {
        Some(owner) => format!("`{owner}`"),
        None => "outside the system (external)".into(),
    }
}

/// The changes of the payload: frozen older versions must stay as they were; the current
/// version is compared with the base's current one.
fn versions(sides: &Sides<'_>, base: &Event, head: &Event) -> Vec<Change> {
    let name = &head.name;
    let (base_current, head_current) = (base.current(), head.current());
    let mut out = Vec::new();
    let version_change = |message: String, at: Option<&EventVersion>| {
        let mut change = whole_event(sides, name, ChangeCode::VersionRemoved, message);
        change.at = at.map(|v| v.origin.clone());
        change
    };
    for old in &base.versions {
        let kept = head.versions.iter().find(|v| v.version == old.version);
        let is_current = old.version == base_current.version;
        match kept {
            Some(kept) if is_current && kept.version == head_current.version => {}
            Some(kept) if !deltas(sides, old, kept).is_empty() => out.push(version_change(
                format!(
                    "`{name}` v{} is live but its fields changed; published versions are frozen",
                    old.version
                ),
                Some(kept),
            )),
            Some(_) => {}
            None if is_current && head_current.version > old.version => {
                out.push(version_change(
                    format!(
                        "`{name}` v{} became v{} without keeping v{} in `previous`; consumers built from the base read v{}",
                        old.version, head_current.version, old.version, old.version
                    ),
                    None,
                ));
            }
            None if is_current => out.push(version_change(
                format!(
                    "the current version of `{name}` went down from v{} to v{}",
                    old.version, head_current.version
                ),
                Some(head_current),
            )),
            None => out.push(version_change(
                format!(
                    "`{name}` v{} was removed; events of that version may still be in flight",
                    old.version
                ),
                None,
            )),
        }
    }
    if head_current.version < base_current.version {
        return out;
    }
    let kept = (head_current.version > base_current.version)
        .then(|| {
            head.versions
                .iter()
                .find(|v| v.version == base_current.version)
        })
        .flatten();
    let changes: Vec<Change> = deltas(sides, base_current, head_current)
        .into_iter()
        .map(|d| {
            let mut change = field_change(sides, head, d);
            if kept.is_some() && change.fails() {
                change.allowed = Some(Allowance::Versioned {
                    kept: base_current.version,
                    current: head_current.version,
                });
            }
            change
        })
        .collect();
    if head_current.version > base_current.version {
        out.push(new_version(head, base_current, kept, &changes));
    }
    out.extend(changes);
    out
}

fn deltas(sides: &Sides<'_>, base: &EventVersion, head: &EventVersion) -> Vec<FieldDelta> {
    fields::compare(&base.fields, &head.fields, sides.base, sides.head)
}

/// The informational note on a new version: live versions and who reads what it changed.
fn new_version(
    head: &Event,
    base_current: &EventVersion,
    kept: Option<&EventVersion>,
    changes: &[Change],
) -> Change {
    let live: Vec<String> = head
        .versions
        .iter()
        .map(|v| format!("v{}", v.version))
        .collect();
    let step = match kept.map(|k| &k.upcast) {
        Some(Some(Upcast::Hook(hook))) => format!(
            "; v{} is upcast by hook `{}`",
            base_current.version, hook.name
        ),
        Some(_) => format!("; v{} is upcast additively", base_current.version),
        None => String::new(),
    };
    let mut consumers: Vec<Impact> = Vec::new();
    for impact in changes
        .iter()
        .filter(|c| c.allowed.is_some())
        .flat_map(|c| c.affected())
    {
        match consumers.iter_mut().find(|i| i.service == impact.service) {
            Some(known) => known.reads.extend(impact.reads.iter().cloned()),
            None => consumers.push(impact.clone()),
        }
    }
    for impact in &mut consumers {
        impact.reads.sort();
        impact.reads.dedup();
    }
    let readers = if consumers.is_empty() {
        String::new()
    } else {
        format!(
            "; still reading v{} fields it changes: {}",
            base_current.version,
            consumers
                .iter()
                .map(|i| i.service.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let mut change = Change::new(
        ChangeCode::VersionAdded,
        &head.name,
        format!(
            "`{}` v{} added; live versions: {}{step}{readers}",
            head.name,
            head.current().version,
            live.join(", ")
        ),
    );
    change.consumers = consumers;
    change
}

/// A field change, classified by who reads the field.
fn field_change(sides: &Sides<'_>, event: &Event, delta: FieldDelta) -> Change {
    let consumers: Vec<Impact> = sides
        .usage
        .consumers(&event.name)
        .map(|(service, reads)| {
            let reads = reads.affected_by(&delta.path);
            Impact {
                service: service.to_owned(),
                affected: !reads.is_empty(),
                reads,
            }
        })
        .collect();
    let read = consumers.iter().any(|i| i.affected);
    let field = format!("`{}`", delta.path);
    let (code, message) = match &delta.delta {
        Delta::Removed { renamed_to } => (
            ChangeCode::FieldRemoved,
            format!(
                "field {field} was removed{}",
                renamed_to
                    .as_ref()
                    .map(|n| format!(" (renamed to `{n}`?)"))
                    .unwrap_or_default()
            ),
        ),
        Delta::Added { optional: true } => (
            ChangeCode::OptionalAdded,
            format!("optional field {field} was added"),
        ),
        Delta::Added { optional: false } => (
            ChangeCode::RequiredAdded,
            format!("required field {field} was added"),
        ),
        Delta::BecameOptional => (
            ChangeCode::BecameOptional,
            format!("field {field} became optional"),
        ),
        Delta::BecameRequired => (
            ChangeCode::BecameRequired,
            format!("field {field} became required"),
        ),
        Delta::TypeChanged { from, to } => (
            ChangeCode::TypeChanged,
            format!("field {field} changed type from {from} to {to}"),
        ),
        Delta::EnumNarrowed(values) => (
            ChangeCode::EnumNarrowed,
            format!("enum {field} lost {}", quoted(values)),
        ),
        Delta::EnumWidened(values) => (
            ChangeCode::EnumWidened,
            format!("enum {field} gained {}", quoted(values)),
        ),
        Delta::Narrowed(what) => (
            ChangeCode::ConstraintNarrowed,
            format!("field {field} was narrowed: {what}"),
        ),
        Delta::Widened(what) => (
            ChangeCode::ConstraintWidened,
            format!("field {field} was widened: {what}"),
        ),
        Delta::Deprecated(now) => (
            ChangeCode::Deprecation,
            format!(
                "field {field} {}",
                if *now {
                    "is now deprecated"
                } else {
                    "is no longer deprecated"
                }
            ),
        ),
    };
    let (code, message) = if code.class() == super::Class::Breaking && !read {
        (
            ChangeCode::Unread,
            format!("{message}; no consumer reads it"),
        )
    } else {
        (code, message)
    };
    let first = delta.path.split(['.', '[', '{']).next().unwrap_or_default();
    let at = event
        .current()
        .fields
        .iter()
        .find(|f| f.name == first)
        .map_or_else(|| event.origin.clone(), |f| f.origin.clone());
    let mut change = Change::new(code, &event.name, message);
    change.path = Some(delta.path);
    change.consumers = consumers;
    change.at = Some(at);
    change
}

fn quoted(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

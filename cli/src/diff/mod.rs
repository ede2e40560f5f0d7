//! Consumer-aware breaking-change detection: compares the spec at a base (a git revision or
//! a directory) with the current one and classifies every change by what each consumer
//! actually reads (its subscription filter and its projections).
//!
//! Stages: [`source`] loads the base spec without a checkout -> both sides are validated
//! into resolved [`System`]s -> [`compare`] lists the [`Change`]s ([`events`] and
//! [`services`] hold the rules, [`fields`] the structural payload comparison, [`usage`] who
//! reads what, by name: items of the two systems are matched by name, never by id) ->
//! [`allow`] applies `--allow` and the manifest's `acknowledge` -> [`render`] prints a
//! [`render::Report`]. The rules and their reasoning are documented in `docs/diff.md`.

pub mod change;
pub mod code;
mod events;
pub mod fields;
pub mod render;
mod services;
pub mod source;
mod usage;

pub use change::{Allowance, Change, Impact};
pub use code::{ChangeCode, Class};

use crate::ir::System;
use crate::spec::AcknowledgeDef;
use usage::Usage;

/// Both sides of a comparison, with what consumers read on either side.
struct Sides<'a> {
    base: &'a System,
    head: &'a System,
    usage: Usage<'a>,
}

/// Every change from `base` to `head`, breaking ones first, then by subject.
pub fn compare(base: &System, head: &System) -> Vec<Change> {
    let sides = Sides {
        base,
        head,
        usage: Usage::of(base).union(Usage::of(head)),
    };
    let mut out = Vec::new();
    events::compare(&sides, &mut out);
    services::compare(&sides, &mut out);
    out.sort_by(|a, b| {
        (a.class(), &a.subject, a.code, &a.path, &a.message).cmp(&(
            b.class(),
            &b.subject,
            b.code,
            &b.path,
            &b.message,
        ))
    });
    out
}

/// Accepts breaking changes whose code is in `codes` (`--allow`) or that the head spec
/// acknowledges (same code, and the same subject when the entry names one). A change a new
/// event version already allows keeps that reason.
pub fn allow(changes: &mut [Change], codes: &[ChangeCode], acknowledged: &[AcknowledgeDef]) {
    for change in changes.iter_mut().filter(|c| c.fails()) {
        if codes.contains(&change.code) {
            change.allowed = Some(Allowance::Flag);
        } else if let Some(ack) = acknowledged.iter().find(|a| {
            a.code == change.code.as_str() && a.event.as_ref().is_none_or(|e| *e == change.subject)
        }) {
            change.allowed = Some(Allowance::Acknowledged(ack.reason.clone()));
        }
    }
}

//! Consumer usage by name: which services consume each event and what they read of it, so the
//! two sides of a comparison line up (ids of two systems are not comparable). What a
//! subscription reads is the read set validation computed for it ([`ir::Reads`]); nothing is
//! derived again here.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{self, System};

/// What one service reads of one event: the read set of its subscription on one side of the
/// comparison, or on both.
#[derive(Debug, Clone, Default)]
pub struct Reads<'a> {
    sets: Vec<&'a ir::Reads>,
}

impl<'a> Reads<'a> {
    /// The paths read that a change at `path` affects, `*` for a hook (see
    /// [`ir::Reads::affected_by`]).
    pub fn affected_by(&self, path: &str) -> Vec<String> {
        ir::Reads::affected_by_any(&self.sets, path)
    }

    /// The field paths read.
    pub fn paths(&self) -> BTreeSet<&'a str> {
        self.sets.iter().flat_map(|reads| reads.paths()).collect()
    }

    /// Whether a hook projects the event, so anything may be read.
    pub fn everything(&self) -> bool {
        self.sets.iter().any(|reads| reads.everything())
    }
}

/// Two read sets are the same when they read the same paths and a hook reads everything in
/// both or neither; who reads a path (a filter or a view) does not matter to breaking changes.
impl PartialEq for Reads<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.paths() == other.paths() && self.everything() == other.everything()
    }
}

/// Per event, per consuming service, what it reads; both by name.
#[derive(Debug, Clone, Default)]
pub struct Usage<'a> {
    events: BTreeMap<&'a str, BTreeMap<&'a str, Reads<'a>>>,
}

impl<'a> Usage<'a> {
    /// The usage of every subscription of `system`.
    pub fn of(system: &'a System) -> Self {
        let mut usage = Usage::default();
        for service in system.services.values() {
            for subscription in &service.subscriptions {
                usage
                    .events
                    .entry(system.events[subscription.event].name.as_str())
                    .or_default()
                    .entry(service.name.as_str())
                    .or_default()
                    .sets
                    .push(&subscription.reads);
            }
        }
        usage
    }

    /// Both usages together: a service reads what it reads in either.
    pub fn union(mut self, other: Usage<'a>) -> Self {
        for (event, services) in other.events {
            let entry = self.events.entry(event).or_default();
            for (service, reads) in services {
                entry.entry(service).or_default().sets.extend(reads.sets);
            }
        }
        self
    }

    /// The consumers of `event` with what they read, in service name order.
    pub fn consumers(&self, event: &str) -> impl Iterator<Item = (&'a str, &Reads<'a>)> {
        self.events
            .get(event)
            .into_iter()
            .flatten()
            .map(|(service, reads)| (*service, reads))
    }

    /// Every (event, service) pair with what the service reads.
    pub fn pairs(&self) -> impl Iterator<Item = (&'a str, &'a str, &Reads<'a>)> {
        self.events.iter().flat_map(|(event, services)| {
            services
                .iter()
                .map(move |(service, reads)| (*event, *service, reads))
        })
    }

    /// What `service` reads of `event`, if it consumes it.
    pub fn get(&self, event: &str, service: &str) -> Option<&Reads<'a>> {
        self.events.get(event)?.get(service)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::examples;

    #[test]
    fn the_union_reads_what_either_side_reads() {
        let shop = examples::load("shop");
        let minimal = examples::load("minimal");
        let union = Usage::of(&shop).union(Usage::of(&minimal));
        let alone = Usage::of(&shop);
        for (event, service, reads) in alone.pairs() {
            assert!(
                union.get(event, service) == Some(reads),
                "{event} {service}"
            );
        }
        let both = Usage::of(&shop).union(Usage::of(&shop));
        let placed = both.get("order-placed", "shipping").expect("consumed");
        assert_eq!(
            Some(placed),
            alone.get("order-placed", "shipping"),
            "the same reads twice are the same reads"
        );
        assert!(placed.paths().contains(&"shippingAddress.city"));
        assert!(!placed.paths().contains(&"$timestamp"));
        assert_eq!(
            placed.affected_by("shippingAddress"),
            ["shippingAddress", "shippingAddress.city"]
        );
        let rerouted = both
            .get("customer-address-changed", "shipping")
            .expect("consumed");
        assert!(rerouted.everything());
        assert_eq!(rerouted.affected_by("address"), ["*"]);
    }
}

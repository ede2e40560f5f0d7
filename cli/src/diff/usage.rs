//! Consumer usage: which fields of each event every consuming service reads. A service reads
//! the paths its subscription filter tests and the event fields its views' projections copy
//! or delete by; a projection hook is custom code, so it reads everything.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Projection, Source, System};

/// What one service reads of one event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reads {
    /// Field paths (`customer.address.city`), relative to the event's entity object.
    pub paths: BTreeSet<String>,
    /// A hook projects the event: it may read any field.
    pub everything: bool,
}

impl Reads {
    /// The paths read that a change at `path` affects: equal paths, paths inside it, and the
    /// paths it lies inside. `*` stands for a hook. Array items (`[]`) and map values (`{}`)
    /// count as their container.
    pub fn affected_by(&self, path: &str) -> Vec<String> {
        let path = path.replace("[]", "").replace("{}", "");
        let mut out: Vec<String> = self
            .paths
            .iter()
            .filter(|read| overlaps(read, &path))
            .cloned()
            .collect();
        if self.everything {
            out.push("*".into());
        }
        out
    }

    fn merge(&mut self, other: &Reads) {
        self.paths.extend(other.paths.iter().cloned());
        self.everything |= other.everything;
    }
}

fn overlaps(read: &str, path: &str) -> bool {
    let inside = |outer: &str, inner: &str| {
        inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with('.'))
    };
    read == path || inside(path, read) || inside(read, path)
}

/// Per event, per consuming service, what it reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Usage {
    events: BTreeMap<String, BTreeMap<String, Reads>>,
}

impl Usage {
    /// The usage of every subscription of `system`.
    pub fn of(system: &System) -> Usage {
        let mut usage = Usage::default();
        for service in system.services.values() {
            for sub in &service.subscriptions {
                let mut reads = Reads::default();
                if let Some(filter) = &sub.filter {
                    reads.paths.extend(crate::eventbridge::paths(filter));
                }
                for projection in service
                    .views
                    .values()
                    .filter_map(|v| v.projections.get(&sub.event))
                {
                    match projection {
                        Projection::Upsert(sources) => {
                            reads.paths.extend(sources.values().filter_map(|s| match s {
                                Source::Field(path) => Some(path.clone()),
                                Source::Meta(_) | Source::Const(_) => None,
                            }));
                        }
                        Projection::Delete(keys) => reads.paths.extend(keys.values().cloned()),
                        Projection::Hook(_) => reads.everything = true,
                    }
                }
                usage
                    .events
                    .entry(sub.event.clone())
                    .or_default()
                    .entry(service.name.clone())
                    .or_default()
                    .merge(&reads);
            }
        }
        usage
    }

    /// Both usages together: a service reads what it reads in either.
    pub fn union(&self, other: &Usage) -> Usage {
        let mut out = self.clone();
        for (event, services) in &other.events {
            let entry = out.events.entry(event.clone()).or_default();
            for (service, reads) in services {
                entry.entry(service.clone()).or_default().merge(reads);
            }
        }
        out
    }

    /// The consumers of `event` with what they read, in service name order.
    pub fn consumers(&self, event: &str) -> impl Iterator<Item = (&str, &Reads)> {
        self.events
            .get(event)
            .into_iter()
            .flatten()
            .map(|(service, reads)| (service.as_str(), reads))
    }

    /// Every (event, service) pair with what the service reads.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str, &Reads)> {
        self.events.iter().flat_map(|(event, services)| {
            services
                .iter()
                .map(move |(service, reads)| (event.as_str(), service.as_str(), reads))
        })
    }

    /// What `service` reads of `event`, if it consumes it.
    pub fn get(&self, event: &str, service: &str) -> Option<&Reads> {
        self.events.get(event)?.get(service)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_is_by_whole_segments() {
        let reads = Reads {
            paths: ["customer.address.city", "total", "totals"]
                .map(String::from)
                .into(),
            everything: false,
        };
        assert_eq!(reads.affected_by("customer"), ["customer.address.city"]);
        assert_eq!(
            reads.affected_by("customer.address.city.x"),
            ["customer.address.city"]
        );
        assert_eq!(reads.affected_by("total"), ["total"]);
        assert!(reads.affected_by("customer.name").is_empty());
        assert!(reads.affected_by("tot").is_empty());
        let hook = Reads {
            everything: true,
            ..Reads::default()
        };
        assert_eq!(hook.affected_by("anything[].x"), ["*"]);
    }
}

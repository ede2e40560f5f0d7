//! What a consumer reads of an event: the one read-set analysis, used by `docs` (who reads
//! which field) and `diff` (which change breaks which consumer).

use std::collections::{BTreeMap, BTreeSet};

use super::{Hook, Meta, ViewId};

/// Why a consumer reads a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reader {
    /// The subscription's content filter tests it.
    Filter,
    /// A view's projection takes a value from it (or deletes by it).
    View(ViewId),
}

/// What one subscription reads of its event.
///
/// A consumer reads a field when its filter names the path or when one of its views'
/// projections of the event takes a value from it (an `upsert` source or a `delete` key).
/// Envelope metadata read by projections is listed under its spec spelling (`$timestamp`). A
/// projection hook is custom code, so it may read any field: [`Reads::everything`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reads {
    /// Field path (`customer.address.city`, relative to the event's entity object) or
    /// metadata (`$timestamp`) -> who reads it.
    pub fields: BTreeMap<String, BTreeSet<Reader>>,
    /// The views whose projection of the event is a hook, with the hook.
    pub hooks: Vec<(ViewId, Hook)>,
}

impl Reads {
    /// Records that `reader` reads `path`.
    pub(crate) fn read(&mut self, path: impl Into<String>, reader: Reader) {
        self.fields.entry(path.into()).or_default().insert(reader);
    }

    /// Records that `reader` reads the metadata `meta`.
    pub(crate) fn read_meta(&mut self, meta: Meta, reader: Reader) {
        self.read(meta.spelling(), reader);
    }

    /// Whether a hook projects the event, so anything may be read.
    pub fn everything(&self) -> bool {
        !self.hooks.is_empty()
    }

    /// The field paths read (without metadata).
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.fields
            .keys()
            .map(String::as_str)
            .filter(|path| !path.starts_with('$'))
    }

    /// The paths read that a change at `path` affects: equal paths, paths inside it, and the
    /// paths it lies inside. `*` stands for a hook. Array items (`[]`) and map values (`{}`)
    /// count as their container.
    pub fn affected_by(&self, path: &str) -> Vec<String> {
        Reads::affected_by_any(&[self], path)
    }

    /// [`Reads::affected_by`] for several read sets taken together (e.g. one consumer's in two
    /// versions of a spec): each path once, in order, then `*` when a hook projects any of
    /// them. Only paths are compared, so the sets may come from different systems.
    pub fn affected_by_any(all: &[&Reads], path: &str) -> Vec<String> {
        let path = path.replace("[]", "").replace("{}", "");
        let read: BTreeSet<&str> = all
            .iter()
            .flat_map(|reads| reads.paths())
            .filter(|read| overlaps(read, &path))
            .collect();
        let mut out: Vec<String> = read.into_iter().map(str::to_owned).collect();
        if all.iter().any(|reads| reads.everything()) {
            out.push("*".into());
        }
        out
    }
}

/// Whether two dotted paths are equal or one lies inside the other, by whole segments.
fn overlaps(read: &str, path: &str) -> bool {
    let inside = |outer: &str, inner: &str| {
        inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with('.'))
    };
    read == path || inside(path, read) || inside(read, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Id, Subscription, System, examples};

    #[test]
    fn overlap_is_by_whole_segments() {
        let mut reads = Reads::default();
        for path in ["customer.address.city", "total", "totals"] {
            reads.read(path, Reader::Filter);
        }
        reads.read_meta(Meta::Timestamp, Reader::Filter);
        assert_eq!(reads.affected_by("customer"), ["customer.address.city"]);
        assert_eq!(
            reads.affected_by("customer.address.city.x"),
            ["customer.address.city"]
        );
        assert_eq!(reads.affected_by("total"), ["total"]);
        assert!(reads.affected_by("customer.name").is_empty());
        assert!(reads.affected_by("tot").is_empty());
        assert!(reads.affected_by("$timestamp").is_empty());
        let hook = Hook {
            name: "h".into(),
            method: "h".into(),
        };
        reads.hooks.push((ViewId::from_index(0), hook));
        assert_eq!(
            reads.affected_by("anything[].x").last().map(String::as_str),
            Some("*")
        );
    }

    #[test]
    fn read_sets_taken_together_list_each_path_once_and_a_hook_last() {
        let mut base = Reads::default();
        base.read("customer.address.city", Reader::Filter);
        base.read("total", Reader::Filter);
        let mut head = Reads::default();
        head.read("customer.address", Reader::View(ViewId::from_index(3)));
        head.read("total", Reader::Filter);
        assert_eq!(
            Reads::affected_by_any(&[&base, &head], "customer"),
            ["customer.address", "customer.address.city"]
        );
        assert_eq!(Reads::affected_by_any(&[&head, &base], "total"), ["total"]);
        head.hooks.push((
            ViewId::from_index(0),
            Hook {
                name: "h".into(),
                method: "h".into(),
            },
        ));
        assert_eq!(
            Reads::affected_by_any(&[&head, &base], "total"),
            ["total", "*"]
        );
        assert!(Reads::affected_by_any(&[], "total").is_empty());
    }

    /// The subscription of `service` to `event` in `system`.
    fn subscription<'a>(system: &'a System, service: &str, event: &str) -> &'a Subscription {
        let service = system.service_named(service).expect("service");
        let event = system.event_named(event).expect("event");
        system.services[service]
            .subscriptions
            .iter()
            .find(|s| s.event == event)
            .expect("subscription")
    }

    #[test]
    fn filters_and_projections_of_the_shop_are_reads() {
        let system = examples::load("shop");
        let reads = &subscription(&system, "shipping", "order-placed").reads;
        let view = system
            .views
            .find(|v| v.name == "pending-shipment")
            .map(Reader::View)
            .expect("view");
        assert_eq!(reads.fields["status"].len(), 2);
        assert!(reads.fields["status"].contains(&Reader::Filter));
        assert_eq!(reads.fields["shippingAddress.city"], BTreeSet::from([view]));
        assert_eq!(reads.fields["$timestamp"], BTreeSet::from([view]));
        assert!(!reads.fields.contains_key("note"));
        assert!(reads.paths().all(|path| !path.starts_with('$')));
    }

    #[test]
    fn any_of_alternatives_and_hooks_of_the_shop_are_found() {
        let system = examples::load("shop");
        let registered = &subscription(&system, "notifications", "customer-registered").reads;
        assert!(registered.fields["email"].contains(&Reader::Filter));
        assert!(registered.fields["phone"].contains(&Reader::Filter));
        let rerouting = &subscription(&system, "shipping", "customer-address-changed").reads;
        let hooks: Vec<(&str, &str)> = rerouting
            .hooks
            .iter()
            .map(|(view, hook)| (system.views[*view].name.as_str(), hook.name.as_str()))
            .collect();
        assert_eq!(hooks, [("pending-shipment", "reroute-shipments")]);
        assert!(rerouting.everything());
        let deleted = &subscription(&system, "shipping", "order-deleted").reads;
        assert!(deleted.fields.contains_key("orderId"));
    }

    #[test]
    fn patterns_of_the_shop_name_the_producer_unless_external() {
        let system = examples::load("shop");
        let placed = subscription(&system, "shipping", "order-placed")
            .pattern
            .to_json();
        assert_eq!(placed["source"], serde_json::json!(["orders-bff"]));
        assert_eq!(
            placed["detail"]["order"]["weightGrams"],
            serde_json::json!([{ "numeric": [">", 0] }])
        );
        let captured = subscription(&system, "notifications", "payment-captured")
            .pattern
            .to_json();
        assert!(captured.get("source").is_none());
    }
}

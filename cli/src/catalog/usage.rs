//! Usage analysis: who consumes each event, which of its fields each consumer reads and the
//! EventBridge pattern that delivers it.
//!
//! A consumer reads a field when its subscription filter names the path (see
//! [`eventbridge::paths`]) or when one of its views' projections of the event takes a value
//! from it (an `upsert` source or a `delete` key). Envelope metadata read by projections is
//! listed under its spec spelling (`$timestamp`). A projection hook is custom code, so it may
//! read any field; it is listed separately.

use std::collections::{BTreeMap, BTreeSet};

use crate::eventbridge::{self, EventPattern, PatternError};
use crate::model::{Event, Meta, Projection, Service, Source, Subscription, System};
use crate::naming::lower_camel;

/// Why a field is read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reader {
    /// The subscription's content filter tests it.
    Filter,
    /// A view's projection takes a value from it (or deletes by it).
    View(String),
}

/// One consumer of an event.
#[derive(Debug, Clone)]
pub struct Consumer<'a> {
    /// The consuming service.
    pub service: &'a Service,
    /// Its subscription.
    pub subscription: &'a Subscription,
    /// The pattern of the rule that delivers the event to it.
    pub pattern: EventPattern,
    /// Field path (or `$meta` name) -> who reads it.
    pub reads: BTreeMap<String, BTreeSet<Reader>>,
    /// Views whose projection of the event is a hook: view, hook.
    pub hooks: Vec<(&'a str, &'a str)>,
}

/// An event's pattern could not be compiled (the validator reports this first).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the subscription of `{service}` to `{event}` has no valid EventBridge pattern: {source}")]
pub struct UsageError {
    /// The consuming service.
    pub service: String,
    /// The event.
    pub event: String,
    /// Why.
    #[source]
    pub source: PatternError,
}

/// The consumers of every event, by event name; each list is in service name order.
pub type Usage<'a> = BTreeMap<&'a str, Vec<Consumer<'a>>>;

/// Analyses every subscription of the system.
pub fn analyse(system: &System) -> Result<Usage<'_>, UsageError> {
    let mut usage = Usage::new();
    for event in system.events.values() {
        let mut consumers = Vec::new();
        for service in system.consumers(&event.name) {
            for subscription in service
                .subscriptions
                .iter()
                .filter(|s| s.event == event.name)
            {
                consumers.push(consumer(event, service, subscription)?);
            }
        }
        usage.insert(event.name.as_str(), consumers);
    }
    Ok(usage)
}

/// The EventBridge `source` of an event: its owner, unless it comes from outside.
pub fn source(event: &Event) -> Option<&str> {
    event.owner.as_deref().filter(|_| !event.external)
}

fn consumer<'a>(
    event: &'a Event,
    service: &'a Service,
    subscription: &'a Subscription,
) -> Result<Consumer<'a>, UsageError> {
    let pattern = eventbridge::compile(
        subscription.filter.as_ref(),
        &lower_camel(&event.entity),
        &event.name,
        source(event),
    )
    .map_err(|source| UsageError {
        service: service.name.clone(),
        event: event.name.clone(),
        source,
    })?;
    let mut reads: BTreeMap<String, BTreeSet<Reader>> = BTreeMap::new();
    let mut read = |path: &str, reader: Reader| {
        reads.entry(path.to_owned()).or_default().insert(reader);
    };
    for path in subscription.filter.iter().flat_map(eventbridge::paths) {
        read(&path, Reader::Filter);
    }
    let mut hooks = Vec::new();
    for view in service.views.values() {
        let reader = || Reader::View(view.name.clone());
        match view.projections.get(&event.name) {
            None => {}
            Some(Projection::Upsert(sources)) => {
                for source in sources.values() {
                    match source {
                        Source::Field(path) => read(path, reader()),
                        Source::Meta(meta) => read(meta_name(*meta), reader()),
                        Source::Const(_) => {}
                    }
                }
            }
            Some(Projection::Delete(keys)) => {
                for path in keys.values() {
                    read(path, reader());
                }
            }
            Some(Projection::Hook(hook)) => hooks.push((view.name.as_str(), hook.as_str())),
        }
    }
    Ok(Consumer {
        service,
        subscription,
        pattern,
        reads,
        hooks,
    })
}

/// The spec spelling of envelope metadata (`$timestamp`).
pub fn meta_name(meta: Meta) -> &'static str {
    Meta::ALL
        .iter()
        .find(|(_, m)| *m == meta)
        .map_or("$", |(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shop() -> System {
        crate::catalog::tests::system("shop")
    }

    #[test]
    fn filters_and_projections_are_reads() {
        let system = shop();
        let usage = analyse(&system).expect("usage");
        let shipping = &usage["order-placed"][0];
        assert_eq!(shipping.service.name, "shipping");
        let filter = BTreeSet::from([Reader::Filter]);
        let view = Reader::View("pending-shipment".into());
        assert_eq!(shipping.reads["status"].len(), 2);
        assert!(shipping.reads["status"].is_superset(&filter));
        assert_eq!(
            shipping.reads["shippingAddress.city"],
            BTreeSet::from([view.clone()])
        );
        assert_eq!(shipping.reads["$timestamp"], BTreeSet::from([view]));
        assert!(!shipping.reads.contains_key("note"));
    }

    #[test]
    fn any_of_alternatives_and_hooks_are_found() {
        let system = shop();
        let usage = analyse(&system).expect("usage");
        let notifications = &usage["customer-registered"][0];
        assert!(notifications.reads["email"].contains(&Reader::Filter));
        assert!(notifications.reads["phone"].contains(&Reader::Filter));
        let rerouting = &usage["customer-address-changed"][0];
        assert_eq!(
            rerouting.hooks,
            vec![("pending-shipment", "reroute-shipments")]
        );
        let deleted = &usage["order-deleted"][0];
        assert!(deleted.reads.contains_key("orderId"));
    }

    #[test]
    fn patterns_name_the_producer_unless_external() {
        let system = shop();
        let usage = analyse(&system).expect("usage");
        let placed = usage["order-placed"][0].pattern.to_json();
        assert_eq!(placed["source"], serde_json::json!(["orders-bff"]));
        assert_eq!(
            placed["detail"]["order"]["weightGrams"],
            serde_json::json!([{ "numeric": [">", 0] }])
        );
        let captured = usage["payment-captured"][0].pattern.to_json();
        assert!(captured.get("source").is_none());
    }
}

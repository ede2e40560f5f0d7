//! Putting an example event of the spec on a bus (`cqrsgen emit`), to smoke-test a deployed
//! or local stack.
//!
//! [`entry`] turns one of an event's `examples` into a PutEvents entry whose `Detail` is the
//! envelope the generated listeners decode (the same wire form the generated triggers
//! publish); `bus::put` sends it with aws-sdk-eventbridge (feature `send`, on by default).

#[cfg(feature = "send")]
pub mod bus;

use std::collections::BTreeMap;

use cqrsgen_events::{Envelope, serialize_envelope};
use serde::Serialize;

use crate::diagnostic::did_you_mean;
use crate::ir::{Event, EventId, Producer, System};

/// The `Source` of external events when none is given: they have no owner in the spec, and
/// their rules do not filter on the source.
pub const EXTERNAL_SOURCE: &str = "cqrsgen.emit";

/// The stage `cqrsgen emit` sends to unless told otherwise: the templates' default `Stage`.
pub const DEFAULT_STAGE: &str = "dev";

/// Which event to put, and how.
#[derive(Debug, Clone, Default)]
pub struct Request<'a> {
    /// The event's name.
    pub event: &'a str,
    /// Which of the event's current examples, counting from 1.
    pub example: usize,
    /// The bus [default: the system's hub bus in `stage`].
    pub bus: Option<&'a str>,
    /// The deployment stage [default: [`DEFAULT_STAGE`]]: the hub bus is `<bus>-<stage>`, as
    /// the templates name it.
    pub stage: Option<&'a str>,
    /// The entry's `Source` [default: the owning service, or [`EXTERNAL_SOURCE`]].
    pub source: Option<&'a str>,
    /// The envelope's `partitionKey` [default: the entity key found in the example, else
    /// the event id].
    pub partition_key: Option<&'a str>,
}

/// A PutEvents request entry, serialized the way `aws events put-events --entries` reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Entry {
    /// The producing service.
    pub source: String,
    /// The event type.
    pub detail_type: String,
    /// The envelope, as JSON text.
    pub detail: String,
    /// The bus.
    pub event_bus_name: String,
}

/// Why no entry could be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    /// No event has that name.
    #[error("the spec has no event `{name}`{}", help(suggestion))]
    UnknownEvent {
        /// The name asked for.
        name: String,
        /// A close name, as help text.
        suggestion: Option<String>,
    },
    /// The event has no examples to send.
    #[error("event `{event}` has no `examples` in the spec; add one to its current version")]
    NoExamples {
        /// The event.
        event: String,
    },
    /// The example number is out of range.
    #[error("event `{event}` has {count} example(s); --example takes 1 to {count}, not {index}")]
    NoSuchExample {
        /// The event.
        event: String,
        /// The number asked for.
        index: usize,
        /// How many there are.
        count: usize,
    },
}

fn help(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|s| format!(" ({s})"))
        .unwrap_or_default()
}

/// The entry for `request`, with envelope id `id` and timestamp `timestamp` (epoch ms).
pub fn entry(
    system: &System,
    request: &Request<'_>,
    id: &str,
    timestamp: i64,
) -> Result<Entry, EntryError> {
    let id_of_event =
        system
            .event_named(request.event)
            .ok_or_else(|| EntryError::UnknownEvent {
                name: request.event.to_owned(),
                suggestion: did_you_mean(
                    request.event,
                    system.events.values().map(|e| e.name.as_str()),
                ),
            })?;
    let event = &system.events[id_of_event];
    let version = event.current();
    let count = version.examples.len();
    if count == 0 {
        return Err(EntryError::NoExamples {
            event: event.name.clone(),
        });
    }
    let payload = request
        .example
        .checked_sub(1)
        .and_then(|i| version.examples.get(i))
        .ok_or_else(|| EntryError::NoSuchExample {
            event: event.name.clone(),
            index: request.example,
            count,
        })?;
    let source = request
        .source
        .map(str::to_owned)
        .or_else(|| event.source(system).map(str::to_owned))
        .unwrap_or_else(|| EXTERNAL_SOURCE.to_owned());
    let partition_key = request
        .partition_key
        .map(str::to_owned)
        .or_else(|| entity_key(system, id_of_event, event, payload))
        .unwrap_or_else(|| id.to_owned());
    let envelope = Envelope {
        id: id.to_owned(),
        event_type: event.name.clone(),
        timestamp,
        partition_key,
        tags: BTreeMap::from([("source".to_owned(), source.clone())]),
        payload,
        raw: None,
        schema_version: version.version,
        sequence: 0,
    };
    let detail = serde_json::to_string(&Wire {
        envelope: &envelope,
        entity: &event.names.entity_key,
    })
    .unwrap_or_else(|_| unreachable!("an envelope of JSON values always serializes"));
    Ok(Entry {
        source,
        detail_type: event.name.clone(),
        detail,
        event_bus_name: request.bus.map_or_else(
            || format!("{}-{}", system.bus, request.stage.unwrap_or(DEFAULT_STAGE)),
            str::to_owned,
        ),
    })
}

/// The entity key in `payload`: the event field the producer's publication fills from the
/// entity's key (the trigger's `partitionKey`), when the example holds it as a scalar.
fn entity_key(
    system: &System,
    id: EventId,
    event: &Event,
    payload: &serde_json::Value,
) -> Option<String> {
    let Producer::Service(owner) = event.producer else {
        return None;
    };
    let publish = system.services[owner]
        .publishes
        .iter()
        .find(|p| p.event == id)?;
    let entity = &system.entities[publish.entity];
    let key = entity.key_field();
    let field = event
        .current()
        .fields
        .iter()
        .zip(&publish.payload)
        .find(|(_, from)| {
            from.as_ref()
                .is_some_and(|path| matches!(&path.steps[..], [step] if step.name == key.name))
        })
        .map_or(key.name.as_str(), |(to, _)| to.name.as_str());
    match payload.get(field)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An envelope of a JSON payload, written the one way envelopes are written
/// ([`serialize_envelope`], shared with the generated code).
struct Wire<'a> {
    envelope: &'a Envelope<&'a serde_json::Value>,
    entity: &'a str,
}

impl Serialize for Wire<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_envelope(self.envelope, self.entity, serializer)
    }
}

//! Example envelopes: an event's spec example wrapped as the generated trigger publishes it,
//! for the AsyncAPI document's message examples and for the cost estimate's default event
//! sizes.

use serde_json::{Map, Value, json};

use crate::ir::{Event, Producer, System};

/// The envelope `timestamp` of every example: 2026-03-14T09:26:53Z, in epoch milliseconds.
pub const EXAMPLE_TIMESTAMP: i64 = 1_773_480_413_000;

/// The `tags.source` of example envelopes of external events.
pub const EXTERNAL_SOURCE: &str = "external";

/// The envelope around `payload`, an example of `event`'s current version, as the trigger
/// of the owning service writes it in `region`: a 32-hex-digit stream record id,
/// `schemaVersion`, a fixed `timestamp`, the entity key as `partitionKey` (a zero uuid when
/// the example does not hold it), and the trigger's tags (`source`, `region`,
/// `functionname`, `pipeline`). `index` makes the id differ between examples.
pub fn example(
    system: &System,
    event: &Event,
    payload: &Value,
    index: usize,
    region: &str,
) -> Value {
    let mut envelope = Map::new();
    envelope.insert("id".into(), record_id(&event.name, index).into());
    envelope.insert("type".into(), event.name.clone().into());
    envelope.insert("schemaVersion".into(), event.current().version.into());
    envelope.insert("timestamp".into(), EXAMPLE_TIMESTAMP.into());
    let partition_key = partition_key(system, event, payload)
        .unwrap_or_else(|| "00000000-0000-0000-0000-000000000000".to_owned());
    envelope.insert("partitionKey".into(), partition_key.into());
    let tags = match event.producer {
        Producer::Service(owner) => {
            let owner = &system.services[owner].name;
            json!({
                "source": owner,
                "region": region,
                "functionname": format!("{}-{owner}-trigger", system.name),
                "pipeline": "trigger",
            })
        }
        Producer::External => json!({ "source": EXTERNAL_SOURCE }),
    };
    envelope.insert("tags".into(), tags);
    envelope.insert(event.names.entity_key.clone(), payload.clone());
    Value::Object(envelope)
}

/// The `partitionKey` the trigger writes for `payload`: the event field the owner's
/// publication fills from the entity's key, when the example holds it as a string or number.
pub fn partition_key(system: &System, event: &Event, payload: &Value) -> Option<String> {
    let Producer::Service(owner) = event.producer else {
        return None;
    };
    let id = system.event_named(&event.name)?;
    let publish = system.services[owner]
        .publishes
        .iter()
        .find(|p| p.event == id)?;
    let key = &system.entities[publish.entity].key_field().name;
    let fields = &event.current().fields;
    let position = publish.payload.iter().position(|path| {
        path.as_ref()
            .is_some_and(|path| path.steps.len() == 1 && path.steps[0].name == *key)
    })?;
    match payload.get(&fields.get(position)?.name)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A stream-record-like id: 32 hex digits, from an FNV-1a hash of the event name and the
/// example's index, so every run writes the same document.
fn record_id(event: &str, index: usize) -> String {
    let mut hash: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for byte in event.bytes().chain(index.to_le_bytes()) {
        hash ^= u128::from(byte);
        hash = hash.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
    }
    format!("{hash:032x}")
}

#[cfg(test)]
mod tests {
    use super::record_id;

    #[test]
    fn record_ids_are_32_hex_digits_and_differ_per_example() {
        let a = record_id("order-placed", 0);
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, record_id("order-placed", 1));
        assert_eq!(a, record_id("order-placed", 0));
    }
}

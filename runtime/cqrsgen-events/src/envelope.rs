//! The event envelope, wire-compatible with aws-lambda-stream.
//!
//! ```json
//! { "id": "...", "type": "order-placed", "schemaVersion": 2, "sequence": 1,
//!   "timestamp": 1700000000000, "partitionKey": "...", "tags": { "source": "orders" },
//!   "order": { ...payload... }, "raw": { ... } }
//! ```
//!
//! The payload sits under the event's entity name in lowerCamelCase ([`Payload::ENTITY`]).
//! `schemaVersion` and `sequence` are ours: aws-lambda-stream writes neither, so an absent
//! version reads as `1` and an absent sequence as `0`. `sequence` is the event's position
//! among the events one change produced (written only when it is not 0): views apply two
//! events of one change in that order even though they share the timestamp. Unknown keys are
//! ignored, so newer producers can add envelope fields.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::validation::{Validate, ValidationErrors};
use crate::version::Version;
use crate::wire;

/// One version of an event's payload (the entity object), with the event's constants.
pub trait Payload: Serialize + DeserializeOwned + Validate + Sized {
    /// The envelope `type` and EventBridge `DetailType`.
    const DETAIL_TYPE: &'static str;
    /// The producing service, the EventBridge `Source`; `None` for events produced outside
    /// the system, whose `Source` is whatever their producer sets.
    const SOURCE: Option<&'static str>;
    /// The EventBridge bus the event travels on.
    const BUS: &'static str;
    /// The schema version of this payload.
    const VERSION: u32;
    /// The envelope key the payload sits under.
    const ENTITY: &'static str;

    /// Wraps the payload into an envelope with no tags and no raw data.
    fn into_envelope(
        self,
        id: impl Into<String>,
        timestamp: i64,
        partition_key: impl Into<String>,
    ) -> Envelope<Self> {
        Envelope {
            id: id.into(),
            event_type: Self::DETAIL_TYPE.to_owned(),
            timestamp,
            partition_key: partition_key.into(),
            tags: BTreeMap::new(),
            payload: self,
            raw: None,
            schema_version: Self::VERSION,
            sequence: 0,
        }
    }
}

/// An event: envelope fields around a payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope<P> {
    /// Unique, deterministic id (the stream record's event id).
    pub id: String,
    /// The event type (`type` on the wire).
    pub event_type: String,
    /// Epoch milliseconds of the change.
    pub timestamp: i64,
    /// The entity id or a correlation id (`partitionKey`).
    pub partition_key: String,
    /// Routing information: account, region, stage, source, ...
    pub tags: BTreeMap<String, String>,
    /// The entity object.
    pub payload: P,
    /// Source data (`{new, old}` images); not a compatibility contract.
    pub raw: Option<serde_json::Value>,
    /// The payload's schema version (`schemaVersion`).
    pub schema_version: u32,
    /// The event's position among the events of its change, from 0 (`sequence`).
    pub sequence: u32,
}

impl<P> Envelope<P> {
    /// Replaces the tags.
    #[must_use]
    pub fn with_tags(mut self, tags: BTreeMap<String, String>) -> Self {
        self.tags = tags;
        self
    }

    /// Sets one tag.
    #[must_use]
    pub fn with_tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.insert(key.into(), value.into());
        self
    }

    /// Sets the event's position among the events of its change.
    #[must_use]
    pub fn with_sequence(mut self, sequence: u32) -> Self {
        self.sequence = sequence;
        self
    }

    /// Sets the raw source data.
    #[must_use]
    pub fn with_raw(mut self, raw: serde_json::Value) -> Self {
        self.raw = Some(raw);
        self
    }

    /// Turns the payload into another version, keeping the envelope fields.
    pub fn map<Q: Payload>(self, upcast: impl FnOnce(P) -> Q) -> Envelope<Q> {
        Envelope {
            id: self.id,
            event_type: self.event_type,
            timestamp: self.timestamp,
            partition_key: self.partition_key,
            tags: self.tags,
            payload: upcast(self.payload),
            raw: self.raw,
            schema_version: Q::VERSION,
            sequence: self.sequence,
        }
    }

    /// The version of the event: where it stands in the order views apply events in.
    pub fn version(&self) -> Version {
        Version::new(self.timestamp, self.sequence, &self.id)
    }
}

impl<P: Payload> Envelope<P> {
    /// The envelope as JSON.
    pub fn encode(&self) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(self)
    }
}

/// An envelope whatever its payload type: what a `DomainEvent` hands out for its variants.
pub trait AnyEnvelope {
    /// The event id.
    fn id(&self) -> &str;
    /// The event type (`type`).
    fn event_type(&self) -> &str;
    /// Epoch milliseconds of the change.
    fn timestamp(&self) -> i64;
    /// The partition key.
    fn partition_key(&self) -> &str;
    /// The version of the event: where it stands in the order views apply events in.
    fn version(&self) -> Version;
    /// Checks the payload against the spec's constraints.
    fn validate(&self) -> Result<(), ValidationErrors>;
    /// The envelope as JSON.
    fn to_json(&self) -> Result<String, serde_json::Error>;
}

impl<P: Payload> AnyEnvelope for Envelope<P> {
    fn id(&self) -> &str {
        &self.id
    }

    fn event_type(&self) -> &str {
        &self.event_type
    }

    fn timestamp(&self) -> i64 {
        self.timestamp
    }

    fn partition_key(&self) -> &str {
        &self.partition_key
    }

    fn version(&self) -> Version {
        Envelope::version(self)
    }

    fn validate(&self) -> Result<(), ValidationErrors> {
        self.payload.validate()
    }

    fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }
}

impl<P: Payload> Serialize for Envelope<P> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_envelope(self, P::ENTITY, serializer)
    }
}

/// Writes `envelope` with its payload under `entity` (the entity's name in lowerCamelCase):
/// the one way envelopes are written, for typed payloads ([`Envelope`]'s `Serialize`) and for
/// payloads only known as JSON (an example of a spec, say).
///
/// The keys come in a fixed order: `id`, `type`, `schemaVersion` and `sequence` first, so
/// that readers can pick the payload's type before they meet it ([`crate::decode`] decodes in
/// one pass then), the payload, `raw` last. `sequence` is left out when it is 0.
pub fn serialize_envelope<T: Serialize, S: Serializer>(
    envelope: &Envelope<T>,
    entity: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    map.serialize_entry(wire::ID, &envelope.id)?;
    map.serialize_entry(wire::TYPE, &envelope.event_type)?;
    map.serialize_entry(wire::SCHEMA_VERSION, &envelope.schema_version)?;
    if envelope.sequence != 0 {
        map.serialize_entry(wire::SEQUENCE, &envelope.sequence)?;
    }
    map.serialize_entry(wire::TIMESTAMP, &envelope.timestamp)?;
    map.serialize_entry(wire::PARTITION_KEY, &envelope.partition_key)?;
    map.serialize_entry(wire::TAGS, &envelope.tags)?;
    map.serialize_entry(entity, &envelope.payload)?;
    if let Some(raw) = &envelope.raw {
        map.serialize_entry(wire::RAW, raw)?;
    }
    map.end()
}

impl<'de, P: Payload> Deserialize<'de> for Envelope<P> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(EnvelopeVisitor(PhantomData))
    }
}

struct EnvelopeVisitor<P>(PhantomData<P>);

impl<'de, P: Payload> Visitor<'de> for EnvelopeVisitor<P> {
    type Value = Envelope<P>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a `{}` event envelope", P::DETAIL_TYPE)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = FieldsBuilder::default();
        let mut payload: Option<P> = None;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if fields.read(&key, &mut map)? {
                continue;
            }
            if *key == *P::ENTITY {
                payload = Some(map.next_value()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        let schema_version = fields.schema_version.unwrap_or(1);
        let payload = payload.ok_or_else(|| de::Error::missing_field(P::ENTITY))?;
        let mut envelope = payload.into_envelope(String::new(), 0, String::new());
        envelope.schema_version = schema_version;
        fields.build()?.fill(&mut envelope);
        Ok(envelope)
    }
}

/// An envelope key, borrowed from the input when it has no escapes.
pub(crate) struct Key<'de>(std::borrow::Cow<'de, str>);

impl std::ops::Deref for Key<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an envelope key")
            }

            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(key.into()))
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(key.to_owned().into()))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// The envelope fields besides the payload, as they are read.
#[derive(Default)]
pub(crate) struct FieldsBuilder {
    id: Option<String>,
    pub(crate) event_type: Option<String>,
    timestamp: Option<i64>,
    partition_key: Option<String>,
    tags: Option<BTreeMap<String, String>>,
    raw: Option<serde_json::Value>,
    pub(crate) schema_version: Option<u32>,
    sequence: Option<u32>,
}

impl FieldsBuilder {
    /// Reads the value of `key` when it is an envelope field; `false` for other keys (the
    /// payload, unknown keys), whose value is left to read.
    pub(crate) fn read<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        match key {
            wire::ID => self.id = Some(map.next_value()?),
            wire::TYPE => self.event_type = Some(map.next_value()?),
            wire::TIMESTAMP => self.timestamp = Some(map.next_value()?),
            wire::PARTITION_KEY => self.partition_key = Some(map.next_value()?),
            wire::TAGS => self.tags = map.next_value()?,
            wire::RAW => self.raw = map.next_value()?,
            wire::SCHEMA_VERSION => self.schema_version = Some(map.next_value()?),
            wire::SEQUENCE => self.sequence = Some(map.next_value()?),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The fields, unless a required one is missing.
    pub(crate) fn build<E: de::Error>(self) -> Result<Fields, E> {
        Ok(Fields {
            id: self.id.ok_or_else(|| E::missing_field(wire::ID))?,
            event_type: self
                .event_type
                .ok_or_else(|| E::missing_field(wire::TYPE))?,
            timestamp: self
                .timestamp
                .ok_or_else(|| E::missing_field(wire::TIMESTAMP))?,
            partition_key: self
                .partition_key
                .ok_or_else(|| E::missing_field(wire::PARTITION_KEY))?,
            tags: self.tags.unwrap_or_default(),
            raw: self.raw,
            sequence: self.sequence.unwrap_or_default(),
        })
    }
}

/// The envelope fields besides the payload and its version, once read (what
/// [`crate::Dispatch::fill`] puts into a decoded event).
#[derive(Debug)]
pub struct Fields {
    id: String,
    event_type: String,
    timestamp: i64,
    partition_key: String,
    tags: BTreeMap<String, String>,
    raw: Option<serde_json::Value>,
    sequence: u32,
}

impl Fields {
    /// Puts these fields into `envelope` (all but the payload and its schema version).
    pub fn fill<P>(self, envelope: &mut Envelope<P>) {
        envelope.id = self.id;
        envelope.event_type = self.event_type;
        envelope.timestamp = self.timestamp;
        envelope.partition_key = self.partition_key;
        envelope.tags = self.tags;
        envelope.raw = self.raw;
        envelope.sequence = self.sequence;
    }
}

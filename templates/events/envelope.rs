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

use crate::validation::Validate;

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

impl<P: Payload> Envelope<P> {
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

    /// The envelope as JSON.
    pub fn encode(&self) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(self)
    }
}

impl<P: Payload> Serialize for Envelope<P> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("type", &self.event_type)?;
        map.serialize_entry("schemaVersion", &self.schema_version)?;
        if self.sequence != 0 {
            map.serialize_entry("sequence", &self.sequence)?;
        }
        map.serialize_entry("timestamp", &self.timestamp)?;
        map.serialize_entry("partitionKey", &self.partition_key)?;
        map.serialize_entry("tags", &self.tags)?;
        map.serialize_entry(P::ENTITY, &self.payload)?;
        if let Some(raw) = &self.raw {
            map.serialize_entry("raw", raw)?;
        }
        map.end()
    }
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
struct Key<'de>(std::borrow::Cow<'de, str>);

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
struct FieldsBuilder {
    id: Option<String>,
    event_type: Option<String>,
    timestamp: Option<i64>,
    partition_key: Option<String>,
    tags: Option<BTreeMap<String, String>>,
    raw: Option<serde_json::Value>,
    schema_version: Option<u32>,
    sequence: Option<u32>,
}

impl FieldsBuilder {
    /// Reads the value of `key` when it is an envelope field; `false` for other keys (the
    /// payload, unknown keys), whose value is left to read.
    fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "id" => self.id = Some(map.next_value()?),
            "type" => self.event_type = Some(map.next_value()?),
            "timestamp" => self.timestamp = Some(map.next_value()?),
            "partitionKey" => self.partition_key = Some(map.next_value()?),
            "tags" => self.tags = map.next_value()?,
            "raw" => self.raw = map.next_value()?,
            "schemaVersion" => self.schema_version = Some(map.next_value()?),
            "sequence" => self.sequence = Some(map.next_value()?),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The fields, unless a required one is missing.
    fn build<E: de::Error>(self) -> Result<Fields, E> {
        Ok(Fields {
            id: self.id.ok_or_else(|| E::missing_field("id"))?,
            event_type: self.event_type.ok_or_else(|| E::missing_field("type"))?,
            timestamp: self
                .timestamp
                .ok_or_else(|| E::missing_field("timestamp"))?,
            partition_key: self
                .partition_key
                .ok_or_else(|| E::missing_field("partitionKey"))?,
            tags: self.tags.unwrap_or_default(),
            raw: self.raw,
            sequence: self.sequence.unwrap_or_default(),
        })
    }
}

/// The envelope fields besides the payload and its version, once read.
pub(crate) struct Fields {
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
    pub(crate) fn fill<P>(self, envelope: &mut Envelope<P>) {
        envelope.id = self.id;
        envelope.event_type = self.event_type;
        envelope.timestamp = self.timestamp;
        envelope.partition_key = self.partition_key;
        envelope.tags = self.tags;
        envelope.raw = self.raw;
        envelope.sequence = self.sequence;
    }
}

/// The event types of the crate, by which [`decode`] picks the payload type of an envelope
/// (implemented by the generated `DomainEvent` decoder).
pub(crate) trait Dispatch {
    /// Any event.
    type Event;

    /// The envelope key of the payload of `event_type` and its known schema versions;
    /// `None` for an unknown type.
    fn entity(&self, event_type: &str) -> Option<(&'static str, &'static [u32])>;

    /// Decodes the payload of `event_type` at `version` (both known to
    /// [`Dispatch::entity`]) into an event with empty envelope fields, upcast to the current
    /// version.
    fn payload<'de, D: Deserializer<'de>>(
        &self,
        event_type: &str,
        version: u32,
        payload: D,
    ) -> Result<Self::Event, D::Error>;

    /// Puts the envelope fields into an event [`Dispatch::payload`] decoded.
    fn fill(event: &mut Self::Event, fields: Fields);
}

/// Decodes an envelope with the payload type `dispatch` selects by `type` and
/// `schemaVersion` (absent: 1).
///
/// One pass over the bytes: the payload is decoded as it is met when `type` (and, for
/// events with several versions, `schemaVersion`) came before it, as in the envelopes this
/// crate and aws-lambda-stream write. Otherwise the keys that may hold the payload are kept
/// as JSON values until the end and the payload is decoded from its value.
pub(crate) fn decode<D: Dispatch>(bytes: &[u8], dispatch: D) -> Result<D::Event, DecodeError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let outcome = deserializer.deserialize_map(SinglePass(dispatch))?;
    deserializer.end()?;
    outcome
}

struct SinglePass<D>(D);

/// What to do with the value of a key that is not an envelope field.
enum Next {
    /// It is the payload, at this version: decode it now.
    Decode(u32),
    /// It may be the payload: keep it until `type` and `schemaVersion` are known.
    Keep,
    /// It is not the payload.
    Skip,
}

impl<'de, D: Dispatch> Visitor<'de> for SinglePass<D> {
    type Value = Result<D::Event, DecodeError>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an event envelope")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let dispatch = self.0;
        let mut fields = FieldsBuilder::default();
        // The payload decoded as it was met (`None`: of an unknown version), and its version.
        let mut early: Option<(Option<D::Event>, u32)> = None;
        let mut kept: Vec<(String, serde_json::Value)> = Vec::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if fields.read(&key, &mut map)? {
                continue;
            }
            let next = match fields.event_type.as_deref() {
                None => Next::Keep,
                Some(event_type) => match dispatch.entity(event_type) {
                    Some((entity, versions)) if *key == *entity && early.is_none() => {
                        match (fields.schema_version, versions) {
                            (Some(version), _) | (None, &[version]) => Next::Decode(version),
                            (None, _) => Next::Keep,
                        }
                    }
                    _ => Next::Skip,
                },
            };
            match (next, fields.event_type.as_deref()) {
                (Next::Decode(version), Some(event_type))
                    if dispatch
                        .entity(event_type)
                        .is_some_and(|(_, versions)| versions.contains(&version)) =>
                {
                    let event = map.next_value_seed(PayloadSeed {
                        dispatch: &dispatch,
                        event_type,
                        version,
                    })?;
                    early = Some((Some(event), version));
                }
                (Next::Decode(version), _) => {
                    map.next_value::<IgnoredAny>()?;
                    early = Some((None, version));
                }
                (Next::Keep, _) => kept.push((key.to_string(), map.next_value()?)),
                (Next::Skip, _) => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let event_type = fields
            .event_type
            .as_deref()
            .ok_or_else(|| de::Error::missing_field("type"))?;
        let Some((entity, versions)) = dispatch.entity(event_type) else {
            return Ok(Err(DecodeError::UnknownType(event_type.to_owned())));
        };
        let version = fields.schema_version.unwrap_or(1);
        let event = match early {
            Some((event, at)) if at == version => event,
            Some(_) => None,
            None if !versions.contains(&version) => None,
            None => {
                let (_, payload) = kept
                    .into_iter()
                    .find(|(key, _)| key == entity)
                    .ok_or_else(|| de::Error::missing_field(entity))?;
                let event = dispatch
                    .payload(event_type, version, payload)
                    .map_err(de::Error::custom)?;
                Some(event)
            }
        };
        let Some(mut event) = event else {
            return Ok(Err(DecodeError::UnknownVersion {
                event_type: event_type.to_owned(),
                version,
            }));
        };
        D::fill(&mut event, fields.build()?);
        Ok(Ok(event))
    }
}

/// Decodes a payload met in the envelope through [`Dispatch::payload`].
struct PayloadSeed<'d, 't, D> {
    dispatch: &'d D,
    event_type: &'t str,
    version: u32,
}

impl<'de, D: Dispatch> de::DeserializeSeed<'de> for PayloadSeed<'_, '_, D> {
    type Value = D::Event;

    fn deserialize<De: Deserializer<'de>>(self, payload: De) -> Result<D::Event, De::Error> {
        self.dispatch
            .payload(self.event_type, self.version, payload)
    }
}

/// Why bytes could not be decoded into an event.
#[derive(Debug)]
pub enum DecodeError {
    /// Not JSON, or not the shape of the event's envelope and payload.
    Json(serde_json::Error),
    /// An event type this crate does not know.
    UnknownType(String),
    /// A known event type with a schema version this crate does not know.
    UnknownVersion {
        /// The event type.
        event_type: String,
        /// The unknown version.
        version: u32,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Json(error) => write!(f, "invalid event: {error}"),
            DecodeError::UnknownType(event_type) => write!(f, "unknown event type `{event_type}`"),
            DecodeError::UnknownVersion {
                event_type,
                version,
            } => write!(
                f,
                "unknown schema version {version} of event `{event_type}`"
            ),
        }
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DecodeError::Json(error) => Some(error),
            DecodeError::UnknownType(_) | DecodeError::UnknownVersion { .. } => None,
        }
    }
}

impl From<serde_json::Error> for DecodeError {
    fn from(error: serde_json::Error) -> Self {
        DecodeError::Json(error)
    }
}

//! The event envelope, wire-compatible with aws-lambda-stream.
//!
//! ```json
//! { "id": "...", "type": "order-placed", "timestamp": 1700000000000,
//!   "partitionKey": "...", "tags": { "source": "orders" },
//!   "order": { ...payload... }, "raw": { ... }, "schemaVersion": 2 }
//! ```
//!
//! The payload sits under the event's entity name in lowerCamelCase ([`Payload::ENTITY`]).
//! `schemaVersion` is ours: aws-lambda-stream does not write it, so an absent version reads
//! as `1`. Unknown keys are ignored, so newer producers can add envelope fields.

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
        map.serialize_entry("timestamp", &self.timestamp)?;
        map.serialize_entry("partitionKey", &self.partition_key)?;
        map.serialize_entry("tags", &self.tags)?;
        map.serialize_entry(P::ENTITY, &self.payload)?;
        if let Some(raw) = &self.raw {
            map.serialize_entry("raw", raw)?;
        }
        map.serialize_entry("schemaVersion", &self.schema_version)?;
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
        let mut id = None;
        let mut event_type = None;
        let mut timestamp = None;
        let mut partition_key = None;
        let mut tags = None;
        let mut payload = None;
        let mut raw = None;
        let mut schema_version = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "id" => id = Some(map.next_value()?),
                "type" => event_type = Some(map.next_value()?),
                "timestamp" => timestamp = Some(map.next_value()?),
                "partitionKey" => partition_key = Some(map.next_value()?),
                "tags" => tags = map.next_value()?,
                "raw" => raw = map.next_value()?,
                "schemaVersion" => schema_version = Some(map.next_value()?),
                key if key == P::ENTITY => payload = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Envelope {
            id: id.ok_or_else(|| de::Error::missing_field("id"))?,
            event_type: event_type.ok_or_else(|| de::Error::missing_field("type"))?,
            timestamp: timestamp.ok_or_else(|| de::Error::missing_field("timestamp"))?,
            partition_key: partition_key
                .ok_or_else(|| de::Error::missing_field("partitionKey"))?,
            tags: tags.unwrap_or_default(),
            payload: payload.ok_or_else(|| de::Error::missing_field(P::ENTITY))?,
            raw,
            schema_version: schema_version.unwrap_or(1),
        })
    }
}

/// The envelope fields that select the payload type, read before the payload.
#[derive(Deserialize)]
pub(crate) struct Header {
    /// The event type.
    #[serde(rename = "type")]
    pub(crate) event_type: String,
    /// The payload's schema version; absent in aws-lambda-stream events.
    #[serde(rename = "schemaVersion", default = "first_version")]
    pub(crate) schema_version: u32,
}

fn first_version() -> u32 {
    1
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
            } => write!(f, "unknown schema version {version} of event `{event_type}`"),
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

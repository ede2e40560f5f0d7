//! Decoding an envelope in one pass: [`decode`], with the payload type a [`Dispatch`] picks.

use std::fmt;

use serde::Deserializer;
use serde::de::{self, IgnoredAny, MapAccess, Visitor};

use crate::envelope::{Fields, FieldsBuilder, Key};

/// The event types of a system, by which [`decode`] picks the payload type of an envelope
/// (implemented by the generated `DomainEvent` decoder).
pub trait Dispatch {
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
pub fn decode<D: Dispatch>(bytes: &[u8], dispatch: D) -> Result<D::Event, DecodeError> {
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
            .ok_or_else(|| de::Error::missing_field(crate::wire::TYPE))?;
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

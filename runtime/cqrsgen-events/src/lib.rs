//! The event side of cqrsgen-generated systems, without AWS.
//!
//! A generated events crate holds only what its spec says: a payload struct per event version,
//! the shared types, a `DomainEvent` enum and its decoder. Everything that is the same in every
//! system lives here:
//!
//! - [`envelope`]: the aws-lambda-stream envelope around a payload ([`Envelope`], [`Payload`])
//!   and the one way it is written ([`serialize_envelope`]);
//! - [`decode()`]: decoding an envelope in one pass, with the payload type a [`Dispatch`]
//!   picks by `type` and `schemaVersion`;
//! - [`validation`]: checking payloads against the spec's constraints ([`Validate`]);
//! - [`Version`] and [`merge`]: the order views apply events in, and the rule that decides what
//!   a write changes in a row;
//! - [`wire`]: every name on the wire (envelope keys, table attributes);
//! - [`Publishable`]: what a trigger publishes.
//!
//! The crate is self-contained (serde and serde_json only, no build script) so that cqrsgen
//! can vendor its source into a generated project.

pub mod decode;
pub mod envelope;
pub mod merge;
pub mod publish;
pub mod validation;
pub mod version;
pub mod wire;

pub use decode::{DecodeError, Dispatch, decode};
pub use envelope::{AnyEnvelope, Envelope, Fields, Payload, serialize_envelope};
pub use publish::Publishable;
pub use validation::{Path, Validate, ValidationError, ValidationErrors};
pub use version::Version;

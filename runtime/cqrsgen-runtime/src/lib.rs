//! Shared runtime of cqrsgen-generated services.
//!
//! Generated per-service crates are thin: they define the domain types (the event envelope,
//! the `DomainEvent` enum, entities and view rows) and the mappings between them, and call
//! this crate for everything that is the same in every service:
//!
//! - [`stream`]: reading DynamoDB stream records in a trigger function (change kinds, loop
//!   guard, replicas, field transitions, image decoding);
//! - [`envelope`]: the payload-independent parts of the aws-lambda-stream event envelope
//!   (tags, ids, timestamps);
//! - [`publish`]: publishing entries to EventBridge in batches with retries, reporting the
//!   stream records that could not be published;
//! - [`trigger`]: the trigger function's batch loop, from stream event to batch response;
//! - [`listener`]: processing an SQS batch with partial batch failures;
//! - [`error`]: error messages with their whole chain of causes, for logs and reports;
//! - [`store`]: idempotent, order-insensitive view storage;
//! - [`entity`]: the command side: an upstream service's entity table and typed
//!   repositories over it, written the way the trigger reads it;
//! - [`deadline`]: stopping in time to report failures before an invocation times out;
//! - [`clients`], [`env`](mod@env) and [`lambda`]: AWS clients, configuration from the environment
//!   and the Lambda entry point.
//!
//! # A trigger function
//!
//! ```no_run
//! use cqrsgen_runtime::envelope::{self, Tags};
//! use cqrsgen_runtime::listener::BoxError;
//! use cqrsgen_runtime::publish::{EventBridgePublisher, PublishConfig};
//! use cqrsgen_runtime::stream::{Change, StreamRecord};
//! use cqrsgen_runtime::trigger::{Publishable, StreamMapper, Trigger};
//! use cqrsgen_runtime::{clients, env, lambda};
//!
//! #[derive(serde::Serialize)]
//! struct Envelope {
//!     id: String,
//!     #[serde(rename = "type")]
//!     ty: &'static str,
//!     timestamp: i64,
//!     tags: Tags,
//!     thing: serde_json::Value,
//! }
//!
//! impl Publishable for Envelope {
//!     fn event_type(&self) -> &str {
//!         self.ty
//!     }
//!
//!     fn detail(&self) -> Result<String, serde_json::Error> {
//!         serde_json::to_string(self)
//!     }
//! }
//!
//! /// One event per change of a `thing` row.
//! struct Things {
//!     tags: Tags,
//! }
//!
//! impl StreamMapper for Things {
//!     type Event = Envelope;
//!
//!     fn map(&self, record: &StreamRecord<'_>, change: Change) -> Result<Vec<Envelope>, BoxError> {
//!         let ty = match change {
//!             Change::Insert => "thing-created",
//!             Change::Remove | Change::SoftDelete => "thing-deleted",
//!             Change::Modify | Change::Undelete => "thing-updated",
//!         };
//!         Ok(vec![Envelope {
//!             id: envelope::event_id(record.record(), 0),
//!             ty,
//!             timestamp: envelope::timestamp(record.record()),
//!             tags: self.tags.clone(),
//!             thing: record.image()?.unwrap_or_default(),
//!         }])
//!     }
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), lambda::Error> {
//!     let config = clients::sdk_config().await;
//!     let trigger = Trigger {
//!         source: "things".to_owned(),
//!         region: env::required(env::AWS_REGION)?,
//!         publisher: EventBridgePublisher::new(
//!             clients::eventbridge(&config),
//!             env::required(env::BUS_NAME)?,
//!         ),
//!         config: PublishConfig::default(),
//!     };
//!     let things = Things {
//!         tags: Tags::from_env("things").with_pipeline("trigger"),
//!     };
//!     lambda::run_trigger(&trigger, &things).await
//! }
//! ```
//!
//! # A listener function
//!
//! ```no_run
//! use cqrsgen_runtime::aws_lambda_events::sqs::SqsEvent;
//! use cqrsgen_runtime::error::error_chain;
//! use cqrsgen_runtime::listener::{Decoded, MessageHandler, process_batch};
//! use cqrsgen_runtime::store::{
//!     DynamoViewStore, Key, KeySchema, TableSchema, Version, ViewStore, Write,
//! };
//! use cqrsgen_runtime::{clients, env, lambda};
//!
//! #[derive(serde::Deserialize)]
//! struct Thing {
//!     id: String,
//!     name: String,
//! }
//!
//! struct Listener {
//!     things: DynamoViewStore<Thing>,
//! }
//!
//! impl MessageHandler for Listener {
//!     type Event = (serde_json::Value, Version);
//!     type Error = String;
//!
//!     fn decode(&self, body: &str) -> Result<Decoded<Self::Event>, String> {
//!         let envelope: serde_json::Value = serde_json::from_str(body).map_err(|e| e.to_string())?;
//!         match envelope["type"].as_str() {
//!             Some("thing-created") => {
//!                 let timestamp = envelope["timestamp"].as_i64().unwrap_or(0);
//!                 let version = Version::new(timestamp, 0, envelope["id"].as_str().unwrap_or(""));
//!                 Ok(Decoded::Event((envelope["thing"].clone(), version)))
//!             }
//!             other => Ok(Decoded::Unhandled(other.unwrap_or_default().to_owned())),
//!         }
//!     }
//!
//!     async fn apply(&self, (thing, version): Self::Event) -> Result<(), String> {
//!         let serde_json::Value::Object(attributes) = thing else {
//!             return Err("the thing is not an object".to_owned());
//!         };
//!         let id = attributes.get("id").and_then(|id| id.as_str()).ok_or("no id")?;
//!         let write = Write::upsert(Key::partition(id), attributes.clone(), version);
//!         self.things.apply(&write).await.map(drop).map_err(|e| error_chain(&e))
//!     }
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), lambda::Error> {
//!     let config = clients::sdk_config().await;
//!     let listener = Listener {
//!         things: DynamoViewStore::new(
//!             clients::dynamodb(&config),
//!             env::required("THINGS_TABLE")?,
//!             TableSchema::new(KeySchema::partition("id")),
//!         ),
//!     };
//!     let listener = &listener;
//!     lambda::run(move |event: SqsEvent| async move {
//!         Ok::<_, lambda::Error>(process_batch(listener, &event).await?)
//!     })
//!     .await
//! }
//! ```
//!
//! The crate is self-contained (crates.io dependencies only, no build script) so that the
//! generator can vendor its source into a generated project.

pub mod clients;
pub mod deadline;
pub mod entity;
pub mod env;
pub mod envelope;
pub mod error;
pub mod lambda;
pub mod listener;
pub mod publish;
pub mod store;
pub mod stream;
pub mod trigger;

#[cfg(test)]
mod test_support;

pub use aws_config;
pub use aws_lambda_events;
pub use aws_sdk_dynamodb;
pub use aws_sdk_eventbridge;
pub use cqrsgen_events as events;
pub use tokio;

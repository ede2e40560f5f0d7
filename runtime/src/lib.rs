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
//! - [`store`]: idempotent, order-insensitive view storage;
//! - [`clients`], [`env`](mod@env) and [`lambda`]: AWS clients, configuration from the environment
//!   and the Lambda entry point.
//!
//! The crate is self-contained (crates.io dependencies only, no build script) so that the
//! generator can vendor its source into a generated project.

pub mod clients;
pub mod env;
pub mod envelope;
pub mod lambda;
pub mod listener;
pub mod publish;
pub mod store;
pub mod stream;
pub mod trigger;

#[cfg(test)]
mod test_support;

pub use aws_lambda_events;

//! The Lambda entry point of generated functions.

use std::future::Future;

use lambda_runtime::{LambdaEvent, service_fn};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The error a handler returns to fail an invocation.
pub use lambda_runtime::Error;

/// Initializes tracing (as configured by `AWS_LAMBDA_LOG_LEVEL`, `AWS_LAMBDA_LOG_FORMAT` or
/// `RUST_LOG`) and serves invocations with `handler` until the runtime stops.
///
/// Build clients and other per-container state before calling this, and capture references
/// to them in `handler`.
pub async fn run<A, R, F, Fut>(handler: F) -> Result<(), Error>
where
    A: DeserializeOwned + Send,
    R: Serialize,
    F: Fn(A) -> Fut,
    Fut: Future<Output = Result<R, Error>>,
{
    lambda_runtime::tracing::init_default_subscriber();
    lambda_runtime::run(service_fn(|event: LambdaEvent<A>| handler(event.payload))).await
}

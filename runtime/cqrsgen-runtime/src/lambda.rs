//! The Lambda entry points of generated functions: [`run_listener`] and [`run_trigger`] serve
//! a service's listener and trigger, [`run`] any handler.
//!
//! Build the configuration, the clients and any other per-container state (the views, your
//! hooks) in `main`, once, before calling them: a container serves many invocations.

use std::future::Future;

use aws_lambda_events::dynamodb::Event;
use aws_lambda_events::sqs::SqsEvent;
use lambda_runtime::{LambdaEvent, service_fn};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::listener::{MessageHandler, process_batch};
use crate::publish::Publisher;
use crate::trigger::{StreamMapper, Trigger};

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

/// Serves a listener: each SQS batch is applied with `handler`, and the messages that could
/// not be applied are reported as batch item failures.
///
/// The futures are boxed: the SDK's and the Lambda runtime's futures nest deeply, and a
/// `main` awaiting them unboxed would exceed the compiler's type layout depth.
pub async fn run_listener<H: MessageHandler>(handler: &H) -> Result<(), Error> {
    let serve = run(move |event: SqsEvent| async move {
        Ok::<_, Error>(Box::pin(process_batch(handler, &event)).await?)
    });
    Box::pin(serve).await
}

/// Serves a trigger: each batch of the table's stream is turned into events by `mapper` and
/// published by `trigger`; records that could not be published are reported. The batch's
/// future is boxed, as in [`run_listener`].
pub async fn run_trigger<P: Publisher, M: StreamMapper>(
    trigger: &Trigger<P>,
    mapper: &M,
) -> Result<(), Error> {
    let serve = run(move |event: Event| async move {
        Ok::<_, Error>(Box::pin(trigger.handle(&event, mapper)).await)
    });
    Box::pin(serve).await
}

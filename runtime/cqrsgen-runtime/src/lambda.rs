//! The Lambda entry points of generated functions: [`run_listener`] and [`run_trigger`] serve
//! a service's listener and trigger, [`run`] any handler.
//!
//! Build the configuration, the clients and any other per-container state (the views, your
//! hooks) in `main`, once, before calling them: a container serves many invocations. The
//! handlers get each invocation's deadline from its context, and stop waiting in time to
//! report what failed (see [`crate::deadline`]).

use std::future::Future;

use aws_lambda_events::dynamodb::Event;
use aws_lambda_events::sqs::SqsEvent;
use lambda_runtime::{LambdaEvent, service_fn};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::deadline::Deadline;
use crate::listener::{ListenerConfig, MessageHandler, process_batch_with};
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
    run_before(|event, _deadline| handler(event)).await
}

/// Like [`run`], for handlers that stop in time: `handler` gets each invocation's
/// [`Deadline`] (its context's, less [`MARGIN`](crate::deadline::MARGIN)) with its event.
pub async fn run_before<A, R, F, Fut>(handler: F) -> Result<(), Error>
where
    A: DeserializeOwned + Send,
    R: Serialize,
    F: Fn(A, Deadline) -> Fut,
    Fut: Future<Output = Result<R, Error>>,
{
    lambda_runtime::tracing::init_default_subscriber();
    lambda_runtime::run(service_fn(|event: LambdaEvent<A>| {
        let deadline = Deadline::of_invocation(event.context.deadline());
        handler(event.payload, deadline)
    }))
    .await
}

/// Serves a listener: each SQS batch is applied with `handler`, as many messages at once as
/// [`ListenerConfig::from_env`] says (read here, once), and the messages that could not be
/// applied before the invocation's deadline are reported as batch item failures.
///
/// The futures are boxed: the SDK's and the Lambda runtime's futures nest deeply, and a
/// `main` awaiting them unboxed would exceed the compiler's type layout depth.
pub async fn run_listener<H: MessageHandler>(handler: &H) -> Result<(), Error> {
    let config = &ListenerConfig::from_env()?;
    let serve = run_before(move |event: SqsEvent, deadline| async move {
        let batch = process_batch_with(handler, &event, config, deadline);
        Ok::<_, Error>(Box::pin(batch).await?)
    });
    Box::pin(serve).await
}

/// Serves a trigger: each batch of the table's stream is turned into events by `mapper` and
/// published by `trigger`; records that could not be published before the invocation's
/// deadline are reported. The batch's future is boxed, as in [`run_listener`].
pub async fn run_trigger<P: Publisher, M: StreamMapper>(
    trigger: &Trigger<P>,
    mapper: &M,
) -> Result<(), Error> {
    let serve = run_before(move |event: Event, deadline| async move {
        Ok::<_, Error>(Box::pin(trigger.handle_before(&event, mapper, deadline)).await)
    });
    Box::pin(serve).await
}

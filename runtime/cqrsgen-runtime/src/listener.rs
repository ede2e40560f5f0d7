//! The listener function's batch loop: applying an SQS batch of events to views, with
//! partial batch failures.
//!
//! Every message body is an event envelope (the rule target uses `InputPath: $.detail`).
//! A [`MessageHandler`] decodes it and applies the view projections. A message that cannot
//! be decoded or applied is reported as a batch item failure, so that SQS redelivers it
//! (and eventually moves it to the dead-letter queue), while the rest of the batch is still
//! applied. Events of types the handler does not know are acknowledged.
//!
//! # Concurrency
//!
//! A listener waits on its view store, not on its CPU: a conditional write takes
//! milliseconds, decoding an event microseconds. So the messages of a batch are applied
//! concurrently, at most [`ListenerConfig::concurrency`] at a time. Applying them in any
//! order, or interleaved, gives the views they get in order: the store's writes carry the
//! event's version and are conditional (see [`crate::store`]), so stale and duplicate
//! events are skipped, and two writes to one row that race are serialized by the row's
//! revision. Hooks are called as before, once per event, and may run concurrently with other
//! events' projections and hooks, exactly as with two listener instances sharing a queue.

use std::future::Future;
use std::num::NonZeroUsize;

use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use futures_util::stream::{self, StreamExt};

use crate::deadline::Deadline;
use crate::env::{self, EnvError};
use crate::error::error_chain;

/// An error of any kind, for handlers that collect the errors of several layers (decoding,
/// views, custom hooks) into one.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What a message body decoded to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded<E> {
    /// An event the handler applies.
    Event(E),
    /// An event of a type the handler does not consume (named here): acknowledged.
    Unhandled(String),
}

/// Decodes and applies the events of one listener.
pub trait MessageHandler: Sync {
    /// The decoded event.
    type Event: Send;
    /// Why a message could not be decoded or applied: reported with its sources.
    type Error: Into<BoxError>;

    /// Decodes a message body.
    fn decode(&self, body: &str) -> Result<Decoded<Self::Event>, Self::Error>;

    /// Applies an event to the views. Called for several events of a batch at once.
    fn apply(&self, event: Self::Event) -> impl Future<Output = Result<(), Self::Error>> + Send;
}

/// How a listener processes a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListenerConfig {
    /// The most messages applied at once.
    pub concurrency: NonZeroUsize,
}

impl ListenerConfig {
    /// The default bound on messages applied at once: the default SQS batch size of a
    /// listener, so that a whole default batch waits about one store round trip. A larger
    /// batch (up to 10,000 with a batching window) is applied ten messages at a time, which
    /// keeps a burst of writes (and same-row conflicts, each costing a read and a retried
    /// write) within what one table partition and one HTTP connection pool absorb.
    pub const DEFAULT_CONCURRENCY: NonZeroUsize = NonZeroUsize::new(10).expect("not zero");

    /// The configuration of a Lambda function: [`env::LISTENER_CONCURRENCY`] if set, else
    /// [`Self::DEFAULT_CONCURRENCY`]. Read it once, at the cold start.
    pub fn from_env() -> Result<Self, EnvError> {
        Ok(Self {
            concurrency: env::positive(env::LISTENER_CONCURRENCY)?
                .unwrap_or(Self::DEFAULT_CONCURRENCY),
        })
    }
}

impl Default for ListenerConfig {
    fn default() -> Self {
        Self {
            concurrency: Self::DEFAULT_CONCURRENCY,
        }
    }
}

/// A message of the batch has no `messageId`, so its failure cannot be reported alone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a failed SQS message has no messageId: the whole batch fails ({reason})")]
pub struct MissingMessageId {
    /// Why the message failed.
    pub reason: String,
}

/// Processes a batch with the [default](ListenerConfig::default) configuration and no
/// deadline; see [`process_batch_with`].
pub async fn process_batch<H: MessageHandler>(
    handler: &H,
    event: &SqsEvent,
) -> Result<SqsBatchResponse, MissingMessageId> {
    process_batch_with(handler, event, &ListenerConfig::default(), Deadline::NONE).await
}

/// Processes a batch, [`ListenerConfig::concurrency`] messages at a time, and reports the
/// messages that failed, in the order of the batch. A message not applied by `deadline` has
/// failed (its write may or may not have been made: the retry is idempotent). Fails as a
/// whole (so that the whole batch is redelivered) only when a failed message has no
/// `messageId`.
pub async fn process_batch_with<H: MessageHandler>(
    handler: &H,
    event: &SqsEvent,
    config: &ListenerConfig,
    deadline: Deadline,
) -> Result<SqsBatchResponse, MissingMessageId> {
    // Unordered, so that a slow message does not hold back the next ones; the failures are
    // put back in batch order.
    let mut failures: Vec<(usize, String)> = stream::iter(event.records.iter().enumerate())
        .map(|(index, message)| async move {
            let outcome = deadline
                .bound(process_message(handler, message))
                .await
                .unwrap_or_else(|expired| Err(expired.to_string()));
            outcome.err().map(|reason| (index, reason))
        })
        .buffer_unordered(config.concurrency.get())
        .filter_map(std::future::ready)
        .collect()
        .await;
    failures.sort_unstable_by_key(|(index, _)| *index);
    let mut response = SqsBatchResponse::default();
    for (index, reason) in failures {
        let message = &event.records[index];
        let Some(id) = &message.message_id else {
            return Err(MissingMessageId { reason });
        };
        tracing::error!(message_id = id, reason, "cannot apply message");
        let mut failure = BatchItemFailure::default();
        failure.item_identifier.clone_from(id);
        response.batch_item_failures.push(failure);
    }
    Ok(response)
}

async fn process_message<H: MessageHandler>(
    handler: &H,
    message: &SqsMessage,
) -> Result<(), String> {
    let body = message.body.as_deref().ok_or("the message has no body")?;
    match handler.decode(body).map_err(reason)? {
        Decoded::Event(event) => handler.apply(event).await.map_err(reason),
        Decoded::Unhandled(event_type) => {
            tracing::info!(
                message_id = message.message_id,
                event_type,
                "acknowledged an event this listener does not consume"
            );
            Ok(())
        }
    }
}

/// A handler's error as a failure reason, with its sources.
fn reason(error: impl Into<BoxError>) -> String {
    error_chain(&*error.into())
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use tokio::time::Instant;

    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Deserialize)]
    struct Envelope {
        #[serde(rename = "type")]
        ty: String,
        amount: i64,
    }

    /// Applies `order-paid` events by adding up their amounts; negative amounts fail.
    #[derive(Default)]
    struct Totals {
        applied: Mutex<Vec<i64>>,
    }

    impl MessageHandler for Totals {
        type Event = i64;
        type Error = String;

        fn decode(&self, body: &str) -> Result<Decoded<i64>, String> {
            let envelope: Envelope = serde_json::from_str(body).map_err(|e| e.to_string())?;
            Ok(match envelope.ty.as_str() {
                "order-paid" => Decoded::Event(envelope.amount),
                _ => Decoded::Unhandled(envelope.ty),
            })
        }

        async fn apply(&self, amount: i64) -> Result<(), String> {
            if amount < 0 {
                return Err(format!("negative amount {amount}"));
            }
            self.applied.lock().expect("lock").push(amount);
            Ok(())
        }
    }

    fn batch(messages: serde_json::Value) -> SqsEvent {
        serde_json::from_value(json!({ "Records": messages })).expect("an SQS event")
    }

    fn message(id: &str, body: &str) -> serde_json::Value {
        json!({"messageId": id, "body": body, "eventSource": "aws:sqs"})
    }

    #[tokio::test]
    async fn reports_poison_messages_and_applies_the_rest() {
        let handler = Totals::default();
        let event = batch(json!([
            message("m1", r#"{"type":"order-paid","amount":5}"#),
            message("m2", "not json"),
            message("m3", r#"{"type":"order-paid","amount":-1}"#),
            message("m4", r#"{"type":"order-shipped","amount":0}"#),
            {"messageId": "m5"},
            message("m6", r#"{"type":"order-paid","amount":7}"#),
        ]));
        let response = process_batch(&handler, &event).await.expect("a response");
        let failed: Vec<&str> = response
            .batch_item_failures
            .iter()
            .map(|f| f.item_identifier.as_str())
            .collect();
        assert_eq!(failed, ["m2", "m3", "m5"]);
        assert_eq!(*handler.applied.lock().expect("lock"), [5, 7]);
    }

    #[tokio::test]
    async fn a_failed_message_without_id_fails_the_batch() {
        let handler = Totals::default();
        let event = batch(json!([{"body": "not json"}]));
        let error = process_batch(&handler, &event).await.expect_err("no id");
        assert!(error.reason.contains("expected ident"), "{error}");
    }

    /// Sleeps for the milliseconds a body names, counting the messages in flight.
    #[derive(Default)]
    struct Sleeper {
        in_flight: AtomicUsize,
        most_in_flight: AtomicUsize,
    }

    impl MessageHandler for Sleeper {
        type Event = u64;
        type Error = String;

        fn decode(&self, body: &str) -> Result<Decoded<u64>, String> {
            body.parse().map(Decoded::Event).map_err(|e| format!("{e}"))
        }

        async fn apply(&self, millis: u64) -> Result<(), String> {
            let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            self.most_in_flight.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(millis)).await;
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            Ok(())
        }
    }

    fn sleeps(millis: &[u64]) -> SqsEvent {
        let messages = millis
            .iter()
            .enumerate()
            .map(|(i, ms)| message(&format!("m{i}"), &ms.to_string()))
            .collect();
        batch(serde_json::Value::Array(messages))
    }

    fn config(concurrency: usize) -> ListenerConfig {
        ListenerConfig {
            concurrency: NonZeroUsize::new(concurrency).expect("not zero"),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn applies_at_most_the_configured_number_of_messages_at_once() {
        let handler = Sleeper::default();
        let start = Instant::now();
        let event = sleeps(&[100; 10]);
        let response = process_batch_with(&handler, &event, &config(3), Deadline::NONE)
            .await
            .expect("a response");
        assert!(response.batch_item_failures.is_empty());
        assert_eq!(handler.most_in_flight.load(Ordering::SeqCst), 3);
        // Four rounds of three, three, three and one message.
        assert_eq!(start.elapsed(), Duration::from_millis(400));
    }

    #[tokio::test(start_paused = true)]
    async fn messages_not_applied_by_the_deadline_are_reported() {
        let handler = Sleeper::default();
        let deadline = Deadline::at(Instant::now() + Duration::from_millis(250));
        let event = sleeps(&[100, 300, 100, 100, 100]);
        let response = process_batch_with(&handler, &event, &config(2), deadline)
            .await
            .expect("a response");
        // m0 and m1 start at once, m2 after m0 (at 100 ms), m3 after m2 (at 200 ms, so it
        // would end after the deadline), m4 at the deadline.
        let failed: Vec<&str> = response
            .batch_item_failures
            .iter()
            .map(|f| f.item_identifier.as_str())
            .collect();
        assert_eq!(failed, ["m1", "m3", "m4"]);
    }

    /// Fails every event the way a view store fails against a missing endpoint.
    struct Unreachable;

    impl MessageHandler for Unreachable {
        type Event = ();
        type Error = BoxError;

        fn decode(&self, _body: &str) -> Result<Decoded<()>, BoxError> {
            Ok(Decoded::Event(()))
        }

        async fn apply(&self, _event: ()) -> Result<(), BoxError> {
            let source = Box::new(crate::test_support::dispatch_failure());
            Err(Box::new(crate::store::StoreError::Request(source)))
        }
    }

    #[tokio::test]
    async fn failure_reasons_carry_the_whole_error_chain() {
        let event = batch(json!([{"body": "{}"}]));
        let error = process_batch(&Unreachable, &event)
            .await
            .expect_err("no id");
        assert_eq!(
            error.reason,
            "view store request failed: dispatch failure: connection refused"
        );
    }
}

//! The listener function's batch loop: applying an SQS batch of events to views, with
//! partial batch failures.
//!
//! Every message body is an event envelope (the rule target uses `InputPath: $.detail`).
//! A [`MessageHandler`] decodes it and applies the view projections. A message that cannot
//! be decoded or applied is reported as a batch item failure, so that SQS redelivers it
//! (and eventually moves it to the dead-letter queue), while the rest of the batch is still
//! applied. Events of types the handler does not know are acknowledged.

use std::future::Future;

use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};

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

    /// Applies an event to the views.
    fn apply(&self, event: Self::Event) -> impl Future<Output = Result<(), Self::Error>> + Send;
}

/// A message of the batch has no `messageId`, so its failure cannot be reported alone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a failed SQS message has no messageId: the whole batch fails ({reason})")]
pub struct MissingMessageId {
    /// Why the message failed.
    pub reason: String,
}

/// Processes a batch in order and reports the messages that failed. Fails as a whole (so
/// that the whole batch is redelivered) only when a failed message has no `messageId`.
pub async fn process_batch<H: MessageHandler>(
    handler: &H,
    event: &SqsEvent,
) -> Result<SqsBatchResponse, MissingMessageId> {
    let mut response = SqsBatchResponse::default();
    for message in &event.records {
        let Err(reason) = process_message(handler, message).await else {
            continue;
        };
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

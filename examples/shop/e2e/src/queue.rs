//! A listener's queue, polled by hand the way Lambda's SQS event source mapping polls it.
//!
//! Messages are received in batches of up to ten, handed to the generated listener as an
//! `SqsEvent` through the runtime's `process_batch`, and then, like the mapping with
//! `ReportBatchItemFailures` does: acknowledged messages are deleted, and failed ones are
//! made visible again at once (instead of after the visibility timeout), so that they are
//! redelivered and, after the queue's `maxReceiveCount`, moved to its dead-letter queue by
//! the emulator's redrive.
//!
//! Emulator shim: AWS applies the rule target's `InputPath: $.detail`, so the body is the
//! envelope; moto 5.2 ignores `InputPath` for SQS targets and delivers the whole EventBridge
//! event. [`envelope_body`] unwraps `detail` when (and only when) a body is a whole event.

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use aws_sdk_sqs::types::{DeleteMessageBatchRequestEntry, MessageSystemAttributeName};
use cqrsgen_runtime::listener::{MessageHandler, process_batch};

use crate::moto::Moto;
use crate::{HarnessError, Result};

/// SQS hands out at most ten messages per receive (the mapping's `BatchSize`).
pub const BATCH_SIZE: i32 = 10;

/// A message as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The message id, which names it in a batch item failure.
    pub message_id: String,
    /// The handle of this receipt, to delete it or change its visibility.
    pub receipt_handle: String,
    /// The body: the event envelope (see [`envelope_body`]).
    pub body: String,
}

/// What one delivery of a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Message ids the listener acknowledged.
    pub acknowledged: Vec<String>,
    /// Message ids the listener reported as failed.
    pub failed: Vec<String>,
}

/// Counts of a [`ListenerQueue::drain`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drained {
    /// The bodies of the acknowledged messages, in order.
    pub acknowledged: Vec<String>,
    /// How many deliveries failed (one message can fail several times).
    pub failures: usize,
    /// How many batches were delivered.
    pub batches: usize,
}

/// A listener queue and its dead-letter queue.
#[derive(Debug, Clone)]
pub struct ListenerQueue {
    client: aws_sdk_sqs::Client,
    url: String,
    dlq_url: String,
}

impl ListenerQueue {
    /// The queue at `url` with the dead-letter queue at `dlq_url` (URLs or names).
    pub async fn new(moto: &Moto, url: &str, dlq_url: &str) -> Result<Self> {
        let client = aws_sdk_sqs::Client::new(moto.config());
        let url = queue_url(&client, url).await?;
        let dlq_url = queue_url(&client, dlq_url).await?;
        Ok(Self {
            client,
            url,
            dlq_url,
        })
    }

    /// The queue's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Receives up to [`BATCH_SIZE`] visible messages (none when the queue is empty).
    pub async fn receive(&self) -> Result<Vec<Received>> {
        receive(&self.client, &self.url).await
    }

    /// Receives every visible message, batch by batch, without acknowledging any: they stay
    /// in flight until acknowledged or released by [`ListenerQueue::settle`].
    pub async fn receive_all(&self) -> Result<Vec<Vec<Received>>> {
        let mut batches = Vec::new();
        loop {
            let batch = self.receive().await?;
            if batch.is_empty() {
                return Ok(batches);
            }
            batches.push(batch);
        }
    }

    /// Delivers `batch` to `handler` and settles it: deletes the acknowledged messages and
    /// releases the failed ones for redelivery.
    pub async fn deliver<H: MessageHandler>(
        &self,
        handler: &H,
        batch: &[Received],
    ) -> Result<Outcome> {
        let response = process(handler, batch).await?;
        self.settle(batch, &response).await
    }

    /// Deletes the messages of `batch` that `response` does not report as failed, and makes
    /// the failed ones visible again.
    pub async fn settle(&self, batch: &[Received], response: &SqsBatchResponse) -> Result<Outcome> {
        let mut outcome = Outcome::default();
        let mut deletes = Vec::new();
        for message in batch {
            let failed = response
                .batch_item_failures
                .iter()
                .any(|f| f.item_identifier == message.message_id);
            if failed {
                self.client
                    .change_message_visibility()
                    .queue_url(&self.url)
                    .receipt_handle(&message.receipt_handle)
                    .visibility_timeout(0)
                    .send()
                    .await
                    .map_err(|e| HarnessError::aws("ChangeMessageVisibility", e))?;
                outcome.failed.push(message.message_id.clone());
            } else {
                let entry = DeleteMessageBatchRequestEntry::builder()
                    .id(format!("m{}", deletes.len()))
                    .receipt_handle(&message.receipt_handle)
                    .build()
                    .map_err(|e| HarnessError::aws("DeleteMessageBatch", e))?;
                deletes.push(entry);
                outcome.acknowledged.push(message.message_id.clone());
            }
        }
        if !deletes.is_empty() {
            self.client
                .delete_message_batch()
                .queue_url(&self.url)
                .set_entries(Some(deletes))
                .send()
                .await
                .map_err(|e| HarnessError::aws("DeleteMessageBatch", e))?;
        }
        Ok(outcome)
    }

    /// Receives and delivers batches until the queue has no visible message left; failed
    /// messages come back until the redrive moves them to the dead-letter queue.
    pub async fn drain<H: MessageHandler>(&self, handler: &H) -> Result<Drained> {
        let mut drained = Drained::default();
        loop {
            let batch = self.receive().await?;
            if batch.is_empty() {
                return Ok(drained);
            }
            let outcome = self.deliver(handler, &batch).await?;
            drained.batches += 1;
            drained.failures += outcome.failed.len();
            drained.acknowledged.extend(
                batch
                    .iter()
                    .filter(|m| outcome.acknowledged.contains(&m.message_id))
                    .map(|m| m.body.clone()),
            );
        }
    }

    /// Sends `body` to the queue directly (bypassing the bus), e.g. a malformed message.
    pub async fn send(&self, body: &str) -> Result<()> {
        self.client
            .send_message()
            .queue_url(&self.url)
            .message_body(body)
            .send()
            .await
            .map_err(|e| HarnessError::aws("SendMessage", e))?;
        Ok(())
    }

    /// The bodies of the messages in the dead-letter queue, received without deleting them.
    pub async fn dead_letters(&self) -> Result<Vec<String>> {
        let mut bodies = Vec::new();
        loop {
            let batch = receive(&self.client, &self.dlq_url).await?;
            if batch.is_empty() {
                return Ok(bodies);
            }
            bodies.extend(batch.into_iter().map(|m| m.body));
        }
    }
}

/// Delivers `batch` to `handler` as one SQS event, without touching the queue.
pub async fn process<H: MessageHandler>(
    handler: &H,
    batch: &[Received],
) -> Result<SqsBatchResponse> {
    Ok(process_batch(handler, &sqs_event(batch)).await?)
}

/// `batch` as the SQS event Lambda's event source mapping hands a listener.
pub fn sqs_event(batch: &[Received]) -> SqsEvent {
    let mut event = SqsEvent::default();
    event.records = batch
        .iter()
        .map(|received| {
            let mut message = SqsMessage::default();
            message.message_id = Some(received.message_id.clone());
            message.receipt_handle = Some(received.receipt_handle.clone());
            message.body = Some(received.body.clone());
            message.event_source = Some("aws:sqs".to_owned());
            message
        })
        .collect();
    event
}

/// The envelope in a delivered body. AWS delivers the envelope itself (the target's
/// `InputPath: $.detail`); moto 5.2 delivers the whole EventBridge event, recognised by its
/// `detail`, `detail-type` and `source` members, whose `detail` is taken. Any other body
/// (an envelope, or a malformed message) is returned unchanged.
pub fn envelope_body(body: &str) -> String {
    let Ok(serde_json::Value::Object(mut event)) = serde_json::from_str(body) else {
        return body.to_owned();
    };
    let whole_event = ["detail", "detail-type", "source"]
        .iter()
        .all(|member| event.contains_key(*member));
    match event.remove("detail") {
        Some(detail) if whole_event => detail.to_string(),
        _ => body.to_owned(),
    }
}

async fn receive(client: &aws_sdk_sqs::Client, url: &str) -> Result<Vec<Received>> {
    let output = client
        .receive_message()
        .queue_url(url)
        .max_number_of_messages(BATCH_SIZE)
        .wait_time_seconds(0)
        .message_system_attribute_names(MessageSystemAttributeName::ApproximateReceiveCount)
        .send()
        .await
        .map_err(|e| HarnessError::aws("ReceiveMessage", e))?;
    Ok(output
        .messages()
        .iter()
        .map(|message| Received {
            message_id: message.message_id().unwrap_or_default().to_owned(),
            receipt_handle: message.receipt_handle().unwrap_or_default().to_owned(),
            body: envelope_body(message.body().unwrap_or_default()),
        })
        .collect())
}

async fn queue_url(client: &aws_sdk_sqs::Client, url_or_name: &str) -> Result<String> {
    if url_or_name.starts_with("http") {
        return Ok(url_or_name.to_owned());
    }
    let output = client
        .get_queue_url()
        .queue_name(url_or_name)
        .send()
        .await
        .map_err(|e| HarnessError::aws(format!("GetQueueUrl {url_or_name}"), e))?;
    output
        .queue_url()
        .map(str::to_owned)
        .ok_or_else(|| HarnessError::Missing(format!("queue `{url_or_name}`")))
}

#[cfg(test)]
mod tests {
    use super::envelope_body;

    #[test]
    fn unwraps_whole_events_only() {
        let event = r#"{"source":"s","detail-type":"t","detail":{"id":"1"}}"#;
        assert_eq!(envelope_body(event), r#"{"id":"1"}"#);
        let envelope = r#"{"id":"1","detail":"kept"}"#;
        assert_eq!(envelope_body(envelope), envelope);
        assert_eq!(envelope_body("not json"), "not json");
    }
}

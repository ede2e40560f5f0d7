//! The trigger function's batch loop: from a DynamoDB stream event to published events and
//! a batch response.

use crate::clients;
use crate::deadline::Deadline;
use crate::env::{self, EnvError};
use crate::error::error_chain;
use crate::listener::BoxError;
use crate::publish::{
    Entry, EventBridgePublisher, FailedRecord, PublishConfig, Publisher, publish_all,
};
use crate::stream::{Change, StreamRecord};
use aws_config::SdkConfig;
use aws_lambda_events::dynamodb::Event;
use aws_lambda_events::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};

pub use cqrsgen_events::Publishable;

/// Turns the records of a service's table stream into events: generated service crates
/// implement it (their `Mapper`).
pub trait StreamMapper: Sync {
    /// The events published.
    type Event: Publishable;

    /// The events of `record`, a change of kind `change`; none for records of other entities.
    fn map(&self, record: &StreamRecord<'_>, change: Change) -> Result<Vec<Self::Event>, BoxError>;
}

/// Publishes the events of a service's table stream.
#[derive(Debug)]
pub struct Trigger<P> {
    /// The producing service, published as the EventBridge `Source`.
    pub source: String,
    /// The region the function runs in; records written in other regions are skipped.
    pub region: String,
    /// Where events go.
    pub publisher: P,
    /// How they are batched and retried.
    pub config: PublishConfig,
}

impl Trigger<EventBridgePublisher> {
    /// The trigger of `source` in a Lambda function: it publishes to the bus named by
    /// `BUS_NAME`, skips replicas of other regions than `AWS_REGION`, and sends and retries as
    /// [`PublishConfig::from_env`] says.
    pub fn from_env(source: &str, config: &SdkConfig) -> Result<Self, EnvError> {
        Ok(Self {
            source: source.to_owned(),
            region: env::required(env::AWS_REGION)?,
            publisher: EventBridgePublisher::new(
                clients::eventbridge(config),
                env::required(env::BUS_NAME)?,
            ),
            config: PublishConfig::from_env()?,
        })
    }
}

impl<P: Publisher> Trigger<P> {
    /// Handles one stream event without deadline; see [`Trigger::handle_before`].
    pub async fn handle(&self, event: &Event, mapper: &impl StreamMapper) -> DynamoDbEventResponse {
        self.handle_before(event, mapper, Deadline::NONE).await
    }

    /// Handles one stream event: skips latched records and replicas, asks `map` for the
    /// events of every other record (given its [`Change`]) and publishes them, in the order
    /// of the records (see [`publish_all`]), sending nothing after `deadline`.
    ///
    /// Processing stops at the first record whose events cannot be produced or published:
    /// that record and every later one are reported as batch item failures, by sequence
    /// number (the record's `eventID` when it has none), and no further request is started.
    /// Lambda retries the batch from the lowest reported record, so no later request puts a
    /// record's events on the bus ahead of an earlier change's.
    pub async fn handle_before(
        &self,
        event: &Event,
        mapper: &impl StreamMapper,
        deadline: Deadline,
    ) -> DynamoDbEventResponse {
        let mut records = Vec::with_capacity(event.records.len());
        let mut entries = Vec::new();
        let mut failed = None;
        for record in &event.records {
            let view = StreamRecord::new(record);
            let record_id = view
                .sequence_number()
                .unwrap_or(&record.event_id)
                .to_owned();
            if failed.is_some() {
                records.push(record_id);
                continue;
            }
            if let Some(skip) = view.skip(&self.region) {
                tracing::debug!(record_id, ?skip, "skipped stream record");
                continue;
            }
            match self.entries(&view, &record_id, mapper) {
                Ok(mut produced) => entries.append(&mut produced),
                Err(reason) => {
                    tracing::error!(record_id, reason, "cannot produce events");
                    failed = Some(FailedRecord {
                        record_id: record_id.clone(),
                        reason,
                    });
                }
            }
            records.push(record_id);
        }
        if let Some(failure) = publish_all(&self.publisher, &entries, &self.config, deadline).await
        {
            tracing::error!(
                record_id = failure.record_id,
                reason = failure.reason,
                "cannot publish events"
            );
            failed = Some(failure);
        }
        let failed_from = failed.and_then(|failure| {
            records
                .iter()
                .position(|record_id| *record_id == failure.record_id)
        });
        batch_response(failed_from.map_or(&[][..], |index| &records[index..]))
    }

    fn entries(
        &self,
        view: &StreamRecord<'_>,
        record_id: &str,
        mapper: &impl StreamMapper,
    ) -> Result<Vec<Entry>, String> {
        let change = view.change().map_err(|e| error_chain(&e))?;
        let events = mapper.map(view, change).map_err(|e| error_chain(&*e))?;
        events
            .iter()
            .map(|event| {
                Ok(Entry {
                    source: self.source.clone(),
                    detail_type: event.event_type().to_owned(),
                    detail: event.detail().map_err(|e| error_chain(&e))?,
                    record_id: record_id.to_owned(),
                })
            })
            .collect()
    }
}

/// Converts a value into a type of the same JSON shape, e.g. an entity's inline record into
/// the event payload's record of the same fields.
pub fn convert<T, U>(value: &T) -> Result<U, serde_json::Error>
where
    T: serde::Serialize + ?Sized,
    U: serde::de::DeserializeOwned,
{
    serde_json::from_value(serde_json::to_value(value)?)
}

/// The response reporting the records `failed` as batch item failures.
fn batch_response(failed: &[String]) -> DynamoDbEventResponse {
    let mut response = DynamoDbEventResponse::default();
    response.batch_item_failures = failed
        .iter()
        .map(|record_id| {
            let mut item = DynamoDbBatchItemFailure::default();
            item.item_identifier = Some(record_id.clone());
            item
        })
        .collect();
    response
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::envelope;
    use crate::publish::InMemoryPublisher;
    use crate::test_support::record;

    #[derive(serde::Serialize)]
    struct Envelope {
        id: String,
        #[serde(rename = "type")]
        ty: String,
    }

    impl Publishable for Envelope {
        fn event_type(&self) -> &str {
            &self.ty
        }

        fn detail(&self) -> Result<String, serde_json::Error> {
            serde_json::to_string(self)
        }
    }

    fn trigger() -> Trigger<InMemoryPublisher> {
        Trigger {
            source: "orders".into(),
            region: "us-east-1".into(),
            publisher: InMemoryPublisher::new(),
            config: PublishConfig {
                base_delay: std::time::Duration::ZERO,
                ..PublishConfig::default()
            },
        }
    }

    fn stream_event(records: Vec<serde_json::Value>) -> Event {
        let mut event = Event::default();
        event.records = records.into_iter().map(record).collect();
        event
    }

    /// Maps orders: inserts are `order-created`, removals fail, the rest `order-updated`.
    struct Orders;

    impl StreamMapper for Orders {
        type Event = Envelope;

        fn map(&self, view: &StreamRecord<'_>, change: Change) -> Result<Vec<Envelope>, BoxError> {
            Ok(map(view, change)?)
        }
    }

    fn map(view: &StreamRecord<'_>, change: Change) -> Result<Vec<Envelope>, String> {
        let ty = match change {
            Change::Insert => "order-created",
            Change::Remove => return Err("removals are not mapped".into()),
            _ => "order-updated",
        };
        Ok(vec![Envelope {
            id: envelope::event_id(view.record(), 0),
            ty: ty.into(),
        }])
    }

    fn record_ids(entries: &[crate::publish::Entry]) -> Vec<&str> {
        entries.iter().map(|e| e.record_id.as_str()).collect()
    }

    fn failures(response: &DynamoDbEventResponse) -> Vec<&str> {
        response
            .batch_item_failures
            .iter()
            .filter_map(|f| f.item_identifier.as_deref())
            .collect()
    }

    #[test]
    fn converts_between_types_of_the_same_shape() {
        #[derive(serde::Serialize)]
        struct Contact<'a> {
            email: Option<&'a str>,
        }
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Reachable {
            email: Option<String>,
        }
        let converted: Reachable = convert(&Contact { email: Some("a@b") }).expect("same shape");
        assert_eq!(converted.email.as_deref(), Some("a@b"));
        assert!(convert::<_, Reachable>(&[1, 2]).is_err());
    }

    #[tokio::test]
    async fn publishes_mapped_events_and_skips_latched_records() {
        let trigger = trigger();
        let event = stream_event(vec![
            json!({"eventID": "a", "SequenceNumber": "1", "NewImage": {"pk": {"S": "1"}}}),
            json!({"eventID": "b", "SequenceNumber": "2", "NewImage": {"latched": {"BOOL": true}}}),
        ]);
        let response = trigger.handle(&event, &Orders).await;
        assert!(response.batch_item_failures.is_empty());
        let published = trigger.publisher.published();
        assert_eq!(published.len(), 1);
        assert_eq!(published[0].source, "orders");
        assert_eq!(published[0].detail_type, "order-created");
        assert_eq!(published[0].detail, r#"{"id":"a","type":"order-created"}"#);
        assert_eq!(published[0].record_id, "1");
    }

    #[tokio::test]
    async fn stops_at_a_record_that_cannot_be_mapped() {
        let trigger = trigger();
        let event = stream_event(vec![
            json!({"SequenceNumber": "1", "NewImage": {"pk": {"S": "1"}}}),
            json!({"SequenceNumber": "2", "eventName": "REMOVE", "OldImage": {"pk": {"S": "2"}}}),
            json!({"SequenceNumber": "3", "eventName": "MODIFY", "NewImage": {"pk": {"S": "3"}}}),
            json!({"SequenceNumber": "4", "NewImage": {"latched": {"BOOL": true}}}),
        ]);
        let response = trigger.handle(&event, &Orders).await;
        assert_eq!(failures(&response), ["2", "3", "4"]);
        let published = trigger.publisher.published();
        assert_eq!(record_ids(&published), ["1"]);
    }

    #[tokio::test]
    async fn stops_at_a_record_that_cannot_be_published() {
        let trigger = trigger();
        trigger.publisher.fail_record("2", usize::MAX);
        let records = (1..=12)
            .map(|i| json!({"SequenceNumber": i.to_string(), "NewImage": {"pk": {"S": "x"}}}))
            .collect();
        let response = trigger.handle(&stream_event(records), &Orders).await;
        let expected: Vec<String> = (2..=12).map(|i| i.to_string()).collect();
        assert_eq!(failures(&response), expected);
        // Records in the first request were sent with it; nothing after it.
        let published = trigger.publisher.published();
        assert_eq!(
            record_ids(&published),
            ["1", "3", "4", "5", "6", "7", "8", "9", "10"]
        );
    }

    #[tokio::test]
    async fn records_before_the_failure_are_not_reported() {
        let trigger = trigger();
        let event = stream_event(vec![
            json!({"SequenceNumber": "1", "NewImage": {"pk": {"S": "1"}}}),
            json!({"SequenceNumber": "2", "eventName": "TRUNCATE"}),
        ]);
        let response = trigger.handle(&event, &Orders).await;
        assert_eq!(failures(&response), ["2"]);
    }

    #[test]
    fn failure_reasons_carry_the_whole_error_chain() {
        let trigger = trigger();
        let event = stream_event(vec![json!({"NewImage": {"pk": {"S": "1"}}})]);
        let view = StreamRecord::new(&event.records[0]);
        struct Failing;
        impl StreamMapper for Failing {
            type Event = Envelope;

            fn map(&self, _: &StreamRecord<'_>, _: Change) -> Result<Vec<Envelope>, BoxError> {
                Err(Box::new(crate::test_support::dispatch_failure()))
            }
        }
        let reason = trigger
            .entries(&view, "1", &Failing)
            .expect_err("the mapping fails");
        assert_eq!(reason, "dispatch failure: connection refused");
    }
}

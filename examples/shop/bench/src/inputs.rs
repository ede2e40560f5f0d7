//! The inputs of the scenarios: a DynamoDB stream batch of new orders in orders-bff's table,
//! and the SQS batch of the events the trigger makes of it, as shipping's queue gets them.

use std::error::Error;

use cqrsgen_runtime::aws_lambda_events::dynamodb::Event;
use cqrsgen_runtime::aws_lambda_events::sqs::SqsEvent;
use cqrsgen_runtime::envelope::Tags;
use cqrsgen_runtime::publish::{InMemoryPublisher, PublishConfig};
use cqrsgen_runtime::trigger::Trigger;
use serde_json::{Value, json};
use shop_orders_bff::{Mapper, SERVICE};

/// The region of the function and of the records.
pub const REGION: &str = "us-east-1";

/// orders-bff's mapper, tagging events as a trigger in `REGION` does.
pub fn mapper() -> Mapper {
    let tags = Tags::from_lookup(SERVICE, |name| match name {
        "AWS_REGION" => Some(REGION.to_owned()),
        "STAGE" => Some("bench".to_owned()),
        _ => None,
    });
    Mapper::new(&tags.with_pipeline("trigger"))
}

/// A uuid numbered `n` of `kind` (0: order, 1: customer).
fn uuid(kind: u8, n: usize) -> String {
    format!("{kind:08x}-0000-4000-8000-{n:012x}")
}

/// The insert of order `n`, as a stream record.
fn record(n: usize) -> Value {
    let id = uuid(0, n);
    let timestamp = 1_700_000_000_000_i64 + i64::try_from(n).unwrap_or_default();
    json!({
        "eventID": format!("e{n}"), "eventName": "INSERT", "eventVersion": "1.1",
        "eventSource": "aws:dynamodb", "awsRegion": REGION,
        "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/x",
        "dynamodb": {
            "ApproximateCreationDateTime": 1_700_000_000,
            "Keys": {"pk": {"S": id}, "sk": {"S": "order"}},
            "SequenceNumber": format!("{n:021}"),
            "SizeBytes": 512,
            "StreamViewType": "NEW_AND_OLD_IMAGES",
            "NewImage": {
                "pk": {"S": id}, "sk": {"S": "order"}, "discriminator": {"S": "order"},
                "id": {"S": id}, "customerId": {"S": uuid(1, n % 7)},
                "status": {"S": "placed"}, "currency": {"S": "EUR"}, "total": {"S": "42.50"},
                "weightGrams": {"N": "1200"},
                "lines": {"L": [{"M": {
                    "sku": {"S": "BOOK-0042"}, "quantity": {"N": "2"}, "unitPrice": {"S": "12.50"}
                }}]},
                "shippingAddress": {"M": {
                    "line1": {"S": "Hauptstraße 5"}, "city": {"S": "Berlin"},
                    "postalCode": {"S": "10115"}, "country": {"S": "DE"}
                }},
                "placedAt": {"S": "2026-03-14T09:26:53Z"},
                "channel": {"S": "web"},
                "timestamp": {"N": timestamp.to_string()}
            }
        }
    })
}

/// A stream batch of `size` new orders.
pub fn stream_event(size: usize) -> Result<Event, serde_json::Error> {
    let records: Vec<Value> = (0..size).map(record).collect();
    serde_json::from_value(json!({ "Records": records }))
}

/// The SQS batch of the events `mapper` makes of `records`: one message per event, its body
/// the envelope.
pub async fn sqs_event(records: &Event, mapper: &Mapper) -> Result<SqsEvent, Box<dyn Error>> {
    let trigger = Trigger {
        source: SERVICE.to_owned(),
        region: REGION.to_owned(),
        publisher: InMemoryPublisher::new(),
        config: PublishConfig::default(),
    };
    let response = trigger.handle(records, mapper).await;
    if !response.batch_item_failures.is_empty() {
        return Err("the orders do not map to events".into());
    }
    let messages: Vec<Value> = trigger
        .publisher
        .published()
        .iter()
        .enumerate()
        .map(|(n, entry)| {
            json!({
                "messageId": format!("m{n}"), "body": entry.detail,
                "eventSource": "aws:sqs", "awsRegion": REGION
            })
        })
        .collect();
    Ok(serde_json::from_value(json!({ "Records": messages }))?)
}

//! The trigger of `orders-bff` without AWS: a Lambda-shaped DynamoDB stream batch through the
//! generated mapping and the runtime's `Trigger`, publishing into memory.

use std::time::Duration;

use serde_json::{Value, json};
use shop_orders_bff::events::DomainEvent;
use shop_orders_bff::runtime::aws_lambda_events::dynamodb::Event;
use shop_orders_bff::runtime::envelope::Tags;
use shop_orders_bff::runtime::publish::{InMemoryPublisher, PublishConfig};
use shop_orders_bff::runtime::trigger::Trigger;
use shop_orders_bff::{Mapper, SERVICE};

const ORDER: &str = "3f1c2a9e-7b4d-4c8a-9e21-5d6f0a1b2c3d";
const CUSTOMER: &str = "5b2e9d1a-0c4f-4e7b-a1d3-9f8e7d6c5b4a";

/// An order row in DynamoDB JSON.
fn order(status: &str, timestamp: i64) -> Value {
    json!({
        "pk": {"S": ORDER}, "sk": {"S": "order"}, "discriminator": {"S": "order"},
        "id": {"S": ORDER}, "customerId": {"S": CUSTOMER},
        "status": {"S": status}, "currency": {"S": "EUR"}, "total": {"S": "42.50"},
        "weightGrams": {"N": "1200"},
        "lines": {"L": [{"M": {"sku": {"S": "BOOK-0042"}, "quantity": {"N": "2"}, "unitPrice": {"S": "12.50"}}}]},
        "shippingAddress": {"M": {"line1": {"S": "Hauptstraße 5"}, "city": {"S": "Berlin"},
                                  "postalCode": {"S": "10115"}, "country": {"S": "DE"}}},
        "placedAt": {"S": "2026-03-14T09:26:53Z"},
        "channel": {"S": "web"},
        "timestamp": {"N": timestamp.to_string()}
    })
}

fn with(mut image: Value, attribute: &str, value: Value) -> Value {
    image[attribute] = value;
    image
}

fn record(id: &str, sequence: &str, name: &str, new: Option<Value>, old: Option<Value>) -> Value {
    let mut change = json!({
        "ApproximateCreationDateTime": 1_700_000_000,
        "Keys": {"pk": {"S": ORDER}, "sk": {"S": "order"}},
        "SequenceNumber": sequence,
        "SizeBytes": 512,
        "StreamViewType": "NEW_AND_OLD_IMAGES"
    });
    if let Some(new) = new {
        change["NewImage"] = new;
    }
    if let Some(old) = old {
        change["OldImage"] = old;
    }
    json!({
        "eventID": id, "eventName": name, "eventVersion": "1.1", "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/x",
        "dynamodb": change
    })
}

fn trigger() -> Trigger<InMemoryPublisher> {
    Trigger {
        source: SERVICE.to_owned(),
        region: "us-east-1".to_owned(),
        publisher: InMemoryPublisher::new(),
        config: PublishConfig {
            base_delay: Duration::ZERO,
            ..PublishConfig::default()
        },
    }
}

fn mapper() -> Mapper {
    let tags = Tags::from_lookup(SERVICE, |name| match name {
        "AWS_REGION" => Some("us-east-1".to_owned()),
        "STAGE" => Some("test".to_owned()),
        _ => None,
    });
    Mapper::new(&tags.with_pipeline("trigger"))
}

#[tokio::test]
async fn a_stream_batch_becomes_the_spec_events() {
    let placed = order("placed", 1_700_000_000_100);
    let cancelled = with(
        order("cancelled", 1_700_000_000_200),
        "cancellationReason",
        json!({"S": "Ordered twice"}),
    );
    let deleted = with(cancelled.clone(), "deleted", json!({"BOOL": true}));
    let batch: Event = serde_json::from_value(json!({ "Records": [
        record("e1", "1", "INSERT", Some(placed.clone()), None),
        record("e2", "2", "MODIFY", Some(cancelled.clone()), Some(placed.clone())),
        record("e3", "3", "MODIFY", Some(with(placed.clone(), "latched", json!({"BOOL": true}))), Some(placed.clone())),
        record("e4", "4", "MODIFY", Some(deleted.clone()), Some(cancelled.clone())),
        record("e5", "5", "INSERT", Some(with(placed.clone(), "awsregion", json!({"S": "eu-west-1"}))), None),
        record("e7", "7", "INSERT", Some(with(placed.clone(), "discriminator", json!({"S": "invoice"}))), None),
        record("e6", "6", "INSERT", Some(with(placed.clone(), "weightGrams", json!({"S": "heavy"}))), None),
    ]}))
    .unwrap();

    let trigger = trigger();
    let mapper = mapper();
    let response = trigger.handle(&batch, &mapper).await;

    // The record whose image does not decode (the last) is retried; latched records, replicas
    // and other entities produce nothing.
    let failed: Vec<_> = response
        .batch_item_failures
        .iter()
        .map(|f| f.item_identifier.clone())
        .collect();
    assert_eq!(failed, [Some("6".to_owned())]);

    let published = trigger.publisher.published();
    let summary: Vec<(&str, &str, &str)> = published
        .iter()
        .map(|e| {
            (
                e.source.as_str(),
                e.detail_type.as_str(),
                e.record_id.as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("orders-bff", "order-placed", "1"),
            ("orders-bff", "order-updated", "2"),
            ("orders-bff", "order-cancelled", "2"),
            ("orders-bff", "order-deleted", "4"),
        ]
    );

    let events: Vec<DomainEvent> = published
        .iter()
        .map(|e| DomainEvent::decode(e.detail.as_bytes()).unwrap())
        .collect();
    let ids: Vec<&str> = events.iter().map(DomainEvent::id).collect();
    assert_eq!(ids, ["e1", "e2", "e2.1", "e4"]);
    for event in &events {
        assert_eq!(event.partition_key(), ORDER);
        event.validate().unwrap();
    }
    assert_eq!(events[0].timestamp(), 1_700_000_000_100);

    let DomainEvent::OrderPlaced(placed) = &events[0] else {
        panic!("{:?}", events[0])
    };
    assert_eq!(placed.payload.total.to_string(), "42.50");
    assert_eq!(placed.payload.shipping_address.city, "Berlin");
    assert_eq!(
        placed.tags.get("source").map(String::as_str),
        Some("orders-bff")
    );
    assert_eq!(
        placed.tags.get("pipeline").map(String::as_str),
        Some("trigger")
    );
    assert_eq!(placed.tags.get("stage").map(String::as_str), Some("test"));
    assert_eq!(
        placed.tags.get("region").map(String::as_str),
        Some("us-east-1")
    );

    let DomainEvent::OrderCancelled(cancelled) = &events[2] else {
        panic!("{:?}", events[2])
    };
    assert_eq!(cancelled.payload.reason.as_deref(), Some("Ordered twice"));

    let DomainEvent::OrderDeleted(deleted) = &events[3] else {
        panic!("{:?}", events[3])
    };
    assert_eq!(deleted.payload.order_id.to_string(), ORDER);
    assert_eq!(deleted.payload.customer_id.to_string(), CUSTOMER);
}

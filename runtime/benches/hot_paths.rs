//! The per-event hot paths of generated functions, against their floor:
//!
//! - listener: an SQS body -> typed event (type first, then the envelope with its payload,
//!   as the generated `DomainEvent::decode` does) -> projection (view attributes and an
//!   upsert) -> the `UpdateItem` request parts; against one `serde_json::from_slice` of the
//!   same bytes into the typed envelope;
//! - trigger: a stream record -> change kind and loop guard -> entity decoded from the image
//!   -> event envelope -> PutEvents entry; against decoding the same image with serde_dynamo
//!   alone.
//!
//! The types mirror what cqrsgen generates for an order (see `examples/shop`).

#![allow(
    missing_docs,
    reason = "criterion_group! defines an undocumented public function"
)]

use std::collections::BTreeMap;
use std::hint::black_box;

use aws_lambda_events::dynamodb::EventRecord;
use cqrsgen_runtime::envelope::{self, Tags};
use cqrsgen_runtime::publish::Entry;
use cqrsgen_runtime::store::{
    Attributes, Key, KeySchema, UpdateRequest, Write, attribute_value, key_value,
};
use cqrsgen_runtime::stream::{Change, StreamRecord};
use criterion::{Criterion, criterion_group, criterion_main};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A postal address (a shared record type).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Address {
    line1: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    line2: Option<String>,
    city: String,
    postal_code: String,
    country: String,
}

/// One product of an order.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Line {
    sku: String,
    quantity: i32,
    unit_price: String,
}

/// The order payload and entity.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Order {
    id: String,
    customer_id: String,
    status: String,
    currency: String,
    total: String,
    weight_grams: i64,
    lines: Vec<Line>,
    shipping_address: Address,
    placed_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

/// The event type, read first.
#[derive(Deserialize)]
struct Header<'a> {
    #[serde(rename = "type", borrow)]
    event_type: std::borrow::Cow<'a, str>,
}

/// The envelope around an order.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    id: String,
    #[serde(rename = "type")]
    event_type: String,
    timestamp: i64,
    partition_key: String,
    tags: BTreeMap<String, String>,
    order: Order,
}

fn order() -> serde_json::Value {
    json!({
        "id": "3f1c2a9e-7b4d-4c8a-9e21-5d6f0a1b2c3d",
        "customerId": "5b2e9d1a-0c4f-4e7b-a1d3-9f8e7d6c5b4a",
        "status": "placed", "currency": "EUR", "total": "42.50", "weightGrams": 1200,
        "lines": [
            {"sku": "BOOK-0042", "quantity": 2, "unitPrice": "12.50"},
            {"sku": "MUG-0007", "quantity": 1, "unitPrice": "17.50"}
        ],
        "shippingAddress": {"line1": "Hauptstraße 5", "city": "Berlin", "postalCode": "10115", "country": "DE"},
        "placedAt": "2026-03-14T09:26:53Z"
    })
}

fn sqs_body() -> Vec<u8> {
    serde_json::to_vec(&json!({
        "id": "evt-1", "type": "order-placed", "timestamp": 1_700_000_000_000_i64,
        "partitionKey": "3f1c2a9e-7b4d-4c8a-9e21-5d6f0a1b2c3d",
        "tags": {"source": "orders-bff", "region": "us-east-1", "stage": "dev"},
        "order": order(), "schemaVersion": 2
    }))
    .expect("a body")
}

/// The generated decoding: the type first, then the envelope of that type.
fn decode(body: &[u8]) -> Envelope {
    let header: Header<'_> = serde_json::from_slice(body).expect("a header");
    assert_eq!(header.event_type, "order-placed");
    serde_json::from_slice(body).expect("an envelope")
}

/// The generated projection of an order into a pending shipment.
fn project(envelope: &Envelope) -> Write {
    let payload = &envelope.order;
    let project = || -> Result<Write, Box<dyn std::error::Error>> {
        let mut attributes = Attributes::with_capacity(8);
        attributes.insert("orderId".to_owned(), attribute_value(&payload.id)?);
        attributes.insert(
            "customerId".to_owned(),
            attribute_value(&payload.customer_id)?,
        );
        attributes.insert("status".to_owned(), attribute_value(&payload.status)?);
        attributes.insert("lines".to_owned(), attribute_value(&payload.lines)?);
        attributes.insert(
            "weightGrams".to_owned(),
            attribute_value(&payload.weight_grams)?,
        );
        attributes.insert(
            "shipTo".to_owned(),
            attribute_value(&payload.shipping_address)?,
        );
        attributes.insert(
            "destinationCity".to_owned(),
            attribute_value(&payload.shipping_address.city)?,
        );
        attributes.insert(
            "receivedAtMs".to_owned(),
            attribute_value(&envelope.timestamp)?,
        );
        Ok(Write::Upsert {
            key: Key::partition(key_value(&payload.id)?),
            attributes,
            timestamp: envelope.timestamp,
        })
    };
    project().expect("a write")
}

/// What the generated listener does per message, up to the request it sends.
fn listener_hot_path(body: &[u8], key: &KeySchema) -> UpdateRequest {
    let write = project(&decode(body));
    UpdateRequest::of(&write, key).expect("a request")
}

fn stream_record() -> EventRecord {
    let mut image = serde_dynamo::to_item::<_, serde_dynamo::Item>(order()).expect("an item");
    for (name, value) in [
        ("pk", json!("3f1c2a9e-7b4d-4c8a-9e21-5d6f0a1b2c3d")),
        ("sk", json!("order")),
        ("discriminator", json!("order")),
        ("timestamp", json!(1_700_000_000_123_i64)),
    ] {
        image.insert(
            name.to_owned(),
            serde_dynamo::to_attribute_value(value).expect("an attribute"),
        );
    }
    let mut record: EventRecord = serde_json::from_value(json!({
        "awsRegion": "us-east-1", "eventID": "evt-1", "eventName": "INSERT",
        "eventSource": "aws:dynamodb", "eventVersion": "1.1",
        "dynamodb": {
            "ApproximateCreationDateTime": 1_700_000_000,
            "SequenceNumber": "100", "SizeBytes": 512, "StreamViewType": "NEW_AND_OLD_IMAGES"
        }
    }))
    .expect("a record");
    record.change.new_image = image;
    record
}

/// What the generated trigger does per record, up to the PutEvents entry.
fn trigger_hot_path(record: &EventRecord, tags: &BTreeMap<String, String>) -> Entry {
    let view = StreamRecord::new(record);
    assert!(view.skip("us-east-1").is_none());
    assert_eq!(view.change().expect("a change"), Change::Insert);
    assert_eq!(view.string("discriminator"), Some("order"));
    let entity: Order = view.image().expect("decodes").expect("an image");
    let event = Envelope {
        id: envelope::event_id(record, 0),
        event_type: "order-placed".to_owned(),
        timestamp: envelope::timestamp(record),
        partition_key: key_value(&entity.id).expect("a key").to_string(),
        tags: tags.clone(),
        order: entity,
    };
    Entry {
        source: "orders-bff".to_owned(),
        detail_type: event.event_type.clone(),
        detail: serde_json::to_string(&event).expect("JSON"),
        record_id: view.sequence_number().unwrap_or_default().to_owned(),
    }
}

fn listener(c: &mut Criterion) {
    let body = sqs_body();
    let key = KeySchema::partition("orderId");
    let mut group = c.benchmark_group("listener");
    group.bench_function("serde_json::from_slice (floor)", |b| {
        b.iter(|| serde_json::from_slice::<Envelope>(black_box(&body)).expect("an envelope"))
    });
    group.bench_function("decode", |b| b.iter(|| decode(black_box(&body))));
    group.bench_function("decode + project", |b| {
        b.iter(|| project(&decode(black_box(&body))))
    });
    group.bench_function("decode + project + request", |b| {
        b.iter(|| listener_hot_path(black_box(&body), &key))
    });
    group.finish();
}

fn trigger(c: &mut Criterion) {
    let record = stream_record();
    let tags = Tags::from_lookup("orders-bff", |_| Some("x".to_owned()))
        .with_pipeline("trigger")
        .to_strings();
    let mut group = c.benchmark_group("trigger");
    group.bench_function("serde_dynamo::from_item (floor)", |b| {
        b.iter(|| {
            serde_dynamo::from_item::<_, Order>(black_box(&record).change.new_image.clone())
                .expect("an order")
        })
    });
    group.bench_function("record -> event -> entry", |b| {
        b.iter(|| trigger_hot_path(black_box(&record), &tags))
    });
    group.finish();
}

criterion_group!(benches, listener, trigger);
criterion_main!(benches);

//! The per-event hot paths of generated functions, against their floor:
//!
//! - listener: an SQS body -> typed event (the events crate's single-pass
//!   `envelope::decode`, as the generated `DomainEvent::decode` calls it) -> projection (the
//!   view's attributes encoded for DynamoDB, as a generated `on_<event>` builds them) -> the
//!   `UpdateItem` request parts; against one `serde_json::from_slice` of the same bytes into
//!   a derived envelope struct with the typed payload;
//! - trigger: a stream record -> change kind and loop guard -> entity decoded from the image
//!   -> event envelope -> PutEvents entry; against decoding the same image with serde_dynamo
//!   alone.
//!
//! - batch of 10: the listener's batch driver (`process_batch_with`: the bounded concurrent
//!   application, failure collection and response) around a handler that does the hot path
//!   above without I/O, one message at a time and ten at once; against the hot path called
//!   ten times in a loop. The difference is what applying a batch concurrently costs in CPU.
//!
//! The types mirror what cqrsgen generates for an order (see `examples/shop`); the envelope
//! and its decoding are the `cqrsgen-events` library's.

#![allow(
    missing_docs,
    reason = "criterion_group! defines an undocumented public function"
)]

use std::collections::BTreeMap;
use std::hint::black_box;

use std::num::NonZeroUsize;

use aws_lambda_events::dynamodb::EventRecord;
use aws_lambda_events::sqs::{SqsEvent, SqsMessage};
use cqrsgen_runtime::deadline::Deadline;
use cqrsgen_runtime::envelope::{self as runtime_envelope, Tags};
use cqrsgen_runtime::listener::{self, ListenerConfig, MessageHandler};
use cqrsgen_runtime::publish::Entry;
use cqrsgen_runtime::store::{Encoded, Key, KeySchema, UpdateRequest, Write, key_value};
use cqrsgen_runtime::stream::{Change, StreamRecord};
use criterion::{Criterion, criterion_group, criterion_main};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::json;

use cqrsgen_events::{
    DecodeError, Dispatch, Envelope, Fields, Path, Payload, Validate, ValidationErrors,
};

/// A postal address (a shared record type).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Line {
    sku: String,
    quantity: i32,
    unit_price: String,
}

/// The order payload and entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

impl Validate for Order {
    // The benchmark leaves validation out, like its floor.
    fn validate_at(&self, _path: &Path<'_>, _errors: &mut ValidationErrors) {}
}

impl Payload for Order {
    const DETAIL_TYPE: &'static str = "order-placed";
    const SOURCE: Option<&'static str> = Some("orders-bff");
    const BUS: &'static str = "shop-hub";
    const VERSION: u32 = 2;
    const ENTITY: &'static str = "order";
}

/// The generated `DomainEvent`, reduced to the event the benchmark decodes.
#[derive(Debug)]
enum DomainEvent {
    OrderPlaced(Envelope<Order>),
}

/// The generated decoder: what `DomainEvent::decode` passes to `envelope::decode`.
struct Decoder;

impl Dispatch for Decoder {
    type Event = DomainEvent;

    fn entity(&self, event_type: &str) -> Option<(&'static str, &'static [u32])> {
        match event_type {
            Order::DETAIL_TYPE => Some((Order::ENTITY, &[1, 2])),
            _ => None,
        }
    }

    fn payload<'de, D: Deserializer<'de>>(
        &self,
        event_type: &str,
        version: u32,
        payload: D,
    ) -> Result<DomainEvent, D::Error> {
        match (event_type, version) {
            (Order::DETAIL_TYPE, 1 | 2) => {
                let payload = Order::deserialize(payload)?;
                let envelope = payload.into_envelope(String::new(), 0, String::new());
                Ok(DomainEvent::OrderPlaced(envelope))
            }
            _ => Err(serde::de::Error::custom("unknown event")),
        }
    }

    fn fill(event: &mut DomainEvent, fields: Fields) {
        match event {
            DomainEvent::OrderPlaced(envelope) => fields.fill(envelope),
        }
    }
}

/// The floor: a derived envelope struct around the typed payload.
#[derive(Debug, Deserialize)]
#[allow(dead_code, reason = "only decoded")]
#[serde(rename_all = "camelCase")]
struct Floor {
    id: String,
    #[serde(rename = "type")]
    event_type: String,
    timestamp: i64,
    partition_key: String,
    tags: BTreeMap<String, String>,
    order: Order,
    schema_version: u32,
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

/// An envelope as cqrsgen writes it (`type` and `schemaVersion` before the payload).
fn sqs_body() -> Vec<u8> {
    let order: Order = serde_json::from_value(order()).expect("an order");
    order
        .into_envelope(
            "evt-1",
            1_700_000_000_000,
            "3f1c2a9e-7b4d-4c8a-9e21-5d6f0a1b2c3d",
        )
        .with_tag("source", "orders-bff")
        .with_tag("region", "us-east-1")
        .with_tag("stage", "dev")
        .encode()
        .expect("a body")
}

/// The same envelope with its keys sorted, so `type` comes after the payload.
fn sqs_body_type_last() -> Vec<u8> {
    let body: serde_json::Value = serde_json::from_slice(&sqs_body()).expect("JSON");
    serde_json::to_vec(&body).expect("a body")
}

/// The generated decoding.
fn decode(body: &[u8]) -> Envelope<Order> {
    match cqrsgen_events::decode(body, Decoder) {
        Ok(DomainEvent::OrderPlaced(envelope)) => envelope,
        Err(error @ (DecodeError::Json(_) | DecodeError::UnknownType(_))) => {
            panic!("{error}")
        }
        Err(error @ DecodeError::UnknownVersion { .. }) => panic!("{error}"),
    }
}

/// The generated projection of an order into a pending shipment.
fn project(envelope: &Envelope<Order>) -> Write {
    let project = || -> Result<Write, Box<dyn std::error::Error>> {
        let payload = &envelope.payload;
        let mut attributes = Encoded::with_capacity(8);
        attributes.insert("orderId", &payload.id)?;
        attributes.insert("customerId", &payload.customer_id)?;
        attributes.insert("status", &payload.status)?;
        attributes.insert("lines", &payload.lines)?;
        attributes.insert("weightGrams", &payload.weight_grams)?;
        attributes.insert("shipTo", &payload.shipping_address)?;
        attributes.insert("destinationCity", &payload.shipping_address.city)?;
        attributes.insert("receivedAtMs", &envelope.timestamp)?;
        Ok(Write::upsert(
            Key::partition(key_value(&payload.id)?),
            attributes,
            envelope.version(),
        ))
    };
    project().expect("a write")
}

/// What the generated listener does per message, up to the request it sends.
fn listener_hot_path(body: &[u8], key: &KeySchema) -> UpdateRequest {
    let write = project(&decode(body));
    UpdateRequest::newest(&write, key).expect("a request")
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
    let partition_key = key_value(&entity.id).expect("a key").to_string();
    let event = entity
        .into_envelope(
            runtime_envelope::event_id(record, 0),
            runtime_envelope::timestamp(record),
            partition_key,
        )
        .with_tags(tags.clone());
    Entry {
        source: "orders-bff".to_owned(),
        detail_type: event.event_type.clone(),
        detail: serde_json::to_string(&event).expect("JSON"),
        record_id: view.sequence_number().unwrap_or_default().to_owned(),
    }
}

fn listener(c: &mut Criterion) {
    let body = sqs_body();
    let type_last = sqs_body_type_last();
    let key = KeySchema::partition("orderId");
    let mut group = c.benchmark_group("listener");
    group.bench_function("serde_json::from_slice (floor)", |b| {
        b.iter(|| serde_json::from_slice::<Floor>(black_box(&body)).expect("an envelope"))
    });
    group.bench_function("decode", |b| b.iter(|| decode(black_box(&body))));
    group.bench_function("decode (type last)", |b| {
        b.iter(|| decode(black_box(&type_last)))
    });
    group.bench_function("decode + project", |b| {
        b.iter(|| project(&decode(black_box(&body))))
    });
    group.bench_function("decode + project + request", |b| {
        b.iter(|| listener_hot_path(black_box(&body), &key))
    });
    // The parts after decoding, alone: what any listener that writes through
    // aws-sdk-dynamodb adds to the floor, whatever its decoder.
    let decoded = decode(&body);
    group.bench_function("project alone (the row's AttributeValues)", |b| {
        b.iter(|| project(black_box(&decoded)))
    });
    let write = project(&decoded);
    group.bench_function("request alone (UpdateRequest::newest)", |b| {
        b.iter(|| UpdateRequest::newest(black_box(&write), &key).expect("a request"))
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

/// A listener whose store answers at once: decoding, projection and the request, no I/O.
struct Immediate {
    key: KeySchema,
}

impl MessageHandler for Immediate {
    type Event = Envelope<Order>;
    type Error = String;

    fn decode(&self, body: &str) -> Result<listener::Decoded<Envelope<Order>>, String> {
        Ok(listener::Decoded::Event(decode(body.as_bytes())))
    }

    async fn apply(&self, event: Envelope<Order>) -> Result<(), String> {
        black_box(UpdateRequest::newest(&project(&event), &self.key).map_err(|e| e.to_string())?);
        Ok(())
    }
}

fn batch(c: &mut Criterion) {
    const SIZE: usize = 10;
    let body = String::from_utf8(sqs_body()).expect("UTF-8");
    let mut event = SqsEvent::default();
    event.records = (0..SIZE)
        .map(|i| {
            let mut message = SqsMessage::default();
            message.message_id = Some(format!("m{i}"));
            message.body = Some(body.clone());
            message
        })
        .collect();
    let handler = Immediate {
        key: KeySchema::partition("orderId"),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let mut group = c.benchmark_group("batch of 10");
    group.bench_function("hot path x10 (floor)", |b| {
        b.iter(|| {
            for message in &event.records {
                let body = message.body.as_deref().expect("a body");
                black_box(listener_hot_path(body.as_bytes(), &handler.key));
            }
        })
    });
    for concurrency in [1, SIZE] {
        let config = ListenerConfig {
            concurrency: NonZeroUsize::new(concurrency).expect("positive"),
        };
        group.bench_function(format!("process_batch_with, {concurrency} at once"), |b| {
            b.iter(|| {
                let response = runtime
                    .block_on(listener::process_batch_with(
                        &handler,
                        black_box(&event),
                        &config,
                        Deadline::NONE,
                    ))
                    .expect("a response");
                assert!(response.batch_item_failures.is_empty());
            })
        });
    }
    group.finish();
}

criterion_group!(benches, listener, trigger, batch);
criterion_main!(benches);

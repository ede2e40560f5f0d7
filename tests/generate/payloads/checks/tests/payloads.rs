//! The generated events crate of the `payloads` case: payloads round-trip and validate with
//! field paths, old versions decode through the user's upcast and the additive `From`s.

use payloads_events::order_placed::{self, OrderPlaced, OrderPlacedV2};
use payloads_events::payment_received::{self, PaymentReceived};
use payloads_events::{DecodeError, DomainEvent, Payload, Validate};
use serde_json::{Value, json};

fn payment() -> Value {
    json!({
        "id": "6f1c2a4e-8a7b-4c43-9a55-0d6f2b1e9c01",
        "orderId": "0b7e4c9a-2f55-4d8e-a1a3-5c2d9e8f7a60",
        "amount": "12.50",
        "receivedAt": "2026-01-02T03:04:05Z",
        "day": "2026-01-02",
        "lines": [{ "sku": "AB-1", "quantity": 2, "unitPrice": "6.25" }],
        "prices": { "eur": "12.50" },
        "labels": { "a": "xyz" },
        "billing": { "street": "Main St 1", "city": "Springfield", "zip": "12345" },
        "type": "card",
        "match": true,
        "self": "me",
        "priority": "self",
        "payer": "ann@example.com",
        "receipt": "https://example.com/r/1",
        "gateway": "pay.example.com",
        "attempt": 1,
        "ratio": 0.5,
        "tags": ["a"],
        "unknownFutureField": 1
    })
}

fn envelope(event_type: &str, entity: &str, payload: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "id": "evt-1",
        "type": event_type,
        "timestamp": 1_700_000_000_000_i64,
        "partitionKey": "p-1",
        "tags": { "source": "test" },
        entity: payload,
    }))
    .expect("serializable")
}

#[test]
fn a_payload_round_trips_and_validates() {
    let payload: PaymentReceived = serde_json::from_value(payment()).expect("decodes");
    assert_eq!(payload.amount.to_string(), "12.50");
    assert_eq!(payload.type_, "card");
    assert!(payload.match_);
    assert_eq!(payload.self_.as_deref(), Some("me"));
    assert_eq!(payload.priority, payloads_events::types::Priority::Self_);
    payload.validate().expect("valid");

    let mut expected = payment();
    expected
        .as_object_mut()
        .expect("an object")
        .remove("unknownFutureField");
    let written = serde_json::to_value(&payload).expect("serializes");
    assert_eq!(written, expected);

    let event = payload
        .into_envelope("evt-1", 1, "p-1")
        .with_tag("source", "payments");
    let bytes = event.encode().expect("encodes");
    let decoded = DomainEvent::decode(&bytes).expect("decodes");
    assert_eq!(decoded, DomainEvent::from(event));
    assert_eq!(decoded.event_type(), payment_received::DETAIL_TYPE);
    let wire: Value = serde_json::from_slice(&bytes).expect("JSON");
    assert_eq!(wire["schemaVersion"], 1);
    assert_eq!(wire["payment"]["amount"], "12.50");
    assert_eq!(
        payment_received::SOURCE,
        None,
        "external events have no source"
    );
    assert_eq!(
        payloads_events::customer_registered::ENTITY,
        "customerAccount"
    );
}

#[test]
fn invalid_payloads_are_rejected_with_field_paths() {
    let mut value = payment();
    value["lines"][0]["quantity"] = json!(0);
    value["lines"][0]["sku"] = json!("lower");
    value["labels"]["b"] = json!("toolong");
    value["billing"]["zip"] = json!("1");
    value["payer"] = json!("nobody");
    value["receipt"] = json!("not a uri");
    value["gateway"] = json!("-bad-.com");
    value["attempt"] = json!(11);
    value["ratio"] = json!(-2.0);
    value["amount"] = json!("-1");
    let payload: PaymentReceived = serde_json::from_value(value).expect("decodes");
    let errors = payload.validate().expect_err("invalid");
    let mut paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "amount",
            "attempt",
            "billing.zip",
            "gateway",
            "labels[\"b\"]",
            "lines[0].quantity",
            "lines[0].sku",
            "payer",
            "ratio",
            "receipt",
        ]
    );
    assert!(
        errors
            .to_string()
            .contains("lines[0].quantity: must be at least 1, got 0"),
        "{errors}"
    );

    let mut empty = payment();
    empty["lines"] = json!([]);
    let payload: PaymentReceived = serde_json::from_value(empty).expect("decodes");
    let errors = payload.validate().expect_err("too few lines");
    assert_eq!(errors.iter().next().map(|e| e.path.as_str()), Some("lines"));

    let mut number = payment();
    number["amount"] = json!(12.5);
    assert!(
        serde_json::from_value::<PaymentReceived>(number).is_err(),
        "decimals travel as strings"
    );
}

#[test]
fn an_old_version_decodes_through_the_users_upcast() {
    let v1 = json!({
        "id": "0b7e4c9a-2f55-4d8e-a1a3-5c2d9e8f7a60",
        "customerName": "Ann Lee",
        "lines": [{ "sku": "AB-1", "quantity": 2 }],
        "status": "in-progress"
    });
    let event = DomainEvent::decode(&envelope("order-placed", "order", v1)).expect("decodes");
    let DomainEvent::OrderPlaced(event) = event else {
        panic!("expected order-placed, got {event:?}");
    };
    assert_eq!(event.schema_version, order_placed::VERSION);
    assert_eq!(event.timestamp, 1_700_000_000_000);
    assert_eq!(event.tags["source"], "test");
    assert_eq!(event.payload.customer.first_name, "Ann");
    assert_eq!(event.payload.customer.last_name, "Lee");
    assert_eq!(event.payload.lines[0].quantity, 2);
    assert_eq!(
        event.payload.status,
        order_placed::OrderPlacedV3Status::InProgress
    );
    assert_eq!(event.payload.note, None);
    event.payload.validate().expect("valid");

    let customer = json!({ "id": "6f1c2a4e-8a7b-4c43-9a55-0d6f2b1e9c01", "email": "a@b.co" });
    let bytes = envelope("customer-registered", "customerAccount", customer);
    assert!(matches!(
        DomainEvent::decode(&bytes).expect("decodes"),
        DomainEvent::CustomerRegistered(_)
    ));
}

#[test]
fn additive_versions_convert_with_from() {
    let v2: OrderPlacedV2 = serde_json::from_value(json!({
        "id": "0b7e4c9a-2f55-4d8e-a1a3-5c2d9e8f7a60",
        "customer": { "firstName": "Ann", "lastName": "Lee" },
        "lines": [{ "sku": "AB-1", "quantity": 2 }],
        "status": "SHIPPED"
    }))
    .expect("decodes");
    let v3 = OrderPlaced::from(v2);
    assert_eq!(v3.status, order_placed::OrderPlacedV3Status::Shipped);
    assert_eq!(v3.priority, None);
}

#[test]
fn unknown_types_and_versions_are_errors() {
    let bytes = envelope("order-cancelled", "order", json!({}));
    assert!(matches!(
        DomainEvent::decode(&bytes),
        Err(DecodeError::UnknownType(t)) if t == "order-cancelled"
    ));
    let mut value: Value =
        serde_json::from_slice(&envelope("order-placed", "order", json!({}))).expect("JSON");
    value["schemaVersion"] = json!(9);
    let bytes = serde_json::to_vec(&value).expect("serializable");
    assert!(matches!(
        DomainEvent::decode(&bytes),
        Err(DecodeError::UnknownVersion { version: 9, .. })
    ));
}

//! `shop-events` against the shop spec: the spec's examples, aws-lambda-stream's envelope
//! shape, upcasting and validation errors.

use std::path::Path;

use cqrsgen::ir::System;
use serde_json::{Value, json};
use shop_events::order_placed::{OrderPlacedV1, OrderPlacedV2};
use shop_events::{DecodeError, DomainEvent, Payload, Validate};

/// The shop spec, loaded and validated by cqrsgen.
fn shop() -> System {
    let project = cqrsgen::load::load(&spec_dir()).expect("the shop spec loads");
    let outcome = cqrsgen::validate::validate(&project);
    outcome.ir.expect("the shop spec is valid")
}

fn spec_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The committed JSON Schema of one event version.
fn schema(event: &str, version: u32) -> Value {
    let path = spec_dir().join(format!(
        "generated/crates/shop-events/schemas/{event}.v{version}.json"
    ));
    let text = std::fs::read_to_string(&path).expect("schema file");
    serde_json::from_str(&text).expect("schema is JSON")
}

/// An envelope in aws-lambda-stream's shape carrying `payload` under `entity`.
fn envelope(event_type: &str, version: u32, entity: &str, payload: &Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "id": "0b2ac7bc-1e2b-4a5b-8c3d-6e7f8a9b0c1d",
        "type": event_type,
        "timestamp": 1_773_480_413_000_i64,
        "partitionKey": "3f1c2a9e-7b4d-4c8a-9e21-5d6f0a1b2c3d",
        "tags": { "source": "test" },
        "schemaVersion": version,
        entity: payload,
    }))
    .expect("envelope encodes")
}

#[test]
fn every_spec_example_validates_round_trips_and_matches_its_schema() {
    let system = shop();
    let mut checked = 0;
    for event in system.events.values() {
        let entity = &event.names.entity_key;
        for version in &event.versions {
            let validator =
                jsonschema::validator_for(&schema(&event.name, version.version)).expect("compiles");
            for example in &version.examples {
                let errors: Vec<String> = validator
                    .iter_errors(example)
                    .map(|e| e.to_string())
                    .collect();
                assert!(
                    errors.is_empty(),
                    "{} v{}: {errors:?}",
                    event.name,
                    version.version
                );

                let bytes = envelope(&event.name, version.version, entity, example);
                let decoded = DomainEvent::decode(&bytes)
                    .unwrap_or_else(|e| panic!("{} v{}: {e}", event.name, version.version));
                assert_eq!(decoded.event_type(), event.name);
                decoded
                    .validate()
                    .unwrap_or_else(|e| panic!("{} v{}: {e:?}", event.name, version.version));
                let again = DomainEvent::decode(decoded.encode().expect("encodes").as_bytes())
                    .expect("re-decodes");
                assert_eq!(again, decoded, "{} v{}", event.name, version.version);
                checked += 1;
            }
        }
    }
    assert!(checked >= 8, "only {checked} examples");
}

#[test]
fn an_aws_lambda_stream_event_decodes() {
    // As aws-lambda-stream's trigger publishes it: no schema version, routing tags, the
    // entity under its camelCase name, and the raw stream images.
    let published = json!({
        "id": "3e2a0b6c5d4f4e3a9b8c7d6e5f4a3b2c",
        "type": "order-placed",
        "timestamp": 1_773_480_413_000_i64,
        "partitionKey": "3f1c2a9e-7b4d-4c8a-9e21-5d6f0a1b2c3d",
        "tags": {
            "account": "123456789012", "region": "eu-west-1", "stage": "prd",
            "source": "orders-bff", "functionname": "orders-bff-prd-trigger", "pipeline": "t1"
        },
        "order": order_payload(),
        "raw": { "new": { "pk": { "S": "3f1c2a9e" } }, "old": null }
    });
    let bytes = serde_json::to_vec(&published).expect("encodes");
    let DomainEvent::OrderPlaced(event) = DomainEvent::decode(&bytes).expect("decodes") else {
        panic!("not an order-placed event");
    };
    assert_eq!(
        event.schema_version, 2,
        "upcast from v1 to the current version"
    );
    assert_eq!(event.tags["functionname"], "orders-bff-prd-trigger");
    assert_eq!(event.timestamp, 1_773_480_413_000);
    assert_eq!(event.payload.total.to_string(), "42.50");
    assert_eq!(event.payload.channel, None);
    assert!(event.raw.is_some());
    event.payload.validate().expect("valid");

    let unknown = serde_json::to_vec(&json!({
        "id": "1", "type": "order-teleported", "timestamp": 0, "partitionKey": "p", "tags": {}
    }))
    .expect("encodes");
    assert!(matches!(
        DomainEvent::decode(&unknown),
        Err(DecodeError::UnknownType(t)) if t == "order-teleported"
    ));
}

#[test]
fn version_1_upcasts_to_version_2() {
    let system = shop();
    let order_placed = system.event_named("order-placed").expect("order-placed");
    let v1 = &system.events[order_placed].versions[0];
    assert_eq!(v1.version, 1);
    let old: OrderPlacedV1 = serde_json::from_value(v1.examples[0].clone()).expect("v1 example");
    let new = OrderPlacedV2::from(old.clone());
    assert_eq!(new.channel, None);
    assert_eq!(
        (new.id, new.total, new.lines.len()),
        (old.id, old.total, old.lines.len())
    );

    let envelope = new.into_envelope("e-1", 1_773_480_413_000, "p-1");
    assert_eq!(envelope.schema_version, 2);
    assert_eq!(envelope.event_type, "order-placed");
}

#[test]
fn an_invalid_payload_is_rejected_with_the_field_path() {
    let system = shop();
    let order_placed = system.event_named("order-placed").expect("order-placed");
    let mut payload = system.events[order_placed].current().examples[0].clone();
    payload["lines"][1]["quantity"] = json!(0);
    payload["shippingAddress"]["country"] = json!("Germany");
    let order: OrderPlacedV2 = serde_json::from_value(payload).expect("decodes");
    let errors = order.validate().expect_err("invalid");
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert!(paths.contains(&"lines[1].quantity"), "{paths:?}");
    assert!(paths.contains(&"shippingAddress.country"), "{paths:?}");
}

#[test]
fn every_event_cqrsgen_emit_sends_decodes_into_the_domain_event() {
    let system = shop();
    let mut checked = 0;
    for event in system.events.values() {
        for example in 1..=event.current().examples.len() {
            let request = cqrsgen::send::Request {
                event: &event.name,
                example,
                ..Default::default()
            };
            let entry = cqrsgen::send::entry(&system, &request, "emit-1", 1_773_480_413_000)
                .expect("an entry for every example");
            let decoded = DomainEvent::decode(entry.detail.as_bytes())
                .unwrap_or_else(|e| panic!("{} example {example}: {e}", event.name));
            decoded
                .validate()
                .unwrap_or_else(|e| panic!("{} example {example}: {e}", event.name));
            assert_eq!(decoded.event_type(), event.name);
            assert_eq!(entry.detail_type, event.name);
            assert_eq!(decoded.id(), "emit-1");
            assert_eq!(entry.event_bus_name, "shop-hub-dev");
            let expected_source = event
                .source(&system)
                .unwrap_or(cqrsgen::send::EXTERNAL_SOURCE);
            assert_eq!(entry.source, expected_source);
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} examples were sent");
}

/// An `order-placed` v1 payload (valid as v2 too: v2 only adds `channel`).
fn order_payload() -> Value {
    json!({
        "id": "3f1c2a9e-7b4d-4c8a-9e21-5d6f0a1b2c3d",
        "customerId": "5b2e9d1a-0c4f-4e7b-a1d3-9f8e7d6c5b4a",
        "status": "placed", "currency": "EUR", "total": "42.50", "weightGrams": 1200,
        "lines": [{ "sku": "BOOK-0042", "quantity": 2, "unitPrice": "21.25" }],
        "shippingAddress": {
            "line1": "Hauptstraße 5", "city": "Berlin", "postalCode": "10115", "country": "DE"
        },
        "placedAt": "2026-03-14T09:26:53Z"
    })
}

/// The keys of an `order-placed` envelope in the order cqrsgen writes them.
const CQRSGEN_KEY_ORDER: [&str; 7] = [
    "id",
    "type",
    "schemaVersion",
    "timestamp",
    "partitionKey",
    "tags",
    "order",
];

/// An `order-placed` envelope with its keys in the given order (`order` is the payload).
fn envelope_in_order(keys: &[&str], version: Option<u32>) -> Vec<u8> {
    let order = order_payload().to_string();
    let parts: Vec<String> = keys
        .iter()
        .filter_map(|key| {
            let value = match *key {
                "id" => "\"e-1\"".to_owned(),
                "type" => "\"order-placed\"".to_owned(),
                "timestamp" => "1773480413000".to_owned(),
                "partitionKey" => "\"p-1\"".to_owned(),
                "tags" => r#"{"source":"orders-bff"}"#.to_owned(),
                "schemaVersion" => version?.to_string(),
                "order" => order.clone(),
                other => format!("\"{other}\""),
            };
            Some(format!("\"{key}\":{value}"))
        })
        .collect();
    format!("{{{}}}", parts.join(",")).into_bytes()
}

#[test]
fn decoding_does_not_depend_on_key_order() {
    let orders = [
        // As cqrsgen writes it: decoded in one pass.
        &CQRSGEN_KEY_ORDER[..],
        // `type` last, an unknown key before the payload: the payload is kept until the end.
        &[
            "extra",
            "order",
            "tags",
            "partitionKey",
            "timestamp",
            "schemaVersion",
            "id",
            "type",
        ],
        // `type` first but the version after the payload of a two-version event.
        &[
            "type",
            "order",
            "id",
            "timestamp",
            "partitionKey",
            "tags",
            "schemaVersion",
        ],
    ];
    for version in [Some(1), Some(2), None] {
        let decoded: Vec<DomainEvent> = orders
            .iter()
            .map(|keys| {
                DomainEvent::decode(&envelope_in_order(keys, version))
                    .unwrap_or_else(|e| panic!("{keys:?} v{version:?}: {e}"))
            })
            .collect();
        let DomainEvent::OrderPlaced(first) = &decoded[0] else {
            panic!("not an order-placed event");
        };
        assert_eq!(first.schema_version, 2, "upcast to the current version");
        assert_eq!(first.id, "e-1");
        assert_eq!(first.tags["source"], "orders-bff");
        assert_eq!(first.payload.total.to_string(), "42.50");
        assert!(decoded.iter().all(|d| *d == decoded[0]), "{version:?}");
    }
}

#[test]
fn unknown_types_and_versions_are_reported_in_any_key_order() {
    let unknown_type = br#"{"type":"order-teleported","id":"1","order":{"not":"checked"}}"#;
    assert!(matches!(
        DomainEvent::decode(unknown_type),
        Err(DecodeError::UnknownType(t)) if t == "order-teleported"
    ));
    let keys_first = [
        "type",
        "schemaVersion",
        "id",
        "timestamp",
        "partitionKey",
        "order",
    ];
    let keys_last = [
        "order",
        "id",
        "timestamp",
        "partitionKey",
        "type",
        "schemaVersion",
    ];
    for keys in [&keys_first, &keys_last] {
        assert!(
            matches!(
                DomainEvent::decode(&envelope_in_order(keys, Some(9))),
                Err(DecodeError::UnknownVersion { event_type, version: 9 }) if event_type == "order-placed"
            ),
            "{keys:?}"
        );
    }
    // A one-version event whose payload was decoded before its (unknown) version was read.
    let cancelled = br#"{"type":"order-cancelled","id":"1","timestamp":1,"partitionKey":"p",
        "order":{"currency":"EUR","customerId":"5b2e9d1a-0c4f-4e7b-a1d3-9f8e7d6c5b4a",
        "id":"3f1c2a9e-7b4d-4c8a-9e21-5d6f0a1b2c3d","status":"cancelled","total":"1.00"},
        "schemaVersion":3}"#;
    assert!(matches!(
        DomainEvent::decode(cancelled),
        Err(DecodeError::UnknownVersion { version: 3, .. })
    ));
}

#[test]
fn malformed_envelopes_are_errors() {
    let valid = envelope_in_order(&CQRSGEN_KEY_ORDER, Some(2));
    let truncated = &valid[..valid.len() - 3];
    let mut trailing = valid.clone();
    trailing.extend_from_slice(b" {}");
    let no_payload = envelope_in_order(&CQRSGEN_KEY_ORDER[..6], Some(2));
    let no_id = envelope_in_order(&CQRSGEN_KEY_ORDER[1..], Some(2));
    let no_type = envelope_in_order(&["id", "order"], Some(2));
    let bad_payload = br#"{"type":"order-placed","schemaVersion":2,"id":"e","timestamp":1,
        "partitionKey":"p","order":{"id":42}}"#;
    let cases: [(&str, &[u8]); 7] = [
        ("not JSON", b"not json"),
        ("truncated", truncated),
        ("trailing characters", &trailing),
        ("no payload", &no_payload),
        ("no id", &no_id),
        ("no type", &no_type),
        ("payload of the wrong shape", bad_payload),
    ];
    for (case, bytes) in cases {
        assert!(
            matches!(DomainEvent::decode(bytes), Err(DecodeError::Json(_))),
            "{case}"
        );
    }
}

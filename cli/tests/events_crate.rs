//! The events crate emitter: generated files for a fixture spec, their snapshots, and the
//! generated crate compiled and exercised by its own tests.

mod support;

use cqrsgen::emit::{EmitError, events_crate, json_schema};
use cqrsgen::model::{self, System};
use cqrsgen::spec::SpecFile;
use cqrsgen::write::{GeneratedFile, HEADER_NOTICE, is_generated};
use support::Scratch;

const SHOP: &str = include_str!("fixtures/events/shop.json");

fn system_from(json: &str) -> System {
    let spec: SpecFile = serde_json::from_str(json).expect("fixture spec parses");
    let (system, errors) = model::build(&[(0, &spec)], &|_| 0);
    assert!(errors.is_empty(), "fixture spec has errors: {errors:?}");
    system
}

fn shop_files() -> Vec<GeneratedFile> {
    events_crate(&system_from(SHOP)).expect("shop spec emits")
}

#[test]
fn generates_the_crate_layout() {
    let paths: Vec<String> = shop_files()
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "crates/shop-events/Cargo.toml",
            "crates/shop-events/rustfmt.toml",
            "crates/shop-events/schemas/customer-registered.v1.json",
            "crates/shop-events/schemas/envelope.json",
            "crates/shop-events/schemas/order-placed.v1.json",
            "crates/shop-events/schemas/order-placed.v2.json",
            "crates/shop-events/schemas/order-placed.v3.json",
            "crates/shop-events/schemas/payment-received.v1.json",
            "crates/shop-events/src/customer_registered.rs",
            "crates/shop-events/src/envelope.rs",
            "crates/shop-events/src/lib.rs",
            "crates/shop-events/src/order_placed.rs",
            "crates/shop-events/src/patterns.rs",
            "crates/shop-events/src/payment_received.rs",
            "crates/shop-events/src/types.rs",
            "crates/shop-events/src/validation.rs",
        ]
    );
}

#[test]
fn every_file_has_the_header_and_rust_files_parse() {
    for file in shop_files() {
        let first = file.contents.lines().take(2).collect::<String>();
        assert!(first.contains(HEADER_NOTICE), "{}", file.path.display());
        assert!(is_generated(&file.contents), "{}", file.path.display());
        if file.path.extension().is_some_and(|e| e == "rs") {
            syn::parse_file(&file.contents)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", file.path.display()));
        }
    }
}

#[test]
fn output_matches_snapshots() {
    for file in shop_files() {
        let path = file
            .path
            .strip_prefix("crates")
            .expect("crates live under crates/");
        let name = path.display().to_string().replace(['/', '.'], "_");
        insta::assert_snapshot!(name, file.contents);
    }
}

#[test]
fn output_is_deterministic() {
    assert_eq!(shop_files(), shop_files());
}

#[test]
fn a_non_additive_change_without_hook_is_refused() {
    let json = SHOP.replace(r#""upcast": "split-customer-name","#, "");
    assert_eq!(
        events_crate(&system_from(&json)),
        Err(EmitError::MissingUpcast {
            event: "order-placed".into(),
            from: 1,
            to: 2
        })
    );
}

#[test]
fn events_cannot_take_reserved_module_names() {
    let json = SHOP.replace(r#""customer-registered": {"#, r#""types": {"#);
    assert!(matches!(
        events_crate(&system_from(&json)),
        Err(EmitError::ReservedModule { module, .. }) if module == "types"
    ));
}

#[test]
fn event_schemas_accept_valid_and_reject_invalid_payloads() {
    let system = cqrsgen::validate::lower::lower(&system_from(SHOP)).expect("lowers");
    let event = &system.events[system.event_named("payment-received").expect("an event")];
    let schema = json_schema::event_schema(&system, event, event.current());
    assert_eq!(schema["$id"], "shop/payment-received/v1");
    assert_eq!(schema["$schema"], json_schema::DIALECT);
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let valid = serde_json::json!({
        "id": "6f1c2a4e-8a7b-4c43-9a55-0d6f2b1e9c01",
        "orderId": "0b7e4c9a-2f55-4d8e-a1a3-5c2d9e8f7a60",
        "amount": "12.50", "receivedAt": "2026-01-02T03:04:05Z", "day": "2026-01-02",
        "lines": [{ "sku": "AB-1", "quantity": 2, "unitPrice": "6.25" }],
        "prices": {}, "labels": {}, "type": "card", "match": true, "priority": "self",
        "payer": "ann@example.com", "attempt": 1, "ratio": 0.5, "tags": [],
        "refund": null, "extra": "forward compatible"
    });
    assert!(
        validator.is_valid(&valid),
        "{:?}",
        validator
            .iter_errors(&valid)
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
    );
    let mut invalid = valid.clone();
    invalid["lines"][0]["quantity"] = 0.into();
    invalid["amount"] = 12.5.into();
    invalid["attempt"] = 11.into();
    let paths: Vec<String> = validator
        .iter_errors(&invalid)
        .map(|e| e.instance_path().to_string())
        .collect();
    for path in ["/lines/0/quantity", "/amount", "/attempt"] {
        assert!(paths.iter().any(|p| p == path), "{path} not in {paths:?}");
    }
}

/// Writes the generated crate into a scratch workspace with a test of its behaviour
/// (`fixtures/events/behaviour.rs`) and runs `cargo test` there with warnings denied.
#[test]
fn generated_crate_builds_and_behaves() {
    let Some(scratch) = Scratch::new("events-crate") else {
        return;
    };
    for file in shop_files() {
        scratch.write(&file.path, &file.contents);
    }
    scratch.members(&["crates/shop-events"]);
    scratch.write(
        "crates/shop-events/tests/behaviour.rs",
        include_str!("fixtures/events/behaviour.rs"),
    );
    scratch.cargo(&["test", "--quiet"]);
}

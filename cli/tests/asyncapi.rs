//! `cqrsgen export asyncapi`: the documents of every example system (the shop, the minimal
//! system and the `init` template) pass the official AsyncAPI parser without errors, and
//! say what the spec says.
//!
//! The parser is `@asyncapi/parser` from npm, pinned in `tests/asyncapi/package-lock.json`
//! and installed into `tests/asyncapi/node_modules` by `scripts/node-tools` (which
//! `scripts/test` runs first). Without node or the package these tests fail, saying how to
//! get them: an export nobody validated is not a pass.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use serde_json::{Value, json};

fn cqrsgen() -> Command {
    Command::cargo_bin("cqrsgen").expect("binary")
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs the official parser on `files`; fails the test when node or the parser is missing,
/// or when a document has an error. Returns the parser's report.
fn validate(files: &[PathBuf]) -> String {
    let dir = repo().join("tests/asyncapi");
    let node = std::env::var_os("NODE").unwrap_or_else(|| "node".into());
    let version = Process::new(&node).arg("--version").output();
    assert!(
        version.as_ref().is_ok_and(|o| o.status.success()),
        "`node` is not runnable ({version:?}): the AsyncAPI export is validated with the official \
         parser, which needs Node.js 18 or later on PATH (or NODE=/path/to/node), then \
         `bash scripts/node-tools`"
    );
    assert!(
        dir.join("node_modules/@asyncapi/parser/package.json")
            .is_file(),
        "@asyncapi/parser is not installed in tests/asyncapi/node_modules: run \
         `bash scripts/node-tools` (scripts/test does)"
    );
    let output = Process::new(&node)
        .arg(dir.join("validate.mjs"))
        .args(files)
        .output()
        .expect("node runs");
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "the AsyncAPI parser found errors:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    report
}

/// Exports `project` as JSON and as YAML into `out`; returns the two files.
fn export(project: &Path, out: &Path, name: &str) -> [PathBuf; 2] {
    let json = out.join(format!("{name}.asyncapi.json"));
    let yaml = out.join(format!("{name}.asyncapi.yaml"));
    for file in [&json, &yaml] {
        cqrsgen()
            .args(["export", "asyncapi"])
            .arg(project)
            .arg("--out")
            .arg(file)
            .assert()
            .code(0);
    }
    [json, yaml]
}

#[test]
fn every_example_system_passes_the_official_parser() {
    let out = tempfile::tempdir().expect("temp dir");
    let init = out.path().join("init");
    cqrsgen().arg("init").arg(&init).assert().code(0);
    let mut files = Vec::new();
    for (name, project) in [
        ("shop", repo().join("examples/shop")),
        ("minimal", repo().join("examples/minimal")),
        ("init", init),
    ] {
        files.extend(export(&project, out.path(), name));
    }
    let report = validate(&files);
    for file in &files {
        let summary = format!("{}: asyncapi 3.0.0, 0 errors,", file.display());
        assert!(report.contains(&summary), "no `{summary}` in\n{report}");
    }
    // The YAML and the JSON form are the same document.
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&files[0]).expect("json"))
        .expect("valid JSON");
    let yaml = std::fs::read_to_string(&files[1]).expect("yaml");
    assert_eq!(read_yaml(&yaml), json);
}

fn read_yaml(text: &str) -> Value {
    let lines = cqrsgen::load::span::LineIndex::new(text);
    cqrsgen::load::yaml::parse(text, &lines)
        .expect("valid YAML")
        .value
}

fn shop() -> Value {
    let output = cqrsgen()
        .args(["export", "asyncapi"])
        .arg(repo().join("examples/shop"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

#[test]
fn the_shop_maps_events_to_channels_and_subscriptions_to_operations() {
    let doc = shop();
    assert_eq!(doc["asyncapi"], "3.0.0");
    assert_eq!(doc["servers"]["hub"]["protocol"], "amazon-eventbridge");
    assert_eq!(doc["servers"]["hub"]["title"], "shop-hub");
    let channels = doc["channels"].as_object().expect("channels");
    let names: Vec<&String> = channels.keys().collect();
    assert_eq!(
        names,
        [
            "customer-address-changed",
            "customer-registered",
            "notification-sent",
            "order-cancelled",
            "order-deleted",
            "order-placed",
            "order-updated",
            "payment-captured",
        ]
    );
    // Channel address = the EventBridge detail-type; a message per version.
    let placed = &channels["order-placed"];
    assert_eq!(placed["address"], "order-placed");
    let messages: Vec<&String> = placed["messages"]
        .as_object()
        .expect("messages")
        .keys()
        .collect();
    assert_eq!(messages, ["order-placed.v1", "order-placed.v2"]);

    let operations = doc["operations"].as_object().expect("operations");
    // The owner sends the current version only.
    let send = &operations["orders-bff.send.order-placed"];
    assert_eq!(send["action"], "send");
    assert_eq!(send["channel"]["$ref"], "#/channels/order-placed");
    assert_eq!(
        send["messages"],
        json!([{ "$ref": "#/channels/order-placed/messages/order-placed.v2" }])
    );
    // A subscriber receives every version, with the rule's compiled pattern (docs/spec.md
    // shows this one) and the filter as written.
    let receive = &operations["shipping.receive.order-placed"];
    assert_eq!(receive["action"], "receive");
    assert_eq!(receive["messages"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        receive["x-cqrsgen"]["pattern"],
        json!({
            "source": ["orders-bff"],
            "detail-type": ["order-placed"],
            "detail": {
                "order": {
                    "status": [{ "anything-but": "cancelled" }],
                    "weightGrams": [{ "numeric": [">", 0] }]
                }
            }
        })
    );
    assert_eq!(
        receive["x-cqrsgen"]["filter"]["status"],
        json!({ "anything-but": "cancelled" })
    );
    assert_eq!(
        receive["x-cqrsgen"]["views"][0]["view"],
        "shipping/pending-shipment"
    );
    assert_eq!(
        receive["x-cqrsgen"]["views"][0]["upsert"]["destinationCity"],
        "shippingAddress.city"
    );
    // External events have receivers and no sender.
    assert!(operations.contains_key("notifications.receive.payment-captured"));
    assert!(
        !operations
            .keys()
            .any(|k| k.ends_with(".send.payment-captured"))
    );
    // One send per owned event, one receive per subscription of the spec.
    let sends = operations.keys().filter(|k| k.contains(".send.")).count();
    let receives = operations
        .keys()
        .filter(|k| k.contains(".receive."))
        .count();
    assert_eq!((sends, receives), (7, 8));
    // Views, which AsyncAPI cannot express, are kept under x-cqrsgen.
    assert_eq!(
        doc["x-cqrsgen"]["views"]["shipping/pending-shipment"]["indexes"]["by-customer"],
        json!({ "partition": "customerId", "sort": "placedAt" })
    );
}

#[test]
fn messages_carry_the_generated_schemas_and_the_spec_examples_in_the_envelope() {
    let doc = shop();
    let message = &doc["components"]["messages"]["order-placed.v2"];
    assert_eq!(message["title"], "order-placed v2");
    assert_eq!(message["x-cqrsgen"]["current"], true);
    // The payload: the envelope, and the entity object under `order`.
    assert_eq!(
        message["payload"]["allOf"][0]["$ref"],
        "#/components/schemas/envelope"
    );
    let part = &message["payload"]["allOf"][1];
    assert_eq!(part["required"], json!(["order"]));
    assert_eq!(
        part["properties"]["order"]["$ref"],
        "#/components/schemas/order-placed.v2"
    );
    // The payload schema is the one `generate` writes, its `$defs` moved to the components.
    let generated: Value = serde_json::from_str(
        &std::fs::read_to_string(
            repo().join("examples/shop/generated/crates/shop-events/schemas/order-placed.v2.json"),
        )
        .expect("generated schema"),
    )
    .expect("JSON");
    let schemas = &doc["components"]["schemas"];
    let mut expected = generated.clone();
    let object = expected.as_object_mut().expect("object");
    object.remove("$schema");
    object.remove("$id");
    object.remove("$comment");
    let defs = object.remove("$defs").expect("$defs");
    let text = serde_json::to_string(&expected)
        .expect("json")
        .replace("#/$defs/", "#/components/schemas/type.");
    assert_eq!(
        schemas["order-placed.v2"],
        serde_json::from_str::<Value>(&text).expect("json")
    );
    for (name, def) in defs.as_object().expect("defs") {
        let text = serde_json::to_string(def)
            .expect("json")
            .replace("#/$defs/", "#/components/schemas/type.");
        assert_eq!(
            schemas[format!("type.{name}")],
            serde_json::from_str::<Value>(&text).expect("json"),
            "{name}"
        );
    }
    // The examples: the spec's, in the envelope the trigger writes.
    let example = &message["examples"][0]["payload"];
    assert_eq!(example["type"], "order-placed");
    assert_eq!(example["schemaVersion"], 2);
    assert_eq!(
        example["partitionKey"],
        "3f1c2a9e-7b4d-4c8a-9e21-5d6f0a1b2c3d"
    );
    assert_eq!(example["tags"]["source"], "orders-bff");
    assert_eq!(example["order"]["total"], "42.50");
    assert_eq!(message["examples"].as_array().map(Vec::len), Some(2));
    // The older version's message is there too, upcast additively.
    assert_eq!(
        doc["components"]["messages"]["order-placed.v1"]["x-cqrsgen"]["upcast"],
        "additive"
    );
}

#[test]
fn findings_and_bad_output_names_exit_non_zero() {
    let out = tempfile::tempdir().expect("temp dir");
    cqrsgen()
        .args(["export", "asyncapi"])
        .arg(repo().join("examples/shop"))
        .arg("--out")
        .arg(out.path().join("doc.txt"))
        .assert()
        .code(2);
    cqrsgen()
        .args(["export", "asyncapi"])
        .arg(repo().join("tests/fixtures/e020-unknown-event"))
        .assert()
        .code(1)
        .stdout("");
    cqrsgen()
        .args(["export", "asyncapi", "/definitely/not/here"])
        .assert()
        .code(2);
}

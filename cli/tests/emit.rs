//! `cqrsgen emit`: the entry it builds, its errors, and the PutEvents call against a local
//! stand-in for EventBridge.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn shop() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/shop")
}

/// `cqrsgen emit ...` with an AWS configuration of its own: test credentials, and no
/// profile or region from the machine.
fn emit(args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("cqrsgen").expect("binary");
    cmd.arg("emit")
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_CONFIG_FILE", "/nonexistent/config")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_EVENTBRIDGE");
    cmd
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The one entry a `--dry-run` prints, with its `Detail` parsed.
fn dry_run(args: &[&str]) -> (Value, Value) {
    let output = emit(args).arg("--dry-run").output().expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let entries: Value = serde_json::from_str(&stdout(&output)).expect("JSON entries");
    let entry = entries[0].clone();
    let detail = serde_json::from_str(entry["Detail"].as_str().expect("Detail is text"))
        .expect("Detail is JSON");
    (entry, detail)
}

#[test]
fn dry_run_prints_the_entry_with_the_envelope_of_the_example() {
    let shop = shop();
    let (entry, detail) = dry_run(&[
        "customer-registered",
        shop.to_str().unwrap(),
        "--example",
        "2",
    ]);
    assert_eq!(entry["Source"], "customers-bff");
    assert_eq!(entry["DetailType"], "customer-registered");
    assert_eq!(entry["EventBusName"], "shop-hub-dev");
    assert_eq!(detail["type"], "customer-registered");
    assert_eq!(detail["schemaVersion"], 1);
    assert_eq!(detail["tags"]["source"], "customers-bff");
    assert_eq!(detail["customer"]["name"], "Grace Hopper");
    // The entity key `id` reaches the event as `customerId` (`map`): that is the partition key.
    assert_eq!(
        detail["partitionKey"],
        "c0ffee00-1234-4abc-8def-0123456789ab"
    );
    assert!(detail["timestamp"].as_i64().unwrap() > 1_700_000_000_000);
    let id = detail["id"].as_str().unwrap();
    assert_eq!(id.len(), 36, "a uuid: {id}");
}

#[test]
fn options_override_bus_source_and_partition_key() {
    let shop = shop();
    let (entry, detail) = dry_run(&[
        "payment-captured",
        shop.to_str().unwrap(),
        "--bus",
        "other-bus",
        "--source",
        "payments.bridge",
        "--partition-key",
        "order-7",
    ]);
    assert_eq!(entry["EventBusName"], "other-bus");
    assert_eq!(entry["Source"], "payments.bridge");
    assert_eq!(detail["tags"]["source"], "payments.bridge");
    assert_eq!(detail["partitionKey"], "order-7");
}

#[test]
fn an_external_event_without_an_entity_key_uses_its_id_as_partition_key() {
    let shop = shop();
    let (entry, detail) = dry_run(&["payment-captured", shop.to_str().unwrap()]);
    assert_eq!(entry["Source"], cqrsgen::send::EXTERNAL_SOURCE);
    assert_eq!(detail["partitionKey"], detail["id"]);
    assert_eq!(detail["payment"]["status"], "CAPTURED");
}

#[test]
fn unknown_events_and_examples_are_usage_errors_with_help() {
    let shop = shop();
    let output = emit(&["ordr-placed", shop.to_str().unwrap(), "--dry-run"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no event `ordr-placed` (did you mean `order-placed`?)"),
        "{}",
        stderr(&output)
    );

    let output = emit(&[
        "order-placed",
        shop.to_str().unwrap(),
        "--example",
        "0",
        "--dry-run",
    ])
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--example takes 1 to 2, not 0"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_spec_with_errors_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("cqrsgen.yaml"),
        "cqrsgen: 1\nsystem: s\nbus: s-hub\nevents:\n  e:\n    external: true\n    entity: x\n    fields:\n      a: nosuchtype\n",
    )
    .unwrap();
    let output = emit(&["e", dir.path().to_str().unwrap(), "--dry-run"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stdout(&output).is_empty());
}

/// Sending, with the AWS SDK (the default feature `send`).
#[cfg(feature = "send")]
mod sending {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::sync::mpsc;

    use serde_json::Value;

    use super::{emit, shop, stderr, stdout};

    #[test]
    fn without_a_region_it_says_how_to_set_one() {
        let shop = shop();
        let output = emit(&[
            "order-placed",
            shop.to_str().unwrap(),
            "--endpoint-url",
            "http://127.0.0.1:9",
        ])
        .output()
        .unwrap();
        assert_eq!(output.status.code(), Some(2));
        assert!(
            stderr(&output).contains("no AWS region"),
            "{}",
            stderr(&output)
        );
    }

    /// A stand-in for EventBridge on loopback: answers one request with `response` and hands
    /// the request (headers and body) to the returned receiver.
    fn fake_eventbridge(response: &'static str) -> (String, mpsc::Receiver<(String, Value)>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("fake EventBridge");
        let url = format!(
            "http://{}",
            listener.local_addr().expect("fake EventBridge")
        );
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let (stream, _) = listener.accept().expect("fake EventBridge");
            let mut reader = BufReader::new(stream.try_clone().expect("fake EventBridge"));
            let mut headers = String::new();
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).expect("fake EventBridge");
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().expect("fake EventBridge");
                }
                if line == "\r\n" {
                    break;
                }
                headers.push_str(&line);
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).expect("fake EventBridge");
            let mut stream = stream;
            write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{response}",
                response.len()
            )
            .expect("fake EventBridge");
            tx.send((
                headers,
                serde_json::from_slice(&body).expect("fake EventBridge"),
            ))
            .expect("fake EventBridge");
        });
        (url, rx)
    }

    /// `cqrsgen emit order-placed` of the shop, to the endpoint at `url` in eu-central-1.
    fn send_order_placed(url: &str) -> std::process::Output {
        let shop = shop();
        emit(&["order-placed", &shop.to_string_lossy()])
            .args(["--endpoint-url", url, "--region", "eu-central-1"])
            .output()
            .expect("runs")
    }

    #[test]
    fn it_puts_the_entry_on_the_bus_at_the_endpoint() {
        let (url, requests) =
            fake_eventbridge(r#"{"FailedEntryCount":0,"Entries":[{"EventId":"eb-1234"}]}"#);
        let output = send_order_placed(&url);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(
            stdout(&output).contains("EventBridge event id eb-1234"),
            "{}",
            stdout(&output)
        );

        let (headers, body) = requests.recv().unwrap();
        assert!(
            headers
                .to_ascii_lowercase()
                .contains("x-amz-target: awsevents.putevents"),
            "{headers}"
        );
        assert!(
            headers.contains("eu-central-1/events/aws4_request"),
            "signed for the region: {headers}"
        );
        let entry = &body["Entries"][0];
        assert_eq!(entry["Source"], "orders-bff");
        assert_eq!(entry["DetailType"], "order-placed");
        assert_eq!(entry["EventBusName"], "shop-hub-dev");
        let detail: Value = serde_json::from_str(entry["Detail"].as_str().unwrap()).unwrap();
        assert_eq!(
            detail["order"]["id"],
            "3f1c2a9e-7b4d-4c8a-9e21-5d6f0a1b2c3d"
        );
    }

    #[test]
    fn an_entry_the_bus_rejects_fails_with_its_error_code() {
        let (url, _requests) = fake_eventbridge(
            r#"{"FailedEntryCount":1,"Entries":[{"ErrorCode":"InternalFailure","ErrorMessage":"try again"}]}"#,
        );
        let output = send_order_placed(&url);
        assert_eq!(output.status.code(), Some(1));
        assert!(
            stderr(&output).contains("EventBridge rejected the event: InternalFailure: try again"),
            "{}",
            stderr(&output)
        );
    }

    #[test]
    fn aws_endpoint_url_and_aws_region_come_from_the_environment() {
        let (url, requests) =
            fake_eventbridge(r#"{"FailedEntryCount":0,"Entries":[{"EventId":"eb-env"}]}"#);
        let shop = shop();
        let output = emit(&["customer-registered", shop.to_str().unwrap()])
            .env("AWS_ENDPOINT_URL", &url)
            .env("AWS_REGION", "us-west-2")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let (headers, body) = requests.recv().unwrap();
        assert!(
            headers.contains("us-west-2/events/aws4_request"),
            "{headers}"
        );
        assert_eq!(body["Entries"][0]["DetailType"], "customer-registered");
    }
}

/// Built without the feature `send`, `emit` says how to send instead.
#[cfg(not(feature = "send"))]
#[test]
fn without_the_send_feature_it_says_how_to_send() {
    let shop = shop();
    let output = emit(&[
        "order-placed",
        shop.to_str().unwrap(),
        "--region",
        "eu-central-1",
    ])
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr(&output);
    assert!(
        stderr.contains("without the `send` feature") && stderr.contains("--dry-run"),
        "{stderr}"
    );
    assert!(stdout(&output).is_empty());
}

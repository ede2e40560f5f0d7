//! `cqrsgen simulate`: every example scenario passes its own `--assert`, the JSON report has
//! its documented shape, a view that differs exits 1 with a diff, and the published scenario
//! schema is current.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn cqrsgen() -> Command {
    let mut command = Command::cargo_bin("cqrsgen").expect("binary built");
    command.current_dir(root());
    command
}

fn scenarios() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(root().join("examples/shop/scenarios"))
        .expect("examples/shop/scenarios exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    found.sort();
    found
}

#[test]
fn every_example_scenario_passes_its_assertions() {
    let scenarios = scenarios();
    assert!(scenarios.len() >= 2, "{scenarios:?}");
    for scenario in scenarios {
        let output = cqrsgen()
            .args(["simulate", "examples/shop", "--scenario"])
            .arg(&scenario)
            .arg("--assert")
            .arg(&scenario)
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}:\n{stdout}\n{}",
            scenario.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(stdout.contains("assert: every expected view is as expected"));
        assert!(stdout.contains("views after the last step"));
    }
}

fn json(args: &[&str]) -> (i32, Value) {
    let output = cqrsgen().args(args).output().expect("runs");
    let value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    (output.status.code().unwrap_or(-1), value)
}

#[test]
fn the_json_report_traces_routing_and_writes() {
    let scenario = "examples/shop/scenarios/delivery-perturbations.yaml";
    let (code, report) = json(&[
        "simulate",
        "examples/shop",
        "--scenario",
        scenario,
        "--assert",
        scenario,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(report["version"], 1);
    assert_eq!(report["assert"]["passed"], true);
    let trace = report["trace"].as_array().expect("trace");
    let kinds = |kind: &str| {
        trace
            .iter()
            .filter(|e| e["kind"] == kind)
            .cloned()
            .collect::<Vec<_>>()
    };
    // The filtered-out update of a cancelled order names the failing condition.
    let filtered: Vec<Value> = kinds("routed")
        .into_iter()
        .filter(|e| e["delivered"] == false)
        .collect();
    assert!(
        filtered.iter().any(|e| e["id"] == "step-4"
            && e["reason"]
                .as_str()
                .is_some_and(|r| r.contains("detail.order.status"))),
        "{filtered:#?}"
    );
    // Released in reverse: the cancellation's delete first, then the older events are stale.
    let applied = kinds("applied");
    let order: Vec<(&str, &str)> = applied
        .iter()
        .take(3)
        .map(|e| {
            (
                e["id"].as_str().unwrap_or_default(),
                e["writes"][0]["outcome"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            ("step-4.1", "applied"),
            ("step-3", "stale"),
            ("step-2", "stale")
        ]
    );
    // The duplicate's second copy is stale; the latched row produces nothing.
    assert!(
        applied
            .iter()
            .filter(|e| e["id"] == "step-6")
            .map(|e| e["writes"][0]["outcome"].clone())
            .eq([Value::from("applied"), Value::from("stale")])
    );
    assert_eq!(kinds("skipped").len(), 1);
    let shipping = report["views"]
        .as_array()
        .expect("views")
        .iter()
        .find(|v| v["view"] == "pending-shipment")
        .expect("pending-shipment");
    assert_eq!(shipping["deleted"], 1);
    assert_eq!(shipping["rows"][0]["latched"], true);
}

#[test]
fn hooks_are_reported_as_not_simulated() {
    let (code, report) = json(&[
        "simulate",
        "examples/shop",
        "--scenario",
        "examples/shop/scenarios/order-lifecycle.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let hook = report["trace"]
        .as_array()
        .expect("trace")
        .iter()
        .flat_map(|e| e["writes"].as_array().cloned().unwrap_or_default())
        .find(|w| w["operation"] == "hook")
        .expect("a hook write");
    assert_eq!(hook["outcome"], "not-simulated");
    assert!(
        hook["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("reroute-shipments")
    );
}

#[test]
fn views_that_differ_exit_1_with_a_diff() {
    let dir = tempfile::tempdir().expect("temp dir");
    let expect = dir.path().join("expect.yaml");
    std::fs::write(
        &expect,
        "scenario: 1\nexpect:\n  shipping:\n    pending-shipment: []\n  notifications:\n    customer-contact: []\n",
    )
    .expect("written");
    let output = cqrsgen()
        .args([
            "simulate",
            "examples/shop",
            "--scenario",
            "examples/shop/scenarios/order-lifecycle.yaml",
            "--assert",
        ])
        .arg(&expect)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(
            "+ shipping/pending-shipment [3f1c2a9e-7b4d-4c8a-9e21-5d6f0a1b2c3d]: unexpected row"
        ),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("differ"));
}

#[test]
fn a_missing_scenario_is_a_usage_error() {
    let output = cqrsgen()
        .args([
            "simulate",
            "examples/shop",
            "--scenario",
            "no/such/file.yaml",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn hostile_scenarios_get_findings_not_panics() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases = [
        "",
        "- 1\n- 2\n",
        "scenario: 2\nsteps: []\n",
        "scenario: 1\nsteps: [{}]\n",
        "scenario: 1\nsteps:\n  - {service: orders-bff, modify: order, key: {a: [1]}, set: {}}\n",
        "scenario: 1\nsteps:\n  - {service: orders-bff, remove: order, key: 18446744073709551615}\n",
        "scenario: 1\nstart: 9223372036854775807\nsteps:\n  - {hold: shipping}\n  - {external: payment-captured, payload: {}, at: -9223372036854775808}\n  - {external: payment-captured, payload: {paymentId: p, orderId: 3f1c2a9e-7b4d-4c8a-9e21-5d6f0a1b2c3d, amount: '1', currency: EUR, status: captured, capturedAt: '2026-03-14T09:27:10Z'}}\n  - {release: shipping, order: shuffle, seed: 18446744073709551615}\n",
        "scenario: 1\nsteps:\n  - {service: customers-bff, insert: customer, values: {id: 5b2e9d1a-0c4f-4e7b-a1d3-9f8e7d6c5b4a, fullName: x, contact: {email: [[[]]]}, preferredChannel: fax, marketingOptIn: 'yes', registeredAt: yesterday}}\n",
        "scenario: 1\nexpect:\n  shipping:\n    pending-shipment:\n      - {orderId: 1, nope: 2}\n",
        "scenario: 1\nsteps: &a [*a]\n",
        "\u{0}\u{1}binary",
    ];
    for (i, text) in cases.iter().enumerate() {
        let path = dir.path().join(format!("case-{i}.yaml"));
        std::fs::write(&path, text).expect("written");
        for format in ["human", "json"] {
            let output = cqrsgen()
                .args([
                    "simulate",
                    "examples/shop",
                    "--format",
                    format,
                    "--scenario",
                ])
                .arg(&path)
                .output()
                .expect("runs");
            let code = output.status.code();
            assert!(
                matches!(code, Some(0 | 1)),
                "case {i} ({format}): exit {code:?}\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}

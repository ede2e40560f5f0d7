//! `cqrsgen cost`: estimates checked against arithmetic done by hand (written out in the
//! comments, from the built-in prices of us-east-1: $1.00 per million events, $0.10 per GB
//! archived, $0.023 per GB-month stored, $0.40 per million SQS requests, $0.20 per million
//! Lambda invocations, $0.0000133334 per arm64 GB-second, $0.625 per million write units,
//! $0.125 per million read units, $0.50 per GB of logs, $0.10 per alarm), linearity, located
//! findings in bad volumes files, the CLI and its help.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use cqrsgen::cost::{self, Estimate};

fn cqrsgen() -> Command {
    Command::cargo_bin("cqrsgen").expect("binary")
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Bytes in a GB as AWS bills data.
const GB: f64 = 1_073_741_824.0;

/// A project in a temporary directory: the spec and the volumes file.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new(spec: &str, volumes: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("cqrsgen.yaml"), spec).expect("spec");
        std::fs::write(dir.path().join("volumes.yaml"), volumes).expect("volumes");
        Project { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The estimate with the built-in prices; panics on findings.
    fn estimate(&self, free_tier: bool) -> Estimate {
        let run = self.run(free_tier);
        assert!(
            run.diagnostics.iter().all(|d| !d.is_error()),
            "{:#?}",
            run.diagnostics
        );
        run.estimate.expect("an estimate")
    }

    fn run(&self, free_tier: bool) -> cost::Run {
        let project = cqrsgen::load::load(self.path()).expect("loads");
        let outcome = cqrsgen::validate::validate(&project);
        let system = outcome
            .ir
            .unwrap_or_else(|| panic!("{:#?}", outcome.diagnostics));
        cost::run(&system, &self.path().join("volumes.yaml"), None, free_tier).expect("reads")
    }
}

/// The quantity and cost of line item `item` of row `row`.
fn item(estimate: &Estimate, row: &str, item: &str) -> (f64, f64) {
    let row = estimate
        .row(row)
        .unwrap_or_else(|| panic!("no row `{row}` in {estimate:#?}"));
    let found: Vec<_> = row.items.iter().filter(|i| i.item == item).collect();
    assert!(!found.is_empty(), "no item `{item}` in row `{}`", row.name);
    (
        found.iter().map(|i| i.quantity).sum(),
        found.iter().map(|i| i.cost).sum(),
    )
}

#[track_caller]
fn close(actual: f64, expected: f64) {
    let tolerance = 1e-9 * expected.abs().max(1.0);
    assert!(
        (actual - expected).abs() <= tolerance,
        "{actual} != {expected}"
    );
}

#[track_caller]
fn assert_item(estimate: &Estimate, row: &str, key: &str, quantity: f64, cost: f64) {
    let (q, c) = item(estimate, row, key);
    close(q, quantity);
    close(c, cost);
}

/// One upstream, two subscribers: `storefront` takes every event into one view, `search`
/// filters (a quarter passes) into a view with one index.
const TWO_SUBSCRIBERS: &str = r#"
cqrsgen: 1
system: tiny
bus: tiny-hub
services:
  catalog:
    entities:
      product: {key: id, fields: {id: uuid, name: string}}
    publishes:
      - {event: product-added, entity: product, when: insert}
  storefront:
    subscribes: [{event: product-added}]
    views:
      listing:
        key: {partition: productId}
        fields: {productId: uuid, name: string}
        projections:
          product-added: {upsert: {productId: id, name: name}}
  search:
    subscribes:
      - event: product-added
        filter: {name: {prefix: "A"}}
    views:
      by-name:
        key: {partition: productId}
        indexes:
          name: {partition: name}
        fields: {productId: uuid, name: string}
        projections:
          product-added: {upsert: {productId: id, name: name}}
events:
  product-added:
    owner: catalog
    entity: product
    fields: {id: uuid, name: string}
"#;

const TWO_SUBSCRIBERS_VOLUMES: &str = r#"
cqrsgen-volumes: 1
changes:
  catalog.product: {insert: 1000000}
filters:
  search/product-added: 0.25
sizes:
  events: {product-added: 2000}
"#;

#[test]
fn one_million_inserts_with_two_subscribers() {
    let project = Project::new(TWO_SUBSCRIBERS, TWO_SUBSCRIBERS_VOLUMES);
    let estimate = project.estimate(false);

    // catalog: 1,000,000 inserts -> 1,000,000 entity writes of 1 KB -> 1,000,000 WRU
    // -> $0.625.
    assert_item(&estimate, "catalog", "dynamodb-entity-writes", 1e6, 0.625);
    // Each insert is one `product-added`: 1,000,000 PutEvents entries. An entry is
    // "catalog" (7 bytes) + "product-added" (13) + 2,000 bytes of envelope = 2,020 bytes,
    // one 64 KB chunk -> 1,000,000 events -> $1.00.
    assert_item(&estimate, "catalog", "eventbridge-events", 1e6, 1.0);
    // The trigger reads 1,000,000 stream records (free: GetRecords of a Lambda trigger),
    // in full batches of 100 -> 10,000 invocations -> $0.002.
    assert_item(&estimate, "catalog", "dynamodb-stream-reads", 1e6, 0.0);
    assert_item(
        &estimate,
        "catalog",
        "lambda-trigger-requests",
        10_000.0,
        0.002,
    );
    // 10,000 x 256 MB (0.25 GB) x 250 ms (0.25 s) = 625 GB-s -> 625 x $0.0000133334.
    assert_item(
        &estimate,
        "catalog",
        "lambda-trigger-duration",
        625.0,
        625.0 * 0.000_013_333_4,
    );
    // 10,000 invocations x 400 bytes of logs = 4,000,000 bytes -> /2^30 GB x $0.50.
    assert_item(
        &estimate,
        "catalog",
        "logs-trigger",
        4e6 / GB,
        4e6 / GB * 0.5,
    );
    // One alarm (the trigger's dead-letter queue): $0.10.
    assert_item(&estimate, "catalog", "alarms", 1.0, 0.1);

    // storefront: every event -> 1,000,000 SendMessage (2,000 bytes: one chunk) -> $0.40.
    assert_item(&estimate, "storefront", "sqs-send", 1e6, 0.4);
    // Batches of 10 -> 100,000 receives (10 x 2,000 = 20,000 bytes: one chunk) and 100,000
    // DeleteMessageBatch -> $0.04 each.
    assert_item(&estimate, "storefront", "sqs-receive", 1e5, 0.04);
    assert_item(&estimate, "storefront", "sqs-delete", 1e5, 0.04);
    // 5 idle pollers x 2,628,000 s a month / 20 s = 657,000 empty receives -> $0.2628.
    assert_item(
        &estimate,
        "storefront",
        "sqs-idle-receive",
        657_000.0,
        0.2628,
    );
    // 100,000 invocations -> $0.02; x 0.25 GB x 0.1 s = 2,500 GB-s.
    assert_item(
        &estimate,
        "storefront",
        "lambda-listener-requests",
        1e5,
        0.02,
    );
    assert_item(
        &estimate,
        "storefront",
        "lambda-listener-duration",
        2500.0,
        2500.0 * 0.000_013_333_4,
    );
    // One view, 1 KB rows: 1,000,000 WRU -> $0.625.
    assert_item(&estimate, "storefront", "dynamodb-view-writes", 1e6, 0.625);
    // Two alarms: the listener queue's and the rules' dead-letter queues.
    assert_item(&estimate, "storefront", "alarms", 2.0, 0.2);

    // search: a quarter passes -> 250,000 messages, 25,000 batches.
    assert_item(&estimate, "search", "sqs-send", 250_000.0, 0.1);
    assert_item(&estimate, "search", "sqs-receive", 25_000.0, 0.01);
    assert_item(
        &estimate,
        "search",
        "lambda-listener-requests",
        25_000.0,
        0.005,
    );
    // The view has one index: each of the 250,000 writes also writes the index.
    assert_item(
        &estimate,
        "search",
        "dynamodb-view-writes",
        250_000.0,
        0.156_25,
    );
    assert_item(
        &estimate,
        "search",
        "dynamodb-index-writes",
        250_000.0,
        0.156_25,
    );

    // hub: 1,000,000 x 2,020 bytes = 2,020,000,000 bytes archived -> /2^30 GB x $0.10;
    // kept 365 days = 12 months -> 12 x that in GB-months x $0.023.
    let archived = 2.02e9 / GB;
    assert_item(
        &estimate,
        "hub",
        "eventbridge-archive",
        archived,
        archived * 0.1,
    );
    assert_item(
        &estimate,
        "hub",
        "eventbridge-archive-storage",
        archived * 12.0,
        archived * 12.0 * 0.023,
    );

    // Fixed: 5 alarms ($0.50) and two queues' idle polling (2 x $0.2628).
    close(estimate.fixed(), 0.5 + 2.0 * 0.2628);
    assert!(estimate.row("external").is_none());
}

#[test]
fn doubling_the_volumes_doubles_the_variable_part() {
    let once = Project::new(TWO_SUBSCRIBERS, TWO_SUBSCRIBERS_VOLUMES).estimate(false);
    let twice = Project::new(
        TWO_SUBSCRIBERS,
        &TWO_SUBSCRIBERS_VOLUMES.replace("insert: 1000000", "insert: 2000000"),
    )
    .estimate(false);
    close(twice.variable(), 2.0 * once.variable());
    close(twice.fixed(), once.fixed());
    for (a, b) in once.items().zip(twice.items()) {
        assert_eq!(a.item, b.item);
        let factor = if a.fixed { 1.0 } else { 2.0 };
        close(b.cost, factor * a.cost);
    }

    // The same for the shop, every count doubled.
    let shop = |factor: u64| {
        let text =
            std::fs::read_to_string(repo().join("examples/shop/volumes.yaml")).expect("volumes");
        let doubled: String = text
            .lines()
            .map(|line| double_counts(line, factor))
            .collect::<Vec<_>>()
            .join("\n");
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("volumes.yaml");
        std::fs::write(&path, doubled).expect("write");
        let project = cqrsgen::load::load(&repo().join("examples/shop")).expect("loads");
        let system = cqrsgen::validate::validate(&project).ir.expect("valid");
        let run = cost::run(&system, &path, None, false).expect("reads");
        run.estimate.expect("an estimate")
    };
    let (once, twice) = (shop(1), shop(2));
    close(twice.variable(), 2.0 * once.variable());
    close(twice.fixed(), once.fixed());
}

/// Multiplies the counts of a line of the shop's volumes file (the kinds under `changes`,
/// the entries of `events`), leaving sizes, rates and settings.
fn double_counts(line: &str, factor: u64) -> String {
    let indent = line.len() - line.trim_start().len();
    let Some((key, value)) = line.trim().split_once(": ") else {
        return line.to_owned();
    };
    let change = indent == 4 && ["insert", "modify", "soft-delete"].contains(&key);
    let event =
        indent == 2 && ["order-cancelled", "notification-sent", "payment-captured"].contains(&key);
    let count = value
        .split_whitespace()
        .next()
        .and_then(|v| v.parse::<u64>().ok());
    match count {
        Some(count) if change || event => {
            format!("{}{key}: {}", " ".repeat(indent), count * factor)
        }
        _ => line.to_owned(),
    }
}

#[test]
fn event_sizes_default_to_the_envelope_of_the_first_example() {
    let spec = TWO_SUBSCRIBERS.to_owned()
        + r#"    examples:
      - {id: 6d1f3c2b-8e4a-4b5c-9d7e-1a2b3c4d5e6f, name: Blue mug}
"#;
    let volumes = "cqrsgen-volumes: 1\nchanges:\n  catalog.product: {insert: 1000}\n";
    let estimate = Project::new(&spec, volumes).estimate(false);
    // The envelope the trigger writes around the example, with a 32-hex-digit record id.
    let envelope = serde_json::json!({
        "id": "0123456789abcdef0123456789abcdef",
        "type": "product-added",
        "schemaVersion": 1,
        "timestamp": 1_773_480_413_000_i64,
        "partitionKey": "6d1f3c2b-8e4a-4b5c-9d7e-1a2b3c4d5e6f",
        "tags": {
            "source": "catalog",
            "region": "us-east-1",
            "functionname": "tiny-catalog-trigger",
            "pipeline": "trigger",
        },
        "product": { "id": "6d1f3c2b-8e4a-4b5c-9d7e-1a2b3c4d5e6f", "name": "Blue mug" },
    });
    let bytes = serde_json::to_string(&envelope).expect("json").len();
    assert!(
        estimate.assumptions.contains(&format!(
            "`product-added` events are {bytes} bytes: the envelope around its first example"
        )),
        "{:#?}",
        estimate.assumptions
    );
    // 1,000 events of "catalog" + "product-added" + the envelope, archived.
    let archived = 1000.0 * (7 + 13 + bytes) as f64 / GB;
    assert_item(
        &estimate,
        "hub",
        "eventbridge-archive",
        archived,
        archived * 0.1,
    );
}

#[test]
fn big_items_and_events_take_more_units_and_chunks() {
    // 100,000 events of 70,000 bytes: the entry is 70,020 bytes -> 2 chunks of 64 KB
    // (65,536 bytes) -> 200,000 events billed; each SQS message 2 requests; a batch of 10
    // is 700,000 bytes -> 11 chunks per receive. View rows of 2,500 bytes -> 3 WRU each.
    let volumes = r#"
cqrsgen-volumes: 1
changes:
  catalog.product: {insert: 100000}
sizes:
  events: {product-added: 70000}
  entities: {catalog.product: 1025}
  views: {storefront/listing: 2500}
"#;
    let estimate = Project::new(TWO_SUBSCRIBERS, volumes).estimate(false);
    assert_item(&estimate, "catalog", "eventbridge-events", 200_000.0, 0.2);
    // 1,025 bytes -> 2 WRU per write.
    assert_item(
        &estimate,
        "catalog",
        "dynamodb-entity-writes",
        200_000.0,
        0.125,
    );
    assert_item(&estimate, "storefront", "sqs-send", 200_000.0, 0.08);
    assert_item(
        &estimate,
        "storefront",
        "sqs-receive",
        10_000.0 * 11.0,
        0.044,
    );
    assert_item(&estimate, "storefront", "sqs-delete", 10_000.0, 0.004);
    assert_item(
        &estimate,
        "storefront",
        "dynamodb-view-writes",
        300_000.0,
        0.1875,
    );
}

#[test]
fn function_settings_override_the_defaults() {
    // The listener of `search` gets 4 messages per invocation on average, runs 50 ms with
    // 1,024 MB, and polls with 2 idle pollers.
    let volumes = format!(
        "{TWO_SUBSCRIBERS_VOLUMES}lambda:\n  services:\n    search:\n      listener: {{memory-mb: 1024, duration-ms: 50, average-batch: 4, idle-pollers: 2}}\nlogs: {{bytes-per-invocation: 1000}}\n"
    );
    let estimate = Project::new(TWO_SUBSCRIBERS, &volumes).estimate(false);
    // 250,000 messages / 4 = 62,500 invocations, receives and deletes.
    assert_item(
        &estimate,
        "search",
        "lambda-listener-requests",
        62_500.0,
        0.0125,
    );
    // 62,500 x 1 GB x 0.05 s = 3,125 GB-s.
    assert_item(
        &estimate,
        "search",
        "lambda-listener-duration",
        3125.0,
        3125.0 * 0.000_013_333_4,
    );
    assert_item(&estimate, "search", "sqs-receive", 62_500.0, 0.025);
    // 2 x 2,628,000 / 20 = 262,800 idle receives.
    assert_item(&estimate, "search", "sqs-idle-receive", 262_800.0, 0.105_12);
    // 62,500 x 1,000 bytes of logs.
    assert_item(
        &estimate,
        "search",
        "logs-listener",
        6.25e7 / GB,
        6.25e7 / GB * 0.5,
    );
    // storefront keeps the defaults.
    assert_item(
        &estimate,
        "storefront",
        "lambda-listener-requests",
        1e5,
        0.02,
    );
}

#[test]
fn the_specs_deploy_settings_set_memory_batches_and_architecture() {
    // x86_64 for the system, and `search`'s listener with 512 MB in batches of 5: what the
    // templates deploy is what the estimate prices.
    let spec = TWO_SUBSCRIBERS.replace(
        "bus: tiny-hub\n",
        "bus: tiny-hub\ngenerate:\n  deploy:\n    architecture: x86_64\n    services:\n      search:\n        listener: {memory: 512, batchSize: 5}\n",
    );
    let estimate = Project::new(&spec, TWO_SUBSCRIBERS_VOLUMES).estimate(false);
    let x86 = 0.000_016_666_7;
    // search: 250,000 messages in batches of 5 = 50,000 invocations x 0.5 GB x 0.1 s.
    assert_item(
        &estimate,
        "search",
        "lambda-listener-requests",
        50_000.0,
        0.01,
    );
    assert_item(
        &estimate,
        "search",
        "lambda-listener-duration",
        2500.0,
        2500.0 * x86,
    );
    // storefront: 1,000,000 messages in batches of 10 = 100,000 x 0.25 GB x 0.1 s.
    assert_item(
        &estimate,
        "storefront",
        "lambda-listener-duration",
        2500.0,
        2500.0 * x86,
    );
    let search = estimate
        .rows
        .iter()
        .find(|r| r.name == "search")
        .expect("row");
    let duration = search
        .items
        .iter()
        .find(|i| i.item == "lambda-listener-duration")
        .expect("item");
    assert!(duration.description.contains("512 MB") && duration.description.contains("x86_64"));
}

#[test]
fn the_free_tier_is_deducted_once_for_the_system() {
    let estimate = Project::new(TWO_SUBSCRIBERS, TWO_SUBSCRIBERS_VOLUMES).estimate(true);
    let credit = |key: &str| {
        estimate
            .free_tier_credits
            .iter()
            .find(|i| i.item == key)
            .map(|i| (i.quantity, i.cost))
            .unwrap_or_else(|| panic!("no credit {key}"))
    };
    // SQS: 1,200,000 + 300,000 requests + 2 x 657,000 idle receives > 1,000,000 free.
    let (q, c) = credit("free-sqs-requests");
    close(q, -1e6);
    close(c, -0.4);
    // Lambda: 10,000 + 100,000 + 25,000 invocations, all free; 625 + 2,500 + 625 GB-s too.
    let (q, _) = credit("free-lambda-requests");
    close(q, -135_000.0);
    let (q, _) = credit("free-lambda-duration");
    close(q, -3750.0);
    // 5 alarms, all in the free 10.
    let (q, c) = credit("free-alarms");
    close(q, -5.0);
    close(c, -0.5);
    let without = Project::new(TWO_SUBSCRIBERS, TWO_SUBSCRIBERS_VOLUMES).estimate(false);
    let credits: f64 = estimate.free_tier_credits.iter().map(|i| i.cost).sum();
    close(estimate.total(), without.total() + credits);
}

#[test]
fn bad_volumes_files_get_located_findings() {
    let volumes = r#"cqrsgen-volumes: 1
changes:
  catalog.prodcut: {insert: 10}
  catalgo.product: {insert: 10}
  catalog: {insert: 10}
events:
  product-addded: 5
filters:
  storefront/product-added: 0.5
  catalog/product-added: 0.5
  shipping/product-added: 0.5
sizes:
  views: {search/by-nam: 100}
hooks:
  search/reroute: {write-units: 1}
lambda:
  listener: {batch-size: 5, average-batch: 8}
"#;
    let project = Project::new(TWO_SUBSCRIBERS, volumes);
    let output = cqrsgen()
        .current_dir(project.path())
        .args(["cost", "--color", "never"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    // Human findings, each at its place in the volumes file (one golden folder per code is
    // under tests/fixtures/v0*).
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("volumes.yaml:3:3") && stderr.contains("did you mean `product`?"),
        "{stderr}"
    );
    assert!(stderr.contains("9 errors, 2 warnings"), "{stderr}");

    let json = cqrsgen()
        .current_dir(project.path())
        .args(["cost", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(json.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let found: Vec<(String, String, u64)> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["file"].as_str().unwrap_or_default().to_owned(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    let expected = [
        ("V011", 3),
        ("V010", 4),
        ("V016", 5),
        ("V012", 7),
        ("V052", 9),
        ("V013", 10),
        ("V010", 11),
        ("V014", 13),
        ("V015", 15),
        ("V017", 17),
    ];
    // First, unlocated: with `catalog.product` misspelled, `product-added` has no volume.
    let expected: Vec<(String, String, u64)> = [("V050".to_owned(), String::new(), 0)]
        .into_iter()
        .chain(
            expected
                .iter()
                .map(|(code, line)| ((*code).to_owned(), "volumes.yaml".to_owned(), *line)),
        )
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn volumes_files_of_the_wrong_shape_or_syntax_are_findings() {
    let cases = [
        // Not YAML.
        ("cqrsgen-volumes: 1\nchanges: [\n", "V001", 3),
        // An unknown key, a rate above 1, a count that is not a number.
        (
            "cqrsgen-volumes: 1\nchange: {}\nfilters: {search/product-added: 1.5}\nevents: {product-added: lots}\n",
            "V002",
            2,
        ),
        // The wrong format version.
        ("cqrsgen-volumes: 2\n", "V002", 1),
    ];
    for (text, code, line) in cases {
        let project = Project::new(TWO_SUBSCRIBERS, text);
        let run = project.run(false);
        assert!(run.estimate.is_none(), "{text}");
        let first = &run.diagnostics[0];
        assert_eq!(first.code.as_str(), code, "{text}: {:#?}", run.diagnostics);
        let location = first.location.as_ref().expect("located");
        assert_eq!(location.start.line, line, "{text}: {:#?}", run.diagnostics);
        assert_eq!(location.file, project.path().join("volumes.yaml"));
    }
    // Every problem of the second case is reported, each at its place.
    let project = Project::new(TWO_SUBSCRIBERS, cases[1].0);
    let lines: Vec<usize> = project
        .run(false)
        .diagnostics
        .iter()
        .filter_map(|d| d.location.as_ref().map(|l| l.start.line))
        .collect();
    assert_eq!(lines, [2, 3, 4]);
}

#[test]
fn missing_volumes_and_hook_costs_are_warnings() {
    let spec = r#"
cqrsgen: 1
system: warn
bus: warn-hub
services:
  bank:
    entities:
      account:
        key: id
        fields: {id: uuid, status: {type: enum, values: [open, closed]}}
    publishes:
      - event: account-closed
        entity: account
        when: {field: status, becomes: closed}
  ledger:
    subscribes: [{event: account-closed}, {event: rate-changed}]
    views:
      accounts:
        key: {partition: id}
        fields: {id: uuid}
        projections:
          account-closed: {hook: close-account}
          rate-changed: {hook: apply-rate}
events:
  account-closed:
    owner: bank
    entity: account
    fields: {id: uuid}
  rate-changed:
    external: true
    entity: rate
    fields: {id: uuid}
"#;
    let volumes = "cqrsgen-volumes: 1\nchanges:\n  bank.account: {modify: 100}\n";
    let run = Project::new(spec, volumes).run(false);
    let codes: Vec<&str> = run.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(
        codes,
        ["V050", "V050", "V051", "V051"],
        "{:#?}",
        run.diagnostics
    );
    let estimate = run.estimate.expect("warnings do not stop the estimate");
    // 100 modifies: 100 stream records and entity writes, no event counted.
    assert_item(
        &estimate,
        "bank",
        "dynamodb-entity-writes",
        100.0,
        100.0 * 0.625e-6,
    );
    assert_item(&estimate, "bank", "eventbridge-events", 0.0, 0.0);
    assert_item(&estimate, "ledger", "dynamodb-hook-writes", 0.0, 0.0);
}

#[test]
fn a_price_table_file_replaces_the_built_in_one() {
    let project = Project::new(TWO_SUBSCRIBERS, TWO_SUBSCRIBERS_VOLUMES);
    let table = cost::prices::BUILT_IN
        .replace("region: us-east-1", "region: eu-central-1")
        .replace("date: \"2026-11-30\"", "date: \"2026-12-01\"")
        .replace(
            "eventbridge-events-per-million: 1.00",
            "eventbridge-events-per-million: 2.00",
        );
    let prices = project.path().join("prices.yaml");
    std::fs::write(&prices, table).expect("prices");
    let output = cqrsgen()
        .current_dir(project.path())
        .args(["cost", "--prices", "prices.yaml", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(report["prices"]["region"], "eu-central-1");
    assert_eq!(report["prices"]["date"], "2026-12-01");
    assert_eq!(report["prices"]["table"], "prices.yaml");
    let catalog = report["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["name"] == "catalog")
        .expect("catalog");
    close(
        catalog["byAws"]["eventbridge"].as_f64().expect("number"),
        2.0,
    );

    // A table with a missing price is a finding in that file.
    std::fs::write(
        &prices,
        cost::prices::BUILT_IN.replace("  alarm-per-month: 0.10\n", ""),
    )
    .expect("prices");
    let output = cqrsgen()
        .current_dir(project.path())
        .args(["cost", "--prices", "prices.yaml", "--color", "never"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("V002")
            && stderr.contains("alarm-per-month")
            && stderr.contains("prices.yaml"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let project = Project::new(TWO_SUBSCRIBERS, TWO_SUBSCRIBERS_VOLUMES);
    std::fs::remove_file(project.path().join("volumes.yaml")).expect("remove");
    let output = cqrsgen()
        .current_dir(project.path())
        .arg("cost")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--volumes"));
    cqrsgen()
        .current_dir(project.path())
        .args(["cost", "--volumes", "nowhere.yaml"])
        .assert()
        .code(2);
    cqrsgen()
        .args(["cost", "/definitely/not/here"])
        .assert()
        .code(2);
}

#[test]
fn the_defaults_are_what_the_generated_templates_use() {
    // The committed templates of the shop (kept current by `generate --check` in the
    // generate tests) hold the settings the estimate assumes.
    let read = |name: &str| {
        std::fs::read_to_string(repo().join("examples/shop/generated/infra").join(name))
            .expect("template")
    };
    let upstream = read("customers-bff.yaml");
    let downstream = read("shipping.yaml");
    let hub = read("hub.yaml");
    // The functions' settings come from the spec's `generate.deploy` (shipping's listener
    // takes batches of 25 there), as in the templates.
    let project = cqrsgen::load::load(&repo().join("examples/shop")).expect("loads");
    let system = cqrsgen::validate::validate(&project).ir.expect("valid");
    let deployment = cost::defaults::Deployment::of(&system);
    let id = |name: &str| {
        system
            .services
            .iter()
            .find(|(_, s)| s.name == name)
            .map(|(id, _)| id)
            .expect("service")
    };
    let trigger = deployment.trigger(id("customers-bff"));
    let listener = deployment.listener(id("shipping"));
    assert_eq!(listener.batch_size, 25);
    for (template, function) in [(&upstream, trigger), (&downstream, listener)] {
        assert!(template.contains(&format!("MemorySize: {}\n", function.memory_mb)));
        assert!(template.contains(&format!("BatchSize: {}\n", function.batch_size)));
        assert!(template.contains(&format!("- {}\n", function.architecture.as_str())));
    }
    assert!(hub.contains(&format!(
        "Default: {}",
        cost::defaults::ARCHIVE_RETENTION_DAYS
    )));
    assert!(
        !hub.contains("EventPattern"),
        "the archive keeps every event"
    );
    let alarms = |text: &str| text.matches("AWS::CloudWatch::Alarm").count() as u32;
    assert_eq!(alarms(&upstream), cost::defaults::TRIGGER_ALARMS);
    assert_eq!(alarms(&downstream), cost::defaults::LISTENER_ALARMS);
    // A service that is both has both.
    assert_eq!(
        alarms(&read("notifications.yaml")),
        cost::defaults::TRIGGER_ALARMS + cost::defaults::LISTENER_ALARMS
    );
}

#[test]
fn the_shop_estimate_matches_the_arithmetic() {
    let output = cqrsgen()
        .current_dir(repo())
        .args([
            "cost",
            "examples/shop",
            "--volumes",
            "examples/shop/volumes.yaml",
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let shop = shop_by_hand();
    let rows = report["rows"].as_array().expect("rows");
    let names: Vec<&str> = rows.iter().filter_map(|r| r["name"].as_str()).collect();
    assert_eq!(
        names,
        [
            "customers-bff",
            "notifications",
            "orders-bff",
            "shipping",
            "hub",
            "external"
        ]
    );
    for row in rows {
        let name = row["name"].as_str().expect("name");
        let expected = shop
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, total)| *total)
            .expect("a row worked out by hand");
        close(row["total"].as_f64().expect("total"), expected);
    }
    let total: f64 = shop.iter().map(|(_, t)| t).sum();
    close(report["total"].as_f64().expect("total"), total);
    // The only findings: none (every transition and external event has a volume, the hook
    // a cost).
    assert_eq!(report["findings"]["diagnostics"], serde_json::json!([]));

    // The human table shows the same totals, rounded to cents.
    let human = cqrsgen()
        .current_dir(repo())
        .args([
            "cost",
            "examples/shop",
            "--volumes",
            "examples/shop/volumes.yaml",
        ])
        .output()
        .expect("runs");
    assert_eq!(human.status.code(), Some(0));
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("Prices: us-east-1 as of 2026-11-30, in USD, from the built-in table"),
        "{text}"
    );
    for (name, expected) in shop.iter().chain([&("total", total)]) {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no row {name} in\n{text}"));
        let cents = format!("{:.2}", expected);
        assert!(
            line.trim_end().ends_with(&cents),
            "row `{name}` should end with {cents}: {line}"
        );
    }
}

/// The shop's monthly cost per row, worked out from `examples/shop/volumes.yaml` and the
/// spec by hand: the counts are derived here line by line, the formulas are the ones of
/// `docs/cost.md`.
fn shop_by_hand() -> Vec<(&'static str, f64)> {
    let event = 1.0 / 1e6; // per event
    let sqs = 0.40 / 1e6;
    let invoke = 0.20 / 1e6;
    let gb_s = 0.000_013_333_4;
    let wru = 0.625 / 1e6;
    let rru = 0.125 / 1e6;
    let log_gb = 0.50;
    let alarm = 0.10;
    let idle = 5.0 * 2_628_000.0 / 20.0 * sqs; // a listener queue's idle polling
    // A trigger with `records` stream records: batches of 100, 256 MB, 250 ms, 400 bytes of
    // logs per invocation.
    let trigger = |records: f64| {
        let invocations = records / 100.0;
        invocations * invoke + invocations * 0.25 * 0.25 * gb_s + invocations * 400.0 / GB * log_gb
    };
    // A listener with `messages` messages in full batches of `batch` (the spec's
    // `generate.deploy`: 10 by default, 25 for shipping; every message is below 2.6 KB, so a
    // batch is one 64 KB chunk), 256 MB, `ms` per invocation.
    let listener = |messages: f64, ms: f64, batch: f64| {
        let batches = messages / batch;
        messages * sqs // SendMessage by the rules (every message below 64 KB)
            + batches * sqs // ReceiveMessage
            + batches * sqs // DeleteMessageBatch
            + idle
            + batches * invoke
            + batches * 0.25 * (ms / 1000.0) * gb_s
            + batches * 400.0 / GB * log_gb
    };

    // Events a month.
    let customer_registered = 20_000.0; // customer inserts
    let address_changed = 4_000.0; // delivery-address modifies
    let order_placed = 100_000.0; // order inserts
    let order_updated = 240_000.0; // order modifies
    let order_deleted = 1_000.0; // order soft deletes
    let order_cancelled = 5_000.0; // given (a transition)
    let notification_sent = 180_000.0; // given (a transition)
    let payment_captured = 95_000.0; // given (external)

    // customers-bff: 20,000 + 6,000 customer changes and 20,000 + 4,000 address changes,
    // 1 KB items: 50,000 writes and stream records; 24,000 events of under 64 KB.
    let customers = 50_000.0 * wru
        + (customer_registered + address_changed) * event
        + trigger(50_000.0)
        + alarm;
    // orders-bff: 341,000 order changes of 1,800 bytes (2 WRU each); events: placed,
    // updated, deleted and cancelled; listener: 60% of 180,000 notification-sent into
    // `customer-notification` (1 KB rows), 60 ms per batch.
    let order_events = order_placed + order_updated + order_deleted + order_cancelled;
    let notified = 0.6 * notification_sent;
    let orders = 341_000.0 * 2.0 * wru
        + order_events * event
        + trigger(341_000.0)
        + alarm
        + listener(notified, 60.0, 10.0)
        + notified * wru
        + 2.0 * alarm;
    // notifications: 370,000 notification changes (1 KB), 180,000 notification-sent;
    // listener: 99% of customer-registered into `customer-contact`, 98% of payment-captured
    // into `payment-receipt` (1 KB rows), 60 ms per batch.
    let contacts = 0.99 * customer_registered;
    let receipts = 0.98 * payment_captured;
    let notifications = 370_000.0 * wru
        + notification_sent * event
        + trigger(370_000.0)
        + alarm
        + listener(contacts + receipts, 60.0, 10.0)
        + (contacts + receipts) * wru
        + 2.0 * alarm;
    // shipping: 80% of order-placed and 70% of order-updated upserted, every order-cancelled
    // and order-deleted deleted, into `pending-shipment` (1,400-byte rows: 2 WRU, and the
    // same again for its index `by-customer`); every customer-address-changed goes to the
    // hook (1 RRU and 2 WRU a call); batches of 25, 120 ms each.
    let written = 0.8 * order_placed + 0.7 * order_updated + order_cancelled + order_deleted;
    let messages = written + address_changed;
    let shipping = listener(messages, 120.0, 25.0)
        + written * 2.0 * 2.0 * wru
        + address_changed * (2.0 * wru + rru)
        + 2.0 * alarm;
    // hub: every event archived, the entry being Source + DetailType + envelope bytes, kept
    // 12 months.
    let entry = |source: &str, name: &str, bytes: f64| (source.len() + name.len()) as f64 + bytes;
    let archived = (customer_registered * entry("customers-bff", "customer-registered", 520.0)
        + address_changed * entry("customers-bff", "customer-address-changed", 560.0)
        + order_placed * entry("orders-bff", "order-placed", 1300.0)
        + order_updated * entry("orders-bff", "order-updated", 1350.0)
        + order_cancelled * entry("orders-bff", "order-cancelled", 640.0)
        + order_deleted * entry("orders-bff", "order-deleted", 420.0)
        + notification_sent * entry("notifications", "notification-sent", 480.0)
        // External events have no source in their rules; the entry counts their name.
        + payment_captured * entry("", "payment-captured", 560.0))
        / GB;
    let hub = archived * 0.10 + archived * 12.0 * 0.023;
    // external: the payment provider's events.
    let external = payment_captured * event;
    vec![
        ("customers-bff", customers),
        ("notifications", notifications),
        ("orders-bff", orders),
        ("shipping", shipping),
        ("hub", hub),
        ("external", external),
    ]
}

#[test]
fn markdown_output_is_a_table_per_service() {
    let output = cqrsgen()
        .current_dir(repo())
        .args([
            "cost",
            "examples/shop",
            "--volumes",
            "examples/shop/volumes.yaml",
            "--format",
            "markdown",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("# Monthly cost estimate\n"), "{text}");
    assert!(
        text.contains("| Service | EventBridge | SQS | Lambda | DynamoDB | CloudWatch | Total |")
    );
    assert!(text.contains("| `shipping` |"));
    assert!(text.contains("## Assumptions"));
    // `cqrsgen docs` prices the project's volumes.yaml the same way: the shop's checked-in
    // cost page has the same total row.
    let total = text
        .lines()
        .find(|l| l.starts_with("| **Total** |"))
        .expect("a total row")
        .replace("**", "");
    let page = std::fs::read_to_string(repo().join("examples/shop/docs/cost.md")).expect("page");
    assert!(page.lines().any(|l| l == total), "{total}\n{page}");
}

#[test]
fn help_is_documented() {
    let help = |args: &[&str]| {
        let output = cqrsgen().args(args).output().expect("runs");
        assert_eq!(output.status.code(), Some(0));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    insta::assert_snapshot!("cost_help", help(&["cost", "--help"]));
    insta::assert_snapshot!(
        "export_asyncapi_help",
        help(&["export", "asyncapi", "--help"])
    );
}

//! The price table: what each unit of the AWS services a system uses costs, in one region
//! on one date, with the free tiers.
//!
//! The built-in table is `prices/us-east-1.yaml`, embedded in the binary; its comments name
//! the page each price comes from. `cqrsgen cost --prices FILE` reads a whole table of the
//! same shape instead (copy the built-in one and edit it), so the output always names one
//! region and one date.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The version of the price table format this build of cqrsgen reads.
pub const FORMAT_VERSION: u64 = 1;

/// The built-in table's text.
pub const BUILT_IN: &str = include_str!("prices/us-east-1.yaml");

/// Where the built-in table lives in the repository, for messages and docs.
pub const BUILT_IN_PATH: &str = "cli/src/cost/prices/us-east-1.yaml";

/// A price table file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "cqrsgen price table")]
pub struct PriceTable {
    /// Format version of this file. Always `1`.
    #[serde(rename = "cqrsgen-prices")]
    #[schemars(range(min = 1, max = 1))]
    pub version: u64,
    /// The AWS region the prices are for, e.g. `us-east-1`.
    #[schemars(length(min = 1))]
    pub region: String,
    /// The day the prices were read, `YYYY-MM-DD`.
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub date: String,
    /// The currency of every price, e.g. `USD`.
    #[schemars(regex(pattern = r"^[A-Z]{3}$"))]
    pub currency: String,
    /// Prices per unit.
    pub prices: Prices,
    /// What the AWS Free Tier includes every month, per account and region; used only with
    /// `--free-tier`.
    pub free_tier: FreeTier,
}

/// Prices of the units a system consumes.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Prices {
    /// EventBridge: a million custom events put on a bus (each 64 KB chunk of an event is
    /// one event).
    #[schemars(range(min = 0.0))]
    pub eventbridge_events_per_million: f64,
    /// EventBridge: a GB of events processed into an archive.
    #[schemars(range(min = 0.0))]
    pub eventbridge_archive_per_gb: f64,
    /// EventBridge: a GB-month of archived events stored.
    #[schemars(range(min = 0.0))]
    pub eventbridge_archive_storage_per_gb_month: f64,
    /// SQS: a million requests to standard queues (each 64 KB chunk of a payload is one
    /// request).
    #[schemars(range(min = 0.0))]
    pub sqs_requests_per_million: f64,
    /// Lambda: a million invocations.
    #[schemars(range(min = 0.0))]
    pub lambda_requests_per_million: f64,
    /// Lambda: a GB-second of an arm64 function (the generated functions' default).
    #[schemars(range(min = 0.0))]
    pub lambda_arm64_per_gb_second: f64,
    /// Lambda: a GB-second of an x86_64 function.
    #[schemars(range(min = 0.0))]
    pub lambda_x86_64_per_gb_second: f64,
    /// DynamoDB on-demand: a million write request units.
    #[schemars(range(min = 0.0))]
    pub dynamodb_write_units_per_million: f64,
    /// DynamoDB on-demand: a million read request units.
    #[schemars(range(min = 0.0))]
    pub dynamodb_read_units_per_million: f64,
    /// DynamoDB Streams: a million stream read requests (`GetRecords`) by consumers other
    /// than Lambda triggers, whose reads are free.
    #[schemars(range(min = 0.0))]
    pub dynamodb_stream_reads_per_million: f64,
    /// CloudWatch Logs: a GB ingested (standard log class).
    #[schemars(range(min = 0.0))]
    pub logs_ingestion_per_gb: f64,
    /// CloudWatch: a standard-resolution alarm for a month.
    #[schemars(range(min = 0.0))]
    pub alarm_per_month: f64,
}

/// The monthly AWS Free Tier amounts of the units above that have one.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FreeTier {
    /// Lambda invocations.
    #[schemars(range(min = 0.0))]
    pub lambda_requests: f64,
    /// Lambda GB-seconds.
    #[schemars(range(min = 0.0))]
    pub lambda_gb_seconds: f64,
    /// SQS requests.
    #[schemars(range(min = 0.0))]
    pub sqs_requests: f64,
    /// CloudWatch Logs GB ingested.
    #[schemars(range(min = 0.0))]
    pub logs_ingestion_gb: f64,
    /// CloudWatch alarms.
    #[schemars(range(min = 0.0))]
    pub alarms: f64,
}

/// The JSON Schema of the price table format (draft 2020-12).
pub fn json_schema() -> serde_json::Value {
    schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<PriceTable>()
        .to_value()
}

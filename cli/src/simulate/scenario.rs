//! The scenario format: the raw shape of a scenario file for `cqrsgen simulate`, exactly as
//! written. Like [`crate::spec`], these types are the single source of truth of the format:
//! `schemas/scenario.schema.json` is derived from them with schemars, files are checked
//! against that schema first (with located findings) and only then deserialized. Names and
//! values are checked against the spec by [`super::compile`].

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The version of the scenario format this build of cqrsgen reads.
pub const FORMAT_VERSION: u64 = 1;

/// A scenario: steps run against the spec by `cqrsgen simulate`, and optionally the views
/// expected afterwards.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "cqrsgen scenario file")]
pub struct ScenarioFile {
    /// Format version of this file. Always `1`.
    #[schemars(range(min = 1, max = 1))]
    pub scenario: u64,
    /// What the scenario shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The time of the first step without `at`, in epoch milliseconds; every further step
    /// without `at` happens one second after the previous one [default: 2026-03-14T00:00:00Z].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<i64>,
    /// The steps, in order (a file holding only `expect`, for `--assert`, has none).
    #[serde(default)]
    pub steps: Vec<Step>,
    /// The rows every view should hold after the last step, by service and view:
    /// `--assert` compares them. A view left out is not compared; an empty list expects an
    /// empty view.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub expect: Expectations,
}

/// Expected rows by service, then view.
pub type Expectations = BTreeMap<String, BTreeMap<String, Vec<Map<String, Value>>>>;

/// One step: a change of an entity row of an upstream service, an external event put on
/// the bus, or a perturbation of delivery.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Step {
    /// A new row.
    Insert(InsertStep),
    /// A changed row.
    Modify(ModifyStep),
    /// A soft delete (`deleted` becomes true).
    SoftDelete(SoftDeleteStep),
    /// An undelete (`deleted` was true and is cleared).
    Undelete(UndeleteStep),
    /// A removed row.
    Remove(RemoveStep),
    /// An event put on the bus from outside the system.
    External(ExternalStep),
    /// Stop delivering to a service: its queue fills up.
    Hold(HoldStep),
    /// Deliver what a held service's queue holds.
    Release(ReleaseStep),
    /// Take a service down: neither its trigger nor its listener runs.
    Down(DownStep),
    /// Bring a service back up: its trigger publishes what waited, its listener drains.
    Up(UpStep),
}

/// `insert`: a new row of an entity.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct InsertStep {
    /// The service owning the entity.
    pub service: String,
    /// The entity.
    pub insert: String,
    /// The row's fields (every required field of the entity).
    pub values: Map<String, Value>,
    /// The row is written by a listener (`latched: true`): the trigger skips it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub latched: bool,
    /// When the change happens, in epoch milliseconds (the row's `timestamp`, the events'
    /// `timestamp`) [default: one second after the previous step].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<i64>,
    /// Deliver every event of this step twice (SQS delivers at least once).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub duplicate: bool,
}

/// `modify`: fields of an existing row change.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ModifyStep {
    /// The service owning the entity.
    pub service: String,
    /// The entity.
    pub modify: String,
    /// The row's key (the value of the entity's key field).
    pub key: Value,
    /// Fields set to new values.
    #[serde(default)]
    pub set: Map<String, Value>,
    /// Optional fields removed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unset: Vec<String>,
    /// The row is written by a listener (`latched: true`): the trigger skips it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub latched: bool,
    /// When the change happens, in epoch milliseconds (the row's `timestamp`, the events'
    /// `timestamp`) [default: one second after the previous step].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<i64>,
    /// Deliver every event of this step twice (SQS delivers at least once).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub duplicate: bool,
}

/// `soft-delete`: `deleted` becomes true.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SoftDeleteStep {
    /// The service owning the entity.
    pub service: String,
    /// The entity.
    pub soft_delete: String,
    /// The row's key.
    pub key: Value,
    /// When the change happens, in epoch milliseconds (the row's `timestamp`, the events'
    /// `timestamp`) [default: one second after the previous step].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<i64>,
    /// Deliver every event of this step twice (SQS delivers at least once).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub duplicate: bool,
}

/// `undelete`: `deleted` is cleared.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UndeleteStep {
    /// The service owning the entity.
    pub service: String,
    /// The entity.
    pub undelete: String,
    /// The row's key.
    pub key: Value,
    /// When the change happens, in epoch milliseconds (the row's `timestamp`, the events'
    /// `timestamp`) [default: one second after the previous step].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<i64>,
    /// Deliver every event of this step twice (SQS delivers at least once).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub duplicate: bool,
}

/// `remove`: the row is removed from the table.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RemoveStep {
    /// The service owning the entity.
    pub service: String,
    /// The entity.
    pub remove: String,
    /// The row's key.
    pub key: Value,
    /// When the change happens, in epoch milliseconds (the row's `timestamp`, the events'
    /// `timestamp`) [default: one second after the previous step].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<i64>,
    /// Deliver every event of this step twice (SQS delivers at least once).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub duplicate: bool,
}

/// `external`: an event of the spec put on the bus by something outside the system.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ExternalStep {
    /// The event (usually one declared `external: true`).
    pub external: String,
    /// The payload: the event's current version.
    pub payload: Map<String, Value>,
    /// The EventBridge `Source` [default: the owning service, `cqrsgen.simulate` for
    /// external events].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The envelope `id` [default: `step-<n>`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The envelope `partitionKey` [default: the id].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_key: Option<String>,
    /// When the change happens, in epoch milliseconds (the row's `timestamp`, the events'
    /// `timestamp`) [default: one second after the previous step].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<i64>,
    /// Deliver every event of this step twice (SQS delivers at least once).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub duplicate: bool,
}

/// `hold`: the service's queue keeps what arrives until `release`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HoldStep {
    /// The service.
    pub hold: String,
}

/// `release`: the held queue is delivered, in the order asked for.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ReleaseStep {
    /// The service.
    pub release: String,
    /// The order the held messages are delivered in [default: `in-order`].
    #[serde(default)]
    pub order: Order,
    /// The seed of `shuffle` [default: 0].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

/// `down`: neither the service's trigger nor its listener runs until `up`. Its table still
/// changes (the stream keeps the records), and its queue fills up.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DownStep {
    /// The service.
    pub down: String,
}

/// `up`: the service runs again: its trigger publishes the waiting records, then its
/// listener drains its queue in the order asked for.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UpStep {
    /// The service.
    pub up: String,
    /// The order the queued messages are delivered in [default: `in-order`].
    #[serde(default)]
    pub order: Order,
    /// The seed of `shuffle` [default: 0].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

/// The order queued messages are delivered in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Order {
    /// As they arrived.
    #[default]
    InOrder,
    /// Newest first.
    Reverse,
    /// A random order, the same for the same `seed`.
    Shuffle,
}

/// The JSON Schema of the scenario format (draft 2020-12), as published in
/// `schemas/scenario.schema.json`.
pub fn json_schema() -> Value {
    schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<ScenarioFile>()
        .to_value()
}

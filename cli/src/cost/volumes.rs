//! The volumes file: how much traffic a system expects per month, and what is known of its
//! payloads and functions, exactly as written.
//!
//! These types are the single source of truth for the format: the JSON Schema published in
//! `schemas/volumes.schema.json` is derived from them, and a file is deserialized
//! into [`VolumesFile`] only after that schema accepted it. References to the spec (services,
//! entities, events, subscriptions, views, hooks) are checked against the resolved system by
//! [`super::check`].

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The version of the volumes format this build of cqrsgen reads.
pub const FORMAT_VERSION: u64 = 1;

/// A volumes file: expected traffic per month of one system, for `cqrsgen cost`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "cqrsgen volumes file")]
pub struct VolumesFile {
    /// Format version of this file. Always `1`.
    #[serde(rename = "cqrsgen-volumes")]
    #[schemars(range(min = 1, max = 1))]
    pub version: u64,
    /// What these volumes describe (a month after launch, the peak season, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Entity changes per month, by `<service>.<entity>` (e.g. `orders-bff.order`), per kind
    /// of change. Each change is one write to the entity table and one stream record for the
    /// service's trigger; the events it produces follow from the service's `publishes`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub changes: BTreeMap<String, ChangeVolumes>,
    /// Events per month, by event name. Replaces the count `changes` implies for that event;
    /// needed for events published on a field transition and for external events, whose
    /// counts do not follow from kinds of change.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub events: BTreeMap<String, u64>,
    /// The share of its event's occurrences a subscription's filter lets through, from 0 to
    /// 1, by `<service>/<event>` (e.g. `shipping/order-placed: 0.3`). Default 1: every event
    /// is delivered.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub filters: BTreeMap<String, PassRate>,
    /// Average sizes of payloads and items, in bytes.
    #[serde(default, skip_serializing_if = "Sizes::is_empty")]
    pub sizes: Sizes,
    /// Settings of the generated functions that the spec does not hold yet.
    #[serde(default, skip_serializing_if = "LambdaSettings::is_empty")]
    pub lambda: LambdaSettings,
    /// What the functions log.
    #[serde(default, skip_serializing_if = "LogSettings::is_empty")]
    pub logs: LogSettings,
    /// The event archive of the hub bus.
    #[serde(default, skip_serializing_if = "ArchiveSettings::is_empty")]
    pub archive: ArchiveSettings,
    /// What each call of a projection hook costs in DynamoDB request units, by
    /// `<service>/<hook>`. Hooks are your code, so cqrsgen cannot tell; without an entry a
    /// hook counts as free (and `cqrsgen cost` warns).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hooks: BTreeMap<String, HookCost>,
}

/// A share from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct PassRate(#[schemars(range(min = 0.0, max = 1.0))] pub f64);

/// Changes of one entity per month, by kind. The kinds do not overlap: `modify` counts
/// changes other than soft deletes and undeletes, as `when: modify` does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ChangeVolumes {
    /// New entities (stream `INSERT`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insert: Option<u64>,
    /// Changed entities (stream `MODIFY`), other than soft deletes and undeletes; this
    /// includes the changes that make a field transition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modify: Option<u64>,
    /// Removed entities (stream `REMOVE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remove: Option<u64>,
    /// Changes setting `deleted` to true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soft_delete: Option<u64>,
    /// Changes clearing `deleted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undelete: Option<u64>,
}

impl ChangeVolumes {
    /// All changes, every kind.
    pub fn total(&self) -> u64 {
        [
            self.insert,
            self.modify,
            self.remove,
            self.soft_delete,
            self.undelete,
        ]
        .into_iter()
        .flatten()
        .fold(0u64, u64::saturating_add)
    }
}

/// Average sizes, in bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Sizes {
    /// The envelope of each event, by event name, as the trigger writes it (the EventBridge
    /// `Detail` and the listener's SQS message body). Default: the envelope around the
    /// event's first example; 1024 bytes for an event without examples.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub events: BTreeMap<String, u64>,
    /// An item of the entity table, by `<service>.<entity>`. Default 1024 bytes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub entities: BTreeMap<String, u64>,
    /// A row of a view (with its bookkeeping attributes), by `<service>/<view>`. Default
    /// 1024 bytes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub views: BTreeMap<String, u64>,
}

impl Sizes {
    fn is_empty(&self) -> bool {
        self.events.is_empty() && self.entities.is_empty() && self.views.is_empty()
    }
}

/// Function settings, for all services and per service.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LambdaSettings {
    /// Every trigger (the function on an entity table's stream).
    #[serde(default, skip_serializing_if = "TriggerSettings::is_empty")]
    pub trigger: TriggerSettings,
    /// Every listener (the function on a service's listener queue).
    #[serde(default, skip_serializing_if = "ListenerSettings::is_empty")]
    pub listener: ListenerSettings,
    /// Settings of one service's functions, by service name; they win over the ones above.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub services: BTreeMap<String, ServiceLambda>,
}

impl LambdaSettings {
    fn is_empty(&self) -> bool {
        self.trigger.is_empty() && self.listener.is_empty() && self.services.is_empty()
    }
}

/// The functions of one service.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ServiceLambda {
    /// The service's trigger.
    #[serde(default, skip_serializing_if = "TriggerSettings::is_empty")]
    pub trigger: TriggerSettings,
    /// The service's listener.
    #[serde(default, skip_serializing_if = "ListenerSettings::is_empty")]
    pub listener: ListenerSettings,
}

/// Settings of a trigger; each one left out keeps its default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TriggerSettings {
    /// Memory of the function, in MB (Lambda allows 128 to 10240).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 128, max = 10240))]
    pub memory_mb: Option<u32>,
    /// Billed duration of one invocation (one batch), in milliseconds: measure it (the
    /// function's `Duration` metric) and write it here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 900000))]
    pub duration_ms: Option<u32>,
    /// Stream records per batch at most (the event source mapping's `BatchSize`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 10000))]
    pub batch_size: Option<u32>,
    /// Stream records per invocation on average [default: `batch-size`, full batches]. At
    /// low rates batches are smaller than the batch size, and invocations more numerous.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1.0))]
    pub average_batch: Option<f64>,
}

impl TriggerSettings {
    fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Settings of a listener; each one left out keeps its default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ListenerSettings {
    /// Memory of the function, in MB (Lambda allows 128 to 10240).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 128, max = 10240))]
    pub memory_mb: Option<u32>,
    /// Billed duration of one invocation (one batch), in milliseconds: measure it (the
    /// function's `Duration` metric) and write it here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 900000))]
    pub duration_ms: Option<u32>,
    /// Messages per batch at most (the event source mapping's `BatchSize`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 10000))]
    pub batch_size: Option<u32>,
    /// Messages per invocation on average [default: `batch-size`, full batches]. At low
    /// rates the event source mapping invokes with fewer messages than the batch size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1.0))]
    pub average_batch: Option<f64>,
    /// Pollers long-polling the idle queue, each with an empty `ReceiveMessage` every 20
    /// seconds (Lambda keeps 2 to 5 at low traffic); 0 leaves idle polling out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = 1000))]
    pub idle_pollers: Option<u32>,
}

impl ListenerSettings {
    fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// What the functions log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LogSettings {
    /// Bytes ingested into CloudWatch Logs per invocation, Lambda's own `START`, `END` and
    /// `REPORT` lines included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes_per_invocation: Option<u64>,
}

impl LogSettings {
    fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The hub's event archive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ArchiveSettings {
    /// Days the archive keeps events (the hub template's `ArchiveRetentionDays`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 36500))]
    pub retention_days: Option<u32>,
}

impl ArchiveSettings {
    fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// DynamoDB request units one call of a projection hook consumes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HookCost {
    /// Read request units per call.
    #[serde(default)]
    #[schemars(range(min = 0.0))]
    pub read_units: f64,
    /// Write request units per call.
    #[serde(default)]
    #[schemars(range(min = 0.0))]
    pub write_units: f64,
}

/// The JSON Schema of the volumes format (draft 2020-12).
pub fn json_schema() -> serde_json::Value {
    schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<VolumesFile>()
        .to_value()
}

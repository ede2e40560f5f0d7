//! The cost model: from a resolved system, its volumes and a price table to line items per
//! service (every formula is written out in `docs/cost.md`).
//!
//! Quantities are monthly averages and stay fractional (a tenth of a batch is a tenth of an
//! invocation), so the variable part of the estimate is linear in the volumes. Sizes are
//! rounded up per item, as AWS bills them: each event or request in 64 KB chunks, each
//! DynamoDB write in 1 KB units.

use std::collections::BTreeMap;

use serde::Serialize;

use super::check::{Volumes, hooks_of};
use super::defaults::{self, Function};
use super::prices::PriceTable;
use crate::ir::deploy::Architecture;
use crate::ir::{EntityId, EventId, Producer, ProjectionKind, ServiceId, System, When};

/// Bytes in a billing chunk of EventBridge events and SQS requests.
pub const CHUNK_BYTES: u64 = 64 * 1024;
/// Bytes per DynamoDB write request unit.
pub const WRITE_UNIT_BYTES: u64 = 1024;
/// Bytes in a GB, as AWS bills data (2^30).
pub const GB: f64 = 1_073_741_824.0;
/// Seconds in a month, as AWS prices monthly quantities (730 hours).
pub const MONTH_SECONDS: f64 = 730.0 * 3600.0;
/// Days in a month (365 / 12).
pub const MONTH_DAYS: f64 = 365.0 / 12.0;
/// Seconds an idle poller waits in one `ReceiveMessage` (the SQS long-polling maximum).
pub const LONG_POLL_SECONDS: f64 = 20.0;

/// An AWS service: a column of the estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Aws {
    /// Amazon EventBridge.
    EventBridge,
    /// Amazon SQS.
    Sqs,
    /// AWS Lambda.
    Lambda,
    /// Amazon DynamoDB (tables and streams).
    DynamoDb,
    /// Amazon CloudWatch (logs and alarms).
    CloudWatch,
}

impl Aws {
    /// Every column, in table order.
    pub const ALL: [Aws; 5] = [
        Aws::EventBridge,
        Aws::Sqs,
        Aws::Lambda,
        Aws::DynamoDb,
        Aws::CloudWatch,
    ];

    /// The service's name as AWS writes it.
    pub fn name(self) -> &'static str {
        match self {
            Aws::EventBridge => "EventBridge",
            Aws::Sqs => "SQS",
            Aws::Lambda => "Lambda",
            Aws::DynamoDb => "DynamoDB",
            Aws::CloudWatch => "CloudWatch",
        }
    }
}

/// One priced quantity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineItem {
    /// The AWS service billing it.
    pub aws: Aws,
    /// A stable key of what is counted (`eventbridge-events`, `sqs-receive`, ...; see
    /// `docs/cost.md`).
    pub item: &'static str,
    /// What is counted, in words.
    pub description: String,
    /// How many units a month.
    pub quantity: f64,
    /// The unit (`events`, `requests`, `GB-seconds`, `WRU`, ...).
    pub unit: &'static str,
    /// Price per unit.
    pub unit_price: f64,
    /// `quantity × unit_price`.
    pub cost: f64,
    /// Whether it is independent of the volumes (alarms, idle polling).
    pub fixed: bool,
}

impl LineItem {
    fn new(
        aws: Aws,
        item: &'static str,
        description: String,
        quantity: f64,
        unit: &'static str,
        unit_price: f64,
    ) -> Self {
        LineItem {
            aws,
            item,
            description,
            quantity,
            unit,
            unit_price,
            cost: quantity * unit_price,
            fixed: false,
        }
    }

    fn fixed(mut self) -> Self {
        self.fixed = true;
        self
    }
}

/// Who a row of the estimate is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RowKind {
    /// A service of the system.
    Service,
    /// The hub: the bus and its archive.
    Hub,
    /// Producers outside the system, putting external events on the bus.
    External,
}

/// The line items of one service (or of the hub, or of external producers).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// The service's name, `hub` or `external`.
    pub name: String,
    /// What the row is for.
    pub kind: RowKind,
    /// Its line items.
    pub items: Vec<LineItem>,
}

impl Row {
    /// The row's monthly cost.
    pub fn total(&self) -> f64 {
        self.items.iter().map(|i| i.cost).sum()
    }

    /// The row's monthly cost in one AWS service.
    pub fn cost_of(&self, aws: Aws) -> f64 {
        self.items
            .iter()
            .filter(|i| i.aws == aws)
            .map(|i| i.cost)
            .sum()
    }
}

/// Which prices an estimate used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceSource {
    /// The region of the prices.
    pub region: String,
    /// The day they were read.
    pub date: String,
    /// Their currency.
    pub currency: String,
    /// `built-in` or the path of the `--prices` file.
    pub table: String,
}

/// A monthly estimate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// The system's name.
    pub system: String,
    /// The prices used.
    pub prices: PriceSource,
    /// Whether the free tiers were deducted.
    pub free_tier: bool,
    /// One row per service that costs anything, in name order, then the hub, then external
    /// producers.
    pub rows: Vec<Row>,
    /// The free tier deductions (negative costs), with `--free-tier`.
    pub free_tier_credits: Vec<LineItem>,
    /// What the estimate assumes, in words.
    pub assumptions: Vec<String>,
}

impl Estimate {
    /// The monthly total, free tiers deducted when asked for.
    pub fn total(&self) -> f64 {
        self.rows.iter().map(Row::total).sum::<f64>()
            + self.free_tier_credits.iter().map(|i| i.cost).sum::<f64>()
    }

    /// The part that is independent of the volumes (before free tiers).
    pub fn fixed(&self) -> f64 {
        self.items().filter(|i| i.fixed).map(|i| i.cost).sum()
    }

    /// The part that grows with the volumes (before free tiers).
    pub fn variable(&self) -> f64 {
        self.items().filter(|i| !i.fixed).map(|i| i.cost).sum()
    }

    /// The monthly cost in one AWS service, free tiers deducted when asked for.
    pub fn cost_of(&self, aws: Aws) -> f64 {
        self.rows.iter().map(|r| r.cost_of(aws)).sum::<f64>()
            + self
                .free_tier_credits
                .iter()
                .filter(|i| i.aws == aws)
                .map(|i| i.cost)
                .sum::<f64>()
    }

    /// Every line item of every row.
    pub fn items(&self) -> impl Iterator<Item = &LineItem> {
        self.rows.iter().flat_map(|r| &r.items)
    }

    /// The row named `name`.
    pub fn row(&self, name: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.name == name)
    }
}

/// Options of an estimate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Deduct the free tiers.
    pub free_tier: bool,
    /// `built-in` or the path of the price table.
    pub table: String,
}

/// What the model works out per event before pricing.
struct EventFlow {
    /// Occurrences per month.
    count: f64,
    /// Envelope bytes (the SQS message body).
    bytes: u64,
    /// Bytes of the PutEvents entry: `Source`, `DetailType` and `Detail`.
    entry_bytes: u64,
}

/// Estimates the monthly cost of `system` under `volumes` at `table`'s prices.
pub fn estimate(
    system: &System,
    volumes: &Volumes,
    table: &PriceTable,
    options: &Options,
) -> Estimate {
    let p = &table.prices;
    let per_million = |price: f64| price / 1_000_000.0;
    let mut assumptions = Vec::new();
    let flows = event_flows(system, volumes, &table.region, &mut assumptions);
    let deployment = &volumes.deployment;

    let mut rows: Vec<Row> = Vec::new();
    let mut external = Row {
        name: "external".into(),
        kind: RowKind::External,
        items: Vec::new(),
    };
    let mut hub = Row {
        name: "hub".into(),
        kind: RowKind::Hub,
        items: Vec::new(),
    };

    // The bus: every event put on it, by its producer; every event archived, by the hub.
    let mut archived_bytes = 0.0;
    let mut published: BTreeMap<Option<ServiceId>, f64> = BTreeMap::new();
    for (id, flow) in &flows {
        let chunks = flow.entry_bytes.div_ceil(CHUNK_BYTES) as f64;
        let producer = match system.events[*id].producer {
            Producer::Service(service) => Some(service),
            Producer::External => None,
        };
        *published.entry(producer).or_default() += flow.count * chunks;
        archived_bytes += flow.count * flow.entry_bytes as f64;
    }
    if let Some(&events) = published.get(&None) {
        external.items.push(LineItem::new(
            Aws::EventBridge,
            "eventbridge-events",
            "external events put on the bus (64 KB chunks)".into(),
            events,
            "events",
            per_million(p.eventbridge_events_per_million),
        ));
    }
    let archived_gb = archived_bytes / GB;
    hub.items.push(LineItem::new(
        Aws::EventBridge,
        "eventbridge-archive",
        "events processed into the archive".into(),
        archived_gb,
        "GB",
        p.eventbridge_archive_per_gb,
    ));
    let retention = f64::from(deployment.archive_retention_days);
    hub.items.push(LineItem::new(
        Aws::EventBridge,
        "eventbridge-archive-storage",
        format!(
            "archived events stored, at steady state ({} days kept)",
            deployment.archive_retention_days
        ),
        archived_gb * retention / MONTH_DAYS,
        "GB-months",
        p.eventbridge_archive_storage_per_gb_month,
    ));

    for (service_id, service) in system.services.iter() {
        let mut items = Vec::new();
        if let Some(&events) = published.get(&Some(service_id)) {
            items.push(LineItem::new(
                Aws::EventBridge,
                "eventbridge-events",
                "events put on the bus by the trigger (64 KB chunks)".into(),
                events,
                "events",
                per_million(p.eventbridge_events_per_million),
            ));
        }
        // The command side: every change is a write to the entity table.
        let mut records = 0.0;
        let mut entity_units = 0.0;
        for (entity_id, _) in system.entities_of(service_id) {
            let changes = entity_records(system, volumes, &flows, entity_id);
            let bytes = volumes
                .entity_bytes
                .get(&entity_id)
                .copied()
                .unwrap_or(defaults::ITEM_BYTES);
            records += changes;
            entity_units += changes * bytes.div_ceil(WRITE_UNIT_BYTES) as f64;
        }
        if !service.entities.is_empty() {
            items.push(LineItem::new(
                Aws::DynamoDb,
                "dynamodb-entity-writes",
                "entity writes by the service (1 KB write units)".into(),
                entity_units,
                "WRU",
                per_million(p.dynamodb_write_units_per_million),
            ));
        }
        // The trigger.
        if !service.entities.is_empty() && service.is_upstream() {
            let trigger = deployment.trigger(service_id);
            items.push(LineItem::new(
                Aws::DynamoDb,
                "dynamodb-stream-reads",
                "stream records read by the trigger (GetRecords by a Lambda trigger: free)".into(),
                records,
                "records",
                0.0,
            ));
            function_items(
                &mut items,
                "trigger",
                trigger,
                records,
                deployment.log_bytes_per_invocation,
                p,
            );
            items.push(
                LineItem::new(
                    Aws::CloudWatch,
                    "alarms",
                    "dead-letter queue alarm of the trigger".into(),
                    f64::from(defaults::TRIGGER_ALARMS),
                    "alarms",
                    p.alarm_per_month,
                )
                .fixed(),
            );
        }
        // The listener.
        if !service.subscriptions.is_empty() {
            let listener = deployment.listener(service_id);
            let mut messages = 0.0;
            let mut message_bytes = 0.0;
            let mut sends = 0.0;
            let mut view_units = 0.0;
            let mut index_units = 0.0;
            let mut hook_writes = 0.0;
            let mut hook_reads = 0.0;
            for subscription in &service.subscriptions {
                let Some(flow) = flows.get(&subscription.event) else {
                    continue;
                };
                let rate = volumes
                    .filters
                    .get(&(service_id, subscription.event))
                    .copied()
                    .unwrap_or(1.0);
                let delivered = flow.count * rate;
                messages += delivered;
                message_bytes += delivered * flow.bytes as f64;
                sends += delivered * flow.bytes.div_ceil(CHUNK_BYTES) as f64;
                for (view_id, view) in system.views_of(service_id) {
                    for projection in view
                        .projections
                        .iter()
                        .filter(|p| p.event == subscription.event)
                    {
                        match &projection.kind {
                            ProjectionKind::Upsert(_) | ProjectionKind::Delete(_) => {
                                let bytes = volumes
                                    .view_bytes
                                    .get(&view_id)
                                    .copied()
                                    .unwrap_or(defaults::ITEM_BYTES);
                                let units = bytes.div_ceil(WRITE_UNIT_BYTES) as f64;
                                view_units += delivered * units;
                                index_units += delivered * units * view.indexes.len() as f64;
                            }
                            ProjectionKind::Hook(hook) => {
                                let cost = volumes
                                    .hooks
                                    .get(&(service_id, hook.name.clone()))
                                    .copied()
                                    .unwrap_or_default();
                                hook_writes += delivered * cost.write_units;
                                hook_reads += delivered * cost.read_units;
                            }
                        }
                    }
                }
            }
            let sqs = per_million(p.sqs_requests_per_million);
            items.push(LineItem::new(
                Aws::Sqs,
                "sqs-send",
                "messages the rules send to the listener queue (64 KB chunks)".into(),
                sends,
                "requests",
                sqs,
            ));
            let batches = messages / listener.average_batch;
            let average_bytes = if messages > 0.0 {
                message_bytes / messages
            } else {
                0.0
            };
            // One receive returns a batch; its payload is billed in 64 KB chunks.
            let batch_bytes = (listener.average_batch * average_bytes).ceil() as u64;
            let receive_chunks = batch_bytes.div_ceil(CHUNK_BYTES).max(1) as f64;
            items.push(LineItem::new(
                Aws::Sqs,
                "sqs-receive",
                format!(
                    "ReceiveMessage calls returning a batch ({} messages on average)",
                    fmt_number(listener.average_batch)
                ),
                batches * receive_chunks,
                "requests",
                sqs,
            ));
            items.push(LineItem::new(
                Aws::Sqs,
                "sqs-delete",
                "DeleteMessageBatch calls, one per batch".into(),
                batches,
                "requests",
                sqs,
            ));
            items.push(
                LineItem::new(
                    Aws::Sqs,
                    "sqs-idle-receive",
                    format!(
                        "empty long-poll receives of {} idle pollers (one per {} s each)",
                        listener.idle_pollers, LONG_POLL_SECONDS
                    ),
                    f64::from(listener.idle_pollers) * MONTH_SECONDS / LONG_POLL_SECONDS,
                    "requests",
                    sqs,
                )
                .fixed(),
            );
            function_items(
                &mut items,
                "listener",
                listener,
                messages,
                deployment.log_bytes_per_invocation,
                p,
            );
            let write_unit = per_million(p.dynamodb_write_units_per_million);
            items.push(LineItem::new(
                Aws::DynamoDb,
                "dynamodb-view-writes",
                "conditional view writes, one per view per event (1 KB write units)".into(),
                view_units,
                "WRU",
                write_unit,
            ));
            if index_units > 0.0 {
                items.push(LineItem::new(
                    Aws::DynamoDb,
                    "dynamodb-index-writes",
                    "the same writes to the views' global secondary indexes".into(),
                    index_units,
                    "WRU",
                    write_unit,
                ));
            }
            if !hooks_of(system, service_id).is_empty() {
                items.push(LineItem::new(
                    Aws::DynamoDb,
                    "dynamodb-hook-writes",
                    "writes of projection hooks (as given in `hooks`)".into(),
                    hook_writes,
                    "WRU",
                    write_unit,
                ));
                items.push(LineItem::new(
                    Aws::DynamoDb,
                    "dynamodb-hook-reads",
                    "reads of projection hooks (as given in `hooks`)".into(),
                    hook_reads,
                    "RRU",
                    per_million(p.dynamodb_read_units_per_million),
                ));
            }
            items.push(
                LineItem::new(
                    Aws::CloudWatch,
                    "alarms",
                    "dead-letter queue alarms of the listener queue and the rules".into(),
                    f64::from(defaults::LISTENER_ALARMS),
                    "alarms",
                    p.alarm_per_month,
                )
                .fixed(),
            );
        }
        if !items.is_empty() {
            rows.push(Row {
                name: service.name.clone(),
                kind: RowKind::Service,
                items,
            });
        }
    }
    rows.push(hub);
    if !external.items.is_empty() {
        rows.push(external);
    }

    let free_tier_credits = if options.free_tier {
        free_tier(&rows, table)
    } else {
        Vec::new()
    };
    assumptions.extend(standing_assumptions(deployment));
    Estimate {
        system: system.name.clone(),
        prices: PriceSource {
            region: table.region.clone(),
            date: table.date.clone(),
            currency: table.currency.clone(),
            table: options.table.clone(),
        },
        free_tier: options.free_tier,
        rows,
        free_tier_credits,
        assumptions,
    }
}

/// The Lambda and CloudWatch Logs items of a function handling `units` records or messages
/// a month.
fn function_items(
    items: &mut Vec<LineItem>,
    kind: &'static str,
    function: &Function,
    units: f64,
    log_bytes: u64,
    p: &super::prices::Prices,
) {
    let invocations = units / function.average_batch;
    let (requests, duration, logs) = match kind {
        "trigger" => (
            "lambda-trigger-requests",
            "lambda-trigger-duration",
            "logs-trigger",
        ),
        _ => (
            "lambda-listener-requests",
            "lambda-listener-duration",
            "logs-listener",
        ),
    };
    items.push(LineItem::new(
        Aws::Lambda,
        requests,
        format!(
            "{kind} invocations ({} per batch on average)",
            fmt_number(function.average_batch)
        ),
        invocations,
        "requests",
        p.lambda_requests_per_million / 1_000_000.0,
    ));
    let gb_seconds = invocations * f64::from(function.memory_mb) / 1024.0
        * f64::from(function.duration_ms)
        / 1000.0;
    items.push(LineItem::new(
        Aws::Lambda,
        duration,
        format!(
            "{kind} duration ({} MB, {} ms per invocation, {})",
            function.memory_mb,
            function.duration_ms,
            function.architecture.as_str()
        ),
        gb_seconds,
        "GB-seconds",
        match function.architecture {
            Architecture::Arm64 => p.lambda_arm64_per_gb_second,
            Architecture::X86_64 => p.lambda_x86_64_per_gb_second,
        },
    ));
    items.push(LineItem::new(
        Aws::CloudWatch,
        logs,
        format!("{kind} logs ingested ({log_bytes} bytes per invocation)"),
        invocations * log_bytes as f64 / GB,
        "GB",
        p.logs_ingestion_per_gb,
    ));
}

/// The free tier deductions: per unit that has a free tier, the part of the system's total
/// quantity the free tier covers, at its price, as a negative cost.
fn free_tier(rows: &[Row], table: &PriceTable) -> Vec<LineItem> {
    let free = &table.free_tier;
    let sum = |keys: &[&str]| -> (f64, f64) {
        let mut quantity = 0.0;
        let mut price = 0.0;
        for item in rows.iter().flat_map(|r| &r.items) {
            if keys.contains(&item.item) {
                quantity += item.quantity;
                price = item.unit_price;
            }
        }
        (quantity, price)
    };
    let mut credits = Vec::new();
    let mut credit = |aws, item, description: &str, keys: &[&str], allowance: f64, unit| {
        let (quantity, price) = sum(keys);
        let covered = quantity.min(allowance);
        if covered > 0.0 {
            credits.push(LineItem::new(
                aws,
                item,
                description.to_owned(),
                -covered,
                unit,
                price,
            ));
        }
    };
    credit(
        Aws::Lambda,
        "free-lambda-requests",
        "Lambda free tier: invocations",
        &["lambda-trigger-requests", "lambda-listener-requests"],
        free.lambda_requests,
        "requests",
    );
    credit(
        Aws::Lambda,
        "free-lambda-duration",
        "Lambda free tier: GB-seconds",
        &["lambda-trigger-duration", "lambda-listener-duration"],
        free.lambda_gb_seconds,
        "GB-seconds",
    );
    credit(
        Aws::Sqs,
        "free-sqs-requests",
        "SQS free tier: requests",
        &["sqs-send", "sqs-receive", "sqs-delete", "sqs-idle-receive"],
        free.sqs_requests,
        "requests",
    );
    credit(
        Aws::CloudWatch,
        "free-logs",
        "CloudWatch Logs free tier: GB ingested",
        &["logs-trigger", "logs-listener"],
        free.logs_ingestion_gb,
        "GB",
    );
    credit(
        Aws::CloudWatch,
        "free-alarms",
        "CloudWatch free tier: alarms",
        &["alarms"],
        free.alarms,
        "alarms",
    );
    credits
}

/// Counts and sizes of every event.
fn event_flows(
    system: &System,
    volumes: &Volumes,
    region: &str,
    assumptions: &mut Vec<String>,
) -> BTreeMap<EventId, EventFlow> {
    let mut flows = BTreeMap::new();
    for (id, event) in system.events.iter() {
        let count = match volumes.events.get(&id) {
            Some(&count) => count as f64,
            None => derived_count(system, volumes, id),
        };
        let bytes = match volumes.event_bytes.get(&id) {
            Some(&bytes) => bytes,
            None => match event.current().examples.first() {
                Some(payload) => {
                    let envelope =
                        crate::asyncapi::envelope::example(system, event, payload, 0, region);
                    let bytes = serde_json::to_string(&envelope).map_or(0, |s| s.len()) as u64;
                    if count > 0.0 {
                        assumptions.push(format!(
                            "`{}` events are {bytes} bytes: the envelope around its first example",
                            event.name
                        ));
                    }
                    bytes
                }
                None => {
                    if count > 0.0 {
                        assumptions.push(format!(
                            "`{}` events are {} bytes: it has no example to measure",
                            event.name,
                            defaults::EVENT_BYTES
                        ));
                    }
                    defaults::EVENT_BYTES
                }
            },
        };
        let source = event.source(system).unwrap_or_default().len() as u64;
        flows.insert(
            id,
            EventFlow {
                count,
                bytes,
                entry_bytes: source + event.name.len() as u64 + bytes,
            },
        );
    }
    flows
}

/// The count of `event` that the entity changes imply: per publication rule, the changes of
/// its kind (transitions imply none).
fn derived_count(system: &System, volumes: &Volumes, event: EventId) -> f64 {
    let Producer::Service(owner) = system.events[event].producer else {
        return 0.0;
    };
    system.services[owner]
        .publishes
        .iter()
        .filter(|p| p.event == event)
        .map(|p| {
            let Some(changes) = volumes.changes.get(&p.entity) else {
                return 0.0;
            };
            let kind = match p.when {
                When::Insert => changes.insert,
                When::Modify => changes.modify,
                When::Remove => changes.remove,
                When::SoftDelete => changes.soft_delete,
                When::Undelete => changes.undelete,
                When::Transition(_) => None,
            };
            kind.unwrap_or(0) as f64
        })
        .sum()
}

/// The stream records (and entity writes) of `entity` a month: the changes the volumes file
/// gives for it; else one per event its publications produce (an upper bound when one change
/// produces several events).
fn entity_records(
    system: &System,
    volumes: &Volumes,
    flows: &BTreeMap<EventId, EventFlow>,
    entity: EntityId,
) -> f64 {
    if let Some(changes) = volumes.changes.get(&entity) {
        return changes.total() as f64;
    }
    let service = system.entities[entity].service;
    let mut events: Vec<EventId> = system.services[service]
        .publishes
        .iter()
        .filter(|p| p.entity == entity)
        .map(|p| p.event)
        .collect();
    events.sort();
    events.dedup();
    events
        .iter()
        .filter_map(|e| flows.get(e))
        .map(|f| f.count)
        .sum()
}

/// What every estimate assumes.
fn standing_assumptions(deployment: &super::defaults::Deployment) -> Vec<String> {
    vec![
        "monthly volumes are averages; quantities are not rounded to whole batches".into(),
        "the listener applies an event with one conditional UpdateItem per view (the common \
         case: no duplicate, no older event); retries, duplicates and the read-then-write \
         path of out-of-order events are not counted"
            .into(),
        "each index write costs what the table write costs (indexes project all attributes, and \
         index keys do not change)"
            .into(),
        format!(
            "idle polling: each listener queue's pollers issue an empty 20-second long poll all \
             month ({} seconds), an upper bound that overlaps busy periods",
            MONTH_SECONDS
        ),
        format!(
            "the archive keeps {} days of events (steady state after that long)",
            deployment.archive_retention_days
        ),
        "not counted: storage (tables, point-in-time recovery, logs), data transfer, the \
         command side's reads, KMS (all keys are AWS owned or managed)"
            .into(),
    ]
}

/// A number with up to two decimals, without trailing zeros.
pub(crate) fn fmt_number(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

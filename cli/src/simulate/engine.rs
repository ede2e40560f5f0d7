//! The interpreter: checked scenario steps through the spec's `publishes` rules, the rules'
//! EventBridge patterns and the views' projections, without generated code and without AWS.
//!
//! - A change of a row is a stream record. Latched rows are skipped; every `publishes` rule of
//!   the entity is tried in the spec's order, as the generated trigger does, and each one that
//!   fires produces an event whose id is the record's (`step-<n>`), then `<id>.<k>` for the
//!   k-th further event of the record, with `sequence` k.
//! - Each event is matched against the pattern of every subscription to it
//!   ([`crate::eventbridge::matches`]); a delivered event goes into the subscriber's queue.
//! - A queue is drained after every step unless it is held or its service is down. Applying
//!   an event runs every projection of the service's views for it; upserts and deletes go
//!   through [`cqrsgen_events::merge::plan`], the rule every view store applies, with the
//!   event's [`Version`]. Hooks are user code: they are reported, not run.

use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

use cqrsgen_events::merge::{RowMeta, WriteKind, plan};
use cqrsgen_events::{Envelope, Version, serialize_envelope};
use serde::Serialize;
use serde_json::{Map, Value};

use super::compile::{Action, Change, ChangeKind, External, Reorder, Scenario};
use super::scenario::Order;
use crate::eventbridge::matches;
use crate::ir::{
    EventId, Literal, Meta, ProjectionKind, Publish, ServiceId, Source, System, ViewId, When,
};

/// Attributes a view store manages itself.
pub const TIMESTAMP: &str = "timestamp";
/// The attribute marking a deleted row.
pub const DELETED: &str = "deleted";
/// The attribute marking a row written by a listener.
pub const LATCHED: &str = "latched";

/// One event on the bus.
#[derive(Debug)]
pub struct BusEvent {
    /// The event of the spec.
    pub event: EventId,
    /// The envelope id.
    pub id: String,
    /// Its place in the order of views.
    pub version: Version,
    /// The EventBridge event: `source`, `detail-type` and `detail` (the envelope).
    pub entry: Value,
}

impl BusEvent {
    /// The envelope.
    pub fn envelope(&self) -> &Value {
        &self.entry["detail"]
    }
}

/// What happened, in order.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Entry {
    /// A step changed an entity row.
    Change {
        /// The step, from 1.
        step: usize,
        /// The service owning the table.
        service: String,
        /// The entity.
        entity: String,
        /// The kind of change.
        change: ChangeKind,
        /// The row's key.
        key: String,
        /// Its time.
        at: i64,
    },
    /// The record of a change waits in the stream: the service's trigger is down.
    Waiting {
        /// The step of the change.
        step: usize,
        /// The service.
        service: String,
    },
    /// A trigger that was down reads a record that waited in the stream.
    Replayed {
        /// The step of the change.
        step: usize,
        /// The service.
        service: String,
    },
    /// The trigger skipped a record.
    Skipped {
        /// The step of the change.
        step: usize,
        /// Why.
        reason: String,
    },
    /// A change matched no `publishes` rule.
    NoEvent {
        /// The step of the change.
        step: usize,
    },
    /// A step put an event on the bus from outside.
    External {
        /// The step, from 1.
        step: usize,
        /// The event.
        event: String,
        /// The EventBridge `Source`.
        source: String,
        /// Its time.
        at: i64,
    },
    /// An event went onto the bus.
    Published {
        /// The envelope id.
        id: String,
        /// The event.
        event: String,
        /// Its position among the events of its change.
        sequence: u32,
        /// Its time.
        timestamp: i64,
    },
    /// A subscription's rule decided about an event.
    Routed {
        /// The envelope id.
        id: String,
        /// The subscribing service.
        service: String,
        /// Whether the rule matched.
        delivered: bool,
        /// The condition that failed, when it did not.
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// How many copies went into the queue (2 for a duplicated delivery).
        #[serde(skip_serializing_if = "is_zero")]
        copies: usize,
        /// The queue is held or its service down: the event waits.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        waits: bool,
    },
    /// No service subscribes to an event.
    NoSubscriber {
        /// The envelope id.
        id: String,
    },
    /// A listener applied an event to its views.
    Applied {
        /// The service.
        service: String,
        /// The envelope id.
        id: String,
        /// The event.
        event: String,
        /// What each projection did.
        writes: Vec<WriteTrace>,
    },
    /// A perturbation step.
    Perturbation {
        /// The step, from 1.
        step: usize,
        /// `hold`, `release`, `down` or `up`.
        action: &'static str,
        /// The service.
        service: String,
        /// For `release` and `up`: the order of delivery.
        #[serde(skip_serializing_if = "Option::is_none")]
        order: Option<String>,
        /// For `release` and `up`: the messages waiting.
        #[serde(skip_serializing_if = "Option::is_none")]
        queued: Option<usize>,
    },
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// What one projection did with one event.
#[derive(Debug, Clone, Serialize)]
pub struct WriteTrace {
    /// The view.
    pub view: String,
    /// `upsert`, `delete` or `hook`.
    pub operation: &'static str,
    /// The row's key, as text (none for a hook).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// `applied`, `stale`, `not-simulated` or `failed`.
    pub outcome: &'static str,
    /// Why, in words.
    pub detail: String,
}

/// A key value of a view row: what the stores accept.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyValue {
    /// A string.
    String(String),
    /// An integer.
    Integer(i64),
}

impl KeyValue {
    fn of(value: &Value) -> Option<Self> {
        match value {
            Value::String(s) => Some(KeyValue::String(s.clone())),
            Value::Number(n) => n.as_i64().map(KeyValue::Integer),
            _ => None,
        }
    }

    fn to_json(&self) -> Value {
        match self {
            KeyValue::String(s) => Value::from(s.as_str()),
            KeyValue::Integer(i) => Value::from(*i),
        }
    }
}

impl std::fmt::Display for KeyValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyValue::String(s) => f.write_str(s),
            KeyValue::Integer(i) => write!(f, "{i}"),
        }
    }
}

/// The key of a view row: partition and sort value.
pub type RowKey = (KeyValue, Option<KeyValue>);

/// A stored view row: its attributes (key, fields, `timestamp`, `latched`, `deleted`) and
/// the versions that decide which writes apply.
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// The attributes, as the in-memory store keeps them.
    pub values: Map<String, Value>,
    /// The versions.
    pub meta: RowMeta,
}

impl Row {
    /// Whether the row is a tombstone.
    pub fn is_deleted(&self) -> bool {
        self.values.get(DELETED) == Some(&Value::Bool(true))
    }
}

/// The result of a run: the trace and every view's rows.
#[derive(Debug)]
pub struct Outcome {
    /// What happened.
    pub trace: Vec<Entry>,
    /// Rows of every view (tombstones included), by view.
    pub views: Vec<BTreeMap<RowKey, Row>>,
}

/// A stream record waiting for its service's trigger.
#[derive(Debug)]
struct Record {
    step: usize,
    change: Change,
}

struct Engine<'a> {
    system: &'a System,
    /// `publishes` rules by entity.
    rules: Vec<Vec<&'a Publish>>,
    queues: Vec<VecDeque<Rc<BusEvent>>>,
    held: Vec<bool>,
    down: Vec<bool>,
    stream: Vec<Vec<Record>>,
    views: Vec<BTreeMap<RowKey, Row>>,
    trace: Vec<Entry>,
}

/// Runs `scenario` against `system`.
pub fn run(system: &System, scenario: &Scenario) -> Outcome {
    let services = system.services.len();
    let mut rules = vec![Vec::new(); system.entities.len()];
    for service in system.services.values() {
        for publish in &service.publishes {
            rules[publish.entity.index()].push(publish);
        }
    }
    let mut engine = Engine {
        system,
        rules,
        queues: vec![VecDeque::new(); services],
        held: vec![false; services],
        down: vec![false; services],
        stream: (0..services).map(|_| Vec::new()).collect(),
        views: vec![BTreeMap::new(); system.views.len()],
        trace: Vec::new(),
    };
    for step in &scenario.steps {
        engine.step(step.index + 1, &step.action);
        engine.drain();
    }
    Outcome {
        trace: engine.trace,
        views: engine.views,
    }
}

use crate::ir::Id as _;

impl Engine<'_> {
    fn service_name(&self, id: ServiceId) -> String {
        self.system.services[id].name.clone()
    }

    fn step(&mut self, step: usize, action: &Action) {
        match action {
            Action::Change(change) => {
                let entity = &self.system.entities[change.entity];
                self.trace.push(Entry::Change {
                    step,
                    service: self.service_name(change.service),
                    entity: entity.name.clone(),
                    change: change.kind,
                    key: change.key.clone(),
                    at: change.at,
                });
                if self.down[change.service.index()] {
                    self.trace.push(Entry::Waiting {
                        step,
                        service: self.service_name(change.service),
                    });
                    self.stream[change.service.index()].push(Record {
                        step,
                        change: change.clone(),
                    });
                } else {
                    self.trigger(step, change);
                }
            }
            Action::External(external) => self.external(step, external),
            Action::Hold(service) => {
                self.held[service.index()] = true;
                self.perturbation(step, "hold", *service, None);
            }
            Action::Down(service) => {
                self.down[service.index()] = true;
                self.perturbation(step, "down", *service, None);
            }
            Action::Release(service, reorder) => {
                self.held[service.index()] = false;
                self.perturbation(step, "release", *service, Some(*reorder));
                self.reorder(*service, *reorder);
            }
            Action::Up(service, reorder) => {
                self.down[service.index()] = false;
                self.perturbation(step, "up", *service, Some(*reorder));
                let waiting = std::mem::take(&mut self.stream[service.index()]);
                for record in waiting {
                    self.trace.push(Entry::Replayed {
                        step: record.step,
                        service: self.service_name(*service),
                    });
                    self.trigger(record.step, &record.change);
                }
                self.reorder(*service, *reorder);
            }
        }
    }

    fn perturbation(
        &mut self,
        step: usize,
        action: &'static str,
        service: ServiceId,
        reorder: Option<Reorder>,
    ) {
        let order = reorder.map(|r| match r.order {
            Order::InOrder => "in order".to_owned(),
            Order::Reverse => "reversed".to_owned(),
            Order::Shuffle => format!("shuffled with seed {}", r.seed),
        });
        let queued = reorder.map(|_| self.queues[service.index()].len());
        self.trace.push(Entry::Perturbation {
            step,
            action,
            service: self.service_name(service),
            order,
            queued,
        });
    }

    fn reorder(&mut self, service: ServiceId, reorder: Reorder) {
        let queue = &mut self.queues[service.index()];
        match reorder.order {
            Order::InOrder => {}
            Order::Reverse => queue.make_contiguous().reverse(),
            Order::Shuffle => shuffle(queue.make_contiguous(), reorder.seed),
        }
    }

    /// The trigger of the change's service, for one stream record.
    fn trigger(&mut self, step: usize, change: &Change) {
        let current = change.new.as_ref().or(change.old.as_ref());
        if current.and_then(|row| row.get(LATCHED)) == Some(&Value::Bool(true)) {
            self.trace.push(Entry::Skipped {
                step,
                reason: "the row is latched (written by a listener): the trigger skips it".into(),
            });
            return;
        }
        let Some(image) = current else {
            return;
        };
        let system = self.system;
        let entity = &system.entities[change.entity];
        let partition_key = image
            .get(&entity.key_field().name)
            .map(super::compile::key_text)
            .unwrap_or_default();
        let record_id = format!("step-{step}");
        let mut produced = 0usize;
        let rules = self.rules[change.entity.index()].clone();
        for publish in rules {
            if !fires(&publish.when, change) {
                continue;
            }
            let event = &system.events[publish.event];
            let version = event.current();
            let mut payload = Map::new();
            for (field, path) in version.fields.iter().zip(&publish.payload) {
                let value = path.as_ref().and_then(|path| {
                    let mut steps = path.steps.iter();
                    let first = steps.next()?;
                    steps.try_fold(image.get(&first.name)?, |value, step| value.get(&step.name))
                });
                if let Some(value) = value.filter(|v| !v.is_null()) {
                    payload.insert(field.name.clone(), value.clone());
                }
            }
            let id = if produced == 0 {
                record_id.clone()
            } else {
                format!("{record_id}.{produced}")
            };
            let sequence = u32::try_from(produced).unwrap_or(u32::MAX);
            let source = self.service_name(change.service);
            let bus = self.bus_event(
                publish.event,
                id,
                sequence,
                change.at,
                partition_key.clone(),
                payload,
                source,
            );
            produced += 1;
            self.publish(bus, change.duplicate);
        }
        if produced == 0 {
            self.trace.push(Entry::NoEvent { step });
        }
    }

    fn external(&mut self, step: usize, external: &External) {
        let event = &self.system.events[external.event];
        self.trace.push(Entry::External {
            step,
            event: event.name.clone(),
            source: external.source.clone(),
            at: external.at,
        });
        let id = external
            .id
            .clone()
            .unwrap_or_else(|| format!("step-{step}"));
        let partition_key = external.partition_key.clone().unwrap_or_else(|| id.clone());
        let bus = self.bus_event(
            external.event,
            id,
            0,
            external.at,
            partition_key,
            external.payload.clone(),
            external.source.clone(),
        );
        self.publish(bus, external.duplicate);
    }

    /// The EventBridge event of a payload, with the envelope the generated code writes.
    #[allow(clippy::too_many_arguments)]
    fn bus_event(
        &self,
        event: EventId,
        id: String,
        sequence: u32,
        timestamp: i64,
        partition_key: String,
        payload: Map<String, Value>,
        source: String,
    ) -> BusEvent {
        let spec = &self.system.events[event];
        let envelope = Envelope {
            id: id.clone(),
            event_type: spec.name.clone(),
            timestamp,
            partition_key,
            tags: BTreeMap::from([("source".to_owned(), source.clone())]),
            payload: Value::Object(payload),
            raw: None,
            schema_version: spec.current().version,
            sequence,
        };
        let detail = serialize_envelope(
            &envelope,
            &spec.names.entity_key,
            serde_json::value::Serializer,
        )
        .unwrap_or(Value::Null);
        let mut entry = Map::new();
        entry.insert("source".into(), Value::String(source));
        entry.insert("detail-type".into(), Value::String(spec.name.clone()));
        entry.insert("detail".into(), detail);
        BusEvent {
            event,
            version: envelope.version(),
            id,
            entry: Value::Object(entry),
        }
    }

    /// Puts an event on the bus: every subscription's rule decides.
    fn publish(&mut self, bus: BusEvent, duplicate: bool) {
        let system = self.system;
        let event = &system.events[bus.event];
        self.trace.push(Entry::Published {
            id: bus.id.clone(),
            event: event.name.clone(),
            sequence: bus.version.sequence,
            timestamp: bus.version.timestamp,
        });
        let bus = Rc::new(bus);
        let mut any = false;
        for (service, subscription) in system.consumers(bus.event) {
            any = true;
            let verdict = matches(&subscription.pattern, &bus.entry);
            let delivered = verdict.is_ok();
            let copies = if !delivered {
                0
            } else if duplicate {
                2
            } else {
                1
            };
            for _ in 0..copies {
                self.queues[service.index()].push_back(Rc::clone(&bus));
            }
            self.trace.push(Entry::Routed {
                id: bus.id.clone(),
                service: system.services[service].name.clone(),
                delivered,
                reason: verdict.err().map(|m| m.to_string()),
                copies,
                waits: delivered && (self.held[service.index()] || self.down[service.index()]),
            });
        }
        if !any {
            self.trace.push(Entry::NoSubscriber { id: bus.id.clone() });
        }
    }

    /// Delivers every queue that is neither held nor down.
    fn drain(&mut self) {
        for service in 0..self.queues.len() {
            if self.held[service] || self.down[service] {
                continue;
            }
            while let Some(bus) = self.queues[service].pop_front() {
                let id = ServiceId::from_index(service);
                self.listen(id, &bus);
            }
        }
    }

    /// The listener of `service` applying one event.
    fn listen(&mut self, service: ServiceId, bus: &BusEvent) {
        let system = self.system;
        let mut writes = Vec::new();
        for &view_id in &system.services[service].views {
            let view = &system.views[view_id];
            for projection in view.projections.iter().filter(|p| p.event == bus.event) {
                writes.push(self.project(view_id, &projection.kind, bus));
            }
        }
        self.trace.push(Entry::Applied {
            service: system.services[service].name.clone(),
            id: bus.id.clone(),
            event: system.events[bus.event].name.clone(),
            writes,
        });
    }

    fn project(&mut self, view_id: ViewId, kind: &ProjectionKind, bus: &BusEvent) -> WriteTrace {
        let view = &self.system.views[view_id];
        let (assignments, write_kind, operation) = match kind {
            ProjectionKind::Upsert(a) => (a, WriteKind::Upsert, "upsert"),
            ProjectionKind::Delete(a) => (a, WriteKind::Delete, "delete"),
            ProjectionKind::Hook(hook) => {
                return WriteTrace {
                    view: view.name.clone(),
                    operation: "hook",
                    key: None,
                    outcome: "not-simulated",
                    detail: format!(
                        "hook `{}` is user code: not simulated, the view is left as it is",
                        hook.name
                    ),
                };
            }
        };
        let envelope = bus.envelope();
        let payload = &envelope[self.system.events[bus.event].names.entity_key.as_str()];
        let value_of = |source: &Source| -> Value {
            match source {
                Source::Field(path) => path
                    .steps
                    .iter()
                    .try_fold(payload, |value, step| value.get(&step.name))
                    .cloned()
                    .unwrap_or(Value::Null),
                Source::Meta(meta) => match meta {
                    Meta::Id => Value::from(bus.id.as_str()),
                    Meta::Type => envelope["type"].clone(),
                    Meta::Timestamp => Value::from(bus.version.timestamp),
                    Meta::PartitionKey => envelope["partitionKey"].clone(),
                    Meta::Version => envelope["schemaVersion"].clone(),
                },
                Source::Const(literal) => literal_json(literal),
            }
        };
        let mut partition = None;
        let mut sort = None;
        let mut attributes: Vec<(&str, Value)> = Vec::new();
        for assignment in assignments {
            let value = value_of(&assignment.source);
            let name = view.fields[assignment.field].name.as_str();
            if assignment.field == view.key.partition {
                partition = Some(value);
            } else if Some(assignment.field) == view.key.sort {
                sort = Some(value);
            } else {
                attributes.push((name, value));
            }
        }
        let key_part = |value: Option<Value>| value.as_ref().and_then(KeyValue::of);
        let partition_value = key_part(partition.clone());
        let sort_value = key_part(sort.clone());
        let key_shown = |p: &Option<Value>, s: &Option<Value>| {
            let show = |v: &Option<Value>| match v {
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => "?".into(),
            };
            match view.key.sort {
                Some(_) => format!("{}/{}", show(p), show(s)),
                None => show(p),
            }
        };
        let (Some(partition_value), true) = (
            partition_value,
            view.key.sort.is_none() || sort_value.is_some(),
        ) else {
            return WriteTrace {
                view: view.name.clone(),
                operation,
                key: Some(key_shown(&partition, &sort)),
                outcome: "failed",
                detail: "a key value is missing or neither a string nor an integer: the listener fails and the message goes to the dead-letter queue".into(),
            };
        };
        let key = (partition_value, sort_value);
        let shown = match &key.1 {
            Some(sort) => format!("{}/{sort}", key.0),
            None => key.0.to_string(),
        };
        let table = &mut self.views[view_id.index()];
        let empty = RowMeta::default();
        let meta = table.get(&key).map_or(&empty, |row| &row.meta);
        let names = attributes.iter().map(|(name, _)| *name);
        let Some(plan) = plan(meta, write_kind, bus.version, names) else {
            let why = if meta.deleted.is_some_and(|d| bus.version <= d) {
                "the row was deleted by a newer (or the same) event"
            } else if operation == "delete" {
                "the row holds nothing older than this delete"
            } else {
                "every attribute holds a newer (or the same) event's value"
            };
            return WriteTrace {
                view: view.name.clone(),
                operation,
                key: Some(shown),
                outcome: "stale",
                detail: why.into(),
            };
        };
        let row = table.entry(key.clone()).or_default();
        let key_fields = view.key.fields().map(|i| view.fields[i].name.as_str());
        for (name, value) in key_fields.zip(std::iter::once(&key.0).chain(key.1.as_ref())) {
            row.values.insert(name.to_owned(), value.to_json());
        }
        for &index in &plan.apply {
            let (name, value) = &attributes[index];
            if value.is_null() {
                row.values.remove(*name);
            } else {
                row.values.insert((*name).to_owned(), value.clone());
            }
            row.meta.attributes.insert((*name).to_owned(), bus.version);
        }
        for name in &plan.wipe {
            row.values.remove(name);
            row.meta.attributes.remove(name);
        }
        if plan.delete {
            row.meta.deleted = Some(bus.version);
        }
        if plan.newest {
            row.meta.version = Some(bus.version);
            row.values
                .insert(TIMESTAMP.to_owned(), Value::from(bus.version.timestamp));
            if plan.delete {
                row.values.insert(DELETED.to_owned(), Value::Bool(true));
            } else {
                row.values.remove(DELETED);
            }
        }
        row.values.insert(LATCHED.to_owned(), Value::Bool(true));
        row.meta.revision += 1;
        let detail = match (operation, plan.newest) {
            ("delete", true) => "row deleted (a tombstone is kept)".to_owned(),
            ("delete", false) => format!(
                "older attributes removed ({}); a newer write keeps the row",
                plan.wipe.len()
            ),
            (_, true) if plan.apply.len() == attributes.len() => {
                format!("{} attribute(s) set", plan.apply.len())
            }
            _ => format!(
                "{} of {} attribute(s) set; the others hold newer values",
                plan.apply.len(),
                attributes.len()
            ),
        };
        WriteTrace {
            view: view.name.clone(),
            operation,
            key: Some(shown),
            outcome: "applied",
            detail,
        }
    }
}

/// Whether a rule's `when` fires for a change, as the generated trigger decides.
fn fires(when: &When, change: &Change) -> bool {
    match when {
        When::Insert => change.kind == ChangeKind::Insert,
        When::Modify => change.kind == ChangeKind::Modify,
        When::Remove => change.kind == ChangeKind::Remove,
        When::SoftDelete => change.kind == ChangeKind::SoftDelete,
        When::Undelete => change.kind == ChangeKind::Undelete,
        When::Transition(transition) => {
            if change.kind == ChangeKind::Remove {
                return false;
            }
            let field = transition.field.dotted();
            let get = |image: &Option<Map<String, Value>>| {
                image.as_ref().and_then(|row| row.get(&field)).cloned()
            };
            let is = |value: &Option<Value>, literal: &Literal| {
                value.as_ref().is_some_and(|v| literal_matches(literal, v))
            };
            let new = get(&change.new);
            let old = get(&change.old);
            let arrived = is(&new, &transition.becomes);
            let was_already = is(&old, &transition.becomes);
            let from_allowed =
                transition.from.is_empty() || transition.from.iter().any(|l| is(&old, l));
            arrived && !was_already && from_allowed
        }
    }
}

/// Whether a stored value equals a literal of the spec (numbers compared as numbers).
fn literal_matches(literal: &Literal, value: &Value) -> bool {
    match (literal, value) {
        (Literal::String(s), Value::String(v)) => s == v,
        (Literal::Bool(b), Value::Bool(v)) => b == v,
        (Literal::Number(n), Value::Number(v)) => n.as_f64() == v.as_f64(),
        _ => false,
    }
}

fn literal_json(literal: &Literal) -> Value {
    match literal {
        Literal::Bool(b) => Value::Bool(*b),
        Literal::Number(n) => Value::Number(n.clone()),
        Literal::String(s) => Value::String(s.clone()),
    }
}

/// Fisher-Yates with splitmix64: the same order for the same seed, everywhere.
fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    for i in (1..items.len()).rev() {
        let j = usize::try_from(next() % (i as u64 + 1)).unwrap_or(0);
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffles_are_reproducible_permutations() {
        let mut a: Vec<u32> = (0..10).collect();
        let mut b = a.clone();
        shuffle(&mut a, 7);
        shuffle(&mut b, 7);
        assert_eq!(a, b);
        assert_ne!(a, (0..10).collect::<Vec<_>>());
        a.sort_unstable();
        assert_eq!(a, (0..10).collect::<Vec<_>>());
    }
}

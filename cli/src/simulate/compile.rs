//! A scenario file -> the checked steps the engine runs, or located findings.
//!
//! The file is read with the spec loader (YAML 1.2 with spans, the same bounds), checked
//! against the scenario's JSON Schema (E060), then step by step against the spec: names
//! (E061), values against their fields' types (E062), and whether a step can happen where it
//! stands (E063). The entity tables are deterministic, so this pass also computes every
//! change's old and new row image: the engine only interprets them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::scenario::{self, Order, ScenarioFile};
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::ir::{
    EntityId, EventId, Field, IntWidth, NamedKind, ServiceId, System, Ty, TypeKind, ViewId,
};
use crate::load::span::{Part, child};
use crate::load::{MAX_FILE_BYTES, SourceFile, read_source};
use crate::validate::schema::Format;

/// The time of the first step when the scenario sets no `start`: 2026-03-14T00:00:00Z.
pub const DEFAULT_START: i64 = 1_773_446_400_000;

/// Milliseconds between two steps without `at`.
pub const STEP_MS: i64 = 1_000;

/// A checked scenario.
#[derive(Debug)]
pub struct Scenario {
    /// What it shows.
    pub description: Option<String>,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// The expected views, in the file's order of services and views.
    pub expect: Vec<Expected>,
}

/// One checked step.
#[derive(Debug, Clone)]
pub struct Step {
    /// Its position in the file, from 0.
    pub index: usize,
    /// What it does.
    pub action: Action,
}

/// What a step does.
#[derive(Debug, Clone)]
pub enum Action {
    /// A row of an entity changes.
    Change(Change),
    /// An event is put on the bus from outside.
    External(External),
    /// The service's queue keeps what arrives.
    Hold(ServiceId),
    /// The service's held queue is delivered.
    Release(ServiceId, Reorder),
    /// The service's trigger and listener stop.
    Down(ServiceId),
    /// The service runs again.
    Up(ServiceId, Reorder),
}

/// The order a queue is delivered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reorder {
    /// In order, reversed or shuffled.
    pub order: Order,
    /// The seed of a shuffle.
    pub seed: u64,
}

/// What a change did to its row: the stream record's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// A new row.
    Insert,
    /// A changed row.
    Modify,
    /// `deleted` became true.
    SoftDelete,
    /// `deleted` was cleared.
    Undelete,
    /// The row is gone.
    Remove,
}

impl ChangeKind {
    /// How a scenario writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Insert => "insert",
            ChangeKind::Modify => "modify",
            ChangeKind::SoftDelete => "soft-delete",
            ChangeKind::Undelete => "undelete",
            ChangeKind::Remove => "remove",
        }
    }
}

/// A change of one entity row, with its images as the table stream carries them.
#[derive(Debug, Clone)]
pub struct Change {
    /// The service owning the table.
    pub service: ServiceId,
    /// The entity.
    pub entity: EntityId,
    /// The kind of change.
    pub kind: ChangeKind,
    /// The row's key, as text.
    pub key: String,
    /// The row before (none for an insert): entity fields plus `timestamp`, `deleted` and
    /// `latched` when set.
    pub old: Option<Map<String, Value>>,
    /// The row after (none for a remove).
    pub new: Option<Map<String, Value>>,
    /// The time of the change, epoch milliseconds.
    pub at: i64,
    /// Every event of the change is delivered twice.
    pub duplicate: bool,
}

/// An event put on the bus from outside the system.
#[derive(Debug, Clone)]
pub struct External {
    /// The event.
    pub event: EventId,
    /// Its payload (current version).
    pub payload: Map<String, Value>,
    /// The EventBridge `Source`.
    pub source: String,
    /// The envelope id, when given.
    pub id: Option<String>,
    /// The envelope partition key, when given.
    pub partition_key: Option<String>,
    /// The time, epoch milliseconds.
    pub at: i64,
    /// Delivered twice.
    pub duplicate: bool,
}

/// The rows a view should hold at the end.
#[derive(Debug, Clone)]
pub struct Expected {
    /// The view.
    pub view: ViewId,
    /// Its rows (view fields only).
    pub rows: Vec<Map<String, Value>>,
}

/// The source of events put on the bus by a scenario when the event has no producing
/// service and the step names none.
pub const EXTERNAL_SOURCE: &str = "cqrsgen.simulate";

/// Reads and checks the scenario at `path`: the loaded file (for reports) and the scenario
/// when it has no errors, plus every finding.
pub fn load(
    system: &System,
    path: &Path,
) -> std::io::Result<(SourceFile, Option<Scenario>, Vec<Diagnostic>)> {
    let metadata = std::fs::metadata(path)?;
    let bytes = if metadata.len() > MAX_FILE_BYTES {
        Err(metadata.len())
    } else {
        Ok(std::fs::read(path)?)
    };
    let mut diagnostics = Vec::new();
    let file = read_source(path.to_path_buf(), bytes, &mut diagnostics);
    let scenario = file
        .document
        .as_ref()
        .and_then(|doc| check(system, &file, &doc.value, &mut diagnostics));
    let scenario = scenario.filter(|_| !diagnostics.iter().any(Diagnostic::is_error));
    crate::diagnostic::sort(&mut diagnostics);
    Ok((file, scenario, diagnostics))
}

fn format() -> &'static Format {
    static FORMAT: OnceLock<Format> = OnceLock::new();
    FORMAT.get_or_init(|| Format::new(scenario::json_schema(), Code::ScenarioShape))
}

/// Checks the scenario data `value` of `file`.
pub fn check(
    system: &System,
    file: &SourceFile,
    value: &Value,
    out: &mut Vec<Diagnostic>,
) -> Option<Scenario> {
    let shape = format().check(file, value);
    if !shape.is_empty() {
        out.extend(shape);
        return None;
    }
    let raw = match ScenarioFile::deserialize(value) {
        Ok(raw) => raw,
        Err(e) => {
            out.push(
                Diagnostic::new(
                    Code::ScenarioShape,
                    format!("the file does not have the scenario format's shape: {e}"),
                )
                .at(Some(file.locate("", Part::Value))),
            );
            return None;
        }
    };
    let mut checker = Checker {
        system,
        file,
        out,
        rows: BTreeMap::new(),
        held: BTreeSet::new(),
        down: BTreeSet::new(),
        clock: raw.start.unwrap_or(DEFAULT_START).saturating_sub(STEP_MS),
    };
    let mut steps = Vec::new();
    for (index, step) in raw.steps.iter().enumerate() {
        if let Some(action) = checker.step(index, step) {
            steps.push(Step { index, action });
        }
    }
    let expect = checker.expect(&raw.expect);
    Some(Scenario {
        description: raw.description,
        steps,
        expect,
    })
}

/// The state the checks follow through the steps.
struct Checker<'a> {
    system: &'a System,
    file: &'a SourceFile,
    out: &'a mut Vec<Diagnostic>,
    /// The rows of every entity table, by entity and key text.
    rows: BTreeMap<(EntityId, String), Map<String, Value>>,
    held: BTreeSet<ServiceId>,
    down: BTreeSet<ServiceId>,
    clock: i64,
}

/// The reserved attributes of an entity row the simulation keeps besides its fields.
const TIMESTAMP: &str = "timestamp";
const DELETED: &str = "deleted";
const LATCHED: &str = "latched";

impl Checker<'_> {
    fn error(
        &mut self,
        code: Code,
        pointer: &str,
        message: String,
        label: &str,
    ) -> &mut Diagnostic {
        self.out.push(
            Diagnostic::new(code, message)
                .at(Some(self.file.locate(pointer, Part::Value)))
                .with_label(label),
        );
        let last = self.out.len() - 1;
        &mut self.out[last]
    }

    fn service(&mut self, name: &str, pointer: &str) -> Option<ServiceId> {
        let found = self.system.service_named(name);
        if found.is_none() {
            let help = did_you_mean(name, self.system.services.values().map(|s| s.name.as_str()));
            let d = self.error(
                Code::ScenarioUnknown,
                pointer,
                format!("unknown service `{name}`"),
                "not a service of the spec",
            );
            if let Some(help) = help {
                d.help = Some(help);
            }
        }
        found
    }

    fn entity(&mut self, service: ServiceId, name: &str, pointer: &str) -> Option<EntityId> {
        let system = self.system;
        let found = system
            .entities_of(service)
            .find(|(_, e)| e.name == name)
            .map(|(id, _)| id);
        if found.is_none() {
            let service_name = &system.services[service].name;
            let names: Vec<&str> = system
                .entities_of(service)
                .map(|(_, e)| e.name.as_str())
                .collect();
            let help = did_you_mean(name, names.iter().copied()).unwrap_or_else(|| {
                if names.is_empty() {
                    format!("`{service_name}` has no entities")
                } else {
                    format!("entities of `{service_name}`: {}", names.join(", "))
                }
            });
            self.error(
                Code::ScenarioUnknown,
                pointer,
                format!("service `{service_name}` has no entity `{name}`"),
                "not an entity of this service",
            )
            .help = Some(help);
        }
        found
    }

    fn time(&mut self, at: Option<i64>) -> i64 {
        self.clock = at.unwrap_or_else(|| self.clock.saturating_add(STEP_MS));
        self.clock
    }

    fn step(&mut self, index: usize, step: &scenario::Step) -> Option<Action> {
        use scenario::Step as S;
        let here = format!("/steps/{index}");
        match step {
            S::Insert(s) => {
                let at = self.time(s.at);
                let service = self.service(&s.service, &child(&here, "service"))?;
                let entity = self.entity(service, &s.insert, &child(&here, "insert"))?;
                let fields = &self.system.entities[entity].fields;
                let ok = self.fields(&s.insert, fields, &s.values, &child(&here, "values"), false);
                let key_field = self.system.entities[entity].key_field();
                let key_value = s.values.get(&key_field.name)?.clone();
                if !ok {
                    return None;
                }
                let key = key_text(&key_value);
                if self.rows.contains_key(&(entity, key.clone())) {
                    self.error(
                        Code::ScenarioStep,
                        &child(&here, "values"),
                        format!("a row `{key}` of `{}` exists already", s.insert),
                        "inserted twice",
                    )
                    .help = Some("modify it, or remove it in an earlier step".into());
                    return None;
                }
                let mut new: Map<String, Value> = s
                    .values
                    .iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                new.insert(TIMESTAMP.into(), Value::from(at));
                if s.latched {
                    new.insert(LATCHED.into(), Value::Bool(true));
                }
                self.rows.insert((entity, key.clone()), new.clone());
                Some(self.change(
                    service,
                    entity,
                    ChangeKind::Insert,
                    key,
                    None,
                    Some(new),
                    at,
                    s.duplicate,
                ))
            }
            S::Modify(s) => {
                let at = self.time(s.at);
                let service = self.service(&s.service, &child(&here, "service"))?;
                let entity = self.entity(service, &s.modify, &child(&here, "modify"))?;
                let (key, old) = self.existing(entity, &s.key, &here, "modify")?;
                let fields = &self.system.entities[entity].fields;
                let mut ok = self.fields(&s.modify, fields, &s.set, &child(&here, "set"), true);
                let key_name = self.system.entities[entity].key_field().name.clone();
                if s.set.contains_key(&key_name) {
                    self.error(
                        Code::ScenarioStep,
                        &child(&child(&here, "set"), &key_name),
                        format!(
                            "`{key_name}` is the key of `{}`: a modification cannot change it",
                            s.modify
                        ),
                        "the key",
                    )
                    .help = Some("remove the row and insert another".into());
                    ok = false;
                }
                for (i, name) in s.unset.iter().enumerate() {
                    let pointer = format!("{here}/unset/{i}");
                    match fields.iter().find(|f| &f.name == name) {
                        None => {
                            self.unknown_field(name, fields, &pointer, &s.modify);
                            ok = false;
                        }
                        Some(f) if !f.optional => {
                            self.error(
                                Code::ScenarioValue,
                                &pointer,
                                format!("`{name}` is required: it cannot be unset"),
                                "a required field",
                            );
                            ok = false;
                        }
                        Some(_) => {}
                    }
                }
                if !ok {
                    return None;
                }
                let mut new = old.clone();
                for (name, value) in &s.set {
                    if value.is_null() {
                        new.remove(name);
                    } else {
                        new.insert(name.clone(), value.clone());
                    }
                }
                for name in &s.unset {
                    new.remove(name);
                }
                new.insert(TIMESTAMP.into(), Value::from(at));
                if s.latched {
                    new.insert(LATCHED.into(), Value::Bool(true));
                } else {
                    new.remove(LATCHED);
                }
                self.rows.insert((entity, key.clone()), new.clone());
                Some(self.change(
                    service,
                    entity,
                    ChangeKind::Modify,
                    key,
                    Some(old),
                    Some(new),
                    at,
                    s.duplicate,
                ))
            }
            S::SoftDelete(s) => {
                let at = self.time(s.at);
                let service = self.service(&s.service, &child(&here, "service"))?;
                let entity = self.entity(service, &s.soft_delete, &child(&here, "soft-delete"))?;
                let (key, old) = self.existing(entity, &s.key, &here, "soft-delete")?;
                if old.get(DELETED) == Some(&Value::Bool(true)) {
                    self.error(
                        Code::ScenarioStep,
                        &child(&here, "key"),
                        format!("row `{key}` of `{}` is deleted already", s.soft_delete),
                        "deleted in an earlier step",
                    );
                    return None;
                }
                let mut new = old.clone();
                new.insert(DELETED.into(), Value::Bool(true));
                new.insert(TIMESTAMP.into(), Value::from(at));
                new.remove(LATCHED);
                self.rows.insert((entity, key.clone()), new.clone());
                Some(self.change(
                    service,
                    entity,
                    ChangeKind::SoftDelete,
                    key,
                    Some(old),
                    Some(new),
                    at,
                    s.duplicate,
                ))
            }
            S::Undelete(s) => {
                let at = self.time(s.at);
                let service = self.service(&s.service, &child(&here, "service"))?;
                let entity = self.entity(service, &s.undelete, &child(&here, "undelete"))?;
                let (key, old) = self.existing(entity, &s.key, &here, "undelete")?;
                if old.get(DELETED) != Some(&Value::Bool(true)) {
                    self.error(
                        Code::ScenarioStep,
                        &child(&here, "key"),
                        format!("row `{key}` of `{}` is not deleted", s.undelete),
                        "nothing to undelete",
                    )
                    .help = Some("soft-delete it in an earlier step".into());
                    return None;
                }
                let mut new = old.clone();
                new.remove(DELETED);
                new.remove(LATCHED);
                new.insert(TIMESTAMP.into(), Value::from(at));
                self.rows.insert((entity, key.clone()), new.clone());
                Some(self.change(
                    service,
                    entity,
                    ChangeKind::Undelete,
                    key,
                    Some(old),
                    Some(new),
                    at,
                    s.duplicate,
                ))
            }
            S::Remove(s) => {
                let at = self.time(s.at);
                let service = self.service(&s.service, &child(&here, "service"))?;
                let entity = self.entity(service, &s.remove, &child(&here, "remove"))?;
                let (key, old) = self.existing(entity, &s.key, &here, "remove")?;
                self.rows.remove(&(entity, key.clone()));
                Some(self.change(
                    service,
                    entity,
                    ChangeKind::Remove,
                    key,
                    Some(old),
                    None,
                    at,
                    s.duplicate,
                ))
            }
            S::External(s) => {
                let at = self.time(s.at);
                let Some(event) = self.system.event_named(&s.external) else {
                    let help = did_you_mean(
                        &s.external,
                        self.system.events.values().map(|e| e.name.as_str()),
                    );
                    let d = self.error(
                        Code::ScenarioUnknown,
                        &child(&here, "external"),
                        format!("unknown event `{}`", s.external),
                        "not an event of the spec",
                    );
                    d.help = help;
                    return None;
                };
                let fields = &self.system.events[event].current().fields;
                if !self.fields(
                    &s.external,
                    fields,
                    &s.payload,
                    &child(&here, "payload"),
                    false,
                ) {
                    return None;
                }
                let source = s.source.clone().unwrap_or_else(|| {
                    self.system.events[event]
                        .source(self.system)
                        .unwrap_or(EXTERNAL_SOURCE)
                        .to_owned()
                });
                Some(Action::External(External {
                    event,
                    payload: s
                        .payload
                        .iter()
                        .filter(|(_, v)| !v.is_null())
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                    source,
                    id: s.id.clone(),
                    partition_key: s.partition_key.clone(),
                    at,
                    duplicate: s.duplicate,
                }))
            }
            S::Hold(s) => {
                let service = self.service(&s.hold, &child(&here, "hold"))?;
                if !self.held.insert(service) {
                    self.error(
                        Code::ScenarioStep,
                        &child(&here, "hold"),
                        format!("the queue of `{}` is held already", s.hold),
                        "held in an earlier step",
                    );
                    return None;
                }
                Some(Action::Hold(service))
            }
            S::Release(s) => {
                let service = self.service(&s.release, &child(&here, "release"))?;
                if !self.held.remove(&service) {
                    self.error(
                        Code::ScenarioStep,
                        &child(&here, "release"),
                        format!("the queue of `{}` is not held", s.release),
                        "nothing to release",
                    )
                    .help = Some("hold it in an earlier step".into());
                    return None;
                }
                Some(Action::Release(
                    service,
                    Reorder {
                        order: s.order,
                        seed: s.seed.unwrap_or(0),
                    },
                ))
            }
            S::Down(s) => {
                let service = self.service(&s.down, &child(&here, "down"))?;
                if !self.down.insert(service) {
                    self.error(
                        Code::ScenarioStep,
                        &child(&here, "down"),
                        format!("`{}` is down already", s.down),
                        "taken down in an earlier step",
                    );
                    return None;
                }
                Some(Action::Down(service))
            }
            S::Up(s) => {
                let service = self.service(&s.up, &child(&here, "up"))?;
                if !self.down.remove(&service) {
                    self.error(
                        Code::ScenarioStep,
                        &child(&here, "up"),
                        format!("`{}` is not down", s.up),
                        "nothing to bring up",
                    )
                    .help = Some("take it down in an earlier step".into());
                    return None;
                }
                Some(Action::Up(
                    service,
                    Reorder {
                        order: s.order,
                        seed: s.seed.unwrap_or(0),
                    },
                ))
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn change(
        &self,
        service: ServiceId,
        entity: EntityId,
        kind: ChangeKind,
        key: String,
        old: Option<Map<String, Value>>,
        new: Option<Map<String, Value>>,
        at: i64,
        duplicate: bool,
    ) -> Action {
        Action::Change(Change {
            service,
            entity,
            kind,
            key,
            old,
            new,
            at,
            duplicate,
        })
    }

    /// The key text and current image of the row `key` names, reporting a key of the wrong
    /// type or a row that does not exist.
    fn existing(
        &mut self,
        entity: EntityId,
        key: &Value,
        here: &str,
        what: &str,
    ) -> Option<(String, Map<String, Value>)> {
        let system = self.system;
        let entity_def = &system.entities[entity];
        let pointer = child(here, "key");
        if let Err((rest, message)) = check_value(system, &entity_def.key_field().ty, key, "") {
            self.error(
                Code::ScenarioValue,
                &format!("{pointer}{rest}"),
                format!(
                    "the key of `{}` must be a {}: {message}",
                    entity_def.name,
                    entity_def.key_field().ty.kind.describe(system)
                ),
                "wrong type",
            );
            return None;
        }
        let text = key_text(key);
        match self.rows.get(&(entity, text.clone())) {
            Some(row) => Some((text, row.clone())),
            None => {
                self.error(
                    Code::ScenarioStep,
                    &pointer,
                    format!(
                        "cannot {what} row `{text}` of `{}`: it does not exist at this step",
                        entity_def.name
                    ),
                    "no such row yet",
                )
                .help = Some("insert it in an earlier step".into());
                None
            }
        }
    }

    fn unknown_field(&mut self, name: &str, fields: &[Field], pointer: &str, owner: &str) {
        let help = did_you_mean(name, fields.iter().map(|f| f.name.as_str()));
        let location = self.file.locate(pointer, Part::Key);
        let d = self.error(
            Code::ScenarioUnknown,
            pointer,
            format!("`{owner}` has no field `{name}`"),
            "not a field here",
        );
        d.location = Some(location);
        d.help = help;
    }

    /// Checks `values` against `fields` (all required ones present unless `partial`);
    /// whether they fit.
    fn fields(
        &mut self,
        owner: &str,
        fields: &[Field],
        values: &Map<String, Value>,
        pointer: &str,
        partial: bool,
    ) -> bool {
        let mut ok = true;
        for (name, value) in values {
            let here = child(pointer, name);
            let Some(field) = fields.iter().find(|f| &f.name == name) else {
                self.unknown_field(name, fields, &here, owner);
                ok = false;
                continue;
            };
            if value.is_null() && field.optional {
                continue;
            }
            if let Err((rest, message)) = check_value(self.system, &field.ty, value, "") {
                let expected = field.ty.kind.describe(self.system);
                self.error(
                    Code::ScenarioValue,
                    &format!("{here}{rest}"),
                    format!(
                        "`{name}`{} must be {}: {message}",
                        rest_text(&rest),
                        article(&expected)
                    ),
                    "wrong type",
                );
                ok = false;
            }
        }
        if !partial {
            let missing: Vec<&str> = fields
                .iter()
                .filter(|f| !f.optional && !values.contains_key(&f.name))
                .map(|f| f.name.as_str())
                .collect();
            if !missing.is_empty() {
                let list = missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.out.push(
                    Diagnostic::new(
                        Code::ScenarioValue,
                        format!("missing required field(s) {list}"),
                    )
                    .at(Some(self.file.locate(pointer, Part::Key)))
                    .with_label("every required field needs a value"),
                );
                ok = false;
            }
        }
        ok
    }

    fn expect(&mut self, expect: &scenario::Expectations) -> Vec<Expected> {
        let system = self.system;
        let mut out = Vec::new();
        for (service_name, views) in expect {
            let here = child("/expect", service_name);
            let Some(service) = system.service_named(service_name) else {
                let help = did_you_mean(
                    service_name,
                    system.services.values().map(|s| s.name.as_str()),
                );
                self.out.push(
                    Diagnostic::new(
                        Code::ScenarioUnknown,
                        format!("unknown service `{service_name}`"),
                    )
                    .at(Some(self.file.locate(&here, Part::Key)))
                    .with_label("not a service of the spec"),
                );
                if let (Some(help), Some(last)) = (help, self.out.last_mut()) {
                    last.help = Some(help);
                }
                continue;
            };
            for (view_name, rows) in views {
                let at = child(&here, view_name);
                let Some((view, _)) = system.views_of(service).find(|(_, v)| &v.name == view_name)
                else {
                    let names: Vec<&str> = system
                        .views_of(service)
                        .map(|(_, v)| v.name.as_str())
                        .collect();
                    self.out.push(
                        Diagnostic::new(
                            Code::ScenarioUnknown,
                            format!("service `{service_name}` has no view `{view_name}`"),
                        )
                        .at(Some(self.file.locate(&at, Part::Key)))
                        .with_label("not a view of this service")
                        .with_help(
                            did_you_mean(view_name, names.iter().copied()).unwrap_or_else(|| {
                                if names.is_empty() {
                                    format!("`{service_name}` keeps no views")
                                } else {
                                    format!("views of `{service_name}`: {}", names.join(", "))
                                }
                            }),
                        ),
                    );
                    continue;
                };
                let fields = &system.views[view].fields;
                let mut ok = true;
                for (i, row) in rows.iter().enumerate() {
                    ok &= self.fields(view_name, fields, row, &format!("{at}/{i}"), false);
                }
                if ok {
                    let rows = rows
                        .iter()
                        .map(|row| {
                            row.iter()
                                .filter(|(_, v)| !v.is_null())
                                .map(|(k, v)| (k.clone(), v.clone()))
                                .collect()
                        })
                        .collect();
                    out.push(Expected { view, rows });
                }
            }
        }
        out
    }
}

/// " (at `/a/b`)" for a problem inside a value.
fn rest_text(rest: &str) -> String {
    if rest.is_empty() {
        String::new()
    } else {
        format!(" at `{rest}`")
    }
}

fn article(noun: &str) -> String {
    let vowel = noun.starts_with(['a', 'e', 'i', 'o']) || noun.starts_with("un");
    if vowel {
        format!("an {noun}")
    } else {
        format!("a {noun}")
    }
}

/// The text of a key value: a string as is, anything else as JSON.
pub fn key_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).unwrap_or_else(|e| unreachable!("{e}")))
}

fn is_timestamp(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(
        &RE,
        r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$",
    )
    .is_match(s)
}

fn is_date(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, r"^\d{4}-\d{2}-\d{2}$").is_match(s)
}

fn is_decimal(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, r"^-?\d+(\.\d+)?$").is_match(s)
}

/// Whether `value` has the wire shape of `ty` (types and formats; constraints such as
/// `min` or `pattern` are not checked). The error: the pointer below `pointer` where the
/// problem is, and what is wrong.
pub fn check_value(
    system: &System,
    ty: &Ty,
    value: &Value,
    pointer: &str,
) -> Result<(), (String, String)> {
    let wrong = |what: &str| Err((pointer.to_owned(), what.to_owned()));
    let found = || describe_json(value);
    match &ty.kind {
        TypeKind::String => match value {
            Value::String(_) => Ok(()),
            _ => wrong(&format!("found {}", found())),
        },
        TypeKind::Integer(width) => {
            let Some(n) = value.as_i64() else {
                return wrong(&format!("found {}", found()));
            };
            if *width == IntWidth::I32 && i32::try_from(n).is_err() {
                return wrong("out of the range of a 32-bit integer");
            }
            Ok(())
        }
        TypeKind::Number => match value {
            Value::Number(_) => Ok(()),
            _ => wrong(&format!("found {}", found())),
        },
        TypeKind::Boolean => match value {
            Value::Bool(_) => Ok(()),
            _ => wrong(&format!("found {}", found())),
        },
        TypeKind::Decimal => match value {
            Value::String(s) if is_decimal(s) => Ok(()),
            Value::String(s) => wrong(&format!("`{s}` is not a decimal number")),
            _ => wrong(&format!(
                "found {} (decimals are written as strings, e.g. \"12.50\")",
                found()
            )),
        },
        TypeKind::Timestamp => match value {
            Value::String(s) if is_timestamp(s) => Ok(()),
            Value::String(s) => wrong(&format!("`{s}` is not an RFC 3339 timestamp")),
            _ => wrong(&format!("found {}", found())),
        },
        TypeKind::Date => match value {
            Value::String(s) if is_date(s) => Ok(()),
            Value::String(s) => wrong(&format!("`{s}` is not a date (YYYY-MM-DD)")),
            _ => wrong(&format!("found {}", found())),
        },
        TypeKind::Uuid => match value {
            Value::String(s) if uuid::Uuid::try_parse(s).is_ok() => Ok(()),
            Value::String(s) => wrong(&format!("`{s}` is not a UUID")),
            _ => wrong(&format!("found {}", found())),
        },
        TypeKind::Enum(values) => {
            enum_value(values.iter().map(|v| v.wire.as_str()), value, pointer)
        }
        TypeKind::Array(item) => {
            let Value::Array(items) = value else {
                return wrong(&format!("found {}", found()));
            };
            for (i, element) in items.iter().enumerate() {
                check_value(system, item, element, &format!("{pointer}/{i}"))?;
            }
            Ok(())
        }
        TypeKind::Map(item) => {
            let Value::Object(entries) = value else {
                return wrong(&format!("found {}", found()));
            };
            for (key, element) in entries {
                check_value(system, item, element, &child(pointer, key))?;
            }
            Ok(())
        }
        TypeKind::Record(fields) => record(system, fields, value, pointer),
        TypeKind::Named(id) => match &system.types[*id].kind {
            NamedKind::Record(fields) => record(system, fields, value, pointer),
            NamedKind::Enum(values) => {
                enum_value(values.iter().map(|v| v.wire.as_str()), value, pointer)
            }
        },
    }
}

fn enum_value<'a>(
    mut values: impl Iterator<Item = &'a str> + Clone,
    value: &Value,
    pointer: &str,
) -> Result<(), (String, String)> {
    match value {
        Value::String(s) if values.clone().any(|v| v == s) => Ok(()),
        _ => {
            let list: Vec<&str> = values.by_ref().collect();
            Err((
                pointer.to_owned(),
                format!(
                    "found {}, expected one of {}",
                    describe_json(value),
                    list.join(", ")
                ),
            ))
        }
    }
}

fn record(
    system: &System,
    fields: &[Field],
    value: &Value,
    pointer: &str,
) -> Result<(), (String, String)> {
    let Value::Object(entries) = value else {
        return Err((
            pointer.to_owned(),
            format!("found {}, expected a record", describe_json(value)),
        ));
    };
    for (key, element) in entries {
        let here = child(pointer, key);
        let Some(field) = fields.iter().find(|f| &f.name == key) else {
            return Err((here, format!("`{key}` is not a field of the record")));
        };
        if element.is_null() && field.optional {
            continue;
        }
        check_value(system, &field.ty, element, &here)?;
    }
    if let Some(missing) = fields
        .iter()
        .find(|f| !f.optional && !entries.contains_key(&f.name))
    {
        return Err((
            pointer.to_owned(),
            format!("the required field `{}` is missing", missing.name),
        ));
    }
    Ok(())
}

/// A JSON value's kind and, for scalars, the value, for messages.
fn describe_json(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean `{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) => format!("the string `{s}`"),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a mapping".into(),
    }
}

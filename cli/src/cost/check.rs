//! Checks a volumes file against the resolved system and resolves its names into ids:
//! every service, entity, event, subscription, view and hook it names must exist, with a
//! located finding for each that does not.

use std::collections::{BTreeMap, BTreeSet};

use super::defaults::{Deployment, Function};
use super::volumes::{HookCost, ListenerSettings, TriggerSettings, VolumesFile};
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::ir::{EntityId, EventId, Producer, ProjectionKind, ServiceId, System, ViewId, When};
use crate::load::SourceFile;
use crate::load::span::{Part, child};

/// A volumes file with its names resolved against a system.
#[derive(Debug, Clone, PartialEq)]
pub struct Volumes {
    /// Changes per month of each entity the file names, by kind.
    pub changes: BTreeMap<EntityId, super::volumes::ChangeVolumes>,
    /// Events per month the file gives explicitly.
    pub events: BTreeMap<EventId, u64>,
    /// Pass rates of subscriptions, by subscriber and event.
    pub filters: BTreeMap<(ServiceId, EventId), f64>,
    /// Envelope bytes of events.
    pub event_bytes: BTreeMap<EventId, u64>,
    /// Item bytes of entities.
    pub entity_bytes: BTreeMap<EntityId, u64>,
    /// Row bytes of views.
    pub view_bytes: BTreeMap<ViewId, u64>,
    /// Request units per call of each hook, by service and hook name.
    pub hooks: BTreeMap<(ServiceId, String), HookCost>,
    /// The functions and the archive, defaults overridden by the file.
    pub deployment: Deployment,
}

/// Checks `volumes` (read from `file`) against `system`; the resolved volumes, or `None`
/// when the file has an error. Findings go to `diagnostics`.
pub fn check(
    system: &System,
    volumes: &VolumesFile,
    file: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Volumes> {
    let mut checker = Checker {
        system,
        file,
        findings: Vec::new(),
    };
    let resolved = checker.resolve(volumes);
    checker.warnings(volumes, &resolved);
    let failed = checker.findings.iter().any(Diagnostic::is_error);
    diagnostics.extend(checker.findings);
    (!failed).then_some(resolved)
}

struct Checker<'a> {
    system: &'a System,
    file: &'a SourceFile,
    findings: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(
        &mut self,
        code: Code,
        pointer: &str,
        message: String,
        label: &str,
    ) -> &mut Diagnostic {
        let finding = Diagnostic::new(code, message)
            .at(Some(self.file.locate(pointer, Part::Key)))
            .with_label(label);
        self.findings.push(finding);
        self.findings
            .last_mut()
            .unwrap_or_else(|| unreachable!("just pushed"))
    }

    fn resolve(&mut self, volumes: &VolumesFile) -> Volumes {
        let mut out = Volumes {
            changes: BTreeMap::new(),
            events: BTreeMap::new(),
            filters: BTreeMap::new(),
            event_bytes: BTreeMap::new(),
            entity_bytes: BTreeMap::new(),
            view_bytes: BTreeMap::new(),
            hooks: BTreeMap::new(),
            deployment: Deployment::of(self.system),
        };
        for (key, changes) in &volumes.changes {
            if let Some(entity) = self.entity(&child("/changes", key), key) {
                out.changes.insert(entity, *changes);
            }
        }
        for (name, count) in &volumes.events {
            if let Some(event) = self.event(&child("/events", name), name) {
                out.events.insert(event, *count);
            }
        }
        for (key, rate) in &volumes.filters {
            if let Some(subscription) = self.subscription(&child("/filters", key), key) {
                out.filters.insert(subscription, rate.0);
            }
        }
        for (name, bytes) in &volumes.sizes.events {
            if let Some(event) = self.event(&child("/sizes/events", name), name) {
                out.event_bytes.insert(event, *bytes);
            }
        }
        for (key, bytes) in &volumes.sizes.entities {
            if let Some(entity) = self.entity(&child("/sizes/entities", key), key) {
                out.entity_bytes.insert(entity, *bytes);
            }
        }
        for (key, bytes) in &volumes.sizes.views {
            if let Some(view) = self.view(&child("/sizes/views", key), key) {
                out.view_bytes.insert(view, *bytes);
            }
        }
        for (key, cost) in &volumes.hooks {
            if let Some(hook) = self.hook(&child("/hooks", key), key) {
                out.hooks.insert(hook, *cost);
            }
        }
        self.deployment(volumes, &mut out.deployment);
        out
    }

    /// Applies the file's function, log and archive settings over the spec's deployment
    /// settings: the file's settings for every function first, then its per-service ones.
    fn deployment(&mut self, volumes: &VolumesFile, deployment: &mut Deployment) {
        let lambda = &volumes.lambda;
        for function in &mut deployment.triggers {
            apply_trigger(function, &lambda.trigger);
        }
        for function in &mut deployment.listeners {
            apply_listener(function, &lambda.listener);
        }
        // Reported once, at the file's setting, for the first function it makes inconsistent.
        if lambda.trigger != TriggerSettings::default()
            && let Some(function) = deployment.triggers.iter().find(|f| f.overfills())
        {
            self.batch(function, "/lambda/trigger", "every trigger");
        }
        if lambda.listener != ListenerSettings::default()
            && let Some(function) = deployment.listeners.iter().find(|f| f.overfills())
        {
            self.batch(function, "/lambda/listener", "every listener");
        }
        for (name, settings) in &lambda.services {
            let pointer = child("/lambda/services", name);
            let Some(service) = self.service(&pointer, name) else {
                continue;
            };
            let index = crate::ir::Id::index(service);
            let function = &mut deployment.triggers[index];
            apply_trigger(function, &settings.trigger);
            let function = *function;
            if settings.trigger != TriggerSettings::default() {
                self.batch(
                    &function,
                    &format!("{pointer}/trigger"),
                    &format!("the trigger of `{name}`"),
                );
            }
            let function = &mut deployment.listeners[index];
            apply_listener(function, &settings.listener);
            let function = *function;
            if settings.listener != ListenerSettings::default() {
                self.batch(
                    &function,
                    &format!("{pointer}/listener"),
                    &format!("the listener of `{name}`"),
                );
            }
        }
        if let Some(days) = volumes.archive.retention_days {
            deployment.archive_retention_days = days;
        }
        if let Some(bytes) = volumes.logs.bytes_per_invocation {
            deployment.log_bytes_per_invocation = bytes;
        }
    }

    /// An average batch cannot exceed the batch size.
    fn batch(&mut self, function: &Function, pointer: &str, what: &str) {
        if function.overfills() {
            let message = format!(
                "{what} would get {} records or messages per invocation on average, more than its batch size of {}",
                function.average_batch, function.batch_size
            );
            self.error(
                Code::VolumesInconsistent,
                pointer,
                message,
                "an average batch above the batch size",
            )
            .help = Some("an invocation gets at most `batch-size` records or messages".into());
        }
    }

    fn service(&mut self, pointer: &str, name: &str) -> Option<ServiceId> {
        let found = self.system.service_named(name);
        if found.is_none() {
            let names = self.system.services.values().map(|s| s.name.as_str());
            let help = did_you_mean(name, names);
            let finding = self.error(
                Code::VolumesUnknownService,
                pointer,
                format!("the spec has no service `{name}`"),
                "no such service",
            );
            finding.help = help;
        }
        found
    }

    fn event(&mut self, pointer: &str, name: &str) -> Option<EventId> {
        let found = self.system.event_named(name);
        if found.is_none() {
            let names = self.system.events.values().map(|e| e.name.as_str());
            let help = did_you_mean(name, names);
            let finding = self.error(
                Code::VolumesUnknownEvent,
                pointer,
                format!("the spec has no event `{name}`"),
                "no such event",
            );
            finding.help = help;
        }
        found
    }

    /// Splits `key` at `separator` into a service and the rest, reporting a key without it.
    fn split<'k>(
        &mut self,
        pointer: &str,
        key: &'k str,
        separator: char,
        form: &str,
    ) -> Option<(ServiceId, &'k str)> {
        let Some((service, rest)) = key.split_once(separator) else {
            self.error(
                Code::VolumesKey,
                pointer,
                format!("`{key}` is not of the form `{form}`"),
                "a service name alone",
            )
            .help = Some(format!("write the key as `{form}`"));
            return None;
        };
        Some((self.service(pointer, service)?, rest))
    }

    fn entity(&mut self, pointer: &str, key: &str) -> Option<EntityId> {
        let (service, name) = self.split(pointer, key, '.', "<service>.<entity>")?;
        let found = self
            .system
            .entities_of(service)
            .find(|(_, e)| e.name == name)
            .map(|(id, _)| id);
        if found.is_none() {
            let service_name = self.system.services[service].name.clone();
            let names: Vec<String> = self
                .system
                .entities_of(service)
                .map(|(_, e)| e.name.clone())
                .collect();
            let help = did_you_mean(name, names.iter().map(String::as_str)).or_else(|| {
                (names.is_empty()).then(|| format!("`{service_name}` has no entities"))
            });
            let finding = self.error(
                Code::VolumesUnknownEntity,
                pointer,
                format!("service `{service_name}` has no entity `{name}`"),
                "no such entity",
            );
            finding.help = help;
        }
        found
    }

    fn subscription(&mut self, pointer: &str, key: &str) -> Option<(ServiceId, EventId)> {
        let (service, name) = self.split(pointer, key, '/', "<service>/<event>")?;
        let event = self.event(pointer, name)?;
        let subscribed = self.system.services[service]
            .subscriptions
            .iter()
            .any(|s| s.event == event);
        if !subscribed {
            let service_name = self.system.services[service].name.clone();
            let names: Vec<&str> = self.system.services[service]
                .subscriptions
                .iter()
                .map(|s| self.system.events[s.event].name.as_str())
                .collect();
            let help = did_you_mean(name, names.iter().copied());
            let finding = self.error(
                Code::VolumesUnknownSubscription,
                pointer,
                format!("service `{service_name}` does not subscribe to `{name}`"),
                "no such subscription",
            );
            finding.help = help;
            return None;
        }
        Some((service, event))
    }

    fn view(&mut self, pointer: &str, key: &str) -> Option<ViewId> {
        let (service, name) = self.split(pointer, key, '/', "<service>/<view>")?;
        let found = self
            .system
            .views_of(service)
            .find(|(_, v)| v.name == name)
            .map(|(id, _)| id);
        if found.is_none() {
            let service_name = self.system.services[service].name.clone();
            let names: Vec<String> = self
                .system
                .views_of(service)
                .map(|(_, v)| v.name.clone())
                .collect();
            let help = did_you_mean(name, names.iter().map(String::as_str));
            let finding = self.error(
                Code::VolumesUnknownView,
                pointer,
                format!("service `{service_name}` has no view `{name}`"),
                "no such view",
            );
            finding.help = help;
        }
        found
    }

    fn hook(&mut self, pointer: &str, key: &str) -> Option<(ServiceId, String)> {
        let (service, name) = self.split(pointer, key, '/', "<service>/<hook>")?;
        let hooks = hooks_of(self.system, service);
        if !hooks.contains(name) {
            let service_name = self.system.services[service].name.clone();
            let help = did_you_mean(name, hooks.iter().map(String::as_str));
            let finding = self.error(
                Code::VolumesUnknownHook,
                pointer,
                format!("no projection of service `{service_name}` uses a hook `{name}`"),
                "no such hook",
            );
            finding.help = help;
            return None;
        }
        Some((service, name.to_owned()))
    }

    /// Warnings about what the file leaves unknown: events whose volume follows from
    /// nothing, hooks without a cost, pass rates of unfiltered subscriptions.
    fn warnings(&mut self, file: &VolumesFile, volumes: &Volumes) {
        for (id, event) in self.system.events.iter() {
            if volumes.events.contains_key(&id) {
                continue;
            }
            let message = match event.producer {
                Producer::External => Some(format!(
                    "`{}` is external and `events` gives no volume for it, so it counts as zero",
                    event.name
                )),
                Producer::Service(service) => {
                    let rules: Vec<_> = self.system.services[service]
                        .publishes
                        .iter()
                        .filter(|p| p.event == id)
                        .collect();
                    let transition = rules.iter().any(|p| matches!(p.when, When::Transition(_)));
                    let unnamed = rules
                        .iter()
                        .all(|p| !volumes.changes.contains_key(&p.entity));
                    if transition {
                        Some(format!(
                            "`{}` is published on a field transition, whose count no kind of change gives, and `events` gives no volume for it, so it counts as zero",
                            event.name
                        ))
                    } else if unnamed {
                        let entities: BTreeSet<String> = rules
                            .iter()
                            .map(|p| {
                                let entity = &self.system.entities[p.entity];
                                format!("{}.{}", self.system.services[service].name, entity.name)
                            })
                            .collect();
                        let entities: Vec<String> = entities.into_iter().collect();
                        Some(format!(
                            "`{}` has no volume: `changes` does not name `{}` and `events` does not name the event, so it counts as zero",
                            event.name,
                            entities.join("`, `")
                        ))
                    } else {
                        None
                    }
                }
            };
            if let Some(message) = message {
                self.findings
                    .push(
                        Diagnostic::new(Code::VolumesMissing, message).with_help(format!(
                            "give its monthly count under `events`, e.g. `{}: 10000`",
                            event.name
                        )),
                    );
            }
        }
        for (service, _) in self.system.services.iter() {
            for hook in hooks_of(self.system, service) {
                if !volumes.hooks.contains_key(&(service, hook.clone())) {
                    let name = &self.system.services[service].name;
                    self.findings.push(
                        Diagnostic::new(
                            Code::VolumesHookCost,
                            format!(
                                "the projection hook `{hook}` of `{name}` is your code, whose DynamoDB requests cqrsgen cannot tell; it counts as free"
                            ),
                        )
                        .with_help(format!(
                            "give its request units per call under `hooks`, e.g. `{name}/{hook}: {{read-units: 1, write-units: 1}}`"
                        )),
                    );
                }
            }
        }
        for (service, event) in volumes.filters.keys() {
            let filtered = self.system.services[*service]
                .subscriptions
                .iter()
                .any(|s| s.event == *event && s.filter.is_some());
            if !filtered {
                let key = format!(
                    "{}/{}",
                    self.system.services[*service].name, self.system.events[*event].name
                );
                let pointer = child("/filters", &key);
                debug_assert!(file.filters.contains_key(&key));
                self.findings.push(
                    Diagnostic::new(
                        Code::VolumesUnfiltered,
                        format!(
                            "the subscription `{key}` has no filter, so every event passes; the pass rate only scales the estimate"
                        ),
                    )
                    .at(Some(self.file.locate(&pointer, Part::Value)))
                    .with_label("a pass rate of an unfiltered subscription"),
                );
            }
        }
    }
}

/// The hooks the projections of `service`'s views use.
pub(crate) fn hooks_of(system: &System, service: ServiceId) -> BTreeSet<String> {
    system
        .views_of(service)
        .flat_map(|(_, view)| &view.projections)
        .filter_map(|p| match &p.kind {
            ProjectionKind::Hook(hook) => Some(hook.name.clone()),
            _ => None,
        })
        .collect()
}

fn apply_trigger(function: &mut Function, settings: &TriggerSettings) {
    if let Some(memory) = settings.memory_mb {
        function.memory_mb = memory;
    }
    if let Some(duration) = settings.duration_ms {
        function.duration_ms = duration;
    }
    if let Some(size) = settings.batch_size {
        function.batch_size = size;
        function.average_batch = f64::from(size);
    }
    if let Some(average) = settings.average_batch {
        function.average_batch = average;
    }
}

fn apply_listener(function: &mut Function, settings: &ListenerSettings) {
    apply_trigger(
        function,
        &TriggerSettings {
            memory_mb: settings.memory_mb,
            duration_ms: settings.duration_ms,
            batch_size: settings.batch_size,
            average_batch: settings.average_batch,
        },
    );
    if let Some(pollers) = settings.idle_pollers {
        function.idle_pollers = pollers;
    }
}

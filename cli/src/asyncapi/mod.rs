//! `cqrsgen export asyncapi`: the system as an AsyncAPI 3.0 document, for event catalogs
//! (EventCatalog imports it), AsyncAPI Studio and AsyncAPI generators.
//!
//! The mapping (written out in `docs/asyncapi.md`):
//! - the hub bus is the one server; AsyncAPI has no EventBridge binding (there are `sqs` and
//!   `sns` ones), so its protocol is the custom string [`PROTOCOL`];
//! - each event is a channel whose address is its EventBridge `detail-type`;
//! - each version of an event is a message: the envelope with the payload under the entity
//!   key, the payload being the JSON Schema `cqrsgen generate` writes for that version;
//!   examples are the spec's, wrapped in the envelope ([`envelope::example`]);
//! - the owner's trigger `send`s the current version; each subscriber `receive`s every
//!   version (listeners upcast older ones), with the rule's compiled EventBridge pattern, the
//!   filter and the projections into its views under `x-cqrsgen`, which AsyncAPI has no
//!   field for. External events have no `send` operation: their producer is outside.
//!
//! The document is built as JSON (keys sorted, so every run writes the same text) and
//! written as JSON or, with the templates' YAML writer, as YAML.

pub mod envelope;

use serde_json::{Map, Value, json};

use crate::emit::json_schema::{envelope_schema, event_schema};
use crate::ir::{
    Event, EventVersion, Literal, Producer, Projection, ProjectionKind, Source, System, Upcast,
    View, When,
};

/// The AsyncAPI version of the document.
pub const ASYNCAPI_VERSION: &str = "3.0.0";

/// The server protocol of the bus. AsyncAPI defines none for EventBridge, and no binding.
pub const PROTOCOL: &str = "amazon-eventbridge";

/// The extension key of everything AsyncAPI cannot say.
pub const EXTENSION: &str = "x-cqrsgen";

/// The server's key.
const SERVER: &str = "hub";

/// The key of the envelope schema in `components.schemas`.
const ENVELOPE: &str = "envelope";

/// Settings of the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `info.version`: the version of the whole API, which the spec does not have.
    pub api_version: String,
    /// The region in the server's variables and the examples' tags.
    pub region: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            api_version: "1.0.0".into(),
            region: "us-east-1".into(),
        }
    }
}

/// The AsyncAPI 3.0 document of `system`.
pub fn document(system: &System, options: &Options) -> Value {
    let mut channels = Map::new();
    let mut operations = Map::new();
    let mut messages = Map::new();
    let mut schemas = Map::new();
    schemas.insert(
        ENVELOPE.into(),
        standalone(envelope_schema(system), &mut Map::new()),
    );

    for (event_id, event) in system.events.iter() {
        let mut channel_messages = Map::new();
        for version in &event.versions {
            let key = message_key(event, version);
            let schema_key = format!("{}.v{}", event.name, version.version);
            let payload = standalone(event_schema(system, event, version), &mut schemas);
            schemas.insert(schema_key.clone(), payload);
            messages.insert(
                key.clone(),
                message(system, event, version, &schema_key, options),
            );
            channel_messages.insert(
                key.clone(),
                json!({ "$ref": format!("#/components/messages/{}", pointer_token(&key)) }),
            );
        }
        let mut channel = Map::new();
        channel.insert("address".into(), event.name.clone().into());
        channel.insert("title".into(), event.name.clone().into());
        if let Some(description) = &event.description {
            channel.insert("description".into(), description.clone().into());
        }
        channel.insert("messages".into(), Value::Object(channel_messages));
        channel.insert(
            "servers".into(),
            json!([{ "$ref": format!("#/servers/{SERVER}") }]),
        );
        let producer = match event.producer {
            Producer::Service(owner) => json!(system.services[owner].name),
            Producer::External => json!("external"),
        };
        let mut extension = json!({
            "detailType": event.name,
            "entity": event.entity,
            "entityKey": event.names.entity_key,
            "producer": producer,
            "currentVersion": event.current().version,
        });
        if let Some(source) = event.source(system) {
            extension["source"] = json!(source);
        }
        if event.deprecated {
            extension["deprecated"] = json!(true);
        }
        channel.insert(EXTENSION.into(), extension);
        channels.insert(event.name.clone(), Value::Object(channel));

        let channel_ref = json!({ "$ref": format!("#/channels/{}", pointer_token(&event.name)) });
        let message_ref = |version: &EventVersion| {
            json!({
                "$ref": format!(
                    "#/channels/{}/messages/{}",
                    pointer_token(&event.name),
                    pointer_token(&message_key(event, version))
                )
            })
        };
        if let Producer::Service(owner) = event.producer {
            let service = &system.services[owner];
            let when: Vec<Value> = service
                .publishes
                .iter()
                .filter(|p| p.event == event_id)
                .map(|p| {
                    json!({
                        "entity": system.entities[p.entity].name,
                        "when": when_text(&p.when),
                    })
                })
                .collect();
            let description = format!(
                "The trigger of `{}` publishes `{}` (version {}) to the bus from its entity table's stream.",
                service.name,
                event.name,
                event.current().version
            );
            operations.insert(
                format!("{}.send.{}", service.name, event.name),
                json!({
                    "action": "send",
                    "channel": channel_ref,
                    "title": format!("{} publishes {}", service.name, event.name),
                    "description": description,
                    "messages": [message_ref(event.current())],
                    EXTENSION: { "service": service.name, "publishes": when },
                }),
            );
        }
        for (service_id, subscription) in system.consumers(event_id) {
            let service = &system.services[service_id];
            let projections: Vec<Value> = system
                .views_of(service_id)
                .flat_map(|(_, view)| {
                    view.projections
                        .iter()
                        .filter(|p| p.event == event_id)
                        .map(move |p| projection(system, view, p))
                })
                .collect();
            let mut extension = json!({
                "service": service.name,
                "pattern": subscription.pattern.to_json(),
                "views": projections,
                "reads": subscription.reads.fields.keys().collect::<Vec<_>>(),
            });
            if let Some(filter) = &subscription.filter {
                extension["filter"] = serde_json::to_value(filter).unwrap_or(Value::Null);
            }
            let mut operation = json!({
                "action": "receive",
                "channel": channel_ref,
                "title": format!("{} receives {}", service.name, event.name),
                "messages": event.versions.iter().map(message_ref).collect::<Vec<_>>(),
                EXTENSION: extension,
            });
            let description = subscription.description.clone().unwrap_or_else(|| {
                format!(
                    "An EventBridge rule delivers `{}` to the listener queue of `{}`.",
                    event.name, service.name
                )
            });
            operation["description"] = json!(description);
            operations.insert(
                format!("{}.receive.{}", service.name, event.name),
                operation,
            );
        }
    }

    let mut description = system.description.clone().unwrap_or_default();
    if !description.is_empty() {
        description.push_str("\n\n");
    }
    description.push_str(&format!(
        "The domain events of system `{}` on the Amazon EventBridge bus `{}`. Generated by \
         cqrsgen {} from the system's spec; views and projections, which AsyncAPI cannot \
         express, are under `{EXTENSION}`.",
        system.name,
        system.bus,
        env!("CARGO_PKG_VERSION")
    ));
    let views: Map<String, Value> = system
        .views
        .values()
        .map(|view| {
            let service = &system.services[view.service].name;
            (
                format!("{service}/{}", view.name),
                view_extension(system, view),
            )
        })
        .collect();
    json!({
        "asyncapi": ASYNCAPI_VERSION,
        "id": format!("urn:cqrsgen:{}", system.name),
        "info": {
            "title": system.name,
            "version": options.api_version,
            "description": description,
        },
        "defaultContentType": "application/json",
        "servers": {
            SERVER: {
                "host": "events.{region}.amazonaws.com",
                "protocol": PROTOCOL,
                "title": system.bus,
                "description": format!(
                    "The EventBridge bus `{}`. Producers put events with PutEvents (`Source` \
                     = the producing service, `DetailType` = the event, `Detail` = the \
                     envelope); each subscription is an EventBridge rule delivering the \
                     envelope (`InputPath: $.detail`) to the subscriber's SQS queue. \
                     AsyncAPI has no EventBridge protocol or binding, so the protocol is \
                     `{PROTOCOL}`.",
                    system.bus
                ),
                "variables": {
                    "region": {
                        "default": options.region,
                        "description": "The AWS region of the deployment.",
                    }
                },
                EXTENSION: { "bus": system.bus },
            }
        },
        "channels": channels,
        "operations": operations,
        "components": { "messages": messages, "schemas": schemas },
        EXTENSION: {
            "system": system.name,
            "bus": system.bus,
            "generator": format!("cqrsgen {}", env!("CARGO_PKG_VERSION")),
            "views": views,
        },
    })
}

/// The document as pretty JSON, ending with a newline.
pub fn to_json(document: &Value) -> String {
    let mut text = serde_json::to_string_pretty(document).unwrap_or_default();
    text.push('\n');
    text
}

/// The document as YAML, written with the templates' YAML writer.
pub fn to_yaml(document: &Value) -> Result<String, crate::cfn::CfnError> {
    crate::cfn::json_to_yaml(document)
}

/// The key of a message: `<event>.v<version>`.
fn message_key(event: &Event, version: &EventVersion) -> String {
    format!("{}.v{}", event.name, version.version)
}

/// The message of one version of an event.
fn message(
    system: &System,
    event: &Event,
    version: &EventVersion,
    schema_key: &str,
    options: &Options,
) -> Value {
    let entity_key = &event.names.entity_key;
    let payload = json!({
        "allOf": [
            { "$ref": format!("#/components/schemas/{ENVELOPE}") },
            {
                "type": "object",
                "properties": {
                    "type": { "const": event.name },
                    "schemaVersion": { "const": version.version },
                    entity_key: { "$ref": format!("#/components/schemas/{}", pointer_token(schema_key)) },
                },
                "required": [entity_key],
            }
        ]
    });
    let examples: Vec<Value> = version
        .examples
        .iter()
        .enumerate()
        .map(|(i, example)| {
            let mut envelope = envelope::example(system, event, example, i, &options.region);
            envelope["schemaVersion"] = json!(version.version);
            json!({
                "name": format!("example-{}", i + 1),
                "summary": format!("Example {} of the spec, in the envelope.", i + 1),
                "payload": envelope,
            })
        })
        .collect();
    let current = version.version == event.current().version;
    let mut extension = json!({
        "event": event.name,
        "version": version.version,
        "current": current,
        "schemaId": crate::emit::json_schema::event_schema_id(system, event, version),
    });
    match &version.upcast {
        Some(Upcast::Additive) => extension["upcast"] = json!("additive"),
        Some(Upcast::Hook(hook)) => extension["upcast"] = json!({ "hook": hook.name }),
        None => {}
    }
    if event.deprecated {
        extension["deprecated"] = json!(true);
    }
    let mut message = json!({
        "name": event.name,
        "title": format!("{} v{}", event.name, version.version),
        "contentType": "application/json",
        "payload": payload,
        EXTENSION: extension,
    });
    if let Some(summary) = version.description.as_ref().or(event.description.as_ref()) {
        message["summary"] = json!(summary);
    }
    if !examples.is_empty() {
        message["examples"] = json!(examples);
    }
    message
}

/// A generated schema as a schema of the document: without `$schema` and `$id` (the
/// document is their base), its `$defs` moved to `components.schemas` as `type.<name>` and
/// its references rewritten to point there.
fn standalone(schema: Value, components: &mut Map<String, Value>) -> Value {
    let Value::Object(mut map) = schema else {
        return schema;
    };
    map.remove("$schema");
    map.remove("$id");
    if let Some(Value::Object(defs)) = map.remove("$defs") {
        for (name, def) in defs {
            components.insert(format!("type.{name}"), rewrite_refs(def));
        }
    }
    rewrite_refs(Value::Object(map))
}

/// Points `#/$defs/<name>` references at `#/components/schemas/type.<name>`.
fn rewrite_refs(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| match (key.as_str(), &value) {
                    ("$ref", Value::String(target)) => {
                        let target = match target.strip_prefix("#/$defs/") {
                            Some(name) => format!("#/components/schemas/type.{name}"),
                            None => target.clone(),
                        };
                        (key, Value::String(target))
                    }
                    _ => (key, rewrite_refs(value)),
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(rewrite_refs).collect()),
        other => other,
    }
}

/// Escapes a key for a JSON pointer in a `$ref`.
fn pointer_token(key: &str) -> String {
    crate::load::span::escape_token(key)
}

/// The change of an entity that publishes, as the spec writes it.
fn when_text(when: &When) -> Value {
    match when {
        When::Insert => json!("insert"),
        When::Modify => json!("modify"),
        When::Remove => json!("remove"),
        When::SoftDelete => json!("soft-delete"),
        When::Undelete => json!("undelete"),
        When::Transition(t) => {
            let mut value = json!({ "field": t.field.dotted(), "becomes": literal(&t.becomes) });
            if !t.from.is_empty() {
                value["from"] = t.from.iter().map(literal).collect();
            }
            value
        }
    }
}

fn literal(literal: &Literal) -> Value {
    match literal {
        Literal::Bool(b) => json!(b),
        Literal::Number(n) => Value::Number(n.clone()),
        Literal::String(s) => json!(s),
    }
}

/// How a projection changes a view: the view, the kind and the field sources.
fn projection(system: &System, view: &View, projection: &Projection) -> Value {
    let assignments = |assignments: &[crate::ir::Assignment]| -> Map<String, Value> {
        assignments
            .iter()
            .map(|a| {
                let source = match &a.source {
                    Source::Field(path) => json!(path.dotted()),
                    Source::Meta(meta) => json!(meta.spelling()),
                    Source::Const(value) => json!({ "const": literal(value) }),
                };
                (view.fields[a.field].name.clone(), source)
            })
            .collect()
    };
    let service = &system.services[view.service].name;
    let (kind, detail) = match &projection.kind {
        ProjectionKind::Upsert(a) => ("upsert", Value::Object(assignments(a))),
        ProjectionKind::Delete(a) => ("delete", Value::Object(assignments(a))),
        ProjectionKind::Hook(hook) => ("hook", json!(hook.name)),
    };
    json!({ "view": format!("{service}/{}", view.name), kind: detail })
}

/// A view: its key, indexes and fields with their types.
fn view_extension(system: &System, view: &View) -> Value {
    let key = |key: crate::ir::ViewKey| {
        let mut value = json!({ "partition": view.fields[key.partition].name });
        if let Some(sort) = key.sort {
            value["sort"] = json!(view.fields[sort].name);
        }
        value
    };
    let fields: Map<String, Value> = view
        .fields
        .iter()
        .map(|f| {
            let mut ty = f.ty.kind.describe(system);
            if f.optional {
                ty.push('?');
            }
            (f.name.clone(), json!(ty))
        })
        .collect();
    let indexes: Map<String, Value> = view
        .indexes
        .iter()
        .map(|i| (i.name.clone(), key(i.key)))
        .collect();
    let mut value = json!({
        "service": system.services[view.service].name,
        "key": key(view.key),
        "fields": fields,
        "projects": view.projections.iter().map(|p| system.events[p.event].name.clone()).collect::<Vec<_>>(),
    });
    if !indexes.is_empty() {
        value["indexes"] = Value::Object(indexes);
    }
    if let Some(description) = &view.description {
        value["description"] = json!(description);
    }
    value
}

#[cfg(test)]
mod tests;

//! JSON Schema (draft 2020-12) of event payloads and of the envelope.
//!
//! Decisions, shared by every schema here:
//! - Objects allow additional properties (`additionalProperties: true`): readers ignore
//!   fields they do not know, so producers can add optional fields without breaking them.
//!   This is the same forward compatibility the generated Rust types have.
//! - Optional fields are absent or `null` (`anyOf: [<type>, {type: null}]`) and not
//!   `required`.
//! - Shared named types are `$defs`, referenced with `$ref`; only the ones a payload uses.
//! - Decimals are JSON strings matching [`DECIMAL_PATTERN`]; their `min`/`max` cannot be
//!   expressed on strings and are checked by the generated `validate` only.
//! - `int32` integers carry the bounds of `i32` unless the spec's bounds are narrower.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::ir::{
    Constraints, Event, EventVersion, Field, IntWidth, NamedKind, System, Ty, TypeId, TypeKind,
};

/// The JSON Schema dialect of every generated schema.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// What a decimal string looks like on the wire.
pub const DECIMAL_PATTERN: &str = r"^-?[0-9]+(\.[0-9]+)?$";

/// The `$id` of the schema of one event version: `<system>/<event>/v<N>`.
pub fn event_schema_id(system: &System, event: &Event, version: &EventVersion) -> String {
    format!("{}/{}/v{}", system.name, event.name, version.version)
}

/// The schema of the payload (the entity object) of one version of an event.
pub fn event_schema(system: &System, event: &Event, version: &EventVersion) -> Value {
    let mut defs = Defs {
        system,
        schemas: BTreeMap::new(),
    };
    let body = defs.object(&version.fields);
    let mut schema = Map::new();
    schema.insert("$schema".into(), DIALECT.into());
    schema.insert("$id".into(), event_schema_id(system, event, version).into());
    schema.insert(
        "title".into(),
        format!("{} v{}", event.name, version.version).into(),
    );
    if let Some(description) = version.description.as_ref().or(event.description.as_ref()) {
        schema.insert("description".into(), description.as_str().into());
    }
    if event.deprecated {
        schema.insert("deprecated".into(), true.into());
    }
    if let Value::Object(body) = body {
        schema.extend(body);
    }
    if !defs.schemas.is_empty() {
        let defs = defs.schemas.into_iter().map(|(k, v)| (k.to_owned(), v));
        schema.insert("$defs".into(), Value::Object(defs.collect()));
    }
    Value::Object(schema)
}

/// The schema of the envelope around every event (aws-lambda-stream's shape plus
/// `schemaVersion` and `sequence`). The payload key differs per event, so it is allowed, not listed.
pub fn envelope_schema(system: &System) -> Value {
    json!({
        "$schema": DIALECT,
        "$id": format!("{}/envelope", system.name),
        "title": "event envelope",
        "description": "The envelope of every event on the bus; the payload sits under the event's entity name in lowerCamelCase.",
        "type": "object",
        "properties": {
            "id": { "type": "string", "description": "Unique, deterministic event id." },
            "type": { "type": "string", "description": "The event type (EventBridge DetailType)." },
            "timestamp": { "type": "integer", "description": "Epoch milliseconds of the change." },
            "partitionKey": { "type": "string", "description": "The entity id or a correlation id." },
            "tags": {
                "type": "object",
                "additionalProperties": { "type": "string" },
                "description": "Routing information: account, region, stage, source, ..."
            },
            "raw": { "description": "Source data; not a compatibility contract." },
            "schemaVersion": {
                "type": "integer",
                "minimum": 1,
                "default": 1,
                "description": "The payload's schema version; absent means 1."
            },
            "sequence": {
                "type": "integer",
                "minimum": 0,
                "default": 0,
                "description": "The event's position among the events one change produced; absent means 0. Views apply events of one change in this order."
            }
        },
        "required": ["id", "type", "timestamp", "partitionKey"],
        "additionalProperties": true
    })
}

/// The named types a schema refers to, collected while building it.
struct Defs<'a> {
    system: &'a System,
    schemas: BTreeMap<&'a str, Value>,
}

impl<'a> Defs<'a> {
    fn object(&mut self, fields: &'a [Field]) -> Value {
        let properties: Map<String, Value> = fields
            .iter()
            .map(|field| (field.name.clone(), self.field(field)))
            .collect();
        let required: Vec<&str> = fields
            .iter()
            .filter(|f| !f.optional)
            .map(|f| f.name.as_str())
            .collect();
        json!({
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": true,
        })
    }

    fn field(&mut self, field: &'a Field) -> Value {
        let schema = self.ty(&field.ty);
        let mut schema = if field.optional {
            json!({ "anyOf": [schema, { "type": "null" }] })
        } else {
            schema
        };
        if let Value::Object(map) = &mut schema {
            if let Some(description) = &field.description {
                map.insert("description".into(), description.as_str().into());
            }
            if field.deprecated {
                map.insert("deprecated".into(), true.into());
            }
        }
        schema
    }

    fn ty(&mut self, ty: &'a Ty) -> Value {
        let c = &ty.constraints;
        let mut schema = match &ty.kind {
            TypeKind::String => string(c),
            TypeKind::Integer(width) => integer(*width, c),
            TypeKind::Number => with_bounds(json!({ "type": "number" }), c.min, c.max),
            TypeKind::Decimal => json!({ "type": "string", "pattern": DECIMAL_PATTERN }),
            TypeKind::Boolean => json!({ "type": "boolean" }),
            TypeKind::Timestamp => json!({ "type": "string", "format": "date-time" }),
            TypeKind::Date => json!({ "type": "string", "format": "date" }),
            TypeKind::Uuid => json!({ "type": "string", "format": "uuid" }),
            TypeKind::Enum(values) => enumeration(values),
            TypeKind::Array(item) => json!({ "type": "array", "items": self.ty(item) }),
            TypeKind::Map(item) => {
                json!({ "type": "object", "additionalProperties": self.ty(item) })
            }
            TypeKind::Record(fields) => self.object(fields),
            TypeKind::Named(id) => self.named(*id),
        };
        if let Value::Object(map) = &mut schema {
            if let Some(min) = c.min_items {
                map.insert("minItems".into(), min.into());
            }
            if let Some(max) = c.max_items {
                map.insert("maxItems".into(), max.into());
            }
        }
        schema
    }

    fn named(&mut self, id: TypeId) -> Value {
        let named = &self.system.types[id];
        let name = named.name.as_str();
        if !self.schemas.contains_key(name) {
            // Placeholder first, so a recursive type does not recurse here forever.
            self.schemas.insert(name, Value::Null);
            let mut schema = match &named.kind {
                NamedKind::Record(fields) => self.object(fields),
                NamedKind::Enum(values) => enumeration(values),
            };
            if let (Value::Object(map), Some(description)) = (&mut schema, &named.description) {
                map.insert("description".into(), description.as_str().into());
            }
            self.schemas.insert(name, schema);
        }
        json!({ "$ref": format!("#/$defs/{name}") })
    }
}

fn enumeration(values: &[crate::ir::EnumValue]) -> Value {
    let values: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
    json!({ "type": "string", "enum": values })
}

fn string(c: &Constraints) -> Value {
    let mut schema = Map::new();
    schema.insert("type".into(), "string".into());
    if let Some(min) = c.min_length {
        schema.insert("minLength".into(), min.into());
    }
    if let Some(max) = c.max_length {
        schema.insert("maxLength".into(), max.into());
    }
    if let Some(pattern) = &c.pattern {
        schema.insert("pattern".into(), pattern.as_str().into());
    }
    if let Some(format) = c.format {
        schema.insert("format".into(), format.as_str().into());
    }
    Value::Object(schema)
}

fn integer(width: IntWidth, c: &Constraints) -> Value {
    match width {
        IntWidth::I64 => with_bounds(json!({ "type": "integer" }), c.min, c.max),
        IntWidth::I32 => {
            let min = c.min.unwrap_or(f64::MIN).max(f64::from(i32::MIN));
            let max = c.max.unwrap_or(f64::MAX).min(f64::from(i32::MAX));
            with_bounds(
                json!({ "type": "integer", "format": "int32" }),
                Some(min),
                Some(max),
            )
        }
    }
}

fn with_bounds(mut schema: Value, min: Option<f64>, max: Option<f64>) -> Value {
    if let Value::Object(map) = &mut schema {
        if let Some(min) = min {
            map.insert("minimum".into(), number(min));
        }
        if let Some(max) = max {
            map.insert("maximum".into(), number(max));
        }
    }
    schema
}

/// A bound as a JSON number: whole numbers without a fraction, so integer schemas read
/// naturally (`1`, not `1.0`).
fn number(value: f64) -> Value {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if value.fract() == 0.0 && value.abs() <= EXACT {
        // Exact: a whole number within the range where f64 represents every integer.
        json!(value as i64)
    } else {
        json!(value)
    }
}

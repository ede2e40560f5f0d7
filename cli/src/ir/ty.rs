//! Field types and resolved field paths.

use super::{NamedKind, System, TypeId};

/// A field of an event version, entity, view or record. Two fields are equal when they mean
/// the same, wherever they are written (the origin is left out).
#[derive(Debug, Clone)]
pub struct Field {
    /// The wire name, as written in the spec.
    pub name: String,
    /// The Rust field name (`orderId` -> `order_id`).
    pub ident: String,
    /// Its type and constraints.
    pub ty: Ty,
    /// May be absent.
    pub optional: bool,
    /// What it means.
    pub description: Option<String>,
    /// Should no longer be used.
    pub deprecated: bool,
    /// Where it is defined.
    pub origin: super::Origin,
}

impl PartialEq for Field {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.ty == other.ty
            && self.optional == other.optional
            && self.description == other.description
            && self.deprecated == other.deprecated
    }
}

impl Field {
    /// Whether the Rust name differs from the wire name, so serde needs a `rename`.
    pub fn renamed(&self) -> bool {
        crate::naming::wire_rename_needed(&self.name, &self.ident)
    }
}

/// A type with its constraints.
#[derive(Debug, Clone, PartialEq)]
pub struct Ty {
    /// The shape.
    pub kind: TypeKind,
    /// Checks values must pass.
    pub constraints: Constraints,
}

/// The shape of a value.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// UTF-8 text.
    String,
    /// A whole number.
    Integer(IntWidth),
    /// A double-precision float.
    Number,
    /// An exact decimal, written as a JSON string.
    Decimal,
    /// true or false.
    Boolean,
    /// An instant, RFC 3339 on the wire.
    Timestamp,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// A UUID, canonical text.
    Uuid,
    /// One of a closed set of strings, declared inline.
    Enum(Vec<EnumValue>),
    /// A list.
    Array(Box<Ty>),
    /// String keys to values.
    Map(Box<Ty>),
    /// A record declared inline.
    Record(Vec<Field>),
    /// A shared named type.
    Named(TypeId),
}

/// A value of an enum: on the wire and in Rust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    /// The value, as written in the spec and on the wire.
    pub wire: String,
    /// The Rust variant name.
    pub variant: String,
}

impl EnumValue {
    /// Whether the variant name differs from the wire value, so serde needs a `rename`.
    pub fn renamed(&self) -> bool {
        crate::naming::wire_rename_needed(&self.wire, &self.variant)
    }
}

pub use crate::model::{Constraints, IntWidth, StringFormat};

impl TypeKind {
    /// The type's name as users write it.
    pub fn describe(&self, system: &System) -> String {
        match self {
            TypeKind::String => "string".into(),
            TypeKind::Integer(IntWidth::I64) => "integer".into(),
            TypeKind::Integer(IntWidth::I32) => "integer (int32)".into(),
            TypeKind::Number => "number".into(),
            TypeKind::Decimal => "decimal".into(),
            TypeKind::Boolean => "boolean".into(),
            TypeKind::Timestamp => "timestamp".into(),
            TypeKind::Date => "date".into(),
            TypeKind::Uuid => "uuid".into(),
            TypeKind::Enum(values) => {
                let values: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
                format!("enum [{}]", values.join(", "))
            }
            TypeKind::Array(item) => format!("{}[]", item.kind.describe(system)),
            TypeKind::Map(item) => format!("map of {}", item.kind.describe(system)),
            TypeKind::Record(_) => "record".into(),
            TypeKind::Named(id) => system.types[*id].name.clone(),
        }
    }

    /// Whether values are JSON numbers on the wire.
    pub fn is_json_number(&self) -> bool {
        matches!(self, TypeKind::Integer(_) | TypeKind::Number)
    }

    /// Whether the generated Rust type is `Copy`.
    pub fn is_copy(&self, system: &System) -> bool {
        match self {
            TypeKind::Integer(_)
            | TypeKind::Number
            | TypeKind::Decimal
            | TypeKind::Boolean
            | TypeKind::Timestamp
            | TypeKind::Date
            | TypeKind::Uuid
            | TypeKind::Enum(_) => true,
            TypeKind::Named(id) => matches!(system.types[*id].kind, NamedKind::Enum(_)),
            TypeKind::String | TypeKind::Array(_) | TypeKind::Map(_) | TypeKind::Record(_) => false,
        }
    }

    /// The fields of a record, inline or named.
    pub fn record_fields<'a>(&'a self, system: &'a System) -> Option<&'a [Field]> {
        match self {
            TypeKind::Record(fields) => Some(fields),
            TypeKind::Named(id) => system.record(*id),
            _ => None,
        }
    }
}

/// A dotted field path (`shippingAddress.city`), resolved against the fields it starts from:
/// every field on the way, through records and named record types.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldPath {
    /// The fields on the way, the first in the fields the path starts from, the last the
    /// field the path names.
    pub steps: Vec<PathStep>,
    /// The type of the value the path reaches.
    pub ty: Ty,
}

/// One field on a [`FieldPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathStep {
    /// The field's wire name.
    pub name: String,
    /// The field's Rust name.
    pub ident: String,
    /// Whether the field is optional.
    pub optional: bool,
}

impl FieldPath {
    /// The path as written: wire names joined by `.`.
    pub fn dotted(&self) -> String {
        let names: Vec<&str> = self.steps.iter().map(|s| s.name.as_str()).collect();
        names.join(".")
    }

    /// Whether the value may be absent: a field on the way is optional.
    pub fn optional(&self) -> bool {
        self.steps.iter().any(|s| s.optional)
    }

    /// Resolves the dotted `path` in `fields`, through records and named record types of
    /// `system`; `None` when a segment does not exist or a non-record is entered.
    pub fn resolve(system: &System, fields: &[Field], path: &str) -> Option<FieldPath> {
        let mut fields = fields;
        let mut steps = Vec::new();
        let mut segments = path.split('.').peekable();
        while let Some(segment) = segments.next() {
            let field = fields.iter().find(|f| f.name == segment)?;
            steps.push(PathStep {
                name: field.name.clone(),
                ident: field.ident.clone(),
                optional: field.optional,
            });
            if segments.peek().is_none() {
                return Some(FieldPath {
                    steps,
                    ty: field.ty.clone(),
                });
            }
            fields = field.ty.kind.record_fields(system)?;
        }
        None
    }
}

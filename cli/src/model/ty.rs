//! Field types: parsing a spec field definition into a typed [`Field`], and looking up
//! field paths (`customer.address.city`) through records and named types.

use std::collections::BTreeMap;

use crate::spec::{FieldDef, FieldSpec};

/// A field of an event, entity, view or record. Two fields are equal when they mean the same,
/// wherever they are written (the origin is left out).
#[derive(Debug, Clone)]
pub struct Field {
    /// The wire name, as written in the spec.
    pub name: String,
    /// Its type and constraints.
    pub ty: Ty,
    /// May be absent.
    pub optional: bool,
    /// What it means.
    pub description: Option<String>,
    /// Should no longer be used.
    pub deprecated: bool,
    /// Where it is defined (set by [`super::build`]).
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
    /// One of a closed set of strings.
    Enum(Vec<String>),
    /// A list.
    Array(Box<Ty>),
    /// String keys to values.
    Map(Box<Ty>),
    /// An inline record.
    Record(Vec<Field>),
    /// A shared type, by name.
    Named(String),
}

/// Width of an integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntWidth {
    /// 32 bits.
    I32,
    /// 64 bits.
    I64,
}

/// Well-known string formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringFormat {
    /// An e-mail address.
    Email,
    /// An absolute URI.
    Uri,
    /// A DNS host name.
    Hostname,
}

impl StringFormat {
    /// The JSON Schema `format` name.
    pub fn as_str(self) -> &'static str {
        match self {
            StringFormat::Email => "email",
            StringFormat::Uri => "uri",
            StringFormat::Hostname => "hostname",
        }
    }
}

/// Constraints on values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// Inclusive lower bound of numbers.
    pub min: Option<f64>,
    /// Inclusive upper bound of numbers.
    pub max: Option<f64>,
    /// Fewest characters.
    pub min_length: Option<u64>,
    /// Most characters.
    pub max_length: Option<u64>,
    /// Regular expression strings must match.
    pub pattern: Option<String>,
    /// A string format.
    pub format: Option<StringFormat>,
    /// Fewest array elements.
    pub min_items: Option<u64>,
    /// Most array elements.
    pub max_items: Option<u64>,
}

impl TypeKind {
    /// The type's name as users write it.
    pub fn describe(&self) -> String {
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
            TypeKind::Enum(values) => format!("enum [{}]", values.join(", ")),
            TypeKind::Array(item) => format!("{}[]", item.kind.describe()),
            TypeKind::Map(item) => format!("map of {}", item.kind.describe()),
            TypeKind::Record(_) => "record".into(),
            TypeKind::Named(name) => name.clone(),
        }
    }

    /// Whether values are numbers (numeric filters apply).
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            TypeKind::Integer(_) | TypeKind::Number | TypeKind::Decimal
        )
    }

    /// Whether values are JSON numbers on the wire (EventBridge's numeric matching applies).
    /// Decimals are numeric but travel as strings, so they are not.
    pub fn is_json_number(&self) -> bool {
        matches!(self, TypeKind::Integer(_) | TypeKind::Number)
    }

    /// Whether values are JSON strings (string filters apply). Decimals are strings on the
    /// wire but compared as numbers, so they are not.
    pub fn is_textual(&self) -> bool {
        matches!(
            self,
            TypeKind::String
                | TypeKind::Timestamp
                | TypeKind::Date
                | TypeKind::Uuid
                | TypeKind::Enum(_)
        )
    }

    /// Whether the type can be a table key (a scalar stored as a string or number).
    pub fn is_key(&self) -> bool {
        self.is_textual() || matches!(self, TypeKind::Integer(_))
    }
}

/// The builtin type names.
pub const BUILTINS: &[&str] = &[
    "string",
    "integer",
    "number",
    "decimal",
    "boolean",
    "timestamp",
    "date",
    "uuid",
    "enum",
    "array",
    "map",
    "record",
];

/// A problem with a field definition, with the JSON pointer suffix it is at.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeError {
    /// Pointer relative to the field definition (empty for the field itself).
    pub at: String,
    /// What is wrong.
    pub message: String,
    /// A constraint is wrong (as opposed to the type itself).
    pub constraint: bool,
}

impl TypeError {
    /// A problem with the shape of a type.
    fn shape(at: String, message: String) -> Self {
        TypeError {
            at,
            message,
            constraint: false,
        }
    }
}

/// Parses a field definition. Problems are collected; the returned field is usable for
/// further checks even when there are some (unknown parts become strings).
pub fn parse_field(name: &str, def: &FieldDef, errors: &mut Vec<TypeError>) -> Field {
    match def {
        FieldDef::Short(text) => {
            let (text, optional) = match text.strip_suffix('?') {
                Some(rest) => (rest, true),
                None => (text.as_str(), false),
            };
            let (base, array) = match text.strip_suffix("[]") {
                Some(rest) => (rest, true),
                None => (text, false),
            };
            let kind = match scalar_kind(base, None) {
                Ok(Some(kind)) => kind,
                Ok(None) if matches!(base, "enum" | "array" | "map" | "record") => {
                    errors.push(TypeError {
                        at: String::new(),
                        constraint: false,
                        message: format!(
                            "`{base}` needs more than a name: write `{{ type: {base}, {} }}`",
                            match base {
                                "enum" => "values: [...]",
                                "record" => "fields: {...}",
                                _ => "items: ...",
                            }
                        ),
                    });
                    TypeKind::String
                }
                Ok(None) => TypeKind::Named(base.to_owned()),
                Err(message) => {
                    errors.push(TypeError::shape(String::new(), message));
                    TypeKind::String
                }
            };
            let ty = Ty {
                kind,
                constraints: Constraints::default(),
            };
            let ty = if array {
                Ty {
                    kind: TypeKind::Array(Box::new(ty)),
                    constraints: Constraints::default(),
                }
            } else {
                ty
            };
            Field {
                name: name.to_owned(),
                ty,
                optional,
                description: None,
                deprecated: false,
                origin: super::Origin::default(),
            }
        }
        FieldDef::Full(spec) => Field {
            name: name.to_owned(),
            ty: parse_spec(spec, "", errors),
            optional: spec.optional,
            description: spec.description.clone(),
            deprecated: spec.deprecated,
            origin: super::Origin::default(),
        },
    }
}

/// Parses the fields of a record, in name order.
pub fn parse_fields(
    fields: &BTreeMap<String, FieldDef>,
    at: &str,
    errors: &mut Vec<TypeError>,
) -> Vec<Field> {
    fields
        .iter()
        .map(|(name, def)| {
            let mut own = Vec::new();
            let field = parse_field(name, def, &mut own);
            let prefix = format!("{at}/{}", crate::load::span::escape_token(name));
            errors.extend(own.into_iter().map(|e| TypeError {
                at: format!("{prefix}{}", e.at),
                ..e
            }));
            field
        })
        .collect()
}

/// A builtin scalar by name; `Ok(None)` for anything else.
fn scalar_kind(name: &str, format: Option<&str>) -> Result<Option<TypeKind>, String> {
    Ok(Some(match name {
        "string" => TypeKind::String,
        "integer" => match format {
            Some("int32") => TypeKind::Integer(IntWidth::I32),
            None | Some("int64") => TypeKind::Integer(IntWidth::I64),
            Some(other) => {
                return Err(format!(
                    "`{other}` is not an integer format; use `int32` or `int64`"
                ));
            }
        },
        "number" => TypeKind::Number,
        "decimal" => TypeKind::Decimal,
        "boolean" => TypeKind::Boolean,
        "timestamp" => TypeKind::Timestamp,
        "date" => TypeKind::Date,
        "uuid" => TypeKind::Uuid,
        _ => return Ok(None),
    }))
}

fn parse_spec(spec: &FieldSpec, at: &str, errors: &mut Vec<TypeError>) -> Ty {
    let ty = spec.ty.as_str();
    let kind = match ty {
        "enum" => match &spec.values {
            Some(values) if !values.is_empty() => TypeKind::Enum(values.clone()),
            _ => {
                push(
                    errors,
                    at,
                    "type",
                    "an enum needs a non-empty `values` list".into(),
                );
                TypeKind::String
            }
        },
        "array" | "map" => match &spec.items {
            Some(items) => {
                let mut own = Vec::new();
                let item = parse_field("", items, &mut own);
                errors.extend(own.into_iter().map(|e| TypeError {
                    at: format!("{at}/items{}", e.at),
                    ..e
                }));
                let item = if item.optional {
                    errors.push(TypeError::shape(
                        format!("{at}/items"),
                        "elements cannot be optional".into(),
                    ));
                    item.ty
                } else {
                    item.ty
                };
                if ty == "array" {
                    TypeKind::Array(Box::new(item))
                } else {
                    TypeKind::Map(Box::new(item))
                }
            }
            None => {
                push(
                    errors,
                    at,
                    "type",
                    format!("`{ty}` needs `items`: the type of its elements"),
                );
                TypeKind::String
            }
        },
        "record" => match &spec.fields {
            Some(fields) if !fields.is_empty() => {
                TypeKind::Record(parse_fields(fields, &format!("{at}/fields"), errors))
            }
            _ => {
                push(errors, at, "type", "a record needs `fields`".into());
                TypeKind::String
            }
        },
        _ => match scalar_kind(
            ty,
            if ty == "integer" {
                spec.format.as_deref()
            } else {
                None
            },
        ) {
            Ok(Some(kind)) => kind,
            Ok(None) => TypeKind::Named(ty.to_owned()),
            Err(message) => {
                push(errors, at, "format", message);
                TypeKind::Integer(IntWidth::I64)
            }
        },
    };
    // Keys that only fit some kinds.
    let misplaced = [
        ("values", spec.values.is_some() && ty != "enum"),
        (
            "items",
            spec.items.is_some() && !matches!(ty, "array" | "map"),
        ),
        ("fields", spec.fields.is_some() && ty != "record"),
        ("min", spec.min.is_some() && !kind.is_numeric()),
        ("max", spec.max.is_some() && !kind.is_numeric()),
        (
            "minLength",
            spec.min_length.is_some() && kind != TypeKind::String,
        ),
        (
            "maxLength",
            spec.max_length.is_some() && kind != TypeKind::String,
        ),
        (
            "pattern",
            spec.pattern.is_some() && kind != TypeKind::String,
        ),
        (
            "minItems",
            spec.min_items.is_some() && !matches!(kind, TypeKind::Array(_)),
        ),
        (
            "maxItems",
            spec.max_items.is_some() && !matches!(kind, TypeKind::Array(_)),
        ),
    ];
    for (key, bad) in misplaced {
        if bad {
            push(
                errors,
                at,
                key,
                format!("`{key}` does not apply to a field of type `{ty}`"),
            );
        }
    }
    let format = match (spec.format.as_deref(), &kind) {
        (None, _) | (Some(_), TypeKind::Integer(_)) => None,
        (Some("email"), TypeKind::String) => Some(StringFormat::Email),
        (Some("uri"), TypeKind::String) => Some(StringFormat::Uri),
        (Some("hostname"), TypeKind::String) => Some(StringFormat::Hostname),
        (Some(other), _) => {
            push(
                errors,
                at,
                "format",
                format!(
                    "`{other}` is not a format of `{ty}` (strings: email, uri, hostname; integers: int32, int64)"
                ),
            );
            None
        }
    };
    let constraints = Constraints {
        min: spec.min,
        max: spec.max,
        min_length: spec.min_length,
        max_length: spec.max_length,
        pattern: spec.pattern.clone(),
        format,
        min_items: spec.min_items,
        max_items: spec.max_items,
    };
    check_constraints(&constraints, at, errors);
    Ty { kind, constraints }
}

fn push(errors: &mut Vec<TypeError>, at: &str, key: &str, message: String) {
    errors.push(TypeError::shape(format!("{at}/{key}"), message));
}

fn push_constraint(errors: &mut Vec<TypeError>, at: &str, key: &str, message: String) {
    errors.push(TypeError {
        at: format!("{at}/{key}"),
        message,
        constraint: true,
    });
}

fn check_constraints(c: &Constraints, at: &str, errors: &mut Vec<TypeError>) {
    if let (Some(min), Some(max)) = (c.min, c.max)
        && min > max
    {
        push_constraint(
            errors,
            at,
            "min",
            format!("`min` ({min}) is greater than `max` ({max})"),
        );
    }
    if let (Some(min), Some(max)) = (c.min_length, c.max_length)
        && min > max
    {
        push_constraint(
            errors,
            at,
            "minLength",
            format!("`minLength` ({min}) is greater than `maxLength` ({max})"),
        );
    }
    if let (Some(min), Some(max)) = (c.min_items, c.max_items)
        && min > max
    {
        push_constraint(
            errors,
            at,
            "minItems",
            format!("`minItems` ({min}) is greater than `maxItems` ({max})"),
        );
    }
    if let Some(pattern) = &c.pattern
        && let Err(e) = regex::Regex::new(pattern)
    {
        let first = e
            .to_string()
            .lines()
            .last()
            .unwrap_or_default()
            .trim()
            .trim_start_matches("error: ")
            .to_owned();
        push_constraint(
            errors,
            at,
            "pattern",
            format!("`pattern` is not a valid regular expression: {first}"),
        );
    }
}

/// Looks up a dotted path through records and named record types: the field the path names.
/// `None` when a segment does not exist or a non-record is entered.
pub fn lookup<'a>(
    fields: &'a [Field],
    path: &str,
    types: &'a BTreeMap<String, Vec<Field>>,
) -> Option<&'a Field> {
    lookup_path(fields, path, types)?.pop()
}

/// Looks up a dotted path through records and named record types: every field on the way,
/// the last the one the path names. `None` when a segment does not exist or a non-record is
/// entered. The one implementation of field path resolution.
pub fn lookup_path<'a>(
    fields: &'a [Field],
    path: &str,
    types: &'a BTreeMap<String, Vec<Field>>,
) -> Option<Vec<&'a Field>> {
    let mut fields = fields;
    let mut steps = Vec::new();
    let mut segments = path.split('.').peekable();
    while let Some(segment) = segments.next() {
        let field = fields.iter().find(|f| f.name == segment)?;
        steps.push(field);
        if segments.peek().is_none() {
            return Some(steps);
        }
        fields = match &field.ty.kind {
            TypeKind::Record(inner) => inner,
            TypeKind::Named(name) => types.get(name)?,
            _ => return None,
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn short(text: &str) -> (Field, Vec<TypeError>) {
        let mut errors = Vec::new();
        let field = parse_field("f", &FieldDef::Short(text.into()), &mut errors);
        (field, errors)
    }

    #[test]
    fn shorthand_covers_optional_and_arrays() {
        let (f, e) = short("uuid?");
        assert!(e.is_empty() && f.optional && f.ty.kind == TypeKind::Uuid);
        let (f, _) = short("order-line[]?");
        assert!(f.optional);
        assert_eq!(f.ty.kind.describe(), "order-line[]");
        let (_, e) = short("enum");
        assert!(e[0].message.contains("values"));
    }

    #[test]
    fn full_definitions_check_their_keys() {
        let spec = FieldSpec {
            ty: "integer".into(),
            min_length: Some(1),
            min: Some(5.0),
            max: Some(1.0),
            ..Default::default()
        };
        let mut errors = Vec::new();
        parse_field("f", &FieldDef::Full(Box::new(spec)), &mut errors);
        let messages: Vec<_> = errors
            .iter()
            .map(|e| (e.at.as_str(), e.message.as_str()))
            .collect();
        assert!(messages.contains(&(
            "/minLength",
            "`minLength` does not apply to a field of type `integer`"
        )));
        assert!(
            messages
                .iter()
                .any(|(at, m)| *at == "/min" && m.contains("greater"))
        );
    }

    #[test]
    fn bad_patterns_are_reported() {
        let spec = FieldSpec {
            ty: "string".into(),
            pattern: Some("(".into()),
            ..Default::default()
        };
        let mut errors = Vec::new();
        parse_field("f", &FieldDef::Full(Box::new(spec)), &mut errors);
        assert_eq!(errors[0].at, "/pattern");
    }

    #[test]
    fn paths_go_through_records_and_named_types() {
        let (city, _) = short("string");
        let city = Field {
            name: "city".into(),
            ..city
        };
        let types = BTreeMap::from([("address".to_owned(), vec![city])]);
        let (addr, _) = short("address");
        let addr = Field {
            name: "address".into(),
            ..addr
        };
        let fields = vec![addr];
        assert!(lookup(&fields, "address.city", &types).is_some());
        assert!(lookup(&fields, "address.zip", &types).is_none());
        assert!(lookup(&fields, "address.city.x", &types).is_none());
    }
}

//! Name checks: the allowed characters of every spec name, names that collide once they
//! become Rust identifiers, reserved names, and AWS naming rules. The rules themselves live
//! in [`crate::naming`]; this module only applies them to the model and places findings.

use super::context::{Checker, Part};
use super::references::all_fields;
use crate::diagnostic::Code;
use crate::load::span::escape_token;
use crate::model::{Field, NamedKind, Origin, Projection, TypeKind};
use crate::naming::{self, AwsNameKind, NameError};

/// Attributes the generated tables keep for themselves; entity and view fields may not use
/// them.
pub const RESERVED_ATTRIBUTES: &[&str] = &[
    "pk",
    "sk",
    "discriminator",
    "timestamp",
    "lastModifiedBy",
    "deleted",
    "latched",
    "ttl",
    "awsregion",
];

/// Runs the checks.
pub fn check(c: &mut Checker<'_>) {
    let system = c.system;
    let root = Origin {
        file: 0,
        pointer: String::new(),
    };
    kebab(c, &system.name, &root.at("/system"), Part::Value, "system");
    if let Err(e) = naming::check_staged_aws_name(AwsNameKind::EventBus, &system.bus) {
        c.error(
            Code::AwsLimit,
            &root.at("/bus"),
            Part::Value,
            format!("bus name `{}` {e}", system.bus),
        )
        .with_help(
            "EventBridge bus names use letters, digits, `.`, `-` and `_`, up to 256 characters, \
             and the templates append `-<stage>`: at most 245 characters here",
        );
    }
    for t in system.types.values() {
        kebab(c, &t.name, &t.origin, Part::Key, "type");
        if crate::model::ty::BUILTINS.contains(&t.name.as_str()) {
            c.error(
                Code::InvalidName,
                &t.origin,
                Part::Key,
                format!("type name `{}` is a builtin type", t.name),
            )
            .with_help("choose another name");
        }
        if let NamedKind::Enum(values) = &t.kind {
            enum_values(c, values, &t.origin.at("/values"));
        }
    }
    for e in system.events.values() {
        kebab(c, &e.name, &e.origin, Part::Key, "event");
        kebab(c, &e.entity, &e.origin.at("/entity"), Part::Value, "entity");
        for v in e
            .versions
            .iter()
            .filter_map(|v| v.upcast.as_ref().map(|h| (v, h)))
        {
            kebab(
                c,
                v.1,
                &e.origin.at(&format!("{}/upcast", v.0.at)),
                Part::Value,
                "hook",
            );
        }
    }
    collide(
        c,
        system
            .events
            .values()
            .map(|e| (e.name.as_str(), e.origin.clone())),
        naming::check_kebab,
        naming::type_ident,
        "events",
    );
    collide(
        c,
        system
            .types
            .values()
            .map(|t| (t.name.as_str(), t.origin.clone())),
        naming::check_kebab,
        naming::type_ident,
        "types",
    );
    collide(
        c,
        system
            .services
            .values()
            .map(|s| (s.name.as_str(), s.origin.clone())),
        naming::check_kebab,
        naming::module_ident,
        "services",
    );
    for s in system.services.values() {
        kebab(c, &s.name, &s.origin, Part::Key, "service");
        for entity in s.entities.values() {
            let at = s
                .origin
                .at(&format!("/entities/{}", escape_token(&entity.name)));
            kebab(c, &entity.name, &at, Part::Key, "entity");
            reserved(c, &entity.fields, &at.at("/fields"));
        }
        for view in s.views.values() {
            let at = s.origin.at(&format!("/views/{}", escape_token(&view.name)));
            kebab(c, &view.name, &at, Part::Key, "view");
            reserved(c, &view.fields, &at.at("/fields"));
            for name in view.indexes.keys() {
                let here = at.at(&format!("/indexes/{}", escape_token(name)));
                kebab(c, name, &here, Part::Key, "index");
                if let Err(e) = naming::check_aws_name(AwsNameKind::DynamoDbIndex, name) {
                    c.error(
                        Code::AwsLimit,
                        &here,
                        Part::Key,
                        format!("index name `{}` {e}", printable(name)),
                    )
                    .with_help("DynamoDB index names have 3 to 255 characters");
                }
            }
            for (event, projection) in &view.projections {
                if let Projection::Hook(hook) = projection {
                    kebab(
                        c,
                        hook,
                        &at.at(&format!("/projections/{}/hook", escape_token(event))),
                        Part::Value,
                        "hook",
                    );
                }
            }
        }
        let views = s.views.keys().map(|v| {
            (
                v.as_str(),
                s.origin.at(&format!("/views/{}", escape_token(v))),
            )
        });
        collide(c, views, naming::check_kebab, naming::type_ident, "views");
    }
    for (at, fields) in all_fields(c) {
        field_names(c, fields, &at);
    }
}

/// Checks a kebab-case name.
fn kebab(c: &mut Checker<'_>, name: &str, at: &Origin, part: Part, what: &str) {
    if let Err(e) = naming::check_kebab(name) {
        invalid(c, name, at, part, what, &e);
    } else if let Err(e) = naming::file_stem(name) {
        invalid(c, name, at, part, what, &e);
    }
}

fn invalid(
    c: &mut Checker<'_>,
    name: &str,
    at: &Origin,
    part: Part,
    what: &str,
    error: &NameError,
) {
    let found = c.error(
        Code::InvalidName,
        at,
        part,
        format!("{what} name `{}` {error}", printable(name)),
    );
    if let Some(suggestion) = naming::suggest_kebab(name).filter(|s| s != name) {
        found.with_help(format!("write `{suggestion}`"));
    }
}

/// A name as shown in a message: control characters escaped so they cannot break the
/// report.
fn printable(name: &str) -> String {
    name.escape_debug().to_string()
}

/// Field names (recursively through inline records), enum values, and collisions between
/// the fields of one record.
fn field_names(c: &mut Checker<'_>, fields: &[Field], at: &Origin) {
    for field in fields {
        let here = at.at(&format!("/{}", escape_token(&field.name)));
        if let Err(e) = naming::check_field(&field.name) {
            c.error(
                Code::InvalidName,
                &here,
                Part::Key,
                format!("field name `{}` {e}", printable(&field.name)),
            );
        }
        let mut kind = &field.ty.kind;
        let mut suffix = String::new();
        loop {
            match kind {
                TypeKind::Array(inner) | TypeKind::Map(inner) => {
                    kind = &inner.kind;
                    suffix.push_str("/items");
                }
                TypeKind::Record(inner) => {
                    field_names(c, inner, &here.at(&format!("{suffix}/fields")));
                    break;
                }
                TypeKind::Enum(values) => {
                    enum_values(c, values, &here.at(&format!("{suffix}/values")));
                    break;
                }
                _ => break,
            }
        }
    }
    let names = fields.iter().map(|f| {
        (
            f.name.as_str(),
            at.at(&format!("/{}", escape_token(&f.name))),
        )
    });
    collide(c, names, naming::check_field, naming::field_ident, "fields");
}

fn enum_values(c: &mut Checker<'_>, values: &[String], at: &Origin) {
    for (i, value) in values.iter().enumerate() {
        if let Err(e) = naming::check_enum_value(value) {
            c.error(
                Code::InvalidName,
                &at.at(&format!("/{i}")),
                Part::Value,
                format!("enum value `{}` {e}", printable(value)),
            );
        }
    }
    duplicate_values(c, values, at);
    let named = values
        .iter()
        .enumerate()
        .map(|(i, v)| (v.as_str(), at.at(&format!("/{i}"))));
    collide(
        c,
        named,
        naming::check_enum_value,
        naming::variant_ident,
        "enum values",
    );
}

/// An enum value listed twice would become two variants of one name.
fn duplicate_values(c: &mut Checker<'_>, values: &[String], at: &Origin) {
    for (i, value) in values.iter().enumerate() {
        if let Some(first) = values[..i].iter().position(|v| v == value) {
            c.error(
                Code::DuplicateName,
                &at.at(&format!("/{i}")),
                Part::Value,
                format!("enum value `{}` is listed twice", printable(value)),
            )
            .with_label("listed again here")
            .with_help(format!(
                "remove it; it is already value {} of the list",
                first + 1
            ));
        }
    }
}

/// Entity and view fields may not use the tables' own attribute names.
fn reserved(c: &mut Checker<'_>, fields: &[Field], at: &Origin) {
    for field in fields
        .iter()
        .filter(|f| RESERVED_ATTRIBUTES.contains(&f.name.as_str()))
    {
        c.error(
            Code::InvalidName,
            &at.at(&format!("/{}", escape_token(&field.name))),
            Part::Key,
            format!(
                "field name `{}` is reserved for the table's own bookkeeping",
                field.name
            ),
        )
        .with_help(format!(
            "rename it; reserved: {}",
            RESERVED_ATTRIBUTES.join(", ")
        ));
    }
}

/// Reports names that become the same identifier under `convert`, at every name of a group
/// after the first.
/// Names that are invalid on their own are left out: they are reported already.
fn collide<'n>(
    c: &mut Checker<'_>,
    names: impl Iterator<Item = (&'n str, Origin)>,
    valid: fn(&str) -> Result<(), NameError>,
    convert: fn(&str) -> String,
    what: &str,
) {
    let names: Vec<(&str, Origin)> = names.filter(|(n, _)| valid(n).is_ok()).collect();
    for (ident, group) in naming::collisions(names.iter().map(|(n, _)| *n), convert) {
        let listed = group
            .iter()
            .map(|n| format!("`{}`", printable(n)))
            .collect::<Vec<_>>()
            .join(", ");
        for name in &group[1..] {
            let Some((_, at)) = names.iter().find(|(n, _)| n == name) else {
                continue;
            };
            let part = if what == "enum values" {
                Part::Value
            } else {
                Part::Key
            };
            c.error(
                Code::NameCollision,
                at,
                part,
                format!("{what} {listed} all become `{ident}` in generated code"),
            )
            .with_help("rename one of them so they differ in more than case or punctuation");
        }
    }
}

//! Entity checks: the key names a required field of a type that can be a key (its value is
//! the table's partition key and the events' `partitionKey`).

use super::context::{Checker, Part, suggest};
use crate::diagnostic::Code;
use crate::load::span::escape_token;
use crate::model::{Entity, NamedKind, Origin, TypeKind};

/// Runs the checks.
pub fn check(c: &mut Checker<'_>) {
    for service in c.system.services.values() {
        for entity in service.entities.values() {
            let at = service
                .origin
                .at(&format!("/entities/{}/key", escape_token(&entity.name)));
            key(c, entity, &at);
        }
    }
}

fn key(c: &mut Checker<'_>, entity: &Entity, at: &Origin) {
    let name = &entity.key;
    let Some(field) = entity.fields.iter().find(|f| &f.name == name) else {
        let names: Vec<&str> = entity.fields.iter().map(|f| f.name.as_str()).collect();
        let d = c
            .error(
                Code::InvalidKey,
                at,
                Part::Value,
                format!("entity `{}` has no field `{name}`", entity.name),
            )
            .with_label("not a field of the entity");
        suggest(d, name, names);
        return;
    };
    let keyable = match &field.ty.kind {
        // An unknown type is reported where it is used.
        TypeKind::Named(named) => match c.system.types.get(named) {
            Some(t) => matches!(t.kind, NamedKind::Enum(_)),
            None => return,
        },
        kind => kind.is_key(),
    };
    if !keyable {
        c.error(
            Code::InvalidKey,
            at,
            Part::Value,
            format!(
                "`{name}` is {}, which cannot be a key",
                field.ty.kind.describe()
            ),
        )
        .with_help("keys are strings, uuids, dates, timestamps, enums or integers");
    } else if field.optional {
        c.error(
            Code::InvalidKey,
            at,
            Part::Value,
            format!("key field `{name}` is optional"),
        )
        .with_help("key fields must always have a value");
    }
}

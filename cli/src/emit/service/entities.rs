//! The entities of a service: a struct per entity, as the service's table stores it (the
//! trigger decodes stream images into them), checked against the spec's constraints
//! (`Validate`) before the repositories write them.

use super::super::output::RustModule;
use super::super::rust::checks::{self, Patterns};
use super::super::rust::tokens::ident;
use super::super::rust::types::Types;
use crate::ir::{Field, ServiceId, System, TypeKind};

/// The `pattern` constraints of the entities of `service` (inline ones: named types are
/// validated by the events crate).
pub(super) fn patterns(system: &System, service: ServiceId) -> Patterns {
    checks::patterns(
        system
            .entities_of(service)
            .map(|(_, e)| e.fields.as_slice()),
    )
}

/// The `entities` module of `service`.
pub(super) fn module(system: &System, service: ServiceId, patterns: &Patterns) -> RustModule {
    let mut module = RustModule::new(format!(
        "The entities of `{}`, as its table stores them.",
        system.services[service].name
    ));
    module.import("serde::{Deserialize, Serialize}");
    module.import("cqrsgen_runtime::events::{Path, Validate, ValidationErrors}");
    let types = Types {
        system,
        validate: Some(patterns),
    };
    let mut check = false;
    for (_, entity) in system.entities_of(service) {
        let mut docs = format!(
            "Entity `{}`, as stored in the service's table.",
            entity.name
        );
        if let Some(description) = &entity.description {
            docs.push_str("\n\n");
            docs.push_str(description);
        }
        check |= needs_check(&entity.fields);
        module.item(types.record(&ident(&entity.ident), Some(&docs), &entity.fields));
    }
    if check {
        module.import("cqrsgen_runtime::events::validation::check");
    }
    module
}

/// Whether the checks of `fields` or of an inline record inside them call a helper of
/// `check`.
fn needs_check(fields: &[Field]) -> bool {
    fn inline(kind: &TypeKind) -> bool {
        match kind {
            TypeKind::Record(fields) => needs_check(fields),
            TypeKind::Array(item) | TypeKind::Map(item) => inline(&item.kind),
            _ => false,
        }
    }
    checks::needs_check(fields) || fields.iter().any(|f| inline(&f.ty.kind))
}

//! The entities of a service: a struct per entity, as the service's table stores it (the
//! trigger decodes stream images into them).

use super::super::output::RustModule;
use super::super::rust::tokens::ident;
use super::super::rust::types::Types;
use crate::ir::{ServiceId, System};

/// The `entities` module of `service`.
pub(super) fn module(system: &System, service: ServiceId) -> RustModule {
    let mut module = RustModule::new(format!(
        "The entities of `{}`, as its table stores them.",
        system.services[service].name
    ));
    module.import("serde::{Deserialize, Serialize}");
    let types = Types {
        system,
        validate: None,
    };
    for (_, entity) in system.entities_of(service) {
        let mut docs = format!(
            "Entity `{}`, as stored in the service's table.",
            entity.name
        );
        if let Some(description) = &entity.description {
            docs.push_str("\n\n");
            docs.push_str(description);
        }
        module.item(types.record(&ident(&entity.ident), Some(&docs), &entity.fields));
    }
    module
}

//! Service crates: per service a crate on the `cqrsgen-runtime` library, holding what the spec
//! says about the service and nothing the user writes.
//!
//! ```text
//! crates/<system>-<service>/
//!   Cargo.toml
//!   src/lib.rs         the crate root: modules and re-exports (the events crate as `events`,
//!                      the runtime as `runtime`, the shared types as `types`)
//!   src/entities.rs    a struct per entity, as stored in the service's table, with `Validate`
//!   src/patterns.rs    the compiled `pattern` constraints of the entities (if any)
//!   src/repository.rs  per entity a typed repository over the table; `Repositories`
//!   src/trigger.rs     the `Mapper` from stream records to events (services that publish)
//!   src/views.rs       per view a row, a key and a typed store; `Views`
//!   src/listener.rs    the projections, the `Hooks` trait, the `Listener`
//! ```
//!
//! The Lambda functions, the hooks' implementations and their tests live in the service's
//! own crate next to the spec (`app/<service>/`, see [`super::app`]), which depends on this
//! one.

mod entities;
mod listener;
mod repository;
mod trigger;
mod views;

use std::path::PathBuf;

use super::events_crate::field_dependencies;
use super::output::manifest::{Dependency, Manifest};
use super::output::{CrateRoot, RustModule};
use super::rust::checks::{self, Patterns};
use super::rust::types::declared;
use super::{CRATES_DIR, EmitBug, GeneratedFile, Options, RUNTIME_PACKAGE, parallel};
use crate::ir::{Field, Service, ServiceId, System};
use crate::naming::repository_ident;

/// The crates of every service of `system`, files sorted by path.
pub fn service_crates(system: &System, options: &Options) -> Result<Vec<GeneratedFile>, EmitBug> {
    // Services are independent of each other: spread over the cores.
    let services: Vec<&Service> = system.services.values().collect();
    let per_service =
        parallel::try_map(&services, |service| service_crate(system, service, options))?;
    let mut files: Vec<GeneratedFile> = per_service.into_iter().flatten().collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn service_crate(
    system: &System,
    service: &Service,
    options: &Options,
) -> Result<Vec<GeneratedFile>, EmitBug> {
    let package = &service.names.crate_name;
    let root = PathBuf::from(CRATES_DIR).join(package);
    let id = system
        .service_named(&service.name)
        .ok_or_else(|| EmitBug::Internal(format!("service `{}`", service.name)))?;
    let patterns = entities::patterns(system, id);
    let mut files = vec![
        GeneratedFile::new(
            root.join("Cargo.toml"),
            manifest(system, id, &patterns, options).generated(),
        ),
        lib_rs(system, service, &patterns).file(root.join("src/lib.rs")),
    ];
    let mut module = |name: &str, module: RustModule| -> Result<(), EmitBug> {
        files.push(module.file(root.join(format!("src/{name}.rs")))?);
        Ok(())
    };
    if !service.entities.is_empty() {
        module("entities", entities::module(system, id, &patterns))?;
        module("repository", repository::module(system, id))?;
    }
    if !patterns.is_empty() {
        let mut patterns_module = RustModule::new(
            "The entities' `pattern` constraints, each compiled once on first use.",
        );
        patterns_module
            .import("std::sync::LazyLock")
            .import("regex::Regex");
        for item in checks::patterns_module(&patterns) {
            patterns_module.item(item);
        }
        module("patterns", patterns_module)?;
    }
    if service.is_upstream() {
        module("trigger", trigger::module(system, id))?;
    }
    if service.is_downstream() {
        module("views", views::module(system, id))?;
    }
    module("listener", listener::module(system, id))?;
    Ok(files)
}

fn manifest(system: &System, id: ServiceId, patterns: &Patterns, options: &Options) -> Manifest {
    let service = &system.services[id];
    let mut manifest = Manifest::new(
        &service.names.crate_name,
        format!("Service `{}` of the {} system", service.name, system.name),
    );
    let events = &system.crates.events;
    manifest
        .dependency(
            RUNTIME_PACKAGE,
            Dependency::Path(options.library_from_crate(RUNTIME_PACKAGE)),
        )
        .dependency(events, Dependency::Path(format!("../{events}")))
        .dependency("serde", Dependency::registry("1", &["derive"]))
        .dependency("serde_json", Dependency::registry("1", &[]));
    let fields: Vec<&[Field]> = system
        .entities_of(id)
        .map(|(_, e)| e.fields.as_slice())
        .chain(system.views_of(id).map(|(_, v)| v.fields.as_slice()))
        .collect();
    for (name, dependency) in field_dependencies(fields) {
        manifest.dependency(name, dependency);
    }
    if !patterns.is_empty() {
        manifest.dependency("regex", Dependency::registry("1", &[]));
    }
    manifest
}

fn lib_rs(system: &System, service: &Service, patterns: &Patterns) -> CrateRoot {
    let mut docs = format!(
        "Service `{}` of the `{}` system, generated by cqrsgen.\n",
        service.name, system.name
    );
    if let Some(description) = &service.description {
        docs.push('\n');
        docs.push_str(description.trim_end());
        docs.push('\n');
    }
    docs.push_str(&format!(
        "\nThe functions, the hooks and their tests are in the service's own crate \
         (`app/{}/`); this crate is regenerated from the spec.",
        service.name
    ));
    let mut root = CrateRoot::new(docs);
    let events = crate::naming::module_ident(&system.crates.events);
    root.export(&format!("{events} as events"))
        .export("cqrsgen_runtime as runtime");
    if !system.types.is_empty() {
        root.export(&format!("{events}::types"));
    }
    if !service.entities.is_empty() {
        root.module("entities", false);
        let names: Vec<String> = service
            .entities
            .iter()
            .flat_map(|&e| declared(&system.entities[e].ident, &system.entities[e].fields))
            .collect();
        root.export(&format!("entities::{{{}}}", names.join(", ")));
        root.module("repository", false);
        let mut names = vec!["EntityRow".to_owned(), "Repositories".to_owned()];
        names.extend(
            service
                .entities
                .iter()
                .map(|&e| repository_ident(&system.entities[e].name)),
        );
        root.export(&format!("repository::{{{}}}", names.join(", ")));
    }
    if !patterns.is_empty() {
        root.module("patterns", false);
    }
    if service.is_upstream() {
        root.module("trigger", false);
        root.export("trigger::Mapper");
    }
    if service.is_downstream() {
        root.module("views", false);
        let mut names = vec!["Views".to_owned()];
        for &view in &service.views {
            let view = &system.views[view];
            names.extend(declared(&view.names.row, &view.fields));
            names.extend([view.names.key.clone(), view.names.store.clone()]);
        }
        root.export(&format!("views::{{{}}}", names.join(", ")));
        root.export("listener::{HANDLED, Listener}");
    }
    root.module("listener", false);
    root.export("listener::Hooks");
    root.item(&format!(
        "/// The service's name: the EventBridge `Source` of its events.\n\
         pub const SERVICE: &str = {:?};\n",
        service.name
    ));
    root
}

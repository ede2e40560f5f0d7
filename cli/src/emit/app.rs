//! The user's side: the files cqrsgen scaffolds once, next to the spec, and never touches
//! again. Everything a user edits lives here, outside the output root:
//!
//! ```text
//! app/<service>/                 the service's own crate, `<system>-<service>-app`
//!   Cargo.toml                   depends on the generated crate (and through it on the
//!                                events crate and the runtime)
//!   src/lib.rs                   the crate root
//!   src/hooks.rs                 `ServiceHooks`: the implementation of the generated `Hooks`
//!   src/bin/<crate>-trigger.rs   the trigger function (services that publish)
//!   src/bin/<crate>-listener.rs  the listener function (services with views)
//! upcasts.rs                     the implementation of the events crate's `Upcasts` (when
//!                                the spec names upcast hooks), compiled into that crate
//! ```
//!
//! Each file is written only when nothing is at its path; the scaffolds are written in
//! rustfmt's style, so `cargo fmt --check` passes on them as written.

use std::path::{Path, PathBuf};

use super::Options;
use super::events_crate::{UPCASTS_FILE, has_upcast_hooks};
use super::options::slashes;
use super::output::imports::Imports;
use super::output::manifest::{Dependency, Manifest};
use crate::ir::{Service, System};
use crate::write::GeneratedFile;

/// The scaffolds of `system`, by path relative to the project directory.
pub fn scaffolds(system: &System, options: &Options) -> Vec<GeneratedFile> {
    let mut files = Vec::new();
    for service in system.services.values() {
        files.extend(service_crate(system, service, options));
    }
    if has_upcast_hooks(system) {
        files.push(GeneratedFile::scaffold(UPCASTS_FILE, upcasts(system)));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

fn service_crate(system: &System, service: &Service, options: &Options) -> Vec<GeneratedFile> {
    let names = &service.names;
    let root = PathBuf::from(&names.app_dir);
    let generated = &names.crate_name;
    let to_generated = Path::new("../..").join(options.crate_from_project(generated));
    let mut manifest = Manifest::new(
        &names.app_crate,
        format!(
            "Service `{}` of the {} system: its functions and hooks",
            service.name, system.name
        ),
    );
    manifest
        .dependency(generated, Dependency::Path(slashes(&to_generated)))
        .dependency(
            "tokio",
            Dependency::registry("1", &["macros", "rt-multi-thread"]),
        );
    let mut files = vec![
        GeneratedFile::scaffold(
            root.join("Cargo.toml"),
            manifest.scaffold(&format!(
                "The crate of service `{}`: yours. cqrsgen wrote it once and never touches it \
                 again.\nThe generated crate `{generated}` holds what the spec says.",
                service.name
            )),
        ),
        GeneratedFile::scaffold(root.join("src/lib.rs"), lib_rs(system, service)),
        GeneratedFile::scaffold(root.join("src/hooks.rs"), hooks_rs(service)),
    ];
    if service.is_upstream() {
        files.push(GeneratedFile::scaffold(
            root.join(format!("src/bin/{}.rs", names.trigger_binary)),
            trigger_rs(service),
        ));
    }
    if service.is_downstream() {
        files.push(GeneratedFile::scaffold(
            root.join(format!("src/bin/{}.rs", names.listener_binary)),
            listener_rs(service),
        ));
    }
    files
}

fn lib_rs(system: &System, service: &Service) -> String {
    format!(
        "//! Service `{service}` of the `{system}` system: the code cqrsgen does not generate.\n\
         //!\n\
         //! The generated crate `{generated}` holds what the spec says (the entities, the\n\
         //! trigger's mapping, the views, the listener). This crate holds the Lambda functions\n\
         //! (`src/bin/`), the hooks (`hooks.rs`) and their tests. cqrsgen wrote these files once\n\
         //! and never touches them again: they are yours.\n\
         \n\
         pub mod hooks;\n",
        service = service.name,
        system = system.name,
        generated = service.names.crate_name,
    )
}

fn hooks_rs(service: &Service) -> String {
    format!(
        "//! The hooks of service `{service}`: the custom projections the spec names (`hook:`).\n\
         //!\n\
         //! The listener calls each hook for the event the spec names it for. When the spec names\n\
         //! a new hook, `cqrsgen generate` says what to implement, and the compiler names the\n\
         //! method `Hooks` now requires.\n\
         \n\
         use {generated}::Hooks;\n\
         \n\
         /// What the hooks need (clients, configuration), built once per container in the\n\
         /// listener's `main`.\n\
         #[derive(Debug, Clone, Copy, Default)]\n\
         pub struct ServiceHooks;\n\
         \n\
         impl Hooks for ServiceHooks {{}}\n",
        service = service.name,
        generated = service.names.crate_ident,
    )
}

fn trigger_rs(service: &Service) -> String {
    let generated = &service.names.crate_ident;
    format!(
        "//! The trigger function of `{service}`: publishes the events of its table's stream to the\n\
         //! bus named by `BUS_NAME`.\n\
         \n\
         {imports}\
         \n\
         #[tokio::main]\n\
         async fn main() -> Result<(), lambda::Error> {{\n\
         \x20   let config = clients::sdk_config().await;\n\
         \x20   let trigger = Trigger::from_env(SERVICE, &config)?;\n\
         \x20   lambda::run_trigger(&trigger, &Mapper::from_env()).await\n\
         }}\n",
        service = service.name,
        imports = imports(&[
            &format!("{generated}::runtime::trigger::Trigger"),
            &format!("{generated}::runtime::{{clients, lambda}}"),
            &format!("{generated}::{{Mapper, SERVICE}}"),
        ]),
    )
}

fn listener_rs(service: &Service) -> String {
    let generated = &service.names.crate_ident;
    format!(
        "//! The listener function of `{service}`: applies the events of its queue to its views, in\n\
         //! the tables named by the environment.\n\
         \n\
         {imports}\
         \n\
         #[tokio::main]\n\
         async fn main() -> Result<(), lambda::Error> {{\n\
         \x20   let config = clients::sdk_config().await;\n\
         \x20   let listener = Listener::new(Views::from_env(&config)?, ServiceHooks);\n\
         \x20   lambda::run_listener(&listener).await\n\
         }}\n",
        service = service.name,
        imports = imports(&[
            &format!("{}::hooks::ServiceHooks", service.names.app_ident),
            &format!("{generated}::runtime::{{clients, lambda}}"),
            &format!("{generated}::{{Listener, Views}}"),
        ]),
    )
}

/// `use` lines for `paths`, sorted and grouped as rustfmt wants them.
fn imports(paths: &[&str]) -> String {
    let mut imports = Imports::default();
    for path in paths {
        imports.add(path);
    }
    imports.render()
}

fn upcasts(system: &System) -> String {
    format!(
        "//! The upcasts of the `{system}` events: how an older version of an event becomes the\n\
         //! next where the change is not additive (the spec's `upcast:` hooks).\n\
         //!\n\
         //! cqrsgen wrote this file once and never touches it again: it is yours. It is compiled\n\
         //! as a module of the generated events crate (`{events}`), so the payload types are\n\
         //! `crate::<event>::<Type>`. When the spec names a new upcast, `cqrsgen generate` says\n\
         //! what to implement, and the compiler names the method `Upcasts` now requires.\n\
         \n\
         use crate::{{Upcaster, Upcasts}};\n\
         \n\
         impl Upcasts for Upcaster {{}}\n",
        system = system.name,
        events = system.crates.events,
    )
}

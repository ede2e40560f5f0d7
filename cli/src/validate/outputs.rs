//! The crates and files of the output root: every generated crate gets a package name of its
//! own, no library name of a crate the generated code depends on, and every service
//! template a file of its own next to the hub's.

use std::collections::BTreeMap;

use super::context::{Checker, Part};
use crate::diagnostic::Code;
use crate::model::Origin;
use crate::naming::{app_crate_name, crate_name, module_ident, reserved};

/// Runs the checks.
pub fn check(c: &mut Checker<'_>) {
    crates(c);
    infra_files(c);
}

fn crates(c: &mut Checker<'_>) {
    let system = c.system;
    let root = Origin {
        file: 0,
        pointer: "/system".into(),
    };
    // Library name -> what has it.
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    let events = crate_name(&system.name, "events");
    taken.insert(
        module_ident(&events),
        format!("the events crate `{events}`"),
    );
    if let Some(lib) = reserved_crate(&events) {
        c.error(
            Code::NameCollision,
            &root,
            Part::Value,
            format!("the events crate `{events}` would have the library name `{lib}` of a crate it depends on"),
        )
        .with_help("rename the system");
    }
    for service in system.services.values() {
        let package = crate_name(&system.name, &service.name);
        let lib = module_ident(&package);
        let problem = if let Some(first) = taken.get(&lib) {
            format!("is also the name of {first}")
        } else if reserved_crate(&package).is_some() {
            "is the name of a crate the generated code depends on".to_owned()
        } else {
            taken.insert(lib, format!("the crate of service `{}`", service.name));
            continue;
        };
        c.error(
            Code::NameCollision,
            &service.origin,
            Part::Key,
            format!(
                "service `{}` would get the crate `{package}`, which {problem}",
                service.name
            ),
        )
        .with_label("crate name taken")
        .with_help("rename the service");
    }
    // The services' own crates (`app/<service>/`) live in the same workspace.
    for service in system.services.values() {
        let package = app_crate_name(&system.name, &service.name);
        let Some(first) = taken.get(&module_ident(&package)) else {
            continue;
        };
        c.error(
            Code::NameCollision,
            &service.origin,
            Part::Key,
            format!(
                "service `{}` would get its own crate `{package}`, which is also the name of \
                 {first}",
                service.name
            ),
        )
        .with_label("crate name taken")
        .with_help("rename one of the services");
    }
}

/// The library name of `package` when a dependency of the generated crates has it.
fn reserved_crate(package: &str) -> Option<String> {
    let lib = module_ident(package);
    reserved::CRATES.contains(&lib.as_str()).then_some(lib)
}

fn infra_files(c: &mut Checker<'_>) {
    let system = c.system;
    for service in system.services.values() {
        if reserved::INFRA_TEMPLATES.contains(&service.name.as_str()) {
            c.error(
                Code::NameCollision,
                &service.origin,
                Part::Key,
                format!(
                    "service `{}` would get the template `infra/{}.yaml`, which is the hub's",
                    service.name, service.name
                ),
            )
            .with_label("template name taken")
            .with_help("rename the service");
        }
    }
}

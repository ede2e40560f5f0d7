//! What the user's code does not implement yet: the hooks and upcasts the spec names that no
//! `impl` in the user's files defines.
//!
//! The generated traits (`Hooks` of a service crate, `Upcasts` of the events crate) make a
//! missing method a compile error in the user's crate; this check says the same earlier, at
//! `generate`, located at the spec line that names the hook, with the file to edit and the
//! method to write. It reads the user's files as Rust syntax only: a file that does not parse
//! is left to the compiler, and trait implementations written by a macro are not seen (the
//! compiler still checks them).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::emit::UPCASTS_FILE;
use crate::ir::{Origin, ProjectionKind, Service, System, Upcast};
use crate::load::Project;
use crate::load::span::Part;

/// One method the spec names and the user's code lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Missing<'a> {
    /// The spec's name for it (`reroute-shipments`).
    hook: &'a str,
    /// The trait method (`reroute_shipments`).
    method: &'a str,
    /// What calls it, for the message (`the listener of shipping, for customer-address-changed`).
    caller: String,
    /// Where the spec names it: the `hook:` or `upcast:` entry.
    origin: Origin,
}

/// A W006 finding for each hook or upcast of `system` that the user's files in `project`
/// do not implement.
pub fn unimplemented(system: &System, project: &Project) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for service in system.services.values() {
        let missing = service_hooks(system, service);
        if missing.is_empty() {
            continue;
        }
        let dir = project.root.join(&service.names.app_dir).join("src");
        let defined = methods_of_impls(&rust_files(&dir), "Hooks");
        let file = format!("{}/src/hooks.rs", service.names.app_dir);
        findings.extend(report(project, &missing, &defined, "Hooks", &file));
    }
    let upcasts = upcast_hooks(system);
    if !upcasts.is_empty() {
        let file = project.root.join(UPCASTS_FILE);
        let defined = methods_of_impls(&[file], "Upcasts");
        findings.extend(report(project, &upcasts, &defined, "Upcasts", UPCASTS_FILE));
    }
    findings
}

/// The hooks the listener of `service` calls.
fn service_hooks<'a>(system: &'a System, service: &'a Service) -> Vec<Missing<'a>> {
    let mut hooks = Vec::new();
    for &view in &service.views {
        let view = &system.views[view];
        for projection in &view.projections {
            if let ProjectionKind::Hook(hook) = &projection.kind {
                hooks.push(Missing {
                    hook: &hook.name,
                    method: &hook.method,
                    caller: format!(
                        "the listener of `{}` calls it for `{}` (view `{}`)",
                        service.name, system.events[projection.event].name, view.name
                    ),
                    origin: projection.origin.key("hook"),
                });
            }
        }
    }
    hooks
}

/// The upcast hooks of every event.
fn upcast_hooks(system: &System) -> Vec<Missing<'_>> {
    let mut hooks = Vec::new();
    for event in system.events.values() {
        for (version, next) in event.versions.iter().zip(event.versions.iter().skip(1)) {
            if let Some(Upcast::Hook(hook)) = &version.upcast {
                hooks.push(Missing {
                    hook: &hook.name,
                    method: &hook.method,
                    caller: format!(
                        "decoding `{}` calls it to turn v{} into v{}",
                        event.name, version.version, next.version
                    ),
                    origin: version.origin.key("upcast"),
                });
            }
        }
    }
    hooks
}

/// The findings for the hooks in `named` whose method is not in `defined`; a method named
/// twice (one hook for two events) is reported once.
fn report(
    project: &Project,
    named: &[Missing<'_>],
    defined: &BTreeSet<String>,
    trait_name: &str,
    file: &str,
) -> Vec<Diagnostic> {
    let mut seen = BTreeSet::new();
    named
        .iter()
        .filter(|hook| !defined.contains(hook.method) && seen.insert(hook.method))
        .map(|hook| {
            let location = project
                .files
                .get(hook.origin.file)
                .map(|source| source.locate(&hook.origin.pointer, Part::Value));
            Diagnostic::new(
                Code::Unimplemented,
                format!("hook `{}` is not implemented yet", hook.hook),
            )
            .at(location)
            .with_label("named here")
            .with_help(format!(
                "implement `fn {}` of `{trait_name}` in `{file}`: {}; until then the crate \
                 does not compile",
                hook.method, hook.caller
            ))
        })
        .collect()
}

/// The methods of every `impl <..>::{trait_name} for <..>` block in `files`. Files that
/// cannot be read or parsed add nothing.
fn methods_of_impls(files: &[PathBuf], trait_name: &str) -> BTreeSet<String> {
    let mut methods = BTreeSet::new();
    for path in files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let Ok(file) = syn::parse_file(&text) else {
            continue;
        };
        for item in &file.items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            let implements = block
                .trait_
                .as_ref()
                .and_then(|(path, _)| path.segments.last())
                .is_some_and(|segment| segment.ident == trait_name);
            if !implements {
                continue;
            }
            methods.extend(block.items.iter().filter_map(|item| match item {
                syn::ImplItem::Fn(method) => Some(method.sig.ident.to_string()),
                _ => None,
            }));
        }
    }
    methods
}

/// The `.rs` files under `dir`, recursively; none when it does not exist.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(source: &str) -> BTreeSet<String> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("hooks.rs");
        std::fs::write(&path, source).expect("write");
        methods_of_impls(&[path], "Hooks")
    }

    #[test]
    fn methods_come_from_impls_of_the_trait_by_its_last_segment() {
        let methods = parsed(
            "impl shop::Hooks for A { async fn one(&self) {} const X: u8 = 1; }\n\
             impl Hooks for B { fn two(&self) {} }\n\
             impl Other for C { fn three(&self) {} }\n\
             impl C { fn four(&self) {} }\n",
        );
        assert_eq!(
            methods.into_iter().collect::<Vec<_>>(),
            ["one".to_owned(), "two".to_owned()]
        );
    }

    #[test]
    fn unparsable_and_missing_files_define_nothing() {
        assert!(parsed("impl Hooks for A { fn one(&self) {").is_empty());
        assert!(methods_of_impls(&[PathBuf::from("/nonexistent/hooks.rs")], "Hooks").is_empty());
        assert!(rust_files(Path::new("/nonexistent")).is_empty());
    }
}

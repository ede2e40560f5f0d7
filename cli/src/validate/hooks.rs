//! Hook checks. Every hook becomes a method: a projection hook one of its service's `Hooks`
//! trait, an upcast hook one of the events crate's `Upcasters` trait, which `Hooks` extends.
//! A method handles one event (version), so a hook name is used once, and a projection
//! hook cannot share its method with an upcast hook.

use std::collections::BTreeMap;

use super::context::{Checker, Part};
use crate::diagnostic::Code;
use crate::load::span::escape_token;
use crate::model::{Origin, Projection};
use crate::naming::field_ident;

/// Runs the checks.
pub fn check(c: &mut Checker<'_>) {
    let upcasts = upcast_hooks(c);
    projection_hooks(c, &upcasts);
}

/// Upcast hooks by method, each with where it is named and for which version; reports
/// names used for two upcasts.
fn upcast_hooks(c: &mut Checker<'_>) -> BTreeMap<String, (String, String)> {
    let system = c.system;
    let mut seen: BTreeMap<String, (String, String)> = BTreeMap::new();
    for event in system.events.values() {
        for pair in event.versions.windows(2) {
            let Some(hook) = &pair[0].upcast else {
                continue;
            };
            let label = format!("`{}` v{}", event.name, pair[0].version);
            let at = event.origin.at(&format!("{}/upcast", pair[0].at));
            match seen.get(&field_ident(hook)) {
                Some((first, first_label)) => {
                    let what = if first == hook {
                        format!("upcast hook `{hook}` is named for both {first_label} and {label}")
                    } else {
                        format!(
                            "upcast hooks `{first}` ({first_label}) and `{hook}` ({label}) both \
                             become method `{}`",
                            field_ident(hook)
                        )
                    };
                    c.error(Code::InvalidVersion, &at, Part::Value, what)
                        .with_label("named again here")
                        .with_help(
                            "each upcast turns one version into the next: give each its own hook",
                        );
                }
                None => {
                    seen.insert(field_ident(hook), (hook.clone(), label));
                }
            }
        }
    }
    seen
}

/// Projection hooks: once per service, and not the method of an upcast hook.
fn projection_hooks(c: &mut Checker<'_>, upcasts: &BTreeMap<String, (String, String)>) {
    let system = c.system;
    for service in system.services.values() {
        let mut seen: BTreeMap<String, (&str, String)> = BTreeMap::new();
        for view in service.views.values() {
            for (event, projection) in &view.projections {
                let Projection::Hook(hook) = projection else {
                    continue;
                };
                let at = service.origin.at(&format!(
                    "/views/{}/projections/{}/hook",
                    escape_token(&view.name),
                    escape_token(event)
                ));
                let label = format!("`{event}` in view `{}`", view.name);
                let method = field_ident(hook);
                if let Some((first, first_label)) = seen.get(&method) {
                    reused(c, &at, hook, first, first_label, &label, &method);
                    continue;
                }
                if let Some((upcast, version)) = upcasts.get(&method) {
                    c.error(
                        Code::NameCollision,
                        &at,
                        Part::Value,
                        format!(
                            "projection hook `{hook}` and upcast hook `{upcast}` (of {version}) \
                             both become method `{method}`"
                        ),
                    )
                    .with_label("also an upcast hook")
                    .with_help(
                        "the service's `Hooks` extend the events' `Upcasters`, so the call would \
                         be ambiguous: rename one of them",
                    );
                }
                seen.insert(method, (hook, label));
            }
        }
    }
}

fn reused(
    c: &mut Checker<'_>,
    at: &Origin,
    hook: &str,
    first: &str,
    first_label: &str,
    label: &str,
    method: &str,
) {
    let message = if first == hook {
        format!("hook `{hook}` handles {first_label} already")
    } else {
        format!("hooks `{first}` ({first_label}) and `{hook}` both become method `{method}`")
    };
    c.error(Code::InvalidProjection, at, Part::Value, message)
        .with_label(format!("also used for {label}"))
        .with_help(
            "a hook is a method for one event: give each projection its own hook (they may call \
             a shared function)",
        );
}

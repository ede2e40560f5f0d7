//! Service crates: per service a crate `<system>-<service>` on the shared runtime.
//!
//! Layout under `<system>-<service>/`:
//! - `Cargo.toml`;
//! - `src/lib.rs`: the entities and the trigger's `Mapper` (services that publish), the
//!   view rows, keys and typed stores, the projections, the `Hooks` trait and the
//!   `Listener` (services with views);
//! - `src/hooks.rs`: the user's hook implementations, scaffolded once (services with views);
//! - `src/bin/trigger.rs`, `src/bin/listener.rs`: the Lambda functions, binaries
//!   `<crate>-trigger` and `<crate>-listener`.
//!
//! Everything that is the same for every service lives in the runtime crate; the generated
//! code maps names and fields.

mod bins;
mod listener;
mod paths;
mod trigger;
mod views;

use std::path::{Path, PathBuf};

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::tokens::{ident, inner_doc, render};
use super::vendor::RUNTIME_PACKAGE;
use super::{Context, EmitError, GeneratedFile, Options, RuntimeCrate, parallel, scan};
use crate::model::{Event, NamedKind, Projection, Service, System};
use crate::naming::{crate_name, module_ident, type_ident};
use crate::write::{CommentStyle, header};

/// The crates of every service of `system`, files sorted by path.
pub fn service_crates(system: &System, options: &Options) -> Result<Vec<GeneratedFile>, EmitError> {
    // Services are independent of each other: spread over the cores.
    let services: Vec<&Service> = system.services.values().collect();
    let per_service =
        parallel::try_map(&services, |service| service_crate(system, service, options))?;
    let mut files: Vec<GeneratedFile> = per_service.into_iter().flatten().collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The names of an event in the events crate.
struct EventNames {
    /// `order_placed`.
    module: Ident,
    /// `DomainEvent` variant, `OrderPlaced`.
    variant: Ident,
    /// The current payload type, `shop_events::order_placed::OrderPlaced`.
    payload: TokenStream,
}

impl EventNames {
    fn of(events: &Ident, event: &Event) -> Self {
        let module = ident(&module_ident(&event.name));
        let variant = ident(&type_ident(&event.name));
        let payload = quote!(#events::#module::#variant);
        Self {
            module,
            variant,
            payload,
        }
    }
}

/// Whether the events crate has an `Upcasters` trait (some version change names a hook).
fn upcasters(system: &System) -> bool {
    system
        .events
        .values()
        .any(|e| e.versions.iter().any(|v| v.upcast.is_some()))
}

/// What a service crate contains.
struct Plan {
    /// It publishes events: entities, `Mapper`, trigger binary.
    trigger: bool,
    /// It has views: rows, stores, `Listener`, hooks, listener binary.
    listener: bool,
}

fn service_crate(
    system: &System,
    service: &Service,
    options: &Options,
) -> Result<Vec<GeneratedFile>, EmitError> {
    let package = crate_name(&system.name, &service.name);
    let lib = ident(&module_ident(&package));
    let events = ident(&module_ident(&crate_name(&system.name, "events")));
    let root = PathBuf::from(&package);
    let plan = Plan {
        trigger: !service.publishes.is_empty(),
        listener: !service.views.is_empty(),
    };
    let ctx = Context {
        system,
        usage: usage(service),
        validate: false,
    };
    let rust = |path: &str, tokens: TokenStream| -> Result<GeneratedFile, EmitError> {
        let path = root.join(path);
        let contents = render(&path, tokens)?;
        Ok(GeneratedFile::new(path, contents))
    };
    let mut files = vec![
        GeneratedFile::new(
            root.join("Cargo.toml"),
            cargo_toml(&ctx, service, &package, &plan, options),
        ),
        GeneratedFile::new(root.join("rustfmt.toml"), super::rustfmt_toml()),
        rust("src/lib.rs", lib_rs(&ctx, service, &plan, &events)?)?,
    ];
    if plan.trigger {
        files.push(rust("src/bin/trigger.rs", bins::trigger(&lib))?);
    }
    if plan.listener {
        files.push(rust("src/bin/listener.rs", bins::listener(&lib))?);
        let path = root.join("src/hooks.rs");
        let scaffold = bins::hooks_scaffold(system, service, &events, &path)?;
        files.push(GeneratedFile::scaffold(path, scaffold));
    }
    Ok(files)
}

/// What the service's own entity and view fields use.
fn usage(service: &Service) -> scan::Usage {
    let mut usage = scan::Usage::default();
    for entity in service.entities.values() {
        usage.fields(&entity.fields);
    }
    for view in service.views.values() {
        usage.fields(&view.fields);
    }
    usage
}

fn cargo_toml(
    ctx: &Context<'_>,
    service: &Service,
    package: &str,
    plan: &Plan,
    options: &Options,
) -> String {
    let system = &ctx.system.name;
    let runtime = match &options.runtime {
        RuntimeCrate::Vendored => Path::new("..").join(RUNTIME_PACKAGE),
        RuntimeCrate::Path(path) => Path::new("..").join(path),
    };
    let runtime = runtime.to_string_lossy().replace('\\', "/");
    let events = crate_name(system, "events");
    let mut deps = ctx.usage.dependencies();
    let runtime_dep = format!("{RUNTIME_PACKAGE} = {{ path = \"{runtime}\" }}");
    let events_dep = format!("{events} = {{ path = \"../{events}\" }}");
    deps.extend([
        runtime_dep.as_str(),
        events_dep.as_str(),
        r#"serde = { version = "1", features = ["derive"] }"#,
        r#"serde_json = "1""#,
        r#"tokio = { version = "1", features = ["macros", "rt-multi-thread"] }"#,
    ]);
    deps.sort_unstable();
    let bins: String = [("trigger", plan.trigger), ("listener", plan.listener)]
        .iter()
        .filter(|(_, present)| *present)
        .map(|(bin, _)| {
            format!("\n[[bin]]\nname = \"{package}-{bin}\"\npath = \"src/bin/{bin}.rs\"\n")
        })
        .collect();
    format!(
        "{header}\n\
         [package]\n\
         name = \"{package}\"\n\
         version = \"0.1.0\"\n\
         edition = \"2024\"\n\
         rust-version = \"1.94\"\n\
         description = \"Service `{}` of the {system} system\"\n\
         publish = false\n\
         autobins = false\n{bins}\n\
         [dependencies]\n{}\n",
        service.name,
        deps.join("\n"),
        header = header(CommentStyle::Hash),
    )
}

fn lib_rs(
    ctx: &Context<'_>,
    service: &Service,
    plan: &Plan,
    events: &Ident,
) -> Result<TokenStream, EmitError> {
    let system = ctx.system;
    let summary = format!(
        " Service `{}` of the `{}` system, generated by cqrsgen.",
        service.name, system.name
    );
    let description = inner_doc(service.description.as_deref());
    let name = &service.name;
    let types = system
        .types
        .values()
        .any(|t| matches!(t.kind, NamedKind::Record(_) | NamedKind::Enum(_)))
        .then(|| {
            quote! {
                /// The shared types of the events crate.
                pub mod types {
                    pub use #events::types::*;
                }
            }
        });
    let mut uses = Vec::new();
    if plan.trigger || plan.listener {
        uses.push(quote! {
            use cqrsgen_runtime::listener::BoxError;
            use cqrsgen_runtime::store::key_value;
            use serde::{Deserialize, Serialize};
            use #events::{DomainEvent, Envelope};
        });
    } else if !service.entities.is_empty() {
        uses.push(quote!(
            use serde::{Deserialize, Serialize};
        ));
    }
    let mut body = Vec::new();
    if plan.trigger {
        uses.push(quote! {
            use std::collections::BTreeMap;
            use cqrsgen_runtime::envelope::{self, Tags};
            use cqrsgen_runtime::stream::{Change, DISCRIMINATOR, StreamRecord};
            use cqrsgen_runtime::trigger::Publishable;
            use #events::Payload;
        });
        body.push(trigger::trigger(ctx, service, events)?);
    }
    if plan.listener {
        uses.push(quote! {
            use cqrsgen_runtime::aws_config::SdkConfig;
            use cqrsgen_runtime::env::{self, EnvError};
            use cqrsgen_runtime::listener::{Decoded, MessageHandler};
            use cqrsgen_runtime::store::{Applied, AnyViewStore, Key, KeySchema, StoreError, TableSchema, ViewStore, Write};
            use cqrsgen_runtime::{aws_sdk_dynamodb, clients};
        });
        let projections = || service.views.values().flat_map(|v| v.projections.values());
        if projections().any(|p| matches!(p, Projection::Upsert(_))) {
            uses.push(quote!(
                use cqrsgen_runtime::store::Encoded;
            ));
        }
        if projections().any(|p| !matches!(p, Projection::Hook(_))) {
            uses.push(quote!(
                use cqrsgen_runtime::store::Version;
            ));
            body.push(quote! {
                /// The version of an event: where it stands in the order views apply events in.
                fn version<P>(envelope: &Envelope<P>) -> Version {
                    Version::new(envelope.timestamp, envelope.sequence, &envelope.id)
                }
            });
        }
        body.push(views::views(ctx, service)?);
        body.push(listener::listener(system, service, events)?);
    }
    let hooks = plan.listener.then(|| {
        quote!(
            pub mod hooks;
        )
    });
    Ok(quote! {
        #![doc = #summary]
        #![doc = ""]
        #description
        #![forbid(unsafe_code)]

        #(#uses)*

        #hooks
        #types

        /// The service's name: the EventBridge `Source` of its events.
        pub const SERVICE: &str = #name;

        #(#body)*
    })
}

//! The listener side of a service crate: the projections of the spec (a function per view and
//! event building the view write), the `Hooks` trait for custom projections, and the
//! `Listener` that decodes SQS bodies and applies them.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::super::output::RustModule;
use super::super::rust::paths::Access;
use super::super::rust::tokens::{doc, ident};
use super::views::key_expr;
use crate::ir::{
    Assignment, EventId, Hook, Literal as Value, Meta, ProjectionKind, ServiceId, Source, System,
    View,
};
use crate::naming::module_ident;

/// The `listener` module of `service`: the `Hooks` trait, and for a service with views the
/// projections and the `Listener`.
pub(super) fn module(system: &System, service: ServiceId) -> RustModule {
    let events = ident(&module_ident(&system.crates.events));
    let name = &system.services[service].name;
    let downstream = system.services[service].is_downstream();
    let mut module = RustModule::new(if downstream {
        format!("The listener of `{name}`: the projections of its views, and its hooks.")
    } else {
        format!(
            "The hooks of `{name}`: custom projections of its views, which it does not have \
             (yet)."
        )
    });
    let mut projections = Vec::new();
    let mut hooks = Vec::new();
    // Event -> what applying it does.
    let mut applies: BTreeMap<EventId, Vec<TokenStream>> = BTreeMap::new();
    for (_, view) in system.views_of(service) {
        let member = ident(&view.names.member);
        let store = ident(&view.names.store);
        let mut functions = Vec::new();
        for projection in &view.projections {
            let event = &system.events[projection.event];
            let function = ident(&format!("on_{}", event.names.module));
            let apply = match &projection.kind {
                ProjectionKind::Upsert(assignments) | ProjectionKind::Delete(assignments) => {
                    let upsert = matches!(projection.kind, ProjectionKind::Upsert(_));
                    functions.push(write_fn(
                        system,
                        view,
                        projection.event,
                        assignments,
                        &function,
                        upsert,
                        &events,
                    ));
                    quote!(self.views.#member.apply(&#store::#function(envelope)?).await?;)
                }
                ProjectionKind::Hook(hook) => {
                    hooks.push((hook, view, projection.event));
                    let method = ident(&hook.method);
                    quote!(self.hooks.#method(envelope, &self.views).await?;)
                }
            };
            applies.entry(projection.event).or_default().push(apply);
        }
        if !functions.is_empty() {
            projections.push(quote!(impl #store { #(#functions)* }));
        }
    }
    if downstream {
        module
            .import("cqrsgen_runtime::listener::{BoxError, Decoded, MessageHandler}")
            .import(&format!("{events}::{{DecodeError, DomainEvent}}"))
            .import("crate::views::Views");
        if !projections.is_empty() {
            module
                .import("cqrsgen_runtime::store::{Key, Write, key_value}")
                .import(&format!("{events}::Envelope"))
                .import(&format!("crate::views::{{{}}}", stores(system, service)));
        }
        if !hooks.is_empty() {
            module.import(&format!("{events}::Envelope"));
        }
        if system
            .views_of(service)
            .flat_map(|(_, v)| &v.projections)
            .any(|p| matches!(p.kind, ProjectionKind::Upsert(_)))
        {
            module.import("cqrsgen_runtime::store::Encoded");
        }
    }
    for projection in projections {
        module.item(projection);
    }
    module.item(hooks_trait(system, &hooks, &events));
    if downstream {
        module.item(listener(system, &applies));
    }
    module
}

/// The stores the projections of `service` are functions of.
fn stores(system: &System, service: ServiceId) -> String {
    let names: Vec<&str> = system
        .views_of(service)
        .filter(|(_, v)| {
            v.projections
                .iter()
                .any(|p| !matches!(p.kind, ProjectionKind::Hook(_)))
        })
        .map(|(_, v)| v.names.store.as_str())
        .collect();
    names.join(", ")
}

/// `on_<event>`: the write an upsert (or delete) projection makes of an event.
fn write_fn(
    system: &System,
    view: &View,
    event: EventId,
    assignments: &[Assignment],
    function: &proc_macro2::Ident,
    upsert: bool,
    events: &proc_macro2::Ident,
) -> TokenStream {
    let event = &system.events[event];
    let values: BTreeMap<usize, TokenStream> = assignments
        .iter()
        .map(|a| (a.field, source(&a.source)))
        .collect();
    let key = key_expr(
        &view
            .key
            .fields()
            .filter_map(|field| values.get(&field).cloned())
            .collect::<Vec<_>>(),
    );
    let (verb, body) = if upsert {
        let inserts = assignments.iter().map(|assignment| {
            let name = &view.fields[assignment.field].name;
            let value = &values[&assignment.field];
            quote!(attributes.insert(#name, #value)?;)
        });
        let count = Literal::usize_unsuffixed(assignments.len());
        let body = quote! {
            let mut attributes = Encoded::with_capacity(#count);
            #(#inserts)*
            Ok(Write::upsert(#key, attributes, envelope.version()))
        };
        ("Upserts", body)
    } else {
        (
            "Deletes",
            quote!(Ok(Write::delete(#key, envelope.version()))),
        )
    };
    let docs = format!(
        " {verb} the row of `{}` that `{}` is about.",
        view.name, event.name
    );
    let (module, payload) = (ident(&event.names.module), ident(&event.names.ident));
    quote! {
        #[doc = #docs]
        pub fn #function(envelope: &Envelope<#events::#module::#payload>) -> Result<Write, BoxError> {
            #body
        }
    }
}

/// A reference to the value of a source, in a projection function over `envelope`.
fn source(source: &Source) -> TokenStream {
    match source {
        Source::Field(path) => Access::of(quote!(envelope.payload), path).reference(),
        Source::Meta(Meta::Id) => quote!(&envelope.id),
        Source::Meta(Meta::Type) => quote!(&envelope.event_type),
        Source::Meta(Meta::Timestamp) => quote!(&envelope.timestamp),
        Source::Meta(Meta::PartitionKey) => quote!(&envelope.partition_key),
        Source::Meta(Meta::Version) => quote!(&envelope.schema_version),
        Source::Const(value) => {
            let value = constant(value);
            quote!(&#value)
        }
    }
}

/// A constant as a `serde_json::Value` expression.
fn constant(value: &Value) -> TokenStream {
    match value {
        Value::Bool(b) => quote!(serde_json::Value::Bool(#b)),
        Value::String(s) => quote!(serde_json::Value::from(#s)),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => {
                let i = Literal::i64_suffixed(i);
                quote!(serde_json::Value::from(#i))
            }
            (None, Some(f)) if f.is_finite() => {
                let f = Literal::f64_suffixed(f);
                quote!(serde_json::Value::from(#f))
            }
            _ => quote!(serde_json::Value::Null),
        },
    }
}

fn hooks_trait(
    system: &System,
    hooks: &[(&Hook, &View, EventId)],
    events: &proc_macro2::Ident,
) -> TokenStream {
    let methods = hooks.iter().map(|(hook, view, event)| {
        let event = &system.events[*event];
        let (module, payload) = (ident(&event.names.module), ident(&event.names.ident));
        let method = ident(&hook.method);
        let docs = doc(Some(&format!(
            "Hook `{}`: applies `{}` to view `{}` (and any other view).",
            hook.name, event.name, view.name
        )));
        quote! {
            #docs
            fn #method(
                &self,
                envelope: &Envelope<#events::#module::#payload>,
                views: &Views,
            ) -> impl std::future::Future<Output = Result<(), BoxError>> + Send;
        }
    });
    quote! {
        /// The custom projections the spec names hooks for. Implement it in the service's own
        /// crate (`app/<service>/src/hooks.rs`): the listener calls a hook for the event the
        /// spec names it for.
        pub trait Hooks: Sync {
            #(#methods)*
        }
    }
}

fn listener(system: &System, applies: &BTreeMap<EventId, Vec<TokenStream>>) -> TokenStream {
    let arms: Vec<(TokenStream, TokenStream)> = applies
        .iter()
        .map(|(event, applies)| {
            let variant = ident(&system.events[*event].names.variant);
            (
                quote!(DomainEvent::#variant(envelope)),
                quote!(#(#applies)*),
            )
        })
        .collect();
    let partial = applies.len() < system.events.len();
    let dispatch = match arms.as_slice() {
        [] => quote!(let _ = event;),
        [(pattern, body)] if partial => quote!(if let #pattern = &event { #body }),
        _ => {
            let (patterns, bodies): (Vec<_>, Vec<_>) = arms.into_iter().unzip();
            let rest = partial.then(|| quote!(_ => {}));
            quote!(match &event { #(#patterns => { #bodies })* #rest })
        }
    };
    let handled = applies.keys().map(|event| &system.events[*event].name);
    quote! {
        /// The event types the listener applies; others are acknowledged.
        pub const HANDLED: &[&str] = &[#(#handled),*];

        /// Applies the events of an SQS batch to the views.
        #[derive(Debug)]
        pub struct Listener<H> {
            /// The views.
            pub views: Views,
            /// The custom hooks.
            pub hooks: H,
        }

        impl<H: Hooks> Listener<H> {
            /// A listener writing to `views`, calling `hooks` for custom projections.
            pub fn new(views: Views, hooks: H) -> Self {
                Self { views, hooks }
            }
        }

        impl<H: Hooks> MessageHandler for Listener<H> {
            type Event = DomainEvent;
            type Error = BoxError;

            fn decode(&self, body: &str) -> Result<Decoded<DomainEvent>, BoxError> {
                let event = match DomainEvent::decode(body.as_bytes()) {
                    Ok(event) => event,
                    Err(DecodeError::UnknownType(event_type)) => {
                        return Ok(Decoded::Unhandled(event_type));
                    }
                    Err(error) => return Err(error.into()),
                };
                if !HANDLED.contains(&event.event_type()) {
                    return Ok(Decoded::Unhandled(event.event_type().to_owned()));
                }
                event.validate()?;
                Ok(Decoded::Event(event))
            }

            async fn apply(&self, event: DomainEvent) -> Result<(), BoxError> {
                #dispatch
                Ok(())
            }
        }
    }
}

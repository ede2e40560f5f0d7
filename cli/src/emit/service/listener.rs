//! The listener side of a service crate: the projections of the spec (a function per view
//! and event building the view write), the `Hooks` trait for custom projections, and the
//! `Listener` that decodes SQS bodies and applies them.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::super::EmitError;
use super::super::tokens::{doc, ident};
use super::paths::resolve;
use super::views::{ViewNames, key_expr};
use super::{EventNames, upcasters};
use crate::model::{Event, Field, Meta, Projection, Service, Source, System, View};
use crate::naming::field_ident;
use crate::spec::Scalar;

/// A custom hook of the service: the event it handles and its method.
struct Hook<'a> {
    name: &'a str,
    view: &'a str,
    event: &'a Event,
    method: Ident,
}

/// The projections, `Hooks` and `Listener` of `service`.
pub(super) fn listener(
    system: &System,
    service: &Service,
    events: &Ident,
) -> Result<TokenStream, EmitError> {
    let records = system.records();
    let mut projections = Vec::new();
    let mut hooks = Vec::new();
    // Event -> what applying it does.
    let mut applies: BTreeMap<&str, Vec<TokenStream>> = BTreeMap::new();
    for view in service.views.values() {
        let names = ViewNames::of(view);
        let mut functions = Vec::new();
        for (event_name, projection) in &view.projections {
            let event = system
                .events
                .get(event_name)
                .ok_or_else(|| EmitError::UnknownEvent {
                    service: service.name.clone(),
                    event: event_name.clone(),
                })?;
            let event_names = EventNames::of(events, event);
            let member = &names.member;
            let function = ident(&format!("on_{}", event_names.module));
            let apply =
                match projection_fn(&records, view, event, &event_names, projection, &function)? {
                    Some(projection) => {
                        functions.push(projection);
                        let store = &names.store;
                        quote!(self.views.#member.apply(&#store::#function(envelope)?).await?;)
                    }
                    None => {
                        let Projection::Hook(hook) = projection else {
                            continue;
                        };
                        let method = ident(&field_ident(hook));
                        hooks.push(Hook {
                            name: hook,
                            view: &view.name,
                            event,
                            method: method.clone(),
                        });
                        quote!(self.hooks.#method(envelope, &self.views).await?;)
                    }
                };
            applies.entry(event_name).or_default().push(apply);
        }
        if !functions.is_empty() {
            let store = &names.store;
            projections.push(quote!(impl #store { #(#functions)* }));
        }
    }
    let hooks_trait = hooks_trait(system, &hooks, events);
    let listener = listener_impl(system, &applies, events);
    Ok(quote! {
        #(#projections)*
        #hooks_trait
        #listener
    })
}

/// `on_<event>`: the write an upsert or delete projection makes of an event; `None` for a
/// hook.
fn projection_fn(
    records: &BTreeMap<String, Vec<Field>>,
    view: &View,
    event: &Event,
    names: &EventNames,
    projection: &Projection,
    function: &Ident,
) -> Result<Option<TokenStream>, EmitError> {
    let fields = &event.current().fields;
    let source = |view_field: &str, path: &str| -> Result<TokenStream, EmitError> {
        resolve(records, quote!(envelope.payload), fields, path)
            .map(|r| r.reference())
            .ok_or_else(|| EmitError::UnknownPath {
                at: format!("view `{}` field `{view_field}`", view.name),
                path: path.to_owned(),
            })
    };
    let mut key_values = BTreeMap::new();
    let (verb, body) = match projection {
        Projection::Upsert(map) => {
            let mut inserts = Vec::new();
            for (view_field, src) in map {
                let value = match src {
                    Source::Field(path) => source(view_field, path)?,
                    Source::Meta(meta) => meta_ref(*meta),
                    Source::Const(scalar) => {
                        let constant = constant(scalar);
                        quote!(&#constant)
                    }
                };
                inserts.push(quote! {
                    attributes.insert(#view_field, #value)?;
                });
                key_values.insert(view_field.as_str(), value);
            }
            let key = key_of(view, &key_values)?;
            let count = Literal::usize_unsuffixed(inserts.len());
            let body = quote! {
                let mut attributes = Encoded::with_capacity(#count);
                #(#inserts)*
                Ok(Write::upsert(#key, attributes, version(envelope)))
            };
            ("Upserts", body)
        }
        Projection::Delete(map) => {
            for (view_field, path) in map {
                key_values.insert(view_field.as_str(), source(view_field, path)?);
            }
            let key = key_of(view, &key_values)?;
            let body = quote!(Ok(Write::delete(#key, version(envelope))));
            ("Deletes", body)
        }
        Projection::Hook(_) => return Ok(None),
    };
    let docs = format!(
        " {verb} the row of `{}` that `{}` is about.",
        view.name, event.name
    );
    let payload = &names.payload;
    Ok(Some(quote! {
        #[doc = #docs]
        pub fn #function(envelope: &Envelope<#payload>) -> Result<Write, BoxError> {
            #body
        }
    }))
}

/// The key from the values mapped to the view's key fields.
fn key_of(view: &View, values: &BTreeMap<&str, TokenStream>) -> Result<TokenStream, EmitError> {
    let values = std::iter::once(&view.key.partition)
        .chain(view.key.sort.as_ref())
        .map(|name| {
            values
                .get(name.as_str())
                .cloned()
                .ok_or_else(|| EmitError::UnmappedKey {
                    view: view.name.clone(),
                    field: name.clone(),
                })
        })
        .collect::<Result<Vec<_>, EmitError>>()?;
    Ok(key_expr(&values))
}

fn meta_ref(meta: Meta) -> TokenStream {
    match meta {
        Meta::Id => quote!(&envelope.id),
        Meta::Type => quote!(&envelope.event_type),
        Meta::Timestamp => quote!(&envelope.timestamp),
        Meta::PartitionKey => quote!(&envelope.partition_key),
        Meta::Version => quote!(&envelope.schema_version),
    }
}

/// A constant as a `serde_json::Value` expression.
fn constant(scalar: &Scalar) -> TokenStream {
    match scalar {
        Scalar::Bool(b) => quote!(serde_json::Value::Bool(#b)),
        Scalar::String(s) => quote!(serde_json::Value::from(#s)),
        Scalar::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => {
                let i = Literal::i64_suffixed(i);
                quote!(serde_json::Value::from(#i))
            }
            (None, Some(f)) => {
                let f = Literal::f64_suffixed(f);
                quote!(serde_json::Value::from(#f))
            }
            (None, None) => quote!(serde_json::Value::Null),
        },
    }
}

fn hooks_trait(system: &System, hooks: &[Hook<'_>], events: &Ident) -> TokenStream {
    let methods = hooks.iter().map(|hook| {
        let names = EventNames::of(events, hook.event);
        let payload = &names.payload;
        let method = &hook.method;
        let docs = doc(Some(&format!(
            "Hook `{}`: applies `{}` to view `{}` (and any other view).",
            hook.name, hook.event.name, hook.view
        )));
        quote! {
            #docs
            fn #method(
                &self,
                envelope: &Envelope<#payload>,
                views: &Views,
            ) -> impl std::future::Future<Output = Result<(), BoxError>> + Send;
        }
    });
    let supertrait = upcasters(system).then(|| quote!(+ #events::Upcasters));
    quote! {
        /// The custom projections the spec names hooks for, implemented in `src/hooks.rs`
        /// (yours to edit: cqrsgen writes it once and never overwrites it).
        pub trait Hooks: Sync #supertrait {
            #(#methods)*
        }
    }
}

fn listener_impl(
    system: &System,
    applies: &BTreeMap<&str, Vec<TokenStream>>,
    events: &Ident,
) -> TokenStream {
    let arms: Vec<(TokenStream, TokenStream)> = applies
        .iter()
        .map(|(event, applies)| {
            let variant = EventNames::of(events, &system.events[*event]).variant;
            (
                quote!(DomainEvent::#variant(envelope)),
                quote!(#(#applies)*),
            )
        })
        .collect();
    let partial = applies.len() < system.events.len();
    let dispatch = match arms.as_slice() {
        [(pattern, body)] if partial => quote!(if let #pattern = &event { #body }),
        _ => {
            let (patterns, bodies): (Vec<_>, Vec<_>) = arms.into_iter().unzip();
            let rest = partial.then(|| quote!(_ => {}));
            quote!(match &event { #(#patterns => { #bodies })* #rest })
        }
    };
    let handled = applies.keys();
    let upcasters = upcasters(system).then(|| quote!(, &self.hooks));
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

        impl<H: Hooks> MessageHandler for Listener<H> {
            type Event = DomainEvent;
            type Error = BoxError;

            fn decode(&self, body: &str) -> Result<Decoded<DomainEvent>, BoxError> {
                let event = match DomainEvent::decode(body.as_bytes() #upcasters) {
                    Ok(event) => event,
                    Err(#events::DecodeError::UnknownType(event_type)) => {
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

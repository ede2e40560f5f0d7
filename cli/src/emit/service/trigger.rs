//! The trigger side of a service crate: a struct per entity (decoded from the table's stream
//! images), and the `Mapper` that turns a stream record into the events the spec's
//! `publishes` rules produce.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::super::payload::record;
use super::super::tokens::ident;
use super::super::{Context, EmitError};
use super::EventNames;
use super::paths::{resolve, same_rust_type};
use crate::model::{Entity, Field, Publish, Service};
use crate::naming::{field_ident, type_ident};
use crate::spec::{ChangeDef, ChangeKind, Scalar};

/// The entity structs, `Published` and `Mapper` of `service`.
pub(super) fn trigger(
    ctx: &Context<'_>,
    service: &Service,
    events: &Ident,
) -> Result<TokenStream, EmitError> {
    let mut items = Vec::new();
    let mut arms = Vec::new();
    let mut methods = Vec::new();
    for entity in service.entities.values() {
        let name = ident(&type_ident(&entity.name));
        let docs = format!(
            "Entity `{}`, as stored in the service's table.{}",
            entity.name,
            entity
                .description
                .as_deref()
                .map(|d| format!("\n\n{d}"))
                .unwrap_or_default()
        );
        items.push(record(ctx, &name, Some(&docs), &entity.fields)?);
        let rules: Vec<&Publish> = service
            .publishes
            .iter()
            .filter(|p| p.entity == entity.name)
            .collect();
        if rules.is_empty() {
            continue;
        }
        let method = ident(&field_ident(&entity.name));
        let discriminator = &entity.name;
        arms.push(quote!(Some(#discriminator) => self.#method(record, change),));
        methods.push(entity_method(
            ctx, service, entity, &name, &method, &rules, events,
        )?);
    }
    Ok(quote! {
        #(#items)*

        /// An event the trigger publishes.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Published(pub DomainEvent);

        impl Publishable for Published {
            fn event_type(&self) -> &str {
                self.0.event_type()
            }

            fn detail(&self) -> Result<String, serde_json::Error> {
                let bytes = self.0.encode()?;
                String::from_utf8(bytes).map_err(serde::ser::Error::custom)
            }
        }

        /// Maps the records of the service's table stream to events.
        #[derive(Debug, Clone)]
        pub struct Mapper {
            tags: BTreeMap<String, String>,
        }

        impl Mapper {
            /// A mapper putting `tags` on every event.
            pub fn new(tags: &Tags) -> Self {
                Self { tags: tags.to_strings() }
            }

            /// A mapper with the tags of this function from the environment.
            pub fn from_env() -> Self {
                Self::new(&Tags::from_env(SERVICE).with_pipeline("trigger"))
            }

            /// The events of `record`, by its `discriminator` (the entity it holds); records
            /// of other entities produce none.
            pub fn map(&self, record: &StreamRecord<'_>, change: Change) -> Result<Vec<Published>, BoxError> {
                match record.string(DISCRIMINATOR) {
                    #(#arms)*
                    _ => Ok(Vec::new()),
                }
            }

            #(#methods)*

            fn envelope<P: Payload>(&self, record: &StreamRecord<'_>, nth: usize, partition_key: &str, payload: P) -> Envelope<P> {
                payload
                    .into_envelope(envelope::event_id(record.record(), nth), envelope::timestamp(record.record()), partition_key)
                    .with_sequence(u32::try_from(nth).unwrap_or(u32::MAX))
                    .with_tags(self.tags.clone())
            }
        }
    })
}

fn entity_method(
    ctx: &Context<'_>,
    service: &Service,
    entity: &Entity,
    name: &Ident,
    method: &Ident,
    rules: &[&Publish],
    events: &Ident,
) -> Result<TokenStream, EmitError> {
    let records = ctx.system.records();
    let key = resolve(&records, quote!(entity), &entity.fields, &entity.key).ok_or_else(|| {
        EmitError::UnknownPath {
            at: format!("entity `{}` key", entity.name),
            path: entity.key.clone(),
        }
    })?;
    let key = key.reference();
    let mut pushes = Vec::new();
    for rule in rules {
        let event = ctx
            .system
            .events
            .get(&rule.event)
            .ok_or_else(|| EmitError::UnknownEvent {
                service: service.name.clone(),
                event: rule.event.clone(),
            })?;
        let names = EventNames::of(events, event);
        let payload = &names.payload;
        let members = event
            .current()
            .fields
            .iter()
            .map(|field| member(ctx, &records, entity, rule, field))
            .collect::<Result<Vec<_>, _>>()?;
        let condition = condition(&rule.when);
        pushes.push(quote! {
            if #condition {
                let payload = #payload { #(#members)* };
                events.push(Published(self.envelope(record, events.len(), &partition_key, payload).into()));
            }
        });
    }
    let docs = format!(" The events of a record of entity `{}`.", entity.name);
    Ok(quote! {
        #[doc = #docs]
        fn #method(&self, record: &StreamRecord<'_>, change: Change) -> Result<Vec<Published>, BoxError> {
            let Some(entity) = record.image::<#name>()? else {
                return Ok(Vec::new());
            };
            let partition_key = key_value(#key)?.to_string();
            let mut events = Vec::new();
            #(#pushes)*
            Ok(events)
        }
    })
}

/// `field: <value>,` of an event payload, from the entity field the rule maps it from.
fn member(
    ctx: &Context<'_>,
    records: &BTreeMap<String, Vec<Field>>,
    entity: &Entity,
    rule: &Publish,
    field: &Field,
) -> Result<TokenStream, EmitError> {
    let member = ident(&field_ident(&field.name));
    let path = rule.map.get(&field.name).unwrap_or(&field.name);
    let Some(source) = resolve(records, quote!(entity), &entity.fields, path) else {
        return if field.optional {
            Ok(quote!(#member: None,))
        } else {
            Err(EmitError::UnknownPath {
                at: format!("event `{}` field `{}`", rule.event, field.name),
                path: path.clone(),
            })
        };
    };
    if source.optional() && !field.optional {
        return Err(EmitError::OptionalSource {
            event: rule.event.clone(),
            field: field.name.clone(),
            path: path.clone(),
        });
    }
    let value = if same_rust_type(&source.field.ty, &field.ty) {
        source.owned(ctx.system)
    } else {
        let reference = source.reference();
        quote!(cqrsgen_runtime::trigger::convert(#reference)?)
    };
    let wrap = field.optional && !source.optional() && same_rust_type(&source.field.ty, &field.ty);
    Ok(if wrap {
        quote!(#member: Some(#value),)
    } else {
        quote!(#member: #value,)
    })
}

/// Whether the rule fires for the record at hand (`change`, `record`).
fn condition(when: &ChangeDef) -> TokenStream {
    match when {
        ChangeDef::Kind(kind) => {
            let variant = ident(match kind {
                ChangeKind::Insert => "Insert",
                ChangeKind::Modify => "Modify",
                ChangeKind::Remove => "Remove",
                ChangeKind::SoftDelete => "SoftDelete",
                ChangeKind::Undelete => "Undelete",
            });
            quote!(change == Change::#variant)
        }
        ChangeDef::Transition(transition) => {
            let field = &transition.field;
            let becomes = scalar(&transition.becomes);
            let from = transition.from.iter().map(scalar);
            quote!(change != Change::Remove && record.transition(#field, #becomes, &[#(#from),*]))
        }
    }
}

fn scalar(value: &Scalar) -> TokenStream {
    match value {
        Scalar::Bool(b) => quote!(cqrsgen_runtime::stream::Scalar::Bool(#b)),
        Scalar::String(s) => quote!(cqrsgen_runtime::stream::Scalar::String(#s)),
        Scalar::Number(n) => {
            let n = Literal::f64_suffixed(n.as_f64().unwrap_or_default());
            quote!(cqrsgen_runtime::stream::Scalar::Number(#n))
        }
    }
}

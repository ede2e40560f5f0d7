//! The trigger side of a service crate: the `Mapper` that turns a record of the service's table
//! stream into the events the spec's `publishes` rules produce.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::super::output::RustModule;
use super::super::rust::paths::Access;
use super::super::rust::tokens::ident;
use super::super::rust::types::same_rust_type;
use crate::ir::{
    Entity, EntityId, Field, FieldPath, Literal as Value, Publish, ServiceId, System, When,
};
use crate::naming::module_ident;

/// The `trigger` module of `service`.
pub(super) fn module(system: &System, service: ServiceId) -> RustModule {
    let events = ident(&module_ident(&system.crates.events));
    let mut module = RustModule::new(format!(
        "The trigger of `{}`: from records of its table stream to events.",
        system.services[service].name
    ));
    module
        .import("std::collections::BTreeMap")
        .import("cqrsgen_runtime::envelope::{self, Tags}")
        .import("cqrsgen_runtime::listener::BoxError")
        .import("cqrsgen_runtime::store::key_value")
        .import("cqrsgen_runtime::stream::{Change, DISCRIMINATOR, StreamRecord}")
        .import("cqrsgen_runtime::trigger::StreamMapper")
        .import(&format!("{events}::DomainEvent"));
    let publishes = &system.services[service].publishes;
    let mut arms = Vec::new();
    let mut methods = Vec::new();
    for (entity_id, entity) in system.entities_of(service) {
        let rules: Vec<&Publish> = publishes.iter().filter(|p| p.entity == entity_id).collect();
        if rules.is_empty() {
            continue;
        }
        module.import(&format!("crate::entities::{}", entity.ident));
        let method = ident(&module_ident(&entity.name));
        let discriminator = &entity.name;
        arms.push(quote!(Some(#discriminator) => self.#method(record, change),));
        methods.push(entity_method(
            system, entity_id, entity, &method, &rules, &events,
        ));
    }
    module.item(quote! {
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
                Self::new(&Tags::from_env(crate::SERVICE).with_pipeline("trigger"))
            }

            #(#methods)*
        }

        impl StreamMapper for Mapper {
            type Event = DomainEvent;

            /// The events of `record`, by its `discriminator` (the entity it holds); records
            /// of other entities produce none.
            fn map(&self, record: &StreamRecord<'_>, change: Change) -> Result<Vec<DomainEvent>, BoxError> {
                match record.string(DISCRIMINATOR) {
                    #(#arms)*
                    _ => Ok(Vec::new()),
                }
            }
        }
    });
    module
}

fn entity_method(
    system: &System,
    entity_id: EntityId,
    entity: &Entity,
    method: &Ident,
    rules: &[&Publish],
    events: &Ident,
) -> TokenStream {
    let name = ident(&entity.ident);
    let key = ident(&entity.key_field().ident);
    let pushes = rules.iter().map(|rule| {
        debug_assert_eq!(rule.entity, entity_id);
        let event = &system.events[rule.event];
        let (module, current) = (ident(&event.names.module), ident(&event.names.ident));
        let members = event
            .current()
            .fields
            .iter()
            .zip(&rule.payload)
            .map(|(field, source)| member(system, field, source.as_ref()));
        let condition = condition(&rule.when);
        quote! {
            if #condition {
                let payload = #events::#module::#current { #(#members)* };
                events.push(envelope::of_record(record, events.len(), &partition_key, payload, &self.tags).into());
            }
        }
    });
    let docs = format!(" The events of a record of entity `{}`.", entity.name);
    quote! {
        #[doc = #docs]
        fn #method(&self, record: &StreamRecord<'_>, change: Change) -> Result<Vec<DomainEvent>, BoxError> {
            let Some(entity) = record.image::<#name>()? else {
                return Ok(Vec::new());
            };
            let partition_key = key_value(&entity.#key)?.to_string();
            let mut events = Vec::new();
            #(#pushes)*
            Ok(events)
        }
    }
}

/// `field: <value>,` of an event payload, from the entity path the rule copies it from
/// (`None`: an optional field the entity has no source for).
fn member(system: &System, field: &Field, source: Option<&FieldPath>) -> TokenStream {
    let member = ident(&field.ident);
    let Some(path) = source else {
        return quote!(#member: None,);
    };
    let access = Access::of(quote!(entity), path);
    if !same_rust_type(&path.ty, &field.ty) {
        let reference = access.reference();
        return quote!(#member: cqrsgen_runtime::trigger::convert(#reference)?,);
    }
    let value = access.owned(system, path);
    if field.optional && !path.optional() {
        quote!(#member: Some(#value),)
    } else {
        quote!(#member: #value,)
    }
}

/// Whether the rule fires for the record at hand (`change`, `record`).
fn condition(when: &When) -> TokenStream {
    let kind = |variant: &str| {
        let variant = ident(variant);
        quote!(change == Change::#variant)
    };
    match when {
        When::Insert => kind("Insert"),
        When::Modify => kind("Modify"),
        When::Remove => kind("Remove"),
        When::SoftDelete => kind("SoftDelete"),
        When::Undelete => kind("Undelete"),
        When::Transition(transition) => {
            let field = transition.field.dotted();
            let becomes = scalar(&transition.becomes);
            let from = transition.from.iter().map(scalar);
            quote!(change != Change::Remove && record.transition(#field, #becomes, &[#(#from),*]))
        }
    }
}

fn scalar(value: &Value) -> TokenStream {
    match value {
        Value::Bool(b) => quote!(cqrsgen_runtime::stream::Scalar::Bool(#b)),
        Value::String(s) => quote!(cqrsgen_runtime::stream::Scalar::String(#s)),
        Value::Number(n) => {
            let n = Literal::f64_suffixed(n.as_f64().unwrap_or_default());
            quote!(cqrsgen_runtime::stream::Scalar::Number(#n))
        }
    }
}

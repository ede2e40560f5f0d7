//! The command side of a service crate: per entity a typed repository over the service's
//! table (the runtime's `Repository`), writing rows the way the service's trigger reads
//! them, and `Repositories`, all of them over one table.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::super::output::RustModule;
use super::super::rust::tokens::{doc, ident};
use super::super::rust::types::{nested_ident, rust_type};
use crate::ir::{Entity, Literal, Publish, ServiceId, System, TypeKind, When};
use crate::naming::{repository_ident, setter_ident};

/// The `repository` module of `service` (a service with entities).
pub(super) fn module(system: &System, service: ServiceId) -> RustModule {
    let name = &system.services[service].name;
    let crate_ident = &system.services[service].names.crate_ident;
    let mut module = RustModule::new(format!(
        "The command side of `{name}`: a typed repository per entity over the service's \
         table, writing rows the way its trigger reads them (layout, concurrency and errors: \
         [`cqrsgen_runtime::entity`])."
    ));
    module.import("std::sync::Arc").import(
        "cqrsgen_runtime::entity::{AnyEntityTable, Clock, Entity, EntityTable, Repository, \
         RepositoryError, Stored, SystemClock, discriminator}",
    );
    let publishes = &system.services[service].publishes;
    let mut fields = Vec::new();
    let mut inits = Vec::new();
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    let mut first = None;
    let mut imports = BTreeSet::new();
    for (id, entity) in system.entities_of(service) {
        let ty = ident(&entity.ident);
        module.import(&format!("crate::entities::{}", entity.ident));
        let rules: Vec<&Publish> = publishes.iter().filter(|p| p.entity == id).collect();
        module.item(entity_impl(system, entity, &mut imports));
        module.item(repository(system, entity, &rules, &mut imports));
        let repo = ident(&repository_ident(&entity.name));
        let member = ident(&crate::naming::module_ident(&entity.name));
        first.get_or_insert_with(|| member.clone());
        let docs = format!(" Entity `{}`.", entity.name);
        fields.push(quote! { #[doc = #docs] pub #member: #repo, });
        inits.push(quote! { #member: #repo::new(Arc::clone(&table), Arc::clone(&clock)), });
        let variant_doc = format!(" A row of entity `{}`.", entity.name);
        variants.push(quote! { #[doc = #variant_doc] #ty(Stored<#ty>), });
        let discriminator = &entity.name;
        arms.push(quote! {
            Some(#discriminator) => EntityRow::#ty(Stored::decode(&item)?),
        });
    }
    for import in &imports {
        module.import(import);
    }
    let Some(first) = first else {
        return module;
    };
    let example = format!(
        " ```\n \
         # #[{crate_ident}::runtime::tokio::main(crate = \"{crate_ident}::runtime::tokio\")]\n \
         # async fn main() -> Result<(), Box<dyn std::error::Error>> {{\n \
         use {crate_ident}::Repositories;\n \
         use {crate_ident}::runtime::entity::EntityTable;\n\n \
         // In memory here; `Repositories::dynamo(client, table)` in a function.\n \
         let repositories = Repositories::in_memory();\n \
         assert!(repositories.query_key(\"no-such-key\").await?.is_empty());\n \
         assert!(repositories.table().query(\"no-such-key\").await?.is_empty());\n \
         # Ok(())\n \
         # }}\n \
         ```"
    );
    let example_lines: Vec<String> = example.split('\n').map(str::to_owned).collect();
    let summary = format!(
        " The repositories of every entity of `{name}`, over the service's one table (and one \
         clock)."
    );
    module.item(quote! {
        #[doc = #summary]
        ///
        /// # Example
        ///
        #(#[doc = #example_lines])*
        #[derive(Debug, Clone)]
        pub struct Repositories {
            #(#fields)*
        }

        impl Repositories {
            /// The repositories over `table`, timing writes with `clock`.
            pub fn new(table: AnyEntityTable, clock: Arc<dyn Clock>) -> Self {
                let table = Arc::new(table);
                Self { #(#inits)* }
            }

            /// The repositories over the DynamoDB table `table`, timed by the system clock.
            pub fn dynamo(
                client: cqrsgen_runtime::aws_sdk_dynamodb::Client,
                table: impl Into<String>,
            ) -> Self {
                Self::new(AnyEntityTable::dynamo(client, table), Arc::new(SystemClock))
            }

            /// The repositories over an empty table in memory, timed by the system clock.
            /// Its stream records: `table().as_in_memory()`.
            pub fn in_memory() -> Self {
                Self::new(AnyEntityTable::in_memory(), Arc::new(SystemClock))
            }

            /// The table.
            pub fn table(&self) -> &AnyEntityTable {
                self.#first.inner().table()
            }

            /// Every row whose key is `key`, of whichever entity (entities of the service may
            /// share key values), soft-deleted ones included; rows of no entity of the spec are
            /// left out.
            pub async fn query_key(&self, key: &str) -> Result<Vec<EntityRow>, RepositoryError> {
                let mut rows = Vec::new();
                for item in self.table().query(key).await? {
                    let row = match discriminator(&item) {
                        #(#arms)*
                        _ => continue,
                    };
                    rows.push(row);
                }
                Ok(rows)
            }
        }

        /// A row of the service's table, by its entity.
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant, reason = "rows are read, not stored in bulk")]
        pub enum EntityRow {
            #(#variants)*
        }
    });
    module
}

/// The Rust type of field `index` of `entity`, importing its inline type if it has one.
fn field_type(
    system: &System,
    entity: &Entity,
    index: usize,
    imports: &mut BTreeSet<String>,
) -> TokenStream {
    let field = &entity.fields[index];
    let parent = ident(&entity.ident);
    let nested = nested_ident(&parent, &field.name);
    let mut kind = &field.ty.kind;
    while let TypeKind::Array(item) | TypeKind::Map(item) = kind {
        kind = &item.kind;
    }
    if matches!(kind, TypeKind::Record(_) | TypeKind::Enum(_)) {
        imports.insert(format!("crate::entities::{nested}"));
    }
    rust_type(system, &field.ty, &nested)
}

/// `impl Entity for <Entity>`.
fn entity_impl(system: &System, entity: &Entity, imports: &mut BTreeSet<String>) -> TokenStream {
    let ty = ident(&entity.ident);
    let name = &entity.name;
    let key = ident(&entity.key_field().ident);
    let key_type = match entity.key_field().ty.kind {
        TypeKind::String => quote!(str),
        _ => field_type(system, entity, entity.key, imports),
    };
    quote! {
        impl Entity for #ty {
            const NAME: &'static str = #name;
            type Key = #key_type;

            fn key(&self) -> &#key_type {
                &self.#key
            }
        }
    }
}

/// The events a write publishes, for its documentation.
fn publishes(system: &System, rules: &[&Publish], kinds: &[&str]) -> String {
    let mut events = Vec::new();
    for rule in rules {
        let event = &system.events[rule.event].name;
        let kind = match &rule.when {
            When::Insert => "insert",
            When::Modify => "modify",
            When::Remove => "remove",
            When::SoftDelete => "soft-delete",
            When::Undelete => "undelete",
            When::Transition(t) => {
                // On an insert, only transitions without `from` can fire (there is no old
                // value to come from).
                let fires = kinds.contains(&"transition")
                    || (kinds.contains(&"insert-transition") && t.from.is_empty());
                if fires {
                    let from = if t.from.is_empty() {
                        String::new()
                    } else {
                        let from: Vec<String> = t.from.iter().map(literal).collect();
                        format!(" from {}", from.join(" or "))
                    };
                    events.push(format!(
                        "`{event}` when `{}` becomes {}{from}",
                        t.field.dotted(),
                        literal(&t.becomes)
                    ));
                }
                continue;
            }
        };
        if kinds.contains(&kind) {
            events.push(format!("`{event}`"));
        }
    }
    if events.is_empty() {
        "Publishes no event (the spec has no rule for this change).".to_owned()
    } else {
        format!("Publishes {}.", events.join(", "))
    }
}

fn literal(value: &Literal) -> String {
    match value {
        Literal::Bool(b) => format!("`{b}`"),
        Literal::Number(n) => format!("`{n}`"),
        Literal::String(s) => format!("`{s}`"),
    }
}

/// The repository struct of `entity` and its methods.
fn repository(
    system: &System,
    entity: &Entity,
    rules: &[&Publish],
    imports: &mut BTreeSet<String>,
) -> TokenStream {
    let ty = ident(&entity.ident);
    let name = &entity.name;
    let repo = ident(&repository_ident(&entity.name));
    let key_type = match entity.key_field().ty.kind {
        TypeKind::String => quote!(str),
        _ => field_type(system, entity, entity.key, imports),
    };
    let key_field = &entity.key_field().name;
    let summary = format!(
        " The repository of entity `{name}`: its rows in the service's table, keyed by \
         `{key_field}`."
    );
    let details = entity
        .description
        .as_deref()
        .map(|d| {
            let lines = doc(Some(d));
            quote!(#[doc = ""] #lines)
        })
        .unwrap_or_default();
    let create = format!(
        " Writes a new `{name}` (a stream `INSERT`); [`RepositoryError::Exists`] when its key \
         has a row. {}",
        publishes(system, rules, &["insert", "insert-transition"])
    );
    let update = format!(
        " Replaces the `{name}` (a stream `MODIFY`) if its row is still at version `expected`, \
         else [`RepositoryError::Conflict`]. {}",
        publishes(system, rules, &["modify", "transition"])
    );
    let modify = format!(
        " Changes fields of the `{name}` with `key` (a stream `MODIFY`) if its row is still at \
         version `expected`. {}",
        publishes(system, rules, &["modify", "transition"])
    );
    let soft_delete = format!(
        " Soft-deletes the `{name}` with `key` (`deleted: true`) if its row is still at \
         version `expected`. {}",
        publishes(system, rules, &["soft-delete"])
    );
    let undelete = format!(
        " Undoes the soft delete of the `{name}` with `key` if its row is still at version \
         `expected`. {}",
        publishes(system, rules, &["undelete"])
    );
    let remove = format!(
        " Removes the row of the `{name}` with `key` (a hard delete, stream `REMOVE`) if it is \
         still at version `expected`. {}",
        publishes(system, rules, &["remove"])
    );
    let get = format!(" The `{name}` with `key`, soft-deleted or not.");
    let mut setters = Vec::new();
    let mut seen = BTreeSet::new();
    for rule in rules {
        let When::Transition(transition) = &rule.when else {
            continue;
        };
        let Some(step) = transition.field.steps.first() else {
            continue;
        };
        if transition.field.steps.len() != 1 || !seen.insert(step.name.clone()) {
            continue;
        }
        let Some(index) = entity.fields.iter().position(|f| f.name == step.name) else {
            continue;
        };
        let field = &entity.fields[index];
        let member = ident(&field.ident);
        let setter = ident(&setter_ident(&field.name));
        let value_type = field_type(system, entity, index, imports);
        let value_type = if field.optional {
            quote!(Option<#value_type>)
        } else {
            value_type
        };
        let same_field: Vec<&Publish> = rules
            .iter()
            .copied()
            .filter(|r| matches!(&r.when, When::Transition(t) if t.field.dotted() == field.name))
            .collect();
        let docs = format!(
            " Sets `{}` of the `{name}` with `key` (a stream `MODIFY`) if its row is still at \
             version `expected`. {} Other rules for changes apply as well (see \
             [`update`](Self::update)).",
            field.name,
            publishes(system, &same_field, &["transition"])
        );
        setters.push(quote! {
            #[doc = #docs]
            pub async fn #setter(
                &self,
                key: &#key_type,
                value: #value_type,
                expected: i64,
            ) -> Result<Stored<#ty>, RepositoryError> {
                self.inner.modify(key, expected, move |entity| entity.#member = value).await
            }
        });
    }
    quote! {
        #[doc = #summary]
        #details
        ///
        /// Every write takes the version the caller read (`expected`, [`Stored::version`]) and
        /// fails with a conflict when the row moved on since (see
        /// [`RepositoryError::is_conflict`]); entities are checked against the spec's
        /// constraints before anything is written.
        #[derive(Debug, Clone)]
        pub struct #repo {
            inner: Repository<#ty>,
        }

        impl #repo {
            /// The repository over `table`, timing writes with `clock`.
            pub fn new(table: Arc<AnyEntityTable>, clock: Arc<dyn Clock>) -> Self {
                Self { inner: Repository::new(table, clock) }
            }

            /// The runtime's repository underneath.
            pub fn inner(&self) -> &Repository<#ty> {
                &self.inner
            }

            #[doc = #create]
            pub async fn create(&self, entity: &#ty) -> Result<Stored<#ty>, RepositoryError> {
                self.inner.create(entity).await
            }

            #[doc = #get]
            pub async fn get(&self, key: &#key_type) -> Result<Option<Stored<#ty>>, RepositoryError> {
                self.inner.get(key).await
            }

            #[doc = #update]
            pub async fn update(&self, entity: &#ty, expected: i64) -> Result<Stored<#ty>, RepositoryError> {
                self.inner.update(entity, expected).await
            }

            #[doc = #modify]
            pub async fn modify(
                &self,
                key: &#key_type,
                expected: i64,
                change: impl FnOnce(&mut #ty) + Send,
            ) -> Result<Stored<#ty>, RepositoryError> {
                self.inner.modify(key, expected, change).await
            }

            #(#setters)*

            #[doc = #soft_delete]
            pub async fn soft_delete(&self, key: &#key_type, expected: i64) -> Result<Stored<#ty>, RepositoryError> {
                self.inner.soft_delete(key, expected).await
            }

            #[doc = #undelete]
            pub async fn undelete(&self, key: &#key_type, expected: i64) -> Result<Stored<#ty>, RepositoryError> {
                self.inner.undelete(key, expected).await
            }

            #[doc = #remove]
            pub async fn remove(&self, key: &#key_type, expected: i64) -> Result<(), RepositoryError> {
                self.inner.remove(key, expected).await
            }
        }
    }
}

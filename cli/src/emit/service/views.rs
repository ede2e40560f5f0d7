//! Read models: per view a row struct, a key struct and a typed store (get by key, query by
//! partition and by index) on the runtime's `AnyViewStore`; the `Views` of a service.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::output::RustModule;
use super::super::rust::tokens::{doc, ident};
use super::super::rust::types::{Types, nested_ident, rust_type};
use crate::ir::{ServiceId, System, View, ViewKey};

/// The `views` module of `service`.
pub(super) fn module(system: &System, service: ServiceId) -> RustModule {
    let mut module = RustModule::new(format!(
        "The read models of `{}`: rows, keys and stores.",
        system.services[service].name
    ));
    module
        .import("serde::{Deserialize, Serialize}")
        .import("cqrsgen_runtime::aws_config::SdkConfig")
        .import("cqrsgen_runtime::env::{self, EnvError}")
        .import(
            "cqrsgen_runtime::store::{Applied, AnyViewStore, Key, KeySchema, StoreError, \
             TableSchema, ViewStore, Write, key_value}",
        )
        .import("cqrsgen_runtime::{aws_sdk_dynamodb, clients}");
    let types = Types {
        system,
        validate: None,
    };
    for (_, view) in system.views_of(service) {
        module.item(view_items(types, view));
    }
    module.item(views_struct(system, service));
    module
}

fn view_items(types: Types<'_>, view: &View) -> TokenStream {
    let names = &view.names;
    let (row, key, store) = (ident(&names.row), ident(&names.key), ident(&names.store));
    let mut row_doc = format!("A row of view `{}`.", view.name);
    if let Some(description) = &view.description {
        row_doc.push_str("\n\n");
        row_doc.push_str(description);
    }
    let row_struct = types.record(&row, Some(&row_doc), &view.fields);
    let key_fields: Vec<_> = view.key_fields().collect();
    let key_members = key_fields.iter().map(|field| {
        let ty = rust_type(types.system, &field.ty, &nested_ident(&row, &field.name));
        let member = ident(&field.ident);
        let docs = doc(Some(&format!("`{}`", field.name)));
        quote!(#docs pub #member: #ty,)
    });
    let key_value = key_expr(
        &key_fields
            .iter()
            .map(|field| {
                let member = ident(&field.ident);
                quote!(&self.#member)
            })
            .collect::<Vec<_>>(),
    );
    let key_doc = format!(" The key of a row of view `{}`.", view.name);
    let env = &names.table_env;
    let env_doc = format!(
        " The environment variable naming the table of view `{}`.",
        view.name
    );
    let schema = table_schema(view);
    let partition_query = view.key.sort.is_some().then(|| {
        let field = &view.fields[view.key.partition];
        let member = ident(&field.ident);
        let ty = rust_type(types.system, &field.ty, &nested_ident(&row, &field.name));
        let docs = format!(
            " The rows with `{}` equal to `{member}`, in sort key order.",
            field.name
        );
        quote! {
            #[doc = #docs]
            pub async fn query(&self, #member: &#ty) -> Result<Vec<#row>, StoreError> {
                self.store.query_partition(&key_value(#member)?).await
            }
        }
    });
    let index_queries = view.indexes.iter().map(|index| {
        let field = &view.fields[index.key.partition];
        let member = ident(&field.ident);
        let ty = rust_type(types.system, &field.ty, &nested_ident(&row, &field.name));
        let method = ident(&index.method);
        let name = &index.name;
        let docs = format!(
            " The rows with `{}` equal to `{member}`, through index `{name}`.",
            field.name
        );
        quote! {
            #[doc = #docs]
            pub async fn #method(&self, #member: &#ty) -> Result<Vec<#row>, StoreError> {
                self.store.query_index(#name, &key_value(#member)?).await
            }
        }
    });
    let store_doc = format!(" The rows of view `{}`.", view.name);
    quote! {
        #row_struct

        #[doc = #key_doc]
        #[derive(Debug, Clone, PartialEq)]
        pub struct #key { #(#key_members)* }

        impl #key {
            /// The key as the view store takes it.
            pub fn to_key(&self) -> Result<Key, StoreError> {
                Ok(#key_value)
            }
        }

        #[doc = #store_doc]
        #[derive(Debug)]
        pub struct #store {
            store: AnyViewStore<#row>,
        }

        impl #store {
            #[doc = #env_doc]
            pub const TABLE_ENV: &str = #env;

            /// The keys of the view's table and indexes.
            pub fn schema() -> TableSchema {
                #schema
            }

            /// The view in the DynamoDB table `table`.
            pub fn dynamo(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
                Self { store: AnyViewStore::dynamo(client, table, Self::schema()) }
            }

            /// An empty view in memory.
            pub fn in_memory() -> Self {
                Self { store: AnyViewStore::in_memory(Self::schema()) }
            }

            /// The underlying store.
            pub fn store(&self) -> &AnyViewStore<#row> {
                &self.store
            }

            /// The row with `key`, unless absent or deleted.
            pub async fn get(&self, key: &#key) -> Result<Option<#row>, StoreError> {
                self.store.get(&key.to_key()?).await
            }

            #partition_query
            #(#index_queries)*

            /// Applies `write` to the fields it is newer for.
            pub async fn apply(&self, write: &Write) -> Result<Applied, StoreError> {
                self.store.apply(write).await
            }
        }
    }
}

/// `Key::partition(...)` or `Key::with_sort(...)` from references to the key field values,
/// partition first.
pub(super) fn key_expr(values: &[TokenStream]) -> TokenStream {
    let count = values.len();
    let values = values.iter().map(|value| quote!(key_value(#value)?));
    if count == 1 {
        quote!(Key::partition(#(#values)*))
    } else {
        quote!(Key::with_sort(#(#values),*))
    }
}

fn key_schema(view: &View, key: ViewKey) -> TokenStream {
    let partition = &view.fields[key.partition].name;
    match key.sort.map(|sort| &view.fields[sort].name) {
        Some(sort) => quote!(KeySchema::with_sort(#partition, #sort)),
        None => quote!(KeySchema::partition(#partition)),
    }
}

fn table_schema(view: &View) -> TokenStream {
    let key = key_schema(view, view.key);
    let indexes = view.indexes.iter().map(|index| {
        let name = &index.name;
        let key = key_schema(view, index.key);
        quote!(.with_index(#name, #key))
    });
    quote!(TableSchema::new(#key) #(#indexes)*)
}

fn views_struct(system: &System, service: ServiceId) -> TokenStream {
    let views: Vec<&View> = system.views_of(service).map(|(_, v)| v).collect();
    let members = views.iter().map(|view| {
        let (member, store) = (ident(&view.names.member), ident(&view.names.store));
        let docs = format!(" View `{}`.", view.name);
        quote!(#[doc = #docs] pub #member: #store,)
    });
    let in_memory = views.iter().map(|view| {
        let (member, store) = (ident(&view.names.member), ident(&view.names.store));
        quote!(#member: #store::in_memory(),)
    });
    let dynamo = views.iter().map(|view| {
        let (member, store) = (ident(&view.names.member), ident(&view.names.store));
        quote!(#member: #store::dynamo(client.clone(), env::required(#store::TABLE_ENV)?),)
    });
    quote! {
        /// The read models of the service.
        #[derive(Debug)]
        pub struct Views { #(#members)* }

        impl Views {
            /// Empty views in memory, for tests and local runs.
            pub fn in_memory() -> Self {
                Self { #(#in_memory)* }
            }

            /// The views in their DynamoDB tables, named by the environment (each view's
            /// `TABLE_ENV`).
            pub fn from_env(config: &SdkConfig) -> Result<Self, EnvError> {
                let client = clients::dynamodb(config);
                Ok(Self { #(#dynamo)* })
            }
        }
    }
}

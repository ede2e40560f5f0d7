//! Read models: per view a row struct, a key struct and a typed store (get by key, query by
//! partition and by index) on the runtime's `AnyViewStore`; the `Views` of a service.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::super::payload::{nested_ident, record, rust_type};
use super::super::tokens::{doc, ident};
use super::super::{Context, EmitError};
use crate::model::{Field, Service, View};
use crate::naming::{field_ident, type_ident, view_table_env};
use crate::spec::KeyDef;

/// The names generated for one view.
pub(super) struct ViewNames {
    /// The row struct (`PendingShipment`).
    pub(super) row: Ident,
    /// The key struct (`PendingShipmentKey`).
    pub(super) key: Ident,
    /// The store (`PendingShipmentView`).
    pub(super) store: Ident,
    /// The member of `Views` (`pending_shipment`).
    pub(super) member: Ident,
}

impl ViewNames {
    /// The names for `view`.
    pub(super) fn of(view: &View) -> Self {
        let base = type_ident(&view.name);
        Self {
            row: ident(&base),
            key: ident(&format!("{base}Key")),
            store: ident(&format!("{base}View")),
            member: ident(&field_ident(&view.name)),
        }
    }
}

/// The items of every view of `service`, then `Views`.
pub(super) fn views(ctx: &Context<'_>, service: &Service) -> Result<TokenStream, EmitError> {
    let mut items = Vec::new();
    for view in service.views.values() {
        items.push(view_items(ctx, view)?);
    }
    items.push(views_struct(service));
    Ok(quote!(#(#items)*))
}

fn view_items(ctx: &Context<'_>, view: &View) -> Result<TokenStream, EmitError> {
    let names = ViewNames::of(view);
    let ViewNames {
        row, key, store, ..
    } = &names;
    let row_doc = format!(
        "A row of view `{}`.{}",
        view.name,
        view.description
            .as_deref()
            .map(|d| format!("\n\n{d}"))
            .unwrap_or_default()
    );
    let row_struct = record(ctx, row, Some(&row_doc), &view.fields)?;
    let key_fields = key_fields(view, &view.key)?;
    let key_members = key_fields.iter().map(|(field, member)| {
        let ty = rust_type(&field.ty, &nested_ident(row, &field.name));
        let docs = doc(Some(&format!("`{}`", field.name)));
        quote!(#docs pub #member: #ty,)
    });
    let key_value = key_expr(
        &key_fields
            .iter()
            .map(|(_, member)| quote!(&self.#member))
            .collect::<Vec<_>>(),
    );
    let key_doc = format!(" The key of a row of view `{}`.", view.name);
    let env = view_table_env(&view.name);
    let env_doc = format!(
        " The environment variable naming the table of view `{}`.",
        view.name
    );
    let schema = table_schema(view);
    let partition_query = view.key.sort.is_some().then(|| {
        let (field, member) = &key_fields[0];
        let ty = rust_type(&field.ty, &nested_ident(row, &field.name));
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
    let mut index_queries = Vec::new();
    for (index, key) in &view.indexes {
        let (field, member) = key_field(view, &key.partition)?;
        let ty = rust_type(&field.ty, &nested_ident(row, &field.name));
        let method = ident(&format!("query_{}", field_ident(index)));
        let docs = format!(
            " The rows with `{}` equal to `{member}`, through index `{index}`.",
            field.name
        );
        index_queries.push(quote! {
            #[doc = #docs]
            pub async fn #method(&self, #member: &#ty) -> Result<Vec<#row>, StoreError> {
                self.store.query_index(#index, &key_value(#member)?).await
            }
        });
    }
    let store_doc = format!(" The rows of view `{}`.", view.name);
    Ok(quote! {
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

            /// Applies `write` unless the row holds the same or a newer event.
            pub async fn apply(&self, write: &Write) -> Result<Applied, StoreError> {
                self.store.apply(write).await
            }
        }
    })
}

/// The key fields of `key` with their members, partition first.
fn key_fields<'a>(view: &'a View, key: &KeyDef) -> Result<Vec<(&'a Field, Ident)>, EmitError> {
    std::iter::once(&key.partition)
        .chain(key.sort.as_ref())
        .map(|name| key_field(view, name))
        .collect()
}

fn key_field<'a>(view: &'a View, name: &str) -> Result<(&'a Field, Ident), EmitError> {
    let field =
        view.fields
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| EmitError::UnknownKeyField {
                view: view.name.clone(),
                field: name.to_owned(),
            })?;
    Ok((field, ident(&field_ident(name))))
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

fn key_schema(key: &KeyDef) -> TokenStream {
    let partition = &key.partition;
    match &key.sort {
        Some(sort) => quote!(KeySchema::with_sort(#partition, #sort)),
        None => quote!(KeySchema::partition(#partition)),
    }
}

fn table_schema(view: &View) -> TokenStream {
    let key = key_schema(&view.key);
    let indexes = view.indexes.iter().map(|(name, key)| {
        let key = key_schema(key);
        quote!(.with_index(#name, #key))
    });
    quote!(TableSchema::new(#key) #(#indexes)*)
}

fn views_struct(service: &Service) -> TokenStream {
    let names: Vec<ViewNames> = service.views.values().map(ViewNames::of).collect();
    let members = names.iter().zip(service.views.values()).map(|(n, view)| {
        let (member, store) = (&n.member, &n.store);
        let docs = format!(" View `{}`.", view.name);
        quote!(#[doc = #docs] pub #member: #store,)
    });
    let in_memory = names.iter().map(|n| {
        let (member, store) = (&n.member, &n.store);
        quote!(#member: #store::in_memory(),)
    });
    let dynamo = names.iter().map(|n| {
        let (member, store) = (&n.member, &n.store);
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

//! Rust types for records and enums: payload structs, nested inline types, shared types.
//!
//! A record becomes a struct with public fields in the spec's order (built with a struct
//! literal), serde derives and a [`Validate`](super::checks) implementation. An inline record or enum of field `f` in
//! struct `S` becomes a type named `S` + `F` (`OrderPlacedV2Customer`), generated next to
//! `S`; arrays and maps of inline types name their element type the same way.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::tokens::{doc, ident};
use super::{Context, EmitError, checks};
use crate::model::{Field, IntWidth, Ty, TypeKind};
use crate::naming::{field_ident, type_ident, variant_ident, wire_rename_needed};

/// A struct for a record, followed by the types nested in its fields.
pub(super) fn record(
    ctx: &Context<'_>,
    name: &Ident,
    description: Option<&str>,
    fields: &[Field],
) -> Result<TokenStream, EmitError> {
    let mut nested = TokenStream::new();
    let mut members = Vec::with_capacity(fields.len());
    for field in fields {
        let member = ident(&field_ident(&field.name));
        let inner = nested_ident(name, &field.name);
        let nested_doc = field
            .description
            .clone()
            .unwrap_or_else(|| format!("Field `{}` of [`{name}`].", field.name));
        nested.extend(nested_types(ctx, &field.ty, &inner, Some(&nested_doc))?);
        let ty = rust_type(&field.ty, &inner);
        let docs = field_doc(field);
        let serde = serde_attrs(field, &member);
        if field.optional {
            members.push(quote! { #docs #serde pub #member: Option<#ty>, });
        } else {
            members.push(quote! { #docs #serde pub #member: #ty, });
        }
    }
    let docs = doc(description);
    // A struct without required fields gets `Default`.
    let default = fields.iter().all(|f| f.optional).then(|| quote!(Default,));
    let validate = if ctx.validate {
        checks::validate_impl(ctx, name, fields)?
    } else {
        TokenStream::new()
    };
    Ok(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default Serialize, Deserialize)]
        pub struct #name { #(#members)* }

        #validate
        #nested
    })
}

/// A Rust enum for a closed set of strings.
pub(super) fn enumeration(
    name: &Ident,
    description: Option<&str>,
    values: &[String],
) -> TokenStream {
    let docs = doc(description);
    let variants = values.iter().map(|value| {
        let variant = variant_ident(value);
        let rename = wire_rename_needed(value, &variant).then(|| quote!(#[serde(rename = #value)]));
        let docs = doc(Some(&format!("`{value}`")));
        let variant = ident(&variant);
        quote! { #docs #rename #variant, }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum #name { #(#variants)* }
    }
}

/// The name of the inline type of field `field` of struct `parent`.
pub(super) fn nested_ident(parent: &Ident, field: &str) -> Ident {
    ident(&format!("{parent}{}", type_ident(field)))
}

/// The Rust type of a field type; `nested` names its inline record or enum, if any.
pub(super) fn rust_type(ty: &Ty, nested: &Ident) -> TokenStream {
    match &ty.kind {
        TypeKind::String => quote!(String),
        TypeKind::Integer(IntWidth::I64) => quote!(i64),
        TypeKind::Integer(IntWidth::I32) => quote!(i32),
        TypeKind::Number => quote!(f64),
        TypeKind::Decimal => quote!(rust_decimal::Decimal),
        TypeKind::Boolean => quote!(bool),
        TypeKind::Timestamp => quote!(chrono::DateTime<chrono::Utc>),
        TypeKind::Date => quote!(chrono::NaiveDate),
        TypeKind::Uuid => quote!(uuid::Uuid),
        TypeKind::Enum(_) | TypeKind::Record(_) => quote!(#nested),
        TypeKind::Array(item) => {
            let item = rust_type(item, nested);
            quote!(Vec<#item>)
        }
        TypeKind::Map(item) => {
            let item = rust_type(item, nested);
            quote!(std::collections::BTreeMap<String, #item>)
        }
        TypeKind::Named(name) => {
            let name = ident(&type_ident(name));
            quote!(crate::types::#name)
        }
    }
}

/// The inline record or enum inside a field type, if any.
fn nested_types(
    ctx: &Context<'_>,
    ty: &Ty,
    name: &Ident,
    description: Option<&str>,
) -> Result<TokenStream, EmitError> {
    match &ty.kind {
        TypeKind::Record(fields) => record(ctx, name, description, fields),
        TypeKind::Enum(values) => Ok(enumeration(name, description, values)),
        TypeKind::Array(item) | TypeKind::Map(item) => nested_types(ctx, item, name, description),
        _ => Ok(TokenStream::new()),
    }
}

fn field_doc(field: &Field) -> TokenStream {
    let deprecated = field
        .deprecated
        .then_some("Deprecated: producers should stop setting it, consumers stop reading it.");
    let text = match (field.description.as_deref(), deprecated) {
        (Some(description), Some(deprecated)) => Some(format!("{description}\n\n{deprecated}")),
        (description, deprecated) => description.or(deprecated).map(str::to_owned),
    };
    doc(text.as_deref())
}

/// `#[serde(...)]` for a field: rename when the wire name differs, defaults for optional
/// fields, and decimals as JSON strings.
fn serde_attrs(field: &Field, member: &Ident) -> TokenStream {
    let mut args = Vec::new();
    let wire = &field.name;
    if wire_rename_needed(wire, &member.to_string()) {
        args.push(quote!(rename = #wire));
    }
    if field.optional {
        args.push(quote!(default, skip_serializing_if = "Option::is_none"));
    }
    if field.ty.kind == TypeKind::Decimal {
        let with = Literal::string(if field.optional {
            "rust_decimal::serde::str_option"
        } else {
            "rust_decimal::serde::str"
        });
        args.push(quote!(with = #with));
    }
    if args.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[serde(#(#args),*)])
    }
}

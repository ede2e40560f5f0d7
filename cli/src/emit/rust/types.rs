//! Rust types for records and enums: payload structs, entities, view rows, shared types.
//!
//! A record becomes a struct with public fields in the spec's order (built with a struct
//! literal), serde derives and, where asked, a `Validate` implementation ([`super::checks`]).
//! An inline record or enum of field `f` in struct `S` becomes a type named `S` + `F`
//! (`OrderPlacedV2Customer`), generated next to `S`; arrays and maps of inline types name
//! their element type the same way.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::checks::{self, Patterns};
use super::tokens::{doc, ident};
use crate::ir::{EnumValue, Field, IntWidth, System, Ty, TypeKind};
use crate::naming::type_ident;

/// What the type emitter of one crate needs: the system, and how to validate (the events
/// crate validates payloads with its compiled patterns; other crates do not validate).
#[derive(Clone, Copy)]
pub(crate) struct Types<'a> {
    /// The system.
    pub(crate) system: &'a System,
    /// The compiled patterns, when records get a `Validate` implementation.
    pub(crate) validate: Option<&'a Patterns>,
}

impl Types<'_> {
    /// A struct for a record, followed by the types nested in its fields.
    pub(crate) fn record(
        &self,
        name: &Ident,
        description: Option<&str>,
        fields: &[Field],
    ) -> TokenStream {
        let mut nested = TokenStream::new();
        let mut members = Vec::with_capacity(fields.len());
        for field in fields {
            let member = ident(&field.ident);
            let inner = nested_ident(name, &field.name);
            let nested_doc = field
                .description
                .clone()
                .unwrap_or_else(|| format!("Field `{}` of [`{name}`].", field.name));
            nested.extend(self.nested_types(&field.ty, &inner, Some(&nested_doc)));
            let ty = rust_type(self.system, &field.ty, &inner);
            let docs = field_doc(field);
            let serde = serde_attrs(field);
            let ty = if field.optional {
                quote!(Option<#ty>)
            } else {
                ty
            };
            members.push(quote! { #docs #serde pub #member: #ty, });
        }
        let docs = doc(description);
        // A struct without required fields gets `Default`.
        let default = fields.iter().all(|f| f.optional).then(|| quote!(Default,));
        let validate = self
            .validate
            .map(|patterns| checks::validate_impl(self.system, patterns, name, fields));
        quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, #default Serialize, Deserialize)]
            pub struct #name { #(#members)* }

            #validate
            #nested
        }
    }

    /// The inline record or enum inside a field type, if any.
    fn nested_types(&self, ty: &Ty, name: &Ident, description: Option<&str>) -> TokenStream {
        match &ty.kind {
            TypeKind::Record(fields) => self.record(name, description, fields),
            TypeKind::Enum(values) => enumeration(name, description, values),
            TypeKind::Array(item) | TypeKind::Map(item) => {
                self.nested_types(item, name, description)
            }
            _ => TokenStream::new(),
        }
    }
}

/// A Rust enum for a closed set of strings.
pub(crate) fn enumeration(
    name: &Ident,
    description: Option<&str>,
    values: &[EnumValue],
) -> TokenStream {
    let docs = doc(description);
    let variants = values.iter().map(|value| {
        let wire = &value.wire;
        let rename = value.renamed().then(|| quote!(#[serde(rename = #wire)]));
        let docs = doc(Some(&format!("`{wire}`")));
        let variant = ident(&value.variant);
        quote! { #docs #rename #variant, }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum #name { #(#variants)* }
    }
}

/// The names of the types [`Types::record`] declares for a record named `name`: the record
/// first, then the types nested in its fields, in the same order.
pub(crate) fn declared(name: &str, fields: &[Field]) -> Vec<String> {
    fn nested(ty: &Ty, name: String, out: &mut Vec<String>) {
        match &ty.kind {
            TypeKind::Record(fields) => {
                out.push(name.clone());
                for field in fields {
                    nested(&field.ty, format!("{name}{}", type_ident(&field.name)), out);
                }
            }
            TypeKind::Enum(_) => out.push(name),
            TypeKind::Array(item) | TypeKind::Map(item) => nested(item, name, out),
            _ => {}
        }
    }
    let mut out = vec![name.to_owned()];
    for field in fields {
        nested(
            &field.ty,
            format!("{name}{}", type_ident(&field.name)),
            &mut out,
        );
    }
    out
}

/// The name of the inline type of field `field` of struct `parent`.
pub(crate) fn nested_ident(parent: &Ident, field: &str) -> Ident {
    ident(&format!("{parent}{}", type_ident(field)))
}

/// The Rust type of a field type; `nested` names its inline record or enum, if any.
pub(crate) fn rust_type(system: &System, ty: &Ty, nested: &Ident) -> TokenStream {
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
            let item = rust_type(system, item, nested);
            quote!(Vec<#item>)
        }
        TypeKind::Map(item) => {
            let item = rust_type(system, item, nested);
            quote!(std::collections::BTreeMap<String, #item>)
        }
        TypeKind::Named(id) => {
            let name = ident(&system.types[*id].ident);
            quote!(crate::types::#name)
        }
    }
}

/// Whether two field types have the same generated Rust type, wherever they are generated:
/// scalars and named types do; inline records and enums are generated per struct, so not.
pub(crate) fn same_rust_type(a: &Ty, b: &Ty) -> bool {
    match (&a.kind, &b.kind) {
        (TypeKind::Array(a), TypeKind::Array(b)) | (TypeKind::Map(a), TypeKind::Map(b)) => {
            same_rust_type(a, b)
        }
        (TypeKind::Record(_) | TypeKind::Enum(_), _)
        | (_, TypeKind::Record(_) | TypeKind::Enum(_)) => false,
        (a, b) => a == b,
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
fn serde_attrs(field: &Field) -> TokenStream {
    let mut args = Vec::new();
    let wire = &field.name;
    if field.renamed() {
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

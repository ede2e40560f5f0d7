//! Upcasting: turning a payload of an older event version into the next version.
//!
//! A change that only adds optional fields (every older field kept with the same type and
//! optionality) is additive: the emitter generates `From<Old> for New`, converting inline
//! nested types field by field. Any other change needs the spec to name a hook
//! (`previous[].upcast`); hooks become methods of the generated `Upcasts` trait, which the
//! user implements once, next to the spec (`upcasts.rs`). A named hook wins over the derived
//! conversion, so a spec can override an additive upcast.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::tokens::ident;
use super::types::nested_ident;
use crate::ir::{Field, Ty, TypeKind};

/// `From<old> for new` for an additive step: kept fields are moved (converting inline
/// nested types), added fields are `None`.
pub(crate) fn from_impl(
    old: &Ident,
    new: &Ident,
    old_fields: &[Field],
    new_fields: &[Field],
) -> TokenStream {
    let mut nested = TokenStream::new();
    let inits = new_fields.iter().map(|field| {
        let member = ident(&field.ident);
        if !old_fields.iter().any(|o| o.name == field.name) {
            return quote!(#member: None);
        }
        let (from, to) = (
            nested_ident(old, &field.name),
            nested_ident(new, &field.name),
        );
        nested.extend(nested_from(&field.ty, &from, &to));
        let value = if field.optional {
            convert(&field.ty, quote!(value))
                .map(|converted| quote!(old.#member.map(|value| #converted)))
        } else {
            convert(&field.ty, quote!(old.#member))
        }
        .unwrap_or_else(|| quote!(old.#member));
        quote!(#member: #value)
    });
    let inits: Vec<_> = inits.collect();
    let binding = if old_fields.is_empty() {
        quote!(_old)
    } else {
        quote!(old)
    };
    quote! {
        impl From<#old> for #new {
            fn from(#binding: #old) -> Self {
                Self { #(#inits),* }
            }
        }
        #nested
    }
}

/// `From` between the inline types of a kept field, recursively.
fn nested_from(ty: &Ty, from: &Ident, to: &Ident) -> TokenStream {
    match &ty.kind {
        TypeKind::Record(fields) => from_impl(from, to, fields, fields),
        TypeKind::Enum(values) => {
            let arms = values.iter().map(|value| {
                let variant = ident(&value.variant);
                quote!(#from::#variant => #to::#variant)
            });
            quote! {
                impl From<#from> for #to {
                    fn from(old: #from) -> Self {
                        match old { #(#arms),* }
                    }
                }
            }
        }
        TypeKind::Array(item) | TypeKind::Map(item) => nested_from(item, from, to),
        _ => TokenStream::new(),
    }
}

/// An expression converting `value` of an unchanged type between the two versions' Rust
/// types; `None` when the types are the same (no inline nested type inside).
fn convert(ty: &Ty, value: TokenStream) -> Option<TokenStream> {
    match &ty.kind {
        TypeKind::Record(_) | TypeKind::Enum(_) => Some(quote!(#value.into())),
        TypeKind::Array(item) => convert(item, quote!(item))
            .map(|item| quote!(#value.into_iter().map(|item| #item).collect())),
        TypeKind::Map(item) => convert(item, quote!(item))
            .map(|item| quote!(#value.into_iter().map(|(key, item)| (key, #item)).collect())),
        _ => None,
    }
}

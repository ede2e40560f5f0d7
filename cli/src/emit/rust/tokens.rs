//! Token helpers shared by the Rust emitters: identifiers from converted names, doc
//! attributes, literals.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use super::super::output::doc_lines;

/// An identifier from an already converted name (the output of a naming function).
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[doc = "..."]` attributes for a description, one per line; nothing for `None`.
pub(crate) fn doc(text: Option<&str>) -> TokenStream {
    text.map(|text| {
        let lines = doc_lines(text).map(|line| format!(" {line}"));
        quote! { #(#[doc = #lines])* }
    })
    .unwrap_or_default()
}

/// An `f64` literal (with a leading `-` token when negative). Spec bounds come from JSON,
/// so they are finite; anything else becomes the matching constant rather than a panic.
pub(crate) fn float(value: f64) -> TokenStream {
    if value.is_nan() {
        return quote!(f64::NAN);
    }
    if value.is_infinite() {
        return if value > 0.0 {
            quote!(f64::INFINITY)
        } else {
            quote!(f64::NEG_INFINITY)
        };
    }
    let literal = Literal::f64_unsuffixed(value.abs());
    if value.is_sign_negative() {
        quote!(-#literal)
    } else {
        quote!(#literal)
    }
}

/// `Some(bound)` or `None`, for an optional float bound.
pub(crate) fn float_bound(value: Option<f64>) -> TokenStream {
    match value {
        Some(value) => {
            let value = float(value);
            quote!(Some(#value))
        }
        None => quote!(None),
    }
}

/// `Some(bound)` or `None`, for an optional count bound.
pub(crate) fn count_bound(value: Option<u64>) -> TokenStream {
    match value.map(Literal::u64_unsuffixed) {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    }
}

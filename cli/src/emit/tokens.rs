//! Token helpers shared by the Rust emitters: identifiers from spec names, doc attributes,
//! literals, and rendering a token stream into a formatted file.

use std::path::Path;
use std::str::FromStr;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use super::EmitError;
use crate::write::{CommentStyle, header};

/// An identifier from an already converted name (the output of a naming function).
pub(super) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[doc = "..."]` attributes for a description, one per line; nothing for `None`.
pub(super) fn doc(text: Option<&str>) -> TokenStream {
    text.map(|text| {
        let lines = text.trim_end().lines().map(|line| format!(" {line}"));
        quote! { #(#[doc = #lines])* }
    })
    .unwrap_or_default()
}

/// `#![doc = "..."]` attributes for a description, one per line; nothing for `None`.
pub(super) fn inner_doc(text: Option<&str>) -> TokenStream {
    text.map(|text| {
        let lines = text.trim_end().lines().map(|line| format!(" {line}"));
        quote! { #(#![doc = #lines])* }
    })
    .unwrap_or_default()
}

/// An `f64` literal (with a leading `-` token when negative). Spec bounds come from JSON,
/// so they are finite; anything else is reported instead of panicking.
pub(super) fn float(value: f64, at: &str) -> Result<TokenStream, EmitError> {
    let text = format!("{:?}", value.abs());
    let literal = value
        .is_finite()
        .then(|| Literal::from_str(&text).ok())
        .flatten()
        .ok_or_else(|| EmitError::NotFinite {
            at: at.to_owned(),
            value,
        })?;
    Ok(if value.is_sign_negative() {
        quote!(-#literal)
    } else {
        quote!(#literal)
    })
}

/// `Some(bound)` or `None`, for an optional float bound.
pub(super) fn float_bound(value: Option<f64>, at: &str) -> Result<TokenStream, EmitError> {
    Ok(match value {
        Some(value) => {
            let value = float(value, at)?;
            quote!(Some(#value))
        }
        None => quote!(None),
    })
}

/// `Some(bound)` or `None`, for an optional count bound.
pub(super) fn count_bound(value: Option<u64>) -> TokenStream {
    match value.map(Literal::u64_unsuffixed) {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    }
}

/// Parses tokens as a Rust file and pretty-prints it under the generated header. A parse
/// failure means the emitter built invalid Rust.
pub(super) fn render(path: &Path, tokens: TokenStream) -> Result<String, EmitError> {
    let file: syn::File = syn::parse2(tokens).map_err(|source| EmitError::InvalidRust {
        path: path.to_owned(),
        message: source.to_string(),
    })?;
    Ok(format!(
        "{}\n{}",
        header(CommentStyle::Slashes),
        prettyplease::unparse(&file)
    ))
}

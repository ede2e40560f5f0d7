//! `Validate` implementations: code that checks a value against the spec's constraints,
//! descending into arrays, maps and records, and naming each violation by its wire path.
//!
//! Generated bodies bind the checked value to `value` (a reference) and its position to
//! `path`, then call the helpers of the generated crate's `validation::check` module.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::tokens::{count_bound, float_bound, ident};
use super::{Context, EmitError};
use crate::model::{Field, IntWidth, NamedKind, StringFormat, Ty, TypeKind};
use crate::naming::field_ident;

/// `impl Validate for <name>` over the fields of a record.
pub(super) fn validate_impl(
    ctx: &Context<'_>,
    name: &Ident,
    fields: &[Field],
) -> Result<TokenStream, EmitError> {
    let mut body = Vec::new();
    for field in fields {
        if let Some(checks) = field_checks(ctx, name, field)? {
            body.push(checks);
        }
    }
    let (path, errors) = if body.is_empty() {
        (quote!(_path), quote!(_errors))
    } else {
        (quote!(path), quote!(errors))
    };
    Ok(quote! {
        impl Validate for #name {
            fn validate_at(&self, #path: &Path<'_>, #errors: &mut ValidationErrors) {
                #(#body)*
            }
        }
    })
}

fn field_checks(
    ctx: &Context<'_>,
    parent: &Ident,
    field: &Field,
) -> Result<Option<TokenStream>, EmitError> {
    let at = format!("{parent}.{}", field.name);
    let Some(checks) = value_checks(ctx, &field.ty, &at)? else {
        return Ok(None);
    };
    let member = ident(&field_ident(&field.name));
    let wire = &field.name;
    Ok(Some(if field.optional {
        quote! {
            if let Some(value) = &self.#member {
                let path = path.field(#wire);
                #checks
            }
        }
    } else {
        quote! {
            {
                let value = &self.#member;
                let path = path.field(#wire);
                #checks
            }
        }
    }))
}

/// Checks of `value: &T` at `path`, or `None` when the type has nothing to check.
fn value_checks(ctx: &Context<'_>, ty: &Ty, at: &str) -> Result<Option<TokenStream>, EmitError> {
    let c = &ty.constraints;
    let mut checks = Vec::new();
    if c.min.is_some() || c.max.is_some() {
        let number = match &ty.kind {
            TypeKind::Integer(IntWidth::I32) => Some(quote!(f64::from(*value))),
            TypeKind::Integer(IntWidth::I64) => Some(quote!(*value as f64)),
            TypeKind::Number => Some(quote!(*value)),
            TypeKind::Decimal => Some(quote!(
                rust_decimal::prelude::ToPrimitive::to_f64(value).unwrap_or(f64::NAN)
            )),
            _ => None,
        };
        if let Some(number) = number {
            let (min, max) = (float_bound(c.min, at)?, float_bound(c.max, at)?);
            checks
                .push(quote!(crate::validation::check::range(#number, #min, #max, &path, errors);));
        }
    }
    if ty.kind == TypeKind::String {
        if c.min_length.is_some() || c.max_length.is_some() {
            let (min, max) = (count_bound(c.min_length), count_bound(c.max_length));
            checks
                .push(quote!(crate::validation::check::length(value, #min, #max, &path, errors);));
        }
        if let Some(index) = c.pattern.as_ref().and_then(|p| ctx.usage.patterns.get(p)) {
            let pattern = pattern_ident(*index);
            checks.push(quote! {
                crate::validation::check::pattern(
                    crate::patterns::#pattern.is_match(value),
                    crate::patterns::#pattern.as_str(),
                    &path,
                    errors,
                );
            });
        }
        if let Some(format) = c.format {
            let check = ident(match format {
                StringFormat::Email => "email",
                StringFormat::Uri => "uri",
                StringFormat::Hostname => "hostname",
            });
            checks.push(quote!(crate::validation::check::#check(value, &path, errors);));
        }
    }
    match &ty.kind {
        TypeKind::Array(item) => {
            if c.min_items.is_some() || c.max_items.is_some() {
                let (min, max) = (count_bound(c.min_items), count_bound(c.max_items));
                checks.push(
                    quote!(crate::validation::check::items(value.len(), #min, #max, &path, errors);),
                );
            }
            if let Some(inner) = value_checks(ctx, item, &format!("{at}[]"))? {
                checks.push(quote! {
                    for (index, value) in value.iter().enumerate() {
                        let path = path.index(index);
                        #inner
                    }
                });
            }
        }
        TypeKind::Map(item) => {
            if let Some(inner) = value_checks(ctx, item, &format!("{at}{{}}"))? {
                checks.push(quote! {
                    for (key, value) in value {
                        let path = path.key(key);
                        #inner
                    }
                });
            }
        }
        TypeKind::Record(_) => checks.push(quote!(value.validate_at(&path, errors);)),
        TypeKind::Named(name) => {
            let is_record = ctx
                .system
                .types
                .get(name)
                .is_some_and(|t| matches!(t.kind, NamedKind::Record(_)));
            if is_record {
                checks.push(quote!(value.validate_at(&path, errors);));
            }
        }
        _ => {}
    }
    Ok((!checks.is_empty()).then(|| quote!(#(#checks)*)))
}

/// The static holding the compiled pattern number `index`.
pub(super) fn pattern_ident(index: usize) -> Ident {
    ident(&format!("PATTERN_{index}"))
}

/// The `patterns.rs` module: every distinct pattern compiled once, on first use.
pub(super) fn patterns_module(ctx: &Context<'_>) -> TokenStream {
    let statics = ctx.usage.patterns.iter().map(|(pattern, index)| {
        let name = pattern_ident(*index);
        let docs = format!(" `{pattern}`");
        let pattern = Literal::string(pattern);
        quote! {
            #[doc = #docs]
            pub(crate) static #name: LazyLock<Regex> = LazyLock::new(|| {
                Regex::new(#pattern).expect("cqrsgen checked the pattern with the same regex crate")
            });
        }
    });
    quote! {
        //! The spec's `pattern` constraints, each compiled once on first use.

        use std::sync::LazyLock;

        use regex::Regex;

        #(#statics)*
    }
}

//! `Validate` implementations: code that checks a value against the spec's constraints,
//! descending into arrays, maps and records, and naming each violation by its wire path.
//!
//! Generated bodies bind the checked value to `value` (a reference) and its position to
//! `path`, then call the helpers of `cqrsgen_events::validation::check`.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::tokens::{count_bound, float_bound, ident};
use crate::ir::{Field, IntWidth, NamedKind, StringFormat, System, Ty, TypeKind};

/// Every distinct `pattern` constraint of a crate, with the number of its compiled static.
pub(crate) type Patterns = BTreeMap<String, usize>;

/// The patterns of `fields` and of everything inside them, numbered in pattern order.
pub(crate) fn patterns<'a>(lists: impl IntoIterator<Item = &'a [Field]>) -> Patterns {
    fn collect(ty: &Ty, out: &mut Patterns) {
        if let Some(pattern) = &ty.constraints.pattern {
            out.insert(pattern.clone(), 0);
        }
        match &ty.kind {
            TypeKind::Array(item) | TypeKind::Map(item) => collect(item, out),
            TypeKind::Record(fields) => fields.iter().for_each(|f| collect(&f.ty, out)),
            _ => {}
        }
    }
    let mut out = Patterns::new();
    for fields in lists {
        fields.iter().for_each(|f| collect(&f.ty, &mut out));
    }
    for (index, slot) in out.values_mut().enumerate() {
        *slot = index;
    }
    out
}

/// Whether the `Validate` implementation of a record of `fields` (and of its inline records)
/// calls a helper of `cqrsgen_events::validation::check`.
pub(crate) fn needs_check(fields: &[Field]) -> bool {
    fn constrained(ty: &Ty) -> bool {
        let c = &ty.constraints;
        let own = c.min.is_some()
            || c.max.is_some()
            || c.min_length.is_some()
            || c.max_length.is_some()
            || c.pattern.is_some()
            || c.format.is_some()
            || c.min_items.is_some()
            || c.max_items.is_some();
        own || match &ty.kind {
            TypeKind::Array(item) | TypeKind::Map(item) => constrained(item),
            _ => false,
        }
    }
    fields.iter().any(|field| constrained(&field.ty))
}

/// `impl Validate for <name>` over the fields of a record.
pub(crate) fn validate_impl(
    system: &System,
    patterns: &Patterns,
    name: &Ident,
    fields: &[Field],
) -> TokenStream {
    let ctx = Checks { system, patterns };
    let body: Vec<TokenStream> = fields
        .iter()
        .filter_map(|field| ctx.field_checks(field))
        .collect();
    let (path, errors) = if body.is_empty() {
        (quote!(_path), quote!(_errors))
    } else {
        (quote!(path), quote!(errors))
    };
    quote! {
        impl Validate for #name {
            fn validate_at(&self, #path: &Path<'_>, #errors: &mut ValidationErrors) {
                #(#body)*
            }
        }
    }
}

/// What the checks of one crate refer to.
struct Checks<'a> {
    system: &'a System,
    patterns: &'a Patterns,
}

impl Checks<'_> {
    fn field_checks(&self, field: &Field) -> Option<TokenStream> {
        let checks = self.value_checks(&field.ty)?;
        let member = ident(&field.ident);
        let wire = &field.name;
        Some(if field.optional {
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
        })
    }

    /// Checks of `value: &T` at `path`, or `None` when the type has nothing to check.
    fn value_checks(&self, ty: &Ty) -> Option<TokenStream> {
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
                let (min, max) = (float_bound(c.min), float_bound(c.max));
                checks.push(quote!(check::range(#number, #min, #max, &path, errors);));
            }
        }
        if ty.kind == TypeKind::String {
            if c.min_length.is_some() || c.max_length.is_some() {
                let (min, max) = (count_bound(c.min_length), count_bound(c.max_length));
                checks.push(quote!(check::length(value, #min, #max, &path, errors);));
            }
            if let Some(index) = c.pattern.as_ref().and_then(|p| self.patterns.get(p)) {
                let pattern = pattern_ident(*index);
                checks.push(quote! {
                    check::pattern(
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
                checks.push(quote!(check::#check(value, &path, errors);));
            }
        }
        match &ty.kind {
            TypeKind::Array(item) => {
                if c.min_items.is_some() || c.max_items.is_some() {
                    let (min, max) = (count_bound(c.min_items), count_bound(c.max_items));
                    checks.push(quote!(check::items(value.len(), #min, #max, &path, errors);));
                }
                if let Some(inner) = self.value_checks(item) {
                    checks.push(quote! {
                        for (index, value) in value.iter().enumerate() {
                            let path = path.index(index);
                            #inner
                        }
                    });
                }
            }
            TypeKind::Map(item) => {
                if let Some(inner) = self.value_checks(item) {
                    checks.push(quote! {
                        for (key, value) in value {
                            let path = path.key(key);
                            #inner
                        }
                    });
                }
            }
            TypeKind::Record(_) => checks.push(quote!(value.validate_at(&path, errors);)),
            TypeKind::Named(id) => {
                if matches!(self.system.types[*id].kind, NamedKind::Record(_)) {
                    checks.push(quote!(value.validate_at(&path, errors);));
                }
            }
            _ => {}
        }
        (!checks.is_empty()).then(|| quote!(#(#checks)*))
    }
}

/// The static holding the compiled pattern number `index`.
fn pattern_ident(index: usize) -> Ident {
    ident(&format!("PATTERN_{index}"))
}

/// The items of the `patterns` module: every distinct pattern compiled once, on first use.
pub(crate) fn patterns_module(patterns: &Patterns) -> Vec<TokenStream> {
    patterns.iter().map(|(pattern, index)| {
        let name = pattern_ident(*index);
        let docs = format!(" `{pattern}`");
        let pattern = Literal::string(pattern);
        quote! {
            #[doc = #docs]
            pub(crate) static #name: LazyLock<Regex> = LazyLock::new(|| {
                Regex::new(#pattern).expect("cqrsgen checked the pattern with the same regex crate")
            });
        }
    }).collect()
}

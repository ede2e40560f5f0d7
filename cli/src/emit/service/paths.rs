//! Field paths (`shippingAddress.city`) as Rust expressions over generated structs, through
//! required and optional fields, records and named record types.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::super::tokens::ident;
use crate::model::{Field, NamedKind, System, Ty, TypeKind};
use crate::naming::field_ident;

/// A path resolved against a struct: its last field and how to reach it.
pub(super) struct Resolved<'a> {
    /// The field the path ends at.
    pub(super) field: &'a Field,
    /// How to reach it.
    access: Access,
}

/// An expression reaching a value.
enum Access {
    /// A place of type `T`.
    Place(TokenStream),
    /// A place of type `Option<T>`.
    OptionPlace(TokenStream),
    /// A value of type `Option<&T>`.
    OptionRef(TokenStream),
}

/// Resolves `path` in the fields of the struct `root` (an expression).
pub(super) fn resolve<'a>(
    records: &'a BTreeMap<String, Vec<Field>>,
    root: TokenStream,
    fields: &'a [Field],
    path: &str,
) -> Option<Resolved<'a>> {
    let mut fields = fields;
    let mut access = Access::Place(root);
    let mut segments = path.split('.').peekable();
    while let Some(segment) = segments.next() {
        let field = fields.iter().find(|f| f.name == segment)?;
        let member = ident(&field_ident(&field.name));
        access = match (access, field.optional) {
            (Access::Place(e), false) => Access::Place(quote!(#e.#member)),
            (Access::Place(e), true) => Access::OptionPlace(quote!(#e.#member)),
            (Access::OptionPlace(e), false) => {
                Access::OptionRef(quote!(#e.as_ref().map(|v| &v.#member)))
            }
            (Access::OptionPlace(e), true) => {
                Access::OptionRef(quote!(#e.as_ref().and_then(|v| v.#member.as_ref())))
            }
            (Access::OptionRef(e), false) => Access::OptionRef(quote!(#e.map(|v| &v.#member))),
            (Access::OptionRef(e), true) => {
                Access::OptionRef(quote!(#e.and_then(|v| v.#member.as_ref())))
            }
        };
        if segments.peek().is_none() {
            return Some(Resolved { field, access });
        }
        fields = match &field.ty.kind {
            TypeKind::Record(inner) => inner,
            TypeKind::Named(name) => records.get(name)?,
            _ => return None,
        };
    }
    None
}

impl Resolved<'_> {
    /// Whether the value may be absent (the field or a record on the way is optional).
    pub(super) fn optional(&self) -> bool {
        !matches!(self.access, Access::Place(_))
    }

    /// A reference to the value (`&T`, `&Option<T>` or `&Option<&T>`), to serialize.
    pub(super) fn reference(&self) -> TokenStream {
        match &self.access {
            Access::Place(e) | Access::OptionPlace(e) => quote!(&#e),
            Access::OptionRef(e) => quote!(&#e),
        }
    }

    /// An owned copy of the value (`T` or `Option<T>`), cloned unless the type is `Copy`.
    pub(super) fn owned(&self, system: &System) -> TokenStream {
        let copy = is_copy(system, &self.field.ty);
        match (&self.access, copy) {
            (Access::Place(e) | Access::OptionPlace(e), true) => quote!(#e),
            (Access::Place(e) | Access::OptionPlace(e), false) => quote!(#e.clone()),
            (Access::OptionRef(e), true) => quote!(#e.copied()),
            (Access::OptionRef(e), false) => quote!(#e.cloned()),
        }
    }
}

/// Whether the generated Rust type of `ty` is `Copy`.
fn is_copy(system: &System, ty: &Ty) -> bool {
    match &ty.kind {
        TypeKind::Integer(_)
        | TypeKind::Number
        | TypeKind::Decimal
        | TypeKind::Boolean
        | TypeKind::Timestamp
        | TypeKind::Date
        | TypeKind::Uuid
        | TypeKind::Enum(_) => true,
        TypeKind::Named(name) => system
            .types
            .get(name)
            .is_some_and(|t| matches!(t.kind, NamedKind::Enum(_))),
        TypeKind::String | TypeKind::Array(_) | TypeKind::Map(_) | TypeKind::Record(_) => false,
    }
}

/// Whether two field types have the same generated Rust type, wherever they are generated:
/// scalars and named types do; inline records and enums are generated per struct, so not.
pub(super) fn same_rust_type(a: &Ty, b: &Ty) -> bool {
    match (&a.kind, &b.kind) {
        (TypeKind::Array(a), TypeKind::Array(b)) | (TypeKind::Map(a), TypeKind::Map(b)) => {
            same_rust_type(a, b)
        }
        (TypeKind::Record(_) | TypeKind::Enum(_), _)
        | (_, TypeKind::Record(_) | TypeKind::Enum(_)) => false,
        (a, b) => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ty::parse_fields;
    use crate::spec::FieldDef;

    fn fields(defs: &[(&str, &str)]) -> Vec<Field> {
        let defs = defs
            .iter()
            .map(|(n, t)| ((*n).to_owned(), FieldDef::Short((*t).to_owned())))
            .collect();
        parse_fields(&defs, "", &mut Vec::new())
    }

    fn text(tokens: TokenStream) -> String {
        tokens.to_string().replace(' ', "")
    }

    #[test]
    fn paths_through_optional_records_chain_options() {
        let records = BTreeMap::from([(
            "address".to_owned(),
            fields(&[("city", "string"), ("line2", "string?")]),
        )]);
        let root = fields(&[
            ("shipTo", "address"),
            ("billTo", "address?"),
            ("id", "uuid"),
        ]);
        let system = System::default();
        let at = |path| resolve(&records, quote!(p), &root, path).expect("resolves");

        let city = at("shipTo.city");
        assert!(!city.optional());
        assert_eq!(text(city.reference()), "&p.ship_to.city");
        assert_eq!(text(city.owned(&system)), "p.ship_to.city.clone()");

        let line2 = at("billTo.line2");
        assert!(line2.optional());
        assert_eq!(
            text(line2.owned(&system)),
            "p.bill_to.as_ref().and_then(|v|v.line2.as_ref()).cloned()"
        );
        assert_eq!(text(at("id").owned(&system)), "p.id");
        assert!(resolve(&records, quote!(p), &root, "shipTo.zip").is_none());
        assert!(resolve(&records, quote!(p), &root, "id.x").is_none());
    }

    #[test]
    fn inline_types_are_never_the_same_rust_type() {
        let a = fields(&[("a", "uuid"), ("b", "address[]"), ("c", "integer")]);
        assert!(same_rust_type(&a[0].ty, &a[0].ty));
        assert!(same_rust_type(&a[1].ty, &a[1].ty));
        assert!(!same_rust_type(&a[0].ty, &a[2].ty));
        let inline = Ty {
            kind: TypeKind::Enum(vec!["a".into()]),
            constraints: Default::default(),
        };
        assert!(!same_rust_type(&inline, &inline));
    }
}

//! Resolved field paths ([`FieldPath`]) as Rust expressions over generated structs, through
//! required and optional fields.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::ident;
use crate::ir::{FieldPath, System};

/// An expression reaching the value a path names.
pub(crate) enum Access {
    /// A place of type `T`.
    Place(TokenStream),
    /// A place of type `Option<T>`.
    OptionPlace(TokenStream),
    /// A value of type `Option<&T>`.
    OptionRef(TokenStream),
}

impl Access {
    /// How `path` is reached from the struct expression `root`.
    pub(crate) fn of(root: TokenStream, path: &FieldPath) -> Self {
        let mut access = Access::Place(root);
        for step in &path.steps {
            let member = ident(&step.ident);
            access = match (access, step.optional) {
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
        }
        access
    }

    /// A reference to the value (`&T`, `&Option<T>` or `&Option<&T>`), to serialize.
    pub(crate) fn reference(&self) -> TokenStream {
        match self {
            Access::Place(e) | Access::OptionPlace(e) => quote!(&#e),
            Access::OptionRef(e) => quote!(&#e),
        }
    }

    /// An owned copy of the value (`T` or `Option<T>`) of `path`, cloned unless its type is
    /// `Copy`.
    pub(crate) fn owned(&self, system: &System, path: &FieldPath) -> TokenStream {
        let copy = path.ty.kind.is_copy(system);
        match (self, copy) {
            (Access::Place(e) | Access::OptionPlace(e), true) => quote!(#e),
            (Access::Place(e) | Access::OptionPlace(e), false) => quote!(#e.clone()),
            (Access::OptionRef(e), true) => quote!(#e.copied()),
            (Access::OptionRef(e), false) => quote!(#e.cloned()),
        }
    }
}

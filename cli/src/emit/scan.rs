//! What a system's field types use: which optional dependencies the generated crate needs
//! and which regular expressions it compiles.

use std::collections::BTreeMap;

use crate::model::{Field, NamedKind, System, Ty, TypeKind};

/// The features of the type system a set of events uses.
#[derive(Debug, Default)]
pub(super) struct Usage {
    /// Every distinct `pattern`, with the index of its compiled static (in pattern order).
    pub(super) patterns: BTreeMap<String, usize>,
    /// Some field is a `decimal`.
    pub(super) decimal: bool,
    /// Some field is a `timestamp` or `date`.
    pub(super) chrono: bool,
    /// Some field is a `uuid`.
    pub(super) uuid: bool,
}

/// Walks every field of the shared types and of every event version.
pub(super) fn scan(system: &System) -> Usage {
    let mut usage = Usage::default();
    let named = system.types.values().filter_map(|t| match &t.kind {
        NamedKind::Record(fields) => Some(fields),
        NamedKind::Enum(_) => None,
    });
    let events = system
        .events
        .values()
        .flat_map(|e| e.versions.iter().map(|v| &v.fields));
    for fields in named.chain(events) {
        usage.fields(fields);
    }
    for (index, slot) in usage.patterns.values_mut().enumerate() {
        *slot = index;
    }
    usage
}

impl Usage {
    /// The Cargo dependency lines the field types need (chrono, rust_decimal, uuid).
    pub(super) fn dependencies(&self) -> Vec<&'static str> {
        let mut deps = Vec::new();
        if self.chrono {
            deps.push(
                r#"chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }"#,
            );
        }
        if self.decimal {
            deps.push(r#"rust_decimal = { version = "1", features = ["serde-with-str"] }"#);
        }
        if self.uuid {
            deps.push(r#"uuid = { version = "1", features = ["serde"] }"#);
        }
        deps
    }

    /// Records what `fields` use.
    pub(super) fn fields(&mut self, fields: &[Field]) {
        for field in fields {
            self.ty(&field.ty);
        }
    }

    fn ty(&mut self, ty: &Ty) {
        if let Some(pattern) = &ty.constraints.pattern {
            self.patterns.insert(pattern.clone(), 0);
        }
        match &ty.kind {
            TypeKind::Decimal => self.decimal = true,
            TypeKind::Timestamp | TypeKind::Date => self.chrono = true,
            TypeKind::Uuid => self.uuid = true,
            TypeKind::Array(item) | TypeKind::Map(item) => self.ty(item),
            TypeKind::Record(fields) => self.fields(fields),
            TypeKind::String
            | TypeKind::Integer(_)
            | TypeKind::Number
            | TypeKind::Boolean
            | TypeKind::Enum(_)
            | TypeKind::Named(_) => {}
        }
    }
}

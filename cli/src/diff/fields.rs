//! Structural comparison of two field lists (an event version's payload in the base and in
//! the head). Shared types are compared by their content, not their name: the name is not on
//! the wire. Paths are dotted (`customer.address.city`); `[]` marks array items and `{}` map
//! values (`lines[].sku`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Display;

use crate::model::{Constraints, Field, NamedKind, NamedType, Ty, TypeKind};

/// What changed about one field.
#[derive(Debug, Clone, PartialEq)]
pub enum Delta {
    /// The field is gone; `renamed_to` names an added field of the same type.
    Removed {
        /// A likely new name.
        renamed_to: Option<String>,
    },
    /// A new field.
    Added {
        /// It may be absent.
        optional: bool,
    },
    /// Required before, optional now.
    BecameOptional,
    /// Optional before, required now.
    BecameRequired,
    /// A different type.
    TypeChanged {
        /// The base type, as users write it.
        from: String,
        /// The head type.
        to: String,
    },
    /// Enum values removed.
    EnumNarrowed(Vec<String>),
    /// Enum values added.
    EnumWidened(Vec<String>),
    /// A constraint allows fewer values; the text says which.
    Narrowed(String),
    /// A constraint allows more values.
    Widened(String),
    /// Deprecated now (`true`) or no longer (`false`).
    Deprecated(bool),
}

/// A change at a path.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDelta {
    /// Where, relative to the payload.
    pub path: String,
    /// What.
    pub delta: Delta,
}

/// The changes from `base` to `head`; shared types are looked up in each side's `types`.
pub fn compare(
    base: &[Field],
    head: &[Field],
    base_types: &BTreeMap<String, NamedType>,
    head_types: &BTreeMap<String, NamedType>,
) -> Vec<FieldDelta> {
    let mut comparer = Comparer {
        base_types,
        head_types,
        seen: BTreeSet::new(),
        out: Vec::new(),
    };
    comparer.fields(base, head, "");
    comparer.out
}

struct Comparer<'a> {
    base_types: &'a BTreeMap<String, NamedType>,
    head_types: &'a BTreeMap<String, NamedType>,
    /// Pairs of shared types already compared, so recursive types end.
    seen: BTreeSet<(String, String)>,
    out: Vec<FieldDelta>,
}

/// A type with shared types looked up.
enum Shape<'a> {
    Record(&'a [Field]),
    Enum(&'a [String]),
    Other(&'a TypeKind),
}

fn shape<'a>(kind: &'a TypeKind, types: &'a BTreeMap<String, NamedType>) -> Shape<'a> {
    match kind {
        TypeKind::Record(fields) => Shape::Record(fields),
        TypeKind::Enum(values) => Shape::Enum(values),
        TypeKind::Named(name) => match types.get(name).map(|t| &t.kind) {
            Some(NamedKind::Record(fields)) => Shape::Record(fields),
            Some(NamedKind::Enum(values)) => Shape::Enum(values),
            None => Shape::Other(kind),
        },
        _ => Shape::Other(kind),
    }
}

impl Comparer<'_> {
    fn push(&mut self, path: &str, delta: Delta) {
        self.out.push(FieldDelta {
            path: path.to_owned(),
            delta,
        });
    }

    fn fields(&mut self, base: &[Field], head: &[Field], prefix: &str) {
        let added: Vec<&Field> = head
            .iter()
            .filter(|h| !base.iter().any(|b| b.name == h.name))
            .collect();
        let mut renames = added.clone();
        for b in base {
            let path = format!("{prefix}{}", b.name);
            match head.iter().find(|h| h.name == b.name) {
                Some(h) => self.field(b, h, &path),
                None => {
                    let renamed_to = renames
                        .iter()
                        .position(|a| a.ty == b.ty)
                        .map(|i| renames.remove(i).name.clone());
                    self.push(&path, Delta::Removed { renamed_to });
                }
            }
        }
        for h in added {
            self.push(
                &format!("{prefix}{}", h.name),
                Delta::Added {
                    optional: h.optional,
                },
            );
        }
    }

    fn field(&mut self, base: &Field, head: &Field, path: &str) {
        match (base.optional, head.optional) {
            (false, true) => self.push(path, Delta::BecameOptional),
            (true, false) => self.push(path, Delta::BecameRequired),
            _ => {}
        }
        if base.deprecated != head.deprecated {
            self.push(path, Delta::Deprecated(head.deprecated));
        }
        self.ty(&base.ty, &head.ty, path);
    }

    fn ty(&mut self, base: &Ty, head: &Ty, path: &str) {
        if let (TypeKind::Named(b), TypeKind::Named(h)) = (&base.kind, &head.kind)
            && !self.seen.insert((b.clone(), h.clone()))
        {
            return;
        }
        match (
            shape(&base.kind, self.base_types),
            shape(&head.kind, self.head_types),
        ) {
            (Shape::Record(b), Shape::Record(h)) => self.fields(b, h, &format!("{path}.")),
            (Shape::Enum(b), Shape::Enum(h)) => {
                let gone: Vec<String> = b.iter().filter(|v| !h.contains(v)).cloned().collect();
                let new: Vec<String> = h.iter().filter(|v| !b.contains(v)).cloned().collect();
                if !gone.is_empty() {
                    self.push(path, Delta::EnumNarrowed(gone));
                }
                if !new.is_empty() {
                    self.push(path, Delta::EnumWidened(new));
                }
            }
            (Shape::Other(TypeKind::Array(b)), Shape::Other(TypeKind::Array(h))) => {
                self.ty(b, h, &format!("{path}[]"));
                self.constraints(&base.constraints, &head.constraints, path);
            }
            (Shape::Other(TypeKind::Map(b)), Shape::Other(TypeKind::Map(h))) => {
                self.ty(b, h, &format!("{path}{{}}"));
            }
            (Shape::Other(b), Shape::Other(h)) if b == h => {
                self.constraints(&base.constraints, &head.constraints, path);
            }
            _ => self.push(
                path,
                Delta::TypeChanged {
                    from: base.kind.describe(),
                    to: head.kind.describe(),
                },
            ),
        }
    }

    fn constraints(&mut self, base: &Constraints, head: &Constraints, path: &str) {
        let deltas = [
            bound("min", base.min, head.min, Side::Lower),
            bound("max", base.max, head.max, Side::Upper),
            bound("minLength", base.min_length, head.min_length, Side::Lower),
            bound("maxLength", base.max_length, head.max_length, Side::Upper),
            bound("minItems", base.min_items, head.min_items, Side::Lower),
            bound("maxItems", base.max_items, head.max_items, Side::Upper),
            exact("pattern", base.pattern.as_deref(), head.pattern.as_deref()),
            exact(
                "format",
                base.format.map(|f| f.as_str()),
                head.format.map(|f| f.as_str()),
            ),
        ];
        for delta in deltas.into_iter().flatten() {
            self.push(path, delta);
        }
    }
}

/// Which end of a range a bound limits.
#[derive(Clone, Copy)]
enum Side {
    Lower,
    Upper,
}

fn bound<T: PartialOrd + Display>(
    name: &str,
    base: Option<T>,
    head: Option<T>,
    side: Side,
) -> Option<Delta> {
    match (base, head) {
        (None, None) => None,
        (Some(b), None) => Some(Delta::Widened(format!("`{name}: {b}` removed"))),
        (None, Some(h)) => Some(Delta::Narrowed(format!("`{name}: {h}` added"))),
        (Some(b), Some(h)) if b == h => None,
        (Some(b), Some(h)) => {
            let tighter = match side {
                Side::Lower => h > b,
                Side::Upper => h < b,
            };
            let text = format!("`{name}` {b} -> {h}");
            Some(if tighter {
                Delta::Narrowed(text)
            } else {
                Delta::Widened(text)
            })
        }
    }
}

/// A constraint that cannot be ordered (a pattern, a format): any new or changed one narrows.
fn exact(name: &str, base: Option<&str>, head: Option<&str>) -> Option<Delta> {
    match (base, head) {
        (b, h) if b == h => None,
        (Some(b), None) => Some(Delta::Widened(format!("`{name}: {b}` removed"))),
        (None, Some(h)) => Some(Delta::Narrowed(format!("`{name}: {h}` added"))),
        (_, h) => Some(Delta::Narrowed(format!(
            "`{name}` changed to `{}`",
            h.unwrap_or_default()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ty::parse_field;
    use crate::spec::FieldDef;

    fn fields(defs: &[(&str, &str)]) -> Vec<Field> {
        defs.iter()
            .map(|(name, ty)| parse_field(name, &FieldDef::Short((*ty).into()), &mut Vec::new()))
            .collect()
    }

    fn deltas(base: &[(&str, &str)], head: &[(&str, &str)]) -> Vec<(String, Delta)> {
        let none = BTreeMap::new();
        compare(&fields(base), &fields(head), &none, &none)
            .into_iter()
            .map(|d| (d.path, d.delta))
            .collect()
    }

    #[test]
    fn renames_pair_a_removed_field_with_an_added_one_of_the_same_type() {
        assert_eq!(
            deltas(
                &[("id", "uuid"), ("total", "decimal")],
                &[("id", "uuid"), ("amount", "decimal")]
            ),
            [
                (
                    "total".into(),
                    Delta::Removed {
                        renamed_to: Some("amount".into())
                    }
                ),
                ("amount".into(), Delta::Added { optional: false }),
            ]
        );
    }

    #[test]
    fn optionality_and_type_changes() {
        assert_eq!(
            deltas(
                &[("a", "string"), ("b", "string?"), ("c", "integer[]")],
                &[("a", "string?"), ("b", "string"), ("c", "string[]")]
            ),
            [
                ("a".into(), Delta::BecameOptional),
                ("b".into(), Delta::BecameRequired),
                (
                    "c[]".into(),
                    Delta::TypeChanged {
                        from: "integer".into(),
                        to: "string".into()
                    }
                ),
            ]
        );
    }

    #[test]
    fn bounds_know_which_way_is_narrower() {
        assert!(matches!(
            bound("max", Some(10.0), Some(5.0), Side::Upper),
            Some(Delta::Narrowed(_))
        ));
        assert!(matches!(
            bound("min", Some(10.0), Some(5.0), Side::Lower),
            Some(Delta::Widened(_))
        ));
        assert!(matches!(
            bound("min", None, Some(1u64), Side::Lower),
            Some(Delta::Narrowed(_))
        ));
        assert!(matches!(
            exact("pattern", Some("a"), Some("b")),
            Some(Delta::Narrowed(_))
        ));
        assert_eq!(exact("pattern", Some("a"), Some("a")), None);
    }
}

//! Structural comparison of two field lists (an event version's payload in the base and in
//! the head), each in its own system. Shared types are compared by their content, not their
//! name (the name is not on the wire) nor their id (ids of two systems are not comparable).
//! Paths are dotted (`customer.address.city`); `[]` marks array items and `{}` map values
//! (`lines[].sku`).

use std::collections::BTreeSet;
use std::fmt::Display;

use crate::ir::{Constraints, EnumValue, Field, NamedKind, System, Ty, TypeId, TypeKind};

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

/// The changes from `base` (fields of the system `base_system`) to `head` (of `head_system`).
pub fn compare(
    base: &[Field],
    head: &[Field],
    base_system: &System,
    head_system: &System,
) -> Vec<FieldDelta> {
    let mut comparer = Comparer::new(base_system, head_system);
    comparer.fields(base, head, "");
    comparer.out
}

struct Comparer<'a> {
    base: &'a System,
    head: &'a System,
    /// Pairs of shared types (base, head) already compared, so recursive types end.
    seen: BTreeSet<(TypeId, TypeId)>,
    out: Vec<FieldDelta>,
}

/// A type with shared types looked up.
enum Shape<'a> {
    Record(&'a [Field]),
    Enum(&'a [EnumValue]),
    Other(&'a TypeKind),
}

fn shape<'a>(kind: &'a TypeKind, system: &'a System) -> Shape<'a> {
    match kind {
        TypeKind::Record(fields) => Shape::Record(fields),
        TypeKind::Enum(values) => Shape::Enum(values),
        TypeKind::Named(id) => match &system.types[*id].kind {
            NamedKind::Record(fields) => Shape::Record(fields),
            NamedKind::Enum(values) => Shape::Enum(values),
        },
        _ => Shape::Other(kind),
    }
}

/// The wire values of `values` that `others` lacks.
fn missing(values: &[EnumValue], others: &[EnumValue]) -> Vec<String> {
    values
        .iter()
        .filter(|v| !others.iter().any(|o| o.wire == v.wire))
        .map(|v| v.wire.clone())
        .collect()
}

impl<'a> Comparer<'a> {
    fn new(base: &'a System, head: &'a System) -> Self {
        Comparer {
            base,
            head,
            seen: BTreeSet::new(),
            out: Vec::new(),
        }
    }

    /// Whether a base and a head type are the same on the wire: comparing them finds no
    /// change.
    fn same(&self, base: &Ty, head: &Ty) -> bool {
        let mut trial = Comparer::new(self.base, self.head);
        trial.ty(base, head, "");
        trial.out.is_empty()
    }

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
                        .position(|a| self.same(&b.ty, &a.ty))
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
            && !self.seen.insert((*b, *h))
        {
            return;
        }
        match (shape(&base.kind, self.base), shape(&head.kind, self.head)) {
            (Shape::Record(b), Shape::Record(h)) => self.fields(b, h, &format!("{path}.")),
            (Shape::Enum(b), Shape::Enum(h)) => {
                let gone = missing(b, h);
                let new = missing(h, b);
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
                    from: base.kind.describe(self.base),
                    to: head.kind.describe(self.head),
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
    use crate::ir::{Arena, CrateNames, IntWidth, NamedType, Origin, Runtime};

    /// A system with the shared types `types` and nothing else.
    fn system(types: Vec<(&str, NamedKind)>) -> System {
        let mut arena = Arena::new();
        for (name, kind) in types {
            arena.push(NamedType {
                name: name.into(),
                ident: name.into(),
                description: None,
                kind,
                origin: Origin::default(),
            });
        }
        System {
            name: "test".into(),
            bus: "test".into(),
            description: None,
            runtime: Runtime::default(),
            types: arena,
            events: Arena::new(),
            services: Arena::new(),
            entities: Arena::new(),
            views: Arena::new(),
            acknowledge: Vec::new(),
            deploy: Default::default(),
            crates: CrateNames {
                events: "test-events".into(),
            },
        }
    }

    fn ty(kind: TypeKind) -> Ty {
        Ty {
            kind,
            constraints: Constraints::default(),
        }
    }

    fn field(name: &str, kind: TypeKind, optional: bool) -> Field {
        Field {
            name: name.into(),
            ident: name.into(),
            ty: ty(kind),
            optional,
            description: None,
            deprecated: false,
            origin: Origin::default(),
        }
    }

    fn required(name: &str, kind: TypeKind) -> Field {
        field(name, kind, false)
    }

    fn deltas(base: &[Field], head: &[Field]) -> Vec<(String, Delta)> {
        let none = system(Vec::new());
        compare(base, head, &none, &none)
            .into_iter()
            .map(|d| (d.path, d.delta))
            .collect()
    }

    #[test]
    fn renames_pair_a_removed_field_with_an_added_one_of_the_same_type() {
        assert_eq!(
            deltas(
                &[
                    required("id", TypeKind::Uuid),
                    required("total", TypeKind::Decimal)
                ],
                &[
                    required("id", TypeKind::Uuid),
                    required("amount", TypeKind::Decimal)
                ]
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
        let integers = TypeKind::Array(Box::new(ty(TypeKind::Integer(IntWidth::I64))));
        let strings = TypeKind::Array(Box::new(ty(TypeKind::String)));
        assert_eq!(
            deltas(
                &[
                    field("a", TypeKind::String, false),
                    field("b", TypeKind::String, true),
                    required("c", integers)
                ],
                &[
                    field("a", TypeKind::String, true),
                    field("b", TypeKind::String, false),
                    required("c", strings)
                ]
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
    fn shared_types_compare_by_content_whatever_their_ids_and_names() {
        let money = || NamedKind::Record(vec![required("amount", TypeKind::Decimal)]);
        let status = |values: &[&str]| {
            NamedKind::Enum(
                values
                    .iter()
                    .map(|v| EnumValue {
                        wire: (*v).into(),
                        variant: (*v).into(),
                    })
                    .collect(),
            )
        };
        // The same types at other ids, one of them under another name.
        let base = system(vec![
            ("address", NamedKind::Record(Vec::new())),
            ("money", money()),
            ("status", status(&["open", "paid"])),
        ]);
        let head = system(vec![
            ("amount", money()),
            ("status", status(&["open", "shipped"])),
        ]);
        let id =
            |system: &System, name: &str| TypeKind::Named(system.type_named(name).expect("type"));
        let base_fields = [
            required("total", id(&base, "money")),
            required("status", id(&base, "status")),
        ];
        let head_fields = [
            required("sum", id(&head, "amount")),
            required("status", id(&head, "status")),
        ];
        let changes: Vec<(String, Delta)> = compare(&base_fields, &head_fields, &base, &head)
            .into_iter()
            .map(|d| (d.path, d.delta))
            .collect();
        assert_eq!(
            changes,
            [
                (
                    "total".into(),
                    Delta::Removed {
                        renamed_to: Some("sum".into())
                    }
                ),
                ("status".into(), Delta::EnumNarrowed(vec!["paid".into()])),
                ("status".into(), Delta::EnumWidened(vec!["shipped".into()])),
                ("sum".into(), Delta::Added { optional: false }),
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

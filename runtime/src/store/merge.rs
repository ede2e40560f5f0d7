//! The rule that decides what a write changes, given the versions a row holds: one pure
//! function, [`plan`], shared by every store so that they cannot disagree.

use std::collections::BTreeMap;

use super::{Attribute, Operation, Version, Write};

/// What a store keeps about a row besides its values: the versions that decide which writes
/// apply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct RowMeta {
    /// The newest version applied to the row, by any write.
    pub version: Option<Version>,
    /// The newest delete applied to the row.
    pub deleted: Option<Version>,
    /// Per attribute, the version of the write that last set or removed it.
    pub attributes: BTreeMap<String, Version>,
    /// How many writes changed the row; conditional writes compare it.
    pub revision: u64,
}

impl RowMeta {
    /// Whether the row is deleted (or was never written): its newest write is a delete.
    pub fn is_deleted(&self) -> bool {
        self.version.is_none() || self.version == self.deleted
    }
}

/// What one write changes in a row.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Plan<'w> {
    /// The write's attributes to set or remove: those it is newer for.
    pub apply: Vec<Attribute<'w>>,
    /// Stored attributes a delete removes: those older than it.
    pub wipe: Vec<String>,
    /// The write is newer than everything the row holds: the row's version, `timestamp`
    /// and `deleted` flag follow it.
    pub newest: bool,
    /// The write is a delete: the row's delete version becomes the write's.
    pub delete: bool,
}

/// What `write`, whose attributes (without the key) are `attributes`, changes in a row
/// holding `meta`; `None` when it changes nothing.
///
/// The rule (see the [store](super) docs): a write older than (or as old as) the row's newest
/// delete changes nothing; an upsert sets the attributes whose stored version is older than
/// its own, and so does a patch of a live row; a delete removes the attributes older than
/// itself. An upsert or delete newer than everything the row holds also decides whether the
/// row is deleted.
pub(super) fn plan<'w>(
    meta: &RowMeta,
    write: &Write,
    attributes: Vec<Attribute<'w>>,
) -> Option<Plan<'w>> {
    let version = write.version;
    if meta.deleted.is_some_and(|deleted| version <= deleted) {
        return None;
    }
    let newest = meta.version.is_none_or(|newest| version > newest);
    let older = |name: &str| {
        meta.attributes
            .get(name)
            .is_none_or(|stored| *stored < version)
    };
    let plan = match write.operation {
        Operation::Patch(_) if meta.is_deleted() => return None,
        Operation::Upsert(_) | Operation::Patch(_) => Plan {
            apply: attributes
                .into_iter()
                .filter(|attribute| older(attribute.name()))
                .collect(),
            wipe: Vec::new(),
            newest,
            delete: false,
        },
        Operation::Delete => Plan {
            apply: Vec::new(),
            wipe: meta
                .attributes
                .keys()
                .filter(|name| older(name))
                .cloned()
                .collect(),
            newest,
            delete: true,
        },
    };
    let changes = plan.newest || plan.delete || !plan.apply.is_empty();
    changes.then_some(plan)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::store::{Attributes, Key};

    fn version(timestamp: i64, sequence: u32) -> Version {
        Version::new(timestamp, sequence, "id")
    }

    fn values(value: Value) -> Attributes {
        match value {
            Value::Object(attributes) => attributes,
            _ => unreachable!("an object literal"),
        }
    }

    fn meta(newest: Version, deleted: Option<Version>, attributes: &[(&str, Version)]) -> RowMeta {
        RowMeta {
            version: Some(newest),
            deleted,
            attributes: attributes
                .iter()
                .map(|(name, version)| ((*name).to_owned(), *version))
                .collect(),
            revision: 1,
        }
    }

    fn applied<'w>(plan: &Plan<'w>) -> Vec<&'w str> {
        plan.apply.iter().map(Attribute::name).collect()
    }

    #[test]
    fn an_upsert_sets_only_what_it_is_newer_for() {
        let attributes = values(json!({"status": "paid", "total": 3}));
        let write = Write::upsert(Key::partition("k"), attributes.clone(), version(10, 0));
        let meta = meta(version(20, 0), None, &[("status", version(20, 0))]);
        let all = attributes
            .iter()
            .map(|(name, value)| Attribute::Json(name, value));
        let plan = plan(&meta, &write, all.collect()).expect("a change");
        assert_eq!(applied(&plan), ["total"]);
        assert!(!plan.newest);
    }

    #[test]
    fn a_sibling_applies_after_the_other_sibling() {
        let attributes = values(json!({"cancelledAt": 5}));
        let all = || {
            attributes
                .iter()
                .map(|(name, value)| Attribute::Json(name, value))
                .collect()
        };
        let first = version(10, 0);
        let write = Write::upsert(Key::partition("k"), attributes.clone(), version(10, 1));
        let plan = plan(&meta(first, None, &[("status", first)]), &write, all());
        assert!(plan.is_some_and(|p| p.newest));
        // The same event again changes nothing.
        let second = version(10, 1);
        let meta = meta(second, None, &[("cancelledAt", second)]);
        assert_eq!(super::plan(&meta, &write, all()), None);
    }

    #[test]
    fn deletes_remove_older_attributes_and_block_older_writes() {
        let delete = Write::delete(Key::partition("k"), version(15, 0));
        let meta = meta(
            version(20, 0),
            None,
            &[("status", version(20, 0)), ("total", version(10, 0))],
        );
        let plan = plan(&meta, &delete, Vec::new()).expect("a change");
        assert_eq!(plan.wipe, ["total"]);
        assert!(plan.delete && !plan.newest);
        let deleted = RowMeta {
            deleted: Some(version(15, 0)),
            ..meta
        };
        let upsert = Write::upsert(Key::partition("k"), Attributes::new(), version(12, 0));
        assert_eq!(super::plan(&deleted, &upsert, Vec::new()), None);
        assert_eq!(super::plan(&deleted, &delete, Vec::new()), None);
    }

    #[test]
    fn a_patch_changes_live_rows_only() {
        let attributes = values(json!({"city": "Bonn"}));
        let all = || {
            attributes
                .iter()
                .map(|(name, value)| Attribute::Json(name, value))
                .collect()
        };
        let patch = Write::patch(Key::partition("k"), attributes.clone(), version(30, 0));
        assert_eq!(plan(&RowMeta::default(), &patch, all()), None);
        let deleted = meta(version(20, 0), Some(version(20, 0)), &[]);
        assert_eq!(plan(&deleted, &patch, all()), None);
        let live = meta(version(20, 0), None, &[("city", version(10, 0))]);
        let plan = plan(&live, &patch, all()).expect("a change");
        assert_eq!(applied(&plan), ["city"]);
        assert!(plan.newest && !plan.delete);
    }

    #[test]
    fn a_row_is_deleted_when_its_newest_write_is_a_delete() {
        assert!(RowMeta::default().is_deleted());
        assert!(meta(version(3, 0), Some(version(3, 0)), &[]).is_deleted());
        assert!(!meta(version(4, 0), Some(version(3, 0)), &[]).is_deleted());
    }
}

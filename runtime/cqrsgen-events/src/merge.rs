//! The rule that decides what a write to a view row changes, given the versions the row holds:
//! one pure function, [`plan`], shared by every view store and by `cqrsgen simulate`, so that
//! they cannot disagree.
//!
//! Views end up as if every event had been applied once, in [`Version`] order, whatever order
//! they arrive in and however often: per attribute, the newest write wins; a delete removes
//! what is older than itself and blocks older writes; a patch changes live rows only.

use std::collections::BTreeMap;

use crate::version::Version;

/// What a write does to its row, for [`plan`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteKind {
    /// Create or update the row.
    Upsert,
    /// Update a live row only.
    Patch,
    /// Delete the row.
    Delete,
}

/// What a store keeps about a row besides its values: the versions that decide which writes
/// apply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowMeta {
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The indexes (into the write's attributes) of the attributes to set or remove: those
    /// it is newer for.
    pub apply: Vec<usize>,
    /// Stored attributes a delete removes: those older than it.
    pub wipe: Vec<String>,
    /// The write is newer than everything the row holds: the row's version, `timestamp`
    /// and `deleted` flag follow it.
    pub newest: bool,
    /// The write is a delete: the row's delete version becomes the write's.
    pub delete: bool,
}

/// What a write of `kind` at `version`, setting the attributes `attributes` (without the
/// key), changes in a row holding `meta`; `None` when it changes nothing.
///
/// The rule (see the [store](super) docs): a write older than (or as old as) the row's newest
/// delete changes nothing; an upsert sets the attributes whose stored version is older than
/// its own, and so does a patch of a live row; a delete removes the attributes older than
/// itself. An upsert or delete newer than everything the row holds also decides whether the
/// row is deleted.
pub fn plan<'a>(
    meta: &RowMeta,
    kind: WriteKind,
    version: Version,
    attributes: impl IntoIterator<Item = &'a str>,
) -> Option<Plan> {
    if meta.deleted.is_some_and(|deleted| version <= deleted) {
        return None;
    }
    let newest = meta.version.is_none_or(|newest| version > newest);
    let older = |name: &str| {
        meta.attributes
            .get(name)
            .is_none_or(|stored| *stored < version)
    };
    let plan = match kind {
        WriteKind::Patch if meta.is_deleted() => return None,
        WriteKind::Upsert | WriteKind::Patch => Plan {
            apply: attributes
                .into_iter()
                .enumerate()
                .filter(|(_, name)| older(name))
                .map(|(index, _)| index)
                .collect(),
            wipe: Vec::new(),
            newest,
            delete: false,
        },
        WriteKind::Delete => Plan {
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
    use super::*;

    fn version(timestamp: i64, sequence: u32) -> Version {
        Version::new(timestamp, sequence, "id")
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

    #[test]
    fn an_upsert_sets_only_what_it_is_newer_for() {
        let meta = meta(version(20, 0), None, &[("status", version(20, 0))]);
        let plan = plan(
            &meta,
            WriteKind::Upsert,
            version(10, 0),
            ["status", "total"],
        );
        let plan = plan.expect("a change");
        assert_eq!(plan.apply, [1]);
        assert!(!plan.newest);
    }

    #[test]
    fn a_sibling_applies_after_the_other_sibling() {
        let first = version(10, 0);
        let sibling = plan(
            &meta(first, None, &[("status", first)]),
            WriteKind::Upsert,
            version(10, 1),
            ["cancelledAt"],
        );
        assert!(sibling.is_some_and(|p| p.newest));
        // The same event again changes nothing.
        let second = version(10, 1);
        let meta = meta(second, None, &[("cancelledAt", second)]);
        assert_eq!(
            plan(&meta, WriteKind::Upsert, second, ["cancelledAt"]),
            None
        );
    }

    #[test]
    fn deletes_remove_older_attributes_and_block_older_writes() {
        let meta = meta(
            version(20, 0),
            None,
            &[("status", version(20, 0)), ("total", version(10, 0))],
        );
        let delete = plan(&meta, WriteKind::Delete, version(15, 0), []).expect("a change");
        assert_eq!(delete.wipe, ["total"]);
        assert!(delete.delete && !delete.newest);
        let deleted = RowMeta {
            deleted: Some(version(15, 0)),
            ..meta
        };
        assert_eq!(plan(&deleted, WriteKind::Upsert, version(12, 0), []), None);
        assert_eq!(plan(&deleted, WriteKind::Delete, version(15, 0), []), None);
    }

    #[test]
    fn a_patch_changes_live_rows_only() {
        let patch = |meta: &RowMeta| plan(meta, WriteKind::Patch, version(30, 0), ["city"]);
        assert_eq!(patch(&RowMeta::default()), None);
        assert_eq!(
            patch(&meta(version(20, 0), Some(version(20, 0)), &[])),
            None
        );
        let live = meta(version(20, 0), None, &[("city", version(10, 0))]);
        let plan = patch(&live).expect("a change");
        assert_eq!(plan.apply, [0]);
        assert!(plan.newest && !plan.delete);
    }

    #[test]
    fn a_row_is_deleted_when_its_newest_write_is_a_delete() {
        assert!(RowMeta::default().is_deleted());
        assert!(meta(version(3, 0), Some(version(3, 0)), &[]).is_deleted());
        assert!(!meta(version(4, 0), Some(version(3, 0)), &[]).is_deleted());
    }
}

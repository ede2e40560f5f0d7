use std::sync::Arc;

use cqrsgen_events::Path;
use serde::{Deserialize, Serialize};

use super::*;
use crate::stream::{Change, StreamRecord};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Thing {
    id: String,
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<String>,
}

impl Validate for Thing {
    fn validate_at(&self, path: &Path<'_>, errors: &mut ValidationErrors) {
        if self.name.is_empty() {
            errors.push(&path.field("name"), "must not be empty");
        }
    }
}

impl Entity for Thing {
    const NAME: &'static str = "thing";
    type Key = str;
    fn key(&self) -> &str {
        &self.id
    }
}

fn thing(id: &str, name: &str) -> Thing {
    Thing {
        id: id.to_owned(),
        name: name.to_owned(),
        status: None,
    }
}

fn setup() -> (Repository<Thing>, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(1_000));
    let repository = Repository::new(Arc::new(AnyEntityTable::in_memory()), clock.clone());
    (repository, clock)
}

fn records(repository: &Repository<Thing>) -> Vec<aws_lambda_events::dynamodb::EventRecord> {
    repository
        .table()
        .as_in_memory()
        .expect("in memory")
        .take_records()
}

fn changes(repository: &Repository<Thing>) -> Vec<Change> {
    records(repository)
        .iter()
        .map(|r| StreamRecord::new(r).change().expect("a known event name"))
        .collect()
}

#[tokio::test]
async fn create_writes_the_single_table_layout_once() {
    let (repository, _) = setup();
    let stored = repository.create(&thing("a", "A")).await.expect("created");
    assert_eq!((stored.version, stored.deleted), (1_000, false));
    let written = records(&repository);
    assert_eq!(written.len(), 1);
    let record = StreamRecord::new(&written[0]);
    assert_eq!(record.change().expect("known"), Change::Insert);
    assert_eq!(record.string(PK), Some("a"));
    assert_eq!(record.string(SK), Some("thing"));
    assert_eq!(record.string(DISCRIMINATOR), Some("thing"));
    assert_eq!(record.number(TIMESTAMP), Some(1_000));
    assert_eq!(record.skip("us-east-1"), None);
    let image: Thing = record.new_image().expect("decodes").expect("a new image");
    assert_eq!(image, thing("a", "A"));

    let again = repository.create(&thing("a", "B")).await;
    assert!(matches!(again, Err(RepositoryError::Exists { key, .. }) if key == "a"));
    assert!(
        records(&repository).is_empty(),
        "a refused create writes nothing"
    );
}

#[tokio::test]
async fn invalid_entities_are_refused_before_anything_is_written() {
    let (repository, _) = setup();
    let error = repository
        .create(&thing("a", ""))
        .await
        .expect_err("invalid");
    assert!(matches!(error, RepositoryError::Invalid { .. }));
    assert!(
        error.to_string().contains("thing `a` is invalid"),
        "{error}"
    );
    assert!(records(&repository).is_empty());
    let stored = repository.create(&thing("a", "A")).await.expect("created");
    let error = repository
        .modify("a", stored.version, |t| t.name.clear())
        .await
        .expect_err("invalid");
    assert!(matches!(error, RepositoryError::Invalid { .. }));
    assert_eq!(changes(&repository), [Change::Insert]);
}

#[tokio::test]
async fn writes_on_a_stale_version_conflict_and_change_nothing() {
    let (repository, clock) = setup();
    let read = repository.create(&thing("a", "A")).await.expect("created");
    clock.advance(5);
    // Two writers read the same version; the first one wins.
    let first = repository
        .update(&thing("a", "first"), read.version)
        .await
        .expect("first writer");
    let second = repository
        .update(&thing("a", "second"), read.version)
        .await
        .expect_err("second writer");
    assert!(second.is_conflict(), "{second}");
    assert!(
        matches!(second, RepositoryError::Conflict { expected, found, .. } if expected == read.version && found == first.version)
    );
    for stale in [
        repository.soft_delete("a", read.version).await,
        repository
            .modify("a", read.version, |t| t.name.push('!'))
            .await,
    ] {
        assert!(stale.expect_err("stale").is_conflict());
    }
    assert!(
        repository
            .remove("a", read.version)
            .await
            .expect_err("stale")
            .is_conflict()
    );
    let now = repository.get("a").await.expect("read").expect("present");
    assert_eq!(now.entity.name, "first");
    assert_eq!(changes(&repository), [Change::Insert, Change::Modify]);
}

#[tokio::test]
async fn versions_always_move_forward_even_when_the_clock_does_not() {
    let (repository, clock) = setup();
    let created = repository.create(&thing("a", "A")).await.expect("created");
    clock.set(10); // behind the row
    let updated = repository
        .update(&thing("a", "B"), created.version)
        .await
        .expect("updated");
    assert_eq!(updated.version, created.version + 1);
    clock.set(5_000);
    let updated = repository
        .update(&thing("a", "C"), updated.version)
        .await
        .expect("updated");
    assert_eq!(updated.version, 5_000);
}

#[tokio::test]
async fn soft_delete_undelete_and_remove_produce_their_stream_changes() {
    let (repository, clock) = setup();
    let v = repository
        .create(&thing("a", "A"))
        .await
        .expect("created")
        .version;
    clock.advance(1);
    let deleted = repository.soft_delete("a", v).await.expect("soft-deleted");
    assert!(deleted.deleted);
    let error = repository
        .update(&thing("a", "B"), deleted.version)
        .await
        .expect_err("deleted");
    assert!(matches!(error, RepositoryError::Deleted { .. }));
    let again = repository.soft_delete("a", deleted.version).await;
    assert!(matches!(again, Err(RepositoryError::Deleted { .. })));
    let read = repository
        .get("a")
        .await
        .expect("read")
        .expect("still there");
    assert!(read.deleted);
    clock.advance(1);
    let back = repository
        .undelete("a", deleted.version)
        .await
        .expect("undeleted");
    assert!(!back.deleted);
    let twice = repository.undelete("a", back.version).await;
    assert!(matches!(twice, Err(RepositoryError::NotDeleted { .. })));
    repository.remove("a", back.version).await.expect("removed");
    assert_eq!(repository.get("a").await.expect("read"), None);
    let missing = repository.remove("a", back.version).await;
    assert!(matches!(missing, Err(RepositoryError::NotFound { .. })));
    assert_eq!(
        changes(&repository),
        [
            Change::Insert,
            Change::SoftDelete,
            Change::Undelete,
            Change::Remove
        ]
    );
}

#[tokio::test]
async fn partial_updates_keep_the_other_fields_and_cannot_move_the_key() {
    let (repository, _) = setup();
    let v = repository
        .create(&thing("a", "A"))
        .await
        .expect("created")
        .version;
    let set = repository
        .modify("a", v, |t| t.status = Some("cancelled".to_owned()))
        .await
        .expect("modified");
    assert_eq!(set.entity.name, "A");
    let written = records(&repository);
    let record = StreamRecord::new(&written[1]);
    assert!(record.transition("status", "cancelled".into(), &[]));
    let moved = repository
        .modify("a", set.version, |t| t.id = "b".to_owned())
        .await;
    assert!(matches!(moved, Err(RepositoryError::KeyChanged { new_key, .. }) if new_key == "b"));
}

#[tokio::test]
async fn rows_sharing_a_key_are_queried_together() {
    let (repository, _) = setup();
    repository.create(&thing("a", "A")).await.expect("created");
    repository.create(&thing("b", "B")).await.expect("created");
    let table = repository.table();
    let mut other = encode(&thing("a", "other"), "a", 7, false).expect("encoded");
    other.insert(SK.to_owned(), AttributeValue::S("other".to_owned()));
    other.insert(
        DISCRIMINATOR.to_owned(),
        AttributeValue::S("other".to_owned()),
    );
    assert!(
        table
            .put(other, Some(Condition::Absent))
            .await
            .expect("put")
    );
    let rows = table.query("a").await.expect("query");
    let kinds: Vec<_> = rows.iter().filter_map(discriminator).collect();
    assert_eq!(kinds, ["other", "thing"]);
    assert_eq!(table.query("c").await.expect("query").len(), 0);
}

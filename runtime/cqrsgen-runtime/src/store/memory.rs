//! A view store in memory, with the semantics of the DynamoDB one, for tests and local runs.

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::de::DeserializeOwned;
use serde_json::Value;

use cqrsgen_events::merge::{Plan, RowMeta};

use super::{
    Applied, Attribute, Attributes, DELETED, Key, KeyValue, LATCHED, MAX_ATTEMPTS, StoreError,
    TIMESTAMP, TableSchema, ViewStore, Write, plan,
};

/// A stored row: its attributes as JSON and its versions.
#[derive(Debug, Clone, Default)]
struct Row {
    values: Attributes,
    meta: RowMeta,
}

/// A thread-safe view store backed by a `BTreeMap`. Rows are kept as JSON attributes and
/// decoded into `Row` with serde_json.
#[derive(Debug)]
pub struct InMemoryViewStore<R> {
    schema: TableSchema,
    rows: Mutex<BTreeMap<Key, Row>>,
    row: PhantomData<fn() -> R>,
}

impl<R> InMemoryViewStore<R> {
    /// An empty store of a table with `schema`.
    pub fn new(schema: TableSchema) -> Self {
        Self {
            schema,
            rows: Mutex::default(),
            row: PhantomData,
        }
    }

    /// Every stored row with its key, deleted ones included, as stored (without the
    /// versions).
    pub fn snapshot(&self) -> BTreeMap<Key, Attributes> {
        self.lock()
            .iter()
            .map(|(key, row)| (key.clone(), row.values.clone()))
            .collect()
    }

    fn lock(&self) -> MutexGuard<'_, BTreeMap<Key, Row>> {
        self.rows.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn visible<'r>(rows: impl Iterator<Item = &'r Row>) -> Result<Vec<R>, StoreError>
    where
        R: DeserializeOwned,
    {
        rows.filter(|row| !is_deleted(&row.values))
            .map(|row| decode(&row.values))
            .collect()
    }
}

impl<R: DeserializeOwned + Send> ViewStore<R> for InMemoryViewStore<R> {
    async fn get(&self, key: &Key) -> Result<Option<R>, StoreError> {
        self.schema.key.attributes(key)?;
        Ok(Self::visible(self.lock().get(key).into_iter())?.pop())
    }

    async fn query_partition(&self, partition: &KeyValue) -> Result<Vec<R>, StoreError> {
        let rows = self.lock();
        Self::visible(
            rows.iter()
                .filter(|(key, _)| key.partition == *partition)
                .map(|(_, row)| row),
        )
    }

    async fn query_index(&self, index: &str, partition: &KeyValue) -> Result<Vec<R>, StoreError> {
        let schema = self.schema.index(index)?;
        let rows = self.lock();
        let mut matching: Vec<&Row> = rows
            .values()
            .filter(|row| key_value(row.values.get(&schema.partition)).as_ref() == Some(partition))
            .collect();
        if let Some(sort) = &schema.sort {
            matching.sort_by_key(|row| key_value(row.values.get(sort)));
        }
        Self::visible(matching.into_iter())
    }

    /// Reads the row's versions, then writes on condition that the row did not change
    /// meanwhile (else reads again), as the DynamoDB store does. It yields to the runtime in
    /// between, so that concurrent writers of one row interleave here as they do there.
    async fn apply(&self, write: &Write) -> Result<Applied, StoreError> {
        let key_attributes = self.schema.key.attributes(&write.key)?;
        let attributes = write.attributes(&self.schema.key)?;
        for _ in 0..MAX_ATTEMPTS {
            let meta = self
                .lock()
                .get(&write.key)
                .map(|row| row.meta.clone())
                .unwrap_or_default();
            let Some(plan) = plan(&meta, write, &attributes) else {
                return Ok(Applied::Stale);
            };
            let values = new_values(&plan, &attributes)?;
            tokio::task::yield_now().await;
            let mut rows = self.lock();
            let row = rows.entry(write.key.clone()).or_default();
            if row.meta.revision != meta.revision {
                continue;
            }
            write_row(row, write, &key_attributes, &plan, values);
            return Ok(Applied::Written);
        }
        Err(StoreError::Contention {
            attempts: MAX_ATTEMPTS,
        })
    }
}

/// Each attribute's new value under `plan` (`None`: removed).
fn new_values<'w>(
    plan: &Plan,
    attributes: &[Attribute<'w>],
) -> Result<Vec<(&'w str, Option<Value>)>, StoreError> {
    plan.apply
        .iter()
        .map(|&index| {
            let attribute = &attributes[index];
            let value = match *attribute {
                _ if attribute.is_removal() => None,
                Attribute::Json(_, value) => Some(value.clone()),
                Attribute::Encoded(_, value) => Some(
                    serde_dynamo::from_attribute_value(value.clone())
                        .map_err(|e| StoreError::Decode(e.to_string()))?,
                ),
            };
            Ok((attribute.name(), value))
        })
        .collect()
}

/// Makes the changes of `write`'s `plan` to `row`.
fn write_row(
    row: &mut Row,
    write: &Write,
    key_attributes: &[(&str, &KeyValue)],
    plan: &Plan,
    values: Vec<(&str, Option<Value>)>,
) {
    for (name, value) in key_attributes {
        let value = match value {
            KeyValue::String(s) => Value::from(s.as_str()),
            KeyValue::Integer(i) => Value::from(*i),
        };
        row.values.insert((*name).to_owned(), value);
    }
    for (name, value) in values {
        match value {
            Some(value) => row.values.insert(name.to_owned(), value),
            None => row.values.remove(name),
        };
        row.meta.attributes.insert(name.to_owned(), write.version);
    }
    for name in &plan.wipe {
        row.values.remove(name);
        row.meta.attributes.remove(name);
    }
    if plan.delete {
        row.meta.deleted = Some(write.version);
    }
    if plan.newest {
        row.meta.version = Some(write.version);
        row.values
            .insert(TIMESTAMP.to_owned(), Value::from(write.version.timestamp));
        if plan.delete {
            row.values.insert(DELETED.to_owned(), Value::Bool(true));
        } else {
            row.values.remove(DELETED);
        }
    }
    row.values.insert(LATCHED.to_owned(), Value::Bool(true));
    row.meta.revision += 1;
}

fn is_deleted(row: &Attributes) -> bool {
    row.get(DELETED) == Some(&Value::Bool(true))
}

fn key_value(value: Option<&Value>) -> Option<KeyValue> {
    match value? {
        Value::String(s) => Some(KeyValue::String(s.clone())),
        Value::Number(n) => n.as_i64().map(KeyValue::Integer),
        _ => None,
    }
}

fn decode<R: DeserializeOwned>(row: &Attributes) -> Result<R, StoreError> {
    serde_json::from_value(Value::Object(row.clone()))
        .map_err(|e| StoreError::Decode(e.to_string()))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;
    use crate::store::{Encoded, KeySchema, Version};

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Order {
        customer_id: String,
        order_id: String,
        status: String,
        #[serde(default)]
        total: Option<i64>,
    }

    fn store() -> InMemoryViewStore<Order> {
        InMemoryViewStore::new(
            TableSchema::new(KeySchema::with_sort("customerId", "orderId"))
                .with_index("byStatus", KeySchema::with_sort("status", "orderId")),
        )
    }

    fn key(order: &str) -> Key {
        Key::with_sort("c1", order)
    }

    fn attributes(value: Value) -> Attributes {
        match value {
            Value::Object(attributes) => attributes,
            _ => unreachable!("an object literal"),
        }
    }

    fn version(timestamp: i64) -> Version {
        Version::new(timestamp, 0, &format!("e{timestamp}"))
    }

    fn upsert(order: &str, status: &str, timestamp: i64) -> Write {
        let values = attributes(json!({"status": status, "total": 10}));
        Write::upsert(key(order), values, version(timestamp))
    }

    fn delete(order: &str, timestamp: i64) -> Write {
        Write::delete(key(order), version(timestamp))
    }

    async fn apply(store: &InMemoryViewStore<Order>, write: &Write) -> Applied {
        store.apply(write).await.expect("applied")
    }

    async fn row(store: &InMemoryViewStore<Order>, order: &str) -> Option<Order> {
        store.get(&key(order)).await.expect("get")
    }

    async fn status(store: &InMemoryViewStore<Order>, order: &str) -> Option<String> {
        row(store, order).await.map(|row| row.status)
    }

    #[tokio::test]
    async fn duplicates_and_older_writes_change_nothing_they_are_older_for() {
        let store = store();
        assert_eq!(
            apply(&store, &upsert("o1", "placed", 10)).await,
            Applied::Written
        );
        assert_eq!(
            apply(&store, &upsert("o1", "placed", 10)).await,
            Applied::Stale
        );
        assert_eq!(
            apply(&store, &upsert("o1", "draft", 5)).await,
            Applied::Stale
        );
        assert_eq!(status(&store, "o1").await.as_deref(), Some("placed"));
        assert_eq!(
            apply(&store, &upsert("o1", "paid", 20)).await,
            Applied::Written
        );
        assert_eq!(status(&store, "o1").await.as_deref(), Some("paid"));
    }

    #[tokio::test]
    async fn an_older_write_fills_in_what_no_newer_one_set() {
        let store = store();
        let newer = Write::upsert(
            key("o1"),
            attributes(json!({"status": "paid"})),
            version(20),
        );
        apply(&store, &newer).await;
        let older = upsert("o1", "placed", 10);
        assert_eq!(apply(&store, &older).await, Applied::Written);
        let row = row(&store, "o1").await.expect("a row");
        assert_eq!((row.status.as_str(), row.total), ("paid", Some(10)));
    }

    #[tokio::test]
    async fn both_events_of_one_change_apply_in_any_order() {
        let updated = Write::upsert(
            key("o1"),
            attributes(json!({"status": "cancelled", "total": 10})),
            Version::new(10, 0, "r1"),
        );
        let cancelled = Write::upsert(
            key("o1"),
            attributes(json!({"status": "cancelled", "total": 12})),
            Version::new(10, 1, "r1.1"),
        );
        for order in [[&updated, &cancelled], [&cancelled, &updated]] {
            let store = store();
            for write in order {
                apply(&store, write).await;
            }
            let row = row(&store, "o1").await.expect("a row");
            // The later sibling wins where both write, as in publication order.
            assert_eq!(row.total, Some(12));
        }
    }

    #[tokio::test]
    async fn rows_carry_key_timestamp_and_latch() {
        let store = store();
        apply(&store, &upsert("o1", "placed", 10)).await;
        let rows = store.snapshot();
        assert_eq!(
            Value::Object(rows[&key("o1")].clone()),
            json!({
                "customerId": "c1",
                "orderId": "o1",
                "status": "placed",
                "total": 10,
                "timestamp": 10,
                "latched": true
            })
        );
    }

    #[tokio::test]
    async fn a_delete_is_a_tombstone_that_older_upserts_do_not_resurrect() {
        let store = store();
        apply(&store, &upsert("o1", "placed", 10)).await;
        assert_eq!(apply(&store, &delete("o1", 20)).await, Applied::Written);
        assert_eq!(status(&store, "o1").await, None);
        assert_eq!(
            apply(&store, &upsert("o1", "paid", 15)).await,
            Applied::Stale
        );
        assert_eq!(status(&store, "o1").await, None);
        // A newer upsert recreates the row, without what the delete removed.
        let reopened = Write::upsert(key("o1"), attributes(json!({"status": "new"})), version(30));
        assert_eq!(apply(&store, &reopened).await, Applied::Written);
        let row = row(&store, "o1").await.expect("a row");
        assert_eq!((row.status.as_str(), row.total), ("new", None));
    }

    #[tokio::test]
    async fn a_late_delete_removes_only_what_is_older_than_itself() {
        let store = store();
        apply(&store, &upsert("o1", "placed", 10)).await;
        let newer = Write::upsert(
            key("o1"),
            attributes(json!({"status": "paid"})),
            version(30),
        );
        apply(&store, &newer).await;
        assert_eq!(apply(&store, &delete("o1", 20)).await, Applied::Written);
        let row = row(&store, "o1")
            .await
            .expect("still a row: its newest write is an upsert");
        assert_eq!((row.status.as_str(), row.total), ("paid", None));
    }

    #[tokio::test]
    async fn a_delete_before_the_upsert_still_wins() {
        let store = store();
        apply(&store, &delete("o1", 20)).await;
        assert_eq!(
            apply(&store, &upsert("o1", "placed", 10)).await,
            Applied::Stale
        );
        assert_eq!(
            store.query_partition(&"c1".into()).await.expect("query"),
            []
        );
    }

    #[tokio::test]
    async fn encoded_attributes_are_stored_as_json() {
        let store = store();
        apply(&store, &upsert("o1", "placed", 10)).await;
        let mut attributes = Encoded::with_capacity(2);
        attributes.insert("status", "paid").expect("encodes");
        attributes
            .insert("total", &Option::<i64>::None)
            .expect("encodes");
        let set = Write::upsert(key("o1"), attributes, version(11));
        assert_eq!(apply(&store, &set).await, Applied::Written);
        assert_eq!(apply(&store, &set).await, Applied::Stale);
        let row = row(&store, "o1").await.expect("a row");
        assert_eq!((row.status.as_str(), row.total), ("paid", None));
    }

    #[tokio::test]
    async fn null_attributes_are_removed_and_stay_removed() {
        let store = store();
        let clear = Write::upsert(key("o1"), attributes(json!({"total": null})), version(11));
        apply(&store, &upsert("o1", "placed", 10)).await;
        apply(&store, &clear).await;
        let row = row(&store, "o1").await.expect("a row");
        assert_eq!((row.status.as_str(), row.total), ("placed", None));
        // An older value arriving late does not come back.
        apply(&store, &upsert("o1", "placed", 9)).await;
        assert_eq!(self::row(&store, "o1").await.expect("a row").total, None);
    }

    #[tokio::test]
    async fn queries_skip_deleted_rows_and_keep_sort_order() {
        let store = store();
        for (order, status) in [
            ("o3", "paid"),
            ("o1", "paid"),
            ("o2", "placed"),
            ("o4", "paid"),
        ] {
            apply(&store, &upsert(order, status, 10)).await;
        }
        apply(&store, &delete("o4", 11)).await;
        let orders = |rows: Vec<Order>| rows.into_iter().map(|r| r.order_id).collect::<Vec<_>>();
        let all = store.query_partition(&"c1".into()).await.expect("query");
        assert_eq!(orders(all), ["o1", "o2", "o3"]);
        let paid = store
            .query_index("byStatus", &"paid".into())
            .await
            .expect("query");
        assert_eq!(orders(paid), ["o1", "o3"]);
        assert!(matches!(
            store.query_index("byCity", &"x".into()).await,
            Err(StoreError::UnknownIndex(name)) if name == "byCity"
        ));
    }

    #[tokio::test]
    async fn rejects_reserved_attributes_and_misshapen_keys() {
        let store = store();
        for reserved in ["latched", "@version", "@v:status"] {
            let mut values = Attributes::new();
            values.insert(reserved.to_owned(), json!(false));
            let write = Write::upsert(key("o1"), values, version(1));
            assert!(matches!(
                store.apply(&write).await,
                Err(StoreError::Reserved(name)) if name == reserved
            ));
        }
        assert!(matches!(
            store.get(&Key::partition("c1")).await,
            Err(StoreError::KeyShape {
                sort_expected: true
            })
        ));
    }
}

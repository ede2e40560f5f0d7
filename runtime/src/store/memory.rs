//! A view store in memory, with the semantics of the DynamoDB one, for tests and local runs.

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{
    Applied, Attribute, Attributes, DELETED, Key, KeyValue, LATCHED, StoreError, TIMESTAMP,
    TableSchema, ViewStore, Write,
};

/// A thread-safe view store backed by a `BTreeMap`. Rows are kept as JSON attributes and
/// decoded into `Row` with serde_json.
#[derive(Debug)]
pub struct InMemoryViewStore<Row> {
    schema: TableSchema,
    rows: Mutex<BTreeMap<Key, Attributes>>,
    row: PhantomData<fn() -> Row>,
}

impl<Row> InMemoryViewStore<Row> {
    /// An empty store of a table with `schema`.
    pub fn new(schema: TableSchema) -> Self {
        Self {
            schema,
            rows: Mutex::default(),
            row: PhantomData,
        }
    }

    /// Every stored row with its key, deleted ones included, as stored.
    pub fn snapshot(&self) -> BTreeMap<Key, Attributes> {
        self.lock().clone()
    }

    fn lock(&self) -> MutexGuard<'_, BTreeMap<Key, Attributes>> {
        self.rows.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn visible<'r>(rows: impl Iterator<Item = &'r Attributes>) -> Result<Vec<Row>, StoreError>
    where
        Row: DeserializeOwned,
    {
        rows.filter(|row| !is_deleted(row)).map(decode).collect()
    }
}

impl<Row: DeserializeOwned + Send> ViewStore<Row> for InMemoryViewStore<Row> {
    async fn get(&self, key: &Key) -> Result<Option<Row>, StoreError> {
        self.schema.key.attributes(key)?;
        Ok(Self::visible(self.lock().get(key).into_iter())?.pop())
    }

    async fn query_partition(&self, partition: &KeyValue) -> Result<Vec<Row>, StoreError> {
        let rows = self.lock();
        Self::visible(
            rows.iter()
                .filter(|(key, _)| key.partition == *partition)
                .map(|(_, row)| row),
        )
    }

    async fn query_index(&self, index: &str, partition: &KeyValue) -> Result<Vec<Row>, StoreError> {
        let schema = self.schema.index(index)?;
        let rows = self.lock();
        let mut matching: Vec<&Attributes> = rows
            .values()
            .filter(|row| key_value(row.get(&schema.partition)).as_ref() == Some(partition))
            .collect();
        if let Some(sort) = &schema.sort {
            matching.sort_by_key(|row| key_value(row.get(sort)));
        }
        Self::visible(matching.into_iter())
    }

    async fn apply(&self, write: &Write) -> Result<Applied, StoreError> {
        let key_attributes = self.schema.key.attributes(write.key())?;
        // Each attribute's new value (`None`: removed), decoded before the row changes.
        let attributes = write
            .attributes(&self.schema.key)?
            .into_iter()
            .map(|attribute| {
                let value = match attribute {
                    _ if attribute.is_removal() => None,
                    Attribute::Json(_, value) => Some(value.clone()),
                    Attribute::Encoded(_, value) => Some(
                        serde_dynamo::from_attribute_value(value.clone())
                            .map_err(|e| StoreError::Decode(e.to_string()))?,
                    ),
                };
                Ok((attribute.name(), value))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let timestamp = write.timestamp();
        let mut rows = self.lock();
        let stale = rows.get(write.key()).is_some_and(|row| {
            row.get(TIMESTAMP)
                .is_some_and(|stored| stored.as_i64().is_none_or(|stored| stored >= timestamp))
        });
        if stale {
            return Ok(Applied::Stale);
        }
        let row = rows.entry(write.key().clone()).or_default();
        for (name, value) in key_attributes {
            let value = match value {
                KeyValue::String(s) => Value::from(s.as_str()),
                KeyValue::Integer(i) => Value::from(*i),
            };
            row.insert(name.to_owned(), value);
        }
        for (name, value) in attributes {
            match value {
                Some(value) => row.insert(name.to_owned(), value),
                None => row.remove(name),
            };
        }
        if write.is_upsert() {
            row.remove(DELETED);
        } else {
            row.insert(DELETED.to_owned(), Value::Bool(true));
        }
        row.insert(TIMESTAMP.to_owned(), Value::from(timestamp));
        row.insert(LATCHED.to_owned(), Value::Bool(true));
        Ok(Applied::Written)
    }
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

fn decode<Row: DeserializeOwned>(row: &Attributes) -> Result<Row, StoreError> {
    serde_json::from_value(Value::Object(row.clone()))
        .map_err(|e| StoreError::Decode(e.to_string()))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;
    use crate::store::{Encoded, KeySchema};

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

    fn upsert(order: &str, status: &str, timestamp: i64) -> Write {
        let Value::Object(attributes) = json!({"status": status, "total": 10}) else {
            unreachable!("an object literal")
        };
        Write::Upsert {
            key: key(order),
            attributes,
            timestamp,
        }
    }

    async fn status(store: &InMemoryViewStore<Order>, order: &str) -> Option<String> {
        let row = store.get(&key(order)).await.expect("get");
        row.map(|row| row.status)
    }

    #[tokio::test]
    async fn writes_are_conditional_on_the_timestamp() {
        let store = store();
        assert_eq!(
            store
                .apply(&upsert("o1", "placed", 10))
                .await
                .expect("write"),
            Applied::Written
        );
        assert_eq!(
            store
                .apply(&upsert("o1", "placed", 10))
                .await
                .expect("write"),
            Applied::Stale
        );
        assert_eq!(
            store.apply(&upsert("o1", "draft", 5)).await.expect("write"),
            Applied::Stale
        );
        assert_eq!(status(&store, "o1").await.as_deref(), Some("placed"));
        assert_eq!(
            store.apply(&upsert("o1", "paid", 20)).await.expect("write"),
            Applied::Written
        );
        assert_eq!(status(&store, "o1").await.as_deref(), Some("paid"));
    }

    #[tokio::test]
    async fn rows_carry_key_timestamp_and_latch() {
        let store = store();
        store
            .apply(&upsert("o1", "placed", 10))
            .await
            .expect("write");
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
        store
            .apply(&upsert("o1", "placed", 10))
            .await
            .expect("write");
        let delete = Write::Delete {
            key: key("o1"),
            timestamp: 20,
        };
        assert_eq!(
            store.apply(&delete).await.expect("delete"),
            Applied::Written
        );
        assert_eq!(status(&store, "o1").await, None);
        assert_eq!(
            store.apply(&upsert("o1", "paid", 15)).await.expect("write"),
            Applied::Stale
        );
        assert_eq!(status(&store, "o1").await, None);
        // A newer upsert undeletes the row.
        assert_eq!(
            store
                .apply(&upsert("o1", "reopened", 30))
                .await
                .expect("write"),
            Applied::Written
        );
        assert_eq!(status(&store, "o1").await.as_deref(), Some("reopened"));
    }

    #[tokio::test]
    async fn a_delete_before_the_upsert_still_wins() {
        let store = store();
        let delete = Write::Delete {
            key: key("o1"),
            timestamp: 20,
        };
        store.apply(&delete).await.expect("delete");
        assert_eq!(
            store
                .apply(&upsert("o1", "placed", 10))
                .await
                .expect("write"),
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
        store
            .apply(&upsert("o1", "placed", 10))
            .await
            .expect("write");
        let mut attributes = Encoded::with_capacity(2);
        attributes.insert("status", "paid").expect("encodes");
        attributes
            .insert("total", &Option::<i64>::None)
            .expect("encodes");
        let set = Write::Set {
            key: key("o1"),
            attributes,
            timestamp: 11,
        };
        assert_eq!(store.apply(&set).await.expect("write"), Applied::Written);
        assert_eq!(store.apply(&set).await.expect("write"), Applied::Stale);
        let row = store.get(&key("o1")).await.expect("get").expect("a row");
        assert_eq!((row.status.as_str(), row.total), ("paid", None));
    }

    #[tokio::test]
    async fn null_attributes_are_removed() {
        let store = store();
        store
            .apply(&upsert("o1", "placed", 10))
            .await
            .expect("write");
        let Value::Object(attributes) = json!({"total": null}) else {
            unreachable!("an object literal")
        };
        let clear = Write::Upsert {
            key: key("o1"),
            attributes,
            timestamp: 11,
        };
        store.apply(&clear).await.expect("write");
        let row = store.get(&key("o1")).await.expect("get").expect("a row");
        assert_eq!(row.total, None);
        assert_eq!(row.status, "placed");
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
            store
                .apply(&upsert(order, status, 10))
                .await
                .expect("write");
        }
        let delete = Write::Delete {
            key: key("o4"),
            timestamp: 11,
        };
        store.apply(&delete).await.expect("delete");
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
        let Value::Object(attributes) = json!({"latched": false}) else {
            unreachable!("an object literal")
        };
        let write = Write::Upsert {
            key: key("o1"),
            attributes,
            timestamp: 1,
        };
        assert!(matches!(
            store.apply(&write).await,
            Err(StoreError::Reserved(name)) if name == "latched"
        ));
        assert!(matches!(
            store.get(&Key::partition("c1")).await,
            Err(StoreError::KeyShape {
                sort_expected: true
            })
        ));
    }
}

//! A view store whose backend is chosen when it is built.

use serde::de::DeserializeOwned;

use super::{
    Applied, DynamoViewStore, InMemoryViewStore, Key, KeyValue, StoreError, TableSchema, ViewStore,
    Write,
};

/// A view store on DynamoDB or in memory, chosen by construction, so that generated code
/// names one store type and tests run the same handlers without AWS.
///
/// DynamoDB requests are boxed: the SDK's futures are deeply nested types, and a listener
/// awaiting several of them would otherwise exceed the compiler's layout depth limit.
#[derive(Debug)]
pub enum AnyViewStore<Row> {
    /// Rows in a DynamoDB table.
    Dynamo(DynamoViewStore<Row>),
    /// Rows in memory.
    InMemory(InMemoryViewStore<Row>),
}

impl<Row> AnyViewStore<Row> {
    /// A store on the DynamoDB table `table`.
    pub fn dynamo(
        client: aws_sdk_dynamodb::Client,
        table: impl Into<String>,
        schema: TableSchema,
    ) -> Self {
        AnyViewStore::Dynamo(DynamoViewStore::new(client, table, schema))
    }

    /// An empty store in memory.
    pub fn in_memory(schema: TableSchema) -> Self {
        AnyViewStore::InMemory(InMemoryViewStore::new(schema))
    }

    /// The in-memory store, when that is the backend.
    pub fn as_in_memory(&self) -> Option<&InMemoryViewStore<Row>> {
        match self {
            AnyViewStore::InMemory(store) => Some(store),
            AnyViewStore::Dynamo(_) => None,
        }
    }
}

impl<Row: DeserializeOwned + Send> ViewStore<Row> for AnyViewStore<Row> {
    async fn get(&self, key: &Key) -> Result<Option<Row>, StoreError> {
        match self {
            AnyViewStore::Dynamo(store) => Box::pin(store.get(key)).await,
            AnyViewStore::InMemory(store) => store.get(key).await,
        }
    }

    async fn query_partition(&self, partition: &KeyValue) -> Result<Vec<Row>, StoreError> {
        match self {
            AnyViewStore::Dynamo(store) => Box::pin(store.query_partition(partition)).await,
            AnyViewStore::InMemory(store) => store.query_partition(partition).await,
        }
    }

    async fn query_index(&self, index: &str, partition: &KeyValue) -> Result<Vec<Row>, StoreError> {
        match self {
            AnyViewStore::Dynamo(store) => Box::pin(store.query_index(index, partition)).await,
            AnyViewStore::InMemory(store) => store.query_index(index, partition).await,
        }
    }

    async fn apply(&self, write: &Write) -> Result<Applied, StoreError> {
        match self {
            AnyViewStore::Dynamo(store) => Box::pin(store.apply(write)).await,
            AnyViewStore::InMemory(store) => store.apply(write).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::store::{KeySchema, Version, key_value};

    #[tokio::test]
    async fn delegates_to_the_chosen_backend() {
        let store: AnyViewStore<Value> =
            AnyViewStore::in_memory(TableSchema::new(KeySchema::partition("id")));
        let Value::Object(attributes) = json!({"name": "a"}) else {
            unreachable!("an object literal")
        };
        let write = Write::upsert(Key::partition("k"), attributes, Version::new(1, 0, "e"));
        assert_eq!(
            store.apply(&write).await.expect("applied"),
            Applied::Written
        );
        assert_eq!(store.apply(&write).await.expect("applied"), Applied::Stale);
        let row = store.get(&Key::partition("k")).await.expect("read");
        assert_eq!(row.map(|r| r["name"].clone()), Some(json!("a")));
        assert_eq!(store.as_in_memory().map(|s| s.snapshot().len()), Some(1));
    }

    #[test]
    fn key_values_come_from_serialized_fields() {
        assert_eq!(key_value("a").expect("a string"), KeyValue::from("a"));
        assert_eq!(key_value(&7_i32).expect("an integer"), KeyValue::Integer(7));
        assert_eq!(KeyValue::Integer(7).to_string(), "7");
        assert!(matches!(
            key_value(&Option::<String>::None),
            Err(StoreError::KeyValue(v)) if v == "null"
        ));
        assert!(key_value(&1.5_f64).is_err());
    }
}

//! The view store on a DynamoDB table.

use std::collections::HashMap;
use std::marker::PhantomData;

use aws_sdk_dynamodb::types::AttributeValue;
use serde::de::DeserializeOwned;

use super::{
    Applied, Attribute, DELETED, Key, KeySchema, KeyValue, LATCHED, StoreError, TIMESTAMP,
    TableSchema, ViewStore, Write, encode,
};

/// A DynamoDB item.
type Item = HashMap<String, AttributeValue>;

/// A view store on a DynamoDB table. Writes are `UpdateItem` requests with the timestamp
/// condition (every attribute name goes through `ExpressionAttributeNames`); rows are
/// decoded into `Row` with serde_dynamo.
#[derive(Debug, Clone)]
pub struct DynamoViewStore<Row> {
    client: aws_sdk_dynamodb::Client,
    table: String,
    schema: TableSchema,
    row: PhantomData<fn() -> Row>,
}

impl<Row> DynamoViewStore<Row> {
    /// The store of the table named `table`, keyed as `schema` says.
    pub fn new(
        client: aws_sdk_dynamodb::Client,
        table: impl Into<String>,
        schema: TableSchema,
    ) -> Self {
        Self {
            client,
            table: table.into(),
            schema,
            row: PhantomData,
        }
    }

    async fn query(
        &self,
        index: Option<&str>,
        key: &KeySchema,
        partition: &KeyValue,
    ) -> Result<Vec<Row>, StoreError>
    where
        Row: DeserializeOwned,
    {
        let mut rows = Vec::new();
        let mut start = None;
        loop {
            let output = self
                .client
                .query()
                .table_name(&self.table)
                .set_index_name(index.map(str::to_owned))
                .key_condition_expression("#pk = :pk")
                .expression_attribute_names("#pk", &key.partition)
                .expression_attribute_values(":pk", attribute(partition))
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(request)?;
            for item in output.items() {
                if let Some(row) = visible(item)? {
                    rows.push(row);
                }
            }
            start = output.last_evaluated_key().cloned();
            if start.is_none() {
                return Ok(rows);
            }
        }
    }
}

impl<Row: DeserializeOwned + Send> ViewStore<Row> for DynamoViewStore<Row> {
    async fn get(&self, key: &Key) -> Result<Option<Row>, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(self.key(key)?))
            .send()
            .await
            .map_err(request)?;
        match output.item() {
            Some(item) => visible(item),
            None => Ok(None),
        }
    }

    async fn query_partition(&self, partition: &KeyValue) -> Result<Vec<Row>, StoreError> {
        self.query(None, &self.schema.key, partition).await
    }

    async fn query_index(&self, index: &str, partition: &KeyValue) -> Result<Vec<Row>, StoreError> {
        let key = self.schema.index(index)?;
        self.query(Some(index), key, partition).await
    }

    async fn apply(&self, write: &Write) -> Result<Applied, StoreError> {
        let update = UpdateRequest::of(write, &self.schema.key)?;
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(self.key(write.key())?))
            .update_expression(update.expression)
            .condition_expression(format!(
                "attribute_not_exists(#{TIMESTAMP}) OR #{TIMESTAMP} < :{TIMESTAMP}"
            ))
            .set_expression_attribute_names(Some(update.names))
            .set_expression_attribute_values(Some(update.values))
            .send()
            .await;
        match result {
            Ok(_) => Ok(Applied::Written),
            Err(error)
                if error
                    .as_service_error()
                    .is_some_and(|e| e.is_conditional_check_failed_exception()) =>
            {
                Ok(Applied::Stale)
            }
            Err(error) => Err(request(error)),
        }
    }
}

impl<Row> DynamoViewStore<Row> {
    fn key(&self, key: &Key) -> Result<Item, StoreError> {
        Ok(self
            .schema
            .key
            .attributes(key)?
            .into_iter()
            .map(|(name, value)| (name.to_owned(), attribute(value)))
            .collect())
    }
}

/// The parts of the conditional `UpdateItem` request [`DynamoViewStore`] sends for a write
/// (besides the key and the condition).
#[derive(Debug, PartialEq)]
pub struct UpdateRequest {
    /// The update expression (`SET ... REMOVE ...`).
    pub expression: String,
    /// The expression attribute names.
    pub names: HashMap<String, String>,
    /// The expression attribute values.
    pub values: Item,
}

/// Placeholders `(#aN, :aN)` for the first attributes of a write, so that a request does not
/// format them; later attributes get formatted ones.
const PLACEHOLDERS: [(&str, &str); 16] = [
    ("#a0", ":a0"),
    ("#a1", ":a1"),
    ("#a2", ":a2"),
    ("#a3", ":a3"),
    ("#a4", ":a4"),
    ("#a5", ":a5"),
    ("#a6", ":a6"),
    ("#a7", ":a7"),
    ("#a8", ":a8"),
    ("#a9", ":a9"),
    ("#a10", ":a10"),
    ("#a11", ":a11"),
    ("#a12", ":a12"),
    ("#a13", ":a13"),
    ("#a14", ":a14"),
    ("#a15", ":a15"),
];

/// The placeholders of the `i`th attribute of a write.
fn placeholders(i: usize) -> (String, String) {
    match PLACEHOLDERS.get(i) {
        Some((name, value)) => ((*name).to_owned(), (*value).to_owned()),
        None => (format!("#a{i}"), format!(":a{i}")),
    }
}

/// Appends `item` to the comma-separated `list`.
fn push_item(list: &mut String, item: &str) {
    if !list.is_empty() {
        list.push_str(", ");
    }
    list.push_str(item);
}

/// The managed attributes' name placeholders, SET clauses and removal.
const MANAGED_NAMES: [(&str, &str); 3] = [
    ("#timestamp", TIMESTAMP),
    ("#latched", LATCHED),
    ("#deleted", DELETED),
];
const SET_MANAGED: &str = "#timestamp = :timestamp, #latched = :true";
const SET_DELETED: &str = ", #deleted = :true";
const REMOVE_DELETED: &str = "#deleted";

impl UpdateRequest {
    /// The request for `write` to a table keyed by `key`.
    pub fn of(write: &Write, key: &KeySchema) -> Result<Self, StoreError> {
        let attributes = write.attributes(key)?;
        let count = attributes.len() + MANAGED_NAMES.len();
        let mut names = HashMap::with_capacity(count);
        let mut values = Item::with_capacity(count);
        let mut set = String::with_capacity(16 * count);
        let mut remove = String::new();
        for (i, attribute) in attributes.into_iter().enumerate() {
            let (name, value) = placeholders(i);
            if attribute.is_removal() {
                push_item(&mut remove, &name);
            } else {
                let encoded = match attribute {
                    Attribute::Json(name, value) => encode(name, value)?,
                    Attribute::Encoded(_, value) => value.clone(),
                };
                set.push_str(&name);
                set.push_str(" = ");
                set.push_str(&value);
                set.push_str(", ");
                values.insert(value, encoded);
            }
            names.insert(name, attribute.name().to_owned());
        }
        for (placeholder, name) in MANAGED_NAMES {
            names.insert(placeholder.to_owned(), name.to_owned());
        }
        values.insert(
            format!(":{TIMESTAMP}"),
            AttributeValue::N(write.timestamp().to_string()),
        );
        values.insert(":true".to_owned(), AttributeValue::Bool(true));
        set.push_str(SET_MANAGED);
        if write.is_upsert() {
            push_item(&mut remove, REMOVE_DELETED);
        } else {
            set.push_str(SET_DELETED);
        }
        let mut expression = String::with_capacity(set.len() + remove.len() + 12);
        expression.push_str("SET ");
        expression.push_str(&set);
        if !remove.is_empty() {
            expression.push_str(" REMOVE ");
            expression.push_str(&remove);
        }
        Ok(Self {
            expression,
            names,
            values,
        })
    }
}

fn attribute(value: &KeyValue) -> AttributeValue {
    match value {
        KeyValue::String(s) => AttributeValue::S(s.clone()),
        KeyValue::Integer(i) => AttributeValue::N(i.to_string()),
    }
}

/// The row of `item`, unless it is deleted.
fn visible<Row: DeserializeOwned>(item: &Item) -> Result<Option<Row>, StoreError> {
    if item.get(DELETED) == Some(&AttributeValue::Bool(true)) {
        return Ok(None);
    }
    serde_dynamo::from_item(item.clone())
        .map(Some)
        .map_err(|e| StoreError::Decode(e.to_string()))
}

fn request(error: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Request(Box::new(error))
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::store::Encoded;

    fn names(update: &UpdateRequest) -> Vec<(&str, &str)> {
        let mut names: Vec<_> = update
            .names
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn an_upsert_sets_attributes_and_undeletes() {
        let Value::Object(attributes) = json!({"id": "k", "note": null, "status": "paid"}) else {
            unreachable!("an object literal")
        };
        let write = Write::Upsert {
            key: Key::partition("k"),
            attributes,
            timestamp: 42,
        };
        let update = UpdateRequest::of(&write, &KeySchema::partition("id")).expect("an update");
        assert_eq!(
            update.expression,
            "SET #a1 = :a1, #timestamp = :timestamp, #latched = :true REMOVE #a0, #deleted"
        );
        assert_eq!(
            names(&update),
            [
                ("#a0", "note"),
                ("#a1", "status"),
                ("#deleted", "deleted"),
                ("#latched", "latched"),
                ("#timestamp", "timestamp"),
            ]
        );
        assert_eq!(update.values[":a1"], AttributeValue::S("paid".into()));
        assert_eq!(update.values[":timestamp"], AttributeValue::N("42".into()));
        assert_eq!(update.values.len(), 3);
    }

    #[test]
    fn an_encoded_upsert_matches_the_json_one() {
        let mut encoded = Encoded::with_capacity(3);
        encoded.insert("id", "k").expect("encodes");
        encoded
            .insert("note", &Option::<String>::None)
            .expect("encodes");
        encoded.insert("status", "paid").expect("encodes");
        let set = Write::Set {
            key: Key::partition("k"),
            attributes: encoded,
            timestamp: 42,
        };
        let Value::Object(attributes) = json!({"id": "k", "note": null, "status": "paid"}) else {
            unreachable!("an object literal")
        };
        let upsert = Write::Upsert {
            key: Key::partition("k"),
            attributes,
            timestamp: 42,
        };
        let key = KeySchema::partition("id");
        assert_eq!(
            UpdateRequest::of(&set, &key).expect("an update"),
            UpdateRequest::of(&upsert, &key).expect("an update")
        );
    }

    #[test]
    fn placeholders_go_beyond_the_static_ones() {
        assert_eq!(placeholders(3), ("#a3".to_owned(), ":a3".to_owned()));
        assert_eq!(placeholders(40), ("#a40".to_owned(), ":a40".to_owned()));
    }

    #[test]
    fn a_delete_writes_a_tombstone() {
        let write = Write::Delete {
            key: Key::partition("k"),
            timestamp: 7,
        };
        let update = UpdateRequest::of(&write, &KeySchema::partition("id")).expect("an update");
        assert_eq!(
            update.expression,
            "SET #timestamp = :timestamp, #latched = :true, #deleted = :true"
        );
        assert_eq!(update.names.len(), 3);
    }

    #[test]
    fn deleted_items_are_not_visible() {
        let item: Item = [
            ("id".to_owned(), AttributeValue::S("k".into())),
            ("deleted".to_owned(), AttributeValue::Bool(true)),
        ]
        .into();
        assert_eq!(visible::<Value>(&item).expect("decoded"), None);
        let item: Item = [("id".to_owned(), AttributeValue::S("k".into()))].into();
        assert_eq!(
            visible::<Value>(&item).expect("decoded"),
            Some(json!({"id": "k"}))
        );
    }
}

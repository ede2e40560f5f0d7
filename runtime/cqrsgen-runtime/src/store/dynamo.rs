//! The view store on a DynamoDB table.

use std::collections::HashMap;
use std::marker::PhantomData;

use aws_sdk_dynamodb::types::AttributeValue;
use serde::de::DeserializeOwned;

use cqrsgen_events::merge::{Plan, RowMeta};

use super::{
    Applied, Attribute, BOOKKEEPING_PREFIX, DELETED, Key, KeySchema, KeyValue, LATCHED,
    MAX_ATTEMPTS, Operation, StoreError, TIMESTAMP, TableSchema, Version, ViewStore, Write, encode,
    plan,
};

/// A DynamoDB item.
type Item = HashMap<String, AttributeValue>;

/// A view store on a DynamoDB table. Writes are conditional `UpdateItem` requests (every
/// attribute name goes through `ExpressionAttributeNames`), as the [store](super) docs
/// describe; rows are decoded into `Row` with serde_dynamo.
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
        let attributes = write.attributes(&self.schema.key)?;
        // The common case first: an upsert newer than everything the row holds.
        if matches!(write.operation, Operation::Upsert(_)) {
            let newest = Plan {
                apply: (0..attributes.len()).collect(),
                wipe: Vec::new(),
                newest: true,
                delete: false,
            };
            let update = UpdateRequest::new(write, &attributes, &newest, Guard::Older)?;
            if self.update(&write.key, update).await? {
                return Ok(Applied::Written);
            }
        }
        for _ in 0..MAX_ATTEMPTS {
            let meta = match self.read(&write.key).await? {
                Some(item) => meta(&item)?,
                None => RowMeta::default(),
            };
            let Some(plan) = plan(&meta, write, &attributes) else {
                return Ok(Applied::Stale);
            };
            let guard = Guard::Revision(meta.revision);
            let update = UpdateRequest::new(write, &attributes, &plan, guard)?;
            if self.update(&write.key, update).await? {
                return Ok(Applied::Written);
            }
        }
        Err(StoreError::Contention {
            attempts: MAX_ATTEMPTS,
        })
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

    /// The stored item of `key`, read consistently.
    async fn read(&self, key: &Key) -> Result<Option<Item>, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(self.key(key)?))
            .consistent_read(true)
            .send()
            .await
            .map_err(request)?;
        Ok(output.item)
    }

    /// Sends `update` to the row `key`: `false` when its condition failed.
    async fn update(&self, key: &Key, update: UpdateRequest) -> Result<bool, StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(self.key(key)?))
            .update_expression(update.expression)
            .condition_expression(update.condition)
            .set_expression_attribute_names(Some(update.names))
            .set_expression_attribute_values(Some(update.values))
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(error)
                if error
                    .as_service_error()
                    .is_some_and(|e| e.is_conditional_check_failed_exception()) =>
            {
                Ok(false)
            }
            Err(error) => Err(request(error)),
        }
    }
}

/// The bookkeeping attribute holding the newest version applied to a row.
const VERSION: &str = "@version";
/// The bookkeeping attribute holding the newest delete applied to a row.
const DELETED_VERSION: &str = "@deleted";
/// The bookkeeping attribute counting the writes of a row.
const REVISION: &str = "@revision";
/// The prefix of the bookkeeping attribute holding an attribute's version.
const ATTRIBUTE_VERSION: &str = "@v:";

/// The versions a stored item holds.
fn meta(item: &Item) -> Result<RowMeta, StoreError> {
    let mut meta = RowMeta::default();
    for (name, value) in item {
        if !name.starts_with(BOOKKEEPING_PREFIX) {
            continue;
        }
        let malformed = || StoreError::Bookkeeping {
            attribute: name.clone(),
        };
        let number = match value {
            AttributeValue::N(number) => number.parse::<i128>().map_err(|_| malformed())?,
            _ => return Err(malformed()),
        };
        match (name.as_str(), name.strip_prefix(ATTRIBUTE_VERSION)) {
            (VERSION, _) => meta.version = Some(Version::from_number(number)),
            (DELETED_VERSION, _) => meta.deleted = Some(Version::from_number(number)),
            (REVISION, _) => meta.revision = u64::try_from(number).map_err(|_| malformed())?,
            (_, Some(attribute)) => {
                meta.attributes
                    .insert(attribute.to_owned(), Version::from_number(number));
            }
            (_, None) => return Err(malformed()),
        }
    }
    Ok(meta)
}

/// The condition a write's request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Guard {
    /// The row holds only older writes.
    Older,
    /// The row is as it was read: `@revision` has this value (0: absent).
    Revision(u64),
}

/// The parts of a conditional `UpdateItem` request that [`DynamoViewStore`] sends for a write
/// (besides the table and the key).
#[derive(Debug, PartialEq)]
pub struct UpdateRequest {
    /// The update expression (`SET ... REMOVE ... ADD ...`).
    pub expression: String,
    /// The condition expression.
    pub condition: String,
    /// The expression attribute names.
    pub names: HashMap<String, String>,
    /// The expression attribute values.
    pub values: Item,
}

/// Placeholders `(#aN, :aN, #vN)` of the value and the version of the first attributes of a
/// write, so that a request does not format them; later attributes get formatted ones.
const PLACEHOLDERS: [(&str, &str, &str); 16] = [
    ("#a0", ":a0", "#v0"),
    ("#a1", ":a1", "#v1"),
    ("#a2", ":a2", "#v2"),
    ("#a3", ":a3", "#v3"),
    ("#a4", ":a4", "#v4"),
    ("#a5", ":a5", "#v5"),
    ("#a6", ":a6", "#v6"),
    ("#a7", ":a7", "#v7"),
    ("#a8", ":a8", "#v8"),
    ("#a9", ":a9", "#v9"),
    ("#a10", ":a10", "#v10"),
    ("#a11", ":a11", "#v11"),
    ("#a12", ":a12", "#v12"),
    ("#a13", ":a13", "#v13"),
    ("#a14", ":a14", "#v14"),
    ("#a15", ":a15", "#v15"),
];

/// The placeholders of the `i`th attribute of a write: its name, its value and the name of
/// its version.
fn placeholders(i: usize) -> (String, String, String) {
    match PLACEHOLDERS.get(i) {
        Some((name, value, version)) => (
            (*name).to_owned(),
            (*value).to_owned(),
            (*version).to_owned(),
        ),
        None => (format!("#a{i}"), format!(":a{i}"), format!("#v{i}")),
    }
}

/// An expression's clause (`SET`, `REMOVE`), built item by item.
#[derive(Default)]
struct Clause(String);

impl Clause {
    fn push(&mut self, item: &str) {
        if !self.0.is_empty() {
            self.0.push_str(", ");
        }
        self.0.push_str(item);
    }

    fn assign(&mut self, name: &str, value: &str) {
        if !self.0.is_empty() {
            self.0.push_str(", ");
        }
        self.0.push_str(name);
        self.0.push_str(" = ");
        self.0.push_str(value);
    }
}

impl UpdateRequest {
    /// The request an upsert is sent with first, for a row that holds only older writes:
    /// every attribute is set, and the condition is that the row holds nothing newer.
    pub fn newest(write: &Write, key: &KeySchema) -> Result<Self, StoreError> {
        let attributes = write.attributes(key)?;
        let plan = Plan {
            apply: (0..attributes.len()).collect(),
            wipe: Vec::new(),
            newest: true,
            delete: matches!(write.operation, Operation::Delete),
        };
        Self::new(write, &attributes, &plan, Guard::Older)
    }

    /// The request that makes the changes of `plan` (whose indexes are into `attributes`),
    /// under `guard`.
    fn new(
        write: &Write,
        attributes: &[Attribute<'_>],
        plan: &Plan,
        guard: Guard,
    ) -> Result<Self, StoreError> {
        let count = plan.apply.len() * 2 + plan.wipe.len() * 2 + 6;
        let mut names = HashMap::with_capacity(count);
        let mut values = Item::with_capacity(plan.apply.len() + 5);
        let mut set = Clause::default();
        let mut remove = Clause::default();
        let version = AttributeValue::N(write.version.to_number().to_string());
        for (i, &index) in plan.apply.iter().enumerate() {
            let attribute = &attributes[index];
            let (name, value, version_name) = placeholders(i);
            if attribute.is_removal() {
                remove.push(&name);
            } else {
                let encoded = match *attribute {
                    Attribute::Json(name, value) => encode(name, value)?,
                    Attribute::Encoded(_, value) => value.clone(),
                };
                set.assign(&name, &value);
                values.insert(value, encoded);
            }
            set.assign(&version_name, ":version");
            names.insert(name, attribute.name().to_owned());
            names.insert(
                version_name,
                format!("{ATTRIBUTE_VERSION}{}", attribute.name()),
            );
        }
        for (j, wiped) in plan.wipe.iter().enumerate() {
            let (name, version_name) = (format!("#w{j}"), format!("#x{j}"));
            remove.push(&name);
            remove.push(&version_name);
            names.insert(name, wiped.clone());
            names.insert(version_name, format!("{ATTRIBUTE_VERSION}{wiped}"));
        }
        let mut managed = |placeholder: &str, name: &str| {
            names.insert(placeholder.to_owned(), name.to_owned());
        };
        if plan.newest {
            set.assign("#version", ":version");
            set.assign("#timestamp", ":timestamp");
            managed("#version", VERSION);
            managed("#timestamp", TIMESTAMP);
            managed("#deleted", DELETED);
            values.insert(
                ":timestamp".to_owned(),
                AttributeValue::N(write.version.timestamp.to_string()),
            );
            if plan.delete {
                set.assign("#deleted", ":true");
            } else {
                remove.push("#deleted");
            }
        }
        if plan.delete {
            set.assign("#deletedVersion", ":version");
            managed("#deletedVersion", DELETED_VERSION);
        }
        set.assign("#latched", ":true");
        managed("#latched", LATCHED);
        managed("#revision", REVISION);
        let condition = match guard {
            Guard::Older => {
                managed("#version", VERSION);
                "attribute_not_exists(#version) OR #version < :version"
            }
            Guard::Revision(0) => "attribute_not_exists(#revision)",
            Guard::Revision(revision) => {
                values.insert(
                    ":revision".to_owned(),
                    AttributeValue::N(revision.to_string()),
                );
                "#revision = :revision"
            }
        };
        values.insert(":version".to_owned(), version);
        values.insert(":true".to_owned(), AttributeValue::Bool(true));
        values.insert(":one".to_owned(), AttributeValue::N("1".to_owned()));
        let mut expression = String::with_capacity(set.0.len() + remove.0.len() + 32);
        expression.push_str("SET ");
        expression.push_str(&set.0);
        if !remove.0.is_empty() {
            expression.push_str(" REMOVE ");
            expression.push_str(&remove.0);
        }
        expression.push_str(" ADD #revision :one");
        Ok(Self {
            expression,
            condition: condition.to_owned(),
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

/// The row of `item` (without the bookkeeping attributes), unless it is deleted.
fn visible<Row: DeserializeOwned>(item: &Item) -> Result<Option<Row>, StoreError> {
    if item.get(DELETED) == Some(&AttributeValue::Bool(true)) {
        return Ok(None);
    }
    let row: Item = item
        .iter()
        .filter(|(name, _)| !name.starts_with(BOOKKEEPING_PREFIX))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    serde_dynamo::from_item(row)
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
    use crate::store::{Attributes, Encoded};

    fn names(update: &UpdateRequest) -> Vec<(&str, &str)> {
        let mut names: Vec<_> = update
            .names
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        names.sort_unstable();
        names
    }

    fn attributes(value: Value) -> Attributes {
        match value {
            Value::Object(attributes) => attributes,
            _ => unreachable!("an object literal"),
        }
    }

    fn version(timestamp: i64) -> Version {
        Version::new(timestamp, 0, "e1")
    }

    #[test]
    fn an_upsert_sets_attributes_with_their_versions_and_undeletes() {
        let values = attributes(json!({"id": "k", "note": null, "status": "paid"}));
        let write = Write::upsert(Key::partition("k"), values, version(42));
        let update = UpdateRequest::newest(&write, &KeySchema::partition("id")).expect("an update");
        assert_eq!(
            update.expression,
            "SET #v0 = :version, #a1 = :a1, #v1 = :version, #version = :version, \
             #timestamp = :timestamp, #latched = :true REMOVE #a0, #deleted ADD #revision :one"
        );
        assert_eq!(
            update.condition,
            "attribute_not_exists(#version) OR #version < :version"
        );
        assert_eq!(
            names(&update),
            [
                ("#a0", "note"),
                ("#a1", "status"),
                ("#deleted", "deleted"),
                ("#latched", "latched"),
                ("#revision", "@revision"),
                ("#timestamp", "timestamp"),
                ("#v0", "@v:note"),
                ("#v1", "@v:status"),
                ("#version", "@version"),
            ]
        );
        assert_eq!(update.values[":a1"], AttributeValue::S("paid".into()));
        assert_eq!(update.values[":timestamp"], AttributeValue::N("42".into()));
        assert_eq!(
            update.values[":version"],
            AttributeValue::N(version(42).to_number().to_string())
        );
        assert_eq!(update.values.len(), 5);
    }

    #[test]
    fn an_encoded_upsert_matches_the_json_one() {
        let mut encoded = Encoded::with_capacity(3);
        encoded.insert("id", "k").expect("encodes");
        encoded
            .insert("note", &Option::<String>::None)
            .expect("encodes");
        encoded.insert("status", "paid").expect("encodes");
        let set = Write::upsert(Key::partition("k"), encoded, version(42));
        let json = attributes(json!({"id": "k", "note": null, "status": "paid"}));
        let upsert = Write::upsert(Key::partition("k"), json, version(42));
        let key = KeySchema::partition("id");
        assert_eq!(
            UpdateRequest::newest(&set, &key).expect("an update"),
            UpdateRequest::newest(&upsert, &key).expect("an update")
        );
    }

    #[test]
    fn placeholders_go_beyond_the_static_ones() {
        let expected = |i: usize| (format!("#a{i}"), format!(":a{i}"), format!("#v{i}"));
        assert_eq!(placeholders(3), expected(3));
        assert_eq!(placeholders(40), expected(40));
    }

    #[test]
    fn a_planned_delete_wipes_older_attributes_under_the_revision() {
        let write = Write::delete(Key::partition("k"), version(7));
        let plan = Plan {
            apply: Vec::new(),
            wipe: vec!["status".to_owned()],
            newest: true,
            delete: true,
        };
        let update = UpdateRequest::new(&write, &[], &plan, Guard::Revision(3)).expect("an update");
        assert_eq!(
            update.expression,
            "SET #version = :version, #timestamp = :timestamp, #deleted = :true, \
             #deletedVersion = :version, #latched = :true REMOVE #w0, #x0 ADD #revision :one"
        );
        assert_eq!(update.condition, "#revision = :revision");
        assert_eq!(update.values[":revision"], AttributeValue::N("3".into()));
        assert_eq!(
            names(&update)[..2],
            [("#deleted", "deleted"), ("#deletedVersion", "@deleted")]
        );
        let first = UpdateRequest::new(&write, &[], &plan, Guard::Revision(0)).expect("an update");
        assert_eq!(first.condition, "attribute_not_exists(#revision)");
    }

    #[test]
    fn versions_are_read_back_from_the_item() {
        let number = |v: Version| AttributeValue::N(v.to_number().to_string());
        let item: Item = [
            ("id".to_owned(), AttributeValue::S("k".into())),
            ("@version".to_owned(), number(version(9))),
            ("@deleted".to_owned(), number(version(4))),
            ("@revision".to_owned(), AttributeValue::N("5".into())),
            ("@v:status".to_owned(), number(version(9))),
        ]
        .into();
        let read = meta(&item).expect("versions");
        assert_eq!(read.version, Some(version(9)));
        assert_eq!(read.deleted, Some(version(4)));
        assert_eq!(read.revision, 5);
        assert_eq!(read.attributes["status"], version(9));
        let broken: Item = [("@v:status".to_owned(), AttributeValue::S("x".into()))].into();
        assert!(matches!(
            meta(&broken),
            Err(StoreError::Bookkeeping { attribute }) if attribute == "@v:status"
        ));
    }

    #[test]
    fn deleted_items_and_bookkeeping_are_not_visible() {
        let item: Item = [
            ("id".to_owned(), AttributeValue::S("k".into())),
            ("deleted".to_owned(), AttributeValue::Bool(true)),
        ]
        .into();
        assert_eq!(visible::<Value>(&item).expect("decoded"), None);
        let item: Item = [
            ("id".to_owned(), AttributeValue::S("k".into())),
            ("@revision".to_owned(), AttributeValue::N("1".into())),
        ]
        .into();
        assert_eq!(
            visible::<Value>(&item).expect("decoded"),
            Some(json!({"id": "k"}))
        );
    }
}

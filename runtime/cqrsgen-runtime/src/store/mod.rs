//! View storage: idempotent writes of read-model rows that converge whatever the order of
//! delivery.
//!
//! # Semantics
//!
//! Every [`Write`] carries the [`Version`] of the event it comes from: the time of the change,
//! then the event's position among the events of that change, then a hash of its id. A view
//! ends up as if every event had been applied once, in version order, whatever order SQS
//! delivers them in and however often:
//!
//! - **Per attribute, the newest write wins.** The row remembers, for every attribute, the
//!   version of the write that last set (or removed) it, and a write only changes the
//!   attributes it is newer for. A duplicate changes nothing; an older event still fills in
//!   attributes that no newer event set; two events of one change (`order-updated` and
//!   `order-cancelled` from one stream record: same timestamp, sequence 0 and 1) both apply.
//! - **Deletes are tombstones.** A delete removes every attribute older than itself and
//!   remembers its version, so an older upsert that arrives later changes nothing instead of
//!   resurrecting the row. The row stays deleted (`deleted: true`, left out of reads) until a
//!   newer upsert recreates it.
//! - A [patch](Operation::Patch) (what hooks use to amend rows) sets the attributes it is
//!   newer for on a live row only.
//! - A write that changes nothing counts as success: [`Applied::Stale`].
//!
//! Every written row carries `latched: true`, the loop guard of the pattern: should the
//! table have a stream with a trigger, the trigger skips rows written by listeners, and
//! `timestamp`, the time of the newest event applied.
//!
//! # Tables
//!
//! A view's table uses the view's key fields, under their own (wire) names, as its
//! partition and sort key attributes, and each secondary index its own key fields: the
//! [`TableSchema`] given to a store names them. Key values are strings or integers
//! ([`KeyValue`]). `timestamp`, `latched` and `deleted` are reserved attribute names that view
//! fields cannot use, and so is every name starting with `@`: the versions are kept in
//! `@version` (the newest write), `@deleted` (the newest delete), `@revision` (a counter of
//! writes, for conditional updates) and `@v:<attribute>` (per attribute). View field names
//! cannot contain `@`, so these never collide with them; reads leave them out.
//!
//! In DynamoDB, an upsert newer than everything the row holds is one conditional `UpdateItem`
//! (`attribute_not_exists(#version) OR #version < :version`), the common case. Any other
//! write reads the row (consistently) and updates exactly the attributes the rules above
//! allow, conditional on `@revision` being unchanged; a concurrent write makes it read again.

mod any;
mod dynamo;
mod memory;

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;

use aws_sdk_dynamodb::types::AttributeValue;
use cqrsgen_events::merge::{Plan, RowMeta, WriteKind};
use serde::Serialize;

pub use any::AnyViewStore;
pub use cqrsgen_events::Version;
pub use cqrsgen_events::wire::BOOKKEEPING_PREFIX;
pub use dynamo::{DynamoViewStore, UpdateRequest};
pub use memory::InMemoryViewStore;

/// The attribute holding the timestamp of the last write, in epoch milliseconds.
pub const TIMESTAMP: &str = crate::stream::TIMESTAMP;
/// The attribute marking a deleted row.
pub const DELETED: &str = crate::stream::DELETED;
/// The attribute marking a row written by a listener.
pub const LATCHED: &str = crate::stream::LATCHED;
/// Attribute names the store manages itself, besides those starting with `@`.
pub const RESERVED: [&str; 3] = [TIMESTAMP, DELETED, LATCHED];

/// How many times a write reads the row and tries again when the row changed meanwhile.
const MAX_ATTEMPTS: u32 = 8;

/// Attribute name -> value, as JSON. A `null` value removes the attribute.
pub type Attributes = serde_json::Map<String, serde_json::Value>;

/// The value of a key attribute.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyValue {
    /// A string (`S`).
    String(String),
    /// An integer (`N`).
    Integer(i64),
}

impl From<&str> for KeyValue {
    fn from(value: &str) -> Self {
        KeyValue::String(value.to_owned())
    }
}

impl From<String> for KeyValue {
    fn from(value: String) -> Self {
        KeyValue::String(value)
    }
}

impl From<i64> for KeyValue {
    fn from(value: i64) -> Self {
        KeyValue::Integer(value)
    }
}

impl fmt::Display for KeyValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyValue::String(s) => f.write_str(s),
            KeyValue::Integer(i) => write!(f, "{i}"),
        }
    }
}

/// The key value of a typed field value: what it serializes to, which must be a JSON string
/// (strings, uuids, timestamps, dates, enums) or an integer.
pub fn key_value<T: Serialize + ?Sized>(value: &T) -> Result<KeyValue, StoreError> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Ok(KeyValue::String(s)),
        Ok(serde_json::Value::Number(n)) if n.is_i64() => {
            Ok(KeyValue::Integer(n.as_i64().unwrap_or_default()))
        }
        Ok(other) => Err(StoreError::KeyValue(other.to_string())),
        Err(error) => Err(StoreError::KeyValue(error.to_string())),
    }
}

/// The attribute value of a typed field value: what it serializes to.
pub fn attribute_value<T: Serialize + ?Sized>(
    value: &T,
) -> Result<serde_json::Value, serde_json::Error> {
    serde_json::to_value(value)
}

/// `value` of attribute `name` as a DynamoDB value.
fn encode<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<AttributeValue, StoreError> {
    serde_dynamo::to_attribute_value(value).map_err(|source| StoreError::Encode {
        attribute: name.to_owned(),
        source,
    })
}

/// Attributes encoded for DynamoDB as they are inserted, under static names: what generated
/// projections build, so that a typed field becomes an `AttributeValue` without a JSON value
/// in between. A `None` (null) value removes the attribute.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Encoded(Vec<(&'static str, AttributeValue)>);

impl Encoded {
    /// No attributes, with room for `capacity`.
    pub fn with_capacity(capacity: usize) -> Self {
        Self(Vec::with_capacity(capacity))
    }

    /// Sets attribute `name` to what `value` serializes to (`None` removes it).
    pub fn insert<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), StoreError> {
        self.0.push((name, encode(name, value)?));
        Ok(())
    }

    /// The attributes in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &AttributeValue)> {
        self.0.iter().map(|(name, value)| (*name, value))
    }
}

/// The key of a row: its partition value and, when the table has a sort key, its sort value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// The partition key value.
    pub partition: KeyValue,
    /// The sort key value.
    pub sort: Option<KeyValue>,
}

impl Key {
    /// A key of a table without sort key.
    pub fn partition(partition: impl Into<KeyValue>) -> Self {
        Self {
            partition: partition.into(),
            sort: None,
        }
    }

    /// A key of a table with a sort key.
    pub fn with_sort(partition: impl Into<KeyValue>, sort: impl Into<KeyValue>) -> Self {
        Self {
            partition: partition.into(),
            sort: Some(sort.into()),
        }
    }
}

/// The key attributes of a table or index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySchema {
    /// The partition key attribute.
    pub partition: String,
    /// The sort key attribute.
    pub sort: Option<String>,
}

impl KeySchema {
    /// A key of one attribute.
    pub fn partition(partition: impl Into<String>) -> Self {
        Self {
            partition: partition.into(),
            sort: None,
        }
    }

    /// A key of two attributes.
    pub fn with_sort(partition: impl Into<String>, sort: impl Into<String>) -> Self {
        Self {
            partition: partition.into(),
            sort: Some(sort.into()),
        }
    }

    /// The attribute names and values of `key`, checked against this schema.
    fn attributes<'k>(&self, key: &'k Key) -> Result<Vec<(&str, &'k KeyValue)>, StoreError> {
        match (&self.sort, &key.sort) {
            (None, None) => Ok(vec![(&self.partition, &key.partition)]),
            (Some(name), Some(sort)) => Ok(vec![(&self.partition, &key.partition), (name, sort)]),
            (expected, _) => Err(StoreError::KeyShape {
                sort_expected: expected.is_some(),
            }),
        }
    }

    fn is_key_attribute(&self, name: &str) -> bool {
        self.partition == name || self.sort.as_deref() == Some(name)
    }
}

/// The keys of a view's table and of its secondary indexes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSchema {
    /// The table's key.
    pub key: KeySchema,
    /// Secondary indexes by name.
    pub indexes: BTreeMap<String, KeySchema>,
}

impl TableSchema {
    /// A table with `key` and no secondary index.
    pub fn new(key: KeySchema) -> Self {
        Self {
            key,
            indexes: BTreeMap::new(),
        }
    }

    /// This schema with the secondary index `name` keyed by `key`.
    pub fn with_index(mut self, name: impl Into<String>, key: KeySchema) -> Self {
        self.indexes.insert(name.into(), key);
        self
    }

    fn index(&self, name: &str) -> Result<&KeySchema, StoreError> {
        self.indexes
            .get(name)
            .ok_or_else(|| StoreError::UnknownIndex(name.to_owned()))
    }
}

/// A change of one row, by one event.
#[derive(Debug, Clone, PartialEq)]
pub struct Write {
    /// The row's key.
    pub key: Key,
    /// The version of the event the change comes from.
    pub version: Version,
    /// What changes.
    pub operation: Operation,
}

/// What a [`Write`] does to its row.
#[derive(Debug, Clone, PartialEq)]
pub enum Operation {
    /// Creates the row or sets the given attributes; the key attributes come from the key (the
    /// same names among the values are ignored), and the row is undeleted.
    Upsert(Values),
    /// Sets the given attributes of a live row (one whose newest write is an upsert): never
    /// creates or undeletes a row. For hooks that amend rows other events own; unlike upserts
    /// and deletes, a patch that arrives before the row exists is dropped.
    Patch(Values),
    /// Deletes the row: a tombstone is kept (even when there is no row yet).
    Delete,
}

/// The attribute values of an upsert: JSON, or already encoded for DynamoDB (what generated
/// projections build). A `null` (`None`) value removes the attribute.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Attribute name -> JSON value.
    Json(Attributes),
    /// Attributes encoded as they were inserted.
    Encoded(Encoded),
}

impl From<Attributes> for Values {
    fn from(attributes: Attributes) -> Self {
        Values::Json(attributes)
    }
}

impl From<Encoded> for Values {
    fn from(attributes: Encoded) -> Self {
        Values::Encoded(attributes)
    }
}

impl Operation {
    /// What the operation is, for the merge rule.
    fn kind(&self) -> WriteKind {
        match self {
            Operation::Upsert(_) => WriteKind::Upsert,
            Operation::Patch(_) => WriteKind::Patch,
            Operation::Delete => WriteKind::Delete,
        }
    }
}

impl Write {
    /// An upsert of the row `key` by the event of `version`.
    pub fn upsert(key: Key, values: impl Into<Values>, version: Version) -> Self {
        Self {
            key,
            version,
            operation: Operation::Upsert(values.into()),
        }
    }

    /// A patch of the live row `key` by the event of `version`.
    pub fn patch(key: Key, values: impl Into<Values>, version: Version) -> Self {
        Self {
            key,
            version,
            operation: Operation::Patch(values.into()),
        }
    }

    /// A delete of the row `key` by the event of `version`.
    pub fn delete(key: Key, version: Version) -> Self {
        Self {
            key,
            version,
            operation: Operation::Delete,
        }
    }

    /// The attributes an upsert sets or removes, without the key attributes of `schema`;
    /// fails when one of them is reserved.
    fn attributes<'w>(&'w self, schema: &KeySchema) -> Result<Vec<Attribute<'w>>, StoreError> {
        let attributes: Vec<Attribute<'w>> = match &self.operation {
            Operation::Upsert(Values::Json(attributes))
            | Operation::Patch(Values::Json(attributes)) => attributes
                .iter()
                .map(|(name, value)| Attribute::Json(name, value))
                .collect(),
            Operation::Upsert(Values::Encoded(attributes))
            | Operation::Patch(Values::Encoded(attributes)) => attributes
                .iter()
                .map(|(name, value)| Attribute::Encoded(name, value))
                .collect(),
            Operation::Delete => Vec::new(),
        };
        let mut kept = Vec::with_capacity(attributes.len());
        for attribute in attributes {
            let name = attribute.name();
            if is_reserved(name) {
                return Err(StoreError::Reserved(name.to_owned()));
            }
            if !schema.is_key_attribute(name) {
                kept.push(attribute);
            }
        }
        Ok(kept)
    }
}

/// What `write`, whose attributes (without the key) are `attributes`, changes in a row
/// holding `meta` (see [`cqrsgen_events::merge`]); `None` when it changes nothing.
fn plan(meta: &RowMeta, write: &Write, attributes: &[Attribute<'_>]) -> Option<Plan> {
    cqrsgen_events::merge::plan(
        meta,
        write.operation.kind(),
        write.version,
        attributes.iter().map(Attribute::name),
    )
}

/// Whether the store manages attribute `name` itself.
fn is_reserved(name: &str) -> bool {
    RESERVED.contains(&name) || name.starts_with(BOOKKEEPING_PREFIX)
}

/// One attribute of a write, as JSON or already encoded.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Attribute<'w> {
    Json(&'w str, &'w serde_json::Value),
    Encoded(&'w str, &'w AttributeValue),
}

impl<'w> Attribute<'w> {
    fn name(&self) -> &'w str {
        match self {
            Attribute::Json(name, _) | Attribute::Encoded(name, _) => name,
        }
    }

    /// Whether the write removes the attribute.
    fn is_removal(&self) -> bool {
        match self {
            Attribute::Json(_, value) => value.is_null(),
            Attribute::Encoded(_, value) => value.is_null(),
        }
    }
}

/// How a write went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The row was written.
    Written,
    /// Nothing changed: the row already held this event, or newer ones for everything it
    /// writes.
    Stale,
}

/// A view store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The key has a sort value where the table has no sort key, or the other way round.
    #[error("the key {} a sort value, unlike the table", if *sort_expected { "lacks" } else { "has" })]
    KeyShape {
        /// Whether the table has a sort key.
        sort_expected: bool,
    },
    /// The query names an index the table does not have.
    #[error("the table has no index `{0}`")]
    UnknownIndex(String),
    /// An upsert sets an attribute the store manages itself.
    #[error("attribute `{0}` is reserved for the view store")]
    Reserved(String),
    /// The row kept changing while a write was being applied, more often than it is retried.
    #[error("the row changed concurrently {attempts} times while the write was applied")]
    Contention {
        /// How many times the write was tried.
        attempts: u32,
    },
    /// A stored row holds bookkeeping that the store did not write.
    #[error("the stored row's attribute `{attribute}` is not a version")]
    Bookkeeping {
        /// The attribute.
        attribute: String,
    },
    /// A key field holds a value that is neither a string nor an integer (e.g. `null`).
    #[error("a key value must be a string or an integer, not {0}")]
    KeyValue(String),
    /// A value cannot be stored as a DynamoDB attribute.
    #[error("cannot encode attribute `{attribute}`: {source}")]
    Encode {
        /// The attribute.
        attribute: String,
        /// Why.
        source: serde_dynamo::Error,
    },
    /// A stored row does not have the shape of the row type.
    #[error("cannot decode a stored row: {0}")]
    Decode(String),
    /// The request to the database failed.
    #[error("view store request failed: {0}")]
    Request(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Where a view's rows live.
pub trait ViewStore<Row>: Sync {
    /// The row with `key`, unless absent or deleted.
    fn get(&self, key: &Key) -> impl Future<Output = Result<Option<Row>, StoreError>> + Send;

    /// The rows of the partition `partition`, in sort key order, without deleted rows.
    fn query_partition(
        &self,
        partition: &KeyValue,
    ) -> impl Future<Output = Result<Vec<Row>, StoreError>> + Send;

    /// The rows whose partition value in the secondary index `index` is `partition`, in the
    /// index's sort key order, without deleted rows.
    fn query_index(
        &self,
        index: &str,
        partition: &KeyValue,
    ) -> impl Future<Output = Result<Vec<Row>, StoreError>> + Send;

    /// Applies `write` to the attributes it is newer for (see the [module](self) docs).
    fn apply(&self, write: &Write) -> impl Future<Output = Result<Applied, StoreError>> + Send;
}

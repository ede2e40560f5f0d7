//! The command side: an upstream service's own table of entities, written the way its
//! trigger reads it.
//!
//! # The table layout (single-table convention)
//!
//! Every entity of a service lives in the service's one table, one row per entity value:
//!
//! | Attribute | Value |
//! |---|---|
//! | `pk` ([`PK`]) | the entity's key, as a string (integers in decimal) |
//! | `sk` ([`SK`]) | the entity's name, e.g. `order` |
//! | `discriminator` | the entity's name again: what the trigger dispatches on |
//! | `timestamp` | epoch milliseconds of the write; also the row's version |
//! | `deleted` | `true` once soft-deleted, absent otherwise |
//! | `latched` | never written here: commands leave it absent, so the trigger publishes |
//! | the entity's fields | under their wire names, as serde_dynamo encodes them |
//!
//! Entities of one service may share a key value (an order and its invoice under the order's
//! id): their rows share `pk` and differ in `sk`, and [`EntityTable::query`] reads them
//! together.
//!
//! # Concurrency
//!
//! A row's `timestamp` is its version. Every write but [`Repository::create`] names the
//! version the caller read (`expected`) and is a conditional write on it; every write sets
//! a timestamp newer than the one it replaces (the clock's time, or one millisecond past
//! the old one when the clock is behind), so two writes never leave the same version. When
//! another writer got there first the write changes nothing and fails with
//! [`RepositoryError::Conflict`] (see [`RepositoryError::is_conflict`]): read again, re-apply
//! the change, write again.
//!
//! # Backends
//!
//! [`EntityTable`] has a DynamoDB implementation ([`DynamoEntityTable`]) and one in memory
//! ([`InMemoryEntityTable`]) that also records the DynamoDB Streams records
//! (`NEW_AND_OLD_IMAGES`) its writes would produce, so tests can feed them to a trigger.
//! [`AnyEntityTable`] picks one at construction, which is what generated repositories hold.

mod any;
mod dynamo;
mod memory;

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use aws_sdk_dynamodb::types::AttributeValue;
use cqrsgen_events::{Validate, ValidationErrors};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use any::AnyEntityTable;
pub use dynamo::DynamoEntityTable;
pub use memory::InMemoryEntityTable;

pub use crate::stream::{DELETED, DISCRIMINATOR, LATCHED, TIMESTAMP};

/// The partition key attribute of an entity table: the entity's key.
pub const PK: &str = "pk";
/// The sort key attribute of an entity table: the entity's name.
pub const SK: &str = "sk";

/// A DynamoDB item: attribute name -> value.
pub type Item = HashMap<String, AttributeValue>;

/// The condition of a conditional write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// The row does not exist (`attribute_not_exists(pk)`).
    Absent,
    /// The row exists with this `timestamp` (`#timestamp = :expected`).
    Version(i64),
}

/// A request to the table failed (not a failed condition: that is a `false` result).
#[derive(Debug, thiserror::Error)]
#[error("entity table request failed: {0}")]
pub struct TableError(#[source] pub Box<dyn std::error::Error + Send + Sync>);

/// Where a service's entity rows live. Items carry their `pk` and `sk`.
pub trait EntityTable: Sync {
    /// The row `pk`/`sk`, read consistently.
    fn get(
        &self,
        pk: &str,
        sk: &str,
    ) -> impl Future<Output = Result<Option<Item>, TableError>> + Send;

    /// Every row whose `pk` is `pk`, in `sk` order (soft-deleted rows included).
    fn query(&self, pk: &str) -> impl Future<Output = Result<Vec<Item>, TableError>> + Send;

    /// Writes `item` whole (replacing the row) if `condition` holds: `false` when it does
    /// not, and nothing was written.
    fn put(
        &self,
        item: Item,
        condition: Option<Condition>,
    ) -> impl Future<Output = Result<bool, TableError>> + Send;

    /// Deletes the row `pk`/`sk` if `condition` holds: `false` when it does not.
    fn delete(
        &self,
        pk: &str,
        sk: &str,
        condition: Option<Condition>,
    ) -> impl Future<Output = Result<bool, TableError>> + Send;
}

/// Where the time of writes comes from, in epoch milliseconds.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Now, in epoch milliseconds.
    fn now_ms(&self) -> i64;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or_default()
    }
}

/// A clock that says what it is told: for tests.
#[derive(Debug, Default)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    /// A clock at `now_ms`.
    pub fn new(now_ms: i64) -> Self {
        Self(AtomicI64::new(now_ms))
    }

    /// Sets the time.
    pub fn set(&self, now_ms: i64) {
        self.0.store(now_ms, Ordering::SeqCst);
    }

    /// Moves the time forward by `ms`.
    pub fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// An entity type of a service: what its generated struct tells the repository.
pub trait Entity: Serialize + DeserializeOwned + Validate + Clone + Send + Sync {
    /// The entity's name: its rows' `sk` and `discriminator`.
    const NAME: &'static str;
    /// The type of its key field.
    type Key: Serialize + ?Sized + Sync;
    /// The key field's value.
    fn key(&self) -> &Self::Key;
}

/// An entity as stored: the value, its version and whether it is soft-deleted.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored<E> {
    /// The entity.
    pub entity: E,
    /// The row's `timestamp` (epoch milliseconds of its last write): pass it as `expected`
    /// to the next write.
    pub version: i64,
    /// Whether the row is soft-deleted.
    pub deleted: bool,
}

impl<E: Entity> Stored<E> {
    /// The entity of a stored row.
    pub fn decode(item: &Item) -> Result<Self, RepositoryError> {
        let version = match item.get(TIMESTAMP) {
            Some(AttributeValue::N(n)) => n.parse().ok(),
            _ => None,
        };
        let entity =
            serde_dynamo::from_item(item.clone()).map_err(|e| RepositoryError::Decode {
                entity: E::NAME,
                message: e.to_string(),
            })?;
        Ok(Self {
            entity,
            version: version.ok_or_else(|| RepositoryError::Decode {
                entity: E::NAME,
                message: format!("the row has no numeric `{TIMESTAMP}`"),
            })?,
            deleted: matches!(item.get(DELETED), Some(AttributeValue::Bool(true))),
        })
    }
}

/// A write or read through a [`Repository`] failed.
#[derive(Debug, thiserror::Error)]
pub enum RepositoryError {
    /// The entity breaks a constraint of the spec; nothing was written.
    #[error("{entity} `{key}` is invalid: {errors}")]
    Invalid {
        /// The entity's name.
        entity: &'static str,
        /// Its key.
        key: String,
        /// Every violation.
        errors: ValidationErrors,
    },
    /// `create` found a row with the key (live or soft-deleted).
    #[error("{entity} `{key}` already exists")]
    Exists {
        /// The entity's name.
        entity: &'static str,
        /// Its key.
        key: String,
    },
    /// There is no row with the key.
    #[error("{entity} `{key}` does not exist")]
    NotFound {
        /// The entity's name.
        entity: &'static str,
        /// Its key.
        key: String,
    },
    /// The row is not at the version the caller read: someone else wrote it since. Read it
    /// again and retry.
    #[error("{entity} `{key}` changed concurrently: expected version {expected}, found {found}")]
    Conflict {
        /// The entity's name.
        entity: &'static str,
        /// Its key.
        key: String,
        /// The version the caller read.
        expected: i64,
        /// The version found (or, when the row changed between the read and the write,
        /// the version read before it).
        found: i64,
    },
    /// The row is soft-deleted: only `undelete` and `remove` apply to it.
    #[error("{entity} `{key}` is soft-deleted; undelete it first")]
    Deleted {
        /// The entity's name.
        entity: &'static str,
        /// Its key.
        key: String,
    },
    /// `undelete` of a row that is not soft-deleted.
    #[error("{entity} `{key}` is not soft-deleted")]
    NotDeleted {
        /// The entity's name.
        entity: &'static str,
        /// Its key.
        key: String,
    },
    /// A partial update changed the key field, which would move the entity to another row.
    #[error("{entity} `{key}`: an update cannot change the key (to `{new_key}`)")]
    KeyChanged {
        /// The entity's name.
        entity: &'static str,
        /// Its key.
        key: String,
        /// The key the update set.
        new_key: String,
    },
    /// The key field does not serialize to a string or an integer.
    #[error("{entity}: a key must be a string or an integer, not {value}")]
    Key {
        /// The entity's name.
        entity: &'static str,
        /// What it serialized to.
        value: String,
    },
    /// The entity cannot be encoded as a DynamoDB item.
    #[error("{entity} `{key}` cannot be stored: {message}")]
    Encode {
        /// The entity's name.
        entity: &'static str,
        /// Its key.
        key: String,
        /// Why.
        message: String,
    },
    /// A stored row does not have the shape of the entity.
    #[error("a stored {entity} cannot be read: {message}")]
    Decode {
        /// The entity's name.
        entity: &'static str,
        /// Why.
        message: String,
    },
    /// The table request failed.
    #[error(transparent)]
    Table(#[from] TableError),
}

impl RepositoryError {
    /// Whether the write lost a race with another writer: read again and retry.
    pub fn is_conflict(&self) -> bool {
        matches!(self, RepositoryError::Conflict { .. })
    }
}

/// The `pk` of a key value: strings as they are, integers in decimal.
pub fn partition_key<E: Entity>(key: &E::Key) -> Result<String, RepositoryError> {
    crate::store::key_value(key)
        .map(|k| k.to_string())
        .map_err(|e| RepositoryError::Key {
            entity: E::NAME,
            value: e.to_string(),
        })
}

/// The typed repository of entity `E` over a service's table: every write is what the
/// trigger expects (see the [module](self) docs) and checked against the spec first.
pub struct Repository<E> {
    table: Arc<AnyEntityTable>,
    clock: Arc<dyn Clock>,
    entity: PhantomData<fn() -> E>,
}

impl<E> Clone for Repository<E> {
    fn clone(&self) -> Self {
        Self {
            table: Arc::clone(&self.table),
            clock: Arc::clone(&self.clock),
            entity: PhantomData,
        }
    }
}

impl<E> fmt::Debug for Repository<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Repository")
            .field("table", &self.table)
            .field("clock", &self.clock)
            .finish()
    }
}

impl<E: Entity> Repository<E> {
    /// The repository of `E` in `table`, timing writes with `clock`.
    pub fn new(table: Arc<AnyEntityTable>, clock: Arc<dyn Clock>) -> Self {
        Self {
            table,
            clock,
            entity: PhantomData,
        }
    }

    /// The table.
    pub fn table(&self) -> &AnyEntityTable {
        &self.table
    }

    /// Writes a new entity (stream `INSERT`); fails with [`RepositoryError::Exists`] when
    /// its key has a row, soft-deleted or not.
    pub async fn create(&self, entity: &E) -> Result<Stored<E>, RepositoryError> {
        let key = partition_key::<E>(entity.key())?;
        check(entity, &key)?;
        let version = self.clock.now_ms();
        let item = encode(entity, &key, version, false)?;
        if self.table.put(item, Some(Condition::Absent)).await? {
            Ok(Stored {
                entity: entity.clone(),
                version,
                deleted: false,
            })
        } else {
            Err(RepositoryError::Exists {
                entity: E::NAME,
                key,
            })
        }
    }

    /// The entity with `key`, soft-deleted or not (see [`Stored::deleted`]).
    pub async fn get(&self, key: &E::Key) -> Result<Option<Stored<E>>, RepositoryError> {
        let key = partition_key::<E>(key)?;
        self.read(&key).await
    }

    /// Replaces the entity (stream `MODIFY`) if its row is still at version `expected`.
    pub async fn update(&self, entity: &E, expected: i64) -> Result<Stored<E>, RepositoryError> {
        let key = partition_key::<E>(entity.key())?;
        let current = self.current(&key, expected).await?;
        if current.deleted {
            return Err(RepositoryError::Deleted {
                entity: E::NAME,
                key,
            });
        }
        self.write(&key, entity.clone(), expected, false).await
    }

    /// Changes some fields of the entity with `key` (stream `MODIFY`) if its row is still
    /// at version `expected`: what the generated `set_<field>` methods call.
    pub async fn modify(
        &self,
        key: &E::Key,
        expected: i64,
        change: impl FnOnce(&mut E) + Send,
    ) -> Result<Stored<E>, RepositoryError> {
        let key = partition_key::<E>(key)?;
        let mut current = self.current(&key, expected).await?;
        if current.deleted {
            return Err(RepositoryError::Deleted {
                entity: E::NAME,
                key,
            });
        }
        change(&mut current.entity);
        self.write(&key, current.entity, expected, false).await
    }

    /// Soft-deletes the entity with `key` (`deleted: true`, a stream `MODIFY` the trigger
    /// reads as a soft delete) if its row is still at version `expected`.
    pub async fn soft_delete(
        &self,
        key: &E::Key,
        expected: i64,
    ) -> Result<Stored<E>, RepositoryError> {
        let key = partition_key::<E>(key)?;
        let current = self.current(&key, expected).await?;
        if current.deleted {
            return Err(RepositoryError::Deleted {
                entity: E::NAME,
                key,
            });
        }
        self.write(&key, current.entity, expected, true).await
    }

    /// Undoes a soft delete of the entity with `key` (`deleted` removed, a stream `MODIFY`
    /// the trigger reads as an undelete) if its row is still at version `expected`.
    pub async fn undelete(
        &self,
        key: &E::Key,
        expected: i64,
    ) -> Result<Stored<E>, RepositoryError> {
        let key = partition_key::<E>(key)?;
        let current = self.current(&key, expected).await?;
        if !current.deleted {
            return Err(RepositoryError::NotDeleted {
                entity: E::NAME,
                key,
            });
        }
        self.write(&key, current.entity, expected, false).await
    }

    /// Removes the row of the entity with `key` (a hard delete, stream `REMOVE`) if it is
    /// still at version `expected`, soft-deleted or not.
    pub async fn remove(&self, key: &E::Key, expected: i64) -> Result<(), RepositoryError> {
        let key = partition_key::<E>(key)?;
        self.current(&key, expected).await?;
        if self
            .table
            .delete(&key, E::NAME, Some(Condition::Version(expected)))
            .await?
        {
            Ok(())
        } else {
            Err(RepositoryError::Conflict {
                entity: E::NAME,
                key,
                expected,
                found: expected,
            })
        }
    }

    async fn read(&self, key: &str) -> Result<Option<Stored<E>>, RepositoryError> {
        match self.table.get(key, E::NAME).await? {
            Some(item) => Stored::decode(&item).map(Some),
            None => Ok(None),
        }
    }

    /// The row `key`, which must exist at version `expected`.
    async fn current(&self, key: &str, expected: i64) -> Result<Stored<E>, RepositoryError> {
        let Some(current) = self.read(key).await? else {
            return Err(RepositoryError::NotFound {
                entity: E::NAME,
                key: key.to_owned(),
            });
        };
        if current.version != expected {
            return Err(RepositoryError::Conflict {
                entity: E::NAME,
                key: key.to_owned(),
                expected,
                found: current.version,
            });
        }
        Ok(current)
    }

    /// Writes `entity` over the row `key` at version `expected`.
    async fn write(
        &self,
        key: &str,
        entity: E,
        expected: i64,
        deleted: bool,
    ) -> Result<Stored<E>, RepositoryError> {
        let new_key = partition_key::<E>(entity.key())?;
        if new_key != key {
            return Err(RepositoryError::KeyChanged {
                entity: E::NAME,
                key: key.to_owned(),
                new_key,
            });
        }
        check(&entity, key)?;
        let version = self.clock.now_ms().max(expected.saturating_add(1));
        let item = encode(&entity, key, version, deleted)?;
        if self
            .table
            .put(item, Some(Condition::Version(expected)))
            .await?
        {
            Ok(Stored {
                entity,
                version,
                deleted,
            })
        } else {
            Err(RepositoryError::Conflict {
                entity: E::NAME,
                key: key.to_owned(),
                expected,
                found: expected,
            })
        }
    }
}

fn check<E: Entity>(entity: &E, key: &str) -> Result<(), RepositoryError> {
    entity
        .validate()
        .map_err(|errors| RepositoryError::Invalid {
            entity: E::NAME,
            key: key.to_owned(),
            errors,
        })
}

/// The row of `entity`, in the table's layout.
pub fn encode<E: Entity>(
    entity: &E,
    key: &str,
    timestamp: i64,
    deleted: bool,
) -> Result<Item, RepositoryError> {
    let mut item: Item = serde_dynamo::to_item(entity).map_err(|e| RepositoryError::Encode {
        entity: E::NAME,
        key: key.to_owned(),
        message: e.to_string(),
    })?;
    item.insert(PK.to_owned(), AttributeValue::S(key.to_owned()));
    item.insert(SK.to_owned(), AttributeValue::S(E::NAME.to_owned()));
    item.insert(
        DISCRIMINATOR.to_owned(),
        AttributeValue::S(E::NAME.to_owned()),
    );
    item.insert(
        TIMESTAMP.to_owned(),
        AttributeValue::N(timestamp.to_string()),
    );
    if deleted {
        item.insert(DELETED.to_owned(), AttributeValue::Bool(true));
    }
    Ok(item)
}

/// The `discriminator` of a stored row: which entity it holds.
pub fn discriminator(item: &Item) -> Option<&str> {
    match item.get(DISCRIMINATOR) {
        Some(AttributeValue::S(s)) => Some(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests;

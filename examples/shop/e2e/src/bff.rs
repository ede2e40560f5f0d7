//! Writes entity rows into a service's own table, as the service's BFF (its command side)
//! does: the single-table convention the generated trigger reads.
//!
//! A row holds the entity's fields under their wire names plus `pk` (the entity's key),
//! `sk` and `discriminator` (the entity's name), `timestamp` (epoch milliseconds of the
//! change) and `deleted: true` once soft-deleted. Rows written by listeners carry
//! `latched: true` (see [`EntityTable::put_latched`]).

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use cqrsgen_runtime::stream::{DELETED, DISCRIMINATOR, LATCHED, TIMESTAMP};
use serde::Serialize;

use crate::{HarnessError, Result};

/// The partition key attribute of an entity table.
pub const PK: &str = "pk";
/// The sort key attribute of an entity table.
pub const SK: &str = "sk";

/// One row to write.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a, E> {
    /// The entity's name, e.g. `order`: the row's discriminator and sort key.
    pub entity: &'a str,
    /// The entity's key value.
    pub key: &'a str,
    /// The entity.
    pub value: &'a E,
    /// When the change happened, in epoch milliseconds.
    pub timestamp: i64,
    /// Whether the row is soft-deleted.
    pub deleted: bool,
}

/// A service's entity table.
#[derive(Debug, Clone)]
pub struct EntityTable {
    client: aws_sdk_dynamodb::Client,
    name: String,
}

impl EntityTable {
    /// The table `name`.
    pub fn new(client: aws_sdk_dynamodb::Client, name: impl Into<String>) -> Self {
        Self {
            client,
            name: name.into(),
        }
    }

    /// The table's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Writes `row` as a command does (not latched).
    pub async fn put<E: Serialize>(&self, row: Row<'_, E>) -> Result<()> {
        self.write(row, false).await
    }

    /// Writes `row` as a listener does: with the loop guard's `latched: true`.
    pub async fn put_latched<E: Serialize>(&self, row: Row<'_, E>) -> Result<()> {
        self.write(row, true).await
    }

    /// Removes the row of `entity` `key` (a hard delete).
    pub async fn remove(&self, entity: &str, key: &str) -> Result<()> {
        self.client
            .delete_item()
            .table_name(&self.name)
            .key(PK, AttributeValue::S(key.to_owned()))
            .key(SK, AttributeValue::S(entity.to_owned()))
            .send()
            .await
            .map_err(|e| HarnessError::aws("DeleteItem", e))?;
        Ok(())
    }

    async fn write<E: Serialize>(&self, row: Row<'_, E>, latched: bool) -> Result<()> {
        let mut item: HashMap<String, AttributeValue> = serde_dynamo::to_item(row.value)
            .map_err(|e| HarnessError::Data(format!("cannot store the entity: {e}")))?;
        item.insert(PK.into(), AttributeValue::S(row.key.to_owned()));
        item.insert(SK.into(), AttributeValue::S(row.entity.to_owned()));
        item.insert(
            DISCRIMINATOR.into(),
            AttributeValue::S(row.entity.to_owned()),
        );
        item.insert(
            TIMESTAMP.into(),
            AttributeValue::N(row.timestamp.to_string()),
        );
        if row.deleted {
            item.insert(DELETED.into(), AttributeValue::Bool(true));
        }
        if latched {
            item.insert(LATCHED.into(), AttributeValue::Bool(true));
        }
        self.client
            .put_item()
            .table_name(&self.name)
            .set_item(Some(item))
            .send()
            .await
            .map_err(|e| HarnessError::aws("PutItem", e))?;
        Ok(())
    }
}

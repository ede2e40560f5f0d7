//! An entity table whose backend is chosen when it is built.

use super::{Condition, DynamoEntityTable, EntityTable, InMemoryEntityTable, Item, TableError};

/// An entity table on DynamoDB or in memory, chosen by construction, so that generated
/// repositories name one table type and tests run the same code without AWS.
///
/// DynamoDB requests are boxed: the SDK's futures are deeply nested types.
#[derive(Debug)]
pub enum AnyEntityTable {
    /// Rows in a DynamoDB table.
    Dynamo(DynamoEntityTable),
    /// Rows in memory.
    InMemory(InMemoryEntityTable),
}

impl AnyEntityTable {
    /// The DynamoDB table `table`.
    pub fn dynamo(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        AnyEntityTable::Dynamo(DynamoEntityTable::new(client, table))
    }

    /// An empty table in memory.
    pub fn in_memory() -> Self {
        AnyEntityTable::InMemory(InMemoryEntityTable::default())
    }

    /// The in-memory table, when that is the backend.
    pub fn as_in_memory(&self) -> Option<&InMemoryEntityTable> {
        match self {
            AnyEntityTable::InMemory(table) => Some(table),
            AnyEntityTable::Dynamo(_) => None,
        }
    }
}

impl EntityTable for AnyEntityTable {
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, TableError> {
        match self {
            AnyEntityTable::Dynamo(table) => Box::pin(table.get(pk, sk)).await,
            AnyEntityTable::InMemory(table) => table.get(pk, sk).await,
        }
    }

    async fn query(&self, pk: &str) -> Result<Vec<Item>, TableError> {
        match self {
            AnyEntityTable::Dynamo(table) => Box::pin(table.query(pk)).await,
            AnyEntityTable::InMemory(table) => table.query(pk).await,
        }
    }

    async fn put(&self, item: Item, condition: Option<Condition>) -> Result<bool, TableError> {
        match self {
            AnyEntityTable::Dynamo(table) => Box::pin(table.put(item, condition)).await,
            AnyEntityTable::InMemory(table) => table.put(item, condition).await,
        }
    }

    async fn delete(
        &self,
        pk: &str,
        sk: &str,
        condition: Option<Condition>,
    ) -> Result<bool, TableError> {
        match self {
            AnyEntityTable::Dynamo(table) => Box::pin(table.delete(pk, sk, condition)).await,
            AnyEntityTable::InMemory(table) => table.delete(pk, sk, condition).await,
        }
    }
}

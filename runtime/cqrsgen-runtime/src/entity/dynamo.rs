//! The entity table on DynamoDB.

use aws_sdk_dynamodb::types::AttributeValue;

use super::{Condition, EntityTable, Item, PK, SK, TIMESTAMP, TableError};

/// A service's entity table in DynamoDB: `pk`/`sk` keyed, with a stream
/// (`NEW_AND_OLD_IMAGES`) that the service's trigger reads.
#[derive(Debug, Clone)]
pub struct DynamoEntityTable {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

impl DynamoEntityTable {
    /// The table named `table`.
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    /// The table's name.
    pub fn name(&self) -> &str {
        &self.table
    }

    fn key(pk: &str, sk: &str) -> Item {
        Item::from([
            (PK.to_owned(), AttributeValue::S(pk.to_owned())),
            (SK.to_owned(), AttributeValue::S(sk.to_owned())),
        ])
    }
}

/// The condition expression, names and values of `condition`.
fn expression(condition: Condition) -> (String, Item, Vec<(String, String)>) {
    match condition {
        Condition::Absent => (
            "attribute_not_exists(#pk)".to_owned(),
            Item::new(),
            vec![("#pk".to_owned(), PK.to_owned())],
        ),
        Condition::Version(expected) => (
            "#timestamp = :expected".to_owned(),
            Item::from([(
                ":expected".to_owned(),
                AttributeValue::N(expected.to_string()),
            )]),
            vec![("#timestamp".to_owned(), TIMESTAMP.to_owned())],
        ),
    }
}

fn request<E: std::error::Error + Send + Sync + 'static>(error: E) -> TableError {
    TableError(Box::new(error))
}

impl EntityTable for DynamoEntityTable {
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, TableError> {
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(pk, sk)))
            .consistent_read(true)
            .send()
            .await
            .map_err(request)?;
        Ok(output.item)
    }

    async fn query(&self, pk: &str) -> Result<Vec<Item>, TableError> {
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let output = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("#pk = :pk")
                .expression_attribute_names("#pk", PK)
                .expression_attribute_values(":pk", AttributeValue::S(pk.to_owned()))
                .consistent_read(true)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(request)?;
            items.extend(output.items().iter().cloned());
            start = output.last_evaluated_key().cloned();
            if start.is_none() {
                return Ok(items);
            }
        }
    }

    async fn put(&self, item: Item, condition: Option<Condition>) -> Result<bool, TableError> {
        let mut request_builder = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item));
        if let Some(condition) = condition {
            let (expression, values, names) = expression(condition);
            request_builder = request_builder.condition_expression(expression);
            for (name, attribute) in names {
                request_builder = request_builder.expression_attribute_names(name, attribute);
            }
            if !values.is_empty() {
                request_builder = request_builder.set_expression_attribute_values(Some(values));
            }
        }
        match request_builder.send().await {
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

    async fn delete(
        &self,
        pk: &str,
        sk: &str,
        condition: Option<Condition>,
    ) -> Result<bool, TableError> {
        let mut request_builder = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(pk, sk)));
        if let Some(condition) = condition {
            let (expression, values, names) = expression(condition);
            request_builder = request_builder.condition_expression(expression);
            for (name, attribute) in names {
                request_builder = request_builder.expression_attribute_names(name, attribute);
            }
            if !values.is_empty() {
                request_builder = request_builder.set_expression_attribute_values(Some(values));
            }
        }
        match request_builder.send().await {
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

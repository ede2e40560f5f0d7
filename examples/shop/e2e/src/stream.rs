//! Reads a table's DynamoDB stream from the emulator and wraps its records into the Lambda
//! event the generated trigger takes.
//!
//! Lambda's event source mapping reads the stream with `GetRecords` and hands the trigger a
//! batch of records; this module does the same by hand. Emulator shim: moto's `GetRecords`
//! answer lacks `eventSourceARN`, so the stream's ARN is filled in here, as Lambda does.

use aws_lambda_events::dynamodb::{Event, EventRecord, StreamViewType};
use aws_sdk_dynamodbstreams::types::{Record, ShardIteratorType};
use serde_dynamo::Item;

use crate::moto::{Moto, REGION};
use crate::{HarnessError, Result};

/// At most this many records go into one trigger invocation (the mapping's `BatchSize`).
pub const BATCH_SIZE: i32 = 100;

/// A reader of one table's stream, from its first record on.
#[derive(Debug)]
pub struct StreamReader {
    client: aws_sdk_dynamodbstreams::Client,
    arn: String,
    /// The next iterator of every shard (`None` once a shard is closed).
    iterators: Vec<Option<String>>,
}

impl StreamReader {
    /// A reader of the stream of table `table`, positioned at the oldest record.
    pub async fn open(moto: &Moto, table: &str) -> Result<Self> {
        let dynamodb = aws_sdk_dynamodb::Client::new(moto.config());
        let described = dynamodb
            .describe_table()
            .table_name(table)
            .send()
            .await
            .map_err(|e| HarnessError::aws(format!("DescribeTable {table}"), e))?;
        let arn = described
            .table()
            .and_then(|t| t.latest_stream_arn())
            .ok_or_else(|| HarnessError::Missing(format!("the stream of table `{table}`")))?
            .to_owned();
        let client = aws_sdk_dynamodbstreams::Client::new(moto.config());
        let stream = client
            .describe_stream()
            .stream_arn(&arn)
            .send()
            .await
            .map_err(|e| HarnessError::aws("DescribeStream", e))?;
        let mut iterators = Vec::new();
        for shard in stream
            .stream_description()
            .map(|d| d.shards())
            .unwrap_or_default()
        {
            let shard_id = shard.shard_id().unwrap_or_default();
            let iterator = client
                .get_shard_iterator()
                .stream_arn(&arn)
                .shard_id(shard_id)
                .shard_iterator_type(ShardIteratorType::TrimHorizon)
                .send()
                .await
                .map_err(|e| HarnessError::aws("GetShardIterator", e))?;
            iterators.push(iterator.shard_iterator().map(str::to_owned));
        }
        Ok(Self {
            client,
            arn,
            iterators,
        })
    }

    /// The records written since the last call (at most [`BATCH_SIZE`]), as the trigger's
    /// event; empty when the stream has nothing new.
    pub async fn next_batch(&mut self) -> Result<Event> {
        let mut event = Event::default();
        for iterator in &mut self.iterators {
            let Some(current) = iterator.clone() else {
                continue;
            };
            let limit = BATCH_SIZE - event.records.len() as i32;
            if limit == 0 {
                break;
            }
            let output = self
                .client
                .get_records()
                .shard_iterator(current)
                .limit(limit)
                .send()
                .await
                .map_err(|e| HarnessError::aws("GetRecords", e))?;
            *iterator = output.next_shard_iterator().map(str::to_owned);
            event
                .records
                .extend(output.records().iter().map(|r| lambda_record(r, &self.arn)));
        }
        Ok(event)
    }
}

/// A stream record in the shape of the Lambda event.
fn lambda_record(record: &Record, stream_arn: &str) -> EventRecord {
    let mut wrapped = EventRecord::default();
    wrapped.event_id = record.event_id().unwrap_or_default().to_owned();
    wrapped.event_name = record
        .event_name()
        .map(|name| name.as_str().to_owned())
        .unwrap_or_default();
    wrapped.event_source = Some("aws:dynamodb".to_owned());
    wrapped.event_version = record.event_version().map(str::to_owned);
    wrapped.aws_region = record.aws_region().unwrap_or(REGION).to_owned();
    wrapped.event_source_arn = Some(stream_arn.to_owned());
    if let Some(change) = record.dynamodb() {
        let item = |image: Option<&std::collections::HashMap<_, _>>| {
            image.cloned().map(Item::from).unwrap_or_default()
        };
        wrapped.change.keys = item(change.keys());
        wrapped.change.new_image = item(change.new_image());
        wrapped.change.old_image = item(change.old_image());
        wrapped.change.sequence_number = change.sequence_number().map(str::to_owned);
        wrapped.change.size_bytes = change.size_bytes().unwrap_or_default();
        wrapped.change.stream_view_type = Some(StreamViewType::NewAndOldImages);
        let created = change.approximate_creation_date_time();
        if let Some(time) = created.and_then(|t| chrono::DateTime::from_timestamp(t.secs(), 0)) {
            wrapped.change.approximate_creation_date_time = time;
        }
    }
    wrapped
}

//! The entity table in memory, recording the stream records its writes produce.

use std::collections::BTreeMap;
use std::sync::Mutex;

use aws_lambda_events::dynamodb::{Event, EventRecord};
use aws_sdk_dynamodb::types::AttributeValue;

use super::{Condition, EntityTable, Item, PK, SK, TIMESTAMP, TableError};

/// The region the stream records of an [`InMemoryEntityTable`] name unless told otherwise.
pub const DEFAULT_REGION: &str = "us-east-1";

/// A service's entity table in memory. Besides the rows, it keeps the DynamoDB Streams
/// records (`NEW_AND_OLD_IMAGES`, in the shape of the Lambda event) that DynamoDB would
/// have produced for its writes, in order, until [`take_records`](Self::take_records).
#[derive(Debug)]
pub struct InMemoryEntityTable {
    region: String,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    rows: BTreeMap<(String, String), Item>,
    records: Vec<EventRecord>,
    sequence: u64,
}

impl Default for InMemoryEntityTable {
    fn default() -> Self {
        Self::new(DEFAULT_REGION)
    }
}

impl InMemoryEntityTable {
    /// An empty table whose stream records name `region` (`awsRegion`).
    pub fn new(region: impl Into<String>) -> Self {
        Self {
            region: region.into(),
            state: Mutex::new(State::default()),
        }
    }

    /// Every row, by `pk` and `sk`.
    pub fn snapshot(&self) -> BTreeMap<(String, String), Item> {
        self.lock().rows.clone()
    }

    /// The stream records written since the last call, oldest first.
    pub fn take_records(&self) -> Vec<EventRecord> {
        std::mem::take(&mut self.lock().records)
    }

    /// The stream records written since the last call, as the trigger's Lambda event.
    pub fn take_stream_event(&self) -> Event {
        let mut event = Event::default();
        event.records = self.take_records();
        event
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock leaves consistent data: every change is one insert.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn record(&self, state: &mut State, name: &str, new: Option<&Item>, old: Option<&Item>) {
        state.sequence += 1;
        let image = new.or(old).cloned().unwrap_or_default();
        let millis = match image.get(TIMESTAMP) {
            Some(AttributeValue::N(n)) => n.parse::<i64>().unwrap_or_default(),
            _ => 0,
        };
        let keys: Item = image
            .iter()
            .filter(|(name, _)| *name == PK || *name == SK)
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        let size = serde_json::to_string(&serde_dynamo::Item::from(image))
            .map(|s| s.len())
            .unwrap_or_default();
        let shell = serde_json::json!({
            "eventID": format!("mem-{:08}", state.sequence),
            "eventName": name,
            "eventSource": "aws:dynamodb",
            "eventVersion": "1.1",
            "awsRegion": self.region,
            "eventSourceARN": format!(
                "arn:aws:dynamodb:{}:000000000000:table/in-memory/stream/0", self.region
            ),
            "dynamodb": {
                "ApproximateCreationDateTime": millis / 1000,
                "SequenceNumber": format!("{:021}", state.sequence),
                "SizeBytes": size,
                "StreamViewType": "NEW_AND_OLD_IMAGES"
            }
        });
        // The shell has the Lambda event's shape, so it always deserializes.
        let Ok(mut record) = serde_json::from_value::<EventRecord>(shell) else {
            return;
        };
        record.change.keys = serde_dynamo::Item::from(keys);
        if let Some(new) = new {
            record.change.new_image = serde_dynamo::Item::from(new.clone());
        }
        if let Some(old) = old {
            record.change.old_image = serde_dynamo::Item::from(old.clone());
        }
        state.records.push(record);
    }
}

fn holds(current: Option<&Item>, condition: Option<Condition>) -> bool {
    match condition {
        None => true,
        Some(Condition::Absent) => current.is_none(),
        Some(Condition::Version(expected)) => current.is_some_and(|row| {
            matches!(row.get(TIMESTAMP), Some(AttributeValue::N(n)) if n.parse::<i64>() == Ok(expected))
        }),
    }
}

fn string(item: &Item, name: &str) -> String {
    match item.get(name) {
        Some(AttributeValue::S(s)) => s.clone(),
        _ => String::new(),
    }
}

impl EntityTable for InMemoryEntityTable {
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, TableError> {
        Ok(self
            .lock()
            .rows
            .get(&(pk.to_owned(), sk.to_owned()))
            .cloned())
    }

    async fn query(&self, pk: &str) -> Result<Vec<Item>, TableError> {
        Ok(self
            .lock()
            .rows
            .range((pk.to_owned(), String::new())..)
            .take_while(|((p, _), _)| p == pk)
            .map(|(_, item)| item.clone())
            .collect())
    }

    async fn put(&self, item: Item, condition: Option<Condition>) -> Result<bool, TableError> {
        let key = (string(&item, PK), string(&item, SK));
        let mut state = self.lock();
        let old = state.rows.get(&key).cloned();
        if !holds(old.as_ref(), condition) {
            return Ok(false);
        }
        let name = if old.is_some() { "MODIFY" } else { "INSERT" };
        self.record(&mut state, name, Some(&item), old.as_ref());
        state.rows.insert(key, item);
        Ok(true)
    }

    async fn delete(
        &self,
        pk: &str,
        sk: &str,
        condition: Option<Condition>,
    ) -> Result<bool, TableError> {
        let key = (pk.to_owned(), sk.to_owned());
        let mut state = self.lock();
        let old = state.rows.get(&key).cloned();
        if !holds(old.as_ref(), condition) {
            return Ok(false);
        }
        if let Some(old) = state.rows.remove(&key) {
            self.record(&mut state, "REMOVE", None, Some(&old));
        }
        Ok(true)
    }
}

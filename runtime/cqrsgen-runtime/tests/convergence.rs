//! Views converge whatever the delivery: for random writes (several rows, events of one
//! change sharing a timestamp, upserts of some attributes, removals, deletes), delivered in
//! any order, with duplicates and with deliveries that fail and are redelivered later, the
//! in-memory store ends up exactly where in-order, exactly-once application leaves a plain
//! model of the view (a map of rows where an upsert sets its attributes and a delete removes
//! the row). Delivered in SQS batches to a listener that applies several messages at once,
//! with writes to one row racing (the in-memory store yields between reading a row and its
//! conditional write), they end up exactly where one message at a time leaves them.

use std::collections::BTreeMap;

use std::num::NonZeroUsize;

use aws_lambda_events::sqs::{SqsEvent, SqsMessage};
use cqrsgen_runtime::deadline::Deadline;
use cqrsgen_runtime::listener::{
    BoxError, Decoded, ListenerConfig, MessageHandler, process_batch_with,
};
use cqrsgen_runtime::store::{
    Attributes, InMemoryViewStore, Key, KeySchema, TableSchema, Version, ViewStore, Write,
};
use proptest::prelude::*;
use serde_json::{Value, json};

/// The attributes a write may set.
const ATTRIBUTES: [&str; 4] = ["status", "total", "note", "cancelledAtMs"];

/// One event's write to one row.
#[derive(Debug, Clone)]
struct Event {
    row: u8,
    version: Version,
    /// `None`: a delete; otherwise attribute -> value (`null` removes it).
    upsert: Option<BTreeMap<&'static str, Value>>,
}

impl Event {
    fn write(&self) -> Write {
        let key = Key::partition(i64::from(self.row));
        match &self.upsert {
            None => Write::delete(key, self.version),
            Some(values) => {
                let attributes: Attributes = values
                    .iter()
                    .map(|(name, value)| ((*name).to_owned(), value.clone()))
                    .collect();
                Write::upsert(key, attributes, self.version)
            }
        }
    }
}

/// The visible rows of the plain model after applying `events` once each, in version order.
fn in_order(events: &[Event]) -> BTreeMap<u8, BTreeMap<String, Value>> {
    let mut ordered: Vec<&Event> = events.iter().collect();
    ordered.sort_by_key(|event| event.version);
    let mut rows: BTreeMap<u8, BTreeMap<String, Value>> = BTreeMap::new();
    for event in ordered {
        match &event.upsert {
            None => {
                rows.remove(&event.row);
            }
            Some(values) => {
                let row = rows.entry(event.row).or_default();
                for (name, value) in values {
                    if value.is_null() {
                        row.remove(*name);
                    } else {
                        row.insert((*name).to_owned(), value.clone());
                    }
                }
            }
        }
    }
    rows
}

/// The visible rows of `store`, without the store's own attributes.
async fn visible(
    store: &InMemoryViewStore<Value>,
    rows: u8,
) -> BTreeMap<u8, BTreeMap<String, Value>> {
    let mut visible = BTreeMap::new();
    for row in 0..rows {
        let stored = store
            .get(&Key::partition(i64::from(row)))
            .await
            .expect("a readable row");
        if let Some(Value::Object(attributes)) = stored {
            let attributes = attributes
                .into_iter()
                .filter(|(name, _)| ATTRIBUTES.contains(&name.as_str()))
                .collect();
            visible.insert(row, attributes);
        }
    }
    visible
}

const ROWS: u8 = 3;

/// Events of a few changes per row: each change has a timestamp from a small range (so that
/// different changes collide too) and one to three events (its siblings).
fn events() -> impl Strategy<Value = Vec<Event>> {
    let values = prop::collection::btree_map(
        prop::sample::select(&ATTRIBUTES[..]),
        prop_oneof![
            1 => Just(Value::Null),
            4 => (0..5_i64).prop_map(|n| json!(n)),
        ],
        0..=ATTRIBUTES.len(),
    );
    let write = prop_oneof![1 => Just(None), 4 => values.prop_map(Some)];
    let change = (0..ROWS, 0..6_i64, prop::collection::vec(write, 1..=3));
    prop::collection::vec(change, 1..12).prop_map(|changes| {
        changes
            .into_iter()
            .enumerate()
            .flat_map(|(change, (row, timestamp, writes))| {
                writes
                    .into_iter()
                    .enumerate()
                    .map(move |(sequence, upsert)| {
                        let id = format!("c{change}.{sequence}");
                        let sequence = u32::try_from(sequence).unwrap_or(u32::MAX);
                        Event {
                            version: Version::new(timestamp, sequence, &id),
                            row,
                            upsert,
                        }
                    })
            })
            .collect()
    })
}

/// A delivery: the events in some order, some twice, some failing first.
#[derive(Debug, Clone)]
struct Delivery {
    /// Indices into the events, in delivery order; a failed delivery applies nothing.
    attempts: Vec<(usize, bool)>,
}

fn delivery(count: usize) -> impl Strategy<Value = Delivery> {
    let order = Just((0..count).collect::<Vec<_>>()).prop_shuffle();
    let extra = prop::collection::vec((0..count, any::<bool>()), 0..count * 2);
    (order, extra).prop_map(move |(order, extra)| {
        // Every event is delivered successfully at least once (after any failures); extra
        // attempts are duplicates or failures, interleaved anywhere.
        let mut attempts: Vec<(usize, bool)> = order.into_iter().map(|i| (i, true)).collect();
        for (n, (index, succeeds)) in extra.into_iter().enumerate() {
            let at = (n * 7 + index * 3) % (attempts.len() + 1);
            attempts.insert(at, (index, succeeds));
        }
        Delivery { attempts }
    })
}

fn case() -> impl Strategy<Value = (Vec<Event>, Delivery)> {
    events().prop_flat_map(|events| {
        let count = events.len();
        (Just(events), delivery(count))
    })
}

fn store() -> InMemoryViewStore<Value> {
    InMemoryViewStore::new(TableSchema::new(KeySchema::partition("id")))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn any_delivery_converges_on_in_order_exactly_once((events, delivery) in case()) {
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
        let store = store();
        let actual = runtime.block_on(async {
            for (index, succeeds) in &delivery.attempts {
                if *succeeds {
                    store.apply(&events[*index].write()).await.expect("applied");
                }
            }
            visible(&store, ROWS).await
        });
        prop_assert_eq!(actual, in_order(&events));
    }
}

/// A listener applying `events[i]` for a body `i`; other bodies fail to decode.
struct Listener<'a> {
    events: &'a [Event],
    store: InMemoryViewStore<Value>,
}

impl MessageHandler for Listener<'_> {
    type Event = usize;
    type Error = BoxError;

    fn decode(&self, body: &str) -> Result<Decoded<usize>, BoxError> {
        Ok(Decoded::Event(body.parse()?))
    }

    async fn apply(&self, index: usize) -> Result<(), BoxError> {
        self.store.apply(&self.events[index].write()).await?;
        Ok(())
    }
}

/// The SQS batches of `delivery`, `size` messages each; a failing attempt is a body that does
/// not decode. Message ids are the attempt's position.
fn batches(delivery: &Delivery, size: usize) -> Vec<SqsEvent> {
    let messages: Vec<SqsMessage> = delivery
        .attempts
        .iter()
        .enumerate()
        .map(|(position, (index, succeeds))| {
            let mut message = SqsMessage::default();
            message.message_id = Some(position.to_string());
            message.body = Some(if *succeeds {
                index.to_string()
            } else {
                format!("poison {index}")
            });
            message
        })
        .collect();
    messages
        .chunks(size)
        .map(|chunk| {
            let mut event = SqsEvent::default();
            event.records = chunk.to_vec();
            event
        })
        .collect()
}

/// Processes `batches` with `concurrency`; the ids of the failed messages, batch by batch.
async fn listen(listener: &Listener<'_>, batches: &[SqsEvent], concurrency: usize) -> Vec<String> {
    let config = ListenerConfig {
        concurrency: NonZeroUsize::new(concurrency).expect("not zero"),
    };
    let mut failed = Vec::new();
    for batch in batches {
        let response = process_batch_with(listener, batch, &config, Deadline::NONE)
            .await
            .expect("every message has an id");
        failed.extend(
            response
                .batch_item_failures
                .into_iter()
                .map(|f| f.item_identifier),
        );
    }
    failed
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn concurrent_batches_converge_like_sequential_ones(
        (events, delivery) in case(),
        concurrency in 2..=8_usize,
        size in 1..=10_usize,
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
        let batches = batches(&delivery, size);
        let sequential = Listener { events: &events, store: store() };
        let concurrent = Listener { events: &events, store: store() };
        let (failed_in_order, failed_at_once) = runtime.block_on(async {
            (listen(&sequential, &batches, 1).await, listen(&concurrent, &batches, concurrency).await)
        });
        let poisoned: Vec<String> = delivery
            .attempts
            .iter()
            .enumerate()
            .filter(|(_, (_, succeeds))| !succeeds)
            .map(|(position, _)| position.to_string())
            .collect();
        prop_assert_eq!(&failed_in_order, &poisoned);
        prop_assert_eq!(&failed_at_once, &poisoned);
        // Whole rows, with the store's own attributes (timestamp, deleted, latched).
        prop_assert_eq!(concurrent.store.snapshot(), sequential.store.snapshot());
        let visible = runtime.block_on(visible(&concurrent.store, ROWS));
        prop_assert_eq!(visible, in_order(&events));
    }
}

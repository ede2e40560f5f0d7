//! Views converge whatever the delivery: for random writes (several rows, events of one
//! change sharing a timestamp, upserts of some attributes, removals, deletes), delivered in
//! any order, with duplicates and with deliveries that fail and are redelivered later, the
//! in-memory store ends up exactly where in-order, exactly-once application leaves a plain
//! model of the view (a map of rows where an upsert sets its attributes and a delete removes
//! the row).

use std::collections::BTreeMap;

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

//! The generated trigger and listener of the shop converge whatever the delivery.
//!
//! Random changes of orders (inserts, status changes including cancellations, which produce
//! `order-updated` and `order-cancelled` from one stream record, other modifications, soft
//! deletes) go through the generated `orders-bff` trigger mapping. Their events reach the
//! generated `shipping` listener (in-memory views) in any order, some twice, some only after
//! failed deliveries. The view must end up exactly as it does when every event is delivered
//! once, in the order it was published.

use cqrsgen_runtime::aws_lambda_events::dynamodb::EventRecord;
use cqrsgen_runtime::aws_lambda_events::sqs::SqsEvent;
use cqrsgen_runtime::envelope::Tags;
use cqrsgen_runtime::listener::process_batch;
use cqrsgen_runtime::stream::StreamRecord;
use cqrsgen_runtime::trigger::StreamMapper;
use proptest::prelude::*;
use serde_json::{Value, json};
use shop_orders_bff::types::{Address, Currency, OrderLine, OrderStatus};
use shop_orders_bff::{Mapper, Order};
use shop_shipping::{Listener, Views};
use shop_shipping_app::hooks::ServiceHooks;

/// What happens to an order in one change.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// The order's status becomes this one (`cancelled` cancels it).
    Status(OrderStatus),
    /// The parcel's weight changes.
    Weight(i64),
    /// The order is soft-deleted.
    Delete,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => prop::sample::select(vec![OrderStatus::Placed, OrderStatus::Paid, OrderStatus::Cancelled])
            .prop_map(Step::Status),
        2 => (0..3_000_i64).prop_map(Step::Weight),
        1 => Just(Step::Delete),
    ]
}

/// Per order (up to three), the steps after its insert; and how the changes interleave.
fn history() -> impl Strategy<Value = Vec<(u8, Option<Step>)>> {
    prop::collection::vec(prop::collection::vec(step(), 0..6), 1..=3)
        .prop_flat_map(|orders| {
            let mut changes = Vec::new();
            for (order, steps) in orders.iter().enumerate() {
                let order = u8::try_from(order).unwrap_or(u8::MAX);
                changes.push((order, None));
                changes.extend(steps.iter().map(|step| (order, Some(*step))));
            }
            // Changes of one order keep their order; orders interleave at random.
            let count = changes.len();
            (Just(changes), prop::collection::vec(any::<u8>(), count))
        })
        .prop_map(|(changes, keys)| {
            let mut per_order: Vec<Vec<(u8, Option<Step>)>> = Vec::new();
            for change in changes {
                let slot = usize::from(change.0);
                if per_order.len() <= slot {
                    per_order.resize(slot + 1, Vec::new());
                }
                per_order[slot].push(change);
            }
            let mut merged = Vec::new();
            let mut cursors = vec![0; per_order.len()];
            for key in keys {
                let live: Vec<usize> = (0..per_order.len())
                    .filter(|&o| cursors[o] < per_order[o].len())
                    .collect();
                let Some(&order) = live.get(usize::from(key) % live.len().max(1)) else {
                    break;
                };
                merged.push(per_order[order][cursors[order]]);
                cursors[order] += 1;
            }
            merged
        })
}

fn new_order(n: u8) -> Order {
    Order {
        id: uuid::Uuid::from_u128(u128::from(n) + 1),
        customer_id: uuid::Uuid::from_u128(7),
        status: OrderStatus::Placed,
        currency: Currency::Eur,
        total: rust_decimal::Decimal::TEN,
        weight_grams: 1_000,
        lines: vec![OrderLine {
            sku: "SKU-1".to_owned(),
            quantity: 1,
            unit_price: rust_decimal::Decimal::ONE,
        }],
        shipping_address: Address {
            line1: "Street 1".to_owned(),
            line2: None,
            city: "Berlin".to_owned(),
            postal_code: "10115".to_owned(),
            country: "DE".to_owned(),
        },
        placed_at: chrono::DateTime::from_timestamp_millis(1_700_000_000_000).expect("a time"),
        channel: None,
        note: None,
        cancellation_reason: None,
    }
}

/// The DynamoDB image of an order row as the orders-bff table holds it.
fn image(order: &Order, timestamp: i64, deleted: bool) -> Value {
    let mut item: serde_dynamo::Item = serde_dynamo::to_item(order).expect("an item");
    for (name, value) in [
        ("pk", json!(order.id.to_string())),
        ("sk", json!("order")),
        ("discriminator", json!("order")),
        ("timestamp", json!(timestamp)),
    ] {
        item.insert(
            name.to_owned(),
            serde_dynamo::to_attribute_value(value).expect("an attribute"),
        );
    }
    if deleted {
        item.insert(
            "deleted".to_owned(),
            serde_dynamo::to_attribute_value(true).expect("an attribute"),
        );
    }
    serde_json::to_value(item).expect("DynamoDB JSON")
}

/// The bodies of the events the trigger publishes for `history`, in publication order.
fn published(history: &[(u8, Option<Step>)]) -> Vec<String> {
    let mapper = Mapper::new(&Tags::from_lookup("orders-bff", |_| None).with_pipeline("trigger"));
    let mut orders: Vec<Option<(Order, bool)>> = vec![None; 3];
    let mut bodies = Vec::new();
    for (n, (order, step)) in history.iter().enumerate() {
        // Timestamps collide across orders, never within one.
        let timestamp = 1_000 + i64::try_from(n).unwrap_or(0) / 2;
        let slot = &mut orders[usize::from(*order)];
        let old = slot.clone();
        let (name, new) = match (step, old.clone()) {
            (None, _) => ("INSERT", (new_order(*order), false)),
            (Some(_), None) => continue,
            (Some(Step::Status(status)), Some((mut current, deleted))) => {
                current.status = *status;
                current.cancellation_reason =
                    (*status == OrderStatus::Cancelled).then(|| "changed their mind".to_owned());
                ("MODIFY", (current, deleted))
            }
            (Some(Step::Weight(grams)), Some((mut current, deleted))) => {
                current.weight_grams = *grams;
                ("MODIFY", (current, deleted))
            }
            (Some(Step::Delete), Some((current, _))) => ("MODIFY", (current, true)),
        };
        *slot = Some(new.clone());
        let record: EventRecord = serde_json::from_value(json!({
            "awsRegion": "us-east-1",
            "eventID": format!("record-{n}"),
            "eventName": name,
            "eventSource": "aws:dynamodb",
            "eventVersion": "1.1",
            "dynamodb": {
                "ApproximateCreationDateTime": 1_700_000_000,
                "NewImage": image(&new.0, timestamp, new.1),
                "OldImage": old.map_or(Value::Null, |(o, d)| image(&o, timestamp - 1, d)),
                "SequenceNumber": n.to_string(),
                "SizeBytes": 64,
                "StreamViewType": "NEW_AND_OLD_IMAGES"
            }
        }))
        .expect("a stream record");
        let view = StreamRecord::new(&record);
        let change = view.change().expect("a change");
        for event in mapper.map(&view, change).expect("mapped") {
            bodies.push(event.encode().expect("an envelope"));
        }
    }
    bodies
}

/// Delivers `bodies` (by index, in `order`) to a fresh shipping listener, in batches of up
/// to `batch` messages; returns the stored rows of its view.
fn deliver(bodies: &[String], order: &[usize], batch: usize) -> Value {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let listener = Listener {
        views: Views::in_memory(),
        hooks: ServiceHooks,
    };
    runtime.block_on(async {
        for chunk in order.chunks(batch.max(1)) {
            let records: Vec<Value> = chunk
                .iter()
                .enumerate()
                .map(|(i, &index)| json!({"messageId": format!("m{i}"), "body": bodies[index]}))
                .collect();
            let event: SqsEvent =
                serde_json::from_value(json!({ "Records": records })).expect("an SQS event");
            let response = process_batch(&listener, &event).await.expect("a response");
            assert!(
                response.batch_item_failures.is_empty(),
                "every message applies"
            );
        }
    });
    let rows = listener
        .views
        .pending_shipment
        .store()
        .as_in_memory()
        .expect("in memory")
        .snapshot();
    serde_json::to_value(rows.into_values().collect::<Vec<_>>()).expect("JSON")
}

/// A delivery of `count` messages: every one at least once, in any order, some twice, some
/// failing before a later redelivery (a failed delivery applies nothing, so it is left out).
fn delivery(count: usize) -> impl Strategy<Value = (Vec<usize>, usize)> {
    let order = Just((0..count).collect::<Vec<_>>()).prop_shuffle();
    let duplicates =
        prop::collection::vec((0..count.max(1), any::<prop::sample::Index>()), 0..=count);
    (order, duplicates, 1..=10_usize).prop_map(|(mut order, duplicates, batch)| {
        for (message, at) in duplicates {
            let at = at.index(order.len() + 1);
            order.insert(at, message);
        }
        (order, batch)
    })
}

fn case() -> impl Strategy<Value = (Vec<String>, (Vec<usize>, usize))> {
    history().prop_flat_map(|history| {
        let bodies = published(&history);
        let count = bodies.len();
        (Just(bodies), delivery(count))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_view_converges_on_in_order_exactly_once_delivery((bodies, (order, batch)) in case()) {
        let in_order: Vec<usize> = (0..bodies.len()).collect();
        prop_assert_eq!(deliver(&bodies, &order, batch), deliver(&bodies, &in_order, 1));
    }
}

#[test]
fn a_cancellation_produces_two_events_that_both_apply() {
    let history = [(0, None), (0, Some(Step::Status(OrderStatus::Cancelled)))];
    let bodies = published(&history);
    let types: Vec<String> = bodies
        .iter()
        .map(|body| {
            let envelope: Value = serde_json::from_str(body).expect("JSON");
            format!("{} {}", envelope["type"], envelope["sequence"])
        })
        .collect();
    assert_eq!(
        types,
        [
            "\"order-placed\" null",
            "\"order-updated\" null",
            "\"order-cancelled\" 1"
        ]
    );
    // `order-updated` upserts the row and its sibling `order-cancelled` deletes it: in either
    // order, the row ends up deleted.
    let forward = deliver(&bodies, &[0, 1, 2], 1);
    assert_eq!(forward, deliver(&bodies, &[0, 2, 1], 1));
    assert_eq!(forward[0]["deleted"], json!(true));
}

//! The command side on moto: the generated repositories over the deployed entity table (from
//! the generated template, with its stream) write what the in-memory table writes, the
//! trigger publishes the same events from both, and a concurrent update is detected.

use std::sync::Arc;
use std::time::Duration;

use cqrsgen_runtime::aws_lambda_events::dynamodb::{Event, EventRecord};
use cqrsgen_runtime::entity::{
    AnyEntityTable, Condition, EntityTable, ManualClock, RepositoryError, encode,
};
use cqrsgen_runtime::envelope::Tags;
use cqrsgen_runtime::publish::{InMemoryPublisher, PublishConfig};
use cqrsgen_runtime::stream::{Change, StreamRecord};
use cqrsgen_runtime::trigger::Trigger;
use shop_e2e::stream::StreamReader;
use shop_events::types::{Address, Currency, OrderLine, OrderStatus};
use shop_orders_bff::{Order, Repositories, SERVICE};

use crate::deployed;

fn order(n: u128) -> Order {
    Order {
        id: uuid::Uuid::from_u128(n),
        customer_id: uuid::Uuid::from_u128(1_000 + n),
        status: OrderStatus::Placed,
        currency: Currency::Eur,
        total: 25.into(),
        weight_grams: 900,
        lines: vec![OrderLine {
            sku: "BOOK-0001".into(),
            quantity: 1,
            unit_price: 25.into(),
        }],
        shipping_address: Address {
            line1: "Hauptstraße 5".into(),
            line2: None,
            city: "Berlin".into(),
            postal_code: "10115".into(),
            country: "DE".into(),
        },
        placed_at: chrono::DateTime::from_timestamp_millis(1_773_000_000_000).expect("a time"),
        channel: None,
        note: None,
        cancellation_reason: None,
    }
}

/// Every kind of write, one after the other, each at its own time.
async fn commands(orders: &Repositories, clock: &ManualClock) {
    let orders = &orders.order;
    let id = uuid::Uuid::from_u128(1);
    clock.set(1_773_000_000_001);
    let placed = orders.create(&order(1)).await.expect("created");
    clock.set(1_773_000_000_002);
    let mut noted = placed.entity.clone();
    noted.note = Some("ring twice".into());
    let updated = orders
        .update(&noted, placed.version)
        .await
        .expect("updated");
    clock.set(1_773_000_000_003);
    let cancelled = orders
        .set_status(&id, OrderStatus::Cancelled, updated.version)
        .await
        .expect("cancelled");
    clock.set(1_773_000_000_004);
    let deleted = orders
        .soft_delete(&id, cancelled.version)
        .await
        .expect("deleted");
    clock.set(1_773_000_000_005);
    let restored = orders
        .undelete(&id, deleted.version)
        .await
        .expect("restored");
    clock.set(1_773_000_000_006);
    orders.remove(&id, restored.version).await.expect("removed");
}

/// What identifies a stream record's content: its name, keys and images.
fn content(records: &[EventRecord]) -> Vec<(String, String, String, String)> {
    let json = |item: &serde_dynamo::Item| {
        let mut value = serde_json::to_value(item).expect("an item");
        // Canonical (sorted) key order for the comparison.
        value.sort_all_objects();
        value.to_string()
    };
    records
        .iter()
        .map(|r| {
            (
                r.event_name.clone(),
                json(&r.change.keys),
                json(&r.change.new_image),
                json(&r.change.old_image),
            )
        })
        .collect()
}

/// The event types the generated trigger publishes for `records`.
async fn published(records: Vec<EventRecord>) -> Vec<String> {
    let tags = Tags::from_lookup(SERVICE, |name| {
        (name == "AWS_REGION").then(|| shop_e2e::moto::REGION.to_owned())
    });
    let mapper = shop_orders_bff::Mapper::new(&tags.with_pipeline("trigger"));
    let trigger = Trigger {
        source: SERVICE.to_owned(),
        region: shop_e2e::moto::REGION.to_owned(),
        publisher: InMemoryPublisher::new(),
        config: PublishConfig {
            base_delay: Duration::ZERO,
            ..PublishConfig::default()
        },
    };
    let mut event = Event::default();
    event.records = records;
    let response = trigger.handle(&event, &mapper).await;
    assert!(response.batch_item_failures.is_empty(), "{response:?}");
    trigger
        .publisher
        .published()
        .into_iter()
        .map(|e| e.detail_type)
        .collect()
}

#[tokio::test]
#[ignore = "needs moto: run by scripts/test-e2e"]
async fn repositories_on_moto_write_what_memory_writes() {
    let (_serial, shop) = deployed().await;
    commands(&shop.orders_bff.repositories, &shop.clock).await;
    let clock = Arc::new(ManualClock::new(0));
    let memory = Repositories::new(AnyEntityTable::in_memory(), clock.clone());
    commands(&memory, &clock).await;

    let mut reader = StreamReader::open(&shop.moto, &shop.orders_bff.table)
        .await
        .expect("the stream opens");
    let on_moto = reader.next_batch().await.expect("read").records;
    let in_memory = memory
        .table()
        .as_in_memory()
        .expect("in memory")
        .take_records();

    let changes: Vec<Change> = on_moto
        .iter()
        .map(|r| StreamRecord::new(r).change().expect("a known change"))
        .collect();
    assert_eq!(
        changes,
        [
            Change::Insert,
            Change::Modify,
            Change::Modify,
            Change::SoftDelete,
            Change::Undelete,
            Change::Remove
        ]
    );
    assert_eq!(content(&on_moto), content(&in_memory));

    let from_moto = published(on_moto).await;
    assert_eq!(
        from_moto,
        [
            "order-placed",
            "order-updated",
            "order-updated",
            "order-cancelled",
            "order-deleted"
        ]
    );
    assert_eq!(from_moto, published(in_memory).await);
}

#[tokio::test]
#[ignore = "needs moto: run by scripts/test-e2e"]
async fn a_concurrent_update_on_moto_is_a_conflict() {
    let (_serial, shop) = deployed().await;
    let orders = &shop.orders_bff.repositories.order;
    let id = uuid::Uuid::from_u128(2);
    shop.clock.set(1_773_000_000_001);
    let read = orders.create(&order(2)).await.expect("created");
    let again = orders.create(&order(2)).await;
    assert!(
        matches!(again, Err(RepositoryError::Exists { .. })),
        "{again:?}"
    );

    // Two writers read the same version; the first one wins...
    shop.clock.set(1_773_000_000_002);
    let first = orders
        .set_status(&id, OrderStatus::Paid, read.version)
        .await
        .expect("the first writer");
    let mut second = read.entity.clone();
    second.note = Some("the second writer".into());
    let conflict = orders
        .update(&second, read.version)
        .await
        .expect_err("the second writer conflicts");
    assert!(conflict.is_conflict(), "{conflict}");
    let current = orders.get(&id).await.expect("read").expect("present");
    assert_eq!(
        (current.version, current.entity.status),
        (first.version, OrderStatus::Paid)
    );
    assert_eq!(current.entity.note, None);

    // ...and so does the condition itself, when the row changes between the read and the
    // write: a stale version straight at the table is refused by DynamoDB.
    let table = shop.orders_bff.repositories.table();
    let stale = encode(&second, &id.to_string(), read.version + 5, false).expect("encoded");
    let written = table
        .put(stale, Some(Condition::Version(read.version)))
        .await
        .expect("the request");
    assert!(!written, "DynamoDB refused the stale conditional write");

    // The loser retries on what is there now.
    shop.clock.set(1_773_000_000_003);
    second.status = current.entity.status;
    let retried = orders
        .update(&second, current.version)
        .await
        .expect("the retry");
    assert_eq!(retried.entity.note.as_deref(), Some("the second writer"));
}

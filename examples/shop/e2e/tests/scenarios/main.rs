//! End-to-end scenarios of the shop example on moto: the generated triggers and listeners,
//! run in-process, against the stacks deployed from the generated templates.
//!
//! Every scenario needs a moto server at `MOTO_URL` and resets it, so they are ignored by
//! default and run one at a time by scripts/test-e2e.

mod model;
mod oracle;
mod repositories;

use std::collections::{BTreeMap, BTreeSet};
use std::num::NonZeroUsize;

use cqrsgen_runtime::aws_lambda_events::dynamodb::EventRecord;
use cqrsgen_runtime::aws_sdk_dynamodb::types::AttributeValue;
use cqrsgen_runtime::deadline::Deadline;
use cqrsgen_runtime::entity::{EntityTable, LATCHED, encode};
use cqrsgen_runtime::listener::{ListenerConfig, MessageHandler, process_batch_with};
use cqrsgen_runtime::trigger::StreamMapper;
use model::{Bff, Expected, Rng};
use shop_e2e::moto::Moto;
use shop_e2e::queue::{self, Received};
use shop_e2e::shop::{Downstream, Shop, Upstream};
use tokio::sync::{Mutex, MutexGuard};

/// The scenarios reset the one emulator: one at a time even without `--test-threads=1`.
static SERIAL: Mutex<()> = Mutex::const_new(());

async fn deployed() -> (MutexGuard<'static, ()>, Shop) {
    let guard = SERIAL.lock().await;
    let moto = Moto::from_env()
        .await
        .expect("the scenarios need a moto server at MOTO_URL: run scripts/test-e2e");
    (guard, Shop::deploy(moto).await.expect("the shop deploys"))
}

/// Type, partition key and timestamp of an envelope.
fn identity(body: &str) -> (String, String, i64) {
    let envelope: serde_json::Value = serde_json::from_str(body).expect("an envelope");
    (
        envelope["type"].as_str().expect("a type").to_owned(),
        envelope["partitionKey"]
            .as_str()
            .expect("a partition key")
            .to_owned(),
        envelope["timestamp"].as_i64().expect("a timestamp"),
    )
}

fn counted(bodies: &[String]) -> BTreeMap<(String, String, i64), usize> {
    let mut counts = BTreeMap::new();
    for body in bodies {
        *counts.entry(identity(body)).or_default() += 1;
    }
    counts
}

/// Every expected event was published exactly once, and nothing else.
fn assert_published_once(shop: &Shop, expected: &[Expected]) -> usize {
    let published: Vec<String> = shop.published().into_iter().map(|e| e.detail).collect();
    let want: BTreeMap<_, usize> = expected.iter().map(|e| (e.identity(), 1)).collect();
    assert_eq!(counted(&published), want, "published events");
    published.len()
}

/// Each service received exactly the events its subscriptions match, once each.
fn assert_delivered_once(delivered: &BTreeMap<&'static str, Vec<String>>, expected: &[Expected]) {
    for service in ["shipping", "notifications", "orders-bff"] {
        let got = counted(
            delivered
                .get(service)
                .map(Vec::as_slice)
                .unwrap_or_default(),
        );
        assert_eq!(
            got,
            oracle::deliveries(service, expected),
            "deliveries to {service}"
        );
    }
}

/// Every view holds exactly the oracle's rows, read through the generated read-model API.
async fn assert_views(shop: &Shop, expected: &[Expected]) -> usize {
    let shipping = &shop.shipping_listener.listener.views;
    let shipments = oracle::pending_shipments(expected);
    for (order, row) in &shipments {
        let key = shop_shipping::PendingShipmentKey { order_id: *order };
        let got = shipping.pending_shipment.get(&key).await.expect("read");
        assert_eq!(got.as_ref(), Some(row), "pending shipment {order}");
    }
    let customers: BTreeSet<_> = shipments.values().map(|row| row.customer_id).collect();
    for customer in customers {
        let got = shipping
            .pending_shipment
            .query_by_customer(&customer)
            .await
            .expect("query");
        let want = shipments
            .values()
            .filter(|row| row.customer_id == customer)
            .count();
        assert_eq!(got.len(), want, "pending shipments of customer {customer}");
    }
    let notifications = &shop.notifications_listener.listener.views;
    let contacts = oracle::customer_contacts(expected);
    for (customer, row) in &contacts {
        let key = shop_notifications::CustomerContactKey {
            customer_id: *customer,
        };
        let got = notifications
            .customer_contact
            .get(&key)
            .await
            .expect("read");
        assert_eq!(got.as_ref(), Some(row), "customer contact {customer}");
    }
    let orders = &shop.orders_listener.listener.views;
    let sent = oracle::customer_notifications(expected);
    for ((customer, notification), row) in &sent {
        let key = shop_orders_bff::CustomerNotificationKey {
            customer_id: *customer,
            notification_id: *notification,
        };
        let got = orders.customer_notification.get(&key).await.expect("read");
        assert_eq!(
            got.as_ref(),
            Some(row),
            "customer notification {notification}"
        );
    }
    // Nothing extra: every live row is one the oracle expects.
    let tables = [
        ("shop-shipping-pending-shipment-dev", shipments.len()),
        ("shop-notifications-customer-contact-dev", contacts.len()),
        ("shop-orders-bff-customer-notification-dev", sent.len()),
    ];
    let mut rows = 0;
    for (table, want) in tables {
        assert_eq!(
            shop.live_rows(table).await.expect("scan"),
            want,
            "live rows of {table}"
        );
        rows += want;
    }
    rows
}

/// Customers, their orders with a random history, and notifications: `scale` customers.
async fn workload(bff: &mut Bff, shop: &Shop, scale: usize) -> Vec<uuid::Uuid> {
    for _ in 0..scale {
        bff.register_customer(shop).await;
    }
    let mut orders = Vec::new();
    for _ in 0..scale * 2 {
        orders.push(bff.place_order(shop).await);
    }
    for _ in 0..scale * 3 {
        let order = orders[bff.rng.below(orders.len() as u64) as usize];
        match bff.rng.below(10) {
            0 => bff.cancel_order(shop, order).await,
            1 => bff.delete_order(shop, order).await,
            _ => bff.update_order(shop, order).await,
        }
    }
    for n in 0..scale / 2 {
        let topic = if n % 2 == 0 {
            "order-confirmation"
        } else {
            "payment-receipt"
        };
        bff.send_notification(shop, topic).await;
    }
    orders
}

#[tokio::test]
#[ignore = "needs moto: run by scripts/test-e2e"]
async fn happy_path_every_change_reaches_every_subscribed_view_once() {
    let (_serial, mut shop) = deployed().await;
    let mut bff = Bff::new(1);
    let orders = workload(&mut bff, &shop, 120).await;
    let mut settled = shop.settle().await.expect("settles");
    // Address changes after the orders are in, then more order changes.
    for n in 0..60 {
        let customer = bff.customers[n * 2];
        bff.move_customer(&shop, customer).await;
    }
    let moved = shop.settle().await.expect("settles");
    for _ in 0..100 {
        let order = orders[bff.rng.below(orders.len() as u64) as usize];
        bff.update_order(&shop, order).await;
    }
    let updated = shop.settle().await.expect("settles");
    for more in [moved, updated] {
        settled.records += more.records;
        settled.failures += more.failures;
        for (service, bodies) in more.delivered {
            settled.delivered.entry(service).or_default().extend(bodies);
        }
    }

    assert!(bff.changes >= 1000, "{} changes", bff.changes);
    assert_eq!(settled.failures, 0);
    let published = assert_published_once(&shop, &bff.expected);
    assert_delivered_once(&settled.delivered, &bff.expected);
    let rows = assert_views(&shop, &bff.expected).await;
    let deliveries: BTreeMap<_, _> = settled
        .delivered
        .iter()
        .map(|(s, b)| (*s, b.len()))
        .collect();
    println!(
        "happy path: {} changes, {} stream records, {published} events published, deliveries {deliveries:?}, {rows} view rows",
        bff.changes, settled.records
    );
}

#[tokio::test]
#[ignore = "needs moto: run by scripts/test-e2e"]
async fn filters_keep_non_matching_events_away() {
    let (_serial, mut shop) = deployed().await;
    let mut bff = Bff::new(2);
    workload(&mut bff, &shop, 40).await;
    let settled = shop.settle().await.expect("settles");
    assert_delivered_once(&settled.delivered, &bff.expected);
    // The workload holds events each filter rejects: make sure they were really tested.
    let filtered = |service: &str, ty: &str| {
        bff.expected
            .iter()
            .filter(|e| e.ty == ty && !oracle::delivered_to(service, e))
            .count()
    };
    for (service, ty) in [
        ("shipping", "order-placed"),
        ("shipping", "order-updated"),
        ("notifications", "customer-registered"),
        ("orders-bff", "notification-sent"),
    ] {
        let rejected = filtered(service, ty);
        assert!(
            rejected > 0,
            "no {ty} event for {service}'s filter to reject"
        );
        let delivered = &settled.delivered[service];
        let leaked = bff
            .expected
            .iter()
            .filter(|e| e.ty == ty && !oracle::delivered_to(service, e))
            .filter(|e| delivered.iter().any(|body| identity(body) == e.identity()))
            .count();
        assert_eq!(
            leaked, 0,
            "{ty} events that {service}'s filter rejects reached it"
        );
        println!("filters: {rejected} {ty} events kept away from {service}");
    }
    assert_views(&shop, &bff.expected).await;
}

/// Delivers every batch of `downstream`'s queue `times` times (the first deliveries without
/// acknowledging), all batches before any repeat.
async fn deliver_repeatedly<H: MessageHandler>(downstream: &Downstream<H>, times: usize) -> usize {
    let batches = downstream.queue.receive_all().await.expect("received");
    let mut deliveries = 0;
    for pass in 1..=times {
        for batch in &batches {
            let response = queue::process(&downstream.listener, batch)
                .await
                .expect("processed");
            assert!(
                response.batch_item_failures.is_empty(),
                "pass {pass}: {response:?}"
            );
            deliveries += batch.len();
            if pass == times {
                downstream
                    .queue
                    .settle(batch, &response)
                    .await
                    .expect("settled");
            }
        }
    }
    deliveries
}

#[tokio::test]
#[ignore = "needs moto: run by scripts/test-e2e"]
async fn duplicates_leave_the_views_as_a_single_delivery() {
    let (_serial, mut shop) = deployed().await;
    let mut bff = Bff::new(3);
    workload(&mut bff, &shop, 30).await;
    let mut deliveries = 0;
    // Two rounds: notifications' events reach orders-bff in the second.
    for _ in 0..2 {
        shop.run_triggers().await.expect("triggers ran");
        deliveries += deliver_repeatedly(&shop.shipping_listener, 3).await;
        deliveries += deliver_repeatedly(&shop.notifications_listener, 3).await;
        deliveries += deliver_repeatedly(&shop.orders_listener, 3).await;
    }
    let rows = assert_views(&shop, &bff.expected).await;
    println!("duplicates: {deliveries} deliveries (each message three times), {rows} view rows");
}

/// Every visible message of `downstream`'s queue, received and left in flight.
async fn in_flight<H>(downstream: &Downstream<H>) -> Vec<Received> {
    let batches = downstream.queue.receive_all().await.expect("received");
    batches.into_iter().flatten().collect()
}

/// Delivers every message of `downstream`'s queue newest event first.
async fn deliver_newest_first<H: MessageHandler>(downstream: &Downstream<H>) -> usize {
    let mut messages = in_flight(downstream).await;
    messages.sort_by_key(|m| std::cmp::Reverse(identity(&m.body).2));
    for batch in messages.chunks(queue::BATCH_SIZE as usize) {
        let outcome = downstream
            .queue
            .deliver(&downstream.listener, batch)
            .await
            .expect("delivered");
        assert!(outcome.failed.is_empty(), "{outcome:?}");
    }
    messages.len()
}

#[tokio::test]
#[ignore = "needs moto: run by scripts/test-e2e"]
async fn disorder_keeps_the_newest_change() {
    let (_serial, mut shop) = deployed().await;
    let mut bff = Bff::new(4);
    workload(&mut bff, &shop, 30).await;
    shop.run_triggers().await.expect("triggers ran");
    let reordered = deliver_newest_first(&shop.shipping_listener).await;
    deliver_newest_first(&shop.notifications_listener).await;
    shop.settle().await.expect("settles");
    let orders_with_history = bff
        .orders
        .keys()
        .filter(|id| {
            let events = bff
                .expected
                .iter()
                .filter(|e| e.partition_key() == id.to_string());
            events
                .filter(|e| oracle::delivered_to("shipping", e))
                .count()
                > 1
        })
        .count();
    assert!(
        orders_with_history > 10,
        "too few orders with several events"
    );
    assert_views(&shop, &bff.expected).await;
    println!(
        "disorder: {reordered} shipping messages newest first, {orders_with_history} orders with several events"
    );
}

#[tokio::test]
#[ignore = "needs moto: run by scripts/test-e2e"]
async fn a_poison_message_fails_alone_and_reaches_the_dead_letter_queue() {
    let (_serial, mut shop) = deployed().await;
    let mut bff = Bff::new(5);
    const POISON: &str = r#"{"type":"order-placed","id":"#;
    shop.shipping_listener
        .queue
        .send(POISON)
        .await
        .expect("sent");
    workload(&mut bff, &shop, 10).await;
    shop.run_triggers().await.expect("triggers ran");

    let first = shop
        .shipping_listener
        .queue
        .receive()
        .await
        .expect("received");
    assert!(
        first.iter().any(|m| m.body == POISON) && first.len() > 1,
        "poison in a batch with others"
    );
    let outcome = shop
        .shipping_listener
        .queue
        .deliver(&shop.shipping_listener.listener, &first)
        .await
        .expect("delivered");
    assert_eq!(outcome.failed.len(), 1, "only the poison fails");
    assert_eq!(
        outcome.acknowledged.len(),
        first.len() - 1,
        "the rest of the batch is applied"
    );

    let settled = shop.settle().await.expect("settles");
    // maxReceiveCount is 5: the first delivery above and four more, then the redrive.
    assert_eq!(settled.failures, 4, "redeliveries of the poison");
    assert_eq!(
        shop.shipping_listener
            .queue
            .dead_letters()
            .await
            .expect("read"),
        [POISON]
    );
    assert!(
        shop.notifications_listener
            .queue
            .dead_letters()
            .await
            .expect("read")
            .is_empty()
    );
    assert_views(&shop, &bff.expected).await;
}

#[tokio::test]
#[ignore = "needs moto: run by scripts/test-e2e"]
async fn bulkhead_downstream_answers_while_upstream_is_down() {
    let (_serial, mut shop) = deployed().await;
    let mut bff = Bff::new(6);
    let orders = workload(&mut bff, &shop, 20).await;
    shop.settle().await.expect("settles");
    let before = bff.expected.len();

    // orders-bff's trigger stops; its BFF keeps taking changes, the others keep running.
    let changes = bff.changes;
    for _ in 0..60 {
        let order = orders[bff.rng.below(orders.len() as u64) as usize];
        bff.update_order(&shop, order).await;
    }
    let backlog = bff.changes - changes;
    for _ in 0..5 {
        bff.register_customer(&shop).await;
    }
    shop.customers_bff
        .run()
        .await
        .expect("customers trigger ran");
    shop.notifications
        .run()
        .await
        .expect("notifications trigger ran");
    shop.drain_queues().await.expect("drained");
    let (old, new) = bff.expected.split_at(before);
    let mut seen: Vec<Expected> = old.to_vec();
    seen.extend(
        new.iter()
            .filter(|e| e.ty == "customer-registered")
            .cloned(),
    );
    assert_views(&shop, &seen).await;

    // orders-bff's trigger resumes: the backlog drains and the views converge.
    let settled = shop.settle().await.expect("settles");
    assert!(backlog > 0);
    assert_eq!(
        settled.records, backlog,
        "the backlog of orders-bff's stream"
    );
    assert_views(&shop, &bff.expected).await;
    println!(
        "bulkhead: {} backlogged stream records drained",
        settled.records
    );
}

#[tokio::test]
#[ignore = "needs moto: run by scripts/test-e2e"]
async fn loop_guard_latched_rows_publish_nothing() {
    let (_serial, mut shop) = deployed().await;
    let mut bff = Bff::new(7);
    bff.register_customer(&shop).await;
    shop.settle().await.expect("settles");
    let published = shop.published().len();

    // notifications is downstream and upstream: a row written the way its listener's store
    // writes (`latched: true`) must not come back out of its trigger...
    let mut notification = shop_notifications::Notification {
        id: uuid::Uuid::from_u128(99),
        customer_id: bff.customers[0],
        topic: "order-confirmation".into(),
        channel: shop_events::types::ContactChannel::Email,
        recipient: "a@example.com".into(),
        status: shop_notifications::NotificationStatus::Queued,
        attempts: 0,
    };
    let key = notification.id.to_string();
    for (status, timestamp) in [
        (shop_notifications::NotificationStatus::Queued, 10),
        (shop_notifications::NotificationStatus::Sent, 11),
    ] {
        notification.status = status;
        // What a listener's store writes: the entity's row with the loop guard set.
        let mut item = encode(&notification, &key, timestamp, false).expect("encoded");
        item.insert(LATCHED.to_owned(), AttributeValue::Bool(true));
        let table = shop.notifications.repositories.table();
        assert!(table.put(item, None).await.expect("written"));
    }
    let run = shop.notifications.run().await.expect("trigger ran");
    assert_eq!(run.records, 2, "the trigger saw the latched records");
    assert!(run.failed.is_empty());
    assert_eq!(
        shop.published().len(),
        published,
        "latched rows published events"
    );

    // ...while the same change written by a command does.
    bff.send_notification(&shop, "order-confirmation").await;
    shop.settle().await.expect("settles");
    assert_eq!(shop.published().len(), published + 1);

    // And listeners write only view tables, which have no stream for a trigger to read.
    let dynamodb = aws_sdk_dynamodb::Client::new(shop.moto.config());
    for table in shop.view_tables() {
        let described = dynamodb
            .describe_table()
            .table_name(&table)
            .send()
            .await
            .expect("described");
        let stream = described.table().and_then(|t| t.stream_specification());
        assert!(
            stream.is_none_or(|s| !s.stream_enabled()),
            "view table {table} has a stream"
        );
    }
    assert_views(&shop, &bff.expected).await;
}

#[tokio::test]
#[ignore = "needs moto: run by scripts/test-e2e"]
async fn bus_faults_are_retried_from_the_first_failed_record_and_converge() {
    let (_serial, mut shop) = deployed().await;
    let mut bff = Bff::new(8);
    workload(&mut bff, &shop, 30).await;
    // One record in seven fails on every attempt while the bus is faulty, so the trigger
    // stops there and reports it and the rest of its batch (and Lambda hands it nothing
    // later until that batch goes through); one in five fails once and the trigger's own
    // retry gets it through.
    for upstream_publisher in [
        &shop.customers_bff.trigger.publisher,
        &shop.orders_bff.trigger.publisher,
        &shop.notifications.trigger.publisher,
    ] {
        upstream_publisher.fail_one_in(7, usize::MAX);
        upstream_publisher.fail_one_in(5, 1);
    }
    let runs = [
        shop.customers_bff.run().await.expect("ran"),
        shop.orders_bff.run().await.expect("ran"),
        shop.notifications.run().await.expect("ran"),
    ];
    let publishers = [
        &shop.customers_bff.trigger.publisher,
        &shop.orders_bff.trigger.publisher,
        &shop.notifications.trigger.publisher,
    ];
    let mut unsent = 0;
    let mut injected = 0;
    for (run, publisher) in runs.iter().zip(publishers) {
        let reported: Vec<String> = run
            .failed
            .iter()
            .map(|r| r.change.sequence_number.clone().expect("a sequence number"))
            .collect();
        let chosen: BTreeSet<String> = publisher.planned(usize::MAX).into_iter().collect();
        // The first record that never got through, and every later record of its batch.
        let expected: Vec<String> = run
            .batches
            .iter()
            .flat_map(|batch| {
                let first = batch.iter().position(|r| chosen.contains(r));
                first.map_or(&[][..], |i| &batch[i..]).iter().cloned()
            })
            .collect();
        assert_eq!(
            reported, expected,
            "the batch item failures start at the first unsent record of each batch"
        );
        unsent += reported.len();
        injected += publisher.injected();
        publisher.heal();
    }
    assert!(unsent > 0);
    // Lambda hands the batch to the trigger again from the lowest reported record, then the
    // rest of the shard.
    let [customers, orders, notifications] = runs;
    retry_then_run(&mut shop.customers_bff, customers.failed).await;
    retry_then_run(&mut shop.orders_bff, orders.failed).await;
    retry_then_run(&mut shop.notifications, notifications.failed).await;

    // Records sent in the same request as a failed one were published, and are published
    // again by the retry: at least once on the bus, and the views absorb the duplicates.
    let settled = shop.settle().await.expect("settles");
    let published: Vec<String> = shop.published().into_iter().map(|e| e.detail).collect();
    let counts = counted(&published);
    let want: BTreeSet<_> = bff.expected.iter().map(Expected::identity).collect();
    assert_eq!(
        counts.keys().cloned().collect::<BTreeSet<_>>(),
        want,
        "published events"
    );
    for service in ["shipping", "notifications", "orders-bff"] {
        let delivered = counted(
            settled
                .delivered
                .get(service)
                .map(Vec::as_slice)
                .unwrap_or_default(),
        );
        let expected = oracle::deliveries(service, &bff.expected);
        assert_eq!(
            delivered.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>(),
            "deliveries to {service}"
        );
    }
    assert_views(&shop, &bff.expected).await;
    println!(
        "bus faults: {injected} entry failures injected, {unsent} records reported and retried, {} events published ({} distinct)",
        published.len(),
        counts.len()
    );
}

/// An attribute value in one canonical text form: sets sorted, maps by key.
fn canonical(value: &AttributeValue) -> String {
    match value {
        AttributeValue::M(map) => {
            let members: BTreeMap<_, _> = map.iter().map(|(k, v)| (k, canonical(v))).collect();
            format!("{members:?}")
        }
        AttributeValue::L(list) => format!("{:?}", list.iter().map(canonical).collect::<Vec<_>>()),
        AttributeValue::Ss(set) | AttributeValue::Ns(set) => {
            format!("{:?}", set.iter().collect::<BTreeSet<_>>())
        }
        other => format!("{other:?}"),
    }
}

/// Every row of the shop's view tables, in canonical form, without `@revision`: it counts
/// the writes a row took, which depends on the order events arrive in, not what it holds.
async fn view_rows(shop: &Shop) -> BTreeSet<(String, String)> {
    let mut rows = BTreeSet::new();
    for table in shop.view_tables() {
        for mut item in shop.items(&table).await.expect("scanned") {
            item.remove("@revision");
            let item = canonical(&AttributeValue::M(item));
            rows.insert((table.clone(), item));
        }
    }
    rows
}

/// Applies `messages` to `listener` in batches of `batch_size`, `concurrency` messages of a
/// batch at once; every message must succeed.
async fn apply_in_batches<H: MessageHandler>(
    listener: &H,
    messages: &[Received],
    batch_size: usize,
    concurrency: usize,
) {
    let config = ListenerConfig {
        concurrency: NonZeroUsize::new(concurrency).expect("positive"),
    };
    for batch in messages.chunks(batch_size) {
        let event = queue::sqs_event(batch);
        let response = process_batch_with(listener, &event, &config, Deadline::NONE)
            .await
            .expect("a response");
        assert!(response.batch_item_failures.is_empty(), "{response:?}");
    }
}

/// The messages of `downstream`'s queue (left in flight), shuffled, each one to three times.
async fn shuffled_with_duplicates<H>(downstream: &Downstream<H>, rng: &mut Rng) -> Vec<Received> {
    let mut messages = Vec::new();
    for message in in_flight(downstream).await {
        for _ in 0..=rng.below(3) {
            messages.push(message.clone());
        }
    }
    for i in (1..messages.len()).rev() {
        messages.swap(i, rng.below(i as u64 + 1) as usize);
    }
    messages
}

/// How many batches hold two messages for the same row (same partition key).
fn batches_with_same_row_races(messages: &[Received], batch_size: usize) -> usize {
    messages
        .chunks(batch_size)
        .filter(|batch| {
            let keys: BTreeSet<_> = batch.iter().map(|m| identity(&m.body).1).collect();
            keys.len() < batch.len()
        })
        .count()
}

#[tokio::test]
#[ignore = "needs moto: run by scripts/test-e2e"]
async fn concurrent_batches_leave_the_views_sequential_ones_leave() {
    let (_serial, mut shop) = deployed().await;
    let mut bff = Bff::new(12);
    workload(&mut bff, &shop, 30).await;
    shop.run_triggers().await.expect("triggers ran");
    // Shipping's deployed batches: 25 messages, all applied at once.
    const BATCH: usize = 25;
    let mut rng = Rng::new(13);
    let shipping = shuffled_with_duplicates(&shop.shipping_listener, &mut rng).await;
    let notifications = shuffled_with_duplicates(&shop.notifications_listener, &mut rng).await;
    let races = batches_with_same_row_races(&shipping, BATCH)
        + batches_with_same_row_races(&notifications, BATCH);
    assert!(races > 5, "too few batches with same-row races: {races}");

    let mut outcomes = Vec::new();
    for concurrency in [BATCH, 1] {
        for table in shop.view_tables() {
            shop.clear(&table).await.expect("cleared");
        }
        let listener = &shop.shipping_listener.listener;
        apply_in_batches(listener, &shipping, BATCH, concurrency).await;
        let listener = &shop.notifications_listener.listener;
        apply_in_batches(listener, &notifications, BATCH, concurrency).await;
        outcomes.push(view_rows(&shop).await);
    }
    let [concurrent, sequential] = &outcomes[..] else {
        unreachable!("two passes")
    };
    assert!(sequential.len() > 30, "{} rows", sequential.len());
    let differ: Vec<_> = concurrent.symmetric_difference(sequential).collect();
    assert!(differ.is_empty(), "rows that differ: {differ:#?}");
    println!(
        "concurrency: {} shipping and {} notifications deliveries, {races} batches with same-row races, {} view rows alike",
        shipping.len(),
        notifications.len(),
        sequential.len()
    );
}

/// Lambda's retry of a batch from its lowest reported record, then the rest of the shard:
/// nothing fails any more.
async fn retry_then_run<M: StreamMapper, R>(
    upstream: &mut Upstream<M, R>,
    failed: Vec<EventRecord>,
) {
    assert!(upstream.retry(failed).await.expect("ran").failed.is_empty());
    assert!(upstream.run().await.expect("ran").failed.is_empty());
}

/// The shop spec, loaded and validated by cqrsgen.
fn shop_spec() -> cqrsgen::ir::System {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let project = cqrsgen::load::load(&dir).expect("the shop spec loads");
    cqrsgen::validate::validate(&project)
        .ir
        .expect("the shop spec is valid")
}

#[tokio::test]
#[ignore = "needs moto: run by scripts/test-e2e"]
async fn cqrsgen_emit_puts_spec_examples_that_the_subscribers_materialize() {
    let (_guard, shop) = deployed().await;
    let system = shop_spec();
    let client = aws_sdk_eventbridge::Client::new(shop.moto.config());
    // An external event, and an owned one whose filter (`email` exists) the example matches.
    for (event, id) in [
        ("payment-captured", "emit-payment"),
        ("customer-registered", "emit-customer"),
    ] {
        let request = cqrsgen::send::Request {
            event,
            example: 1,
            ..Default::default()
        };
        let entry = cqrsgen::send::entry(&system, &request, id, 1_773_480_000_000)
            .expect("an entry for the example");
        cqrsgen::send::bus::put(&entry, &client)
            .await
            .expect("the bus accepts the entry");
    }

    let drained: BTreeMap<_, _> = shop
        .drain_queues()
        .await
        .expect("drain")
        .into_iter()
        .collect();
    let delivered = |service: &str| {
        let mut types: Vec<String> = drained[service]
            .acknowledged
            .iter()
            .map(|body| identity(body).0)
            .collect();
        types.sort();
        types
    };
    assert_eq!(
        delivered("notifications"),
        ["customer-registered", "payment-captured"]
    );
    assert!(delivered("shipping").is_empty());
    assert!(delivered("orders-bff").is_empty());
    assert!(drained.values().all(|d| d.failures == 0));

    let views = &shop.notifications_listener.listener.views;
    let key = shop_notifications::PaymentReceiptKey {
        order_id: "3f1c2a9e-7b4d-4c8a-9e21-5d6f0a1b2c3d"
            .parse()
            .expect("uuid"),
        payment_id: "pay_3PxQ2mLk9aB7".to_owned(),
    };
    let receipt = views
        .payment_receipt
        .get(&key)
        .await
        .expect("read")
        .expect("the receipt row");
    assert_eq!(receipt.event_id, "emit-payment");
    assert_eq!(receipt.amount.to_string(), "42.50");
    assert_eq!(receipt.receipt_email.as_deref(), Some("ada@example.com"));
    let key = shop_notifications::CustomerContactKey {
        customer_id: "5b2e9d1a-0c4f-4e7b-a1d3-9f8e7d6c5b4a"
            .parse()
            .expect("uuid"),
    };
    let contact = views
        .customer_contact
        .get(&key)
        .await
        .expect("read")
        .expect("the contact row");
    assert_eq!(contact.name, "Ada Lovelace");
    assert_eq!(contact.updated_at_ms, 1_773_480_000_000);
}

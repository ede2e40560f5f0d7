//! The shop's real Lambda binaries on moto: the `[[bin]]`s of `examples/shop/app/orders-bff`
//! and `examples/shop/app/shipping`, run by cargo-lambda's local Lambda Runtime API
//! (`cargo lambda watch`, a host build with cargo, no Docker) and invoked with
//! `cargo lambda invoke`, against the stacks deployed from the generated templates.
//!
//! A change flows from an entity table through the trigger binary, the bus, a rule and a
//! listener queue to the listener binary and into a view. The harness plays Lambda's event
//! source mappings only: it reads the table's stream and the queue on moto and hands what it
//! read to the functions as the Lambda events.
//!
//! Needs a moto server at `MOTO_URL` and cargo-lambda (`CARGO_LAMBDA`, else on `PATH`), so
//! it is ignored by default and run by scripts/test-lambda, which provides both.

use std::path::Path;

use chrono::DateTime;
use cqrsgen_runtime::aws_lambda_events::dynamodb::Event;
use cqrsgen_runtime::aws_lambda_events::sqs::SqsBatchResponse;
use cqrsgen_runtime::aws_lambda_events::streams::DynamoDbEventResponse;
use shop_e2e::HarnessError;
use shop_e2e::lambda::LocalLambda;
use shop_e2e::moto::Moto;
use shop_e2e::queue::{self, ListenerQueue, Received};
use shop_e2e::shop::Shop;
use shop_e2e::stream::StreamReader;
use shop_events::types::{Address, ContactChannel, Currency, OrderLine, OrderStatus};
use shop_notifications::{Notification, NotificationStatus};
use shop_orders_bff::{CustomerNotification, CustomerNotificationKey, Order};
use shop_shipping::{PendingShipment, PendingShipmentKey};
use uuid::Uuid;

/// Panics with the error's own text (its Debug form would escape the emulator's log).
fn ok<T>(result: shop_e2e::Result<T>, what: &str) -> T {
    result.unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// The one message waiting in `queue`, after checking it is the envelope of `event_type`
/// for `partition_key`, published by the Lambda function `publisher` (when given).
async fn the_message(
    queue: &ListenerQueue,
    event_type: &str,
    partition_key: &str,
    publisher: Option<&str>,
) -> Vec<Received> {
    let received = ok(queue.receive().await, "receive from the listener queue");
    assert_eq!(
        received.len(),
        1,
        "exactly one message in {}: {received:?}",
        queue.url()
    );
    let envelope: serde_json::Value =
        serde_json::from_str(&received[0].body).expect("the message is an event envelope");
    assert_eq!(envelope["type"], event_type, "event type: {envelope}");
    assert_eq!(
        envelope["partitionKey"], partition_key,
        "partition key: {envelope}"
    );
    if let Some(publisher) = publisher {
        assert_eq!(
            envelope["tags"]["functionname"], publisher,
            "the envelope names the function that published it: {envelope}"
        );
    }
    received
}

#[tokio::test]
#[ignore = "needs moto at MOTO_URL and cargo-lambda: run scripts/test-lambda"]
async fn changes_flow_through_the_built_trigger_and_listener_binaries() {
    let moto = ok(
        Moto::from_env().await,
        "the test needs a moto server: run scripts/test-lambda",
    );
    let mut shop = ok(Shop::deploy(moto.clone()).await, "deploy the shop");
    let resource = |service: &str, logical_id: &str| -> String {
        let deployed = ok(shop.deployment.service(service), "a service stack");
        ok(deployed.get(logical_id), "a stack resource").to_owned()
    };
    let orders_table = resource("orders-bff", "EntityTable");
    let pending_shipments = resource("shipping", "ViewPendingShipmentTable");
    let customer_notifications = resource("orders-bff", "ViewCustomerNotificationTable");
    // The functions' Environment in the templates (generated/infra/*.yaml), with the
    // physical names of this deployment; `STAGE` is the templates' default stage.
    let env = [
        ("BUS_NAME", shop.deployment.bus.as_str()),
        ("STAGE", "dev"),
        ("PENDING_SHIPMENT_TABLE", pending_shipments.as_str()),
        (
            "CUSTOMER_NOTIFICATION_TABLE",
            customer_notifications.as_str(),
        ),
    ];
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("shop-lambda");
    let mut lambda = ok(
        LocalLambda::start(&moto, &workspace, &dir, &env),
        "start cargo lambda watch",
    );

    // orders-bff's BFF places an order: a row in its entity table.
    let order_id = Uuid::from_u128(0x0dde_0001);
    let customer_id = Uuid::from_u128(0xc057_0001);
    let berlin = Address {
        line1: "Hauptstraße 5".into(),
        line2: None,
        city: "Berlin".into(),
        postal_code: "10115".into(),
        country: "DE".into(),
    };
    let lines = vec![OrderLine {
        sku: "BOOK-0001".into(),
        quantity: 2,
        unit_price: 12.into(),
    }];
    let placed_at_ms = 1_773_480_000_000;
    let placed_at = DateTime::from_timestamp_millis(placed_at_ms).expect("a timestamp");
    let order = Order {
        id: order_id,
        customer_id,
        status: OrderStatus::Placed,
        currency: Currency::Eur,
        total: 24.into(),
        weight_grams: 1200,
        lines: lines.clone(),
        shipping_address: berlin.clone(),
        placed_at,
        channel: None,
        note: None,
        cancellation_reason: None,
    };
    let key = order_id.to_string();
    let written_at_ms = placed_at_ms + 5;
    shop.clock.set(written_at_ms);
    ok(
        shop.orders_bff
            .repositories
            .order
            .inner()
            .create(&order)
            .await
            .map_err(HarnessError::from),
        "write the order row through the generated repository",
    );

    // The table's stream record, as Lambda's event source mapping hands it over, to the
    // trigger binary: it publishes `order-placed` to the bus.
    let mut stream = ok(
        StreamReader::open(&moto, &orders_table).await,
        "open orders-bff's table stream",
    );
    let event: Event = ok(stream.next_batch().await, "read orders-bff's table stream");
    assert_eq!(event.records.len(), 1, "one stream record: {event:?}");
    assert_eq!(event.records[0].event_name, "INSERT");
    let answer: DynamoDbEventResponse = ok(
        lambda.invoke("shop-orders-bff-trigger", &event),
        "invoke the trigger binary",
    );
    assert!(
        answer.batch_item_failures.is_empty(),
        "the trigger published every record: {answer:?}\n{}",
        lambda.log()
    );

    // The bus's rule delivered it to shipping's queue; its message goes to the listener
    // binary, which writes the pending shipment.
    let queue = &shop.shipping_listener.queue;
    let batch = the_message(queue, "order-placed", &key, Some("shop-orders-bff-trigger")).await;
    let answer: SqsBatchResponse = ok(
        lambda.invoke("shop-shipping-listener", &queue::sqs_event(&batch)),
        "invoke shipping's listener binary",
    );
    assert!(
        answer.batch_item_failures.is_empty(),
        "the listener applied the message: {answer:?}\n{}",
        lambda.log()
    );
    let settled = ok(queue.settle(&batch, &answer).await, "delete the message");
    assert_eq!(settled.acknowledged.len(), 1);
    assert!(ok(queue.receive().await, "receive again").is_empty());

    let views = &shop.shipping_listener.listener.views;
    let row = views
        .pending_shipment
        .get(&PendingShipmentKey { order_id })
        .await
        .expect("read the pending-shipment view")
        .expect("the listener binary wrote the pending shipment");
    assert_eq!(
        row,
        PendingShipment {
            order_id,
            customer_id,
            status: OrderStatus::Placed,
            lines,
            weight_grams: 1200,
            ship_to: berlin,
            destination_city: "Berlin".into(),
            channel: None,
            placed_at,
            received_at_ms: written_at_ms,
        }
    );

    // orders-bff's own listener binary: notifications (run in-process here) sends an order
    // message, and orders-bff lists it next to the customer's orders.
    let notification_id = Uuid::from_u128(0x0e55_0001);
    let mut notification = Notification {
        id: notification_id,
        customer_id,
        topic: "order-confirmation".into(),
        channel: ContactChannel::Email,
        recipient: "ada@example.com".into(),
        status: NotificationStatus::Queued,
        attempts: 0,
    };
    let key = notification_id.to_string();
    let queued_at_ms = written_at_ms + 10;
    let sent_at_ms = queued_at_ms + 10;
    // Queued, then sent: a create and an update through the generated repository.
    let notifications = shop.notifications.repositories.notification.inner();
    shop.clock.set(queued_at_ms);
    let queued = ok(
        notifications
            .create(&notification)
            .await
            .map_err(HarnessError::from),
        "write the queued notification",
    );
    notification.status = NotificationStatus::Sent;
    notification.attempts = 1;
    shop.clock.set(sent_at_ms);
    ok(
        notifications
            .update(&notification, queued.version)
            .await
            .map_err(HarnessError::from),
        "write the sent notification",
    );
    let run = ok(shop.notifications.run().await, "notifications' trigger");
    assert_eq!((run.records, run.failed.len()), (2, 0), "{run:?}");

    let queue = &shop.orders_listener.queue;
    let batch = the_message(queue, "notification-sent", &key, None).await;
    let answer: SqsBatchResponse = ok(
        lambda.invoke("shop-orders-bff-listener", &queue::sqs_event(&batch)),
        "invoke orders-bff's listener binary",
    );
    assert!(
        answer.batch_item_failures.is_empty(),
        "the listener applied the message: {answer:?}\n{}",
        lambda.log()
    );
    ok(queue.settle(&batch, &answer).await, "delete the message");
    let views = &shop.orders_listener.listener.views;
    let row = views
        .customer_notification
        .get(&CustomerNotificationKey {
            customer_id,
            notification_id,
        })
        .await
        .expect("read the customer-notification view")
        .expect("the listener binary wrote the customer notification");
    assert_eq!(
        row,
        CustomerNotification {
            customer_id,
            notification_id,
            topic: "order-confirmation".into(),
            channel: ContactChannel::Email,
            sent_at_ms,
        }
    );
}

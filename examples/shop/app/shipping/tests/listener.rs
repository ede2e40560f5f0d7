//! The listener of `shipping` without AWS: SQS batches through the generated listener and
//! this crate's hooks into in-memory views.

use serde_json::{Value, json};
use shop_shipping::runtime::aws_lambda_events::sqs::SqsEvent;
use shop_shipping::runtime::listener::process_batch;
use shop_shipping::types::OrderStatus;
use shop_shipping::{Listener, PendingShipmentKey, Views};
use shop_shipping_app::hooks::ServiceHooks;

const O1: &str = "3f1c2a9e-7b4d-4c8a-9e21-5d6f0a1b2c3d";
const O2: &str = "8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d";
const C1: &str = "5b2e9d1a-0c4f-4e7b-a1d3-9f8e7d6c5b4a";

fn order(id: &str, status: &str, weight: i64) -> Value {
    json!({
        "id": id, "customerId": C1, "status": status, "currency": "EUR", "total": "42.50",
        "weightGrams": weight,
        "lines": [{"sku": "BOOK-0042", "quantity": 2, "unitPrice": "12.50"}],
        "shippingAddress": {"line1": "Hauptstraße 5", "city": "Berlin", "postalCode": "10115", "country": "DE"},
        "placedAt": "2026-03-14T09:26:53Z", "channel": "web"
    })
}

fn envelope(event_type: &str, id: &str, timestamp: i64, entity: &str, payload: Value) -> String {
    let mut envelope = json!({
        "id": id, "type": event_type, "timestamp": timestamp, "partitionKey": "p",
        "tags": {"source": "orders-bff"}
    });
    envelope[entity] = payload;
    envelope.to_string()
}

fn message(id: &str, body: &str) -> Value {
    json!({"messageId": id, "body": body, "eventSource": "aws:sqs"})
}

fn batch(messages: Vec<Value>) -> SqsEvent {
    serde_json::from_value(json!({ "Records": messages })).unwrap()
}

fn listener() -> Listener<ServiceHooks> {
    Listener::new(Views::in_memory(), ServiceHooks)
}

async fn failures(listener: &Listener<ServiceHooks>, messages: Vec<Value>) -> Vec<String> {
    let response = process_batch(listener, &batch(messages)).await.unwrap();
    response
        .batch_item_failures
        .into_iter()
        .map(|f| f.item_identifier)
        .collect()
}

fn key(order: &str) -> PendingShipmentKey {
    PendingShipmentKey {
        order_id: order.parse().unwrap(),
    }
}

#[tokio::test]
async fn an_sqs_batch_becomes_view_rows() {
    let listener = listener();
    let moved = json!({
        "customerId": C1, "recipientName": "Ada Lovelace", "changedAt": "2026-03-14T10:05:00Z",
        "address": {"line1": "Torstraße 12", "city": "Hamburg", "postalCode": "20095", "country": "DE"}
    });
    let failed = failures(
        &listener,
        vec![
            message(
                "m1",
                &envelope(
                    "order-placed",
                    "e1",
                    100,
                    "order",
                    order(O1, "placed", 1200),
                ),
            ),
            message(
                "m2",
                &envelope("order-updated", "e2", 300, "order", order(O1, "paid", 1200)),
            ),
            message("m3", "not json"),
            message(
                "m4",
                &envelope("order-placed", "e4", 400, "order", order(O2, "placed", -5)),
            ),
            message(
                "m5",
                &envelope(
                    "notification-sent",
                    "e5",
                    400,
                    "notification",
                    json!({
                        "notificationId": "9e8d7c6b-5a49-4382-b716-f5e4d3c2b1a0", "customerId": C1,
                        "topic": "order-confirmation", "channel": "email"
                    }),
                ),
            ),
            message(
                "m6",
                &envelope("invoice-printed", "e6", 400, "invoice", json!({})),
            ),
        ],
    )
    .await;
    // Not JSON, and an order violating `weightGrams: min 0`: retried, then dead-lettered.
    // A valid event this listener does not project and an unknown type are acknowledged.
    assert_eq!(failed, ["m3", "m4"]);
    // The hook reroutes the rows it finds: in a later batch, since the messages of one batch
    // are applied concurrently (the hook would not see an order placed in the same batch).
    let failed = failures(
        &listener,
        vec![message(
            "m7",
            &envelope(
                "customer-address-changed",
                "e7",
                500,
                "deliveryAddress",
                moved,
            ),
        )],
    )
    .await;
    assert!(failed.is_empty());

    let row = listener
        .views
        .pending_shipment
        .get(&key(O1))
        .await
        .unwrap()
        .expect("a row");
    assert_eq!(row.status, OrderStatus::Paid);
    assert_eq!(row.weight_grams, 1200);
    // Rerouted by the user's hook, which also stamps the row with its event's time.
    assert_eq!(row.received_at_ms, 500);
    assert_eq!(row.destination_city, "Hamburg");
    assert_eq!(row.ship_to.city, "Hamburg");
    assert_eq!(
        listener.views.pending_shipment.get(&key(O2)).await.unwrap(),
        None
    );

    let by_customer = listener
        .views
        .pending_shipment
        .query_by_customer(&C1.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(by_customer.len(), 1);

    let stored = listener
        .views
        .pending_shipment
        .store()
        .as_in_memory()
        .unwrap()
        .snapshot();
    let attributes = stored.values().next().unwrap();
    assert_eq!(attributes["latched"], json!(true));
    assert_eq!(attributes["timestamp"], json!(500));
}

#[tokio::test]
async fn duplicates_and_late_events_do_not_regress_rows() {
    let listener = listener();
    let placed = envelope(
        "order-placed",
        "e1",
        100,
        "order",
        order(O1, "placed", 1200),
    );
    let paid = envelope("order-updated", "e2", 300, "order", order(O1, "paid", 1200));
    // Newest first, then the older event and a duplicate.
    let failed = failures(
        &listener,
        vec![
            message("m1", &paid),
            message("m2", &placed),
            message("m3", &paid),
        ],
    )
    .await;
    assert!(failed.is_empty(), "{failed:?}");
    let row = listener
        .views
        .pending_shipment
        .get(&key(O1))
        .await
        .unwrap()
        .expect("a row");
    assert_eq!((row.status, row.received_at_ms), (OrderStatus::Paid, 300));

    // A delete leaves a tombstone: an older update arriving later does not resurrect the row.
    let failed = failures(
        &listener,
        vec![
            message(
                "m4",
                &envelope(
                    "order-deleted",
                    "e4",
                    600,
                    "order",
                    json!({"orderId": O1, "customerId": C1}),
                ),
            ),
            message(
                "m5",
                &envelope("order-updated", "e5", 500, "order", order(O1, "paid", 1500)),
            ),
        ],
    )
    .await;
    assert!(failed.is_empty(), "{failed:?}");
    assert_eq!(
        listener.views.pending_shipment.get(&key(O1)).await.unwrap(),
        None
    );
}

//! The command side of `orders-bff` without AWS: commands through the generated repository,
//! the stream records the in-memory table recorded through the generated trigger, and the
//! events the spec says each change publishes.

use std::sync::Arc;
use std::time::Duration;

use shop_orders_bff::events::DomainEvent;
use shop_orders_bff::runtime::entity::{AnyEntityTable, ManualClock, RepositoryError};
use shop_orders_bff::runtime::envelope::Tags;
use shop_orders_bff::runtime::publish::{InMemoryPublisher, PublishConfig};
use shop_orders_bff::runtime::trigger::Trigger;
use shop_orders_bff::types::{Address, Currency, OrderLine, OrderStatus};
use shop_orders_bff::{Mapper, Order, Repositories, SERVICE};

fn order() -> Order {
    Order {
        id: "3f1c2a9e-7b4d-4c8a-9e21-5d6f0a1b2c3d".parse().unwrap(),
        customer_id: "5b2e9d1a-0c4f-4e7b-a1d3-9f8e7d6c5b4a".parse().unwrap(),
        status: OrderStatus::Placed,
        currency: Currency::Eur,
        total: "42.50".parse().unwrap(),
        weight_grams: 1200,
        lines: vec![OrderLine {
            sku: "BOOK-0042".into(),
            quantity: 2,
            unit_price: "12.50".parse().unwrap(),
        }],
        shipping_address: Address {
            line1: "Hauptstraße 5".into(),
            line2: None,
            city: "Berlin".into(),
            postal_code: "10115".into(),
            country: "DE".into(),
        },
        placed_at: "2026-03-14T09:26:53Z".parse().unwrap(),
        channel: None,
        note: None,
        cancellation_reason: None,
    }
}

/// The events the trigger publishes for what `repositories` wrote since the last call.
async fn publish(repositories: &Repositories) -> Vec<DomainEvent> {
    let tags = Tags::from_lookup(SERVICE, |name| {
        (name == "AWS_REGION").then(|| "us-east-1".to_owned())
    });
    let trigger = Trigger {
        source: SERVICE.to_owned(),
        region: "us-east-1".to_owned(),
        publisher: InMemoryPublisher::new(),
        config: PublishConfig {
            base_delay: Duration::ZERO,
            ..PublishConfig::default()
        },
    };
    let table = repositories.table().as_in_memory().unwrap();
    let response = trigger
        .handle(
            &table.take_stream_event(),
            &Mapper::new(&tags.with_pipeline("trigger")),
        )
        .await;
    assert!(response.batch_item_failures.is_empty());
    trigger
        .publisher
        .published()
        .iter()
        .map(|e| DomainEvent::decode(e.detail.as_bytes()).unwrap())
        .collect()
}

fn types(events: &[DomainEvent]) -> Vec<&str> {
    events.iter().map(DomainEvent::event_type).collect()
}

#[tokio::test]
async fn an_order_placed_changed_cancelled_and_deleted_through_the_repository() {
    let clock = Arc::new(ManualClock::new(1_773_000_000_000));
    let repositories = Repositories::new(AnyEntityTable::in_memory(), clock.clone());
    let orders = &repositories.order;
    let placed = orders.create(&order()).await.unwrap();
    let events = publish(&repositories).await;
    assert_eq!(types(&events), ["order-placed"]);
    assert_eq!(events[0].timestamp(), 1_773_000_000_000);

    clock.advance(1_000);
    let mut changed = placed.entity.clone();
    changed.note = Some("Leave it with the neighbours".into());
    let changed = orders.update(&changed, placed.version).await.unwrap();
    assert_eq!(types(&publish(&repositories).await), ["order-updated"]);

    clock.advance(1_000);
    let cancelled = orders
        .set_status(&changed.entity.id, OrderStatus::Cancelled, changed.version)
        .await
        .unwrap();
    let events = publish(&repositories).await;
    assert_eq!(types(&events), ["order-updated", "order-cancelled"]);
    assert!(events.iter().all(|e| e.timestamp() == cancelled.version));

    clock.advance(1_000);
    orders
        .soft_delete(&changed.entity.id, cancelled.version)
        .await
        .unwrap();
    let events = publish(&repositories).await;
    assert_eq!(types(&events), ["order-deleted"]);
    let DomainEvent::OrderDeleted(deleted) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(deleted.payload.order_id, changed.entity.id);
}

#[tokio::test]
async fn an_invalid_order_is_refused_and_publishes_nothing() {
    let repositories = Repositories::in_memory();
    let mut broken = order();
    broken.lines.clear();
    broken.shipping_address.country = "Germany".into();
    let error = repositories.order.create(&broken).await.unwrap_err();
    let RepositoryError::Invalid { errors, .. } = &error else {
        panic!("{error}")
    };
    let message = errors.to_string();
    assert!(message.contains("lines"), "{message}");
    assert!(message.contains("shippingAddress.country"), "{message}");
    assert!(publish(&repositories).await.is_empty());
}

//! The oracle: what each service must receive and what each view must hold, modelled from
//! the subscriptions and projections in examples/shop/services/*.yaml, independently of the
//! generated code (no generated filter, projection or hook is called here).

use std::collections::BTreeMap;

use shop_events::types::OrderStatus;
use shop_notifications::CustomerContact;
use shop_orders_bff::CustomerNotification;
use shop_shipping::PendingShipment;
use uuid::Uuid;

use crate::model::{Entity, Expected};

/// Whether `event` passes a subscription of `service` (its rule's pattern and content filter).
pub fn delivered_to(service: &str, event: &Expected) -> bool {
    match (service, event.ty, &event.entity) {
        ("shipping", "order-placed", Entity::Order(o)) => {
            o.status != OrderStatus::Cancelled && o.weight_grams > 0
        }
        ("shipping", "order-updated", Entity::Order(o)) => {
            matches!(o.status, OrderStatus::Placed | OrderStatus::Paid) && o.weight_grams > 0
        }
        ("shipping", "order-cancelled" | "order-deleted" | "customer-address-changed", _) => true,
        ("notifications", "customer-registered", Entity::Customer(c)) => {
            c.contact.email.is_some()
                || c.contact
                    .phone
                    .as_deref()
                    .is_some_and(|p| p.starts_with('+'))
        }
        ("orders-bff", "notification-sent", Entity::Notification(n)) => {
            n.topic.starts_with("order-")
        }
        _ => false,
    }
}

/// The events `service` must receive, by identity, with how many times each.
pub fn deliveries(service: &str, events: &[Expected]) -> BTreeMap<(String, String, i64), usize> {
    let mut counts = BTreeMap::new();
    for event in events.iter().filter(|e| delivered_to(service, e)) {
        *counts.entry(event.identity()).or_default() += 1;
    }
    counts
}

/// View `pending-shipment`: per order, the newest delivered order event decides (upsert or
/// delete); a delivered address change reroutes the customer's live rows that are older.
/// Events are taken in timestamp order, which is the order the scenarios settle them in
/// wherever an address change meets an order of the same customer.
pub fn pending_shipments(events: &[Expected]) -> BTreeMap<Uuid, PendingShipment> {
    let mut delivered: Vec<&Expected> = events
        .iter()
        .filter(|e| delivered_to("shipping", e))
        .collect();
    delivered.sort_by_key(|e| e.timestamp);
    // order id -> (timestamp of the last write, the row unless deleted)
    let mut rows: BTreeMap<Uuid, (i64, Option<PendingShipment>)> = BTreeMap::new();
    for event in delivered {
        match (&event.entity, event.ty) {
            (Entity::Order(o), "order-placed" | "order-updated") => {
                if rows
                    .get(&o.id)
                    .is_some_and(|(ts, _)| *ts >= event.timestamp)
                {
                    continue;
                }
                let row = PendingShipment {
                    channel: o.channel,
                    customer_id: o.customer_id,
                    destination_city: o.shipping_address.city.clone(),
                    lines: o.lines.clone(),
                    order_id: o.id,
                    placed_at: o.placed_at,
                    received_at_ms: event.timestamp,
                    ship_to: o.shipping_address.clone(),
                    status: o.status,
                    weight_grams: o.weight_grams,
                };
                rows.insert(o.id, (event.timestamp, Some(row)));
            }
            (Entity::Order(o), _) => {
                let stale = rows
                    .get(&o.id)
                    .is_some_and(|(ts, _)| *ts >= event.timestamp);
                if !stale {
                    rows.insert(o.id, (event.timestamp, None));
                }
            }
            (Entity::Address(a), _) => {
                for (ts, row) in rows.values_mut() {
                    let Some(row) = row else { continue };
                    if row.customer_id == a.customer_id && *ts < event.timestamp {
                        row.ship_to = a.address.clone();
                        row.destination_city = a.address.city.clone();
                        row.received_at_ms = event.timestamp;
                        *ts = event.timestamp;
                    }
                }
            }
            _ => {}
        }
    }
    rows.into_iter()
        .filter_map(|(id, (_, row))| Some((id, row?)))
        .collect()
}

/// View `customer-contact` of notifications: one row per reachable registered customer.
pub fn customer_contacts(events: &[Expected]) -> BTreeMap<Uuid, CustomerContact> {
    events
        .iter()
        .filter(|e| delivered_to("notifications", e))
        .filter_map(|e| match &e.entity {
            Entity::Customer(c) => Some((
                c.id,
                CustomerContact {
                    customer_id: c.id,
                    email: c.contact.email.clone(),
                    name: c.full_name.clone(),
                    phone: c.contact.phone.clone(),
                    preferred_channel: c.preferred_channel,
                    updated_at_ms: e.timestamp,
                },
            )),
            _ => None,
        })
        .collect()
}

/// View `customer-notification` of orders-bff: one row per sent order message.
pub fn customer_notifications(events: &[Expected]) -> BTreeMap<(Uuid, Uuid), CustomerNotification> {
    events
        .iter()
        .filter(|e| delivered_to("orders-bff", e))
        .filter_map(|e| match &e.entity {
            Entity::Notification(n) => Some((
                (n.customer_id, n.id),
                CustomerNotification {
                    channel: n.channel,
                    customer_id: n.customer_id,
                    notification_id: n.id,
                    sent_at_ms: e.timestamp,
                    topic: n.topic.clone(),
                },
            )),
            _ => None,
        })
        .collect()
}

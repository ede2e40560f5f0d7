//! The hooks of service `shipping`: the custom projections the spec names (`hook:`).
//!
//! The listener calls each hook for the event the spec names it for. When the spec names
//! a new hook, `cqrsgen generate` says what to implement, and the compiler names the
//! method `Hooks` now requires.

use shop_shipping::events::Envelope;
use shop_shipping::events::customer_address_changed::CustomerAddressChanged;
use shop_shipping::runtime::listener::BoxError;
use shop_shipping::runtime::store::{Attributes, Write, attribute_value};
use shop_shipping::{Hooks, PendingShipmentKey, Views};

/// What the hooks need (clients, configuration), built once per container in the
/// listener's `main`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ServiceHooks;

impl Hooks for ServiceHooks {
    /// Reroutes the customer's pending shipments to the new address: every row of the
    /// customer (through index `by-customer`) gets the new `shipTo` and `destinationCity`.
    ///
    /// Each write is a patch with the event's version, like the generated projections: a
    /// duplicate or an older address change leaves a row alone, and so does an address
    /// change older than the order event that last set the address (the newer order wins).
    /// A patch never recreates a row deleted meanwhile.
    async fn reroute_shipments(
        &self,
        envelope: &Envelope<CustomerAddressChanged>,
        views: &Views,
    ) -> Result<(), BoxError> {
        let change = &envelope.payload;
        let shipments = views
            .pending_shipment
            .query_by_customer(&change.customer_id)
            .await?;
        for shipment in shipments {
            let mut attributes = Attributes::with_capacity(3);
            attributes.insert("shipTo".to_owned(), attribute_value(&change.address)?);
            attributes.insert(
                "destinationCity".to_owned(),
                attribute_value(&change.address.city)?,
            );
            attributes.insert(
                "receivedAtMs".to_owned(),
                attribute_value(&envelope.timestamp)?,
            );
            let key = PendingShipmentKey {
                order_id: shipment.order_id,
            };
            let write = Write::patch(key.to_key()?, attributes, envelope.version());
            views.pending_shipment.apply(&write).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use shop_shipping::PendingShipment;
    use shop_shipping::events::Payload;
    use shop_shipping::runtime::store::{Key, Version};
    use shop_shipping::types::{Address, OrderStatus};

    use super::*;

    fn address(city: &str) -> Address {
        Address {
            line1: "Street 1".to_owned(),
            line2: None,
            city: city.to_owned(),
            postal_code: "10115".to_owned(),
            country: "DE".to_owned(),
        }
    }

    async fn place(views: &Views, order: u128, customer: u128, timestamp: i64) {
        let row = PendingShipment {
            order_id: uuid::Uuid::from_u128(order),
            customer_id: uuid::Uuid::from_u128(customer),
            status: OrderStatus::Placed,
            lines: Vec::new(),
            weight_grams: 1000,
            ship_to: address("Berlin"),
            destination_city: "Berlin".to_owned(),
            channel: None,
            placed_at: chrono::DateTime::from_timestamp_millis(timestamp).expect("a time"),
            received_at_ms: timestamp,
        };
        let serde_json::Value::Object(attributes) = serde_json::to_value(&row).expect("a row")
        else {
            panic!("a row is an object");
        };
        let key = Key::partition(uuid::Uuid::from_u128(order).to_string());
        let write = Write::upsert(key, attributes, Version::new(timestamp, 0, "order"));
        views.pending_shipment.apply(&write).await.expect("stored");
    }

    fn moved(customer: u128, city: &str, timestamp: i64) -> Envelope<CustomerAddressChanged> {
        let change = CustomerAddressChanged {
            customer_id: uuid::Uuid::from_u128(customer),
            recipient_name: "Ada".to_owned(),
            address: address(city),
            changed_at: chrono::DateTime::from_timestamp_millis(timestamp).expect("a time"),
        };
        change.into_envelope(format!("e{timestamp}"), timestamp, customer.to_string())
    }

    async fn city(views: &Views, order: u128) -> String {
        let key = PendingShipmentKey {
            order_id: uuid::Uuid::from_u128(order),
        };
        let row = views
            .pending_shipment
            .get(&key)
            .await
            .expect("read")
            .expect("a row");
        assert_eq!(row.ship_to.city, row.destination_city);
        row.destination_city
    }

    #[tokio::test]
    async fn reroutes_the_pending_shipments_of_the_customer_only() {
        let views = Views::in_memory();
        place(&views, 1, 7, 100).await;
        place(&views, 2, 7, 300).await;
        place(&views, 3, 8, 100).await;
        let hooks = ServiceHooks;
        let change = moved(7, "Hamburg", 200);
        hooks
            .reroute_shipments(&change, &views)
            .await
            .expect("applied");
        assert_eq!(city(&views, 1).await, "Hamburg");
        assert_eq!(
            city(&views, 2).await,
            "Berlin",
            "the newer order event wins"
        );
        assert_eq!(city(&views, 3).await, "Berlin", "another customer");
        let older = moved(7, "Munich", 150);
        hooks
            .reroute_shipments(&older, &views)
            .await
            .expect("applied");
        assert_eq!(city(&views, 1).await, "Hamburg", "an older change is stale");
    }
}

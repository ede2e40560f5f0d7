//! The scenarios' BFF: it writes entity changes into the upstream tables through the generated
//! repositories and records, independently of the generated code, the events the spec says each change
//! must produce (see examples/shop/services/*.yaml: `publishes`).

use std::collections::BTreeMap;

use cqrsgen_runtime::entity::{Repository, partition_key};
use shop_customers_bff::{Customer, CustomerContact, DeliveryAddress};
use shop_e2e::shop::Shop;
use shop_events::types::{Address, ContactChannel, Currency, OrderLine, OrderStatus, SalesChannel};
use shop_notifications::{Notification, NotificationStatus};
use shop_orders_bff::Order;
use uuid::Uuid;

/// An event the spec says a change publishes.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    /// The event type.
    pub ty: &'static str,
    /// The envelope timestamp: the change's.
    pub timestamp: i64,
    /// The entity after the change.
    pub entity: Entity,
}

/// An entity as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Entity {
    Customer(Customer),
    Address(DeliveryAddress),
    Order(Order),
    Notification(Notification),
}

impl Expected {
    /// The envelope's `partitionKey`: the entity's key.
    pub fn partition_key(&self) -> String {
        match &self.entity {
            Entity::Customer(c) => c.id.to_string(),
            Entity::Address(a) => a.customer_id.to_string(),
            Entity::Order(o) => o.id.to_string(),
            Entity::Notification(n) => n.id.to_string(),
        }
    }

    /// What identifies a delivery of the event: type, partition key and timestamp.
    pub fn identity(&self) -> (String, String, i64) {
        (self.ty.to_owned(), self.partition_key(), self.timestamp)
    }
}

/// A deterministic pseudo-random sequence (xorshift64*).
#[derive(Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Writes changes as the BFFs do and records the events they must produce.
#[derive(Debug)]
pub struct Bff {
    pub rng: Rng,
    clock: i64,
    ids: u128,
    /// Every change written.
    pub changes: usize,
    /// Every event the changes must publish, in write order.
    pub expected: Vec<Expected>,
    pub customers: Vec<Uuid>,
    addresses: BTreeMap<Uuid, DeliveryAddress>,
    /// Orders by id, with whether they are soft-deleted.
    pub orders: BTreeMap<Uuid, (Order, bool)>,
    /// The version of every row written, by entity and key.
    versions: BTreeMap<(&'static str, String), i64>,
}

pub fn address(rng: &mut Rng) -> Address {
    const CITIES: [&str; 5] = ["Berlin", "Hamburg", "Munich", "Cologne", "Leipzig"];
    let mut address = Address {
        line1: format!("Street {}", rng.below(200) + 1),
        line2: None,
        city: CITIES[rng.below(5) as usize].to_owned(),
        postal_code: format!("{:05}", 10000 + rng.below(80000)),
        country: "DE".to_owned(),
    };
    if rng.chance(30) {
        address.line2 = Some("Backyard".to_owned());
    }
    address
}

impl Bff {
    pub fn new(seed: u64) -> Self {
        Self {
            rng: Rng::new(seed),
            clock: 1_773_000_000_000,
            ids: 0,
            changes: 0,
            expected: Vec::new(),
            customers: Vec::new(),
            addresses: BTreeMap::new(),
            orders: BTreeMap::new(),
            versions: BTreeMap::new(),
        }
    }

    fn tick(&mut self) -> i64 {
        self.clock += 1;
        self.clock
    }

    fn id(&mut self) -> Uuid {
        self.ids += 1;
        Uuid::from_u128(0x5eed_0000_0000_4000_8000_0000_0000_0000 | self.ids)
    }

    /// Writes `value` through the generated `repository` at `timestamp`, as the BFF's command
    /// would: a create for a new key, a soft delete when `deleted`, else an update on the
    /// version last written; counts the change.
    async fn write<E: cqrsgen_runtime::entity::Entity>(
        &mut self,
        shop: &Shop,
        repository: &Repository<E>,
        value: &E,
        timestamp: i64,
        deleted: bool,
    ) {
        let key = partition_key::<E>(value.key()).expect("a key");
        shop.clock.set(timestamp);
        let slot = (E::NAME, key.clone());
        let written = match self.versions.get(&slot).copied() {
            None => repository.create(value).await,
            Some(version) if deleted => repository.soft_delete(value.key(), version).await,
            Some(version) => repository.update(value, version).await,
        };
        let stored = written.unwrap_or_else(|e| panic!("{} {key} written: {e}", E::NAME));
        assert_eq!(
            stored.version, timestamp,
            "the version is the change's time"
        );
        self.versions.insert(slot, stored.version);
        self.changes += 1;
    }

    fn expect(&mut self, ty: &'static str, timestamp: i64, entity: Entity) {
        self.expected.push(Expected {
            ty,
            timestamp,
            entity,
        });
    }

    /// Registers a customer and stores their delivery address (an insert: no event).
    pub async fn register_customer(&mut self, shop: &Shop) -> Uuid {
        let id = self.id();
        let mut contact = CustomerContact::default();
        match self.rng.below(4) {
            0 => contact.email = Some(format!("c{}@example.com", self.ids)),
            1 => contact.phone = Some(format!("+49170{:07}", self.ids)),
            2 => contact.phone = Some(format!("0170{:07}", self.ids)),
            _ => {}
        }
        let channel = if contact.phone.is_some() {
            ContactChannel::Sms
        } else {
            ContactChannel::Email
        };
        let timestamp = self.tick();
        let registered = chrono::DateTime::from_timestamp_millis(timestamp).expect("a time");
        let customer = Customer {
            id,
            full_name: format!("Customer {}", self.ids),
            contact,
            preferred_channel: channel,
            marketing_opt_in: false,
            registered_at: registered,
        };
        self.write(
            shop,
            shop.customers_bff.repositories.customer.inner(),
            &customer,
            timestamp,
            false,
        )
        .await;
        self.expect("customer-registered", timestamp, Entity::Customer(customer));

        let timestamp = self.tick();
        let stored = DeliveryAddress {
            customer_id: id,
            recipient: format!("Customer {}", self.ids),
            address: address(&mut self.rng),
            updated_at: registered,
        };
        self.write(
            shop,
            shop.customers_bff.repositories.delivery_address.inner(),
            &stored,
            timestamp,
            false,
        )
        .await;
        self.addresses.insert(id, stored);
        self.customers.push(id);
        id
    }

    /// Changes a customer's delivery address.
    pub async fn move_customer(&mut self, shop: &Shop, customer: Uuid) {
        let timestamp = self.tick();
        let mut stored = self.addresses[&customer].clone();
        stored.address = address(&mut self.rng);
        stored.updated_at = chrono::DateTime::from_timestamp_millis(timestamp).expect("a time");
        self.write(
            shop,
            shop.customers_bff.repositories.delivery_address.inner(),
            &stored,
            timestamp,
            false,
        )
        .await;
        self.expect(
            "customer-address-changed",
            timestamp,
            Entity::Address(stored.clone()),
        );
        self.addresses.insert(customer, stored);
    }

    /// Places an order of a random customer; some hold only digital goods (weight 0).
    pub async fn place_order(&mut self, shop: &Shop) -> Uuid {
        let customer = self.customers[self.rng.below(self.customers.len() as u64) as usize];
        let id = self.id();
        let timestamp = self.tick();
        let weight = if self.rng.chance(20) {
            0
        } else {
            100 + self.rng.below(5000) as i64
        };
        let line = OrderLine {
            sku: format!("SKU-{}", self.rng.below(50)),
            quantity: 1 + self.rng.below(3) as i32,
            unit_price: 5.into(),
        };
        let order = Order {
            id,
            customer_id: customer,
            status: OrderStatus::Placed,
            currency: Currency::Eur,
            total: 10.into(),
            weight_grams: weight,
            lines: vec![line],
            shipping_address: address(&mut self.rng),
            placed_at: chrono::DateTime::from_timestamp_millis(timestamp).expect("a time"),
            channel: Some(SalesChannel::Web),
            note: None,
            cancellation_reason: None,
        };
        self.write_order(shop, order, false, timestamp).await;
        id
    }

    /// Applies a random change to a live order: pays it, changes its weight or its note.
    pub async fn update_order(&mut self, shop: &Shop, id: Uuid) {
        let (mut order, deleted) = self.orders[&id].clone();
        if deleted || order.status == OrderStatus::Cancelled {
            return;
        }
        match self.rng.below(3) {
            0 => order.status = OrderStatus::Paid,
            1 => order.weight_grams = self.rng.below(3000) as i64,
            _ => order.note = Some(format!("note {}", self.rng.below(1000))),
        }
        let timestamp = self.tick();
        self.write_order(shop, order, false, timestamp).await;
    }

    /// Cancels a live order.
    pub async fn cancel_order(&mut self, shop: &Shop, id: Uuid) {
        let (mut order, deleted) = self.orders[&id].clone();
        if deleted || order.status == OrderStatus::Cancelled {
            return;
        }
        order.status = OrderStatus::Cancelled;
        order.cancellation_reason = Some("changed my mind".to_owned());
        let timestamp = self.tick();
        self.write_order(shop, order, false, timestamp).await;
    }

    /// Soft-deletes an order.
    pub async fn delete_order(&mut self, shop: &Shop, id: Uuid) {
        let (order, deleted) = self.orders[&id].clone();
        if deleted {
            return;
        }
        let timestamp = self.tick();
        self.write_order(shop, order, true, timestamp).await;
    }

    /// The events of an order change, by the spec: insert -> order-placed; modify ->
    /// order-updated, plus order-cancelled when the status became cancelled from placed or
    /// paid; soft delete -> order-deleted only.
    async fn write_order(&mut self, shop: &Shop, order: Order, deleted: bool, timestamp: i64) {
        self.write(
            shop,
            shop.orders_bff.repositories.order.inner(),
            &order,
            timestamp,
            deleted,
        )
        .await;
        let before = self.orders.get(&order.id).cloned();
        match before {
            None => self.expect("order-placed", timestamp, Entity::Order(order.clone())),
            Some((_, false)) if deleted => {
                self.expect("order-deleted", timestamp, Entity::Order(order.clone()))
            }
            Some((old, _)) => {
                self.expect("order-updated", timestamp, Entity::Order(order.clone()));
                let was_open = matches!(old.status, OrderStatus::Placed | OrderStatus::Paid);
                if was_open && order.status == OrderStatus::Cancelled {
                    self.expect("order-cancelled", timestamp, Entity::Order(order.clone()));
                }
            }
        }
        self.orders.insert(order.id, (order, deleted));
    }

    /// Queues a notification about `topic` and marks it sent (notification-sent).
    pub async fn send_notification(&mut self, shop: &Shop, topic: &str) -> Notification {
        let customer = self.customers[self.rng.below(self.customers.len() as u64) as usize];
        let id = self.id();
        let mut notification = Notification {
            id,
            customer_id: customer,
            topic: topic.to_owned(),
            channel: ContactChannel::Email,
            recipient: format!("c{}@example.com", self.ids),
            status: NotificationStatus::Queued,
            attempts: 0,
        };
        let timestamp = self.tick();
        self.write(
            shop,
            shop.notifications.repositories.notification.inner(),
            &notification,
            timestamp,
            false,
        )
        .await;
        notification.status = NotificationStatus::Sent;
        notification.attempts = 1;
        let timestamp = self.tick();
        self.write(
            shop,
            shop.notifications.repositories.notification.inner(),
            &notification,
            timestamp,
            false,
        )
        .await;
        self.expect(
            "notification-sent",
            timestamp,
            Entity::Notification(notification.clone()),
        );
        notification
    }
}

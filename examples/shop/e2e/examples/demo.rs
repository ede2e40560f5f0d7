//! Watch the shop's events flow on moto: `examples/shop/demo.sh` runs this against the moto
//! server it starts (`MOTO_URL`).
//!
//! - `demo run`: deploys the generated stacks, writes two customers and three orders through
//!   the BFFs' generated repositories, runs the generated triggers and listeners until everything settled, and
//!   prints the published events and the resulting view rows;
//! - `demo pump`: delivers what is waiting in the listener queues (e.g. an event emitted
//!   onto the bus from outside) and prints the views again.

use shop_e2e::HarnessError;
use shop_e2e::moto::Moto;
use shop_e2e::shop::Shop;
use shop_events::types::{Address, ContactChannel, Currency, OrderLine, OrderStatus};

#[tokio::main]
async fn main() -> Result<(), HarnessError> {
    let moto = Moto::from_env().await?;
    match std::env::args().nth(1).as_deref() {
        Some("run") => run(moto).await,
        Some("pump") => pump(moto).await,
        _ => {
            eprintln!("usage: demo run|pump (with MOTO_URL set)");
            std::process::exit(2)
        }
    }
}

async fn run(moto: Moto) -> Result<(), HarnessError> {
    let mut shop = Shop::deploy(moto).await?;
    println!("deployed the hub and the service stacks from examples/shop/generated/infra\n");
    let ada = uuid::Uuid::from_u128(0x5b2e9d1a_0c4f_4e7b_a1d3_9f8e7d6c5b4a);
    let grace = uuid::Uuid::from_u128(0xc0ffee00_1234_4abc_8def_0123456789ab);
    let mut timestamp = 1_773_480_000_000;
    for (id, name, email, phone) in [
        (ada, "Ada Lovelace", Some("ada@example.com"), None),
        (grace, "Grace Hopper", None, Some("0770090012")),
    ] {
        let contact = shop_customers_bff::CustomerContact {
            email: email.map(str::to_owned),
            phone: phone.map(str::to_owned),
        };
        let at = chrono::DateTime::from_timestamp_millis(timestamp).unwrap_or_default();
        let customer = shop_customers_bff::Customer {
            id,
            full_name: name.into(),
            contact,
            preferred_channel: ContactChannel::Email,
            marketing_opt_in: true,
            registered_at: at,
        };
        timestamp += 1;
        shop.clock.set(timestamp);
        shop.customers_bff
            .repositories
            .customer
            .create(&customer)
            .await?;
    }
    let berlin = Address {
        line1: "Hauptstraße 5".into(),
        line2: None,
        city: "Berlin".into(),
        postal_code: "10115".into(),
        country: "DE".into(),
    };
    let orders = [(1, ada, 1200), (2, ada, 0), (3, grace, 800)];
    for (n, customer, weight) in orders {
        let lines = vec![OrderLine {
            sku: format!("BOOK-{n:04}"),
            quantity: 1,
            unit_price: 12.into(),
        }];
        let at = chrono::DateTime::from_timestamp_millis(timestamp).unwrap_or_default();
        let order = shop_orders_bff::Order {
            id: uuid::Uuid::from_u128(n),
            customer_id: customer,
            status: OrderStatus::Placed,
            currency: Currency::Eur,
            total: 12.into(),
            weight_grams: weight,
            lines,
            shipping_address: berlin.clone(),
            placed_at: at,
            channel: None,
            note: None,
            cancellation_reason: None,
        };
        timestamp += 1;
        shop.clock.set(timestamp);
        let orders = &shop.orders_bff.repositories.order;
        let placed = orders.create(&order).await?;
        if n == 3 {
            timestamp += 1;
            shop.clock.set(timestamp);
            orders
                .modify(&order.id, placed.version, |order| {
                    order.status = OrderStatus::Cancelled;
                    order.cancellation_reason = Some("ordered twice".into());
                })
                .await?;
        }
    }
    println!("wrote 2 customers and 3 orders (one cancelled) into the BFF tables\n");
    let settled = shop.settle().await?;
    println!("published events ({} stream records):", settled.records);
    for entry in shop.published() {
        println!(
            "  {} from {}: {}",
            entry.detail_type, entry.source, entry.detail
        );
    }
    println!("\ndelivered to the listeners:");
    for (service, bodies) in &settled.delivered {
        println!("  {service}: {} messages", bodies.len());
    }
    print_views(&shop, &[ada, grace]).await
}

async fn pump(moto: Moto) -> Result<(), HarnessError> {
    let shop = Shop::attach(moto).await?;
    for (service, drained) in shop.drain_queues().await? {
        for body in &drained.acknowledged {
            println!("  {service} received: {body}");
        }
    }
    print_views(&shop, &[]).await
}

async fn print_views(shop: &Shop, customers: &[uuid::Uuid]) -> Result<(), HarnessError> {
    let store = |e: cqrsgen_runtime::store::StoreError| HarnessError::Data(e.to_string());
    println!("\nviews, read through the generated read-model API:");
    for customer in customers {
        let shipments = shop
            .shipping_listener
            .listener
            .views
            .pending_shipment
            .query_by_customer(customer)
            .await
            .map_err(store)?;
        for row in shipments {
            println!(
                "  shipping/pending-shipment: order {} to {}, {} g, {:?}",
                row.order_id, row.destination_city, row.weight_grams, row.status
            );
        }
        let key = shop_notifications::CustomerContactKey {
            customer_id: *customer,
        };
        match shop
            .notifications_listener
            .listener
            .views
            .customer_contact
            .get(&key)
            .await
            .map_err(store)?
        {
            Some(row) => println!(
                "  notifications/customer-contact: {} <{}>",
                row.name,
                row.email.as_deref().or(row.phone.as_deref()).unwrap_or("-")
            ),
            None => println!(
                "  notifications/customer-contact: none for {customer} (not reachable: filtered out)"
            ),
        }
    }
    let rows = shop.live_rows("shop-notifications-payment-receipt").await?;
    println!("  notifications/payment-receipt: {rows} rows");
    Ok(())
}

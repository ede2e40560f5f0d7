//! The upcasts of the `payloads` events: the user's implementation, compiled into the
//! generated events crate.

use crate::order_placed::{
    OrderPlacedV1, OrderPlacedV1Status, OrderPlacedV2, OrderPlacedV2Customer, OrderPlacedV2Lines,
    OrderPlacedV2Status,
};
use crate::{Upcaster, Upcasts};

impl Upcasts for Upcaster {
    fn split_customer_name(&self, v1: OrderPlacedV1) -> OrderPlacedV2 {
        let (first, last) = v1
            .customer_name
            .split_once(' ')
            .unwrap_or((&v1.customer_name, ""));
        OrderPlacedV2 {
            id: v1.id,
            customer: OrderPlacedV2Customer {
                first_name: first.to_owned(),
                last_name: last.to_owned(),
            },
            lines: v1
                .lines
                .into_iter()
                .map(|line| OrderPlacedV2Lines {
                    sku: line.sku,
                    quantity: line.quantity,
                })
                .collect(),
            status: match v1.status {
                OrderPlacedV1Status::Pending => OrderPlacedV2Status::Pending,
                OrderPlacedV1Status::InProgress => OrderPlacedV2Status::InProgress,
                OrderPlacedV1Status::Shipped => OrderPlacedV2Status::Shipped,
            },
        }
    }
}

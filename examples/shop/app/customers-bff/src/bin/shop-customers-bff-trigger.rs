//! The trigger function of `customers-bff`: publishes the events of its table's stream to the
//! bus named by `BUS_NAME`.

use shop_customers_bff::runtime::trigger::Trigger;
use shop_customers_bff::runtime::{clients, lambda};
use shop_customers_bff::{Mapper, SERVICE};

#[tokio::main]
async fn main() -> Result<(), lambda::Error> {
    let config = clients::sdk_config().await;
    let trigger = Trigger::from_env(SERVICE, &config)?;
    lambda::run_trigger(&trigger, &Mapper::from_env()).await
}

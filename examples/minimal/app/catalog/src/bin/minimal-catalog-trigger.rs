//! The trigger function of `catalog`: publishes the events of its table's stream to the
//! bus named by `BUS_NAME`.

use minimal_catalog::runtime::trigger::Trigger;
use minimal_catalog::runtime::{clients, lambda};
use minimal_catalog::{Mapper, SERVICE};

#[tokio::main]
async fn main() -> Result<(), lambda::Error> {
    let config = clients::sdk_config().await;
    let trigger = Trigger::from_env(SERVICE, &config)?;
    lambda::run_trigger(&trigger, &Mapper::from_env()).await
}

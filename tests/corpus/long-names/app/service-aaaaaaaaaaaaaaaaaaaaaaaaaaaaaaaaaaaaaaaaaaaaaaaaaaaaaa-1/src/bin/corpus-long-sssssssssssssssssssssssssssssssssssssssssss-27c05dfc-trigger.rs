//! The trigger function of `service-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-1`: publishes the events of its table's stream to the
//! bus named by `BUS_NAME`.

use corpus_long_sssssssssssssssssssssssssssssssssssssssssss_27c05dfc::runtime::trigger::Trigger;
use corpus_long_sssssssssssssssssssssssssssssssssssssssssss_27c05dfc::runtime::{clients, lambda};
use corpus_long_sssssssssssssssssssssssssssssssssssssssssss_27c05dfc::{Mapper, SERVICE};

#[tokio::main]
async fn main() -> Result<(), lambda::Error> {
    let config = clients::sdk_config().await;
    let trigger = Trigger::from_env(SERVICE, &config)?;
    lambda::run_trigger(&trigger, &Mapper::from_env()).await
}

//! The trigger function of `desk`: publishes the events of its table's stream to the
//! bus named by `BUS_NAME`.

use corpus_views_desk::runtime::trigger::Trigger;
use corpus_views_desk::runtime::{clients, lambda};
use corpus_views_desk::{Mapper, SERVICE};

#[tokio::main]
async fn main() -> Result<(), lambda::Error> {
    let config = clients::sdk_config().await;
    let trigger = Trigger::from_env(SERVICE, &config)?;
    lambda::run_trigger(&trigger, &Mapper::from_env()).await
}

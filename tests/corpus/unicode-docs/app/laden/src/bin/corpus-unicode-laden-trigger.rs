//! The trigger function of `laden`: publishes the events of its table's stream to the
//! bus named by `BUS_NAME`.

use corpus_unicode_laden::runtime::trigger::Trigger;
use corpus_unicode_laden::runtime::{clients, lambda};
use corpus_unicode_laden::{Mapper, SERVICE};

#[tokio::main]
async fn main() -> Result<(), lambda::Error> {
    let config = clients::sdk_config().await;
    let trigger = Trigger::from_env(SERVICE, &config)?;
    lambda::run_trigger(&trigger, &Mapper::from_env()).await
}

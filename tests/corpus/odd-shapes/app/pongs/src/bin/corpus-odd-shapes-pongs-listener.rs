//! The listener function of `pongs`: applies the events of its queue to its views, in
//! the tables named by the environment.

use corpus_odd_shapes_pongs::runtime::{clients, lambda};
use corpus_odd_shapes_pongs::{Listener, Views};
use corpus_odd_shapes_pongs_app::hooks::ServiceHooks;

#[tokio::main]
async fn main() -> Result<(), lambda::Error> {
    let config = clients::sdk_config().await;
    let listener = Listener::new(Views::from_env(&config)?, ServiceHooks);
    lambda::run_listener(&listener).await
}

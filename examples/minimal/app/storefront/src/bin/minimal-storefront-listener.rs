//! The listener function of `storefront`: applies the events of its queue to its views, in
//! the tables named by the environment.

use minimal_storefront::runtime::{clients, lambda};
use minimal_storefront::{Listener, Views};
use minimal_storefront_app::hooks::ServiceHooks;

#[tokio::main]
async fn main() -> Result<(), lambda::Error> {
    let config = clients::sdk_config().await;
    let listener = Listener::new(Views::from_env(&config)?, ServiceHooks);
    lambda::run_listener(&listener).await
}

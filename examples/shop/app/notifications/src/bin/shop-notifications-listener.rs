//! The listener function of `notifications`: applies the events of its queue to its views, in
//! the tables named by the environment.

use shop_notifications::runtime::{clients, lambda};
use shop_notifications::{Listener, Views};
use shop_notifications_app::hooks::ServiceHooks;

#[tokio::main]
async fn main() -> Result<(), lambda::Error> {
    let config = clients::sdk_config().await;
    let listener = Listener::new(Views::from_env(&config)?, ServiceHooks);
    lambda::run_listener(&listener).await
}

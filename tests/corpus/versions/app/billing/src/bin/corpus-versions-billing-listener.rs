//! The listener function of `billing`: applies the events of its queue to its views, in
//! the tables named by the environment.

use corpus_versions_billing::runtime::{clients, lambda};
use corpus_versions_billing::{Listener, Views};
use corpus_versions_billing_app::hooks::ServiceHooks;

#[tokio::main]
async fn main() -> Result<(), lambda::Error> {
    let config = clients::sdk_config().await;
    let listener = Listener::new(Views::from_env(&config)?, ServiceHooks);
    lambda::run_listener(&listener).await
}

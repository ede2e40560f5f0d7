//! The listener function of `ledger`: applies the events of its queue to its views, in
//! the tables named by the environment.

use corpus_external_ledger::runtime::{clients, lambda};
use corpus_external_ledger::{Listener, Views};
use corpus_external_ledger_app::hooks::ServiceHooks;

#[tokio::main]
async fn main() -> Result<(), lambda::Error> {
    let config = clients::sdk_config().await;
    let listener = Listener::new(Views::from_env(&config)?, ServiceHooks);
    lambda::run_listener(&listener).await
}

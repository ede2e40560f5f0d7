//! The listener function of `reader`: applies the events of its queue to its views, in
//! the tables named by the environment.

use corpus_deep_reader::runtime::{clients, lambda};
use corpus_deep_reader::{Listener, Views};
use corpus_deep_reader_app::hooks::ServiceHooks;

#[tokio::main]
async fn main() -> Result<(), lambda::Error> {
    let config = clients::sdk_config().await;
    let listener = Listener::new(Views::from_env(&config)?, ServiceHooks);
    lambda::run_listener(&listener).await
}

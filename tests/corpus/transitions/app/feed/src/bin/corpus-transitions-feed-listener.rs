//! The listener function of `feed`: applies the events of its queue to its views, in
//! the tables named by the environment.

use corpus_transitions_feed::runtime::{clients, lambda};
use corpus_transitions_feed::{Listener, Views};
use corpus_transitions_feed_app::hooks::ServiceHooks;

#[tokio::main]
async fn main() -> Result<(), lambda::Error> {
    let config = clients::sdk_config().await;
    let listener = Listener::new(Views::from_env(&config)?, ServiceHooks);
    lambda::run_listener(&listener).await
}

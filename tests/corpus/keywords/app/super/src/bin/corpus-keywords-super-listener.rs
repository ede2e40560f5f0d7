//! The listener function of `super`: applies the events of its queue to its views, in
//! the tables named by the environment.

use corpus_keywords_super::runtime::{clients, lambda};
use corpus_keywords_super::{Listener, Views};
use corpus_keywords_super_app::hooks::ServiceHooks;

#[tokio::main]
async fn main() -> Result<(), lambda::Error> {
    let config = clients::sdk_config().await;
    let listener = Listener::new(Views::from_env(&config)?, ServiceHooks);
    lambda::run_listener(&listener).await
}

//! The listener function of `archive`: applies the events of its queue to its views, in
//! the tables named by the environment.

use corpus_all_types_archive::runtime::{clients, lambda};
use corpus_all_types_archive::{Listener, Views};
use corpus_all_types_archive_app::hooks::ServiceHooks;

#[tokio::main]
async fn main() -> Result<(), lambda::Error> {
    let config = clients::sdk_config().await;
    let listener = Listener::new(Views::from_env(&config)?, ServiceHooks);
    lambda::run_listener(&listener).await
}

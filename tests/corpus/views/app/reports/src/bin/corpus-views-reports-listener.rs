//! The listener function of `reports`: applies the events of its queue to its views, in
//! the tables named by the environment.

use corpus_views_reports::runtime::{clients, lambda};
use corpus_views_reports::{Listener, Views};
use corpus_views_reports_app::hooks::ServiceHooks;

#[tokio::main]
async fn main() -> Result<(), lambda::Error> {
    let config = clients::sdk_config().await;
    let listener = Listener::new(Views::from_env(&config)?, ServiceHooks);
    lambda::run_listener(&listener).await
}

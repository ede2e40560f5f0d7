//! The listener function of `service-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-1`: applies the events of its queue to its views, in
//! the tables named by the environment.

use corpus_long_sssssssssssssssssssssssssssssssssssssssssss_27c05dfc::runtime::{clients, lambda};
use corpus_long_sssssssssssssssssssssssssssssssssssssssssss_27c05dfc::{Listener, Views};
use corpus_long_sssssssssssssssssssssssssssssssssssssssssss_27c05dfc_app::hooks::ServiceHooks;

#[tokio::main]
async fn main() -> Result<(), lambda::Error> {
    let config = clients::sdk_config().await;
    let listener = Listener::new(Views::from_env(&config)?, ServiceHooks);
    lambda::run_listener(&listener).await
}

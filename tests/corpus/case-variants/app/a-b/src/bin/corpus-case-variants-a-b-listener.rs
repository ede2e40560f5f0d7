//! The listener function of `a-b`: applies the events of its queue to its views, in
//! the tables named by the environment.

use corpus_case_variants_a_b::runtime::{clients, lambda};
use corpus_case_variants_a_b::{Listener, Views};
use corpus_case_variants_a_b_app::hooks::ServiceHooks;

#[tokio::main]
async fn main() -> Result<(), lambda::Error> {
    let config = clients::sdk_config().await;
    let listener = Listener::new(Views::from_env(&config)?, ServiceHooks);
    lambda::run_listener(&listener).await
}

//! AWS clients, built once per container.
//!
//! A Lambda container serves many invocations: build the configuration and the clients in
//! `main`, before the handler loop, and share them. The configuration comes from
//! [`aws_config::load_defaults`], so the usual variables apply: credentials, `AWS_REGION`,
//! and `AWS_ENDPOINT_URL` (or the per-service `AWS_ENDPOINT_URL_EVENTBRIDGE`,
//! `AWS_ENDPOINT_URL_DYNAMODB`) to point the clients at an emulator.

use aws_config::{BehaviorVersion, SdkConfig};

/// The shared SDK configuration, from the environment.
pub async fn sdk_config() -> SdkConfig {
    aws_config::load_defaults(BehaviorVersion::latest()).await
}

/// An EventBridge client for `config`.
pub fn eventbridge(config: &SdkConfig) -> aws_sdk_eventbridge::Client {
    aws_sdk_eventbridge::Client::new(config)
}

/// A DynamoDB client for `config`.
pub fn dynamodb(config: &SdkConfig) -> aws_sdk_dynamodb::Client {
    aws_sdk_dynamodb::Client::new(config)
}

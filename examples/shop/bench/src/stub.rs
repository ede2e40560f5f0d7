//! AWS clients whose HTTP layer is a stub: every request is signed and serialized by the SDK
//! as usual, then answered with success after a fixed latency, without a network.

use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, SharedHttpConnector, http_client_fn,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;

/// How long the stubbed services take to answer.
#[derive(Debug, Clone, Copy)]
pub struct Latency {
    /// DynamoDB requests.
    pub dynamodb: Duration,
    /// EventBridge PutEvents requests.
    pub put_events: Duration,
}

/// The SDK configuration of clients that talk to the stub.
pub fn sdk_config(latency: Latency) -> SdkConfig {
    let connector = SharedHttpConnector::new(Stub { latency });
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "AKIDBENCH",
            "secret",
            None,
            None,
            "bench",
        )))
        .http_client(http_client_fn(move |_, _| connector.clone()))
        .build()
}

#[derive(Debug, Clone)]
struct Stub {
    latency: Latency,
}

impl HttpConnector for Stub {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let (latency, body) = match request.headers().get("x-amz-target") {
            Some("AWSEvents.PutEvents") => (self.latency.put_events, put_events(&request)),
            _ => (self.latency.dynamodb, "{}".to_owned()),
        };
        HttpConnectorFuture::new(async move {
            // A zero sleep still waits for the timer's next tick (1 ms): no sleep at all.
            if !latency.is_zero() {
                tokio::time::sleep(latency).await;
            }
            let status = StatusCode::try_from(200).map_err(|e| {
                aws_smithy_runtime_api::client::result::ConnectorError::other(e.into(), None)
            })?;
            Ok(HttpResponse::new(status, SdkBody::from(body)))
        })
    }
}

/// A PutEvents answer accepting every entry of `request`.
fn put_events(request: &HttpRequest) -> String {
    let entries = request
        .body()
        .bytes()
        .and_then(|body| serde_json::from_slice::<serde_json::Value>(body).ok())
        .and_then(|body| body["Entries"].as_array().map(Vec::len))
        .unwrap_or_default();
    let results = vec![serde_json::json!({"EventId": "stub"}); entries];
    serde_json::json!({"FailedEntryCount": 0, "Entries": results}).to_string()
}

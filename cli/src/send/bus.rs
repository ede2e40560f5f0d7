//! Sending an [`Entry`] to EventBridge with aws-sdk-eventbridge.

use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_eventbridge::config::Region;
use aws_sdk_eventbridge::config::SharedHttpClient;
use aws_sdk_eventbridge::types::PutEventsRequestEntry;
use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use aws_smithy_http_client::{Builder, ConnectorBuilder};

use super::Entry;

/// How long one PutEvents call may take, retries included.
const OPERATION_TIMEOUT: Duration = Duration::from_secs(30);

/// Where to send: the AWS SDK's usual configuration (environment, profile), with these
/// overrides.
#[derive(Debug, Clone, Default)]
pub struct Target {
    /// The EventBridge endpoint, e.g. a local emulator [default: `AWS_ENDPOINT_URL`, else
    /// the region's endpoint].
    pub endpoint_url: Option<String>,
    /// The region [default: `AWS_REGION` or the profile's].
    pub region: Option<String>,
}

/// Why an entry was not put on the bus.
#[derive(Debug, thiserror::Error)]
pub enum PutError {
    /// No region is configured.
    #[error("no AWS region: pass --region or set AWS_REGION")]
    NoRegion,
    /// The call failed (network, credentials, throttling, unknown bus, ...).
    #[error("PutEvents failed: {0}")]
    Call(String),
    /// EventBridge answered, but did not accept the entry.
    #[error("EventBridge rejected the event: {code}: {message}")]
    Rejected {
        /// The entry's error code.
        code: String,
        /// The entry's error message.
        message: String,
    },
}

/// An EventBridge client for `target`, configured like the AWS CLI (environment, profile)
/// with `target`'s overrides.
pub async fn client(target: &Target) -> Result<aws_sdk_eventbridge::Client, PutError> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http_client())
        .timeout_config(
            TimeoutConfig::builder()
                .operation_timeout(OPERATION_TIMEOUT)
                .build(),
        );
    if let Some(url) = &target.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some(region) = &target.region {
        loader = loader.region(Region::new(region.clone()));
    }
    let config = loader.load().await;
    if config.region().is_none() {
        return Err(PutError::NoRegion);
    }
    Ok(aws_sdk_eventbridge::Client::new(&config))
}

/// The SDK's default HTTP client (hyper 1.x, rustls, proxies from `HTTP_PROXY`,
/// `HTTPS_PROXY` and `NO_PROXY`), with ring as rustls's crypto provider: the SDK's default,
/// aws-lc, is a C library built with cmake, which makes `cargo install` slow and needs a C
/// toolchain. The configuration loader uses it for the credential providers' calls too (STS,
/// SSO).
fn http_client() -> SharedHttpClient {
    Builder::new().build_with_connector_fn(|settings, components| {
        let mut connector =
            ConnectorBuilder::default().tls_provider(Provider::Rustls(CryptoMode::Ring));
        connector.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            connector.set_sleep_impl(components.sleep_impl());
        }
        connector.set_proxy_config(Some(ProxyConfig::from_env()));
        connector.build()
    })
}

/// Puts `entry` on its bus with `client`; returns the event id EventBridge assigned.
pub async fn put(entry: &Entry, client: &aws_sdk_eventbridge::Client) -> Result<String, PutError> {
    let request = PutEventsRequestEntry::builder()
        .source(&entry.source)
        .detail_type(&entry.detail_type)
        .detail(&entry.detail)
        .event_bus_name(&entry.event_bus_name)
        .build();
    let output = client
        .put_events()
        .entries(request)
        .send()
        .await
        .map_err(|e| PutError::Call(causes(&e)))?;
    let result = output.entries().first();
    match result.and_then(|r| r.error_code()) {
        Some(code) => Err(PutError::Rejected {
            code: code.to_owned(),
            message: result
                .and_then(|r| r.error_message())
                .unwrap_or_default()
                .to_owned(),
        }),
        None if output.failed_entry_count() > 0 => Err(PutError::Rejected {
            code: "unknown".to_owned(),
            message: "FailedEntryCount is not 0".to_owned(),
        }),
        None => Ok(result
            .and_then(|r| r.event_id())
            .unwrap_or_default()
            .to_owned()),
    }
}

/// `error` and its sources, outermost first, joined by `: ` (the SDK's own message is
/// usually only "dispatch failure" or "service error"; the cause is further down).
fn causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

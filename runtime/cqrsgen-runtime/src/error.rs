//! Error messages with their causes.
//!
//! The `Display` of an AWS SDK error is only its top level (`dispatch failure`); what went
//! wrong (`connection refused`, a missing credential) is in its sources. Reasons that reach a
//! log or a batch response are written with [`error_chain`].

use std::error::Error;

/// Most sources followed, in case a chain loops.
const MAX_SOURCES: usize = 32;

/// `error`'s message followed by the messages of its sources, joined by `: `, e.g.
/// `view store request failed: dispatch failure: io error: connection refused`. A source
/// whose message the text already ends with (an error that prints its source itself) is
/// not repeated, and empty messages are left out.
pub fn error_chain(error: &dyn Error) -> String {
    let mut out = error.to_string();
    let mut source = error.source();
    for _ in 0..MAX_SOURCES {
        let Some(cause) = source else {
            break;
        };
        let message = cause.to_string();
        if !message.is_empty() && !out.ends_with(&message) {
            out.push_str(": ");
            out.push_str(&message);
        }
        source = cause.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error with an optional source, displayed as its message alone or with its source.
    #[derive(Debug)]
    struct Layer {
        message: &'static str,
        prints_source: bool,
        source: Option<Box<dyn Error + Send + Sync>>,
    }

    impl std::fmt::Display for Layer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.message)?;
            match &self.source {
                Some(source) if self.prints_source => write!(f, ": {source}"),
                _ => Ok(()),
            }
        }
    }

    impl Error for Layer {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            self.source.as_deref().map(|e| e as &(dyn Error + 'static))
        }
    }

    fn layer(message: &'static str, prints_source: bool, source: Option<Layer>) -> Layer {
        Layer {
            message,
            prints_source,
            source: source.map(|s| Box::new(s) as Box<dyn Error + Send + Sync>),
        }
    }

    #[test]
    fn every_source_is_written_once() {
        let refused =
            std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "connection refused");
        let io = Layer {
            message: "io error",
            prints_source: false,
            source: Some(Box::new(refused)),
        };
        let dispatch = layer("dispatch failure", false, Some(io));
        // Like `StoreError::Request`: prints its source, and has it as its source.
        let store = layer("view store request failed", true, Some(dispatch));
        assert_eq!(
            error_chain(&store),
            "view store request failed: dispatch failure: io error: connection refused"
        );
    }

    #[test]
    fn an_error_without_sources_is_its_message() {
        assert_eq!(error_chain(&layer("no body", false, None)), "no body");
        let empty = layer("outer", false, Some(layer("", false, None)));
        assert_eq!(error_chain(&empty), "outer");
    }

    #[tokio::test]
    async fn a_call_to_a_missing_endpoint_names_the_cause() {
        use aws_sdk_dynamodb::config::retry::RetryConfig;
        use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
        // A port nothing listens on any more.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let config = aws_sdk_dynamodb::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("key", "secret", None, None, "test"))
            .endpoint_url(format!("http://127.0.0.1:{port}"))
            .retry_config(RetryConfig::disabled())
            .build();
        let error = aws_sdk_dynamodb::Client::from_conf(config)
            .describe_table()
            .table_name("things")
            .send()
            .await
            .expect_err("nothing listens");
        assert_eq!(error.to_string(), "dispatch failure");
        let reason = error_chain(&crate::store::StoreError::Request(Box::new(error)));
        assert!(
            reason.starts_with("view store request failed: dispatch failure: "),
            "{reason}"
        );
        assert!(
            reason.to_lowercase().contains("connection refused"),
            "{reason}"
        );
    }

    #[test]
    fn boxed_errors_show_their_chain() {
        let boxed: Box<dyn Error + Send + Sync> =
            Box::new(layer("outer", false, Some(layer("inner", false, None))));
        assert_eq!(error_chain(&*boxed), "outer: inner");
    }
}

//! The connection to moto in server mode: SDK configuration and state reset.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_dynamodb::config::Credentials;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::{HarnessError, Result};

/// The region every scenario runs in.
pub const REGION: &str = "eu-central-1";

/// A running moto server.
#[derive(Debug, Clone)]
pub struct Moto {
    url: String,
    config: SdkConfig,
}

impl Moto {
    /// The server at `MOTO_URL` (as started by scripts/test-e2e or examples/shop/demo.sh).
    pub async fn from_env() -> Result<Self> {
        let url = std::env::var("MOTO_URL").map_err(|_| HarnessError::NoMoto)?;
        Self::connect(&url).await
    }

    /// The server at `url` (`http://HOST:PORT`).
    pub async fn connect(url: &str) -> Result<Self> {
        if host_port(url).is_none() {
            return Err(HarnessError::MotoUrl(url.to_owned()));
        }
        let config = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .endpoint_url(url)
            .credentials_provider(Credentials::new("testing", "testing", None, None, "moto"))
            .load()
            .await;
        Ok(Self {
            url: url.to_owned(),
            config,
        })
    }

    /// The SDK configuration pointing every client at the server.
    pub fn config(&self) -> &SdkConfig {
        &self.config
    }

    /// The server's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Forgets every resource: `POST /moto-api/reset`.
    pub async fn reset(&self) -> Result<()> {
        let Some(host_port) = host_port(&self.url) else {
            return Err(HarnessError::MotoUrl(self.url.clone()));
        };
        let io = |e: std::io::Error| HarnessError::aws("moto reset", e);
        let mut stream = TcpStream::connect(host_port).await.map_err(io)?;
        let request = format!(
            "POST /moto-api/reset HTTP/1.1\r\nHost: {host_port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).await.map_err(io)?;
        let mut response = String::new();
        stream.read_to_string(&mut response).await.map_err(io)?;
        if response.starts_with("HTTP/1.1 200") || response.starts_with("HTTP/1.0 200") {
            Ok(())
        } else {
            let status = response.lines().next().unwrap_or_default().to_owned();
            Err(HarnessError::Data(format!(
                "moto reset answered `{status}`"
            )))
        }
    }
}

/// `HOST:PORT` of an `http://HOST:PORT[/]` URL.
fn host_port(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("http://")?.trim_end_matches('/');
    (rest.contains(':') && !rest.contains('/')).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::host_port;

    #[test]
    fn reads_host_and_port_of_loopback_urls() {
        assert_eq!(host_port("http://127.0.0.1:5000"), Some("127.0.0.1:5000"));
        assert_eq!(host_port("http://127.0.0.1:5000/"), Some("127.0.0.1:5000"));
        assert_eq!(host_port("https://127.0.0.1:5000"), None);
        assert_eq!(host_port("http://localhost"), None);
    }
}

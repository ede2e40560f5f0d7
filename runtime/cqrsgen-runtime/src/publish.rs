//! Publishing events to EventBridge.
//!
//! A [`Publisher`] sends one PutEvents request and reports a result per entry, like the
//! PutEvents response does. [`publish_all`] sends any number of entries through it: in
//! requests of at most [`MAX_ENTRIES_PER_REQUEST`] entries within a size cap, retrying only
//! the failed entries with exponential backoff, and reports which stream records still
//! failed so that the trigger can return them as batch item failures.

use std::future::Future;
use std::ops::Range;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use aws_sdk_eventbridge::types::PutEventsRequestEntry;

use crate::error::error_chain;

/// PutEvents accepts at most this many entries per request.
pub const MAX_ENTRIES_PER_REQUEST: usize = 10;

/// The default size cap of one PutEvents request: 256 KiB.
pub const DEFAULT_MAX_REQUEST_BYTES: usize = 256 * 1024;

/// One event to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The producing service (EventBridge `Source`).
    pub source: String,
    /// The event type (EventBridge `DetailType`).
    pub detail_type: String,
    /// The envelope, as JSON (EventBridge `Detail`).
    pub detail: String,
    /// The stream record the entry was produced from (its sequence number).
    pub record_id: String,
}

impl Entry {
    /// The entry's size as EventBridge counts it: the UTF-8 bytes of `Source`, `DetailType`
    /// and `Detail`. Entries set neither `Resources` nor `Time`, which would count too.
    pub fn size(&self) -> usize {
        self.source.len() + self.detail_type.len() + self.detail.len()
    }
}

/// Why EventBridge rejected one entry of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryError {
    /// The error code, e.g. `ThrottlingException` or `InternalFailure`.
    pub code: String,
    /// The error message.
    pub message: String,
}

/// A whole request failed.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The request was not accepted (network, throttling, permissions, ...).
    #[error("PutEvents request failed: {0}")]
    Request(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The response does not have one result per entry sent (checked by [`publish_all`]).
    #[error("PutEvents answered {got} results for {sent} entries")]
    ResultCount {
        /// Entries sent.
        sent: usize,
        /// Results received.
        got: usize,
    },
}

/// Sends one PutEvents request.
pub trait Publisher: Sync {
    /// Publishes `entries` (at most [`MAX_ENTRIES_PER_REQUEST`]) in one request. On success,
    /// returns one result per entry, in order: `None` when the entry was accepted.
    fn put_events(
        &self,
        entries: &[Entry],
    ) -> impl Future<Output = Result<Vec<Option<EntryError>>, PublishError>> + Send;
}

/// Publishes to an EventBridge bus.
#[derive(Debug, Clone)]
pub struct EventBridgePublisher {
    client: aws_sdk_eventbridge::Client,
    bus_name: String,
}

impl EventBridgePublisher {
    /// Publishes with `client` to the bus named `bus_name`.
    pub fn new(client: aws_sdk_eventbridge::Client, bus_name: impl Into<String>) -> Self {
        Self {
            client,
            bus_name: bus_name.into(),
        }
    }
}

impl Publisher for EventBridgePublisher {
    async fn put_events(&self, entries: &[Entry]) -> Result<Vec<Option<EntryError>>, PublishError> {
        let request = entries.iter().map(|entry| {
            PutEventsRequestEntry::builder()
                .event_bus_name(&self.bus_name)
                .source(&entry.source)
                .detail_type(&entry.detail_type)
                .detail(&entry.detail)
                .build()
        });
        let output = self
            .client
            .put_events()
            .set_entries(Some(request.collect()))
            .send()
            .await
            .map_err(|error| PublishError::Request(Box::new(error)))?;
        Ok(output
            .entries()
            .iter()
            .map(|result| {
                result.error_code().map(|code| EntryError {
                    code: code.to_owned(),
                    message: result.error_message().unwrap_or_default().to_owned(),
                })
            })
            .collect())
    }
}

/// How [`publish_all`] splits and retries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishConfig {
    /// The size cap of one request, in bytes (see [`Entry::size`]).
    pub max_request_bytes: usize,
    /// How many times an entry is sent at most (1 = no retry).
    pub max_attempts: u32,
    /// The pause before the first retry; it doubles before each further one.
    pub base_delay: Duration,
}

impl Default for PublishConfig {
    fn default() -> Self {
        Self {
            max_request_bytes: DEFAULT_MAX_REQUEST_BYTES,
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
        }
    }
}

/// The first stream record whose events could not all be published.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FailedRecord {
    /// The record's sequence number.
    pub record_id: String,
    /// Why (the last failure of one of its entries).
    pub reason: String,
}

/// Publishes `entries` (in the order of their stream records) through `publisher`, and
/// stops at the first record that cannot be published: returns it, or `None` when
/// everything was published.
///
/// Entries are sent in order, in requests of at most [`MAX_ENTRIES_PER_REQUEST`] entries and
/// at most [`PublishConfig::max_request_bytes`] bytes. After a request, only its entries that
/// failed (or all of them, when the request itself failed) are sent again, after a pause,
/// before any later entry is sent. When an entry still fails after
/// [`PublishConfig::max_attempts`], or is larger than the cap on its own, no later request
/// is sent: Lambda retries the batch from the failed record, so publishing later records
/// first would put them on the bus ahead of an earlier change (and again on the retry).
pub async fn publish_all<P: Publisher>(
    publisher: &P,
    entries: &[Entry],
    config: &PublishConfig,
) -> Option<FailedRecord> {
    let oversized = entries
        .iter()
        .position(|entry| entry.size() > config.max_request_bytes);
    let sendable = &entries[..oversized.unwrap_or(entries.len())];
    for request in requests(sendable, config.max_request_bytes) {
        if let Err((index, reason)) = publish_request(publisher, entries, request, config).await {
            return Some(FailedRecord {
                record_id: entries[index].record_id.clone(),
                reason,
            });
        }
    }
    oversized.map(|index| {
        let entry = &entries[index];
        FailedRecord {
            record_id: entry.record_id.clone(),
            reason: format!(
                "event `{}` is {} bytes, more than the {}-byte request cap",
                entry.detail_type,
                entry.size(),
                config.max_request_bytes
            ),
        }
    })
}

/// Sends the entries `request` of `entries`, retrying the failed ones; on failure, the first
/// entry that still failed after the last attempt and why.
async fn publish_request<P: Publisher>(
    publisher: &P,
    entries: &[Entry],
    request: Range<usize>,
    config: &PublishConfig,
) -> Result<(), (usize, String)> {
    let mut pending: Vec<usize> = request.collect();
    let mut delay = config.base_delay;
    let mut failure = None;
    for attempt in 1..=config.max_attempts.max(1) {
        if attempt > 1 {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            delay = delay.saturating_mul(2);
        }
        let batch: Vec<Entry> = pending.iter().map(|&i| entries[i].clone()).collect();
        let outcome = publisher.put_events(&batch).await.and_then(|results| {
            if results.len() == batch.len() {
                Ok(results)
            } else {
                Err(PublishError::ResultCount {
                    sent: batch.len(),
                    got: results.len(),
                })
            }
        });
        let failed: Vec<(usize, String)> = match outcome {
            Ok(results) => pending
                .iter()
                .zip(results)
                .filter_map(|(&index, result)| {
                    result.map(|e| (index, format!("{}: {}", e.code, e.message)))
                })
                .collect(),
            Err(error) => {
                let reason = error_chain(&error);
                pending
                    .iter()
                    .map(|&index| (index, reason.clone()))
                    .collect()
            }
        };
        let Some(first) = failed.first() else {
            return Ok(());
        };
        tracing::warn!(
            attempt,
            failed = failed.len(),
            reason = first.1,
            "some events were not published"
        );
        failure = Some(first.clone());
        pending = failed.into_iter().map(|(index, _)| index).collect();
    }
    Err(failure.unwrap_or_else(|| (pending[0], "not published".to_owned())))
}

/// Splits `entries` into consecutive requests.
fn requests(entries: &[Entry], max_bytes: usize) -> Vec<Range<usize>> {
    let mut requests = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (index, entry) in entries.iter().enumerate() {
        let size = entry.size();
        if index > start && (index - start == MAX_ENTRIES_PER_REQUEST || bytes + size > max_bytes) {
            requests.push(start..index);
            start = index;
            bytes = 0;
        }
        bytes += size;
    }
    if start < entries.len() {
        requests.push(start..entries.len());
    }
    requests
}

/// A [`Publisher`] that keeps what it is sent, for tests. It can be told to fail entries
/// of given records or whole requests a number of times.
#[derive(Debug, Default)]
pub struct InMemoryPublisher {
    state: Mutex<InMemoryState>,
}

#[derive(Debug, Default)]
struct InMemoryState {
    requests: Vec<Vec<Entry>>,
    published: Vec<Entry>,
    failing_records: Vec<(String, usize)>,
    failing_requests: usize,
}

impl InMemoryPublisher {
    /// A publisher that accepts everything.
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes the entries of record `record_id` fail the next `times` times they are sent.
    pub fn fail_record(&self, record_id: &str, times: usize) {
        self.lock()
            .failing_records
            .push((record_id.to_owned(), times));
    }

    /// Makes the next `times` requests fail as a whole.
    pub fn fail_requests(&self, times: usize) {
        self.lock().failing_requests = times;
    }

    /// The entries accepted so far, in order.
    pub fn published(&self) -> Vec<Entry> {
        self.lock().published.clone()
    }

    /// Every request received so far, failed ones included.
    pub fn requests(&self) -> Vec<Vec<Entry>> {
        self.lock().requests.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, InMemoryState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Publisher for InMemoryPublisher {
    async fn put_events(&self, entries: &[Entry]) -> Result<Vec<Option<EntryError>>, PublishError> {
        let mut state = self.lock();
        state.requests.push(entries.to_vec());
        if state.failing_requests > 0 {
            state.failing_requests -= 1;
            return Err(PublishError::Request("injected request failure".into()));
        }
        let mut results = Vec::with_capacity(entries.len());
        for entry in entries {
            let fault = state
                .failing_records
                .iter_mut()
                .find(|(record, times)| *record == entry.record_id && *times > 0);
            if let Some((_, times)) = fault {
                *times -= 1;
                results.push(Some(EntryError {
                    code: "InternalFailure".into(),
                    message: "injected entry failure".into(),
                }));
            } else {
                state.published.push(entry.clone());
                results.push(None);
            }
        }
        Ok(results)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(record: usize, detail: &str) -> Entry {
        Entry {
            source: "orders".into(),
            detail_type: "order-created".into(),
            detail: detail.into(),
            record_id: record.to_string(),
        }
    }

    fn entries(count: usize) -> Vec<Entry> {
        (0..count).map(|i| entry(i, "{}")).collect()
    }

    fn no_delay() -> PublishConfig {
        PublishConfig {
            base_delay: Duration::ZERO,
            ..PublishConfig::default()
        }
    }

    fn request_sizes(publisher: &InMemoryPublisher) -> Vec<usize> {
        publisher.requests().iter().map(Vec::len).collect()
    }

    fn record_ids(entries: &[Entry]) -> Vec<&str> {
        entries.iter().map(|e| e.record_id.as_str()).collect()
    }

    #[test]
    fn entry_size_counts_utf8_bytes() {
        let e = Entry {
            source: "ü".into(),
            detail_type: "ab".into(),
            detail: "{\"é\":1}".into(),
            record_id: "1".into(),
        };
        assert_eq!(e.size(), 2 + 2 + 8);
    }

    #[tokio::test]
    async fn sends_at_most_ten_entries_per_request() {
        let publisher = InMemoryPublisher::new();
        let failed = publish_all(&publisher, &entries(25), &no_delay()).await;
        assert_eq!(failed, None);
        assert_eq!(request_sizes(&publisher), [10, 10, 5]);
        assert_eq!(publisher.published(), entries(25));
    }

    #[tokio::test]
    async fn splits_requests_at_the_size_cap() {
        let publisher = InMemoryPublisher::new();
        // Each entry is 6 + 13 + 30 = 49 bytes; the cap fits two of them.
        let batch: Vec<Entry> = (0..5).map(|i| entry(i, &"x".repeat(30))).collect();
        let config = PublishConfig {
            max_request_bytes: 100,
            ..no_delay()
        };
        let failed = publish_all(&publisher, &batch, &config).await;
        assert_eq!(failed, None);
        assert_eq!(request_sizes(&publisher), [2, 2, 1]);
    }

    #[tokio::test]
    async fn retries_the_failed_entries_before_sending_later_ones() {
        let publisher = InMemoryPublisher::new();
        publisher.fail_record("3", 1);
        publisher.fail_record("7", 2);
        let failed = publish_all(&publisher, &entries(12), &no_delay()).await;
        assert_eq!(failed, None);
        let requests = publisher.requests();
        assert_eq!(request_sizes(&publisher), [10, 2, 1, 2]);
        assert_eq!(record_ids(&requests[1]), ["3", "7"]);
        assert_eq!(record_ids(&requests[2]), ["7"]);
        assert_eq!(record_ids(&requests[3]), ["10", "11"]);
        assert_eq!(publisher.published().len(), 12);
    }

    #[tokio::test]
    async fn retries_whole_failed_requests() {
        let publisher = InMemoryPublisher::new();
        publisher.fail_requests(1);
        let failed = publish_all(&publisher, &entries(12), &no_delay()).await;
        assert_eq!(failed, None);
        assert_eq!(request_sizes(&publisher), [10, 10, 2]);
        assert_eq!(publisher.published().len(), 12);
    }

    #[tokio::test]
    async fn stops_at_the_first_record_that_never_gets_through() {
        let publisher = InMemoryPublisher::new();
        publisher.fail_record("2", usize::MAX);
        publisher.fail_record("5", usize::MAX);
        let mut batch = entries(14);
        // Record 2 produced two events.
        batch.insert(3, entry(2, "{\"second\":true}"));
        let failed = publish_all(&publisher, &batch, &no_delay()).await;
        assert_eq!(
            failed,
            Some(FailedRecord {
                record_id: "2".into(),
                reason: "InternalFailure: injected entry failure".into(),
            })
        );
        // The first request and two retries of what failed in it; nothing after it.
        assert_eq!(request_sizes(&publisher), [10, 3, 3]);
        assert!(!record_ids(&publisher.published()).contains(&"10"));
    }

    #[tokio::test]
    async fn an_oversized_entry_fails_its_record_and_stops_there() {
        let publisher = InMemoryPublisher::new();
        let batch = vec![entry(1, "{}"), entry(2, &"x".repeat(200)), entry(3, "{}")];
        let config = PublishConfig {
            max_request_bytes: 100,
            ..no_delay()
        };
        let failed = publish_all(&publisher, &batch, &config).await;
        assert_eq!(
            failed,
            Some(FailedRecord {
                record_id: "2".into(),
                reason: "event `order-created` is 219 bytes, more than the 100-byte request cap"
                    .into(),
            })
        );
        assert_eq!(record_ids(&publisher.published()), ["1"]);
    }

    #[tokio::test]
    async fn gives_up_after_the_configured_attempts() {
        let publisher = InMemoryPublisher::new();
        publisher.fail_requests(usize::MAX);
        let config = PublishConfig {
            max_attempts: 4,
            ..no_delay()
        };
        let failed = publish_all(&publisher, &entries(3), &config).await;
        let failed = failed.expect("a failure");
        assert_eq!(failed.record_id, "0");
        assert_eq!(
            failed.reason,
            "PutEvents request failed: injected request failure"
        );
        assert_eq!(publisher.requests().len(), 4);
    }

    /// Accepts requests but answers no per-entry results.
    struct Forgetful;

    impl Publisher for Forgetful {
        async fn put_events(
            &self,
            _entries: &[Entry],
        ) -> Result<Vec<Option<EntryError>>, PublishError> {
            Ok(Vec::new())
        }
    }

    /// Fails every request the way the SDK does against a missing endpoint.
    struct Unreachable;

    impl Publisher for Unreachable {
        async fn put_events(
            &self,
            _entries: &[Entry],
        ) -> Result<Vec<Option<EntryError>>, PublishError> {
            let source = Box::new(crate::test_support::dispatch_failure());
            Err(PublishError::Request(source))
        }
    }

    #[tokio::test]
    async fn failure_reasons_carry_the_whole_error_chain() {
        let failed = publish_all(&Unreachable, &entries(1), &no_delay()).await;
        assert_eq!(
            failed.map(|f| f.reason).as_deref(),
            Some("PutEvents request failed: dispatch failure: connection refused")
        );
    }

    #[tokio::test]
    async fn missing_results_count_as_failures() {
        let failed = publish_all(&Forgetful, &entries(2), &no_delay()).await;
        assert_eq!(
            failed.map(|f| f.reason).as_deref(),
            Some("PutEvents answered 0 results for 2 entries")
        );
    }
}

//! Publishing events to EventBridge.
//!
//! A [`Publisher`] sends one PutEvents request and reports a result per entry, like the
//! PutEvents response does. [`publish_all`] sends any number of entries through it: in
//! requests of at most [`MAX_ENTRIES_PER_REQUEST`] entries within a size cap, several at
//! once, retrying only the failed entries with exponential backoff, and reports which stream
//! records still failed so that the trigger can return them as batch item failures.

use std::future::Future;
use std::num::NonZeroUsize;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use aws_sdk_eventbridge::types::PutEventsRequestEntry;
use futures_util::stream::{self, StreamExt};

use crate::deadline::{Deadline, Expired};
use crate::env::{self, EnvError};
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
    /// The invocation's deadline came before the answer (the request may still have been
    /// accepted).
    #[error(transparent)]
    Expired(#[from] Expired),
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

/// How [`publish_all`] splits, sends and retries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishConfig {
    /// The size cap of one request, in bytes (see [`Entry::size`]).
    pub max_request_bytes: usize,
    /// How many times an entry is sent at most (1 = no retry).
    pub max_attempts: u32,
    /// The pause before the first retry; it doubles before each further one.
    pub base_delay: Duration,
    /// The most requests in progress (waiting for an answer or for a retry) at once.
    pub concurrency: NonZeroUsize,
}

impl PublishConfig {
    /// The default bound on requests in progress at once. A trigger's default batch of 100
    /// stream records makes about ten requests: all of them at once take one round trip
    /// instead of ten. The bound keeps a larger batch (up to 10,000 records) from bursting
    /// against the region's PutEvents quota, which every trigger of the account shares, and
    /// bounds the events that can reach the bus ahead of a record that failed for good (see
    /// [`publish_all`]) to nine requests' worth, all of them published again by the retry.
    /// aws-lambda-stream sends 8 requests at once by default.
    pub const DEFAULT_CONCURRENCY: NonZeroUsize = NonZeroUsize::new(10).expect("not zero");

    /// The default configuration with the concurrency of [`env::PUBLISH_CONCURRENCY`] if
    /// set. Read it once, at the cold start.
    pub fn from_env() -> Result<Self, EnvError> {
        Ok(Self {
            concurrency: env::positive(env::PUBLISH_CONCURRENCY)?
                .unwrap_or(Self::DEFAULT_CONCURRENCY),
            ..Self::default()
        })
    }
}

impl Default for PublishConfig {
    fn default() -> Self {
        Self {
            max_request_bytes: DEFAULT_MAX_REQUEST_BYTES,
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            concurrency: Self::DEFAULT_CONCURRENCY,
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
/// Entries are sent in requests of at most [`MAX_ENTRIES_PER_REQUEST`] entries and at most
/// [`PublishConfig::max_request_bytes`] bytes. Requests start in order, and one starts only
/// when every request [`PublishConfig::concurrency`] places or more before it is done, so
/// at most that many are in progress at once. After a request, only its entries that failed
/// (or all of them, when the request itself failed) are sent again, after a pause.
///
/// When an entry still fails after [`PublishConfig::max_attempts`], or is larger than the cap
/// on its own, no later request starts, and requests in progress of later entries stop
/// retrying: Lambda retries the batch from the failed record, so publishing later records
/// after that would put them on the bus ahead of an earlier change (and again on the
/// retry). Only the requests in progress at that moment, at most `concurrency - 1` after the
/// failed one, may have put later records' events on the bus first.
///
/// Nothing is sent, and no pause begins, that would end after `deadline`: what is not
/// published by then has failed.
pub async fn publish_all<P: Publisher>(
    publisher: &P,
    entries: &[Entry],
    config: &PublishConfig,
    deadline: Deadline,
) -> Option<FailedRecord> {
    let oversized = entries
        .iter()
        .position(|entry| entry.size() > config.max_request_bytes);
    let sendable = &entries[..oversized.unwrap_or(entries.len())];
    // The first entry that failed for good so far (`usize::MAX`: none).
    let first_failed = AtomicUsize::new(usize::MAX);
    let first_failed = &first_failed;
    let mut outcomes = stream::iter(requests(sendable, config.max_request_bytes))
        .map(|request| async move {
            let start = request.start;
            let given_up = || first_failed.load(Ordering::Acquire) < start;
            let outcome =
                publish_request(publisher, entries, request, config, deadline, given_up).await;
            if let Err((index, _)) = &outcome {
                first_failed.fetch_min(*index, Ordering::AcqRel);
            }
            outcome
        })
        .buffered(config.concurrency.get());
    // In request order, so the first failure is the earliest; returning drops (cancels) the
    // requests still in progress, which are all of later records.
    while let Some(outcome) = outcomes.next().await {
        if let Err((index, reason)) = outcome {
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

/// Sends the entries `request` of `entries`, retrying the failed ones while `deadline`
/// allows and `given_up()` (an earlier entry failed for good) is false; on failure, the
/// first entry that was not published and the last reason it failed for.
async fn publish_request<P: Publisher>(
    publisher: &P,
    entries: &[Entry],
    request: Range<usize>,
    config: &PublishConfig,
    deadline: Deadline,
    given_up: impl Fn() -> bool,
) -> Result<(), (usize, String)> {
    if given_up() {
        return Err((
            request.start,
            "not sent: an earlier record failed".to_owned(),
        ));
    }
    let mut pending: Vec<usize> = request.collect();
    let mut delay = config.base_delay;
    let mut failure = None;
    for attempt in 1..=config.max_attempts.max(1) {
        if attempt > 1 {
            if given_up() || !deadline.allows(delay) {
                break;
            }
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            delay = delay.saturating_mul(2);
        }
        let batch: Vec<Entry> = pending.iter().map(|&i| entries[i].clone()).collect();
        let outcome = match deadline.bound(publisher.put_events(&batch)).await {
            Ok(outcome) => outcome,
            Err(expired) => Err(expired.into()),
        };
        let outcome = outcome.and_then(|results| {
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

    /// One request at a time, retried without pause.
    fn no_delay() -> PublishConfig {
        PublishConfig {
            base_delay: Duration::ZERO,
            concurrency: NonZeroUsize::MIN,
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
        let failed = publish_all(&publisher, &entries(25), &no_delay(), Deadline::NONE).await;
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
        let failed = publish_all(&publisher, &batch, &config, Deadline::NONE).await;
        assert_eq!(failed, None);
        assert_eq!(request_sizes(&publisher), [2, 2, 1]);
    }

    #[tokio::test]
    async fn retries_the_failed_entries_before_sending_later_ones() {
        let publisher = InMemoryPublisher::new();
        publisher.fail_record("3", 1);
        publisher.fail_record("7", 2);
        let failed = publish_all(&publisher, &entries(12), &no_delay(), Deadline::NONE).await;
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
        let failed = publish_all(&publisher, &entries(12), &no_delay(), Deadline::NONE).await;
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
        let failed = publish_all(&publisher, &batch, &no_delay(), Deadline::NONE).await;
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
        let failed = publish_all(&publisher, &batch, &config, Deadline::NONE).await;
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
        let failed = publish_all(&publisher, &entries(3), &config, Deadline::NONE).await;
        let failed = failed.expect("a failure");
        assert_eq!(failed.record_id, "0");
        assert_eq!(
            failed.reason,
            "PutEvents request failed: injected request failure"
        );
        assert_eq!(publisher.requests().len(), 4);
    }

    /// An [`InMemoryPublisher`] that answers after a latency (by the request's first record),
    /// counting requests in flight.
    struct Slow {
        inner: InMemoryPublisher,
        latency: fn(&str) -> Duration,
        in_flight: AtomicUsize,
        most_in_flight: AtomicUsize,
    }

    impl Slow {
        fn new(latency: fn(&str) -> Duration) -> Self {
            Self {
                inner: InMemoryPublisher::new(),
                latency,
                in_flight: AtomicUsize::new(0),
                most_in_flight: AtomicUsize::new(0),
            }
        }

        /// The first record of every request received, in order.
        fn firsts(&self) -> Vec<String> {
            self.inner
                .requests()
                .iter()
                .map(|request| request[0].record_id.clone())
                .collect()
        }
    }

    impl Publisher for Slow {
        async fn put_events(
            &self,
            entries: &[Entry],
        ) -> Result<Vec<Option<EntryError>>, PublishError> {
            let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            self.most_in_flight.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep((self.latency)(&entries[0].record_id)).await;
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            self.inner.put_events(entries).await
        }
    }

    fn twenty_ms(_record: &str) -> Duration {
        Duration::from_millis(20)
    }

    fn concurrent(concurrency: usize) -> PublishConfig {
        PublishConfig {
            concurrency: NonZeroUsize::new(concurrency).expect("not zero"),
            ..PublishConfig::default()
        }
    }

    fn sorted(mut records: Vec<String>) -> Vec<String> {
        records.sort_by_key(|record| record.parse::<usize>().unwrap_or(usize::MAX));
        records
    }

    #[tokio::test(start_paused = true)]
    async fn sends_at_most_the_configured_number_of_requests_at_once() {
        let publisher = Slow::new(twenty_ms);
        let start = tokio::time::Instant::now();
        let failed = publish_all(&publisher, &entries(100), &concurrent(4), Deadline::NONE).await;
        assert_eq!(failed, None);
        assert_eq!(publisher.most_in_flight.load(Ordering::SeqCst), 4);
        // Ten requests, four at a time: three round trips.
        assert_eq!(start.elapsed(), Duration::from_millis(60));
        let published = publisher.inner.published();
        let records = sorted(published.iter().map(|e| e.record_id.clone()).collect());
        assert_eq!(records, sorted((0..100).map(|i| i.to_string()).collect()));
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_waits_for_those_concurrency_places_before_it() {
        // Request 1 (records 10 to 19) needs a retry, 100 ms later; the others go through.
        let publisher = Slow::new(twenty_ms);
        publisher.inner.fail_record("12", 1);
        let failed = publish_all(&publisher, &entries(100), &concurrent(3), Deadline::NONE).await;
        assert_eq!(failed, None);
        // Requests 0 to 2 at once, then 3 (after 0); 4 waits for 1, whose retry comes first.
        let firsts = publisher.firsts();
        assert_eq!(sorted(firsts[..3].to_vec()), ["0", "10", "20"]);
        assert_eq!(firsts[3..5], ["30", "12"]);
        assert_eq!(publisher.inner.published().len(), 100);
    }

    #[tokio::test(start_paused = true)]
    async fn no_request_starts_after_a_record_failed_for_good() {
        // Request 0 answers after 200 ms; request 1 fails for good after 20 ms.
        let publisher =
            Slow::new(|record| Duration::from_millis(if record == "0" { 200 } else { 20 }));
        publisher.inner.fail_record("12", usize::MAX);
        let config = PublishConfig {
            max_attempts: 1,
            ..concurrent(3)
        };
        let failed = publish_all(&publisher, &entries(100), &config, Deadline::NONE).await;
        assert_eq!(failed.map(|f| f.record_id).as_deref(), Some("12"));
        // Request 3 could start when request 0 was done, but record 12 had failed by then.
        assert_eq!(sorted(publisher.firsts()), ["0", "10", "20"]);
    }

    /// Fails every request.
    struct Down {
        requests: AtomicUsize,
    }

    impl Publisher for Down {
        async fn put_events(
            &self,
            _entries: &[Entry],
        ) -> Result<Vec<Option<EntryError>>, PublishError> {
            self.requests.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            Err(PublishError::Request("throttled".into()))
        }
    }

    #[tokio::test(start_paused = true)]
    async fn stops_retrying_before_the_deadline() {
        let down = Down {
            requests: AtomicUsize::new(0),
        };
        let config = PublishConfig {
            max_attempts: 100,
            ..concurrent(4)
        };
        let start = tokio::time::Instant::now();
        let deadline = Deadline::at(start + Duration::from_secs(1));
        let failed = publish_all(&down, &entries(15), &config, deadline).await;
        assert_eq!(failed.map(|f| f.record_id).as_deref(), Some("0"));
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "{:?}",
            start.elapsed()
        );
        // Each request is sent at 0, 120, 340 and 760 ms (answers take 20 ms, pauses 100, 200
        // and 400 ms); the next pause, 800 ms, would end after the deadline.
        assert_eq!(down.requests.load(Ordering::SeqCst), 2 * 4);
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
        let failed = publish_all(&Unreachable, &entries(1), &no_delay(), Deadline::NONE).await;
        assert_eq!(
            failed.map(|f| f.reason).as_deref(),
            Some("PutEvents request failed: dispatch failure: connection refused")
        );
    }

    #[tokio::test]
    async fn missing_results_count_as_failures() {
        let failed = publish_all(&Forgetful, &entries(2), &no_delay(), Deadline::NONE).await;
        assert_eq!(
            failed.map(|f| f.reason).as_deref(),
            Some("PutEvents answered 0 results for 2 entries")
        );
    }
}

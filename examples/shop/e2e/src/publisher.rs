//! The trigger's publisher in the scenarios: the generated trigger's `EventBridgePublisher`,
//! wrapped to record what the bus accepted and to inject partial failures.
//!
//! A fault is injected the way EventBridge reports one: the PutEvents call succeeds, and the
//! failed entries carry an error code (`FailedEntryCount > 0`). The entries that are not
//! failed on purpose are sent to the real bus in one request.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use cqrsgen_runtime::publish::{Entry, EntryError, PublishError, Publisher};

/// Records accepted entries and fails the entries of chosen stream records.
#[derive(Debug, Default)]
pub struct FaultyPublisher<P> {
    inner: P,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    accepted: Vec<Entry>,
    /// Record id -> how many more times its entries fail.
    faults: BTreeMap<String, usize>,
    injected: usize,
    /// Fault plans: (one in how many new records, how many times its entries fail).
    plans: Vec<(usize, usize)>,
    /// Records seen so far, in order of first sight.
    seen: Vec<String>,
    /// Records a plan chose, with how many faults they got.
    planned: BTreeMap<String, usize>,
}

impl<P> FaultyPublisher<P> {
    /// Publishes through `inner`, with no fault.
    pub fn new(inner: P) -> Self {
        Self {
            inner,
            state: Mutex::default(),
        }
    }

    /// Makes the entries of stream record `record_id` fail the next `times` times they are
    /// sent.
    pub fn fail_record(&self, record_id: &str, times: usize) {
        self.lock().faults.insert(record_id.to_owned(), times);
    }

    /// Makes one in `one_in` of the records sent from now on (the `one_in`-th, the
    /// `2 * one_in`-th, ...) fail `times` times (counted per request that holds one of its
    /// entries; `usize::MAX` fails it until [`FaultyPublisher::heal`]). A record chosen by
    /// two plans gets the first one's faults.
    pub fn fail_one_in(&self, one_in: usize, times: usize) {
        self.lock().plans.push((one_in.max(1), times));
    }

    /// Ends every fault and fault plan: the bus works again.
    pub fn heal(&self) {
        let mut state = self.lock();
        state.faults.clear();
        state.plans.clear();
    }

    /// The records a [`FaultyPublisher::fail_one_in`] plan chose to fail `times` times.
    pub fn planned(&self, times: usize) -> Vec<String> {
        let state = self.lock();
        let chosen = state.planned.iter().filter(|(_, t)| **t == times);
        chosen.map(|(record, _)| record.clone()).collect()
    }

    /// The entries the bus accepted so far, in order.
    pub fn accepted(&self) -> Vec<Entry> {
        self.lock().accepted.clone()
    }

    /// How many entry failures were injected so far.
    pub fn injected(&self) -> usize {
        self.lock().injected
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<P: Publisher + Send> Publisher for FaultyPublisher<P> {
    async fn put_events(&self, entries: &[Entry]) -> Result<Vec<Option<EntryError>>, PublishError> {
        let failing: Vec<bool> = {
            let mut state = self.lock();
            for entry in entries {
                if state.seen.contains(&entry.record_id) {
                    continue;
                }
                state.seen.push(entry.record_id.clone());
                let nth = state.seen.len();
                let plan = state
                    .plans
                    .iter()
                    .find(|(one_in, _)| nth.is_multiple_of(*one_in))
                    .copied();
                if let Some((_, times)) = plan {
                    state.faults.insert(entry.record_id.clone(), times);
                    state.planned.insert(entry.record_id.clone(), times);
                }
            }
            let mut failing = Vec::with_capacity(entries.len());
            for entry in entries {
                let fault = state
                    .faults
                    .get_mut(&entry.record_id)
                    .filter(|times| **times > 0);
                failing.push(fault.is_some());
            }
            // A record's remaining faults count down once per request, not per entry.
            let records: std::collections::BTreeSet<&str> = entries
                .iter()
                .zip(&failing)
                .filter(|(_, failing)| **failing)
                .map(|(entry, _)| entry.record_id.as_str())
                .collect();
            for record in records {
                if let Some(times) = state.faults.get_mut(record) {
                    *times -= 1;
                }
            }
            state.injected += failing.iter().filter(|f| **f).count();
            failing
        };
        let sent: Vec<Entry> = entries
            .iter()
            .zip(&failing)
            .filter(|(_, failing)| !**failing)
            .map(|(entry, _)| entry.clone())
            .collect();
        let mut results = if sent.is_empty() {
            Vec::new()
        } else {
            self.inner.put_events(&sent).await?
        }
        .into_iter();
        let mut merged = Vec::with_capacity(entries.len());
        let mut state = self.lock();
        for (entry, failing) in entries.iter().zip(failing) {
            if failing {
                merged.push(Some(EntryError {
                    code: "InternalFailure".into(),
                    message: "injected by the end-to-end harness".into(),
                }));
                continue;
            }
            let result = results.next().flatten();
            if result.is_none() {
                state.accepted.push(entry.clone());
            }
            merged.push(result);
        }
        Ok(merged)
    }
}

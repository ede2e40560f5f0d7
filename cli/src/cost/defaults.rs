//! The deployment the estimate prices: the functions' memory, batch size and architecture
//! from the spec's resolved `generate.deploy` settings ([`crate::ir::deploy`], what the
//! generated templates say), and in one place what the spec does not hold (durations,
//! pollers, log volume, the archive, the alarms of the templates). The volumes file
//! overrides any of them.
//!
//! The template facts here mirror `cli/src/emit/infra/`; `cli/tests/cost.rs` reads them back
//! from the committed templates of `examples/shop`, so a template change that is not
//! repeated here fails a test.

use crate::ir::deploy::{Architecture, FunctionDeploy};
use crate::ir::{ServiceId, System};
/// Days the hub's archive keeps events (the `ArchiveRetentionDays` parameter's default,
/// `emit/infra/hub.rs`).
pub const ARCHIVE_RETENTION_DAYS: u32 = 365;
/// Dead-letter-queue alarms of a service with a trigger (`emit/infra/upstream.rs`: the
/// trigger's on-failure queue).
pub const TRIGGER_ALARMS: u32 = 1;
/// Dead-letter-queue alarms of a service with a listener (`emit/infra/downstream.rs`: the
/// listener queue's and the rules' dead-letter queues).
pub const LISTENER_ALARMS: u32 = 2;

/// Assumed, not measured: billed milliseconds of a trigger invocation with a full batch (100
/// records: ten `PutEvents` calls of ten entries). Measure yours and set `duration-ms`.
pub const TRIGGER_DURATION_MS: u32 = 250;
/// Assumed, not measured: billed milliseconds of a listener invocation with a full batch (10
/// messages, one conditional `UpdateItem` each, one after the other).
pub const LISTENER_DURATION_MS: u32 = 100;
/// Assumed: pollers Lambda keeps on an idle queue. Its documentation: at low traffic Lambda
/// "scales back the processing to five concurrent batches, and can optimize to as few as 2".
pub const IDLE_POLLERS: u32 = 5;
/// Assumed: bytes ingested into CloudWatch Logs per invocation. The generated functions log
/// nothing on success at the default level, so this is Lambda's `START`, `END` and `REPORT`
/// lines (about 250 bytes) plus 26 bytes of metadata per log event, rounded up.
pub const LOG_BYTES_PER_INVOCATION: u64 = 400;
/// Assumed: bytes of an entity item or a view row when the volumes file gives no size.
pub const ITEM_BYTES: u64 = 1024;
/// Assumed: bytes of an event's envelope when the volumes file gives no size and the event
/// has no example to measure.
pub const EVENT_BYTES: u64 = 1024;

/// Settings of one kind of function.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Function {
    /// The instruction set, which sets the price of a GB-second.
    pub architecture: Architecture,
    /// Memory, in MB.
    pub memory_mb: u32,
    /// Billed duration per invocation, in milliseconds.
    pub duration_ms: u32,
    /// The event source mapping's batch size.
    pub batch_size: u32,
    /// Records or messages per invocation on average.
    pub average_batch: f64,
    /// Pollers on the idle queue (listeners only).
    pub idle_pollers: u32,
}

impl Function {
    /// A trigger deployed with `settings` on `architecture`, full batches assumed.
    pub fn trigger(architecture: Architecture, settings: &FunctionDeploy) -> Self {
        Self::new(architecture, settings, TRIGGER_DURATION_MS, 0)
    }

    /// A listener deployed with `settings` on `architecture`, full batches assumed.
    pub fn listener(architecture: Architecture, settings: &FunctionDeploy) -> Self {
        Self::new(architecture, settings, LISTENER_DURATION_MS, IDLE_POLLERS)
    }

    /// Whether its average batch is above its batch size, which no invocation can get.
    pub fn overfills(&self) -> bool {
        self.average_batch > f64::from(self.batch_size)
    }

    fn new(
        architecture: Architecture,
        settings: &FunctionDeploy,
        duration_ms: u32,
        idle_pollers: u32,
    ) -> Self {
        Function {
            architecture,
            memory_mb: settings.memory,
            duration_ms,
            batch_size: settings.batch_size,
            average_batch: f64::from(settings.batch_size),
            idle_pollers,
        }
    }
}

/// The deployment of a system, as far as the estimate needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Deployment {
    /// Each service's trigger.
    pub triggers: Vec<Function>,
    /// Each service's listener.
    pub listeners: Vec<Function>,
    /// Days the archive keeps events.
    pub archive_retention_days: u32,
    /// Bytes logged per invocation.
    pub log_bytes_per_invocation: u64,
}

impl Deployment {
    /// The deployment of `system` as its generated templates describe it (indexed by
    /// service).
    pub fn of(system: &System) -> Self {
        let settings: Vec<_> = system
            .services
            .iter()
            .map(|(_, service)| system.deploy.service(&service.name))
            .collect();
        Deployment {
            triggers: settings
                .iter()
                .map(|s| Function::trigger(s.architecture, &s.trigger))
                .collect(),
            listeners: settings
                .iter()
                .map(|s| Function::listener(s.architecture, &s.listener))
                .collect(),
            archive_retention_days: ARCHIVE_RETENTION_DAYS,
            log_bytes_per_invocation: LOG_BYTES_PER_INVOCATION,
        }
    }

    /// The trigger of `service`.
    pub fn trigger(&self, service: ServiceId) -> &Function {
        &self.triggers[crate::ir::Id::index(service)]
    }

    /// The listener of `service`.
    pub fn listener(&self, service: ServiceId) -> &Function {
        &self.listeners[crate::ir::Id::index(service)]
    }
}

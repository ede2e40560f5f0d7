//! End-to-end harness of the shop example: the generated services, run in-process against
//! real AWS APIs emulated by moto in server mode.
//!
//! The pieces follow the path of a change through the system:
//!
//! - [`moto`]: the connection to the emulator and its reset;
//! - [`deploy`]: the hub and service stacks, created from the generated templates through
//!   CloudFormation;
//! - [`stream`]: reads a table's DynamoDB stream and wraps the records into the Lambda event
//!   the generated trigger takes;
//! - [`publisher`]: the trigger's publisher, recording what the bus accepted and failing
//!   chosen entries on purpose;
//! - [`queue`]: receives a listener queue's messages and hands them to the generated listener
//!   as SQS events, deleting acknowledged messages and releasing failed ones;
//! - [`shop`]: all of it wired together for the shop's services;
//! - [`lambda`]: the functions' real binaries instead, run by cargo-lambda's local Lambda
//!   Runtime API (`cargo lambda watch`) and invoked with `cargo lambda invoke`.
//!
//! Nothing here reimplements generated code: changes are written with the generated
//! repositories (the command side, over each deployed entity table), the triggers are the generated `Mapper`s run by
//! the runtime's `Trigger`, the listeners are the generated `Listener`s run by the runtime's
//! `process_batch`, and views are read through the generated read-model API.

pub mod deploy;
pub mod lambda;
pub mod moto;
pub mod publisher;
pub mod queue;
pub mod shop;
pub mod stream;

/// A step of the harness failed.
#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    /// `MOTO_URL` is not set: the scenarios need a running moto server.
    #[error("MOTO_URL is not set: start moto first, e.g. with scripts/test-e2e")]
    NoMoto,
    /// `MOTO_URL` is not of the form `http://HOST:PORT`.
    #[error("MOTO_URL `{0}` is not of the form http://HOST:PORT")]
    MotoUrl(String),
    /// A request to the emulator failed.
    #[error("{operation} failed: {source}")]
    Aws {
        /// What was asked.
        operation: String,
        /// Why it failed.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A stack did not reach `CREATE_COMPLETE`.
    #[error("stack `{stack}` ended in {status}: {reason}")]
    Stack {
        /// The stack.
        stack: String,
        /// Its status.
        status: String,
        /// The status reason.
        reason: String,
    },
    /// The deployment lacks a resource the harness needs.
    #[error("missing {0}")]
    Missing(String),
    /// A template or a row could not be read or written.
    #[error("{0}")]
    Data(String),
    /// A generated repository refused or failed a write.
    #[error(transparent)]
    Repository(#[from] cqrsgen_runtime::entity::RepositoryError),
    /// A batch could not be processed at all (a failed message had no id).
    #[error(transparent)]
    Batch(#[from] cqrsgen_runtime::listener::MissingMessageId),
}

impl HarnessError {
    /// Wraps the error of an AWS request named `operation`.
    pub fn aws(
        operation: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        HarnessError::Aws {
            operation: operation.into(),
            source: Box::new(source),
        }
    }
}

/// The result of a harness step.
pub type Result<T, E = HarnessError> = std::result::Result<T, E>;

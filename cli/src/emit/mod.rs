//! Emitters: turn a resolved [`System`] into generated files, in memory.
//!
//! Emitters never touch the disk; the [writer](crate::write) does. They cannot fail on user
//! input: validation rejected whatever they could not handle, so an error here ([`EmitBug`])
//! is a bug in cqrsgen. [`generate_all`] runs every target; paths follow the layout documented
//! in `docs/generated-layout.md`.
//!
//! - [`events_crate`]: the typed events crate `crates/<system>-events` (payload types,
//!   `DomainEvent` with upcasting, JSON Schemas) on the `cqrsgen-events` library.
//! - [`service_crates`]: a crate per service (entities, the trigger's mapping, view rows and
//!   stores, projections, the listener) on the `cqrsgen-runtime` library.
//! - [`infra()`]: the CloudFormation/SAM templates of the event hub and of every service.
//! - [`vendored_libraries`]: the two library crates' source, for projects outside this
//!   repository.
//! - [`scaffolds`]: the files the user owns (each service's own crate under `app/`, the
//!   upcasts), written once next to the spec.
//!
//! The [`output`] layer decides how files look: Rust through prettyplease with sorted imports
//! and spaced items, crate roots in rustfmt's style, manifests through toml_edit.

mod app;
mod events_crate;
mod infra;
pub mod json_schema;
mod options;
pub(crate) mod output;
mod rust;
mod service;
mod vendor;

use std::path::PathBuf;

use crate::ir::System;
use crate::parallel;

pub use app::scaffolds;
pub use events_crate::{UPCASTS_FILE, events_crate};
pub use infra::infra;
pub(crate) use options::path_between;
pub use options::{Libraries, Options};
pub use output::manifest::RUST_VERSION;
pub use service::service_crates;
pub use vendor::vendored_libraries;

pub use crate::write::{GeneratedFile, Ownership};

/// The directory of the output root that holds the generated crates (`crates/<package>/`).
pub const CRATES_DIR: &str = "crates";

/// The package of the event library the generated crates build on.
pub const EVENTS_PACKAGE: &str = "cqrsgen-events";

/// The package of the AWS runtime library the generated service crates build on.
pub const RUNTIME_PACKAGE: &str = "cqrsgen-runtime";

/// Everything one run generates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generation {
    /// The files of the output root, by path relative to it, sorted.
    pub files: Vec<GeneratedFile>,
    /// The files the user owns, by path relative to the project directory, sorted: written
    /// only where nothing is yet.
    pub scaffolds: Vec<GeneratedFile>,
}

/// Generates every target of `system`.
pub fn generate_all(system: &System, options: &Options) -> Result<Generation, EmitBug> {
    // The targets are independent, so each gets its own thread (and spreads its own work over
    // the cores): the long serial parts overlap with the rest instead of leaving a core idle.
    let (events, services, infra) = std::thread::scope(|scope| {
        let infra = scope.spawn(|| infra(system, options));
        let services = scope.spawn(|| service_crates(system, options));
        let events = events_crate(system, options);
        (events, parallel::join(services), parallel::join(infra))
    });
    let mut files = events?;
    let mut crates = services?;
    if options.libraries == Libraries::Vendored {
        crates.extend(vendored_libraries()?);
    }
    files.extend(crates);
    files.extend(infra?);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Generation {
        files,
        scaffolds: scaffolds(system, options),
    })
}

/// cqrsgen generated something it should not have: a bug, never the user's mistake (every
/// user mistake is a finding of `validate`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EmitBug {
    /// The emitter built tokens that do not parse as Rust.
    #[error("cqrsgen generated invalid Rust for `{path}` (a bug, please report it): {message}")]
    InvalidRust {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// The emitter built a CloudFormation template that does not hold together.
    #[error("cqrsgen built an invalid CloudFormation template (a bug, please report it): {0}")]
    InvalidTemplate(#[from] crate::cfn::CfnError),
    /// Something validation should have ruled out.
    #[error("cqrsgen cannot generate a spec it validated (a bug, please report it): {0}")]
    Internal(String),
}

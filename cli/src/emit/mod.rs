//! Emitters: turn a resolved [`System`] into generated files, in memory.
//!
//! Emitters never touch the disk; the [writer](crate::write) does. Every generated file
//! starts with the writer's [header](crate::write::header), which it uses to recognize files
//! it may overwrite. [`generate_all`] runs every target; paths follow the output layout
//! documented in `docs/generated-layout.md`.
//!
//! - [`events_crate`]: the typed events crate `crates/<system>-events` (payload types,
//!   envelope, decoding with upcasting, validation, JSON Schemas).
//! - [`json_schema`]: the JSON Schemas of event payloads, also used to check spec examples.
//! - [`infra()`]: the CloudFormation/SAM templates of the event hub and of every service.
//! - [`service_crates`]: a crate per service `<system>-<service>` (view rows and stores,
//!   projections, the trigger's event mapping, Lambda binaries) on the shared runtime.
//! - [`vendored_runtime`]: the runtime crate's source, for projects outside this repository.

mod checks;
mod events_crate;
mod infra;
pub mod json_schema;
mod options;
mod payload;
mod scan;
mod service;
mod tokens;
mod upcast;
mod vendor;

use std::path::PathBuf;

use crate::model::System;
use crate::parallel;

pub use events_crate::events_crate;
pub use infra::infra;
pub(crate) use options::path_between;
pub use options::{Options, RuntimeCrate};
pub use service::service_crates;
pub use vendor::{RUNTIME_PACKAGE, vendored_runtime};

/// The directory of the output root that holds the generated crates (`crates/<package>/`).
pub const CRATES_DIR: &str = "crates";

pub use crate::write::{GeneratedFile, Ownership};

/// Generates every target of `system`: the files of the whole output root, in memory, sorted
/// by path. Each target adds its files here.
pub fn generate_all(system: &System, options: &Options) -> Result<Vec<GeneratedFile>, EmitError> {
    // The targets are independent, so each gets its own thread (and spreads its own work over
    // the cores): the long serial parts, such as the events crate's `lib.rs`, overlap with
    // the rest instead of leaving a core idle.
    let (events, services, infra) = std::thread::scope(|scope| {
        let infra = scope.spawn(|| infra(system));
        let services = scope.spawn(|| service_crates(system, options));
        let events = events_crate(system);
        (events, parallel::join(services), parallel::join(infra))
    });
    let mut files = events?;
    let mut crates = services?;
    if options.runtime == RuntimeCrate::Vendored {
        crates.extend(vendored_runtime());
    }
    files.extend(crates.into_iter().map(|mut file| {
        file.path = PathBuf::from(CRATES_DIR).join(&file.path);
        file
    }));
    files.extend(infra?);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The `rustfmt.toml` of every generated crate: the code is formatted by cqrsgen (prettyplease),
/// so `cargo fmt` in a workspace holding the crate leaves it as generated (and `--check` clean).
fn rustfmt_toml() -> String {
    format!(
        "{}# The code is formatted by cqrsgen; `cargo fmt` leaves it as generated.\ndisable_all_formatting = true\n",
        crate::write::header(crate::write::CommentStyle::Hash)
    )
}

/// Why a system could not be emitted. The validator reports these situations first with
/// spans; the emitter refuses them again instead of generating broken code.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EmitError {
    /// The emitter produced tokens that do not parse as Rust: a bug in cqrsgen.
    #[error("cqrsgen generated invalid Rust for `{path}` (a bug, please report it): {message}")]
    InvalidRust {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// A version change that is not additive and names no upcast hook.
    #[error(
        "event `{event}` changes from v{from} to v{to} in a way that is not additive (only new optional fields are); name an `upcast` hook on v{from}"
    )]
    MissingUpcast {
        /// The event.
        event: String,
        /// The older version.
        from: u32,
        /// The next version.
        to: u32,
    },
    /// One hook name used for two different upcasts.
    #[error("upcast hook `{hook}` is named for both {first} and {second}; give each its own")]
    HookReused {
        /// The hook.
        hook: String,
        /// One upcast, e.g. `order-placed v1`.
        first: String,
        /// The other.
        second: String,
    },
    /// An event whose module name is taken by a module of the generated crate.
    #[error(
        "event `{event}` would become module `{module}`, which the events crate reserves; rename the event"
    )]
    ReservedModule {
        /// The event.
        event: String,
        /// The module name.
        module: String,
    },
    /// A name that cannot be used where the emitter needs it (e.g. as a file name).
    #[error("`{name}` {error}")]
    InvalidName {
        /// The name.
        name: String,
        /// What is wrong with it.
        error: crate::naming::NameError,
    },
    /// The emitter built a CloudFormation template that does not hold together: a bug in
    /// cqrsgen.
    #[error("cqrsgen built an invalid CloudFormation template (a bug, please report it): {0}")]
    InvalidTemplate(#[from] crate::cfn::CfnError),
    /// A filter (e.g. of a subscription) that does not compile to an EventBridge pattern.
    #[error("{what} is not a valid event pattern: {source}")]
    InvalidPattern {
        /// Whose filter, e.g. "the filter of `shipping`'s subscription to `order-placed`".
        what: String,
        /// Why the pattern is invalid.
        source: crate::eventbridge::PatternError,
    },
    /// Two resources of one type would get the same AWS name: joined kebab names are
    /// ambiguous (service `orders` with view `bff-list` and service `orders-bff` with view
    /// `list` both give table `<system>-orders-bff-list`).
    #[error("two {type_} resources would be named `{name}` (in `{}` and `{}`); rename a service or view", first.display(), second.display())]
    DuplicateResourceName {
        /// The resource type.
        type_: String,
        /// The name.
        name: String,
        /// The template of the first one.
        first: PathBuf,
        /// The template of the second one.
        second: PathBuf,
    },
    /// A service names an event the system does not define.
    #[error("service `{service}` uses event `{event}`, which is not defined")]
    UnknownEvent {
        /// The service.
        service: String,
        /// The event.
        event: String,
    },
    /// A field path that does not resolve.
    #[error("{at}: `{path}` does not name a field")]
    UnknownPath {
        /// Where the path is used.
        at: String,
        /// The path.
        path: String,
    },
    /// A required event field mapped from a value that may be absent.
    #[error("event `{event}` field `{field}` is required, but `{path}` may be absent")]
    OptionalSource {
        /// The event.
        event: String,
        /// The event field.
        field: String,
        /// The entity path it is mapped from.
        path: String,
    },
    /// A view key naming a field the view does not have.
    #[error("view `{view}` is keyed by `{field}`, which is not one of its fields")]
    UnknownKeyField {
        /// The view.
        view: String,
        /// The key field.
        field: String,
    },
    /// A projection that does not map a key field of its view.
    #[error("a projection of view `{view}` does not map key field `{field}`")]
    UnmappedKey {
        /// The view.
        view: String,
        /// The key field.
        field: String,
    },
    /// Something cqrsgen should have resolved was not there: a bug.
    #[error("cqrsgen could not resolve a spec it validated (a bug, please report it): {0}")]
    Internal(String),
    /// A numeric bound that is not a finite number.
    #[error("the bound {value} of `{at}` is not a finite number")]
    NotFinite {
        /// The field, as `Type.field`.
        at: String,
        /// The bound.
        value: f64,
    },
}

/// What the Rust emitters share while generating one system.
struct Context<'a> {
    /// The system.
    system: &'a System,
    /// What its types use.
    usage: scan::Usage,
    /// Whether records get a `Validate` implementation (payloads do; view rows and
    /// entities, which live outside the events crate, do not).
    validate: bool,
}

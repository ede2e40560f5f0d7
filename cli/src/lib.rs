//! cqrsgen: turns a YAML description of domain events, services and read models into a
//! system-wide CQRS architecture on AWS.
//!
//! The pipeline: [`load`] (YAML with spans) -> [`validate`] (all findings at once) ->
//! [`model`] (resolved, typed) -> emitters (files in memory) -> [`write`](mod@write).

pub mod diagnostic;
pub mod load;
pub mod model;
pub mod spec;
pub mod write;

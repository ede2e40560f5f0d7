//! cqrsgen: turns a YAML description of domain events, services and read models into a
//! system-wide CQRS architecture on AWS.
//!
//! The pipeline: [`load`] (YAML with spans) -> [`validate`] (all findings at once) ->
//! [`model`] (resolved, typed) -> emitters (files in memory) -> writer.

pub mod diagnostic;
pub mod emit;
pub mod load;
pub mod model;
pub mod naming;
pub mod spec;

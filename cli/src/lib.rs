//! cqrsgen: turns a YAML description of domain events, services and read models into a
//! system-wide CQRS architecture on AWS.
//!
//! The pipeline: [`load`] (YAML with spans) -> [`validate`] (all findings at once) ->
//! [`model`] (resolved, typed) -> emitters (files in memory) -> writer. [`report`] renders
//! findings; [`cli`] is the command line; [`send`] puts example events on a bus; [`cost`]
//! estimates what a system costs on AWS; [`asyncapi`] exports it as an AsyncAPI document.

pub mod asyncapi;
pub mod catalog;
pub mod cfn;
pub mod cli;
mod codes;
pub mod cost;
pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod eventbridge;
pub mod fingerprint;
pub mod ir;
pub mod load;
pub mod model;
pub mod naming;
mod parallel;
pub mod report;
pub mod scaffold;
pub mod send;
pub mod simulate;
pub mod spec;
pub mod user_code;
pub mod validate;
pub mod write;

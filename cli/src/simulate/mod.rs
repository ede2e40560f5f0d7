//! `cqrsgen simulate`: runs a scenario against the spec, in process, without generated code
//! and without AWS (`docs/simulate.md`).
//!
//! [`scenario`] is the file format, [`compile`] checks a scenario against the spec (located
//! findings E060-E063) and computes the entity rows each step leaves, [`engine`] interprets
//! the spec's `publishes` rules, subscription patterns and projections, and [`render`]
//! prints the trace, the views and the comparison with the expected rows.

pub mod compile;
pub mod engine;
pub mod render;
pub mod scenario;

pub use compile::{Scenario, load};
pub use engine::{Outcome, run};

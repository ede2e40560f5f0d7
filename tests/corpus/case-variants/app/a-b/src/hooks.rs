//! The hooks of service `a-b`: the custom projections the spec names (`hook:`).
//!
//! The listener calls each hook for the event the spec names it for. When the spec names
//! a new hook, `cqrsgen generate` says what to implement, and the compiler names the
//! method `Hooks` now requires.

use corpus_case_variants_a_b::Hooks;

/// What the hooks need (clients, configuration), built once per container in the
/// listener's `main`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ServiceHooks;

impl Hooks for ServiceHooks {}

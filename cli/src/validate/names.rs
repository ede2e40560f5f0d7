//! Name checks: the allowed characters of every spec name, collisions once names become Rust
//! identifiers, and AWS naming limits.

use super::context::Checker;

/// Runs the checks.
pub fn check(_c: &mut Checker<'_>) {}

//! EventBridge event patterns: a typed model of the pattern language and the compiler from a
//! subscription's content filter to a rule's pattern.
//!
//! [`pattern`] holds the model. Its constructors check what EventBridge checks when a rule is
//! created (non-empty lists, numeric operands within range, well-formed wildcards, `$or` with at
//! least two alternatives...), so a value of [`EventPattern`] always serializes to a pattern
//! EventBridge accepts. [`compile`] turns a [`crate::spec::Filter`] into such a pattern and
//! offers the operator-level helpers the validator uses for type fitness.

pub mod compile;
pub mod pattern;

pub use compile::{FieldKind, OperatorKind, compile, operator_kind, paths, scalar_kind};
pub use pattern::{
    AnythingBut, Bound, ComparableNumber, EventPattern, Field, Literal, Matcher, Node, NonEmpty,
    NumericMatch, PatternError, Wildcard,
};

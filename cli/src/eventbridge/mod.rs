//! EventBridge event patterns: a typed model of the pattern language, the compiler from a
//! subscription's content filter to a rule's pattern, and a matcher that decides, as EventBridge
//! does, whether an event matches a pattern.
//!
//! [`pattern`] holds the model. Its constructors check what EventBridge checks when a rule is
//! created (non-empty lists, numeric operands within range, well-formed wildcards, `$or` with at
//! least two alternatives...), so a value of [`EventPattern`] always serializes to a pattern
//! EventBridge accepts. [`compile`] turns a [`crate::spec::Filter`] into such a pattern and
//! offers the operator-level helpers the validator uses for type fitness. [`matcher`] matches
//! events against patterns and says why one does not match.

pub mod compile;
pub mod matcher;
pub mod pattern;

pub use compile::{FieldKind, OperatorKind, compile, operator_kind, paths, scalar_kind};
pub use matcher::{Found, Mismatch, Reason, match_node, matches};
pub use pattern::{
    AnythingBut, AnythingButKind, Bound, ComparableNumber, EventPattern, Field, Literal, Matcher,
    Node, NonEmpty, NumericKind, NumericMatch, PatternError, Wildcard,
};

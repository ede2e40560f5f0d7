//! What the Rust emitters share: types for records and enums ([`types`]), their validation
//! ([`checks`]), conversions between versions ([`upcast`]), field paths as expressions
//! ([`paths`]) and token helpers ([`tokens`]).

pub(crate) mod checks;
pub(crate) mod paths;
pub(crate) mod tokens;
pub(crate) mod types;
pub(crate) mod upcast;

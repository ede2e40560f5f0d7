//! Tests of the generated `payloads-events` crate (see `tests/`).

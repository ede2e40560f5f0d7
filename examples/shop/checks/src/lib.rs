//! Behaviour tests of `shop-events`, the events crate generated from `examples/shop`.
//!
//! The generated crate is rewritten by every `cqrsgen generate`, so its tests live here, in
//! `tests/`. The library itself is empty.

//! Service `reader` of the `corpus-deep` system: the code cqrsgen does not generate.
//!
//! The generated crate `corpus-deep-reader` holds what the spec says (the entities, the
//! trigger's mapping, the views, the listener). This crate holds the Lambda functions
//! (`src/bin/`), the hooks (`hooks.rs`) and their tests. cqrsgen wrote these files once
//! and never touches them again: they are yours.

pub mod hooks;

//! Service `laden` of the `corpus-unicode` system: the code cqrsgen does not generate.
//!
//! The generated crate `corpus-unicode-laden` holds what the spec says (the entities, the
//! trigger's mapping, the views, the listener). This crate holds the Lambda functions
//! (`src/bin/`), the hooks (`hooks.rs`) and their tests. cqrsgen wrote these files once
//! and never touches them again: they are yours.

pub mod hooks;

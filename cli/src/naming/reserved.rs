//! Names the generated code takes for itself, per generated module: items it defines and
//! names it refers to there (imports, crates, the prelude). A spec name that becomes one of
//! them would shadow or clash with it, so the validator reports it (`E011`).
//!
//! A test (`validate::idents`) parses the code generated for the corpus, the examples and the
//! valid fixtures, and checks that every name a generated module defines or refers to is
//! either one of these or derived from the spec (and so checked): a new name in an emitter
//! fails it until it is listed here.

/// A list of names followed by Rust's primitive types, which a module or type of the same
/// name would shadow.
macro_rules! with_primitives {
    ($($name:literal),* $(,)?) => {
        &[
            $($name,)*
            "bool", "char", "f32", "f64", "i8", "i16", "i32", "i64", "i128", "isize", "str",
            "u8", "u16", "u32", "u64", "u128", "usize",
        ]
    };
}

/// The events crate's root (`src/lib.rs`), where every event is a module `src/<event>.rs`:
/// the fixed modules, the names of files Cargo gives a meaning to (`lib`, `main`), the crates
/// and primitive types the root refers to, and its own items (which no event module can
/// take: those are lowercase, but listed to keep the list complete).
pub const EVENTS_LIB: &[&str] = with_primitives![
    // Fixed modules, and the user's upcasts compiled in as a module.
    "domain_event",
    "types",
    "patterns",
    "upcasts",
    // The tool of `#[rustfmt::skip]`.
    "rustfmt",
    // Files: `src/lib.rs` is the root, `src/main.rs` would be a binary.
    "lib",
    "main",
    // Crates.
    "alloc",
    "core",
    "serde",
    "serde_json",
    "std",
    // Items, imports, generic parameters and the prelude.
    "BUS",
    "D",
    "DecodeError",
    "Decoder",
    "DomainEvent",
    "Envelope",
    "From",
    "Option",
    "Payload",
    "Result",
    "String",
    "Publishable",
    "U",
    "Upcaster",
    "Upcasts",
    "Validate",
    "ValidationError",
    "ValidationErrors",
    "Vec",
];

/// An event's module (`src/<event>.rs`), where the event's types are: its imports and
/// constants, the crates, prelude and primitive types its payload structs use, and the
/// paths of their serde attributes.
pub const EVENT_MODULE: &[&str] = with_primitives![
    "BUS",
    "DETAIL_TYPE",
    "Deserialize",
    "ENTITY",
    "From",
    "Option",
    "Path",
    "Payload",
    "SOURCE",
    "Serialize",
    "String",
    "VERSION",
    "Validate",
    "ValidationErrors",
    "Vec",
    "check",
    "chrono",
    "rust_decimal",
    "std",
    "uuid",
];

/// The shared types' module (`src/types.rs`).
pub const TYPES_MODULE: &[&str] = with_primitives![
    "Deserialize",
    "Option",
    "Path",
    "Serialize",
    "String",
    "Validate",
    "ValidationErrors",
    "Vec",
    "check",
    "chrono",
    "rust_decimal",
    "std",
    "uuid",
];

/// A service crate's modules (`src/lib.rs`, `entities.rs`, `repository.rs`, `patterns.rs`,
/// `trigger.rs`, `views.rs`, `listener.rs`), where its entity, row, key and store structs are:
/// its imports, items, generic parameters, crates and the prelude.
pub const SERVICE_LIB: &[&str] = with_primitives![
    "AnyEntityTable",
    "AnyViewStore",
    "Applied",
    "Arc",
    "BTreeMap",
    "BUS",
    "BoxError",
    "Change",
    "Clock",
    "D",
    "DISCRIMINATOR",
    "DecodeError",
    "Decoded",
    "Decoder",
    "Deserialize",
    "DomainEvent",
    "Encoded",
    "Entity",
    "EntityRow",
    "EntityTable",
    "EnvError",
    "Envelope",
    "From",
    "H",
    "HANDLED",
    "Hooks",
    "Into",
    "Key",
    "KeySchema",
    "LazyLock",
    "Listener",
    "Mapper",
    "MessageHandler",
    "Option",
    "P",
    "Path",
    "Payload",
    "Publishable",
    "Published",
    "Regex",
    "Repositories",
    "Repository",
    "RepositoryError",
    "Result",
    "SERVICE",
    "SdkConfig",
    "Send",
    "Serialize",
    "StoreError",
    "Stored",
    "StreamMapper",
    "StreamRecord",
    "String",
    "Sync",
    "SystemClock",
    "TableSchema",
    "Tags",
    "Validate",
    "ValidationError",
    "ValidationErrors",
    "Vec",
    "Version",
    "ViewStore",
    "Views",
    "Write",
    "aws_sdk_dynamodb",
    "check",
    "chrono",
    "clients",
    "cqrsgen_runtime",
    "discriminator",
    "domain_event",
    "entities",
    "env",
    "envelope",
    "events",
    "hooks",
    "key_value",
    "listener",
    "patterns",
    "regex",
    "repository",
    "runtime",
    "rust_decimal",
    "rustfmt",
    "serde",
    "serde_json",
    "std",
    "tokio",
    "trigger",
    "types",
    "uuid",
    "version",
    "views",
];

/// The methods of a service's `Mapper` besides the one per entity.
pub const MAPPER_METHODS: &[&str] = &["new", "from_env", "map"];

/// Library names of the crates generated crates depend on (besides each other), which no
/// generated crate may take: a binary of a package `serde-json` could not tell its own
/// library from `serde_json`.
pub const CRATES: &[&str] = &[
    "chrono",
    "cqrsgen_events",
    "cqrsgen_runtime",
    "regex",
    "rust_decimal",
    "serde",
    "serde_json",
    "tokio",
    "uuid",
];

/// The templates of `infra/` that are not a service's (`infra/<service>.yaml`).
pub const INFRA_TEMPLATES: &[&str] = &["hub"];

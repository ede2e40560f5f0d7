//! The resolved model of a system: what every later stage (validation checks, emitters,
//! diff, docs) works on. Built from the merged spec files by [`build`]; names are kept as
//! written in the spec, field types are parsed, and every top-level item remembers the file
//! and JSON pointer it came from so findings can point at it.

pub mod build;
pub mod ty;

use std::collections::BTreeMap;

pub use build::build;
pub use ty::{Constraints, Field, IntWidth, StringFormat, Ty, TypeKind};

use crate::spec::{AcknowledgeDef, ChangeDef, Filter, KeyDef, Scalar};

/// Where an item of the model was defined.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// Index of the file in the loaded project.
    pub file: usize,
    /// JSON pointer to the item in that file.
    pub pointer: String,
}

impl Origin {
    /// The origin of a node below this one; `suffix` is a pointer suffix like `/fields/id`.
    pub fn at(&self, suffix: &str) -> Origin {
        Origin {
            file: self.file,
            pointer: format!("{}{suffix}", self.pointer),
        }
    }

    /// The origin of the member `key` of the mapping here (escaped as a pointer token).
    pub fn key(&self, key: &str) -> Origin {
        Origin {
            file: self.file,
            pointer: crate::load::span::child(&self.pointer, key),
        }
    }

    /// The origin of element `index` of the sequence here.
    pub fn index(&self, index: usize) -> Origin {
        self.key(&index.to_string())
    }
}

/// A whole system.
#[derive(Debug, Clone, Default)]
pub struct System {
    /// The system's name (kebab-case).
    pub name: String,
    /// The hub bus name.
    pub bus: String,
    /// What the system is for.
    pub description: Option<String>,
    /// Where generated crates get the runtime crate from.
    pub runtime: Runtime,
    /// Shared named types.
    pub types: BTreeMap<String, NamedType>,
    /// Domain events.
    pub events: BTreeMap<String, Event>,
    /// Services.
    pub services: BTreeMap<String, Service>,
    /// Deliberate breaking changes the manifest acknowledges.
    pub acknowledge: Vec<AcknowledgeDef>,
    /// The manifest's `generate.deploy`, as written (checked by `validate::deploy`).
    pub deploy: Option<crate::spec::DeployDef>,
}

/// Where generated crates get the `cqrsgen-runtime` crate from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Runtime {
    /// Its source is written into the output.
    #[default]
    Vendored,
    /// An existing copy, at this path relative to the manifest's directory.
    Path(String),
}

/// A shared named type.
#[derive(Debug, Clone)]
pub struct NamedType {
    /// Its name.
    pub name: String,
    /// What it means.
    pub description: Option<String>,
    /// Record or enum.
    pub kind: NamedKind,
    /// Where it was defined.
    pub origin: Origin,
}

/// The two kinds of named type.
#[derive(Debug, Clone, PartialEq)]
pub enum NamedKind {
    /// A record with fields.
    Record(Vec<Field>),
    /// An enum with values.
    Enum(Vec<String>),
}

/// A domain event with all its versions.
#[derive(Debug, Clone)]
pub struct Event {
    /// Name; the DetailType and envelope `type`.
    pub name: String,
    /// The producing service.
    pub owner: Option<String>,
    /// Produced outside the system.
    pub external: bool,
    /// The entity name whose object the event carries.
    pub entity: String,
    /// What happened.
    pub description: Option<String>,
    /// Consumers should move off it.
    pub deprecated: bool,
    /// Versions, oldest first; the last is current.
    pub versions: Vec<EventVersion>,
    /// Where it was defined.
    pub origin: Origin,
}

impl Event {
    /// The current version.
    pub fn current(&self) -> &EventVersion {
        self.versions
            .last()
            .unwrap_or_else(|| unreachable!("an event always has a version"))
    }
}

/// One version of an event's payload.
#[derive(Debug, Clone)]
pub struct EventVersion {
    /// The version number.
    pub version: u32,
    /// What changed.
    pub description: Option<String>,
    /// The entity object's fields.
    pub fields: Vec<Field>,
    /// Example payloads.
    pub examples: Vec<serde_json::Value>,
    /// Hook that turns this version into the next (older versions only; `None` = additive).
    pub upcast: Option<String>,
    /// Pointer suffix of this version within the event (`""` for current, `/previous/N`).
    pub at: String,
}

/// A service.
#[derive(Debug, Clone)]
pub struct Service {
    /// Name.
    pub name: String,
    /// What it does.
    pub description: Option<String>,
    /// Entities of its CRUD model.
    pub entities: BTreeMap<String, Entity>,
    /// Entity changes that produce events.
    pub publishes: Vec<Publish>,
    /// Consumed events.
    pub subscriptions: Vec<Subscription>,
    /// Read models.
    pub views: BTreeMap<String, View>,
    /// Where it was defined.
    pub origin: Origin,
}

/// An entity of a service's CRUD model.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Name.
    pub name: String,
    /// What it is.
    pub description: Option<String>,
    /// The identifying field.
    pub key: String,
    /// Its fields.
    pub fields: Vec<Field>,
}

/// An entity change that produces an event.
#[derive(Debug, Clone)]
pub struct Publish {
    /// The event.
    pub event: String,
    /// The entity.
    pub entity: String,
    /// The change.
    pub when: ChangeDef,
    /// Event field -> entity field path, where names differ.
    pub map: BTreeMap<String, String>,
}

/// A consumed event.
#[derive(Debug, Clone)]
pub struct Subscription {
    /// The event.
    pub event: String,
    /// Content filter.
    pub filter: Option<Filter>,
    /// Why.
    pub description: Option<String>,
}

/// A read model.
#[derive(Debug, Clone)]
pub struct View {
    /// Name.
    pub name: String,
    /// What it answers.
    pub description: Option<String>,
    /// The primary key.
    pub key: KeyDef,
    /// Secondary indexes.
    pub indexes: BTreeMap<String, KeyDef>,
    /// Fields.
    pub fields: Vec<Field>,
    /// Per event, how it changes the view.
    pub projections: BTreeMap<String, Projection>,
}

/// How an event changes a view.
#[derive(Debug, Clone, PartialEq)]
pub enum Projection {
    /// Create or update the row: view field -> source.
    Upsert(BTreeMap<String, Source>),
    /// Delete the row: view key field -> event field path.
    Delete(BTreeMap<String, String>),
    /// A custom hook.
    Hook(String),
}

/// Where a view field's value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// An event field path.
    Field(String),
    /// Envelope metadata.
    Meta(Meta),
    /// A constant.
    Const(Scalar),
}

/// Envelope metadata a projection can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meta {
    /// The event id.
    Id,
    /// The event type.
    Type,
    /// Epoch milliseconds of the change.
    Timestamp,
    /// The partition key.
    PartitionKey,
    /// The payload's schema version.
    Version,
}

impl Meta {
    /// Every metadata source, with its spelling in a spec.
    pub const ALL: [(&'static str, Meta); 5] = [
        ("$id", Meta::Id),
        ("$type", Meta::Type),
        ("$timestamp", Meta::Timestamp),
        ("$partitionKey", Meta::PartitionKey),
        ("$version", Meta::Version),
    ];

    /// How a spec writes it (`$timestamp`).
    pub fn spelling(self) -> &'static str {
        Meta::ALL
            .iter()
            .find(|(_, m)| *m == self)
            .map_or("$", |(name, _)| name)
    }

    /// The type of the value.
    pub fn kind(self) -> TypeKind {
        match self {
            Meta::Id | Meta::Type | Meta::PartitionKey => TypeKind::String,
            Meta::Timestamp => TypeKind::Integer(IntWidth::I64),
            Meta::Version => TypeKind::Integer(IntWidth::I32),
        }
    }
}

impl System {
    /// The fields of every named record type, for path lookups.
    pub fn records(&self) -> BTreeMap<String, Vec<Field>> {
        self.types
            .iter()
            .filter_map(|(name, t)| match &t.kind {
                NamedKind::Record(fields) => Some((name.clone(), fields.clone())),
                NamedKind::Enum(_) => None,
            })
            .collect()
    }

    /// The services that subscribe to `event`, in name order.
    pub fn consumers<'a>(&'a self, event: &'a str) -> impl Iterator<Item = &'a Service> + 'a {
        self.services
            .values()
            .filter(move |s| s.subscriptions.iter().any(|sub| sub.event == event))
    }
}

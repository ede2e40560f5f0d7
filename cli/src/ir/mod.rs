//! The resolved intermediate representation of a system: what every stage after validation
//! works on (the emitters, `docs`, `diff`, `emit`).
//!
//! [`crate::validate`] lowers the spec into a [`System`] or reports findings; nothing after it
//! can fail on user input. In a [`System`]:
//!
//! - every item lives in an [`Arena`] and is referred to by a typed id ([`TypeId`],
//!   [`EventId`], [`ServiceId`], [`EntityId`], [`ViewId`]), never by name;
//! - an event's producer is a [`Producer`], a service or the outside world;
//! - every field path (a publication's `map`, a transition, a projection source) is a
//!   resolved [`FieldPath`]: the fields it goes through, its type, whether it may be absent;
//! - every subscription carries its compiled EventBridge pattern and what it reads of the
//!   event ([`Reads`]);
//! - every name the generated code, the templates or the environment use is computed once, by
//!   [`crate::naming`], and kept on its item (e.g. [`EventNames`], [`ViewNames`]);
//! - fields keep the order the spec writes them in;
//! - every item and nested element keeps its [`Origin`], so later stages can still point at
//!   the spec.

mod arena;
pub mod deploy;
#[cfg(test)]
pub(crate) mod examples;
mod reads;
mod ty;

pub use arena::{Arena, Id};
pub use reads::{Reader, Reads};
pub use ty::{
    Constraints, EnumValue, Field, FieldPath, IntWidth, PathStep, StringFormat, Ty, TypeKind,
};

use crate::eventbridge::EventPattern;
pub use crate::model::{Meta, Origin, Runtime};
use crate::spec::AcknowledgeDef;

macro_rules! ids {
    ($($(#[$meta:meta])* $name:ident;)*) => {
        $(
            $(#[$meta])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
            pub struct $name(u32);

            impl Id for $name {
                fn from_index(index: usize) -> Self {
                    Self(u32::try_from(index).unwrap_or_else(|_| unreachable!("fewer than 2^32 items")))
                }

                fn index(self) -> usize {
                    self.0 as usize
                }
            }
        )*
    };
}

ids! {
    /// A shared named type.
    TypeId;
    /// An event.
    EventId;
    /// A service.
    ServiceId;
    /// An entity of a service.
    EntityId;
    /// A view of a service.
    ViewId;
}

/// A whole system.
#[derive(Debug, Clone)]
pub struct System {
    /// The system's name (kebab-case).
    pub name: String,
    /// The hub bus name.
    pub bus: String,
    /// What the system is for.
    pub description: Option<String>,
    /// Where generated crates get the library crates from.
    pub runtime: Runtime,
    /// Shared named types, in name order.
    pub types: Arena<TypeId, NamedType>,
    /// Events, in name order.
    pub events: Arena<EventId, Event>,
    /// Services, in name order.
    pub services: Arena<ServiceId, Service>,
    /// Entities of all services, by service, in name order.
    pub entities: Arena<EntityId, Entity>,
    /// Views of all services, by service, in name order.
    pub views: Arena<ViewId, View>,
    /// Deliberate breaking changes the manifest acknowledges.
    pub acknowledge: Vec<AcknowledgeDef>,
    /// Deployment settings of the templates, per service.
    pub deploy: deploy::Deploy,
    /// The names of the generated crates that are not a service's.
    pub crates: CrateNames,
}

/// The Cargo package names of the crates every system has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateNames {
    /// The typed events crate, `<system>-events`.
    pub events: String,
}

impl System {
    /// The type named `name`.
    pub fn type_named(&self, name: &str) -> Option<TypeId> {
        self.types.find(|t| t.name == name)
    }

    /// The event named `name`.
    pub fn event_named(&self, name: &str) -> Option<EventId> {
        self.events.find(|e| e.name == name)
    }

    /// The service named `name`.
    pub fn service_named(&self, name: &str) -> Option<ServiceId> {
        self.services.find(|s| s.name == name)
    }

    /// The subscriptions to `event`, with their services, in service name order.
    pub fn consumers(
        &self,
        event: EventId,
    ) -> impl Iterator<Item = (ServiceId, &Subscription)> + '_ {
        self.services.iter().flat_map(move |(id, service)| {
            service
                .subscriptions
                .iter()
                .filter(move |s| s.event == event)
                .map(move |s| (id, s))
        })
    }

    /// The fields of the named record type `id`; `None` for an enum.
    pub fn record(&self, id: TypeId) -> Option<&[Field]> {
        match &self.types[id].kind {
            NamedKind::Record(fields) => Some(fields),
            NamedKind::Enum(_) => None,
        }
    }

    /// The entities of `service`.
    pub fn entities_of(&self, service: ServiceId) -> impl Iterator<Item = (EntityId, &Entity)> {
        self.services[service]
            .entities
            .iter()
            .map(|&id| (id, &self.entities[id]))
    }

    /// The views of `service`.
    pub fn views_of(&self, service: ServiceId) -> impl Iterator<Item = (ViewId, &View)> {
        self.services[service]
            .views
            .iter()
            .map(|&id| (id, &self.views[id]))
    }
}

/// A shared named type.
#[derive(Debug, Clone)]
pub struct NamedType {
    /// Its name.
    pub name: String,
    /// Its Rust type name.
    pub ident: String,
    /// What it means.
    pub description: Option<String>,
    /// Record or enum.
    pub kind: NamedKind,
    /// Where it is defined.
    pub origin: Origin,
}

/// The two kinds of named type.
#[derive(Debug, Clone, PartialEq)]
pub enum NamedKind {
    /// A record with fields.
    Record(Vec<Field>),
    /// An enum with values.
    Enum(Vec<EnumValue>),
}

/// Who produces an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Producer {
    /// A service of the system, which publishes it from its entity table.
    Service(ServiceId),
    /// Something outside the system (`external: true`).
    External,
}

/// A domain event with all its versions.
#[derive(Debug, Clone)]
pub struct Event {
    /// Name: the EventBridge `DetailType` and the envelope `type`.
    pub name: String,
    /// Who produces it.
    pub producer: Producer,
    /// The entity whose object it carries.
    pub entity: String,
    /// What happened.
    pub description: Option<String>,
    /// Consumers should move off it.
    pub deprecated: bool,
    /// Versions, oldest first; the last is current.
    pub versions: Vec<EventVersion>,
    /// Its names in generated code.
    pub names: EventNames,
    /// Where it is defined.
    pub origin: Origin,
}

impl Event {
    /// The current version.
    pub fn current(&self) -> &EventVersion {
        self.versions
            .last()
            .unwrap_or_else(|| unreachable!("an event always has a version"))
    }

    /// The EventBridge `Source` of the event, when the system produces it.
    pub fn source<'a>(&self, system: &'a System) -> Option<&'a str> {
        match self.producer {
            Producer::Service(service) => Some(&system.services[service].name),
            Producer::External => None,
        }
    }
}

/// The names of an event in generated code and on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventNames {
    /// Its module in the events crate (`order_placed`).
    pub module: String,
    /// The type of its current payload, an alias of the current version's (`OrderPlaced`).
    pub ident: String,
    /// Its variant of `DomainEvent` (`OrderPlaced`).
    pub variant: String,
    /// The key its payload sits under in the envelope: the entity in lowerCamelCase.
    pub entity_key: String,
    /// The file stem of its JSON Schemas (`order-placed`).
    pub file: String,
}

/// One version of an event's payload.
#[derive(Debug, Clone)]
pub struct EventVersion {
    /// The version number.
    pub version: u32,
    /// What changed.
    pub description: Option<String>,
    /// The payload's fields, in the spec's order.
    pub fields: Vec<Field>,
    /// Example payloads.
    pub examples: Vec<serde_json::Value>,
    /// How this version becomes the next (`None` for the current version).
    pub upcast: Option<Upcast>,
    /// The Rust type of this version's payload (`OrderPlacedV2`).
    pub ident: String,
    /// Where it is defined.
    pub origin: Origin,
}

/// How one version of an event becomes the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upcast {
    /// The next version only adds optional fields: a derived conversion.
    Additive,
    /// The user's hook.
    Hook(Hook),
}

/// A service.
#[derive(Debug, Clone)]
pub struct Service {
    /// Name.
    pub name: String,
    /// What it does.
    pub description: Option<String>,
    /// Its entities, in name order.
    pub entities: Vec<EntityId>,
    /// Entity changes that produce events, in the spec's order.
    pub publishes: Vec<Publish>,
    /// Consumed events, in the spec's order.
    pub subscriptions: Vec<Subscription>,
    /// Its views, in name order.
    pub views: Vec<ViewId>,
    /// Its names in generated code.
    pub names: ServiceNames,
    /// Where it is defined.
    pub origin: Origin,
}

impl Service {
    /// Whether the service publishes events (and so has a trigger).
    pub fn is_upstream(&self) -> bool {
        !self.publishes.is_empty()
    }

    /// Whether the service keeps views (and so has a listener).
    pub fn is_downstream(&self) -> bool {
        !self.views.is_empty()
    }
}

/// The names of a service in generated code and in its own crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceNames {
    /// The Cargo package of its generated crate (`shop-orders-bff`).
    pub crate_name: String,
    /// The library name of that crate (`shop_orders_bff`).
    pub crate_ident: String,
    /// The directory of the service's own crate, relative to the project (`app/orders-bff`).
    pub app_dir: String,
    /// The Cargo package of the service's own crate (`shop-orders-bff-app`).
    pub app_crate: String,
    /// The library name of that crate (`shop_orders_bff_app`).
    pub app_ident: String,
    /// The trigger's binary (`shop-orders-bff-trigger`), also its Lambda `Binary`.
    pub trigger_binary: String,
    /// The listener's binary (`shop-orders-bff-listener`).
    pub listener_binary: String,
}

/// An entity of a service's CRUD model.
#[derive(Debug, Clone)]
pub struct Entity {
    /// The service owning it.
    pub service: ServiceId,
    /// Name; also its `discriminator` in the table.
    pub name: String,
    /// Its Rust type name.
    pub ident: String,
    /// What it is.
    pub description: Option<String>,
    /// The index of its key field in `fields`.
    pub key: usize,
    /// Its fields, in the spec's order.
    pub fields: Vec<Field>,
    /// Where it is defined.
    pub origin: Origin,
}

impl Entity {
    /// The key field.
    pub fn key_field(&self) -> &Field {
        &self.fields[self.key]
    }
}

/// An entity change that produces an event.
#[derive(Debug, Clone)]
pub struct Publish {
    /// The event.
    pub event: EventId,
    /// The entity.
    pub entity: EntityId,
    /// The change.
    pub when: When,
    /// For each field of the event's current version (same order), the entity path it is
    /// copied from; `None` for an optional event field the entity has no field for.
    pub payload: Vec<Option<FieldPath>>,
    /// Where it is written.
    pub origin: Origin,
}

/// The change of an entity that produces an event.
#[derive(Debug, Clone, PartialEq)]
pub enum When {
    /// A new entity.
    Insert,
    /// A changed entity, other than a soft delete or undelete.
    Modify,
    /// A removed entity.
    Remove,
    /// `deleted` became true.
    SoftDelete,
    /// `deleted` was true and no longer is.
    Undelete,
    /// A field moving to a value.
    Transition(Box<Transition>),
}

/// A field of an entity moving to a value.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    /// The field (a top-level scalar of the entity).
    pub field: FieldPath,
    /// The value it becomes.
    pub becomes: Literal,
    /// Only from these values (any other when empty).
    pub from: Vec<Literal>,
}

/// A literal of a spec: a transition value or a projection constant.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(serde_json::Number),
    /// A string.
    String(String),
}

/// A service's subscription to an event.
#[derive(Debug, Clone)]
pub struct Subscription {
    /// The event.
    pub event: EventId,
    /// The pattern of the rule that delivers it: `source`, `detail-type` and the content
    /// filter.
    pub pattern: EventPattern,
    /// The spec's content filter, as written (for documentation and diffs).
    pub filter: Option<crate::spec::Filter>,
    /// What the service reads of the event.
    pub reads: Reads,
    /// Why the service consumes it.
    pub description: Option<String>,
    /// Where it is written.
    pub origin: Origin,
}

/// A read model.
#[derive(Debug, Clone)]
pub struct View {
    /// The service keeping it.
    pub service: ServiceId,
    /// Name.
    pub name: String,
    /// What it answers.
    pub description: Option<String>,
    /// The primary key.
    pub key: ViewKey,
    /// Secondary indexes, in name order.
    pub indexes: Vec<Index>,
    /// Fields, in the spec's order.
    pub fields: Vec<Field>,
    /// Per consumed event, how it changes the view, in event name order.
    pub projections: Vec<Projection>,
    /// Its names in generated code and the environment.
    pub names: ViewNames,
    /// Where it is defined.
    pub origin: Origin,
}

impl View {
    /// The key fields: partition, then sort.
    pub fn key_fields(&self) -> impl Iterator<Item = &Field> {
        self.key.fields().map(|i| &self.fields[i])
    }

    /// The field named `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// A key of a view's table or index, as indexes into the view's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ViewKey {
    /// The partition key field.
    pub partition: usize,
    /// The sort key field.
    pub sort: Option<usize>,
}

impl ViewKey {
    /// The key's fields: partition, then sort.
    pub fn fields(self) -> impl Iterator<Item = usize> {
        std::iter::once(self.partition).chain(self.sort)
    }
}

/// A secondary index of a view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    /// Name (also the DynamoDB index name).
    pub name: String,
    /// Its key.
    pub key: ViewKey,
    /// The query method of the generated view (`query_by_customer`).
    pub method: String,
}

/// The names of a view in generated code and the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewNames {
    /// Its row type (`PendingShipment`).
    pub row: String,
    /// Its key type (`PendingShipmentKey`).
    pub key: String,
    /// Its store type (`PendingShipmentView`).
    pub store: String,
    /// Its member of the service's `Views` (`pending_shipment`).
    pub member: String,
    /// The environment variable naming its table (`PENDING_SHIPMENT_TABLE`).
    pub table_env: String,
}

/// How one event changes a view.
#[derive(Debug, Clone)]
pub struct Projection {
    /// The event.
    pub event: EventId,
    /// What it does.
    pub kind: ProjectionKind,
    /// Where it is written.
    pub origin: Origin,
}

/// What a projection does.
#[derive(Debug, Clone, PartialEq)]
pub enum ProjectionKind {
    /// Create or update the row: each listed view field gets a value (key fields included),
    /// in the spec's order.
    Upsert(Vec<Assignment>),
    /// Delete the row: each key field gets a value, partition first.
    Delete(Vec<Assignment>),
    /// Custom code.
    Hook(Hook),
}

/// A value for one view field.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The index of the view field.
    pub field: usize,
    /// Where the value comes from.
    pub source: Source,
}

/// Where a view field's value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A field of the event's current version.
    Field(FieldPath),
    /// Envelope metadata.
    Meta(Meta),
    /// A constant.
    Const(Literal),
}

/// A custom projection, implemented by the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hook {
    /// The hook's name in the spec.
    pub name: String,
    /// The method implementing it (`reroute_shipments`).
    pub method: String,
}

/// What the lowering found inconsistent in a spec that validation accepted: a bug in
/// cqrsgen, never the user's mistake.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cqrsgen could not resolve a spec it validated (a bug, please report it): {0}")]
pub struct LowerError(pub String);

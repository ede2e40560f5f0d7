//! The spec format: the raw shape of a `cqrsgen.yaml` file, exactly as written.
//!
//! These types are the single source of truth for the file format. The JSON Schema published
//! in `schemas/cqrsgen.schema.json` is derived from them with schemars, and the loader
//! deserializes every file into [`SpecFile`] after the schema accepted it. Nothing here is
//! resolved or checked beyond its shape: cross references, names and types are checked by
//! [`crate::validate`] and resolved into [`crate::model`].
//!
//! Every file of a project (the manifest and the files it includes) has this shape. Only the
//! manifest may declare `system`, `bus` and `include`; the validator enforces that.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The version of the spec format this build of cqrsgen reads.
pub const FORMAT_VERSION: u64 = 1;

/// One spec file: the manifest (`cqrsgen.yaml`) or a file it includes.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "cqrsgen spec file")]
pub struct SpecFile {
    /// Format version of this file. Always `1`.
    #[schemars(range(min = 1, max = 1))]
    pub cqrsgen: u64,
    /// Name of the system (manifest only), kebab-case. Prefixes stacks and crate names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// Name of the shared EventBridge bus, the hub (manifest only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bus: Option<String>,
    /// What the system is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// More spec files to read, as glob patterns relative to the manifest (manifest only),
    /// e.g. `services/*.yaml`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// How `cqrsgen generate` builds the generated code (manifest only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate: Option<GenerateDef>,
    /// Shared named types (records and enums) that events, entities and views refer to.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub types: BTreeMap<String, TypeDef>,
    /// Domain events, by name. The name is the EventBridge DetailType and the envelope `type`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub events: BTreeMap<String, EventDef>,
    /// Autonomous services, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub services: BTreeMap<String, ServiceDef>,
    /// Deliberate breaking changes that `cqrsgen diff` and `cqrsgen check` accept (manifest
    /// only). See `docs/diff.md`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acknowledge: Vec<AcknowledgeDef>,
}

/// A deliberate breaking change: the change code, the event it is about, and why it is fine.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AcknowledgeDef {
    /// The breaking-change code, e.g. `B003`.
    #[schemars(pattern(r"^B[0-9]{3}$"))]
    pub code: String,
    /// The event (or, for view changes, the view as `service/view`) the change is about;
    /// every change with this code when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// Why the break is acceptable, e.g. that every consumer has migrated.
    pub reason: String,
}

/// Settings of `cqrsgen generate`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GenerateDef {
    /// Where the generated service crates get the `cqrsgen-runtime` crate from.
    #[serde(default)]
    pub runtime: RuntimeDef,
    /// Settings of the generated deployment templates: functions, event sources, logs and
    /// tags for every service, with per-service overrides (`docs/deploy.md`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deploy: Option<DeployDef>,
}

/// Settings of the generated templates (`generate.deploy`). Every setting is optional; a
/// service's entry under `services` overrides these for that service, field by field.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DeployDef {
    /// The functions' instruction set: `arm64` (default, Graviton) or `x86_64`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architecture: Option<Architecture>,
    /// Days the functions' log groups keep logs (default 30); one of the values CloudWatch
    /// Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096,
    /// 1827, 2192, 2557, 2922, 3288, 3653).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 3653))]
    pub log_retention_days: Option<u32>,
    /// Tags put on every resource that takes tags (tables, queues, functions, log groups,
    /// the bus). A service's `tags` are added to these.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// The trigger functions (DynamoDB stream to the bus).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<FunctionDef>,
    /// The listener functions (listener queue to the views).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listener: Option<FunctionDef>,
    /// Overrides per service, by service name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub services: BTreeMap<String, ServiceDeployDef>,
}

/// A service's deployment settings: overrides of `generate.deploy`, and its own resources.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServiceDeployDef {
    /// The functions' instruction set: `arm64` or `x86_64`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architecture: Option<Architecture>,
    /// Days the service's log groups keep logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 3653))]
    pub log_retention_days: Option<u32>,
    /// Tags added to (or replacing, per key) the system's tags on this service's resources.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// The service's trigger function.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<FunctionDef>,
    /// The service's listener function.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listener: Option<FunctionDef>,
    /// Your own CloudFormation/SAM template for this service's further resources (an API, a
    /// bucket, alarms...), relative to the manifest's directory and outside the output root.
    /// It is yours: cqrsgen never writes it. The root `template.yaml` deploys it as a nested
    /// application after the service's stack, with the `Stage` parameter; it reads the
    /// service's resources through their exports (`Fn::ImportValue`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<String>,
}

/// Settings of one kind of function and its event source. Unset fields keep their defaults
/// (trigger: 256 MB, 60 s, 100 records, no batching window, 10 PutEvents requests at once;
/// listener: 256 MB, 30 s, 10 messages, no batching window, no concurrency limit, 10 messages
/// applied at once).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FunctionDef {
    /// Memory in MB (128 to 10240); CPU grows with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 128, max = 10240))]
    pub memory: Option<u32>,
    /// Seconds a batch may take (1 to 900). The listener queue's visibility timeout is six
    /// times the listener's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 900))]
    pub timeout: Option<u32>,
    /// Records (trigger) or messages (listener) per batch (1 to 10000). A listener batch of
    /// more than 10 messages needs a `batchWindow`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 10000))]
    pub batch_size: Option<u32>,
    /// Seconds to gather records or messages before invoking (0 to 300).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 300))]
    pub batch_window: Option<u32>,
    /// Listener only: the most concurrent invocations the queue's event source starts (2 to
    /// 1000), so a backlog cannot use up the account's concurrency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 2, max = 1000))]
    pub maximum_concurrency: Option<u32>,
    /// Requests one invocation has in flight at once (1 to 1000): PutEvents requests of a
    /// trigger (default 10), messages of a batch a listener applies at once (default 10). Set
    /// as the function's `CQRSGEN_PUBLISH_CONCURRENCY` or `CQRSGEN_LISTENER_CONCURRENCY`; 1
    /// is one after another.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1000))]
    pub batch_concurrency: Option<u32>,
}

/// A Lambda instruction set.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
pub enum Architecture {
    /// AWS Graviton (`aarch64-unknown-linux-gnu`).
    #[serde(rename = "arm64")]
    Arm64,
    /// x86-64 (`x86_64-unknown-linux-gnu`).
    #[serde(rename = "x86_64")]
    X86_64,
}

/// The source of the `cqrsgen-runtime` crate: `vendored` (default) writes its source into
/// the output (`crates/cqrsgen-runtime/`), so the project needs nothing else; `{ path: ... }`
/// uses an existing copy instead.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum RuntimeDef {
    /// `vendored`.
    Keyword(RuntimeKeyword),
    /// An existing copy of the crate.
    Path(RuntimePathDef),
}

impl Default for RuntimeDef {
    fn default() -> Self {
        RuntimeDef::Keyword(RuntimeKeyword::Vendored)
    }
}

/// Runtime source keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RuntimeKeyword {
    /// Write the runtime's source into the output.
    Vendored,
}

/// An existing copy of the runtime crate.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuntimePathDef {
    /// The crate's directory, relative to the manifest's directory.
    pub path: String,
}

/// A shared named type: a record (with `fields`) or an enum (with `values`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    /// What the type means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The fields of a record type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, FieldDef>>,
    /// The values of an enum type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
}

/// A field: either a shorthand type string (`uuid`, `string?` for optional, `address[]` for
/// an array) or a full definition with constraints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum FieldDef {
    /// Shorthand: a type name, `[]` appended for an array, `?` appended when optional.
    Short(String),
    /// Full definition.
    Full(Box<FieldSpec>),
}

// Deserialized by hand: fields are the most numerous nodes of a spec, and serde's untagged
// enums buffer every value and build an error for each variant that does not fit.
impl<'de> Deserialize<'de> for FieldDef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = FieldDef;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a type name or a field definition")
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<FieldDef, E> {
                Ok(FieldDef::Short(value.to_owned()))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<FieldDef, A::Error> {
                let spec =
                    FieldSpec::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(FieldDef::Full(Box::new(spec)))
            }
        }

        deserializer.deserialize_any(Visitor)
    }
}

/// The full definition of a field.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FieldSpec {
    /// `string`, `integer`, `number`, `decimal`, `boolean`, `timestamp`, `date`, `uuid`,
    /// `enum` (with `values`), `array` (with `items`), `map` (string keys, `items` values),
    /// `record` (with `fields`), or the name of a shared type.
    #[serde(rename = "type")]
    pub ty: String,
    /// The field may be absent (or null).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
    /// What the field means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The field should no longer be used.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// Allowed values of an `enum` field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
    /// Element type of an `array`, value type of a `map`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<FieldDef>,
    /// Fields of an inline `record`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, FieldDef>>,
    /// `int32` or `int64` (default) for integers; `email`, `uri` or `hostname` for strings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Smallest allowed value (inclusive) of a numeric field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Largest allowed value (inclusive) of a numeric field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Shortest allowed length (in characters) of a string field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    /// Longest allowed length (in characters) of a string field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    /// Regular expression a string field must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Fewest allowed elements of an array.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    /// Most allowed elements of an array.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
}

/// A domain event.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventDef {
    /// The one service that produces this event (its EventBridge `Source`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The event is produced outside this system (no owner among its services).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub external: bool,
    /// The entity whose object the event carries; in the envelope it sits under its
    /// lowerCamelCase name.
    pub entity: String,
    /// The current version of the event's payload.
    #[serde(default = "first_version")]
    #[schemars(range(min = 1))]
    pub version: u32,
    /// What happened, in the domain's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The fields of the entity object the event carries.
    #[serde(default)]
    pub fields: BTreeMap<String, FieldDef>,
    /// Example payloads (the entity object); each must satisfy the event's schema.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<serde_json::Value>,
    /// The event should no longer be consumed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// Older versions that are still published or still read, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous: Vec<EventVersionDef>,
}

fn first_version() -> u32 {
    1
}

/// An older version of an event's payload.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventVersionDef {
    /// The version number; lower than the event's current version.
    #[schemars(range(min = 1))]
    pub version: u32,
    /// What changed in the next version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The fields of this version.
    #[serde(default)]
    pub fields: BTreeMap<String, FieldDef>,
    /// Example payloads of this version.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<serde_json::Value>,
    /// Hook that turns this version into the next one, when the change is not additive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upcast: Option<String>,
}

/// An autonomous service: upstream (entities and publishes), downstream (subscribes and
/// views), or both.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceDef {
    /// What the service does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The CRUD model kept in the service's own table.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub entities: BTreeMap<String, EntityDef>,
    /// Which entity changes produce which events.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub publishes: Vec<PublishDef>,
    /// Events the service consumes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subscribes: Vec<SubscribeDef>,
    /// Read models the service materializes from the events it consumes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub views: BTreeMap<String, ViewDef>,
}

/// An entity of a service's CRUD model.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EntityDef {
    /// What the entity is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The field that identifies an entity (stored as the table's `pk`).
    pub key: String,
    /// The entity's fields.
    pub fields: BTreeMap<String, FieldDef>,
}

/// A rule that turns changes of an entity into an event.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishDef {
    /// The event produced.
    pub event: String,
    /// The entity whose changes produce the event.
    pub entity: String,
    /// The change that produces the event.
    pub when: ChangeDef,
    /// Event field -> entity field path, where the names differ. Unlisted event fields are
    /// read from the entity field of the same name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub map: BTreeMap<String, String>,
}

/// A change of an entity.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum ChangeDef {
    /// A kind of stream record.
    Kind(ChangeKind),
    /// A field moving to a value.
    Transition(TransitionDef),
}

/// The kinds of change a DynamoDB stream reports, plus soft deletes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// A new entity (stream INSERT).
    Insert,
    /// A changed entity (stream MODIFY), other than a soft delete or undelete.
    Modify,
    /// A removed entity (stream REMOVE).
    Remove,
    /// `deleted` became true.
    SoftDelete,
    /// `deleted` was true and no longer is.
    Undelete,
}

/// A field of an entity moving to a value, e.g. `status` becomes `cancelled`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionDef {
    /// The entity field that changes.
    pub field: String,
    /// The value it becomes.
    pub becomes: Scalar,
    /// Only when it had one of these values before (any other value when absent).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from: Vec<Scalar>,
}

/// A scalar literal in a spec: string, number or boolean.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Scalar {
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(serde_json::Number),
    /// A string.
    String(String),
}

/// A subscription to an event.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscribeDef {
    /// The event consumed.
    pub event: String,
    /// Content filter on the event's fields: only matching events are delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    /// Why the service consumes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A content filter: every listed field path must match its condition; `any-of` adds
/// alternatives of which at least one must match.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
pub struct Filter {
    /// Alternatives: at least one of these filters must match (EventBridge `$or`).
    #[serde(default, rename = "any-of", skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<Filter>,
    /// Field path (e.g. `status`, `customer.address.city`) -> condition.
    #[serde(flatten)]
    pub fields: BTreeMap<String, Condition>,
}

/// A condition on one field: a value (equals), a list of values (equals one of them), or one
/// operator.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Condition {
    /// Equals this value.
    Equals(Scalar),
    /// Equals one of these values.
    OneOf(Vec<Scalar>),
    /// One operator.
    Operator(Box<Operator>),
}

/// Content filter operators (EventBridge's), exactly one per condition.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(extend("minProperties" = 1, "maxProperties" = 1))]
pub struct Operator {
    /// Equals this value or one of these values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<OneOrMany>,
    /// String starts with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// String ends with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
    /// Anything except these values, or except strings with this prefix or suffix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anything_but: Option<AnythingBut>,
    /// Numeric range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numeric: Option<NumericRange>,
    /// The field is present (`true`) or absent (`false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exists: Option<bool>,
    /// String equals, ignoring case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals_ignore_case: Option<String>,
    /// String matches a pattern where `*` stands for any run of characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wildcard: Option<String>,
}

/// One scalar or several.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany {
    /// A single value.
    One(Scalar),
    /// Several values.
    Many(Vec<Scalar>),
}

/// The argument of `anything-but`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum AnythingBut {
    /// Anything but these values.
    Values(OneOrMany),
    /// Anything but strings with this prefix or suffix.
    Affix(Affix),
}

/// A string prefix or suffix.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("minProperties" = 1, "maxProperties" = 1))]
pub struct Affix {
    /// Starts with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Ends with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
}

/// A numeric range; the bounds given must all hold.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("minProperties" = 1))]
pub struct NumericRange {
    /// Equal to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eq: Option<f64>,
    /// Greater than.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gt: Option<f64>,
    /// Greater than or equal to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gte: Option<f64>,
    /// Less than.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lt: Option<f64>,
    /// Less than or equal to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lte: Option<f64>,
}

/// A read model kept in the service's own table.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ViewDef {
    /// What the view answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The key rows are stored and read by.
    pub key: KeyDef,
    /// Secondary indexes, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub indexes: BTreeMap<String, KeyDef>,
    /// The view's fields (key fields included).
    pub fields: BTreeMap<String, FieldDef>,
    /// Per consumed event, how it changes the view.
    pub projections: BTreeMap<String, ProjectionDef>,
}

/// A key: partition field and optional sort field.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyDef {
    /// The partition key field.
    pub partition: String,
    /// The sort key field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
}

/// How an event changes a view.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum ProjectionDef {
    /// `delete`: remove the row whose key fields equal the event fields of the same names.
    Keyword(ProjectionKeyword),
    /// An explicit projection.
    Explicit(Projection),
}

/// Projection shorthands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ProjectionKeyword {
    /// Delete the row keyed by the event fields named like the view's key fields.
    Delete,
}

/// An explicit projection: exactly one of upsert, delete or hook.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub enum Projection {
    /// Create or update the row: view field -> source. The key fields must be mapped.
    Upsert(BTreeMap<String, SourceDef>),
    /// Delete the row: view key field -> event field path.
    Delete(BTreeMap<String, String>),
    /// Call a custom hook, named in kebab-case, for logic the spec cannot express.
    Hook(String),
}

/// Where a view field's value comes from.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum SourceDef {
    /// An event field path (`customer.address.city`) or envelope metadata (`$timestamp`,
    /// `$id`, `$type`, `$partitionKey`, `$version`).
    Path(String),
    /// A constant.
    Const(ConstDef),
}

/// A constant value.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConstDef {
    /// The value.
    #[serde(rename = "const")]
    pub value: Scalar,
}

/// The JSON Schema of the spec format (draft 2020-12), as published in
/// `schemas/cqrsgen.schema.json`.
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<SpecFile>();
    schema.to_value()
}

//! The names on the wire: the envelope's keys, the attributes of the tables, the tags. The one
//! place they are spelled, shared by the generated code, the runtime and the cqrsgen command
//! line (which writes envelopes with `cqrsgen emit` and tables in its templates).

/// The envelope key of the event id.
pub const ID: &str = "id";
/// The envelope key of the event type (EventBridge `DetailType`).
pub const TYPE: &str = "type";
/// The envelope key of the payload's schema version (ours; absent means 1).
pub const SCHEMA_VERSION: &str = "schemaVersion";
/// The envelope key of the event's position among the events of its change (ours; absent
/// means 0).
pub const SEQUENCE: &str = "sequence";
/// The envelope key of the time of the change, in epoch milliseconds; also the table
/// attribute holding it.
pub const TIMESTAMP: &str = "timestamp";
/// The envelope key of the partition key (the entity's key).
pub const PARTITION_KEY: &str = "partitionKey";
/// The envelope key of the routing tags.
pub const TAGS: &str = "tags";
/// The envelope key of the source data (`{new, old}` images).
pub const RAW: &str = "raw";

/// The table attribute holding an entity's key.
pub const PK: &str = "pk";
/// The table attribute holding the row kind (the entity's name).
pub const SK: &str = "sk";
/// The table attribute naming the entity a row holds.
pub const DISCRIMINATOR: &str = "discriminator";
/// The table attribute marking a soft-deleted row (`true`; absent otherwise).
pub const DELETED: &str = "deleted";
/// The table attribute marking a row written by a listener, which triggers skip.
pub const LATCHED: &str = "latched";
/// The table attribute naming who changed a row last.
pub const LAST_MODIFIED_BY: &str = "lastModifiedBy";
/// The table attribute with a row's expiry, in epoch seconds.
pub const TTL: &str = "ttl";
/// The table attribute naming the region a row was written in (global tables).
pub const AWS_REGION: &str = "awsregion";

/// The attributes the single-table layout reserves: entities and views cannot have fields
/// with these names.
pub const RESERVED_ATTRIBUTES: [&str; 9] = [
    PK,
    SK,
    DISCRIMINATOR,
    TIMESTAMP,
    LAST_MODIFIED_BY,
    DELETED,
    LATCHED,
    TTL,
    AWS_REGION,
];

/// The first character of the view stores' bookkeeping attributes (the versions of a row):
/// field names cannot contain it.
pub const BOOKKEEPING_PREFIX: &str = "@";

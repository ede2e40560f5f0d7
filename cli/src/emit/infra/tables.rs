//! DynamoDB tables: the entity table of an upstream service and the view tables of a
//! downstream one. All are on-demand, encrypted, with point-in-time recovery.

use std::collections::BTreeMap;

use crate::cfn::{CfnError, CheckovSkip, DeletionPolicy, Object, Resource, Value};
use crate::ir::{TypeKind, View, ViewKey};

use super::props::{obj, object, s};

/// The attribute with the entity id in the single-table convention.
const PARTITION_KEY: &str = "pk";
/// The attribute with the row discriminator in the single-table convention.
const SORT_KEY: &str = "sk";
/// The attribute with a row's expiry time, in epoch seconds.
const TTL_ATTRIBUTE: &str = "ttl";

/// The DynamoDB type of a key attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AttributeType {
    /// `S`.
    String,
    /// `N`.
    Number,
}

impl AttributeType {
    fn as_str(self) -> &'static str {
        match self {
            AttributeType::String => "S",
            AttributeType::Number => "N",
        }
    }
}

/// The key attributes of a table or index.
struct KeyAttributes<'a> {
    partition: &'a str,
    sort: Option<&'a str>,
}

impl KeyAttributes<'_> {
    fn key_schema(&self) -> Result<Value, CfnError> {
        let element =
            |name: &str, kind: &str| obj([("AttributeName", s(name)), ("KeyType", s(kind))]);
        let mut schema = vec![element(self.partition, "HASH")?];
        if let Some(sort) = self.sort {
            schema.push(element(sort, "RANGE")?);
        }
        Ok(Value::List(schema))
    }
}

/// The entity table of a service: `pk`/`sk` keys, a `NEW_AND_OLD_IMAGES` stream for the
/// trigger and `ttl` expiry. It holds the service's own data, so it is retained when the
/// stack is deleted or the table replaced.
pub(super) fn entity_table(name: Value) -> Result<Resource, CfnError> {
    let key = KeyAttributes {
        partition: PARTITION_KEY,
        sort: Some(SORT_KEY),
    };
    let types = BTreeMap::from([
        (PARTITION_KEY, AttributeType::String),
        (SORT_KEY, AttributeType::String),
    ]);
    let mut properties = common(name, &key, &types)?;
    properties.insert(
        "StreamSpecification",
        obj([("StreamViewType", s("NEW_AND_OLD_IMAGES"))])?,
    )?;
    properties.insert(
        "TimeToLiveSpecification",
        obj([
            ("AttributeName", s(TTL_ATTRIBUTE)),
            ("Enabled", true.into()),
        ])?,
    )?;
    let mut table = resource(properties);
    table.deletion_policy = Some(DeletionPolicy::Retain);
    table.update_replace_policy = Some(DeletionPolicy::Retain);
    Ok(table)
}

/// The table of a view: keyed by the view's key fields under their own names, with a global
/// secondary index (all attributes projected) per declared index, as the runtime's view
/// store expects. Views are rebuilt by replaying the hub's archive, so the table is deleted
/// with the stack.
pub(super) fn view_table(name: Value, view: &View) -> Result<Resource, CfnError> {
    let attributes = |key: ViewKey| KeyAttributes {
        partition: &view.fields[key.partition].name,
        sort: key.sort.map(|sort| view.fields[sort].name.as_str()),
    };
    let key = attributes(view.key);
    let indexes: Vec<(&str, KeyAttributes<'_>)> = view
        .indexes
        .iter()
        .map(|index| (index.name.as_str(), attributes(index.key)))
        .collect();
    let types: BTreeMap<&str, AttributeType> = std::iter::once(&key)
        .chain(indexes.iter().map(|(_, key)| key))
        .flat_map(|key| std::iter::once(key.partition).chain(key.sort))
        .map(|attribute| (attribute, attribute_type(view, attribute)))
        .collect();
    let mut properties = common(name, &key, &types)?;
    if !indexes.is_empty() {
        let indexes = indexes
            .iter()
            .map(|(index, key)| {
                obj([
                    ("IndexName", s(index)),
                    ("KeySchema", key.key_schema()?),
                    ("Projection", obj([("ProjectionType", s("ALL"))])?),
                ])
            })
            .collect::<Result<Vec<_>, _>>()?;
        properties.insert("GlobalSecondaryIndexes", Value::List(indexes))?;
    }
    let mut table = resource(properties);
    table.deletion_policy = Some(DeletionPolicy::Delete);
    table.update_replace_policy = Some(DeletionPolicy::Delete);
    Ok(table)
}

/// The type of a key attribute of a view: integers are numbers, everything else (strings,
/// uuids, timestamps, decimals, enums) is written as a string.
fn attribute_type(view: &View, attribute: &str) -> AttributeType {
    match view.fields.iter().find(|field| field.name == attribute) {
        Some(field) if matches!(field.ty.kind, TypeKind::Integer(_)) => AttributeType::Number,
        _ => AttributeType::String,
    }
}

/// The properties every table has.
fn common(
    name: Value,
    key: &KeyAttributes<'_>,
    types: &BTreeMap<&str, AttributeType>,
) -> Result<Object, CfnError> {
    let definitions = types
        .iter()
        .map(|(attribute, kind)| {
            obj([
                ("AttributeName", s(attribute)),
                ("AttributeType", s(kind.as_str())),
            ])
        })
        .collect::<Result<Vec<_>, _>>()?;
    object([
        ("TableName", name),
        ("BillingMode", s("PAY_PER_REQUEST")),
        ("AttributeDefinitions", Value::List(definitions)),
        ("KeySchema", key.key_schema()?),
        ("SSESpecification", obj([("SSEEnabled", true.into())])?),
        (
            "PointInTimeRecoverySpecification",
            obj([("PointInTimeRecoveryEnabled", true.into())])?,
        ),
    ])
}

fn resource(properties: Object) -> Resource {
    let mut table = Resource::new("AWS::DynamoDB::Table", properties);
    table.metadata.checkov_skips.push(CheckovSkip {
        id: "CKV_AWS_119".into(),
        comment: "Encrypted at rest with the AWS owned key. A customer managed key needs a key \
                  policy, which always has a `*` resource; generated templates have none."
            .into(),
    });
    table
}

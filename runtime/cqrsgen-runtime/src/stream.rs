//! Reading DynamoDB stream records in a trigger function.
//!
//! [`StreamRecord`] is a view over an [`EventRecord`] of a table stream with
//! `NEW_AND_OLD_IMAGES`. It classifies the record into a [`Change`], tells whether the
//! trigger must skip it ([`Skip`]: the loop guard and global-table replicas), detects field
//! transitions and decodes images into the caller's types.

use aws_lambda_events::dynamodb::EventRecord;
use serde::de::DeserializeOwned;
use serde_dynamo::{AttributeValue, Item};

pub use cqrsgen_events::wire::{AWS_REGION, DELETED, DISCRIMINATOR, LATCHED, TIMESTAMP};

/// What a stream record did to the entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    /// A new row (stream `INSERT`).
    Insert,
    /// A changed row (stream `MODIFY`), other than a soft delete or undelete.
    Modify,
    /// A removed row (stream `REMOVE`).
    Remove,
    /// `deleted` became true.
    SoftDelete,
    /// `deleted` was true and no longer is.
    Undelete,
}

/// Why a trigger skips a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// The row was written by a listener (`latched: true`): publishing it would loop.
    Latched,
    /// The row was written in another region of a global table, which publishes it there.
    Replica,
}

/// A scalar value a field can move to or from in a [`StreamRecord::transition`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar<'a> {
    /// A string (`S`).
    String(&'a str),
    /// A number (`N`), compared numerically.
    Number(f64),
    /// A boolean (`BOOL`).
    Bool(bool),
}

impl Scalar<'_> {
    fn matches(&self, value: &AttributeValue) -> bool {
        match (self, value) {
            (Scalar::String(s), AttributeValue::S(v)) => s == v,
            (Scalar::Bool(b), AttributeValue::Bool(v)) => b == v,
            (Scalar::Number(n), AttributeValue::N(v)) => v.parse::<f64>().is_ok_and(|v| v == *n),
            _ => false,
        }
    }
}

impl<'a> From<&'a str> for Scalar<'a> {
    fn from(value: &'a str) -> Self {
        Scalar::String(value)
    }
}

impl From<bool> for Scalar<'_> {
    fn from(value: bool) -> Self {
        Scalar::Bool(value)
    }
}

impl From<f64> for Scalar<'_> {
    fn from(value: f64) -> Self {
        Scalar::Number(value)
    }
}

impl From<i64> for Scalar<'_> {
    fn from(value: i64) -> Self {
        Scalar::Number(value as f64)
    }
}

/// A stream record could not be read.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// The record's `eventName` is not `INSERT`, `MODIFY` or `REMOVE`.
    #[error("unknown stream event name `{0}`")]
    UnknownEventName(String),
    /// An image does not have the shape of the caller's type.
    #[error("cannot decode the {image} image: {source}")]
    Decode {
        /// `new` or `old`.
        image: &'static str,
        /// What did not fit.
        source: serde_dynamo::Error,
    },
}

/// A view over a DynamoDB stream record.
#[derive(Debug, Clone, Copy)]
pub struct StreamRecord<'a> {
    record: &'a EventRecord,
}

impl<'a> StreamRecord<'a> {
    /// Views `record`.
    pub fn new(record: &'a EventRecord) -> Self {
        Self { record }
    }

    /// The underlying record.
    pub fn record(&self) -> &'a EventRecord {
        self.record
    }

    /// The record's sequence number, which identifies it in a batch item failure.
    pub fn sequence_number(&self) -> Option<&'a str> {
        self.record.change.sequence_number.as_deref()
    }

    /// What the record did. A `MODIFY` that sets `deleted` to true is a
    /// [`Change::SoftDelete`]; one that clears it is a [`Change::Undelete`].
    pub fn change(&self) -> Result<Change, StreamError> {
        match self.record.event_name.as_str() {
            "INSERT" => Ok(Change::Insert),
            "REMOVE" => Ok(Change::Remove),
            "MODIFY" => {
                let now = is_true(self.new_item().get(DELETED));
                let before = is_true(self.old_item().get(DELETED));
                Ok(match (before, now) {
                    (false, true) => Change::SoftDelete,
                    (true, false) => Change::Undelete,
                    _ => Change::Modify,
                })
            }
            other => Err(StreamError::UnknownEventName(other.to_owned())),
        }
    }

    /// Whether the trigger must skip the record, given the region it runs in: latched rows
    /// (written by listeners) and replicas (`awsregion` present and not `current_region`).
    /// The attributes are read from the new image, or the old one for a removal.
    pub fn skip(&self, current_region: &str) -> Option<Skip> {
        let image = self.current();
        if is_true(image.get(LATCHED)) {
            return Some(Skip::Latched);
        }
        match image.get(AWS_REGION) {
            Some(AttributeValue::S(region)) if region != current_region => Some(Skip::Replica),
            _ => None,
        }
    }

    /// Whether `field` moved to `becomes`: the new image has it, the old image did not. With
    /// a non-empty `from`, the old value must also be one of `from`; with an empty `from`,
    /// any other old value (or none, as on an insert) counts.
    pub fn transition(&self, field: &str, becomes: Scalar<'_>, from: &[Scalar<'_>]) -> bool {
        let arrived = self
            .new_item()
            .get(field)
            .is_some_and(|v| becomes.matches(v));
        let before = self.old_item().get(field);
        let was_already = before.is_some_and(|v| becomes.matches(v));
        let from_allowed =
            from.is_empty() || before.is_some_and(|v| from.iter().any(|s| s.matches(v)));
        arrived && !was_already && from_allowed
    }

    /// The number stored in `attribute` of the new image, or the old one for a removal.
    pub fn number(&self, attribute: &str) -> Option<i64> {
        match self.current().get(attribute) {
            Some(AttributeValue::N(n)) => n.parse().ok(),
            _ => None,
        }
    }

    /// The string stored in `attribute` of the new image, or the old one for a removal.
    pub fn string(&self, attribute: &str) -> Option<&'a str> {
        match self.current().get(attribute) {
            Some(AttributeValue::S(s)) => Some(s),
            _ => None,
        }
    }

    /// The new image as `T`, or `None` when the record has none (a removal).
    pub fn new_image<T: DeserializeOwned>(&self) -> Result<Option<T>, StreamError> {
        decode(self.new_item(), "new")
    }

    /// The old image as `T`, or `None` when the record has none (an insert).
    pub fn old_image<T: DeserializeOwned>(&self) -> Result<Option<T>, StreamError> {
        decode(self.old_item(), "old")
    }

    /// The entity as it is after the change: the new image, or the old one for a removal.
    pub fn image<T: DeserializeOwned>(&self) -> Result<Option<T>, StreamError> {
        if self.new_item().is_empty() {
            self.old_image()
        } else {
            self.new_image()
        }
    }

    fn new_item(&self) -> &'a Item {
        &self.record.change.new_image
    }

    fn old_item(&self) -> &'a Item {
        &self.record.change.old_image
    }

    fn current(&self) -> &'a Item {
        if self.new_item().is_empty() {
            self.old_item()
        } else {
            self.new_item()
        }
    }
}

fn is_true(value: Option<&AttributeValue>) -> bool {
    matches!(value, Some(AttributeValue::Bool(true)))
}

fn decode<T: DeserializeOwned>(item: &Item, image: &'static str) -> Result<Option<T>, StreamError> {
    if item.is_empty() {
        return Ok(None);
    }
    serde_dynamo::from_item(item.clone())
        .map(Some)
        .map_err(|source| StreamError::Decode { image, source })
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;
    use crate::test_support::record;

    fn change(spec: serde_json::Value) -> Change {
        StreamRecord::new(&record(spec))
            .change()
            .expect("known event name")
    }

    #[test]
    fn classifies_plain_changes() {
        assert_eq!(change(json!({"eventName": "INSERT"})), Change::Insert);
        assert_eq!(change(json!({"eventName": "REMOVE"})), Change::Remove);
        assert_eq!(
            change(json!({
                "eventName": "MODIFY",
                "NewImage": {"name": {"S": "b"}, "deleted": {"NULL": true}},
                "OldImage": {"name": {"S": "a"}}
            })),
            Change::Modify
        );
    }

    #[test]
    fn classifies_soft_delete_and_undelete() {
        assert_eq!(
            change(json!({
                "eventName": "MODIFY",
                "NewImage": {"deleted": {"BOOL": true}},
                "OldImage": {"deleted": {"NULL": true}}
            })),
            Change::SoftDelete
        );
        assert_eq!(
            change(json!({
                "eventName": "MODIFY",
                "NewImage": {"name": {"S": "a"}},
                "OldImage": {"deleted": {"BOOL": true}}
            })),
            Change::Undelete
        );
        // Still deleted: an ordinary modification.
        assert_eq!(
            change(json!({
                "eventName": "MODIFY",
                "NewImage": {"deleted": {"BOOL": true}, "name": {"S": "b"}},
                "OldImage": {"deleted": {"BOOL": true}, "name": {"S": "a"}}
            })),
            Change::Modify
        );
    }

    #[test]
    fn unknown_event_names_are_errors() {
        let r = record(json!({"eventName": "TRUNCATE"}));
        assert!(matches!(
            StreamRecord::new(&r).change(),
            Err(StreamError::UnknownEventName(name)) if name == "TRUNCATE"
        ));
    }

    #[test]
    fn skips_latched_records() {
        let latched = record(json!({
            "eventName": "INSERT",
            "NewImage": {"latched": {"BOOL": true}}
        }));
        assert_eq!(
            StreamRecord::new(&latched).skip("us-east-1"),
            Some(Skip::Latched)
        );
        let removed = record(json!({
            "eventName": "REMOVE",
            "OldImage": {"latched": {"BOOL": true}}
        }));
        assert_eq!(
            StreamRecord::new(&removed).skip("us-east-1"),
            Some(Skip::Latched)
        );
        let command = record(json!({
            "eventName": "MODIFY",
            "NewImage": {"latched": {"NULL": true}},
            "OldImage": {"latched": {"BOOL": true}}
        }));
        assert_eq!(StreamRecord::new(&command).skip("us-east-1"), None);
    }

    #[test]
    fn skips_replicas_only() {
        let r = record(json!({
            "eventName": "INSERT",
            "NewImage": {"awsregion": {"S": "eu-west-1"}}
        }));
        let view = StreamRecord::new(&r);
        assert_eq!(view.skip("us-east-1"), Some(Skip::Replica));
        assert_eq!(view.skip("eu-west-1"), None);
        let untagged = record(json!({"eventName": "INSERT", "NewImage": {"pk": {"S": "1"}}}));
        assert_eq!(StreamRecord::new(&untagged).skip("us-east-1"), None);
    }

    fn status_change(old: Option<&str>, new: &str) -> serde_json::Value {
        let mut spec = json!({
            "eventName": if old.is_some() { "MODIFY" } else { "INSERT" },
            "NewImage": {"status": {"S": new}}
        });
        if let Some(old) = old {
            spec["OldImage"] = json!({"status": {"S": old}});
        }
        spec
    }

    #[test]
    fn transitions_without_from() {
        let submitted = Scalar::from("submitted");
        let moved = record(status_change(Some("draft"), "submitted"));
        assert!(StreamRecord::new(&moved).transition("status", submitted, &[]));
        let inserted = record(status_change(None, "submitted"));
        assert!(StreamRecord::new(&inserted).transition("status", submitted, &[]));
        let unchanged = record(status_change(Some("submitted"), "submitted"));
        assert!(!StreamRecord::new(&unchanged).transition("status", submitted, &[]));
        let elsewhere = record(status_change(Some("draft"), "cancelled"));
        assert!(!StreamRecord::new(&elsewhere).transition("status", submitted, &[]));
    }

    #[test]
    fn transitions_with_from() {
        let cancelled = Scalar::from("cancelled");
        let from = [Scalar::from("submitted"), Scalar::from("paid")];
        let allowed = record(status_change(Some("paid"), "cancelled"));
        assert!(StreamRecord::new(&allowed).transition("status", cancelled, &from));
        let other = record(status_change(Some("draft"), "cancelled"));
        assert!(!StreamRecord::new(&other).transition("status", cancelled, &from));
        let inserted = record(status_change(None, "cancelled"));
        assert!(!StreamRecord::new(&inserted).transition("status", cancelled, &from));
    }

    #[test]
    fn transitions_compare_numbers_and_booleans_by_value() {
        let r = record(json!({
            "eventName": "MODIFY",
            "NewImage": {"level": {"N": "3.0"}, "vip": {"BOOL": true}},
            "OldImage": {"level": {"N": "2"}, "vip": {"BOOL": false}}
        }));
        let view = StreamRecord::new(&r);
        assert!(view.transition("level", Scalar::from(3), &[Scalar::from(2)]));
        assert!(view.transition("vip", Scalar::from(true), &[]));
        assert!(!view.transition("vip", Scalar::from("true"), &[]));
    }

    #[test]
    fn reads_string_attributes_of_the_current_image() {
        let r = record(json!({
            "eventName": "REMOVE",
            "OldImage": {"discriminator": {"S": "order"}, "count": {"N": "4"}}
        }));
        let view = StreamRecord::new(&r);
        assert_eq!(view.string("discriminator"), Some("order"));
        assert_eq!(view.string("count"), None);
        assert_eq!(view.string("absent"), None);
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Thing {
        pk: String,
        count: u32,
    }

    #[test]
    fn decodes_images_into_caller_types() {
        let r = record(json!({
            "eventName": "REMOVE",
            "OldImage": {"pk": {"S": "t1"}, "count": {"N": "4"}, "extra": {"S": "x"}}
        }));
        let view = StreamRecord::new(&r);
        let expected = Thing {
            pk: "t1".into(),
            count: 4,
        };
        assert_eq!(view.new_image::<Thing>().expect("decoded"), None);
        assert_eq!(view.image::<Thing>().expect("decoded"), Some(expected));
    }

    #[test]
    fn reports_images_of_the_wrong_shape() {
        let r = record(json!({
            "eventName": "INSERT",
            "NewImage": {"pk": {"S": "t1"}, "count": {"S": "four"}}
        }));
        assert!(matches!(
            StreamRecord::new(&r).new_image::<Thing>(),
            Err(StreamError::Decode { image: "new", .. })
        ));
    }
}

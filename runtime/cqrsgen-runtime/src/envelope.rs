//! The envelope of events made from stream records.
//!
//! The envelope itself (`id`, `type`, `timestamp`, `partitionKey`, `tags`, the entity and
//! `raw`) is `cqrsgen_events::Envelope`. This module provides what the trigger adds: the
//! routing [`Tags`], the deterministic [`event_id`] and the change [`timestamp`] of a stream
//! record, and [`of_record`], which puts them together.

use std::collections::BTreeMap;

use aws_lambda_events::dynamodb::EventRecord;
use cqrsgen_events::{Envelope, Payload};
use serde::{Deserialize, Serialize};

use crate::env;
use crate::stream::{StreamRecord, TIMESTAMP};

/// Routing information carried by every event under `tags`.
///
/// Every tag is optional on the wire. Tags other than the well-known ones are kept in
/// [`Tags::other`] so that they survive a round trip.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tags {
    /// The AWS account that produced the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The AWS region that produced the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The deployment stage (`dev`, `prd`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// The producing service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The Lambda function that published the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub functionname: Option<String>,
    /// The pipeline (processing step) that published the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipeline: Option<String>,
    /// Any other tags, by name.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

impl Tags {
    /// The tags of a function running in Lambda: `source` as given, `account` from
    /// `AWS_ACCOUNT_ID` (when set), `region` from `AWS_REGION`, `stage` from `STAGE` and
    /// `functionname` from `AWS_LAMBDA_FUNCTION_NAME`. Unset variables leave their tag empty.
    pub fn from_env(source: &str) -> Self {
        Self::from_lookup(source, env::optional)
    }

    /// Like [`Tags::from_env`], reading variables through `lookup` (for tests and callers
    /// with their own configuration source).
    pub fn from_lookup(source: &str, lookup: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            account: lookup(env::AWS_ACCOUNT_ID),
            region: lookup(env::AWS_REGION),
            stage: lookup(env::STAGE),
            source: Some(source.to_owned()),
            functionname: lookup(env::AWS_LAMBDA_FUNCTION_NAME),
            pipeline: None,
            other: BTreeMap::new(),
        }
    }

    /// These tags with `pipeline` set.
    pub fn with_pipeline(mut self, pipeline: impl Into<String>) -> Self {
        self.pipeline = Some(pipeline.into());
        self
    }

    /// The tags as a flat map of strings, the shape of the generated envelope's `tags`.
    /// Other tags that are not JSON strings are written as JSON text.
    pub fn to_strings(&self) -> BTreeMap<String, String> {
        let known = [
            ("account", &self.account),
            ("region", &self.region),
            ("stage", &self.stage),
            ("source", &self.source),
            ("functionname", &self.functionname),
            ("pipeline", &self.pipeline),
        ];
        let known = known
            .into_iter()
            .filter_map(|(name, value)| Some((name.to_owned(), value.clone()?)));
        let other = self.other.iter().map(|(name, value)| {
            let text = match value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (name.clone(), text)
        });
        known.chain(other).collect()
    }

    /// Fills the tags missing here from `defaults`. Tags already present (on the event)
    /// win, as in aws-lambda-stream.
    pub fn merge(mut self, defaults: &Tags) -> Self {
        fn fill(tag: &mut Option<String>, default: &Option<String>) {
            if tag.is_none() {
                tag.clone_from(default);
            }
        }
        fill(&mut self.account, &defaults.account);
        fill(&mut self.region, &defaults.region);
        fill(&mut self.stage, &defaults.stage);
        fill(&mut self.source, &defaults.source);
        fill(&mut self.functionname, &defaults.functionname);
        fill(&mut self.pipeline, &defaults.pipeline);
        for (name, value) in &defaults.other {
            self.other
                .entry(name.clone())
                .or_insert_with(|| value.clone());
        }
        self
    }
}

/// The deterministic id of the `nth` event (counting from 0) produced from a stream record.
///
/// The first event carries the record's `eventID` unchanged, as aws-lambda-stream does; when
/// one record produces several events (say `thing-updated` and `thing-submitted`), the later
/// ones get `<eventID>.<nth>` so that ids stay unique and a redelivered record produces the
/// same ids again.
pub fn event_id(record: &EventRecord, nth: usize) -> String {
    if nth == 0 {
        record.event_id.clone()
    } else {
        format!("{}.{nth}", record.event_id)
    }
}

/// The envelope of `payload`, the `nth` event (counting from 0) that `record` produces: id
/// [`event_id`], time [`timestamp`], `sequence` `nth` (so that sibling events of one change
/// order after each other), and `tags`.
pub fn of_record<P: Payload>(
    record: &StreamRecord<'_>,
    nth: usize,
    partition_key: &str,
    payload: P,
    tags: &BTreeMap<String, String>,
) -> Envelope<P> {
    payload
        .into_envelope(
            event_id(record.record(), nth),
            timestamp(record.record()),
            partition_key,
        )
        .with_sequence(u32::try_from(nth).unwrap_or(u32::MAX))
        .with_tags(tags.clone())
}

/// The time of the change in epoch milliseconds: the image's `timestamp` attribute (the
/// new image, or the old one for a removal) when it is a number, else the record's
/// `ApproximateCreationDateTime` (epoch seconds) times 1000.
pub fn timestamp(record: &EventRecord) -> i64 {
    StreamRecord::new(record)
        .number(TIMESTAMP)
        .unwrap_or_else(|| {
            record
                .change
                .approximate_creation_date_time
                .timestamp_millis()
        })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::test_support::record;

    fn lookup(name: &str) -> Option<String> {
        match name {
            "AWS_REGION" => Some("us-east-1".into()),
            "STAGE" => Some("dev".into()),
            "AWS_LAMBDA_FUNCTION_NAME" => Some("orders-trigger".into()),
            _ => None,
        }
    }

    #[test]
    fn tags_come_from_the_environment() {
        let tags = Tags::from_lookup("orders", lookup).with_pipeline("trigger");
        assert_eq!(tags.account, None);
        assert_eq!(tags.region.as_deref(), Some("us-east-1"));
        assert_eq!(tags.stage.as_deref(), Some("dev"));
        assert_eq!(tags.source.as_deref(), Some("orders"));
        assert_eq!(tags.functionname.as_deref(), Some("orders-trigger"));
        assert_eq!(tags.pipeline.as_deref(), Some("trigger"));
    }

    #[test]
    fn tags_already_on_the_event_win() {
        let on_event: Tags = serde_json::from_value(json!({
            "source": "legacy",
            "region": "eu-west-1",
            "team": "blue"
        }))
        .expect("tags");
        let defaults = Tags::from_lookup("orders", lookup);
        let merged = on_event.merge(&defaults);
        assert_eq!(merged.source.as_deref(), Some("legacy"));
        assert_eq!(merged.region.as_deref(), Some("eu-west-1"));
        assert_eq!(merged.stage.as_deref(), Some("dev"));
        assert_eq!(
            serde_json::to_value(&merged).expect("json"),
            json!({
                "region": "eu-west-1",
                "stage": "dev",
                "source": "legacy",
                "functionname": "orders-trigger",
                "team": "blue"
            })
        );
    }

    #[test]
    fn tags_flatten_to_strings() {
        let mut tags = Tags::from_lookup("orders", lookup).with_pipeline("trigger");
        tags.other.insert("team".into(), json!("blue"));
        tags.other.insert("tier".into(), json!(2));
        let flat = tags.to_strings();
        let pairs: Vec<(&str, &str)> = flat.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("functionname", "orders-trigger"),
                ("pipeline", "trigger"),
                ("region", "us-east-1"),
                ("source", "orders"),
                ("stage", "dev"),
                ("team", "blue"),
                ("tier", "2"),
            ]
        );
    }

    #[test]
    fn event_ids_are_derived_from_the_record() {
        let r = record(json!({"eventName": "INSERT", "NewImage": {"pk": {"S": "1"}}}));
        assert_eq!(event_id(&r, 0), "evt-1");
        assert_eq!(event_id(&r, 2), "evt-1.2");
    }

    #[test]
    fn timestamp_prefers_the_image_attribute() {
        let r = record(json!({
            "eventName": "MODIFY",
            "NewImage": {"timestamp": {"N": "1700000000123"}},
            "OldImage": {"timestamp": {"N": "1600000000000"}}
        }));
        assert_eq!(timestamp(&r), 1_700_000_000_123);
    }

    #[test]
    fn timestamp_of_a_removal_comes_from_the_old_image() {
        let r = record(json!({
            "eventName": "REMOVE",
            "OldImage": {"timestamp": {"N": "1600000000000"}}
        }));
        assert_eq!(timestamp(&r), 1_600_000_000_000);
    }

    #[test]
    fn timestamp_falls_back_to_the_creation_time() {
        let r = record(json!({"eventName": "INSERT", "NewImage": {"pk": {"S": "1"}}}));
        assert_eq!(timestamp(&r), 1_700_000_000_000);
    }
}

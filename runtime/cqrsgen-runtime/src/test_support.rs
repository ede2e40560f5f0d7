//! Builders of Lambda-shaped test inputs, and an error shaped like the AWS SDK's.

use aws_lambda_events::dynamodb::EventRecord;
use serde_json::{Value, json};

/// A DynamoDB stream record in region `us-east-1`, created at epoch second 1700000000,
/// with id `evt-1` and sequence number `100` unless `spec` says otherwise. `spec` holds
/// `eventName`, and optionally `eventID`, `SequenceNumber`, `NewImage` and `OldImage`
/// (DynamoDB JSON).
pub(crate) fn record(spec: Value) -> EventRecord {
    let field = |name: &str, default: Value| spec.get(name).cloned().unwrap_or(default);
    serde_json::from_value(json!({
        "awsRegion": "us-east-1",
        "eventID": field("eventID", json!("evt-1")),
        "eventName": field("eventName", json!("INSERT")),
        "eventSource": "aws:dynamodb",
        "eventVersion": "1.1",
        "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/x",
        "dynamodb": {
            "ApproximateCreationDateTime": 1_700_000_000,
            "Keys": {"pk": {"S": "1"}, "sk": {"S": "order"}},
            "NewImage": field("NewImage", Value::Null),
            "OldImage": field("OldImage", Value::Null),
            "SequenceNumber": field("SequenceNumber", json!("100")),
            "SizeBytes": 64,
            "StreamViewType": "NEW_AND_OLD_IMAGES"
        }
    }))
    .expect("a valid stream record")
}

/// An error shaped like the AWS SDK's: its message is only the top level, the cause is in
/// its source.
#[derive(Debug, thiserror::Error)]
#[error("dispatch failure")]
pub(crate) struct DispatchFailure(#[source] std::io::Error);

/// A failed call to an endpoint that refuses connections.
pub(crate) fn dispatch_failure() -> DispatchFailure {
    DispatchFailure(std::io::Error::new(
        std::io::ErrorKind::ConnectionRefused,
        "connection refused",
    ))
}

//! SQS queues (encrypted, with dead-letter queues), the queue policy that lets EventBridge
//! rules deliver, and the alarms on dead-letter queues.

use crate::cfn::{CfnError, CheckovSkip, LogicalId, Object, Resource, Value};

use super::iam::document;
use super::props::{get_att, list, obj, object, reference, s};

/// How long a dead-letter queue keeps messages: 14 days, the SQS maximum.
const DLQ_RETENTION_SECONDS: i64 = 14 * 24 * 60 * 60;
/// Receives of a message before it moves to the dead-letter queue.
pub(super) const MAX_RECEIVE_COUNT: i64 = 5;

/// A dead-letter queue: encrypted, keeping messages as long as SQS allows.
pub(super) fn dead_letter_queue(name: Value) -> Result<Resource, CfnError> {
    Ok(queue(object([
        ("QueueName", name),
        ("SqsManagedSseEnabled", true.into()),
        ("MessageRetentionPeriod", DLQ_RETENTION_SECONDS.into()),
    ])?))
}

/// A work queue: encrypted, moving a message to `dead_letter` after [`MAX_RECEIVE_COUNT`]
/// receives. `visibility_timeout` must exceed the consuming function's timeout.
pub(super) fn work_queue(
    name: Value,
    dead_letter: &LogicalId,
    visibility_timeout: i64,
) -> Result<Resource, CfnError> {
    let redrive = obj([
        ("deadLetterTargetArn", get_att(dead_letter, "Arn")),
        ("maxReceiveCount", MAX_RECEIVE_COUNT.into()),
    ])?;
    Ok(queue(object([
        ("QueueName", name),
        ("SqsManagedSseEnabled", true.into()),
        ("VisibilityTimeout", visibility_timeout.into()),
        ("RedrivePolicy", redrive),
    ])?))
}

/// A queue with `properties`, encrypted with SQS-managed keys.
fn queue(properties: Object) -> Resource {
    let mut queue = Resource::new("AWS::SQS::Queue", properties);
    queue.metadata.checkov_skips.push(CheckovSkip {
        id: "CKV_AWS_27".into(),
        comment: "Encrypted with SQS-managed keys (SqsManagedSseEnabled), which checkov does not \
                  recognize. EventBridge cannot deliver to a queue under the AWS managed KMS key, \
                  and a customer managed key needs a key policy with a `*` resource."
            .into(),
    });
    queue
}

/// The policy of `queue` letting EventBridge send to it, only on behalf of `rules` (the
/// `aws:SourceArn` condition), so rules of other stacks or accounts cannot use it.
pub(super) fn events_send_policy(
    queue: &LogicalId,
    rules: &[LogicalId],
) -> Result<Resource, CfnError> {
    let rule_arns = list(rules.iter().map(|rule| get_att(rule, "Arn")));
    let statement = obj([
        ("Sid", s("EventBridgeRulesOfThisService")),
        ("Effect", s("Allow")),
        ("Principal", obj([("Service", s("events.amazonaws.com"))])?),
        ("Action", s("sqs:SendMessage")),
        ("Resource", get_att(queue, "Arn")),
        (
            "Condition",
            obj([("ArnEquals", obj([("aws:SourceArn", rule_arns)])?)])?,
        ),
    ])?;
    Ok(Resource::new(
        "AWS::SQS::QueuePolicy",
        object([
            ("Queues", list([reference(queue)])),
            ("PolicyDocument", document(vec![statement])?),
        ])?,
    ))
}

/// An alarm that fires as soon as `queue` (a dead-letter queue) holds a message.
pub(super) fn depth_alarm(queue: &LogicalId, what: &str) -> Result<Resource, CfnError> {
    let dimension = obj([
        ("Name", s("QueueName")),
        ("Value", get_att(queue, "QueueName")),
    ])?;
    Ok(Resource::new(
        "AWS::CloudWatch::Alarm",
        object([
            (
                "AlarmDescription",
                s(&format!("{what} failed and wait in a dead-letter queue")),
            ),
            ("Namespace", s("AWS/SQS")),
            ("MetricName", s("ApproximateNumberOfMessagesVisible")),
            ("Dimensions", list([dimension])),
            ("Statistic", s("Maximum")),
            ("Period", 300.into()),
            ("EvaluationPeriods", 1.into()),
            ("Threshold", 0.into()),
            ("ComparisonOperator", s("GreaterThanThreshold")),
            ("TreatMissingData", s("notBreaching")),
        ])?,
    ))
}

/// The value of a queue's ARN, for grants and event sources.
pub(super) fn arn(queue: &LogicalId) -> Value {
    get_att(queue, "Arn")
}

//! The upstream side of a service: its entity table and the trigger function that publishes
//! the table's changes to the hub bus.

use std::collections::BTreeMap;

use crate::cfn::{Template, Value};
use crate::emit::EmitBug;
use crate::eventbridge::{Literal, Matcher, Node, NonEmpty, PatternError};
use crate::ir::deploy::ServiceDeploy;
use crate::ir::{ServiceId, System};

use super::function::{self, Binary, Function};
use super::iam::Grant;
use super::names::{self, BUS_NAME_ENV, ServiceNames, id};
use super::props::{get_att, import, list, obj, object, reference, s};
use super::queues::{self, dead_letter_queue, depth_alarm};
use super::service::output;
use super::tables::entity_table;

/// Retries of a failing batch (halved each time by bisection) before its records go to the
/// on-failure queue.
const MAXIMUM_RETRY_ATTEMPTS: i64 = 10;
/// The stream attribute holding the loop guard.
const LATCHED: &str = cqrsgen_events::wire::LATCHED;

/// Adds the entity table and, when the service publishes events, the trigger with its
/// on-failure queue.
pub(super) fn add(
    template: &mut Template,
    system: &System,
    service: ServiceId,
    names: &ServiceNames<'_>,
    deploy: &ServiceDeploy,
) -> Result<(), EmitBug> {
    let service = &system.services[service];
    let settings = deploy.trigger;
    if service.entities.is_empty() {
        return Ok(());
    }
    let table = id(&["entity-table"])?;
    template.add_resource(table.clone(), entity_table(names.entity_table()?.value)?)?;
    let entity = format!("The entity table of {}", service.name);
    output(
        template,
        names,
        "entity-table-name",
        format!("{entity}: its name."),
        reference(&table),
    )?;
    output(
        template,
        names,
        "entity-table-arn",
        format!("{entity}: its ARN."),
        get_att(&table, "Arn"),
    )?;
    output(
        template,
        names,
        "entity-table-stream-arn",
        format!("{entity}: the ARN of its stream."),
        get_att(&table, "StreamArn"),
    )?;
    if service.publishes.is_empty() {
        return Ok(());
    }

    let dlq = id(&["trigger-dlq"])?;
    template.add_resource(
        dlq.clone(),
        dead_letter_queue(names.queue("trigger-dlq")?.value)?,
    )?;
    template.add_resource(
        id(&["trigger-dlq-alarm"])?,
        depth_alarm(&dlq, "Stream records the trigger could not publish")?,
    )?;

    let stream = get_att(&table, "StreamArn");
    let mut properties = object([
        ("Stream", stream.clone()),
        ("StartingPosition", s("TRIM_HORIZON")),
        ("BatchSize", i64::from(settings.batch_size).into()),
        ("BisectBatchOnFunctionError", true.into()),
        ("MaximumRetryAttempts", MAXIMUM_RETRY_ATTEMPTS.into()),
        (
            "DestinationConfig",
            obj([(
                "OnFailure",
                obj([("Type", s("SQS")), ("Destination", queues::arn(&dlq))])?,
            )])?,
        ),
        (
            "FunctionResponseTypes",
            list([s("ReportBatchItemFailures")]),
        ),
        ("FilterCriteria", not_latched_filter()?),
    ])?;
    if settings.batch_window > 0 {
        properties.insert(
            "MaximumBatchingWindowInSeconds",
            i64::from(settings.batch_window),
        )?;
    }
    let source = obj([
        ("Type", s("DynamoDB")),
        ("Properties", Value::Object(properties)),
    ])?;
    output(
        template,
        names,
        "trigger-dlq-arn",
        "Stream records the trigger could not publish: the dead-letter queue's ARN.".into(),
        queues::arn(&dlq),
    )?;
    let function = function::add(
        template,
        names,
        deploy,
        Function {
            binary: Binary::Trigger,
            cargo_binary: &service.names.trigger_binary,
            settings,
            environment: BTreeMap::from([(
                BUS_NAME_ENV.to_owned(),
                import(names::bus_name_export(system)?.value),
            )]),
            events: object([("EntityStream", source)])?,
            grants: vec![
                Grant {
                    actions: &["events:PutEvents"],
                    resources: vec![import(names::bus_arn_export(system)?.value)],
                },
                Grant {
                    actions: &[
                        "dynamodb:DescribeStream",
                        "dynamodb:GetRecords",
                        "dynamodb:GetShardIterator",
                        "dynamodb:ListStreams",
                    ],
                    resources: vec![stream],
                },
                Grant {
                    actions: &["sqs:SendMessage"],
                    resources: vec![queues::arn(&dlq)],
                },
            ],
        },
    )?;
    output(
        template,
        names,
        "trigger-function-name",
        "The trigger function's name.".into(),
        reference(&function),
    )?;
    Ok(())
}

/// The event filter of the stream source: records of rows that are not latched (the loop
/// guard: rows written by listeners carry `latched: true`). Lambda ORs the filters: no new
/// image (a removal), no `latched` attribute, `latched: false` or `latched: null`.
fn not_latched_filter() -> Result<Value, EmitBug> {
    let leaf = |path: &[&str], matcher: Matcher| -> Result<Node, PatternError> {
        let mut node = Node::new();
        node.insert_leaf(path, NonEmpty::one(matcher))?;
        Ok(node)
    };
    let image = ["dynamodb", "NewImage", LATCHED];
    let filters = [
        leaf(&image, Matcher::Exists(false)),
        leaf(
            &[image[0], image[1], image[2], "BOOL"],
            Matcher::Exact(Literal::Bool(false)),
        ),
        leaf(
            &[image[0], image[1], image[2], "NULL"],
            Matcher::Exact(Literal::Bool(true)),
        ),
    ];
    let filters = filters
        .into_iter()
        .map(|filter| {
            let filter = filter
                .map_err(|e| EmitBug::Internal(format!("the trigger's stream filter: {e}")))?;
            Ok(obj([("Pattern", s(&filter.to_json().to_string()))])?)
        })
        .collect::<Result<Vec<_>, EmitBug>>()?;
    Ok(obj([("Filters", Value::List(filters))])?)
}

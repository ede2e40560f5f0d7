//! The downstream side of a service: its view tables, one EventBridge rule per subscription,
//! the listener queue the rules deliver to, and the listener function that updates the views.

use std::collections::BTreeMap;

use crate::cfn::{LogicalId, Resource, Template, Value};
use crate::emit::EmitBug;
use crate::ir::deploy::ServiceDeploy;
use crate::ir::{ServiceId, Subscription, System};

use super::function::{self, Binary, Function};
use super::iam::Grant;
use super::names::{self, ServiceNames, id};
use super::props::{get_att, import, index_arn, list, obj, object, reference, s};
use super::queues::{self, dead_letter_queue, depth_alarm, events_send_policy, work_queue};
use super::service::output;
use super::tables::view_table;

/// The listener queue's visibility timeout is this many times the function's, as AWS
/// recommends for SQS event sources.
const VISIBILITY_TIMEOUT_FACTOR: i64 = 6;
/// Delivery retries of a rule before the event goes to the rules' dead-letter queue.
const RULE_RETRY_ATTEMPTS: i64 = 185;
/// Age after which a rule stops retrying a delivery: one day, the EventBridge maximum.
const RULE_MAXIMUM_EVENT_AGE_SECONDS: i64 = 24 * 60 * 60;
/// The part of the EventBridge event delivered to the queue: the envelope.
const INPUT_PATH: &str = "$.detail";

/// Adds the view tables and, when the service subscribes to events, the rules, queues and the
/// listener.
pub(super) fn add(
    template: &mut Template,
    system: &System,
    service: ServiceId,
    names: &ServiceNames<'_>,
    deploy: &ServiceDeploy,
) -> Result<(), EmitBug> {
    let settings = deploy.listener;
    let mut tables = Vec::new();
    let mut environment = BTreeMap::new();
    for (_, view) in system.views_of(service) {
        let table = id(&["view", &view.name, "table"])?;
        template.add_resource(
            table.clone(),
            view_table(names.view_table(&view.name)?.value, view)?,
        )?;
        environment.insert(view.names.table_env.clone(), reference(&table));
        let what = format!("The table of view {}", view.name);
        output(
            template,
            names,
            &format!("view-{}-table-name", view.name),
            format!("{what}: its name."),
            reference(&table),
        )?;
        output(
            template,
            names,
            &format!("view-{}-table-arn", view.name),
            format!("{what}: its ARN."),
            get_att(&table, "Arn"),
        )?;
        let indexes = view
            .indexes
            .iter()
            .map(|index| Ok(index_arn(&table, names::index(&index.name)?)))
            .collect::<Result<Vec<_>, EmitBug>>()?;
        tables.push((get_att(&table, "Arn"), indexes));
    }
    let subscriptions = &system.services[service].subscriptions;
    if subscriptions.is_empty() {
        return Ok(());
    }

    let queue = id(&["listener-queue"])?;
    let queue_dlq = id(&["listener-dlq"])?;
    let rules_dlq = id(&["rules-dlq"])?;
    template.add_resource(
        queue_dlq.clone(),
        dead_letter_queue(names.queue("listener-dlq")?.value)?,
    )?;
    template.add_resource(
        queue.clone(),
        work_queue(
            names.queue("listener")?.value,
            &queue_dlq,
            VISIBILITY_TIMEOUT_FACTOR * i64::from(settings.timeout),
        )?,
    )?;
    template.add_resource(
        rules_dlq.clone(),
        dead_letter_queue(names.queue("rules-dlq")?.value)?,
    )?;

    let mut rules = Vec::new();
    for subscription in subscriptions {
        let event = &system.events[subscription.event].name;
        let rule = id(&["rule", event])?;
        let resource = rule_for(system, service, names, subscription, &queue, &rules_dlq)?;
        template.add_resource(rule.clone(), resource)?;
        rules.push(rule);
    }
    template.add_resource(
        id(&["listener-queue-policy"])?,
        events_send_policy(&queue, &rules)?,
    )?;
    template.add_resource(
        id(&["rules-dlq-policy"])?,
        events_send_policy(&rules_dlq, &rules)?,
    )?;
    template.add_resource(
        id(&["listener-dlq-alarm"])?,
        depth_alarm(&queue_dlq, "Messages the listener could not apply")?,
    )?;
    template.add_resource(
        id(&["rules-dlq-alarm"])?,
        depth_alarm(&rules_dlq, "Events the rules could not deliver")?,
    )?;

    let mut properties = object([
        ("Queue", queues::arn(&queue)),
        ("BatchSize", i64::from(settings.batch_size).into()),
        (
            "FunctionResponseTypes",
            list([s("ReportBatchItemFailures")]),
        ),
    ])?;
    if settings.batch_window > 0 {
        properties.insert(
            "MaximumBatchingWindowInSeconds",
            i64::from(settings.batch_window),
        )?;
    }
    if let Some(maximum) = settings.maximum_concurrency {
        properties.insert(
            "ScalingConfig",
            obj([("MaximumConcurrency", i64::from(maximum).into())])?,
        )?;
    }
    let source = obj([
        ("Type", s("SQS")),
        ("Properties", Value::Object(properties)),
    ])?;
    for (what, id, description) in [
        (
            "listener-queue-url",
            &queue,
            "The listener queue the rules deliver to: its URL.",
        ),
        (
            "listener-dlq-url",
            &queue_dlq,
            "Messages the listener could not apply: the dead-letter queue's URL.",
        ),
        (
            "rules-dlq-url",
            &rules_dlq,
            "Events the rules could not deliver: the dead-letter queue's URL.",
        ),
    ] {
        output(template, names, what, description.into(), reference(id))?;
    }
    for (what, id, description) in [
        (
            "listener-queue-arn",
            &queue,
            "The listener queue the rules deliver to: its ARN.",
        ),
        (
            "listener-dlq-arn",
            &queue_dlq,
            "Messages the listener could not apply: the dead-letter queue's ARN.",
        ),
        (
            "rules-dlq-arn",
            &rules_dlq,
            "Events the rules could not deliver: the dead-letter queue's ARN.",
        ),
    ] {
        output(template, names, what, description.into(), queues::arn(id))?;
    }
    let (table_arns, index_arns): (Vec<Value>, Vec<Vec<Value>>) = tables.into_iter().unzip();
    let function = function::add(
        template,
        names,
        deploy,
        Function {
            binary: Binary::Listener,
            cargo_binary: &system.services[service].names.listener_binary,
            settings,
            environment,
            events: object([("ListenerQueue", source)])?,
            grants: vec![
                Grant {
                    actions: &[
                        "sqs:ReceiveMessage",
                        "sqs:DeleteMessage",
                        "sqs:ChangeMessageVisibility",
                        "sqs:GetQueueAttributes",
                    ],
                    resources: vec![queues::arn(&queue)],
                },
                Grant {
                    actions: &["dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"],
                    resources: table_arns,
                },
                Grant {
                    actions: &["dynamodb:Query"],
                    resources: index_arns.into_iter().flatten().collect(),
                },
            ],
        },
    )?;
    output(
        template,
        names,
        "listener-function-name",
        "The listener function's name.".into(),
        reference(&function),
    )?;
    Ok(())
}

/// The rule delivering the events of `subscription` to the listener queue: its pattern fixes
/// `detail-type` (the event), `source` (the owning service, unless the event is external) and
/// the subscription's content filter on `detail.<entity>`.
fn rule_for(
    system: &System,
    service: ServiceId,
    names: &ServiceNames<'_>,
    subscription: &Subscription,
    queue: &LogicalId,
    dead_letter: &LogicalId,
) -> Result<Resource, EmitBug> {
    let event = &system.events[subscription.event];
    let service = &system.services[service];
    let pattern = &subscription.pattern;
    let target = obj([
        ("Id", s("listener-queue")),
        ("Arn", queues::arn(queue)),
        ("InputPath", s(INPUT_PATH)),
        (
            "DeadLetterConfig",
            obj([("Arn", get_att(dead_letter, "Arn"))])?,
        ),
        (
            "RetryPolicy",
            obj([
                ("MaximumRetryAttempts", RULE_RETRY_ATTEMPTS.into()),
                (
                    "MaximumEventAgeInSeconds",
                    RULE_MAXIMUM_EVENT_AGE_SECONDS.into(),
                ),
            ])?,
        ),
    ])?;
    Ok(Resource::new(
        "AWS::Events::Rule",
        object([
            ("Name", names.rule(&event.name)?.value),
            (
                "Description",
                s(&format!("{} for {}", event.name, service.name)),
            ),
            (
                "EventBusName",
                import(names::bus_name_export(system)?.value),
            ),
            ("EventPattern", Value::try_from(&pattern.to_json())?),
            ("State", s("ENABLED")),
            ("Targets", list([target])),
        ])?,
    ))
}

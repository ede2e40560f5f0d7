//! AWS resource names: the templates name tables, queues, functions, their log groups and
//! rules by joining kebab names (`<system>-<service>-<view>`), which is ambiguous: service
//! `orders` with view `bff-list` and service `orders-bff` with view `list` would both get
//! table `<system>-orders-bff-list`. AWS refuses a second resource of a name, so two of a
//! type must not meet.

use std::collections::BTreeMap;

use super::context::{Checker, Part};
use crate::diagnostic::Code;
use crate::load::span::escape_token;
use crate::model::{Origin, System};
use crate::naming::{AwsNameKind, join_aws_name};

/// A named resource of the templates.
#[derive(Debug, Clone)]
pub(crate) struct Resource {
    /// The CloudFormation resource type.
    pub(crate) type_: &'static str,
    /// Its AWS name.
    pub(crate) name: String,
    /// What it is, for messages.
    what: String,
    /// The spec name it comes from.
    origin: Origin,
    /// Which part of the node.
    part: Part,
}

/// Runs the check.
pub fn check(c: &mut Checker<'_>) {
    let mut seen: BTreeMap<(&str, &str), &Resource> = BTreeMap::new();
    let resources = resources(c.system);
    for resource in &resources {
        let Some(first) = seen.insert((resource.type_, &resource.name), resource) else {
            continue;
        };
        c.error(
            Code::NameCollision,
            &resource.origin,
            resource.part,
            format!(
                "{} and {} would both be named `{}`",
                first.what, resource.what, resource.name
            ),
        )
        .with_label("same AWS name")
        .with_help(
            "names are joined with `-`, so `a` + `b-c` meets `a-b` + `c`: rename a service, \
             view or event",
        );
    }
}

/// The named resources of every service template, as the infrastructure emitter names them.
/// Names the emitter cannot build (bad characters) are left out: reported elsewhere.
pub(crate) fn resources(system: &System) -> Vec<Resource> {
    let mut out = Vec::new();
    let sys = system.name.as_str();
    for service in system.services.values() {
        let svc = service.name.as_str();
        let mut logs = Vec::new();
        let mut add = |type_, kind, parts: &[&str], what: String, origin: Origin, part| {
            let Ok(name) = join_aws_name(kind, parts) else {
                return None;
            };
            out.push(Resource {
                type_,
                name: name.clone(),
                what,
                origin,
                part,
            });
            Some(name)
        };
        let at = &service.origin;
        let mut functions = Vec::new();
        if !service.entities.is_empty() {
            add(
                "AWS::DynamoDB::Table",
                AwsNameKind::DynamoDbTable,
                &[sys, svc],
                format!("the entity table of service `{svc}`"),
                at.clone(),
                Part::Key,
            );
            if !service.publishes.is_empty() {
                functions.push("trigger");
                add(
                    "AWS::SQS::Queue",
                    AwsNameKind::SqsQueue,
                    &[sys, svc, "trigger-dlq"],
                    format!("the trigger's dead-letter queue of service `{svc}`"),
                    at.clone(),
                    Part::Key,
                );
            }
        }
        for view in service.views.values() {
            add(
                "AWS::DynamoDB::Table",
                AwsNameKind::DynamoDbTable,
                &[sys, svc, &view.name],
                format!("the table of view `{}` of service `{svc}`", view.name),
                at.at(&format!("/views/{}", escape_token(&view.name))),
                Part::Key,
            );
        }
        if !service.subscriptions.is_empty() {
            functions.push("listener");
            for purpose in ["listener-dlq", "listener", "rules-dlq"] {
                add(
                    "AWS::SQS::Queue",
                    AwsNameKind::SqsQueue,
                    &[sys, svc, purpose],
                    format!("queue `{purpose}` of service `{svc}`"),
                    at.clone(),
                    Part::Key,
                );
            }
            for (i, subscription) in service.subscriptions.iter().enumerate() {
                // A second subscription to one event is reported as such.
                if service.subscriptions[..i]
                    .iter()
                    .any(|s| s.event == subscription.event)
                {
                    continue;
                }
                add(
                    "AWS::Events::Rule",
                    AwsNameKind::EventRule,
                    &[sys, svc, &subscription.event],
                    format!(
                        "the rule of `{svc}`'s subscription to `{}`",
                        subscription.event
                    ),
                    at.at(&format!("/subscribes/{i}/event")),
                    Part::Value,
                );
            }
        }
        for binary in functions {
            let what = format!("the {binary} function of service `{svc}`");
            if let Some(name) = add(
                "AWS::Serverless::Function",
                AwsNameKind::LambdaFunction,
                &[sys, svc, binary],
                what.clone(),
                at.clone(),
                Part::Key,
            ) {
                logs.push(Resource {
                    type_: "AWS::Logs::LogGroup",
                    name: format!("/aws/lambda/{name}"),
                    what: format!("the log group of {what}"),
                    origin: at.clone(),
                    part: Part::Key,
                });
            }
        }
        out.append(&mut logs);
    }
    out
}

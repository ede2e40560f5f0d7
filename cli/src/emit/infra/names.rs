//! The names in the templates: AWS resource names, export names, logical ids and environment
//! variables. Everything is built with [`crate::naming`]; nothing else in [`super`] formats a
//! spec name.
//!
//! Every physical name and export is stage-scoped: it ends with `-<stage>`, the value of the
//! template's `Stage` parameter (an `Fn::Sub`), so the stacks of several stages coexist in one
//! account and region. Roles, alarms and the archive are named by CloudFormation.

use crate::cfn::{Intrinsic, LogicalId, Parameter, RefTarget, SubPart, Template, Value};
use crate::emit::EmitBug;
use crate::ir::{Service, System};
use crate::naming::{self, AwsNameKind, STAGE_MAX_LEN};

/// The variable giving triggers the bus name: `cqrsgen_runtime::env::BUS_NAME`.
pub(super) const BUS_NAME_ENV: &str = "BUS_NAME";
/// The variable giving functions the deployment stage: `cqrsgen_runtime::env::STAGE`.
pub(super) const STAGE_ENV: &str = "STAGE";
/// The variable giving listeners the messages of a batch they apply at once:
/// `cqrsgen_runtime::env::LISTENER_CONCURRENCY`.
pub(super) const LISTENER_CONCURRENCY_ENV: &str = "CQRSGEN_LISTENER_CONCURRENCY";
/// The variable giving triggers the PutEvents requests they send at once:
/// `cqrsgen_runtime::env::PUBLISH_CONCURRENCY`.
pub(super) const PUBLISH_CONCURRENCY_ENV: &str = "CQRSGEN_PUBLISH_CONCURRENCY";

/// A logical id from parts ([`naming::logical_id_checked`]).
pub(super) fn id(parts: &[&str]) -> Result<LogicalId, EmitBug> {
    let id = naming::logical_id_checked(parts).map_err(|error| name_bug(parts, &error))?;
    Ok(LogicalId::new(id)?)
}

/// The logical id of the `Stage` parameter every template has.
pub(super) fn stage_id() -> Result<LogicalId, EmitBug> {
    id(&["stage"])
}

/// The stage a stack is deployed for when no value is given.
pub(super) const DEFAULT_STAGE: &str = "dev";

/// Adds the `Stage` parameter to `template` (once) and returns a `Ref` to it: the deployment
/// stage, part of every physical name and export, and given to functions as `STAGE` (the
/// `stage` tag of published events).
pub(super) fn stage_parameter(template: &mut Template) -> Result<Value, EmitBug> {
    let stage = stage_id()?;
    template.parameters.entry(stage.clone()).or_insert_with(|| {
        let mut parameter = Parameter::new("String");
        parameter.description = Some(
            "The deployment stage, e.g. dev or prod: every physical name and export ends with \
             `-<stage>`, so several stages share an account and region."
                .into(),
        );
        parameter.default = Some(DEFAULT_STAGE.into());
        parameter.allowed_pattern = Some(format!("^[a-z][a-z0-9]{{0,{}}}$", STAGE_MAX_LEN - 1));
        parameter.constraint_description = Some(format!(
            "1 to {STAGE_MAX_LEN} lowercase letters and digits, starting with a letter"
        ));
        parameter
    });
    Ok(Intrinsic::reference(&stage).into())
}

/// `text` followed by `-<stage>`: `Fn::Sub: "<text>-${Stage}"`.
fn staged(text: &str) -> Result<Value, EmitBug> {
    Ok(Intrinsic::Sub(vec![
        SubPart::Text(format!("{text}-")),
        SubPart::Ref(RefTarget::Logical(stage_id()?)),
    ])
    .into())
}

/// `parts` joined into a stage-scoped name of `kind` ([`naming::join_staged_aws_name`]).
fn aws(kind: AwsNameKind, parts: &[&str]) -> Result<String, EmitBug> {
    naming::join_staged_aws_name(kind, parts).map_err(|error| name_bug(parts, &error))
}

/// A stage-scoped physical name: its text before `-<stage>`, and the template value.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Name {
    /// The name without the stage, e.g. `shop-orders-listener`.
    pub(super) base: String,
    /// `Fn::Sub: "<base>-${Stage}"`.
    pub(super) value: Value,
}

impl Name {
    fn new(base: String) -> Result<Self, EmitBug> {
        let value = staged(&base)?;
        Ok(Self { base, value })
    }
}

/// A name validation let through that the templates cannot use: a bug.
fn name_bug(parts: &[&str], error: &naming::NameError) -> EmitBug {
    EmitBug::Internal(format!("the name `{}` {error}", parts.join("-")))
}

/// The hub's bus: the spec's bus name (checked with the stage by validation), `-<stage>`.
pub(super) fn bus(system: &System) -> Result<Name, EmitBug> {
    naming::check_staged_aws_name(AwsNameKind::EventBus, &system.bus)
        .map_err(|error| name_bug(&[&system.bus], &error))?;
    Name::new(system.bus.clone())
}

/// The export of the hub's bus name: `<system>-bus-name-<stage>`.
pub(super) fn bus_name_export(system: &System) -> Result<Name, EmitBug> {
    Name::new(aws(AwsNameKind::StackExport, &[&system.name, "bus-name"])?)
}

/// The export of the hub's bus ARN: `<system>-bus-arn-<stage>`.
pub(super) fn bus_arn_export(system: &System) -> Result<Name, EmitBug> {
    Name::new(aws(AwsNameKind::StackExport, &[&system.name, "bus-arn"])?)
}

/// The name of a global secondary index: the spec's index name, which the service code
/// queries by; checked against DynamoDB's rule.
pub(super) fn index(name: &str) -> Result<&str, EmitBug> {
    naming::check_aws_name(AwsNameKind::DynamoDbIndex, name).map_err(|e| name_bug(&[name], &e))?;
    Ok(name)
}

/// The names of one service's resources, all `<system>-<service>[-<what>]-<stage>`.
#[derive(Debug, Clone, Copy)]
pub(super) struct ServiceNames<'a> {
    system: &'a str,
    service: &'a str,
    /// The path from the templates' directory to the project directory.
    project: &'a str,
}

impl<'a> ServiceNames<'a> {
    /// The names of `service`'s resources; `project` is the path from the templates'
    /// directory to the project directory.
    pub(super) fn new(system: &'a System, service: &'a Service, project: &'a str) -> Self {
        Self {
            system: &system.name,
            service: &service.name,
            project,
        }
    }

    fn join(&self, kind: AwsNameKind, rest: &[&str]) -> Result<Name, EmitBug> {
        let parts: Vec<&str> = [self.system, self.service]
            .into_iter()
            .chain(rest.iter().copied())
            .collect();
        Name::new(aws(kind, &parts)?)
    }

    /// The entity table: `<system>-<service>-<stage>`.
    pub(super) fn entity_table(&self) -> Result<Name, EmitBug> {
        self.join(AwsNameKind::DynamoDbTable, &[])
    }

    /// The table of `view`: `<system>-<service>-<view>-<stage>`.
    pub(super) fn view_table(&self, view: &str) -> Result<Name, EmitBug> {
        self.join(AwsNameKind::DynamoDbTable, &[view])
    }

    /// A function: `<system>-<service>-<binary>-<stage>`.
    pub(super) fn function(&self, binary: &str) -> Result<Name, EmitBug> {
        self.join(AwsNameKind::LambdaFunction, &[binary])
    }

    /// A queue: `<system>-<service>-<purpose>-<stage>`.
    pub(super) fn queue(&self, purpose: &str) -> Result<Name, EmitBug> {
        self.join(AwsNameKind::SqsQueue, &[purpose])
    }

    /// The rule of the subscription to `event`: `<system>-<service>-<event>-<stage>`.
    pub(super) fn rule(&self, event: &str) -> Result<Name, EmitBug> {
        self.join(AwsNameKind::EventRule, &[event])
    }

    /// The export of the service output `what`: `<system>-<service>-<what>-<stage>`.
    pub(super) fn export(&self, what: &str) -> Result<Name, EmitBug> {
        self.join(AwsNameKind::StackExport, &[what])
    }

    /// The service's own crate (with the functions' binaries), relative to the template's
    /// directory (`infra/`).
    pub(super) fn code_uri(&self) -> String {
        format!("{}/app/{}", self.project, self.service)
    }
}

/// The log group Lambda writes `function`'s logs to: `/aws/lambda/<function>-<stage>`.
pub(super) fn log_group(function: &Name) -> Result<Value, EmitBug> {
    staged(&format!("/aws/lambda/{}", function.base))
}

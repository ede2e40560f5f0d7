//! The names in the templates: AWS resource names, export names, logical ids and environment
//! variables. Everything is built with [`crate::naming`]; nothing else in [`super`] formats a
//! spec name.

use crate::cfn::LogicalId;
use crate::emit::EmitBug;
use crate::ir::{Service, System};
use crate::naming::{self, AwsNameKind};

/// The variable giving triggers the bus name: `cqrsgen_runtime::env::BUS_NAME`.
pub(super) const BUS_NAME_ENV: &str = "BUS_NAME";
/// The variable giving functions the deployment stage: `cqrsgen_runtime::env::STAGE`.
pub(super) const STAGE_ENV: &str = "STAGE";

/// A logical id from parts ([`naming::logical_id_checked`]).
pub(super) fn id(parts: &[&str]) -> Result<LogicalId, EmitBug> {
    let id = naming::logical_id_checked(parts).map_err(|error| name_bug(parts, &error))?;
    Ok(LogicalId::new(id)?)
}

/// `parts` joined into a name of `kind` ([`naming::join_aws_name`]).
fn aws(kind: AwsNameKind, parts: &[&str]) -> Result<String, EmitBug> {
    naming::join_aws_name(kind, parts).map_err(|error| name_bug(parts, &error))
}

/// A name validation let through that the templates cannot use: a bug.
fn name_bug(parts: &[&str], error: &naming::NameError) -> EmitBug {
    EmitBug::Internal(format!("the name `{}` {error}", parts.join("-")))
}

/// The export of the hub's bus name: `<system>-bus-name`.
pub(super) fn bus_name_export(system: &System) -> Result<String, EmitBug> {
    aws(AwsNameKind::StackExport, &[&system.name, "bus-name"])
}

/// The export of the hub's bus ARN: `<system>-bus-arn`.
pub(super) fn bus_arn_export(system: &System) -> Result<String, EmitBug> {
    aws(AwsNameKind::StackExport, &[&system.name, "bus-arn"])
}

/// The name of a global secondary index: the spec's index name, which the service code
/// queries by; checked against DynamoDB's rule.
pub(super) fn index(name: &str) -> Result<&str, EmitBug> {
    naming::check_aws_name(AwsNameKind::DynamoDbIndex, name).map_err(|e| name_bug(&[name], &e))?;
    Ok(name)
}

/// The names of one service's resources, all prefixed `<system>-<service>`.
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

    fn join(&self, kind: AwsNameKind, rest: &[&str]) -> Result<String, EmitBug> {
        let parts: Vec<&str> = [self.system, self.service]
            .into_iter()
            .chain(rest.iter().copied())
            .collect();
        aws(kind, &parts)
    }

    /// The entity table: `<system>-<service>`.
    pub(super) fn entity_table(&self) -> Result<String, EmitBug> {
        self.join(AwsNameKind::DynamoDbTable, &[])
    }

    /// The table of `view`: `<system>-<service>-<view>`.
    pub(super) fn view_table(&self, view: &str) -> Result<String, EmitBug> {
        self.join(AwsNameKind::DynamoDbTable, &[view])
    }

    /// A function: `<system>-<service>-<binary>`.
    pub(super) fn function(&self, binary: &str) -> Result<String, EmitBug> {
        self.join(AwsNameKind::LambdaFunction, &[binary])
    }

    /// A queue: `<system>-<service>-<purpose>`.
    pub(super) fn queue(&self, purpose: &str) -> Result<String, EmitBug> {
        self.join(AwsNameKind::SqsQueue, &[purpose])
    }

    /// The rule of the subscription to `event`: `<system>-<service>-<event>`.
    pub(super) fn rule(&self, event: &str) -> Result<String, EmitBug> {
        self.join(AwsNameKind::EventRule, &[event])
    }

    /// The service's own crate (with the functions' binaries), relative to the template's
    /// directory (`infra/`).
    pub(super) fn code_uri(&self) -> String {
        format!("{}/app/{}", self.project, self.service)
    }
}

/// The log group Lambda writes `function`'s logs to.
pub(super) fn log_group(function: &str) -> String {
    format!("/aws/lambda/{function}")
}

//! The names in the templates: AWS resource names, export names, logical ids and environment
//! variables. Everything is built with [`crate::naming`]; nothing else in [`super`] formats a
//! spec name.

use crate::cfn::LogicalId;
use crate::emit::EmitError;
use crate::model::{Service, System};
use crate::naming::{self, AwsNameKind};

/// The variable giving triggers the bus name: `cqrsgen_runtime::env::BUS_NAME`.
pub(super) const BUS_NAME_ENV: &str = "BUS_NAME";
/// The variable giving functions the deployment stage: `cqrsgen_runtime::env::STAGE`.
pub(super) const STAGE_ENV: &str = "STAGE";

/// A logical id from parts ([`naming::logical_id_checked`]).
pub(super) fn id(parts: &[&str]) -> Result<LogicalId, EmitError> {
    let id = naming::logical_id_checked(parts).map_err(|error| EmitError::InvalidName {
        name: parts.join("-"),
        error,
    })?;
    Ok(LogicalId::new(id)?)
}

/// `parts` joined into a name of `kind` ([`naming::join_aws_name`]).
fn aws(kind: AwsNameKind, parts: &[&str]) -> Result<String, EmitError> {
    naming::join_aws_name(kind, parts).map_err(|error| EmitError::InvalidName {
        name: parts.join("-"),
        error,
    })
}

/// The export of the hub's bus name: `<system>-bus-name`.
pub(super) fn bus_name_export(system: &System) -> Result<String, EmitError> {
    aws(AwsNameKind::StackExport, &[&system.name, "bus-name"])
}

/// The export of the hub's bus ARN: `<system>-bus-arn`.
pub(super) fn bus_arn_export(system: &System) -> Result<String, EmitError> {
    aws(AwsNameKind::StackExport, &[&system.name, "bus-arn"])
}

/// The name of a global secondary index: the spec's index name, which the service code
/// queries by; checked against DynamoDB's rule.
pub(super) fn index(name: &str) -> Result<&str, EmitError> {
    naming::check_aws_name(AwsNameKind::DynamoDbIndex, name).map_err(|error| {
        EmitError::InvalidName {
            name: name.to_owned(),
            error,
        }
    })?;
    Ok(name)
}

/// The names of one service's resources, all prefixed `<system>-<service>`.
#[derive(Debug, Clone, Copy)]
pub(super) struct ServiceNames<'a> {
    system: &'a str,
    service: &'a str,
}

impl<'a> ServiceNames<'a> {
    /// The names of `service`'s resources.
    pub(super) fn new(system: &'a System, service: &'a Service) -> Self {
        Self {
            system: &system.name,
            service: &service.name,
        }
    }

    fn join(&self, kind: AwsNameKind, rest: &[&str]) -> Result<String, EmitError> {
        let parts: Vec<&str> = [self.system, self.service]
            .into_iter()
            .chain(rest.iter().copied())
            .collect();
        aws(kind, &parts)
    }

    /// The entity table: `<system>-<service>`.
    pub(super) fn entity_table(&self) -> Result<String, EmitError> {
        self.join(AwsNameKind::DynamoDbTable, &[])
    }

    /// The table of `view`: `<system>-<service>-<view>`.
    pub(super) fn view_table(&self, view: &str) -> Result<String, EmitError> {
        self.join(AwsNameKind::DynamoDbTable, &[view])
    }

    /// A function: `<system>-<service>-<binary>`.
    pub(super) fn function(&self, binary: &str) -> Result<String, EmitError> {
        self.join(AwsNameKind::LambdaFunction, &[binary])
    }

    /// A queue: `<system>-<service>-<purpose>`.
    pub(super) fn queue(&self, purpose: &str) -> Result<String, EmitError> {
        self.join(AwsNameKind::SqsQueue, &[purpose])
    }

    /// The rule of the subscription to `event`: `<system>-<service>-<event>`.
    pub(super) fn rule(&self, event: &str) -> Result<String, EmitError> {
        self.join(AwsNameKind::EventRule, &[event])
    }

    /// The service crate, relative to the template's directory (`infra/`).
    pub(super) fn code_uri(&self) -> String {
        format!(
            "../crates/{}",
            naming::crate_name(self.system, self.service)
        )
    }
}

/// The log group Lambda writes `function`'s logs to.
pub(super) fn log_group(function: &str) -> String {
    format!("/aws/lambda/{function}")
}

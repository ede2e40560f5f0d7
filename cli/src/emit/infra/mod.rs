//! Infrastructure as code: the CloudFormation template of the event hub and an AWS SAM
//! template per service, built as typed [`crate::cfn`] values and serialized to YAML.
//!
//! - `infra/hub.yaml` ([`hub`]): the system's EventBridge bus, an archive for replay, and the
//!   bus name and ARN as exported outputs, which service templates import.
//! - `infra/<service>.yaml` ([`service`]): for a service with entities, the entity table
//!   ([`tables`]) and, when it publishes, the trigger function on the table's stream
//!   ([`upstream`]); for a service with subscriptions, one EventBridge rule per subscription
//!   with the pattern compiled from its filter, the listener queue and the view tables
//!   ([`downstream`]). Functions get their own role with least-privilege policies ([`iam`])
//!   and log group ([`function`]); every dead-letter queue gets an alarm ([`queues`]).
//!
//! Every name comes from [`names`], which builds them with [`crate::naming`]. Every physical
//! name and export ends with `-<stage>` (the templates' `Stage` parameter), so the stacks of
//! several stages coexist in one account and region. The service templates deploy after the
//! hub, from the `infra/` directory (the functions' `CodeUri` is the service's own crate,
//! `app/<service>` in the project, whose binaries the functions run).

mod downstream;
mod function;
mod hub;
mod iam;
mod names;
mod props;
mod queues;
mod root;
mod service;
mod tables;
mod upstream;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::cfn::Template;
use crate::ir::System;
use crate::write::{CommentStyle, header};

use super::options::slashes;
use super::{EmitBug, GeneratedFile, Options};

/// The templates of `system`: `infra/hub.yaml`, then `infra/<service>.yaml` for every
/// service that needs AWS resources (one without entities and subscriptions has none), in
/// name order, then the root application `template.yaml` nesting them and `samconfig.toml`.
pub fn infra(system: &System, options: &Options) -> Result<Vec<GeneratedFile>, EmitBug> {
    let templates = templates(system, options)?;
    let project = slashes(&options.project_from_out);
    let nested: Vec<root::Nested<'_>> = templates
        .iter()
        .skip(1)
        .filter_map(|(path, _)| {
            let stem = path.file_stem()?.to_str()?;
            let service = system
                .services
                .values()
                .find(|service| crate::naming::file_stem(&service.name).is_ok_and(|s| s == stem))?;
            let resources = system
                .deploy
                .service(&service.name)
                .resources
                .map(|path| format!("{project}/{path}"));
            Some(root::Nested {
                service: &service.name,
                path: slashes(path),
                resources,
            })
        })
        .collect();
    let root = root::template(system, &nested)?;
    let mut files = templates
        .into_iter()
        .chain([(PathBuf::from("template.yaml"), root)])
        .map(|(path, template)| {
            Ok(GeneratedFile::new(
                path,
                format!("{}{}", header(CommentStyle::Hash), template.to_yaml()?),
            ))
        })
        .collect::<Result<Vec<_>, EmitBug>>()?;
    files.push(GeneratedFile::new(
        "samconfig.toml",
        format!("{}{}", header(CommentStyle::Hash), root::samconfig(system)),
    ));
    Ok(files)
}

/// The templates of `system` with their paths, before serialization.
fn templates(system: &System, options: &Options) -> Result<Vec<(PathBuf, Template)>, EmitBug> {
    let mut out = vec![(PathBuf::from("infra/hub.yaml"), hub::template(system)?)];
    // The templates are in `<out>/infra/`, one level below the output root.
    let project = slashes(&Path::new("..").join(&options.project_from_out));
    for (id, service) in system.services.iter() {
        if let Some(template) = service::template(system, id, &project)? {
            let stem = crate::naming::file_stem(&service.name).map_err(|error| {
                EmitBug::Internal(format!("the service name `{}` {error}", service.name))
            })?;
            out.push((PathBuf::from(format!("infra/{stem}.yaml")), template));
        }
    }
    check_unique_names(&out)?;
    Ok(out)
}

/// The property holding the AWS name of resources of `type_`, for those that get one.
fn name_property(type_: &str) -> Option<&'static str> {
    match type_ {
        "AWS::DynamoDB::Table" => Some("TableName"),
        "AWS::SQS::Queue" => Some("QueueName"),
        "AWS::Serverless::Function" => Some("FunctionName"),
        "AWS::Events::Rule" => Some("Name"),
        "AWS::Logs::LogGroup" => Some("LogGroupName"),
        _ => None,
    }
}

/// Fails when two resources of one type, in any of the templates, get the same name (which
/// validation rules out: a bug).
fn check_unique_names(templates: &[(PathBuf, Template)]) -> Result<(), EmitBug> {
    let mut seen: BTreeMap<(&str, String), &Path> = BTreeMap::new();
    for (path, template) in templates {
        for resource in template.resources.values() {
            let Some(property) = name_property(&resource.type_) else {
                continue;
            };
            let Some(name) = resource.properties.entries().get(property) else {
                continue;
            };
            // Names are literals or `Fn::Sub` of a literal and the stage: equal values, equal
            // names in every stage.
            let name = format!("{name:?}");
            if let Some(first) = seen.insert((&resource.type_, name.clone()), path) {
                return Err(EmitBug::Internal(format!(
                    "two {} resources are named `{name}` (in `{}` and `{}`)",
                    resource.type_,
                    first.display(),
                    path.display()
                )));
            }
        }
    }
    Ok(())
}

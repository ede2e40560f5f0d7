//! The template of one service: its upstream and downstream resources, and the outputs other
//! code needs (exported as `<system>-<service>-<output>-<stage>`).

use crate::cfn::{Output, Template, Transform, Value};
use crate::emit::EmitBug;
use crate::ir::{ServiceId, System};

use super::names::{self, ServiceNames};
use super::{downstream, function, upstream};

/// The template of `service`, or `None` when it needs no AWS resource (no entities, no views,
/// no subscriptions). It uses the SAM transform when it has functions.
pub(super) fn template(
    system: &System,
    id: ServiceId,
    project: &str,
) -> Result<Option<Template>, EmitBug> {
    let service = &system.services[id];
    let names = ServiceNames::new(system, service, project);
    let mut template = Template {
        description: Some(format!(
            "Service {} of system {}: tables, rules, queues and functions.",
            service.name, system.name
        )),
        ..Template::default()
    };
    let deploy = system.deploy.service(&service.name);
    upstream::add(&mut template, system, id, &names, &deploy)?;
    downstream::add(&mut template, system, id, &names, &deploy)?;
    if template.resources.is_empty() {
        return Ok(None);
    }
    if !deploy.tags.is_empty() {
        let tags = function::tag_list(&deploy.tags)?;
        for resource in template.resources.values_mut() {
            if matches!(
                resource.type_.as_str(),
                "AWS::DynamoDB::Table" | "AWS::SQS::Queue"
            ) {
                resource.properties.insert("Tags", tags.clone())?;
            }
        }
    }
    names::stage_parameter(&mut template)?;
    let serverless = template
        .resources
        .values()
        .any(|resource| resource.type_.starts_with("AWS::Serverless::"));
    template.transform = serverless.then_some(Transform::Serverless);
    Ok(Some(template))
}

/// Adds the output `what` (kebab-case, its logical id in UpperCamelCase) with `value`, exported
/// as `<system>-<service>-<what>-<stage>`.
pub(super) fn output(
    template: &mut Template,
    names: &ServiceNames<'_>,
    what: &str,
    description: String,
    value: Value,
) -> Result<(), EmitBug> {
    template.outputs.insert(
        names::id(&[what])?,
        Output {
            description: Some(description),
            value,
            export_name: Some(names.export(what)?.value),
        },
    );
    Ok(())
}

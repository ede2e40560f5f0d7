//! The template of one service: its upstream and downstream resources.

use crate::cfn::{Template, Transform};
use crate::emit::EmitError;
use crate::model::{Service, System};

use super::names::ServiceNames;
use super::{downstream, upstream};

/// The template of `service`, or `None` when it needs no AWS resource (no entities, no views,
/// no subscriptions). It uses the SAM transform when it has functions.
pub(super) fn template(system: &System, service: &Service) -> Result<Option<Template>, EmitError> {
    let names = ServiceNames::new(system, service);
    let mut template = Template {
        description: Some(format!(
            "Service {} of system {}: tables, rules, queues and functions.",
            service.name, system.name
        )),
        ..Template::default()
    };
    upstream::add(&mut template, system, service, &names)?;
    downstream::add(&mut template, system, service, &names)?;
    if template.resources.is_empty() {
        return Ok(None);
    }
    let serverless = template
        .resources
        .values()
        .any(|resource| resource.type_.starts_with("AWS::Serverless::"));
    template.transform = serverless.then_some(Transform::Serverless);
    Ok(Some(template))
}

//! The hub template: the system's event bus, its archive, and the exports service templates
//! import.

use crate::cfn::{LogicalId, Output, Parameter, Resource, Template};
use crate::emit::EmitBug;
use crate::ir::System;

use super::names::{self, id};
use super::props::{get_att, object, reference, s};

/// Days the archive keeps events when the stack is deployed without a parameter value.
const DEFAULT_ARCHIVE_RETENTION_DAYS: i64 = 365;

/// The hub template of `system`.
pub(super) fn template(system: &System) -> Result<Template, EmitBug> {
    let mut template = Template {
        description: Some(format!(
            "Event hub of system {}: the bus every service publishes to and subscribes on.",
            system.name
        )),
        ..Template::default()
    };
    let retention = id(&["archive-retention-days"])?;
    let mut parameter = Parameter::new("Number");
    parameter.description =
        Some("Days the archive keeps events for replay (0 keeps them forever).".into());
    parameter.default = Some(DEFAULT_ARCHIVE_RETENTION_DAYS.into());
    template.parameters.insert(retention.clone(), parameter);
    names::stage_parameter(&mut template)?;

    let bus = id(&["bus"])?;
    let mut properties = object([("Name", names::bus(system)?.value)])?;
    if !system.deploy.tags.is_empty() {
        properties.insert("Tags", super::function::tag_list(&system.deploy.tags)?)?;
    }
    template.add_resource(
        bus.clone(),
        Resource::new("AWS::Events::EventBus", properties),
    )?;
    template.add_resource(
        id(&["archive"])?,
        Resource::new(
            "AWS::Events::Archive",
            object([
                ("SourceArn", get_att(&bus, "Arn")),
                (
                    "Description",
                    s("Every event on the hub bus, to replay into rebuilt views."),
                ),
                ("RetentionDays", reference(&retention)),
            ])?,
        ),
    )?;
    let output = |attribute: &'static str, description: &str, export: names::Name| Output {
        description: Some(description.to_owned()),
        value: get_att(&bus, attribute),
        export_name: Some(export.value),
    };
    template.outputs.insert(
        output_id("bus-name")?,
        output("Name", "The bus name.", names::bus_name_export(system)?),
    );
    template.outputs.insert(
        output_id("bus-arn")?,
        output("Arn", "The bus ARN.", names::bus_arn_export(system)?),
    );
    Ok(template)
}

fn output_id(what: &str) -> Result<LogicalId, EmitBug> {
    id(&[what])
}

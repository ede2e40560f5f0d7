//! The root application (`template.yaml` at the output root) and `samconfig.toml`: one
//! `sam build && sam deploy --config-env <stage>` deploys the whole system of a stage, the hub
//! first, then every service (whose templates import the hub's exports), then the user's own
//! templates of each service (`generate.deploy.services.<name>.resources`).

use crate::cfn::{LogicalId, Output, Resource, Template, Transform};
use crate::emit::EmitBug;
use crate::ir::System;

use super::names::{self, id};
use super::props::{get_att, obj, object, s};

/// The stages `samconfig.toml` has environments for, with whether `sam deploy` asks before
/// executing a change set.
pub(super) const STAGES: &[(&str, bool)] = &[("dev", false), ("prod", true)];

/// A service template to nest: its name and path relative to the output root.
pub(super) struct Nested<'a> {
    /// The service's name.
    pub(super) service: &'a str,
    /// `infra/<service>.yaml`.
    pub(super) path: String,
    /// The user's own template, relative to the output root, when the spec names one.
    pub(super) resources: Option<String>,
}

/// The root template: the hub and every service template as nested applications.
pub(super) fn template(system: &System, services: &[Nested<'_>]) -> Result<Template, EmitBug> {
    let mut template = Template {
        description: Some(format!(
            "System {}: the hub and every service, for one stage. Deploy with `sam build && \
             sam deploy --config-env <stage>` from this directory.",
            system.name
        )),
        transform: Some(Transform::Serverless),
        ..Template::default()
    };
    let stage = names::stage_parameter(&mut template)?;
    let application = |location: &str, depends_on: Option<&LogicalId>| {
        let mut resource = Resource::new(
            "AWS::Serverless::Application",
            object([
                ("Location", s(location)),
                ("Parameters", obj([("Stage", stage.clone())])?),
            ])?,
        );
        if let Some(id) = depends_on {
            resource.depends_on.insert(id.clone());
        }
        Ok::<_, EmitBug>(resource)
    };
    let hub = id(&["hub"])?;
    template.add_resource(hub.clone(), application("infra/hub.yaml", None)?)?;
    for nested in services {
        let service = id(&[nested.service, "service"])?;
        template.add_resource(service.clone(), application(&nested.path, Some(&hub))?)?;
        if let Some(resources) = &nested.resources {
            template.add_resource(
                id(&[nested.service, "resources"])?,
                application(resources, Some(&service))?,
            )?;
        }
    }
    for (what, attribute, description) in [
        ("bus-name", "Outputs.BusName", "The hub bus name."),
        ("bus-arn", "Outputs.BusArn", "The hub bus ARN."),
    ] {
        template.outputs.insert(
            id(&[what])?,
            Output {
                description: Some(description.into()),
                value: get_att(&hub, attribute),
                export_name: None,
            },
        );
    }
    Ok(template)
}

/// `samconfig.toml` beside the root template: an environment per stage in [`STAGES`], each
/// deploying the stack `<system>-<stage>` with `Stage=<stage>`; `sam build` takes the
/// `default` environment's build settings.
pub(super) fn samconfig(system: &System) -> String {
    let mut out = String::from(
        "# `sam build && sam deploy --config-env <stage>` in this directory deploys the stage; \
         `sam delete --config-env <stage>` removes it.\n# Other stages: `sam deploy --stack-name \
         <system>-<stage> --parameter-overrides Stage=<stage>` (see docs/deploy.md).\nversion = 0.1\n\n\
         [default.build.parameters]\ncached = true\nparallel = true\n",
    );
    for (stage, confirm) in STAGES {
        let stack = format!("{}-{stage}", system.name);
        out.push_str(&format!(
            "\n[{stage}.global.parameters]\nstack_name = \"{stack}\"\n\n\
             [{stage}.deploy.parameters]\ncapabilities = \"CAPABILITY_IAM CAPABILITY_AUTO_EXPAND\"\n\
             confirm_changeset = {confirm}\nfail_on_empty_changeset = false\n\
             parameter_overrides = \"Stage={stage}\"\nresolve_s3 = true\n\
             s3_prefix = \"{stack}\"\n"
        ));
    }
    out
}

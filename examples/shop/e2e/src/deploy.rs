//! Deploys the generated templates through CloudFormation.
//!
//! The hub stack comes first (it exports the bus name every rule imports), then one stack per
//! service template. moto creates the tables, queues, rules and their targets and skips the
//! `AWS::Serverless::Function` resources (it does not expand the SAM transform): the functions
//! themselves run in-process (see [`crate::shop`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use aws_sdk_cloudformation::types::{Capability, StackStatus};

use crate::moto::Moto;
use crate::{HarnessError, Result};

/// The generated templates of the shop example.
pub fn shop_infra_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/infra")
}

/// The deployed stacks of a system.
#[derive(Debug, Clone)]
pub struct Deployment {
    /// The name of the hub bus (the hub stack's `BusName` output).
    pub bus: String,
    /// Resources of each service stack, by service name.
    pub services: BTreeMap<String, Resources>,
}

/// The physical ids of a stack's resources, by logical id.
#[derive(Debug, Clone, Default)]
pub struct Resources(BTreeMap<String, String>);

impl Resources {
    /// The physical id of the resource `logical_id`.
    pub fn get(&self, logical_id: &str) -> Result<&str> {
        self.0
            .get(logical_id)
            .map(String::as_str)
            .ok_or_else(|| HarnessError::Missing(format!("stack resource `{logical_id}`")))
    }

    /// The logical ids of the resources, in order.
    pub fn logical_ids(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

impl Deployment {
    /// The resources of `service`'s stack.
    pub fn service(&self, service: &str) -> Result<&Resources> {
        self.services
            .get(service)
            .ok_or_else(|| HarnessError::Missing(format!("stack of service `{service}`")))
    }
}

/// Creates the stack `{system}-hub` from `dir/hub.yaml` and a stack `{system}-{service}` from
/// every other `dir/{service}.yaml`, each waited for until `CREATE_COMPLETE`.
pub async fn create(moto: &Moto, system: &str, dir: &Path) -> Result<()> {
    let cfn = aws_sdk_cloudformation::Client::new(moto.config());
    create_stack(&cfn, &format!("{system}-hub"), &dir.join("hub.yaml")).await?;
    for (service, template) in service_templates(dir)? {
        create_stack(&cfn, &format!("{system}-{service}"), &template).await?;
    }
    Ok(())
}

/// The stacks [`create`] made from the templates in `dir`.
pub async fn describe(moto: &Moto, system: &str, dir: &Path) -> Result<Deployment> {
    let cfn = aws_sdk_cloudformation::Client::new(moto.config());
    let hub = format!("{system}-hub");
    let outputs = cfn
        .describe_stacks()
        .stack_name(&hub)
        .send()
        .await
        .map_err(|e| HarnessError::aws("DescribeStacks", e))?;
    let bus = outputs
        .stacks()
        .iter()
        .flat_map(|stack| stack.outputs())
        .find(|output| output.output_key() == Some("BusName"))
        .and_then(|output| output.output_value())
        .ok_or_else(|| HarnessError::Missing("output BusName of the hub stack".into()))?
        .to_owned();

    let mut services = BTreeMap::new();
    for (service, _) in service_templates(dir)? {
        let stack = format!("{system}-{service}");
        let resources = cfn
            .describe_stack_resources()
            .stack_name(&stack)
            .send()
            .await
            .map_err(|e| HarnessError::aws("DescribeStackResources", e))?;
        let ids = resources
            .stack_resources()
            .iter()
            .filter_map(|r| {
                Some((
                    r.logical_resource_id()?.to_owned(),
                    r.physical_resource_id()?.to_owned(),
                ))
            })
            .collect();
        services.insert(service, Resources(ids));
    }
    Ok(Deployment { bus, services })
}

/// The service templates of `dir`: every `*.yaml` but `hub.yaml`, by name, with the service
/// name (the file stem).
fn service_templates(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let read = std::fs::read_dir(dir)
        .map_err(|e| HarnessError::Data(format!("cannot read {}: {e}", dir.display())))?;
    let mut templates: Vec<PathBuf> = read
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.extension().is_some_and(|ext| ext == "yaml")
                && path.file_name().is_some_and(|name| name != "hub.yaml")
        })
        .collect();
    templates.sort();
    templates
        .into_iter()
        .map(|path| {
            let service = path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .map(str::to_owned);
            service
                .map(|service| (service, path.clone()))
                .ok_or_else(|| HarnessError::Data(format!("bad template name {}", path.display())))
        })
        .collect()
}

async fn create_stack(
    cfn: &aws_sdk_cloudformation::Client,
    stack: &str,
    template: &Path,
) -> Result<()> {
    let body = std::fs::read_to_string(template)
        .map_err(|e| HarnessError::Data(format!("cannot read {}: {e}", template.display())))?;
    cfn.create_stack()
        .stack_name(stack)
        .template_body(body)
        .capabilities(Capability::CapabilityIam)
        .capabilities(Capability::CapabilityAutoExpand)
        .send()
        .await
        .map_err(|e| HarnessError::aws(format!("CreateStack {stack}"), e))?;
    for _ in 0..600 {
        let described = cfn
            .describe_stacks()
            .stack_name(stack)
            .send()
            .await
            .map_err(|e| HarnessError::aws("DescribeStacks", e))?;
        let Some(state) = described.stacks().first() else {
            return Err(HarnessError::Missing(format!("stack `{stack}`")));
        };
        match state.stack_status() {
            Some(StackStatus::CreateComplete) => return Ok(()),
            Some(StackStatus::CreateInProgress) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            other => {
                return Err(HarnessError::Stack {
                    stack: stack.to_owned(),
                    status: format!("{other:?}"),
                    reason: state.stack_status_reason().unwrap_or_default().to_owned(),
                });
            }
        }
    }
    Err(HarnessError::Stack {
        stack: stack.to_owned(),
        status: "CREATE_IN_PROGRESS".into(),
        reason: "still creating after 60 s".into(),
    })
}

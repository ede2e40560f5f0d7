//! Lambda functions (SAM `AWS::Serverless::Function`, built by cargo-lambda), each with its
//! own role and log group.

use std::collections::BTreeMap;

use crate::cfn::{CheckovSkip, LogicalId, Object, Resource, Template, Value};
use crate::emit::EmitBug;
use crate::ir::deploy::{FunctionDeploy, ServiceDeploy};

use super::iam::{Grant, lambda_role};
use super::names::{self, STAGE_ENV, ServiceNames, id};
use super::props::{get_att, list, obj, object, s};

/// The binaries of a service crate that run as functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Binary {
    /// Reads the entity table's stream and publishes events.
    Trigger,
    /// Reads the listener queue and updates the views.
    Listener,
}

impl Binary {
    /// The function's role, in its AWS name and logical ids.
    pub(super) fn name(self) -> &'static str {
        match self {
            Binary::Trigger => "trigger",
            Binary::Listener => "listener",
        }
    }

    /// The variable its runtime reads the requests it has in flight at once from.
    fn concurrency_env(self) -> &'static str {
        match self {
            Binary::Trigger => names::PUBLISH_CONCURRENCY_ENV,
            Binary::Listener => names::LISTENER_CONCURRENCY_ENV,
        }
    }
}

/// A function to add to a service template.
pub(super) struct Function<'a> {
    /// Which binary it runs.
    pub(super) binary: Binary,
    /// The Cargo binary of the service's crate that runs it (SAM's `BuildProperties.Binary`).
    pub(super) cargo_binary: &'a str,
    /// Memory, timeout and event source settings (`generate.deploy`).
    pub(super) settings: FunctionDeploy,
    /// Environment variables beyond `STAGE` and the batch concurrency.
    pub(super) environment: BTreeMap<String, Value>,
    /// SAM event sources, by name.
    pub(super) events: Object,
    /// What it may do beyond writing its logs.
    pub(super) grants: Vec<Grant>,
}

/// Adds `function` with its log group and role to `template`; returns the function's id.
pub(super) fn add(
    template: &mut Template,
    names: &ServiceNames<'_>,
    deploy: &ServiceDeploy,
    function: Function<'_>,
) -> Result<LogicalId, EmitBug> {
    let binary = function.binary.name();
    let function_name = names.function(binary)?;
    let log_group_id = id(&[binary, "log-group"])?;
    let role_id = id(&[binary, "role"])?;
    let function_id = id(&[binary, "function"])?;

    let mut log_group = Resource::new(
        "AWS::Logs::LogGroup",
        object([
            ("LogGroupName", names::log_group(&function_name)?),
            (
                "RetentionInDays",
                i64::from(deploy.log_retention_days).into(),
            ),
        ])?,
    );
    if !deploy.tags.is_empty() {
        log_group
            .properties
            .insert("Tags", tag_list(&deploy.tags)?)?;
    }
    log_group.metadata.checkov_skips.push(CheckovSkip {
        id: "CKV_AWS_158".into(),
        comment: "Encrypted with the CloudWatch Logs service key. A customer managed key needs \
                  a key policy, which always has a `*` resource; generated templates have none."
            .into(),
    });
    template.add_resource(log_group_id.clone(), log_group)?;

    let mut grants = vec![Grant {
        actions: &["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: vec![get_att(&log_group_id, "Arn")],
    }];
    grants.extend(
        function
            .grants
            .into_iter()
            .filter(|g| !g.resources.is_empty()),
    );
    template.add_resource(role_id.clone(), lambda_role(&grants)?)?;

    let mut variables = function.environment;
    variables.insert(STAGE_ENV.to_owned(), names::stage_parameter(template)?);
    if let Some(concurrency) = function.settings.batch_concurrency {
        // A string: Lambda's environment variables are strings.
        variables.insert(
            function.binary.concurrency_env().to_owned(),
            s(&concurrency.to_string()),
        );
    }
    let variables = variables
        .into_iter()
        .try_fold(Object::new(), |o, (name, value)| o.with(name, value))?;
    let mut properties = object([
        ("FunctionName", function_name.value),
        ("CodeUri", s(&names.code_uri())),
        ("Handler", s("bootstrap")),
        ("Runtime", s("provided.al2023")),
        ("Architectures", list([s(deploy.architecture.as_str())])),
        ("MemorySize", i64::from(function.settings.memory).into()),
        ("Timeout", i64::from(function.settings.timeout).into()),
        ("Role", get_att(&role_id, "Arn")),
        (
            "Environment",
            obj([("Variables", Value::Object(variables))])?,
        ),
    ])?;
    if !function.events.is_empty() {
        properties.insert("Events", function.events)?;
    }
    if !deploy.tags.is_empty() {
        properties.insert("Tags", tag_map(&deploy.tags)?)?;
    }
    let mut resource = Resource::new("AWS::Serverless::Function", properties);
    resource.depends_on.insert(log_group_id);
    resource.metadata.build_method = Some("rust-cargolambda".into());
    resource.metadata.build_properties = object([("Binary", s(function.cargo_binary))])?;
    resource.metadata.checkov_skips = FUNCTION_SKIPS
        .iter()
        .map(|(id, comment)| CheckovSkip {
            id: (*id).into(),
            comment: (*comment).into(),
        })
        .collect();
    template.add_resource(function_id.clone(), resource)?;
    Ok(function_id)
}

/// Tags as CloudFormation resources take them: `[{Key, Value}]`, sorted by key.
pub(super) fn tag_list(tags: &BTreeMap<String, String>) -> Result<Value, EmitBug> {
    let tags = tags
        .iter()
        .map(|(key, value)| obj([("Key", s(key)), ("Value", s(value))]))
        .collect::<Result<_, _>>()?;
    Ok(Value::List(tags))
}

/// Tags as SAM resources take them: a map.
fn tag_map(tags: &BTreeMap<String, String>) -> Result<Value, EmitBug> {
    Ok(Value::Object(
        tags.iter().try_fold(Object::new(), |o, (key, value)| {
            o.with(key.clone(), s(value))
        })?,
    ))
}

/// checkov policies that do not fit functions run by event source mappings, with the reason.
const FUNCTION_SKIPS: &[(&str, &str)] = &[
    (
        "CKV_AWS_116",
        "Invoked by an event source mapping, never asynchronously: failed records and messages \
         go to the mapping's on-failure destination or the queue's dead-letter queue.",
    ),
    (
        "CKV_AWS_117",
        "Talks only to AWS APIs (DynamoDB, EventBridge, SQS); there is no VPC resource to reach.",
    ),
    (
        "CKV_AWS_115",
        "Reserved concurrency is an account-level capacity decision; the event source mapping \
         already bounds concurrency.",
    ),
    (
        "CKV_AWS_173",
        "The environment holds only resource names and the stage, no secrets.",
    ),
    (
        "CKV_AWS_45",
        "The environment holds only an imported bus name, table names and the stage. checkov \
         3.3 scans the template's own file path (its `__file__` key) as a variable value, so \
         this check passes or fails with the checkout directory.",
    ),
];

//! Templates, resources, parameters and outputs.

use std::collections::{BTreeMap, BTreeSet};

use super::CfnError;
use super::value::{LogicalId, Object, Value};
use super::yaml::Tree;

/// The only template format version CloudFormation knows.
const FORMAT_VERSION: &str = "2010-09-09";

/// A template macro CloudFormation applies before deploying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transform {
    /// SAM: `AWS::Serverless-2016-10-31`.
    Serverless,
}

impl Transform {
    fn as_str(self) -> &'static str {
        match self {
            Transform::Serverless => "AWS::Serverless-2016-10-31",
        }
    }
}

/// A CloudFormation or SAM template. Written in the order `AWSTemplateFormatVersion`,
/// `Transform`, `Description`, `Parameters`, `Resources`, `Outputs`; entries of each section
/// sorted by logical id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Template {
    /// What the stack is.
    pub description: Option<String>,
    /// The SAM transform, for templates with `AWS::Serverless::*` resources.
    pub transform: Option<Transform>,
    /// Parameters, by logical id.
    pub parameters: BTreeMap<LogicalId, Parameter>,
    /// Resources, by logical id.
    pub resources: BTreeMap<LogicalId, Resource>,
    /// Outputs, by logical id.
    pub outputs: BTreeMap<LogicalId, Output>,
}

impl Template {
    /// Adds a resource; fails when `id` already names one.
    pub fn add_resource(&mut self, id: LogicalId, resource: Resource) -> Result<(), CfnError> {
        if self.resources.contains_key(&id) {
            return Err(CfnError::DuplicateResource(id.to_string()));
        }
        self.resources.insert(id, resource);
        Ok(())
    }

    /// The template as YAML, after checking it ([`Template::check`]).
    pub fn to_yaml(&self) -> Result<String, CfnError> {
        self.check()?;
        self.to_tree().to_yaml()
    }

    /// The template as JSON (keys sorted), after checking it.
    pub fn to_json(&self) -> Result<serde_json::Value, CfnError> {
        self.check()?;
        Ok(self.to_tree().to_json())
    }

    /// Checks what CloudFormation would reject on deploy: no resource, a logical id used by a
    /// parameter and a resource, and references (`Ref`, `Fn::GetAtt`, `${...}`,
    /// `DependsOn`) to ids the template does not declare, or to parameters where a resource
    /// is needed.
    pub fn check(&self) -> Result<(), CfnError> {
        if self.resources.is_empty() {
            return Err(CfnError::NoResources);
        }
        if let Some(id) = self
            .parameters
            .keys()
            .find(|id| self.resources.contains_key(*id))
        {
            return Err(CfnError::DuplicateLogicalId(id.to_string()));
        }
        let mut result = Ok(());
        let mut check = |id: &LogicalId, must_be_resource: bool| {
            if result.is_err() || self.resources.contains_key(id) {
                return;
            }
            if !self.parameters.contains_key(id) {
                result = Err(CfnError::UnknownReference(id.to_string()));
            } else if must_be_resource {
                result = Err(CfnError::NotAResource(id.to_string()));
            }
        };
        for resource in self.resources.values() {
            resource.depends_on.iter().for_each(|id| check(id, true));
            resource.properties.references(&mut check);
        }
        for output in self.outputs.values() {
            output.value.references(&mut check);
            if let Some(name) = &output.export_name {
                name.references(&mut check);
            }
        }
        result
    }

    fn to_tree(&self) -> Tree {
        let mut top = vec![(
            "AWSTemplateFormatVersion".to_owned(),
            Tree::String(FORMAT_VERSION.to_owned()),
        )];
        if let Some(transform) = self.transform {
            top.push(("Transform".into(), Tree::String(transform.as_str().into())));
        }
        if let Some(description) = &self.description {
            top.push(("Description".into(), Tree::String(description.clone())));
        }
        let section = |name: &str, entries: Vec<(String, Tree)>, top: &mut Vec<_>| {
            if !entries.is_empty() {
                top.push((name.to_owned(), Tree::Map(entries)));
            }
        };
        section(
            "Parameters",
            by_id(&self.parameters, Parameter::to_tree),
            &mut top,
        );
        section(
            "Resources",
            by_id(&self.resources, Resource::to_tree),
            &mut top,
        );
        section("Outputs", by_id(&self.outputs, Output::to_tree), &mut top);
        Tree::Map(top)
    }
}

fn by_id<T>(entries: &BTreeMap<LogicalId, T>, to_tree: impl Fn(&T) -> Tree) -> Vec<(String, Tree)> {
    entries
        .iter()
        .map(|(id, entry)| (id.as_str().to_owned(), to_tree(entry)))
        .collect()
}

/// Builds the entries of a map, leaving out the absent ones.
#[derive(Default)]
struct Entries(Vec<(String, Tree)>);

impl Entries {
    fn put(mut self, key: &str, value: Option<Tree>) -> Self {
        if let Some(value) = value {
            self.0.push((key.to_owned(), value));
        }
        self
    }

    fn into_tree(self) -> Tree {
        Tree::Map(self.0)
    }
}

fn string(s: &str) -> Tree {
    Tree::String(s.to_owned())
}

/// A stack parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// `String`, `Number`, `CommaDelimitedList`, an `AWS::...` type...
    pub type_: String,
    /// What the parameter is for.
    pub description: Option<String>,
    /// The value when none is given.
    pub default: Option<Value>,
    /// The only values accepted.
    pub allowed_values: Vec<Value>,
    /// A regular expression a `String` value must match.
    pub allowed_pattern: Option<String>,
    /// The message CloudFormation shows when a value breaks the constraints.
    pub constraint_description: Option<String>,
}

impl Parameter {
    /// A parameter of `type_` with nothing else set.
    pub fn new(type_: impl Into<String>) -> Self {
        Self {
            type_: type_.into(),
            description: None,
            default: None,
            allowed_values: Vec::new(),
            allowed_pattern: None,
            constraint_description: None,
        }
    }

    fn to_tree(&self) -> Tree {
        Entries::default()
            .put("Type", Some(string(&self.type_)))
            .put("Description", self.description.as_deref().map(string))
            .put("Default", self.default.as_ref().map(Value::to_tree))
            .put(
                "AllowedValues",
                (!self.allowed_values.is_empty())
                    .then(|| Tree::Seq(self.allowed_values.iter().map(Value::to_tree).collect())),
            )
            .put(
                "AllowedPattern",
                self.allowed_pattern.as_deref().map(string),
            )
            .put(
                "ConstraintDescription",
                self.constraint_description.as_deref().map(string),
            )
            .into_tree()
    }
}

/// What happens to a resource's data when it leaves the stack or is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeletionPolicy {
    /// Delete it.
    Delete,
    /// Keep it.
    Retain,
    /// Keep it, unless the stack's creation failed.
    RetainExceptOnCreate,
    /// Snapshot it, then delete it.
    Snapshot,
}

impl DeletionPolicy {
    fn as_str(self) -> &'static str {
        match self {
            DeletionPolicy::Delete => "Delete",
            DeletionPolicy::Retain => "Retain",
            DeletionPolicy::RetainExceptOnCreate => "RetainExceptOnCreate",
            DeletionPolicy::Snapshot => "Snapshot",
        }
    }
}

/// A deliberate exception to a checkov policy, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckovSkip {
    /// The check, e.g. `CKV_AWS_117`.
    pub id: String,
    /// Why the check does not apply.
    pub comment: String,
}

/// Resource metadata the tools read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    /// SAM's `BuildMethod`, e.g. `rust-cargolambda`.
    pub build_method: Option<String>,
    /// SAM's `BuildProperties` for the build method, e.g. cargo-lambda's `Binary`.
    pub build_properties: Object,
    /// checkov checks skipped for this resource (`checkov: {skip: [{id, comment}]}`).
    pub checkov_skips: Vec<CheckovSkip>,
}

impl Metadata {
    fn to_tree(&self) -> Option<Tree> {
        let skips = (!self.checkov_skips.is_empty()).then(|| {
            let skips = self.checkov_skips.iter().map(|skip| {
                Entries::default()
                    .put("id", Some(string(&skip.id)))
                    .put("comment", Some(string(&skip.comment)))
                    .into_tree()
            });
            Tree::Map(vec![("skip".to_owned(), Tree::Seq(skips.collect()))])
        });
        let entries = Entries::default()
            .put("BuildMethod", self.build_method.as_deref().map(string))
            .put(
                "BuildProperties",
                (!self.build_properties.is_empty()).then(|| self.build_properties.to_tree()),
            )
            .put("checkov", skips);
        (!entries.0.is_empty()).then(|| entries.into_tree())
    }
}

/// A resource. Written in the order `Type`, `DependsOn`, `Metadata`, `DeletionPolicy`,
/// `UpdateReplacePolicy`, `Properties`.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The resource type, e.g. `AWS::SQS::Queue`.
    pub type_: String,
    /// The properties.
    pub properties: Object,
    /// Resources to create first, beyond those the properties refer to.
    pub depends_on: BTreeSet<LogicalId>,
    /// Metadata for SAM and checkov.
    pub metadata: Metadata,
    /// What happens on deletion.
    pub deletion_policy: Option<DeletionPolicy>,
    /// What happens on replacement.
    pub update_replace_policy: Option<DeletionPolicy>,
}

impl Resource {
    /// A resource of `type_` with `properties` and nothing else set.
    pub fn new(type_: impl Into<String>, properties: Object) -> Self {
        Self {
            type_: type_.into(),
            properties,
            depends_on: BTreeSet::new(),
            metadata: Metadata::default(),
            deletion_policy: None,
            update_replace_policy: None,
        }
    }

    fn to_tree(&self) -> Tree {
        let depends_on = self.depends_on.iter().map(|id| string(id.as_str()));
        Entries::default()
            .put("Type", Some(string(&self.type_)))
            .put(
                "DependsOn",
                (!self.depends_on.is_empty()).then(|| Tree::Seq(depends_on.collect())),
            )
            .put("Metadata", self.metadata.to_tree())
            .put(
                "DeletionPolicy",
                self.deletion_policy.map(|p| string(p.as_str())),
            )
            .put(
                "UpdateReplacePolicy",
                self.update_replace_policy.map(|p| string(p.as_str())),
            )
            .put(
                "Properties",
                (!self.properties.is_empty()).then(|| self.properties.to_tree()),
            )
            .into_tree()
    }
}

/// A stack output, optionally exported for other stacks (`Fn::ImportValue`).
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// What the output is.
    pub description: Option<String>,
    /// The value.
    pub value: Value,
    /// The export name, when other stacks import the value.
    pub export_name: Option<Value>,
}

impl Output {
    fn to_tree(&self) -> Tree {
        Entries::default()
            .put("Description", self.description.as_deref().map(string))
            .put("Value", Some(self.value.to_tree()))
            .put(
                "Export",
                self.export_name
                    .as_ref()
                    .map(|name| Tree::Map(vec![("Name".to_owned(), name.to_tree())])),
            )
            .into_tree()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::value::{Intrinsic, Pseudo, RefTarget, SubPart};
    use super::super::yaml::tests::read_back;
    use super::*;

    fn id(s: &str) -> LogicalId {
        LogicalId::new(s).expect("logical id")
    }

    fn queue_template() -> Template {
        let mut template = Template {
            description: Some("Orders: read models".into()),
            transform: Some(Transform::Serverless),
            ..Template::default()
        };
        let mut stage = Parameter::new("String");
        stage.default = Some("dev".into());
        stage.allowed_values = vec!["dev".into(), "prod".into()];
        template.parameters.insert(id("Stage"), stage);

        let dlq = Resource::new(
            "AWS::SQS::Queue",
            Object::new()
                .with("SqsManagedSseEnabled", true)
                .expect("key"),
        );
        template.resources.insert(id("Dlq"), dlq);

        let redrive = Object::new()
            .with("deadLetterTargetArn", Intrinsic::GetAtt(id("Dlq"), "Arn"))
            .and_then(|o| o.with("maxReceiveCount", 5))
            .expect("keys");
        let mut queue = Resource::new(
            "AWS::SQS::Queue",
            Object::new()
                .with("RedrivePolicy", redrive)
                .and_then(|o| {
                    o.with(
                        "QueueName",
                        Intrinsic::Sub(vec![
                            SubPart::Text("orders-".into()),
                            SubPart::Ref(RefTarget::Logical(id("Stage"))),
                        ]),
                    )
                })
                .expect("keys"),
        );
        queue.depends_on.insert(id("Dlq"));
        queue.deletion_policy = Some(DeletionPolicy::Delete);
        queue.metadata.checkov_skips.push(CheckovSkip {
            id: "CKV_AWS_27".into(),
            comment: "SQS-managed encryption: yes".into(),
        });
        template.resources.insert(id("Queue"), queue);

        let mut function = Resource::new(
            "AWS::Serverless::Function",
            Object::new()
                .with("Handler", "bootstrap")
                .and_then(|o| o.with("Runtime", "provided.al2023"))
                .expect("keys"),
        );
        function.metadata.build_method = Some("rust-cargolambda".into());
        template.resources.insert(id("Listener"), function);

        template.outputs.insert(
            id("QueueArn"),
            Output {
                description: None,
                value: Intrinsic::GetAtt(id("Queue"), "Arn").into(),
                export_name: Some(
                    Intrinsic::Sub(vec![
                        SubPart::Ref(RefTarget::Pseudo(Pseudo::StackName)),
                        SubPart::Text("-queue-arn".into()),
                    ])
                    .into(),
                ),
            },
        );
        template
    }

    #[test]
    fn a_template_is_written_in_deliberate_order() {
        let yaml = queue_template().to_yaml().expect("yaml");
        assert_eq!(
            yaml,
            r#"---
AWSTemplateFormatVersion: "2010-09-09"
Transform: "AWS::Serverless-2016-10-31"
Description: "Orders: read models"
Parameters:
  Stage:
    Type: String
    Default: dev
    AllowedValues:
      - dev
      - prod
Resources:
  Dlq:
    Type: "AWS::SQS::Queue"
    Properties:
      SqsManagedSseEnabled: true
  Listener:
    Type: "AWS::Serverless::Function"
    Metadata:
      BuildMethod: rust-cargolambda
    Properties:
      Handler: bootstrap
      Runtime: provided.al2023
  Queue:
    Type: "AWS::SQS::Queue"
    DependsOn:
      - Dlq
    Metadata:
      checkov:
        skip:
          - id: CKV_AWS_27
            comment: "SQS-managed encryption: yes"
    DeletionPolicy: Delete
    Properties:
      QueueName:
        "Fn::Sub": "orders-${Stage}"
      RedrivePolicy:
        deadLetterTargetArn:
          "Fn::GetAtt":
            - Dlq
            - Arn
        maxReceiveCount: 5
Outputs:
  QueueArn:
    Value:
      "Fn::GetAtt":
        - Queue
        - Arn
    Export:
      Name:
        "Fn::Sub": "${AWS::StackName}-queue-arn"
"#
        );
        assert_eq!(read_back(&yaml), queue_template().to_json().expect("json"));
    }

    #[test]
    fn injection_attempts_stay_inert_literal_strings() {
        let attempts = [
            "${AWS::AccountId}",
            "!Ref X",
            "!Sub ${Bus}",
            "{\"Ref\": \"X\"}",
            "{Ref: X}",
            "x\nResources:\n  Evil:\n    Type: AWS::IAM::Role",
            "\"\nEvil: true",
            "Fn::GetAtt",
        ];
        let mut properties = Object::new();
        for (i, attempt) in attempts.iter().enumerate() {
            properties.insert(format!("P{i}"), *attempt).expect("key");
        }
        let mut template = Template::default();
        template.resources.insert(
            id("Bus"),
            Resource::new("AWS::Events::EventBus", properties),
        );
        let yaml = template.to_yaml().expect("yaml");
        let read = read_back(&yaml);
        let props = &read["Resources"]["Bus"]["Properties"];
        for (i, attempt) in attempts.iter().enumerate() {
            assert_eq!(props[format!("P{i}")], json!(attempt), "{yaml}");
        }
        assert_eq!(
            read["Resources"].as_object().map(|r| r.len()),
            Some(1),
            "{yaml}"
        );
        assert!(!yaml.contains("\n!") && !yaml.contains(" !"), "{yaml}");
    }

    #[test]
    fn references_must_name_declared_ids() {
        let mut template = queue_template();
        template
            .outputs
            .get_mut(&id("QueueArn"))
            .expect("output")
            .value = Intrinsic::reference(&id("Missing")).into();
        assert_eq!(
            template.to_yaml(),
            Err(CfnError::UnknownReference("Missing".into()))
        );

        let mut template = queue_template();
        template
            .resources
            .get_mut(&id("Queue"))
            .expect("queue")
            .depends_on
            .insert(id("Stage"));
        assert_eq!(
            template.to_yaml(),
            Err(CfnError::NotAResource("Stage".into()))
        );

        let mut template = queue_template();
        template
            .parameters
            .insert(id("Dlq"), Parameter::new("String"));
        assert_eq!(
            template.to_yaml(),
            Err(CfnError::DuplicateLogicalId("Dlq".into()))
        );

        assert_eq!(Template::default().to_yaml(), Err(CfnError::NoResources));
    }
}

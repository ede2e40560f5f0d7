//! Least-privilege IAM: each function gets its own role whose policy lists exact actions on
//! exact resources of its own stack (or the hub bus). No statement has a `*` action or a `*`
//! resource; the only pattern in a resource is the `:*` that `Fn::GetAtt LogGroup.Arn`
//! appends to reach the streams of that one log group.

use crate::cfn::{CfnError, Resource, Value};

use super::props::{list, obj, s};

/// The policy language version.
const POLICY_VERSION: &str = "2012-10-17";

/// One `Allow` statement: these actions on these resources.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Grant {
    /// Actions, e.g. `dynamodb:Query`.
    pub(super) actions: &'static [&'static str],
    /// Resource ARNs.
    pub(super) resources: Vec<Value>,
}

impl Grant {
    fn to_value(&self) -> Result<Value, CfnError> {
        obj([
            ("Effect", s("Allow")),
            ("Action", list(self.actions.iter().copied().map(s))),
            ("Resource", Value::List(self.resources.clone())),
        ])
    }
}

/// A policy document of `statements`.
pub(super) fn document(statements: Vec<Value>) -> Result<Value, CfnError> {
    obj([
        ("Version", s(POLICY_VERSION)),
        ("Statement", Value::List(statements)),
    ])
}

/// A role Lambda assumes, allowed exactly `grants`. Its name is left to CloudFormation, so
/// deploying needs only `CAPABILITY_IAM`.
pub(super) fn lambda_role(grants: &[Grant]) -> Result<Resource, CfnError> {
    let assume = obj([
        ("Effect", s("Allow")),
        ("Principal", obj([("Service", s("lambda.amazonaws.com"))])?),
        ("Action", s("sts:AssumeRole")),
    ])?;
    let statements = grants
        .iter()
        .map(Grant::to_value)
        .collect::<Result<_, _>>()?;
    let policy = obj([
        ("PolicyName", s("least-privilege")),
        ("PolicyDocument", document(statements)?),
    ])?;
    Ok(Resource::new(
        "AWS::IAM::Role",
        super::props::object([
            ("AssumeRolePolicyDocument", document(vec![assume])?),
            ("Policies", list([policy])),
        ])?,
    ))
}

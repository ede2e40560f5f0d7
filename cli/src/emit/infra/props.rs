//! Short forms for the values templates are made of.

use crate::cfn::{CfnError, Intrinsic, LogicalId, Object, SubPart, Value};

/// A literal object of `entries`.
pub(super) fn object<const N: usize>(entries: [(&str, Value); N]) -> Result<Object, CfnError> {
    entries
        .into_iter()
        .try_fold(Object::new(), |object, (key, value)| {
            object.with(key, value)
        })
}

/// [`object`], as a value.
pub(super) fn obj<const N: usize>(entries: [(&str, Value); N]) -> Result<Value, CfnError> {
    object(entries).map(Value::Object)
}

/// A list of values.
pub(super) fn list<T: Into<Value>>(items: impl IntoIterator<Item = T>) -> Value {
    Value::List(items.into_iter().map(Into::into).collect())
}

/// A string literal.
pub(super) fn s(text: &str) -> Value {
    Value::String(text.to_owned())
}

/// `Ref` to a parameter or resource.
pub(super) fn reference(id: &LogicalId) -> Value {
    Intrinsic::reference(id).into()
}

/// `Fn::GetAtt` of a resource.
pub(super) fn get_att(id: &LogicalId, attribute: &'static str) -> Value {
    Intrinsic::GetAtt(id.clone(), attribute).into()
}

/// `Fn::ImportValue` of an export of another stack.
pub(super) fn import(export: Value) -> Value {
    Intrinsic::ImportValue(export).into()
}

/// The ARN of the index `index` of the table `table`:
/// `${Table.Arn}/index/<index>`.
pub(super) fn index_arn(table: &LogicalId, index: &str) -> Value {
    Intrinsic::Sub(vec![
        SubPart::GetAtt(table.clone(), "Arn"),
        SubPart::Text(format!("/index/{index}")),
    ])
    .into()
}

//! Template values: literals and intrinsic functions, kept apart by type.

use std::collections::BTreeMap;
use std::fmt;

use super::CfnError;
use super::yaml::Tree;

/// A logical id: 1 to 255 ASCII letters and digits. Names resources, parameters and outputs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LogicalId(String);

impl LogicalId {
    /// Checks `id`.
    pub fn new(id: impl Into<String>) -> Result<Self, CfnError> {
        let id = id.into();
        if id.is_empty() || id.len() > 255 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(CfnError::InvalidLogicalId(id));
        }
        Ok(Self(id))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LogicalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A value in a template: a literal, or an intrinsic function CloudFormation evaluates.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string, always written and read as a literal.
    String(String),
    /// A number.
    Number(serde_json::Number),
    /// A boolean.
    Bool(bool),
    /// A list.
    List(Vec<Value>),
    /// A literal object.
    Object(Object),
    /// An intrinsic function.
    Intrinsic(Box<Intrinsic>),
}

impl Value {
    pub(super) fn to_tree(&self) -> Tree {
        match self {
            Value::String(s) => Tree::String(s.clone()),
            Value::Number(n) => Tree::Number(n.clone()),
            Value::Bool(b) => Tree::Bool(*b),
            Value::List(items) => Tree::Seq(items.iter().map(Value::to_tree).collect()),
            Value::Object(object) => object.to_tree(),
            Value::Intrinsic(intrinsic) => intrinsic.to_tree(),
        }
    }

    /// Calls `visit` with every logical id the value refers to, and whether it must be a
    /// resource (`Fn::GetAtt`) rather than a parameter or a resource (`Ref`, `${Id}`).
    pub(super) fn references<'a>(&'a self, visit: &mut impl FnMut(&'a LogicalId, bool)) {
        match self {
            Value::String(_) | Value::Number(_) | Value::Bool(_) => {}
            Value::List(items) => items.iter().for_each(|v| v.references(visit)),
            Value::Object(object) => object.0.values().for_each(|v| v.references(visit)),
            Value::Intrinsic(intrinsic) => intrinsic.references(visit),
        }
    }
}

impl TryFrom<&serde_json::Value> for Value {
    type Error = CfnError;

    /// The literal form of a JSON document (e.g. an event pattern or a policy). Objects go
    /// through [`Object::insert`], so a key that CloudFormation would read as a function is
    /// refused; `null` is refused too.
    fn try_from(json: &serde_json::Value) -> Result<Self, CfnError> {
        Ok(match json {
            serde_json::Value::Null => return Err(CfnError::Null),
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.clone()),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => Value::List(
                items
                    .iter()
                    .map(Value::try_from)
                    .collect::<Result<_, _>>()?,
            ),
            serde_json::Value::Object(map) => {
                let mut object = Object::new();
                for (key, value) in map {
                    object.insert(key.clone(), Value::try_from(value)?)?;
                }
                Value::Object(object)
            }
        })
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Number(n.into())
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<Object> for Value {
    fn from(object: Object) -> Self {
        Value::Object(object)
    }
}

impl From<Intrinsic> for Value {
    fn from(intrinsic: Intrinsic) -> Self {
        Value::Intrinsic(Box::new(intrinsic))
    }
}

impl From<Vec<Value>> for Value {
    fn from(items: Vec<Value>) -> Self {
        Value::List(items)
    }
}

/// A literal object, keys in sorted order. Keys CloudFormation reads as intrinsic functions
/// (`Ref`, `Fn::...`) are refused, so a literal can never become a function call.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Object(BTreeMap<String, Value>);

impl Object {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` to `value`.
    pub fn insert(
        &mut self,
        key: impl Into<String>,
        value: impl Into<Value>,
    ) -> Result<(), CfnError> {
        let key = key.into();
        if key == "Ref" || key.starts_with("Fn::") {
            return Err(CfnError::IntrinsicKey(key));
        }
        self.0.insert(key, value.into());
        Ok(())
    }

    /// Sets `key` to `value`, builder style.
    pub fn with(
        mut self,
        key: impl Into<String>,
        value: impl Into<Value>,
    ) -> Result<Self, CfnError> {
        self.insert(key, value)?;
        Ok(self)
    }

    /// Whether the object has no key.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entries, by key.
    pub fn entries(&self) -> &BTreeMap<String, Value> {
        &self.0
    }

    pub(super) fn to_tree(&self) -> Tree {
        Tree::Map(
            self.0
                .iter()
                .map(|(k, v)| (k.clone(), v.to_tree()))
                .collect(),
        )
    }

    pub(super) fn references<'a>(&'a self, visit: &mut impl FnMut(&'a LogicalId, bool)) {
        self.0.values().for_each(|v| v.references(visit));
    }
}

/// AWS pseudo parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pseudo {
    /// `AWS::AccountId`.
    AccountId,
    /// `AWS::Region`.
    Region,
    /// `AWS::Partition`.
    Partition,
    /// `AWS::URLSuffix`.
    UrlSuffix,
    /// `AWS::StackName`.
    StackName,
    /// `AWS::StackId`.
    StackId,
    /// `AWS::NoValue`: removes the property it is the value of.
    NoValue,
}

impl Pseudo {
    /// The name, e.g. `AWS::AccountId`.
    pub fn as_str(self) -> &'static str {
        match self {
            Pseudo::AccountId => "AWS::AccountId",
            Pseudo::Region => "AWS::Region",
            Pseudo::Partition => "AWS::Partition",
            Pseudo::UrlSuffix => "AWS::URLSuffix",
            Pseudo::StackName => "AWS::StackName",
            Pseudo::StackId => "AWS::StackId",
            Pseudo::NoValue => "AWS::NoValue",
        }
    }
}

/// What a `Ref` or a `${...}` in `Fn::Sub` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefTarget {
    /// A parameter or resource of the template.
    Logical(LogicalId),
    /// A pseudo parameter.
    Pseudo(Pseudo),
}

impl RefTarget {
    fn name(&self) -> &str {
        match self {
            RefTarget::Logical(id) => id.as_str(),
            RefTarget::Pseudo(p) => p.as_str(),
        }
    }
}

/// A piece of an `Fn::Sub` template string.
#[derive(Debug, Clone, PartialEq)]
pub enum SubPart {
    /// Literal text; any `${` in it is escaped (`${!`), so it substitutes nothing.
    Text(String),
    /// `${Name}`: a parameter, resource or pseudo parameter.
    Ref(RefTarget),
    /// `${Resource.Attribute}`.
    GetAtt(LogicalId, &'static str),
}

/// Intrinsic functions, written in long form (`Fn::GetAtt: [Id, Attr]`, never `!GetAtt`).
#[derive(Debug, Clone, PartialEq)]
pub enum Intrinsic {
    /// `Ref`: the value of a parameter or the id of a resource.
    Ref(RefTarget),
    /// `Fn::GetAtt`: an attribute of a resource (attribute names come from the emitter).
    GetAtt(LogicalId, &'static str),
    /// `Fn::Sub` built from parts.
    Sub(Vec<SubPart>),
    /// `Fn::ImportValue`: an output exported by another stack.
    ImportValue(Value),
    /// `Fn::Join`: the values joined with a delimiter.
    Join(String, Vec<Value>),
}

impl Intrinsic {
    /// `Ref` to a parameter or resource.
    pub fn reference(id: &LogicalId) -> Self {
        Intrinsic::Ref(RefTarget::Logical(id.clone()))
    }

    fn to_tree(&self) -> Tree {
        let (name, argument) = match self {
            Intrinsic::Ref(target) => ("Ref", Tree::String(target.name().to_owned())),
            Intrinsic::GetAtt(id, attribute) => (
                "Fn::GetAtt",
                Tree::Seq(vec![
                    Tree::String(id.as_str().to_owned()),
                    Tree::String((*attribute).to_owned()),
                ]),
            ),
            Intrinsic::Sub(parts) => ("Fn::Sub", Tree::String(sub_template(parts))),
            Intrinsic::ImportValue(value) => ("Fn::ImportValue", value.to_tree()),
            Intrinsic::Join(delimiter, values) => (
                "Fn::Join",
                Tree::Seq(vec![
                    Tree::String(delimiter.clone()),
                    Tree::Seq(values.iter().map(Value::to_tree).collect()),
                ]),
            ),
        };
        Tree::Map(vec![(name.to_owned(), argument)])
    }

    fn references<'a>(&'a self, visit: &mut impl FnMut(&'a LogicalId, bool)) {
        match self {
            Intrinsic::Ref(RefTarget::Logical(id)) => visit(id, false),
            Intrinsic::Ref(RefTarget::Pseudo(_)) => {}
            Intrinsic::GetAtt(id, _) => visit(id, true),
            Intrinsic::Sub(parts) => {
                for part in parts {
                    match part {
                        SubPart::Ref(RefTarget::Logical(id)) => visit(id, false),
                        SubPart::GetAtt(id, _) => visit(id, true),
                        SubPart::Text(_) | SubPart::Ref(RefTarget::Pseudo(_)) => {}
                    }
                }
            }
            Intrinsic::ImportValue(value) => value.references(visit),
            Intrinsic::Join(_, values) => values.iter().for_each(|v| v.references(visit)),
        }
    }
}

/// The `Fn::Sub` string of `parts`.
fn sub_template(parts: &[SubPart]) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            SubPart::Text(text) => out.push_str(&text.replace("${", "${!")),
            SubPart::Ref(target) => {
                out.push_str("${");
                out.push_str(target.name());
                out.push('}');
            }
            SubPart::GetAtt(id, attribute) => {
                out.push_str("${");
                out.push_str(id.as_str());
                out.push('.');
                out.push_str(attribute);
                out.push('}');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn id(s: &str) -> LogicalId {
        LogicalId::new(s).expect("logical id")
    }

    #[test]
    fn logical_ids_are_alphanumeric() {
        assert!(LogicalId::new("OrdersTable2").is_ok());
        for bad in ["", "orders-table", "a b", "Ünïcode", &"a".repeat(256)] {
            assert_eq!(
                LogicalId::new(bad),
                Err(CfnError::InvalidLogicalId(bad.to_owned()))
            );
        }
    }

    #[test]
    fn intrinsics_are_written_in_long_form() {
        let cases = [
            (Intrinsic::reference(&id("Bus")), json!({"Ref": "Bus"})),
            (
                Intrinsic::Ref(RefTarget::Pseudo(Pseudo::AccountId)),
                json!({"Ref": "AWS::AccountId"}),
            ),
            (
                Intrinsic::GetAtt(id("Queue"), "Arn"),
                json!({"Fn::GetAtt": ["Queue", "Arn"]}),
            ),
            (
                Intrinsic::Sub(vec![
                    SubPart::Text("arn:".into()),
                    SubPart::Ref(RefTarget::Pseudo(Pseudo::Partition)),
                    SubPart::Text(":events:::".into()),
                    SubPart::GetAtt(id("Bus"), "Name"),
                ]),
                json!({"Fn::Sub": "arn:${AWS::Partition}:events:::${Bus.Name}"}),
            ),
            (
                Intrinsic::ImportValue("shop-bus-arn".into()),
                json!({"Fn::ImportValue": "shop-bus-arn"}),
            ),
            (
                Intrinsic::Join(
                    ",".into(),
                    vec!["a".into(), Intrinsic::reference(&id("B")).into()],
                ),
                json!({"Fn::Join": [",", ["a", {"Ref": "B"}]]}),
            ),
        ];
        for (intrinsic, expected) in cases {
            assert_eq!(intrinsic.to_tree().to_json(), expected);
        }
    }

    #[test]
    fn sub_text_substitutes_nothing() {
        let sub = Intrinsic::Sub(vec![
            SubPart::Text("${AWS::AccountId}-${Secret}".into()),
            SubPart::Ref(RefTarget::Pseudo(Pseudo::Region)),
        ]);
        assert_eq!(
            sub.to_tree().to_json(),
            json!({"Fn::Sub": "${!AWS::AccountId}-${!Secret}${AWS::Region}"})
        );
    }

    #[test]
    fn literal_objects_refuse_function_keys() {
        let mut object = Object::new();
        assert_eq!(
            object.insert("Ref", "X"),
            Err(CfnError::IntrinsicKey("Ref".into()))
        );
        assert_eq!(
            object.insert("Fn::GetAtt", "X"),
            Err(CfnError::IntrinsicKey("Fn::GetAtt".into()))
        );
        assert!(object.is_empty());
        object.insert("Reference", "X").expect("a plain key");
        assert_eq!(object.to_tree().to_json(), json!({"Reference": "X"}));
    }

    #[test]
    fn json_becomes_literals_without_functions() {
        let pattern = json!({"detail": {"n": [1.5, {"exists": true}]}, "source": ["x"]});
        let value = Value::try_from(&pattern).expect("plain JSON");
        assert_eq!(value.to_tree().to_json(), pattern);
        assert_eq!(
            Value::try_from(&json!({"a": {"Ref": "Bus"}})),
            Err(CfnError::IntrinsicKey("Ref".into()))
        );
        assert_eq!(Value::try_from(&json!([null])), Err(CfnError::Null));
    }

    #[test]
    fn references_are_found_everywhere() {
        let value = Value::List(vec![
            Intrinsic::reference(&id("A")).into(),
            Object::new()
                .with("k", Intrinsic::GetAtt(id("B"), "Arn"))
                .expect("object")
                .into(),
            Intrinsic::Join(
                "".into(),
                vec![Intrinsic::Sub(vec![SubPart::Ref(RefTarget::Logical(id("C")))]).into()],
            )
            .into(),
            Intrinsic::Ref(RefTarget::Pseudo(Pseudo::Region)).into(),
        ]);
        let mut seen = Vec::new();
        value.references(&mut |id, resource| seen.push((id.as_str().to_owned(), resource)));
        assert_eq!(
            seen,
            [("A".into(), false), ("B".into(), true), ("C".into(), false)]
        );
    }
}

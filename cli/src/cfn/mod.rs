//! CloudFormation (and SAM) templates as typed values, serialized to YAML.
//!
//! Templates are built from these types and serialized, never assembled as text, so no value
//! from a spec can change a template's structure:
//! - a [`Value::String`] is always a plain literal. Intrinsic functions exist only as
//!   [`Intrinsic`] values, written in long form (`Ref`, `Fn::GetAtt`, ...); the YAML writer
//!   quotes every string that could be read as anything but a string, including `!Ref X`
//!   (a tag when unquoted). A literal containing `${AWS::AccountId}` stays inert because
//!   literals are never wrapped in `Fn::Sub`; text inside an [`Intrinsic::Sub`] comes from
//!   [`SubPart::Text`], whose `${` is escaped as `${!`.
//! - literal objects ([`Object`]) refuse the keys CloudFormation reads as functions (`Ref`,
//!   `Fn::...`), so `{"Ref": "X"}` cannot be built as a literal.
//! - logical ids are checked ([`LogicalId`]), attribute names of `Fn::GetAtt` are `'static`
//!   strings of the emitter, and [`Template::to_yaml`] checks that every `Ref`, `Fn::GetAtt`
//!   and `DependsOn` names a declared parameter or resource.

mod template;
mod value;
mod yaml;

/// Reads a written template back into JSON (tests only).
#[cfg(test)]
pub(crate) use yaml::tests::read_back as tests_read_back;

pub use template::{
    CheckovSkip, DeletionPolicy, Metadata, Output, Parameter, Resource, Template, Transform,
};
pub use value::{Intrinsic, LogicalId, Object, Pseudo, RefTarget, SubPart, Value};

/// Writes a JSON value as one YAML document with the templates' quoting rules: a string is
/// plain only when every YAML 1.1 and 1.2 reader reads it back as the same string. For
/// documents other than templates (the AsyncAPI export); `null` is written as `~`.
pub fn json_to_yaml(value: &serde_json::Value) -> Result<String, CfnError> {
    yaml::Tree::from_json(value).to_yaml()
}

/// Why a template cannot be built or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CfnError {
    /// A logical id is empty, too long or not alphanumeric.
    #[error("`{0}` is not a valid logical id (1 to 255 ASCII letters and digits)")]
    InvalidLogicalId(String),
    /// A literal object uses a key CloudFormation reads as an intrinsic function.
    #[error("`{0}` cannot be a key of a literal object: CloudFormation reads it as a function")]
    IntrinsicKey(String),
    /// A `Ref`, `Fn::Sub` variable or `DependsOn` names nothing declared in the template.
    #[error("`{0}` is referenced but is neither a parameter nor a resource of the template")]
    UnknownReference(String),
    /// A `Fn::GetAtt` or `DependsOn` names something that is not a resource.
    #[error("`{0}` is referenced as a resource but is not one")]
    NotAResource(String),
    /// Two resources are given the same logical id.
    #[error("`{0}` names two resources")]
    DuplicateResource(String),
    /// A logical id names both a parameter and a resource.
    #[error("`{0}` is both a parameter and a resource")]
    DuplicateLogicalId(String),
    /// A JSON value to put into a template holds `null`, which templates cannot express.
    #[error("JSON null has no CloudFormation form")]
    Null,
    /// The template declares no resource (CloudFormation requires one).
    #[error("a template needs at least one resource")]
    NoResources,
    /// The YAML writer failed.
    #[error("writing YAML failed: {0}")]
    Emit(String),
}

//! Checks each file's data against the JSON Schema of the format and turns the schema
//! validator's errors into located diagnostics.
//!
//! `anyOf`/`oneOf` failures are reported through the branch that fits the value best (the
//! one whose errors are deepest and fewest), so a typo in a full field definition is reported
//! as that typo, not as "matches none of the alternatives".

use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use crate::diagnostic::{Code, Diagnostic};
use crate::load::SourceFile;
use crate::load::span::{Part, child};

/// A file format checked against its JSON Schema: the schema, its compiled validator and
/// the code of the findings.
pub struct Format {
    schema: Value,
    validator: Validator,
    code: Code,
}

impl Format {
    /// The format described by `schema` (a schema cqrsgen derives itself, so it compiles),
    /// reporting findings with `code`.
    pub fn new(schema: Value, code: Code) -> Self {
        let validator = jsonschema::options()
            .build(&schema)
            .unwrap_or_else(|e| unreachable!("a format's own schema is invalid: {e}"));
        Self {
            schema,
            validator,
            code,
        }
    }

    /// Validates one file's data; one diagnostic per problem found.
    pub fn check(&self, file: &SourceFile, value: &Value) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for error in self.validator.iter_errors(value) {
            self.report(file, &error, &mut out);
        }
        out
    }
}

fn spec_format() -> &'static Format {
    static FORMAT: OnceLock<Format> = OnceLock::new();
    FORMAT.get_or_init(|| Format::new(crate::spec::json_schema(), Code::Schema))
}

/// Validates one spec file's data; one diagnostic per problem found.
pub fn check(file: &SourceFile, value: &Value) -> Vec<Diagnostic> {
    spec_format().check(file, value)
}

impl Format {
    fn report(&self, file: &SourceFile, error: &ValidationError<'_>, out: &mut Vec<Diagnostic>) {
        let pointer = error.instance_path().as_str().to_owned();
        let diagnostic = |message: String, pointer: &str, part: Part| {
            Diagnostic::new(self.code, message).at(Some(file.locate(pointer, part)))
        };
        match error.kind() {
            ValidationErrorKind::AnyOf { context }
            | ValidationErrorKind::OneOfNotValid { context } => match best_branch(context) {
                Some(branch) => branch.iter().for_each(|e| self.report(file, e, out)),
                None => out.push(diagnostic(describe(error), &pointer, Part::Value)),
            },
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let allowed = allowed_properties(&self.schema, error);
                for key in unexpected {
                    let mut d = diagnostic(
                        format!("unknown key `{key}`{}", where_(&pointer)),
                        &child(&pointer, key),
                        Part::Key,
                    )
                    .with_label("not part of the format here");
                    if let Some(help) =
                        crate::diagnostic::did_you_mean(key, allowed.iter().map(String::as_str))
                    {
                        d = d.with_help(help);
                    } else if !allowed.is_empty() {
                        d = d.with_help(format!("allowed here: {}", allowed.join(", ")));
                    }
                    out.push(d);
                }
            }
            ValidationErrorKind::Required { property } => {
                let name = property
                    .as_str()
                    .map_or_else(|| property.to_string(), str::to_owned);
                out.push(
                    diagnostic(
                        format!("missing required key `{name}`{}", where_(&pointer)),
                        &pointer,
                        Part::Key,
                    )
                    .with_label(format!("`{name}` is required here")),
                );
            }
            _ => out.push(diagnostic(describe(error), &pointer, Part::Value).with_label("here")),
        }
    }
}

/// " in `/events/x`" for messages about nested objects.
fn where_(pointer: &str) -> String {
    if pointer.is_empty() {
        String::new()
    } else {
        format!(" in `{pointer}`")
    }
}

/// The message for a leaf error: the schema validator's own wording, which names the value
/// and the rule it breaks.
fn describe(error: &ValidationError<'_>) -> String {
    let pointer = error.instance_path().as_str();
    let at = if pointer.is_empty() {
        String::new()
    } else {
        format!("`{pointer}`: ")
    };
    format!("{at}{error}")
}

/// The branch of an `anyOf`/`oneOf` that the value came closest to: no type mismatch at the
/// value itself, then the deepest errors, then the fewest.
fn best_branch<'a>(
    branches: &'a [Vec<ValidationError<'static>>],
) -> Option<&'a [ValidationError<'static>]> {
    branches
        .iter()
        .filter(|b| !b.is_empty())
        .min_by_key(|branch| {
            let type_mismatch = branch.iter().any(|e| {
                matches!(
                    e.kind(),
                    ValidationErrorKind::Type { .. }
                        | ValidationErrorKind::Enum { .. }
                        | ValidationErrorKind::Constant { .. }
                )
            });
            let depth = branch
                .iter()
                .map(|e| e.instance_path().as_str().matches('/').count())
                .max()
                .unwrap_or(0);
            (type_mismatch, std::cmp::Reverse(depth), branch.len())
        })
        .map(Vec::as_slice)
}

/// Property names the schema allows where an unknown key was found.
fn allowed_properties(schema: &Value, error: &ValidationError<'_>) -> Vec<String> {
    let mut path = error.schema_path().as_str().to_owned();
    // The schema path ends in `/additionalProperties`; the sibling `properties` lists the keys.
    if let Some(stripped) = path.strip_suffix("/additionalProperties") {
        path = format!("{stripped}/properties");
    }
    let Some(properties) = resolve(schema, &path).and_then(Value::as_object) else {
        return Vec::new();
    };
    properties.keys().cloned().collect()
}

/// Follows a schema path, entering `$ref`s to local definitions on the way.
fn resolve<'a>(schema: &'a Value, path: &str) -> Option<&'a Value> {
    let mut node = schema;
    for token in path.split('/').skip(1) {
        if token == "$ref" {
            let target = node.get("$ref")?.as_str()?.strip_prefix('#')?;
            node = schema.pointer(target)?;
            continue;
        }
        let token = token.replace("~1", "/").replace("~0", "~");
        node = match node {
            Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => node.get(&token)?,
        };
    }
    Some(node)
}

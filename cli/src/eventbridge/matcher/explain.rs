//! Why a pattern object does not match: the first failing condition, with event paths.

use serde_json::Value;

use super::fit::{field_fit, is_leaf_value, node_fit, object_fit};
use super::mismatch::{Found, Mismatch, Reason};
use crate::eventbridge::pattern::{Field, Node};

/// What `scope` holds where a leaf expects values.
pub(super) fn found(scope: &[&Value]) -> Found {
    let values: Vec<Value> = scope
        .iter()
        .filter(|v| is_leaf_value(v))
        .map(|v| (*v).clone())
        .collect();
    if !values.is_empty() {
        Found::Values(values)
    } else if scope.iter().any(|v| v.is_object()) {
        Found::Object
    } else {
        Found::Nothing
    }
}

/// Why `node` does not match `value` (which it must not); paths are relative to `value`.
pub(super) fn explain_value(node: &Node, value: &Value) -> Mismatch {
    let mut scope = Vec::new();
    flatten_located(value, String::new(), &mut scope);
    explain_node(node, String::new(), &scope)
}

/// Why `node` does not match the field `key` of `parent` (which it must not); paths start at
/// `key`.
pub(super) fn explain_field(node: &Node, parent: &Value, key: &str) -> Mismatch {
    explain_node(node, key.to_owned(), &located(parent, key))
}

/// A value of the event and its path, for reasons.
struct Located<'e> {
    value: &'e Value,
    path: String,
}

/// The field `key` of `parent`, flattened, with paths.
fn located<'e>(parent: &'e Value, key: &str) -> Vec<Located<'e>> {
    let mut out = Vec::new();
    if let Some(child) = parent.get(key) {
        flatten_located(child, key.to_owned(), &mut out);
    }
    out
}

fn flatten_located<'e>(value: &'e Value, path: String, out: &mut Vec<Located<'e>>) {
    match value {
        Value::Array(elements) => {
            for (i, element) in elements.iter().enumerate() {
                flatten_located(element, format!("{path}[{i}]"), out);
            }
        }
        other => out.push(Located { value: other, path }),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Why `node` does not match `scope` (which it must not): the first field, in key order, or the
/// `$or`, that matches in no element; otherwise, the fields match only in different elements.
/// `path` is where `scope` is, without an index when it holds several elements.
fn explain_node(node: &Node, path: String, scope: &[Located<'_>]) -> Mismatch {
    let values: Vec<&Value> = scope.iter().map(|l| l.value).collect();
    for (key, field) in node.fields() {
        let children: Vec<Located<'_>> = scope
            .iter()
            .flat_map(|parent| {
                located(parent.value, key).into_iter().map(|child| Located {
                    value: child.value,
                    path: join(&parent.path, &child.path),
                })
            })
            .collect();
        let child_values: Vec<&Value> = children.iter().map(|l| l.value).collect();
        if field_fit(field, &child_values).matches() {
            continue;
        }
        let child_path = join(&path, key);
        return match field {
            Field::Node(child) => explain_node(child, child_path, &children),
            Field::Matchers(matchers) => Mismatch::new(
                child_path,
                Reason::Leaf {
                    matchers: matchers.as_slice().to_vec(),
                    found: found(&child_values),
                },
            ),
        };
    }
    let alternatives = node.any_of();
    if !alternatives.is_empty() && !alternatives.iter().any(|a| node_fit(a, &values).matches()) {
        let reasons = alternatives
            .iter()
            .map(|a| explain_node(a, path.clone(), scope))
            .collect();
        return Mismatch::new(path, Reason::NoAlternative(reasons));
    }
    let elements = if scope.len() > 1 {
        scope
            .iter()
            .filter(|element| !object_fit(node, element.value).matches())
            .map(|element| explain_node(node, element.path.clone(), std::slice::from_ref(element)))
            .collect()
    } else {
        Vec::new()
    };
    Mismatch::new(path, Reason::NoElement(elements))
}

//! Whether a pattern object matches the values it meets, as a pair of flags so that `$or`,
//! array elements and `exists: false` combine as EventBridge combines them.

use serde_json::Value;

use super::leaf;
use crate::eventbridge::pattern::{Field, Matcher, Node};

/// How a part of a pattern fits the values it meets. A pattern is a disjunction of branches
/// (one per choice of `$or` alternatives and of a leaf's matchers); a branch made only of
/// `exists: false` leaves matches by absence, any other by value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Fit {
    /// Some branch that needs values matches.
    by_value: bool,
    /// Some branch made only of `exists: false` leaves matches.
    by_absence: bool,
}

impl Fit {
    pub(super) fn matches(self) -> bool {
        self.by_value || self.by_absence
    }
}

/// `node` against `scope`: the values at its path, arrays flattened (the elements are the
/// candidates). By value, one element must match the whole object; by absence, the fields must
/// be absent from every element.
pub(super) fn node_fit(node: &Node, scope: &[&Value]) -> Fit {
    Fit {
        by_value: scope.iter().any(|value| object_fit(node, value).by_value),
        by_absence: node_absent(node, scope),
    }
}

/// `node` against one value (an object, or a value without fields). Every field, and the `$or`
/// when there is one, must fit; the combination matches by value when any part does.
pub(super) fn object_fit(node: &Node, value: &Value) -> Fit {
    let mut all_fit = true;
    let mut any_by_value = false;
    let mut all_by_absence = true;
    let mut record = |fit: Fit| {
        all_fit &= fit.matches();
        any_by_value |= fit.by_value;
        all_by_absence &= fit.by_absence;
    };
    let mut children = Vec::new();
    for (key, field) in node.fields() {
        children.clear();
        push_children(value, key, &mut children);
        record(field_fit(field, &children));
    }
    if !node.any_of().is_empty() {
        let one = [value];
        let fits: Vec<Fit> = node.any_of().iter().map(|a| node_fit(a, &one)).collect();
        record(Fit {
            by_value: fits.iter().any(|f| f.by_value),
            by_absence: fits.iter().any(|f| f.by_absence),
        });
    }
    Fit {
        by_value: all_fit && any_by_value,
        by_absence: all_by_absence,
    }
}

pub(super) fn field_fit(field: &Field, scope: &[&Value]) -> Fit {
    match field {
        Field::Node(child) => node_fit(child, scope),
        Field::Matchers(matchers) => leaf_fit(matchers.as_slice(), scope),
    }
}

fn leaf_fit(matchers: &[Matcher], scope: &[&Value]) -> Fit {
    let mut values = scope.iter().filter(|v| is_leaf_value(v));
    Fit {
        by_value: values
            .clone()
            .any(|v| matchers.iter().any(|m| leaf::accepts(m, v))),
        by_absence: values.next().is_none() && matchers.contains(&Matcher::Exists(false)),
    }
}

/// Whether every branch of `node` made of `exists: false` leaves alone can hold across all of
/// `scope` at once: some such branch finds none of its fields in any element.
fn node_absent(node: &Node, scope: &[&Value]) -> bool {
    let mut children = Vec::new();
    let fields_absent = node.fields().iter().all(|(key, field)| {
        children.clear();
        for value in scope {
            push_children(value, key, &mut children);
        }
        match field {
            Field::Node(child) => node_absent(child, &children),
            Field::Matchers(matchers) => leaf_fit(matchers.as_slice(), &children).by_absence,
        }
    });
    fields_absent
        && (node.any_of().is_empty() || node.any_of().iter().any(|a| node_absent(a, scope)))
}

/// A value whose field `key` is read; `out` receives that field's value, flattened.
fn push_children<'e>(value: &'e Value, key: &str, out: &mut Vec<&'e Value>) {
    if let Some(child) = value.get(key) {
        flatten(child, out);
    }
}

/// `value`, or the elements of an array (recursively).
pub(super) fn flatten<'e>(value: &'e Value, out: &mut Vec<&'e Value>) {
    match value {
        Value::Array(elements) => elements.iter().for_each(|e| flatten(e, out)),
        other => out.push(other),
    }
}

pub(super) fn is_leaf_value(value: &Value) -> bool {
    !matches!(value, Value::Object(_) | Value::Array(_))
}

//! Matching events against [`EventPattern`]s as EventBridge does, with the reason when an event
//! does not match.
//!
//! The semantics follow the EventBridge documentation and, where it is silent, its reference
//! matcher (aws/event-ruler); `docs/eventbridge-matching.md` has the table. In short:
//! - every field of a pattern object must match (AND), a leaf matches when any of its matchers
//!   does (OR), and an object's `$or` needs one alternative to match;
//! - a leaf sees the *values* at its path: a string, number, boolean or null; an array gives its
//!   elements (nested arrays too), and objects are not values. So `exists: true` needs a value,
//!   `exists: false` holds where there is none (absent field, empty array, or an object), and
//!   every other matcher fails on a missing field, `anything-but` included;
//! - when a pattern object meets an array, its fields must all match within one element: fields
//!   of different elements are never combined (event-ruler's array consistency);
//! - `exists: false` inside an array holds in the element that the other fields of that object
//!   matched; when nothing else pins an element, the field must be absent from every element.
//!
//! [`matches`] checks `source`, then `detail-type`, then `detail`, so the first reason of an
//! event of another type names `detail-type`. Inside an object, fields come in key order, then
//! `$or`.
//!
//! The work is split: `fit` decides (cheaply, without building paths), `explain` is asked only
//! for events that do not match, `leaf` tests one matcher against one value, and `mismatch`
//! holds and prints the reason.

mod explain;
mod fit;
mod leaf;
mod mismatch;

use serde_json::Value;

use super::pattern::{EventPattern, Literal, Matcher, Node};
use explain::{explain_field, explain_value, found};
use fit::{flatten, node_fit};

pub use mismatch::{Found, Mismatch, Reason};

/// Whether the EventBridge `event` (with `source`, `detail-type`, `detail`...) matches
/// `pattern`; otherwise the first condition it fails.
pub fn matches(pattern: &EventPattern, event: &Value) -> Result<(), Mismatch> {
    envelope_field("source", pattern.source(), event)?;
    envelope_field("detail-type", pattern.detail_type(), event)?;
    let detail = pattern.detail();
    if detail.is_empty() {
        return Ok(());
    }
    let mut scope = Vec::new();
    if let Some(value) = event.get("detail") {
        flatten(value, &mut scope);
    }
    if node_fit(detail, &scope).matches() {
        return Ok(());
    }
    Err(explain_field(detail, event, "detail"))
}

/// Whether `value` matches the pattern object `node` (`value` is usually an object; an array is
/// matched element by element). Paths in the reason are relative to `value`.
pub fn match_node(node: &Node, value: &Value) -> Result<(), Mismatch> {
    let mut scope = Vec::new();
    flatten(value, &mut scope);
    if node_fit(node, &scope).matches() {
        return Ok(());
    }
    Err(explain_value(node, value))
}

/// `source` or `detail-type`: a list of exact strings.
fn envelope_field(key: &str, accepted: &[String], event: &Value) -> Result<(), Mismatch> {
    if accepted.is_empty() {
        return Ok(());
    }
    let mut scope = Vec::new();
    if let Some(value) = event.get(key) {
        flatten(value, &mut scope);
    }
    let accepts = |v: &&Value| v.as_str().is_some_and(|s| accepted.iter().any(|a| a == s));
    if scope.iter().any(accepts) {
        return Ok(());
    }
    let matchers = accepted
        .iter()
        .map(|s| Matcher::Exact(Literal::String(s.clone())))
        .collect();
    Err(Mismatch::new(
        key.to_owned(),
        Reason::Leaf {
            matchers,
            found: found(&scope),
        },
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::eventbridge::pattern::{AnythingBut, NonEmpty};

    fn exact(value: &str) -> Matcher {
        Matcher::Exact(Literal::String(value.to_owned()))
    }

    /// A node with one leaf per `(dotted path, matcher)`.
    fn node(leaves: &[(&str, Matcher)]) -> Node {
        let mut node = Node::new();
        for (path, matcher) in leaves {
            let segments: Vec<&str> = path.split('.').collect();
            node.insert_leaf(&segments, NonEmpty::one(matcher.clone()))
                .expect("leaf");
        }
        node
    }

    fn or(alternatives: Vec<Node>) -> Node {
        let mut node = Node::new();
        node.set_any_of(alternatives).expect("alternatives");
        node
    }

    fn reason_of(node: &Node, value: &Value) -> (String, Reason) {
        let mismatch = match_node(node, value).expect_err("no match");
        (mismatch.path().to_owned(), mismatch.reason().clone())
    }

    #[test]
    fn an_event_of_another_type_fails_on_detail_type_first() {
        let pattern = EventPattern::new(
            vec!["shop".into()],
            vec!["order-placed".into()],
            node(&[("order.status", exact("placed"))]),
        )
        .expect("pattern");
        let placed = json!({"source": "shop", "detail-type": "order-placed",
                            "detail": {"order": {"status": "placed"}}});
        assert_eq!(matches(&pattern, &placed), Ok(()));
        let cancelled = json!({"source": "shop", "detail-type": "order-cancelled",
                               "detail": {"order": {"status": "cancelled"}}});
        let mismatch = matches(&pattern, &cancelled).expect_err("other type");
        assert_eq!(
            mismatch.to_string(),
            r#"`detail-type`: "order-placed" (found "order-cancelled")"#
        );
        let wrong_status = json!({"source": "shop", "detail-type": "order-placed",
                                  "detail": {"order": {"status": "cancelled"}}});
        assert_eq!(
            matches(&pattern, &wrong_status)
                .expect_err("status")
                .to_string(),
            r#"`detail.order.status`: "placed" (found "cancelled")"#
        );
        let no_source = json!({"detail-type": "order-placed", "detail": {}});
        assert_eq!(
            matches(&pattern, &no_source).expect_err("source").path(),
            "source"
        );
    }

    #[test]
    fn the_trace_names_the_field_and_the_condition() {
        let cancelled = AnythingBut::strings(NonEmpty::one("cancelled".to_owned()));
        let pattern = EventPattern::new(
            vec![],
            vec!["order-updated".into()],
            node(&[("order.status", Matcher::AnythingBut(cancelled))]),
        )
        .expect("pattern");
        let event = json!({"detail-type": "order-updated",
                           "detail": {"order": {"status": "cancelled"}}});
        assert_eq!(
            format!(
                "filtered out by {}",
                matches(&pattern, &event).expect_err("cancelled")
            ),
            r#"filtered out by `detail.order.status`: anything-but ["cancelled"] (found "cancelled")"#
        );
        let missing = json!({"detail-type": "order-updated", "detail": {"order": {}}});
        assert_eq!(
            matches(&pattern, &missing)
                .expect_err("missing")
                .to_string(),
            r#"`detail.order.status`: anything-but ["cancelled"] (no value)"#
        );
    }

    #[test]
    fn fields_are_checked_in_key_order_then_alternatives() {
        let mut pattern = node(&[("b", exact("x")), ("a", exact("x"))]);
        assert_eq!(reason_of(&pattern, &json!({"a": "y", "b": "y"})).0, "a");
        pattern
            .set_any_of(vec![node(&[("c", exact("1"))]), node(&[("d", exact("2"))])])
            .expect("or");
        let (path, reason) = reason_of(&pattern, &json!({"a": "x", "b": "x", "c": "0"}));
        assert_eq!(path, "");
        let Reason::NoAlternative(alternatives) = reason else {
            panic!("expected alternatives, got {reason:?}");
        };
        let paths: Vec<&str> = alternatives.iter().map(Mismatch::path).collect();
        assert_eq!(paths, ["c", "d"]);
        assert!(match_node(&pattern, &json!({"a": "x", "b": "x", "d": "2"})).is_ok());
    }

    #[test]
    fn fields_of_one_object_must_match_in_the_same_array_element() {
        let pattern = node(&[("items.sku", exact("a")), ("items.qty", exact("1"))]);
        assert!(
            match_node(
                &pattern,
                &json!({"items": [{"sku": "b", "qty": "1"},
                                                      {"sku": "a", "qty": "1"}]})
            )
            .is_ok()
        );
        let split = json!({"items": [{"sku": "a", "qty": "2"}, {"sku": "b", "qty": "1"}]});
        let (path, reason) = reason_of(&pattern, &split);
        assert_eq!(path, "items");
        let Reason::NoElement(elements) = reason else {
            panic!("expected elements, got {reason:?}");
        };
        let paths: Vec<&str> = elements.iter().map(Mismatch::path).collect();
        assert_eq!(paths, ["items[0].qty", "items[1].sku"]);
        // A condition no element meets is reported for the array as a whole.
        let (path, reason) = reason_of(&pattern, &json!({"items": [{"sku": "c", "qty": "1"}]}));
        assert_eq!(path, "items.sku");
        assert!(
            matches!(reason, Reason::Leaf { found: Found::Values(v), .. } if v == [json!("c")])
        );
    }

    #[test]
    fn leaves_see_array_elements_and_nested_arrays() {
        let pattern = node(&[("tags", exact("b"))]);
        assert!(match_node(&pattern, &json!({"tags": ["a", ["c", ["b"]]]})).is_ok());
        let (_, reason) = reason_of(&pattern, &json!({"tags": ["a", {"b": "b"}]}));
        assert!(
            matches!(reason, Reason::Leaf { found: Found::Values(v), .. } if v == [json!("a")])
        );
        let (_, reason) = reason_of(&pattern, &json!({"tags": [{"b": "b"}]}));
        assert!(matches!(
            reason,
            Reason::Leaf {
                found: Found::Object,
                ..
            }
        ));
        let (_, reason) = reason_of(&pattern, &json!({"tags": []}));
        assert!(matches!(
            reason,
            Reason::Leaf {
                found: Found::Nothing,
                ..
            }
        ));
    }

    #[test]
    fn exists_sees_only_leaf_values() {
        let present = node(&[("c", Matcher::Exists(true))]);
        let absent = node(&[("c", Matcher::Exists(false))]);
        for (event, has_value) in [
            (json!({"c": 1}), true),
            (json!({"c": null}), true),
            (json!({"c": ""}), true),
            (json!({"c": [0]}), true),
            (json!({"c": {"c1": 100}}), false),
            (json!({"c": {}}), false),
            (json!({"c": []}), false),
            (json!({"c": [{"c1": 1}]}), false),
            (json!({"d": 1}), false),
        ] {
            assert_eq!(match_node(&present, &event).is_ok(), has_value, "{event}");
            assert_eq!(match_node(&absent, &event).is_ok(), !has_value, "{event}");
        }
    }

    #[test]
    fn absence_inside_arrays_is_scoped_to_the_element_the_other_fields_chose() {
        // Alone, `exists: false` needs the field absent from every element.
        let alone = node(&[("a.b", Matcher::Exists(false))]);
        assert!(match_node(&alone, &json!({"a": [{"b": 1}, {"c": 2}]})).is_err());
        assert!(match_node(&alone, &json!({"a": [{"c": 1}, {"c": 2}]})).is_ok());
        // Next to a value condition, it holds in the element that condition matched.
        let pinned = node(&[("a.c", exact("x")), ("a.b", Matcher::Exists(false))]);
        assert!(match_node(&pinned, &json!({"a": [{"b": 1}, {"c": "x"}]})).is_ok());
        assert!(match_node(&pinned, &json!({"a": [{"b": 1, "c": "x"}]})).is_err());
        // Alternatives made only of absences must hold across all elements at once.
        let either_absent = or(vec![
            node(&[("x", Matcher::Exists(false))]),
            node(&[("y", Matcher::Exists(false))]),
        ]);
        assert!(match_node(&either_absent, &json!([{"x": 1}, {"x": 2}])).is_ok());
        let (path, reason) = reason_of(&either_absent, &json!([{"x": 1}, {"y": 1}]));
        assert_eq!(path, "");
        assert!(matches!(reason, Reason::NoAlternative(list) if list.len() == 2));
    }

    #[test]
    fn anything_but_needs_a_value_and_accepts_other_types() {
        let not_cancelled = node(&[(
            "status",
            Matcher::AnythingBut(AnythingBut::strings(NonEmpty::one("cancelled".into()))),
        )]);
        for (event, expected) in [
            (json!({"status": "placed"}), true),
            (json!({"status": "cancelled"}), false),
            (json!({"status": ["cancelled", "placed"]}), true),
            (json!({"status": ["cancelled"]}), false),
            (json!({"status": null}), true),
            (json!({"status": 3}), true),
            (json!({}), false),
            (json!({"status": []}), false),
            (json!({"status": {"x": "y"}}), false),
        ] {
            assert_eq!(
                match_node(&not_cancelled, &event).is_ok(),
                expected,
                "{event}"
            );
        }
    }

    #[test]
    fn objects_where_values_are_expected_and_values_where_objects_are_expected() {
        let nested = node(&[("a.b", exact("x"))]);
        let (path, reason) = reason_of(&nested, &json!({"a": "x"}));
        assert_eq!(path, "a.b");
        assert!(matches!(
            reason,
            Reason::Leaf {
                found: Found::Nothing,
                ..
            }
        ));
        assert!(match_node(&nested, &json!("not an object")).is_err());
        assert!(match_node(&Node::new(), &json!(null)).is_ok());
    }
}

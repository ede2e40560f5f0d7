//! Why an event does not match a pattern, in words a trace can print:
//! ``filtered out by `detail.order.status`: anything-but ["cancelled"] (found "cancelled")``.

use std::fmt;

use serde_json::Value;

use crate::eventbridge::pattern::{
    AnythingButKind, Bound, ComparableNumber, Literal, Matcher, NumericKind,
};

/// The first condition of a pattern that an event fails, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    path: String,
    reason: Reason,
}

/// What fails at a [`Mismatch`]'s path.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// A leaf of the pattern: no value found there satisfies any of its matchers (and, when one
    /// of them is `exists: false`, the field has a value).
    Leaf {
        /// The matchers of the leaf, any of which would have matched.
        matchers: Vec<Matcher>,
        /// What the event has at the path.
        found: Found,
    },
    /// No alternative of the `$or` in the object at the path matches; why each fails, in order.
    NoAlternative(Vec<Mismatch>),
    /// The object at the path is an array: each condition holds in some element, but no single
    /// element satisfies them all (EventBridge does not combine fields of different elements).
    /// Why each element fails, in order.
    NoElement(Vec<Mismatch>),
}

/// What an event has where a pattern expects leaf values.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// No value: the field is absent, or an empty array.
    Nothing,
    /// Only objects, which are not values (`exists` and every other matcher only see leaves).
    Object,
    /// These values (the elements, when the field is an array).
    Values(Vec<Value>),
}

impl Mismatch {
    pub(super) fn new(path: String, reason: Reason) -> Self {
        Self { path, reason }
    }

    /// The dotted path of the field in the event (`detail.order.status`), with array indices
    /// (`detail.order.items[1].sku`) where the condition failed in one element of an array. The
    /// empty path is the value matched itself.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What fails there.
    pub fn reason(&self) -> &Reason {
        &self.reason
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str("the value")?;
        } else {
            write!(f, "`{}`", self.path)?;
        }
        match &self.reason {
            Reason::Leaf { matchers, found } => {
                f.write_str(": ")?;
                for (i, matcher) in matchers.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" or ")?;
                    }
                    write_matcher(f, matcher)?;
                }
                write!(f, " ({found})")
            }
            Reason::NoAlternative(alternatives) => {
                f.write_str(": no `$or` alternative matches")?;
                write_list(f, alternatives)
            }
            Reason::NoElement(elements) => {
                f.write_str(": no single array element matches every condition")?;
                write_list(f, elements)
            }
        }
    }
}

impl std::error::Error for Mismatch {}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Nothing => f.write_str("no value"),
            Found::Object => f.write_str("found an object, not a value"),
            Found::Values(values) => {
                f.write_str("found ")?;
                for (i, value) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{value}")?;
                }
                Ok(())
            }
        }
    }
}

fn write_list(f: &mut fmt::Formatter<'_>, mismatches: &[Mismatch]) -> fmt::Result {
    if mismatches.is_empty() {
        return Ok(());
    }
    f.write_str(" (")?;
    for (i, mismatch) in mismatches.iter().enumerate() {
        if i > 0 {
            f.write_str("; ")?;
        }
        write!(f, "{mismatch}")?;
    }
    f.write_str(")")
}

/// A matcher in the words of the pattern language: `"placed"`, `prefix "ca-"`,
/// `anything-but ["stopped","overloaded"]`, `numeric > 0 and <= 5`...
fn write_matcher(f: &mut fmt::Formatter<'_>, matcher: &Matcher) -> fmt::Result {
    match matcher {
        Matcher::Exact(literal) => write_literal(f, literal),
        Matcher::Prefix(prefix) => write!(f, "prefix {}", quoted(prefix)),
        Matcher::Suffix(suffix) => write!(f, "suffix {}", quoted(suffix)),
        Matcher::AnythingBut(excluded) => {
            f.write_str("anything-but ")?;
            match excluded.kind() {
                AnythingButKind::Strings(strings) => {
                    write!(f, "{}", Value::from(strings.as_slice()))
                }
                AnythingButKind::Numbers(numbers) => {
                    f.write_str("[")?;
                    for (i, n) in numbers.as_slice().iter().enumerate() {
                        if i > 0 {
                            f.write_str(",")?;
                        }
                        write_number(f, *n)?;
                    }
                    f.write_str("]")
                }
                AnythingButKind::Prefix(prefix) => write!(f, "prefix {}", quoted(prefix)),
                AnythingButKind::Suffix(suffix) => write!(f, "suffix {}", quoted(suffix)),
            }
        }
        Matcher::Numeric(numeric) => {
            f.write_str("numeric ")?;
            match numeric.kind() {
                NumericKind::Equals(n) => {
                    f.write_str("= ")?;
                    write_number(f, *n)
                }
                NumericKind::Range { lower, upper } => {
                    if let Some(lower) = lower {
                        write_bound(f, lower, ">")?;
                    }
                    if lower.is_some() && upper.is_some() {
                        f.write_str(" and ")?;
                    }
                    if let Some(upper) = upper {
                        write_bound(f, upper, "<")?;
                    }
                    Ok(())
                }
            }
        }
        Matcher::Exists(exists) => write!(f, "exists {exists}"),
        Matcher::EqualsIgnoreCase(expected) => {
            write!(f, "equals-ignore-case {}", quoted(expected))
        }
        Matcher::Wildcard(wildcard) => write!(f, "wildcard {}", quoted(wildcard.as_str())),
    }
}

fn write_literal(f: &mut fmt::Formatter<'_>, literal: &Literal) -> fmt::Result {
    match literal {
        Literal::String(s) => f.write_str(&quoted(s)),
        Literal::Number(n) => write!(f, "{n}"),
        Literal::Bool(b) => write!(f, "{b}"),
        Literal::Null => f.write_str("null"),
    }
}

fn write_bound(f: &mut fmt::Formatter<'_>, bound: &Bound, operator: &str) -> fmt::Result {
    f.write_str(operator)?;
    f.write_str(if bound.inclusive { "= " } else { " " })?;
    write_number(f, bound.value)
}

/// Integral numbers without a fraction (`5`, not `5.0`).
fn write_number(f: &mut fmt::Formatter<'_>, n: ComparableNumber) -> fmt::Result {
    let value = n.get();
    if value.fract() == 0.0 {
        // Within ±5e9 (a `ComparableNumber`), so the conversion is exact.
        write!(f, "{}", value as i64)
    } else {
        write!(f, "{value}")
    }
}

/// `s` as a JSON string, so quotes and control characters stay readable.
fn quoted(s: &str) -> String {
    Value::from(s).to_string()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::eventbridge::pattern::{AnythingBut, NonEmpty, NumericMatch, Wildcard};

    fn num(v: f64) -> ComparableNumber {
        ComparableNumber::new(v).expect("comparable")
    }

    fn leaf(path: &str, matchers: Vec<Matcher>, found: Found) -> Mismatch {
        Mismatch::new(path.to_owned(), Reason::Leaf { matchers, found })
    }

    #[test]
    fn leaf_mismatches_name_the_path_the_condition_and_what_was_found() {
        let cancelled = AnythingBut::strings(NonEmpty::one("cancelled".to_owned()));
        assert_eq!(
            leaf(
                "detail.order.status",
                vec![Matcher::AnythingBut(cancelled)],
                Found::Values(vec![json!("cancelled")])
            )
            .to_string(),
            r#"`detail.order.status`: anything-but ["cancelled"] (found "cancelled")"#
        );
        assert_eq!(
            leaf(
                "detail.order.status",
                vec![
                    Matcher::Exact(Literal::String("placed".into())),
                    Matcher::Exact(Literal::Null)
                ],
                Found::Nothing
            )
            .to_string(),
            r#"`detail.order.status`: "placed" or null (no value)"#
        );
        assert_eq!(
            leaf("c", vec![Matcher::Exists(true)], Found::Object).to_string(),
            "`c`: exists true (found an object, not a value)"
        );
        assert_eq!(
            leaf(
                "tags",
                vec![Matcher::Exists(false)],
                Found::Values(vec![json!(1), json!(null)])
            )
            .to_string(),
            "`tags`: exists false (found 1, null)"
        );
    }

    #[test]
    fn every_matcher_reads_as_in_the_pattern_language() {
        let range = NumericMatch::range(
            Some(Bound {
                value: num(0.0),
                inclusive: false,
            }),
            Some(Bound {
                value: num(5.5),
                inclusive: true,
            }),
        )
        .expect("range");
        let at_least = NumericMatch::range(
            Some(Bound {
                value: num(1.0),
                inclusive: true,
            }),
            None,
        )
        .expect("range");
        let cases = [
            (Matcher::Exact(Literal::Number(12.into())), "12"),
            (Matcher::Exact(Literal::Bool(false)), "false"),
            (Matcher::Exact(Literal::String("a\"b".into())), r#""a\"b""#),
            (Matcher::Prefix("ca-".into()), r#"prefix "ca-""#),
            (Matcher::Suffix(".png".into()), r#"suffix ".png""#),
            (
                Matcher::AnythingBut(AnythingBut::numbers(
                    NonEmpty::new(vec![num(100.0), num(2.5)], "numbers").expect("numbers"),
                )),
                "anything-but [100,2.5]",
            ),
            (
                Matcher::AnythingBut(AnythingBut::prefix("init").expect("prefix")),
                r#"anything-but prefix "init""#,
            ),
            (
                Matcher::AnythingBut(AnythingBut::suffix(".txt").expect("suffix")),
                r#"anything-but suffix ".txt""#,
            ),
            (Matcher::Numeric(range), "numeric > 0 and <= 5.5"),
            (Matcher::Numeric(at_least), "numeric >= 1"),
            (
                Matcher::Numeric(NumericMatch::equals(num(301.8))),
                "numeric = 301.8",
            ),
            (Matcher::Exists(false), "exists false"),
            (
                Matcher::EqualsIgnoreCase("alice".into()),
                r#"equals-ignore-case "alice""#,
            ),
            (
                Matcher::Wildcard(Wildcard::new("dir/*.png").expect("wildcard")),
                r#"wildcard "dir/*.png""#,
            ),
        ];
        for (matcher, expected) in cases {
            let text = leaf("f", vec![matcher], Found::Nothing).to_string();
            assert_eq!(text, format!("`f`: {expected} (no value)"));
        }
    }

    #[test]
    fn alternatives_and_elements_list_the_reason_of_each() {
        let a = leaf(
            "detail.a",
            vec![Matcher::Exact(Literal::Number(1.into()))],
            Found::Values(vec![json!(2)]),
        );
        let b = leaf("detail.b", vec![Matcher::Exists(true)], Found::Nothing);
        let or = Mismatch::new(
            "detail".into(),
            Reason::NoAlternative(vec![a.clone(), b.clone()]),
        );
        assert_eq!(
            or.to_string(),
            "`detail`: no `$or` alternative matches (`detail.a`: 1 (found 2); `detail.b`: exists true (no value))"
        );
        let elements = Mismatch::new("items".into(), Reason::NoElement(vec![a]));
        assert_eq!(
            elements.to_string(),
            "`items`: no single array element matches every condition (`detail.a`: 1 (found 2))"
        );
        assert_eq!(
            Mismatch::new(String::new(), Reason::NoElement(vec![])).to_string(),
            "the value: no single array element matches every condition"
        );
        assert_eq!(or.path(), "detail");
        assert!(matches!(or.reason(), Reason::NoAlternative(list) if list.len() == 2));
    }
}

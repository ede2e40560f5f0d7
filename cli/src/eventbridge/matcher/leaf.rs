//! One matcher against one leaf value of an event (a string, number, boolean or null).
//!
//! Each test follows the reference matcher (aws/event-ruler), which compares the JSON text of a
//! value: string operators (`prefix`, `suffix`, `equals-ignore-case`, `wildcard`) only see
//! strings, `numeric` only sees numbers, and `anything-but` accepts every value it does not
//! exclude, whatever its type.

use serde_json::{Number, Value};

use crate::eventbridge::pattern::{
    AnythingBut, AnythingButKind, ComparableNumber, Literal, Matcher, NumericKind, NumericMatch,
    Wildcard,
};

/// Whether `matcher` accepts the leaf `value`. `exists: false` accepts no value: it holds only
/// where a field has none, which the caller decides.
pub(super) fn accepts(matcher: &Matcher, value: &Value) -> bool {
    match matcher {
        Matcher::Exact(literal) => literal_equals(literal, value),
        Matcher::Prefix(prefix) => value.as_str().is_some_and(|s| s.starts_with(prefix)),
        Matcher::Suffix(suffix) => value.as_str().is_some_and(|s| s.ends_with(suffix)),
        Matcher::AnythingBut(excluded) => !is_excluded(excluded, value),
        Matcher::Numeric(numeric) => value
            .as_number()
            .and_then(Number::as_f64)
            .is_some_and(|n| in_range(numeric, n)),
        Matcher::Exists(exists) => *exists,
        Matcher::EqualsIgnoreCase(expected) => value
            .as_str()
            .is_some_and(|s| equals_ignore_case(expected, s)),
        Matcher::Wildcard(wildcard) => value
            .as_str()
            .is_some_and(|s| wildcard_matches(wildcard, s)),
    }
}

fn literal_equals(literal: &Literal, value: &Value) -> bool {
    match (literal, value) {
        (Literal::String(expected), Value::String(s)) => expected == s,
        (Literal::Number(expected), Value::Number(n)) => numbers_equal(expected, n),
        (Literal::Bool(expected), Value::Bool(b)) => expected == b,
        (Literal::Null, Value::Null) => true,
        _ => false,
    }
}

/// Numeric equality: `300`, `300.0` and `3.0e2` are equal. Integers are compared exactly, so two
/// integers beyond 2^53 that round to the same float stay different.
fn numbers_equal(a: &Number, b: &Number) -> bool {
    match (integer(a), integer(b)) {
        (Some(x), Some(y)) => x == y,
        (Some(i), None) => float_equals_integer(b, i),
        (None, Some(i)) => float_equals_integer(a, i),
        (None, None) => a.as_f64() == b.as_f64(),
    }
}

/// Whether the float `f` is exactly the integer `i` (a float beyond the range of `i128`
/// saturates, and no JSON integer is that large).
fn float_equals_integer(f: &Number, i: i128) -> bool {
    f.as_f64()
        .is_some_and(|f| f.fract() == 0.0 && f as i128 == i)
}

fn integer(n: &Number) -> Option<i128> {
    n.as_i64()
        .map(i128::from)
        .or_else(|| n.as_u64().map(i128::from))
}

fn comparable_equals(expected: ComparableNumber, value: &Value) -> bool {
    value
        .as_number()
        .and_then(Number::as_f64)
        .is_some_and(|n| n == expected.get())
}

fn in_range(numeric: &NumericMatch, n: f64) -> bool {
    match numeric.kind() {
        NumericKind::Equals(expected) => n == expected.get(),
        NumericKind::Range { lower, upper } => {
            let above = lower.is_none_or(|b| {
                if b.inclusive {
                    n >= b.value.get()
                } else {
                    n > b.value.get()
                }
            });
            let below = upper.is_none_or(|b| {
                if b.inclusive {
                    n <= b.value.get()
                } else {
                    n < b.value.get()
                }
            });
            above && below
        }
    }
}

/// Whether `anything-but` excludes `value`. Only a value of the excluded kind can be excluded:
/// `anything-but: "x"` accepts the number 5, `anything-but: 5` accepts the string `"5"`, and
/// both accept `true` and `null`.
fn is_excluded(excluded: &AnythingBut, value: &Value) -> bool {
    match excluded.kind() {
        AnythingButKind::Strings(strings) => value
            .as_str()
            .is_some_and(|s| strings.as_slice().iter().any(|x| x == s)),
        AnythingButKind::Numbers(numbers) => numbers
            .as_slice()
            .iter()
            .any(|&n| comparable_equals(n, value)),
        AnythingButKind::Prefix(prefix) => value.as_str().is_some_and(|s| s.starts_with(prefix)),
        AnythingButKind::Suffix(suffix) => value.as_str().is_some_and(|s| s.ends_with(suffix)),
    }
}

/// `equals-ignore-case` as the reference matcher does it: each character of the expected text
/// stands for its lower-case or its upper-case form (which may differ in length: `ß`, `SS`), and
/// the value must be a sequence of those forms. Characters outside the Basic Multilingual Plane
/// only match themselves (Java folds UTF-16 units, and a lone surrogate has no case).
fn equals_ignore_case(expected: &str, value: &str) -> bool {
    let forms: Vec<[String; 2]> = expected
        .chars()
        .map(|c| {
            if u32::from(c) > 0xFFFF {
                [c.to_string(), c.to_string()]
            } else {
                [c.to_lowercase().collect(), c.to_uppercase().collect()]
            }
        })
        .collect();
    // Byte offsets of `value` reachable after matching a prefix of `forms`.
    let mut reachable = vec![false; value.len() + 1];
    reachable[0] = true;
    for pair in &forms {
        let mut next = vec![false; value.len() + 1];
        for (offset, _) in reachable.iter().enumerate().filter(|(_, r)| **r) {
            let rest = &value[offset..];
            for form in pair {
                if rest.starts_with(form.as_str()) {
                    next[offset + form.len()] = true;
                }
            }
        }
        reachable = next;
    }
    reachable[value.len()]
}

/// Whether `value` matches `wildcard`: `*` stands for any run of characters, `\*` for a star and
/// `\\` for a backslash.
fn wildcard_matches(wildcard: &Wildcard, value: &str) -> bool {
    let (first, after_stars) = literal_pieces(wildcard.as_str());
    let Some((last, middle)) = after_stars.split_last() else {
        return value == first;
    };
    if value.len() < first.len() + last.len()
        || !value.starts_with(first.as_str())
        || !value.ends_with(last.as_str())
    {
        return false;
    }
    // Between the fixed ends, each middle piece at its leftmost place leaves the most room for
    // the next: greedy is exact when `*` is the only operator.
    let mut between = &value[first.len()..value.len() - last.len()];
    for piece in middle {
        match between.find(piece.as_str()) {
            Some(at) => between = &between[at + piece.len()..],
            None => return false,
        }
    }
    true
}

/// The literal text of a wildcard, unescaped: the text before the first unescaped star, and the
/// text after each star. `a\*b*c` gives `("a*b", ["c"])`.
fn literal_pieces(pattern: &str) -> (String, Vec<String>) {
    let mut first = String::new();
    let mut after_stars: Vec<String> = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        let literal = match c {
            '*' => {
                after_stars.push(String::new());
                continue;
            }
            // `Wildcard` guarantees that an escaped `*` or `\` follows a backslash.
            '\\' => chars.next().unwrap_or(c),
            c => c,
        };
        after_stars.last_mut().unwrap_or(&mut first).push(literal);
    }
    (first, after_stars)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::eventbridge::pattern::{Bound, NonEmpty};

    fn num(v: f64) -> ComparableNumber {
        ComparableNumber::new(v).expect("comparable")
    }

    fn wildcard(pattern: &str, value: &str) -> bool {
        wildcard_matches(&Wildcard::new(pattern).expect("wildcard"), value)
    }

    #[test]
    fn exact_numbers_compare_numerically_and_integers_exactly() {
        let parsed = |text: &str| serde_json::from_str::<Number>(text).expect("number");
        assert!(numbers_equal(&parsed("300"), &parsed("3.0e2")));
        assert!(numbers_equal(&parsed("300.0"), &parsed("300")));
        assert!(numbers_equal(&parsed("-0.5"), &parsed("-5e-1")));
        assert!(!numbers_equal(&parsed("300"), &parsed("300.5")));
        assert!(!numbers_equal(
            &parsed("9007199254740993"),
            &parsed("9007199254740992")
        ));
        assert!(!numbers_equal(
            &parsed("9007199254740993"),
            &parsed("9007199254740992.0")
        ));
        assert!(numbers_equal(
            &parsed("18446744073709551615"),
            &parsed("18446744073709551615")
        ));
        assert!(!numbers_equal(
            &parsed("-1"),
            &parsed("18446744073709551615")
        ));
        assert!(!literal_equals(&Literal::Number(1.into()), &json!("1")));
        assert!(!literal_equals(&Literal::Null, &json!("null")));
        assert!(!literal_equals(&Literal::Bool(true), &json!("true")));
    }

    #[test]
    fn numeric_bounds_are_exclusive_or_inclusive() {
        let range = |lower: Option<(f64, bool)>, upper: Option<(f64, bool)>| {
            let bound = |(v, inclusive): (f64, bool)| Bound {
                value: num(v),
                inclusive,
            };
            NumericMatch::range(lower.map(bound), upper.map(bound)).expect("range")
        };
        let gt0_le5 = range(Some((0.0, false)), Some((5.0, true)));
        assert!(!in_range(&gt0_le5, 0.0));
        assert!(in_range(&gt0_le5, 0.000_001));
        assert!(in_range(&gt0_le5, 5.0));
        assert!(!in_range(&gt0_le5, 5.000_001));
        let ge1_lt2 = range(Some((1.0, true)), Some((2.0, false)));
        assert!(in_range(&ge1_lt2, 1.0));
        assert!(!in_range(&ge1_lt2, 2.0));
        assert!(in_range(&range(None, Some((10.0, false))), -1e300));
        assert!(in_range(&NumericMatch::equals(num(301.8)), 3.018e2));
        let numeric = Matcher::Numeric(range(Some((0.0, false)), None));
        assert!(accepts(&numeric, &json!(1)));
        assert!(!accepts(&numeric, &json!("1")));
    }

    #[test]
    fn anything_but_excludes_only_values_of_its_kind() {
        let strings = AnythingBut::strings(
            NonEmpty::new(vec!["a".to_owned(), "b".to_owned()], "values").expect("strings"),
        );
        assert!(is_excluded(&strings, &json!("a")));
        assert!(!is_excluded(&strings, &json!("c")));
        assert!(!is_excluded(&strings, &json!(1)));
        assert!(!is_excluded(&strings, &json!(null)));
        let numbers = AnythingBut::numbers(NonEmpty::one(num(300.0)));
        assert!(is_excluded(&numbers, &json!(3.0e2)));
        assert!(!is_excluded(&numbers, &json!("300")));
        assert!(!is_excluded(&numbers, &json!(true)));
        let prefix = AnythingBut::prefix("init").expect("prefix");
        assert!(is_excluded(&prefix, &json!("initializing")));
        assert!(!is_excluded(&prefix, &json!("running")));
        assert!(!is_excluded(&prefix, &json!(7)));
        let suffix = AnythingBut::suffix(".txt").expect("suffix");
        assert!(is_excluded(&suffix, &json!("a.txt")));
        assert!(!is_excluded(&suffix, &json!("a.png")));
    }

    #[test]
    fn equals_ignore_case_folds_each_character_of_the_pattern() {
        assert!(equals_ignore_case("alice", "ALICE"));
        assert!(equals_ignore_case("ALICE", "aLiCe"));
        assert!(!equals_ignore_case("alice", "alicia"));
        assert!(!equals_ignore_case("alice", "alic"));
        assert!(equals_ignore_case("", ""));
        assert!(equals_ignore_case("straße", "STRASSE"));
        assert!(equals_ignore_case("straße", "straße"));
        assert!(equals_ignore_case("Ωmega", "ωMEGA"));
        // Only the pattern is folded: `SS` does not stand for `ß`.
        assert!(!equals_ignore_case("STRASSE", "straße"));
        // Outside the BMP, no folding (Deseret capital and small long I).
        assert!(!equals_ignore_case("\u{10400}", "\u{10428}"));
        assert!(equals_ignore_case("\u{10400}", "\u{10400}"));
    }

    #[test]
    fn wildcards_match_runs_and_escapes() {
        assert!(wildcard("dir/*.png", "dir/a.png"));
        assert!(wildcard("dir/*.png", "dir/.png"));
        assert!(wildcard("dir/*.png", "dir/sub/a.png"));
        assert!(!wildcard("dir/*.png", "dir/a.jpg"));
        assert!(!wildcard("dir/*.png", "other/a.png"));
        assert!(wildcard("*", ""));
        assert!(wildcard("*", "anything"));
        assert!(wildcard("", ""));
        assert!(!wildcard("", "x"));
        assert!(wildcard("a*a", "aa"));
        assert!(!wildcard("a*a", "a"));
        assert!(wildcard("*a*b*", "xxaxxbxx"));
        assert!(!wildcard("*a*b*", "xxbxxaxx"));
        assert!(wildcard("*ab*ab*", "abab"));
        assert!(!wildcard("*ab*ab*", "aba"));
        assert!(wildcard(r"a\*b", "a*b"));
        assert!(!wildcard(r"a\*b", "axb"));
        assert!(wildcard(r"a\\*", r"a\xyz"));
        assert!(!wildcard(r"a\\*", "axyz"));
        assert!(wildcard("é*ü", "éaü"));
        assert_eq!(
            literal_pieces(r"a\*b*c"),
            ("a*b".to_owned(), vec!["c".to_owned()])
        );
        assert_eq!(literal_pieces("*"), (String::new(), vec![String::new()]));
    }

    #[test]
    fn string_operators_see_only_strings() {
        let value = json!(123);
        assert!(!accepts(&Matcher::Prefix("12".into()), &value));
        assert!(!accepts(&Matcher::Suffix("23".into()), &value));
        assert!(!accepts(&Matcher::EqualsIgnoreCase("123".into()), &value));
        let star = Matcher::Wildcard(Wildcard::new("*").expect("wildcard"));
        assert!(!accepts(&star, &value));
        assert!(accepts(&star, &json!("")));
        assert!(accepts(&Matcher::Exists(true), &json!(null)));
        assert!(!accepts(&Matcher::Exists(false), &json!(null)));
    }
}

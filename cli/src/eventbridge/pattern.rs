//! The EventBridge event pattern language as types.
//!
//! Every type here can only hold what EventBridge accepts when a rule is created; the checks
//! follow the reference implementation of the matcher (aws/event-ruler):
//! - lists of matchers, `anything-but` values and `$or` alternatives are never empty, and `$or`
//!   has at least two alternatives;
//! - objects are never empty (`{}` is rejected by EventBridge);
//! - numbers compared numerically (`numeric`, numeric `anything-but`) are within
//!   [`-5e9, 5e9`](NUMERIC_LIMIT) with at most [six decimals](MAX_DECIMALS);
//! - a numeric range has at most one lower and one upper bound, the lower one below the upper
//!   one, and `=` stands alone;
//! - `anything-but` lists hold only strings or only numbers; its prefix and suffix are not empty;
//! - wildcards have no `**`, and a backslash only escapes `*` or `\`;
//! - keys inside `$or` alternatives are not the matcher's reserved words.
//!
//! Serialization ([`EventPattern::to_json`]) produces the JSON EventBridge expects, keys in
//! sorted order.

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};
use serde_json::{Map, Value, json};

/// Largest magnitude EventBridge compares numerically (inclusive).
pub const NUMERIC_LIMIT: f64 = 5.0e9;

/// Most decimals EventBridge keeps when it compares numbers.
pub const MAX_DECIMALS: usize = 6;

/// The key that introduces alternatives.
const OR_KEY: &str = "$or";

/// Words the matcher reserves: they cannot be field names inside `$or` alternatives.
const RESERVED_IN_OR: &[&str] = &[
    "exactly",
    "equals-ignore-case",
    "prefix",
    "suffix",
    "anything-but",
    "exists",
    "wildcard",
    "numeric",
    "cidr",
    "=",
    "<",
    "<=",
    ">",
    ">=",
    "regex",
    "not-wildcard",
    "not-equals-ignore-case",
    "date-after",
    "date-on-or-after",
    "date-before",
    "date-on-or-before",
    "in-date-range",
    "ip-address-in-range",
    "ip-address-not-in-range",
];

/// Why a pattern cannot be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PatternError {
    /// A list that EventBridge requires to have elements is empty.
    #[error("{0} must not be empty")]
    Empty(&'static str),
    /// The pattern constrains nothing (EventBridge rejects `{}`).
    #[error("an event pattern must constrain at least one of source, detail-type or detail")]
    EmptyPattern,
    /// A field name is empty.
    #[error("a field name in a pattern must not be empty")]
    EmptyKey,
    /// A field is named `$or`, which EventBridge reads as alternatives.
    #[error("`$or` cannot be used as a field name")]
    OrAsKey,
    /// A field inside `$or` alternatives uses a word the matcher reserves.
    #[error("`{0}` is reserved by EventBridge and cannot be a field name inside `$or`")]
    ReservedKeyInOr(String),
    /// `$or` has fewer than two alternatives.
    #[error("`$or` needs at least 2 alternatives, found {0}")]
    TooFewAlternatives(usize),
    /// A node already has alternatives.
    #[error("a pattern object can hold only one `$or`")]
    DuplicateOr,
    /// A path is both a leaf with matchers and an object with fields, or is set twice.
    #[error("field `{0}` is constrained twice, or both as a value and as an object")]
    PathConflict(String),
    /// A field path has an empty segment (`a..b`, `.a`, `a.`, or an empty path).
    #[error("field path `{0}` has an empty segment")]
    InvalidPath(String),
    /// A number is NaN or infinite.
    #[error("number {0} is not finite")]
    NotFinite(f64),
    /// A number is outside the range EventBridge compares.
    #[error("number {0} is outside the range EventBridge compares numerically (-5e9 to 5e9)")]
    OutOfRange(f64),
    /// A number has more decimals than EventBridge keeps.
    #[error("number {0} has more than 6 decimals, which EventBridge does not compare")]
    TooPrecise(f64),
    /// A numeric range has no bound.
    #[error("a numeric range needs at least one bound")]
    NoBound,
    /// `=` is combined with other comparisons.
    #[error("a numeric `=` cannot be combined with other comparisons")]
    EqualsWithBounds,
    /// Two lower bounds (`gt` and `gte`) or two upper bounds (`lt` and `lte`).
    #[error("a numeric range can have only one {0} bound")]
    DuplicateBound(&'static str),
    /// The lower bound is not below the upper bound.
    #[error("numeric range is empty: lower bound {lower} is not below upper bound {upper}")]
    EmptyRange {
        /// The lower bound.
        lower: f64,
        /// The upper bound.
        upper: f64,
    },
    /// `anything-but` values mix strings and numbers, or hold booleans or null.
    #[error("`anything-but` values must be all strings or all numbers")]
    AnythingButValues,
    /// `anything-but` prefix or suffix is empty.
    #[error("`anything-but` {0} must not be empty")]
    EmptyAffix(&'static str),
    /// A wildcard has two `*` in a row.
    #[error("wildcard `{pattern}` has consecutive `*` at byte {position}")]
    ConsecutiveWildcards {
        /// The wildcard.
        pattern: String,
        /// Byte offset of the first `*`.
        position: usize,
    },
    /// A wildcard has a backslash that escapes neither `*` nor `\`.
    #[error("wildcard `{pattern}` has an invalid escape at byte {position}")]
    InvalidEscape {
        /// The wildcard.
        pattern: String,
        /// Byte offset of the backslash.
        position: usize,
    },
    /// A condition on a field path is invalid.
    #[error("in the condition on `{path}`: {source}")]
    Field {
        /// The field path, as written in the filter.
        path: String,
        /// What is wrong with the condition.
        source: Box<PatternError>,
    },
    /// A filter operator object sets no operator or several.
    #[error("a filter condition must use exactly one operator, found {0}")]
    OperatorCount(usize),
    /// An `anything-but` prefix/suffix object sets neither or both.
    #[error("`anything-but` takes exactly one of prefix or suffix")]
    AffixCount,
}

/// A list with at least one element.
#[derive(Debug, Clone, PartialEq)]
pub struct NonEmpty<T>(Vec<T>);

impl<T> NonEmpty<T> {
    /// Wraps `items`; `what` names the list in the error when it is empty.
    pub fn new(items: Vec<T>, what: &'static str) -> Result<Self, PatternError> {
        if items.is_empty() {
            Err(PatternError::Empty(what))
        } else {
            Ok(Self(items))
        }
    }

    /// A list of one element.
    pub fn one(item: T) -> Self {
        Self(vec![item])
    }

    /// The elements.
    pub fn as_slice(&self) -> &[T] {
        &self.0
    }
}

/// A value matched exactly.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A string.
    String(String),
    /// A JSON number.
    Number(serde_json::Number),
    /// A boolean.
    Bool(bool),
    /// JSON null (matches a null value, not a missing field).
    Null,
}

impl Literal {
    fn to_json(&self) -> Value {
        match self {
            Literal::String(s) => Value::String(s.clone()),
            Literal::Number(n) => Value::Number(n.clone()),
            Literal::Bool(b) => Value::Bool(*b),
            Literal::Null => Value::Null,
        }
    }
}

/// A number EventBridge can compare: finite, within [`NUMERIC_LIMIT`], at most
/// [`MAX_DECIMALS`] decimals.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct ComparableNumber(f64);

impl ComparableNumber {
    /// Checks `value`.
    pub fn new(value: f64) -> Result<Self, PatternError> {
        if !value.is_finite() {
            return Err(PatternError::NotFinite(value));
        }
        if value.abs() > NUMERIC_LIMIT {
            return Err(PatternError::OutOfRange(value));
        }
        // `Display` writes the shortest decimal that reads back as `value`, never an exponent.
        let text = value.to_string();
        let decimals = text
            .split_once('.')
            .map_or(0, |(_, fraction)| fraction.len());
        if decimals > MAX_DECIMALS {
            return Err(PatternError::TooPrecise(value));
        }
        Ok(Self(value))
    }

    /// The number.
    pub fn get(self) -> f64 {
        self.0
    }

    /// Integral values as JSON integers (`5`, not `5.0`), others as floats.
    fn to_json(self) -> Value {
        if self.0.fract() == 0.0 {
            // Within ±5e9, so the conversion is exact.
            json!(self.0 as i64)
        } else {
            json!(self.0)
        }
    }
}

/// One side of a numeric range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// The limit.
    pub value: ComparableNumber,
    /// Whether the limit itself is in the range.
    pub inclusive: bool,
}

/// A `numeric` matcher: equality, or a range with a lower bound, an upper bound or both.
#[derive(Debug, Clone, PartialEq)]
pub struct NumericMatch(NumericKind);

/// What a [`NumericMatch`] compares with, as checked by its constructors.
#[derive(Debug, Clone, PartialEq)]
pub enum NumericKind {
    /// `["=", value]`.
    Equals(ComparableNumber),
    /// At least one bound; when both are set, the lower one is below the upper one.
    Range {
        /// `>` (exclusive) or `>=` (inclusive).
        lower: Option<Bound>,
        /// `<` (exclusive) or `<=` (inclusive).
        upper: Option<Bound>,
    },
}

impl NumericMatch {
    /// `["=", value]`.
    pub fn equals(value: ComparableNumber) -> Self {
        Self(NumericKind::Equals(value))
    }

    /// `[">", lower, "<=", upper]` and the like: at least one bound, lower below upper.
    pub fn range(lower: Option<Bound>, upper: Option<Bound>) -> Result<Self, PatternError> {
        match (lower, upper) {
            (None, None) => return Err(PatternError::NoBound),
            (Some(l), Some(u)) if l.value.get() >= u.value.get() => {
                return Err(PatternError::EmptyRange {
                    lower: l.value.get(),
                    upper: u.value.get(),
                });
            }
            _ => {}
        }
        Ok(Self(NumericKind::Range { lower, upper }))
    }

    /// The comparison.
    pub fn kind(&self) -> &NumericKind {
        &self.0
    }

    fn to_json(&self) -> Value {
        let mut terms = Vec::with_capacity(4);
        match &self.0 {
            NumericKind::Equals(value) => {
                terms.push(json!("="));
                terms.push(value.to_json());
            }
            NumericKind::Range { lower, upper } => {
                // EventBridge requires the lower bound first.
                if let Some(b) = lower {
                    terms.push(json!(if b.inclusive { ">=" } else { ">" }));
                    terms.push(b.value.to_json());
                }
                if let Some(b) = upper {
                    terms.push(json!(if b.inclusive { "<=" } else { "<" }));
                    terms.push(b.value.to_json());
                }
            }
        }
        Value::Array(terms)
    }
}

/// The argument of an `anything-but` matcher.
#[derive(Debug, Clone, PartialEq)]
pub struct AnythingBut(AnythingButKind);

/// What an [`AnythingBut`] excludes, as checked by its constructors.
#[derive(Debug, Clone, PartialEq)]
pub enum AnythingButKind {
    /// These strings.
    Strings(NonEmpty<String>),
    /// These numbers.
    Numbers(NonEmpty<ComparableNumber>),
    /// Strings starting with this (not empty).
    Prefix(String),
    /// Strings ending with this (not empty).
    Suffix(String),
}

impl AnythingBut {
    /// Anything but these strings.
    pub fn strings(values: NonEmpty<String>) -> Self {
        Self(AnythingButKind::Strings(values))
    }

    /// Anything but these numbers.
    pub fn numbers(values: NonEmpty<ComparableNumber>) -> Self {
        Self(AnythingButKind::Numbers(values))
    }

    /// Anything but these literals, which must be all strings or all numbers.
    pub fn literals(values: &[Literal]) -> Result<Self, PatternError> {
        if let Some(strings) = values
            .iter()
            .map(|v| match v {
                Literal::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
        {
            return NonEmpty::new(strings, "`anything-but` values").map(Self::strings);
        }
        let numbers = values
            .iter()
            .map(|v| match v {
                Literal::Number(n) => n
                    .as_f64()
                    .ok_or(PatternError::AnythingButValues)
                    .and_then(ComparableNumber::new),
                _ => Err(PatternError::AnythingButValues),
            })
            .collect::<Result<Vec<_>, _>>()?;
        NonEmpty::new(numbers, "`anything-but` values").map(Self::numbers)
    }

    /// Anything but strings starting with `prefix` (not empty).
    pub fn prefix(prefix: impl Into<String>) -> Result<Self, PatternError> {
        let prefix = prefix.into();
        if prefix.is_empty() {
            return Err(PatternError::EmptyAffix("prefix"));
        }
        Ok(Self(AnythingButKind::Prefix(prefix)))
    }

    /// Anything but strings ending with `suffix` (not empty).
    pub fn suffix(suffix: impl Into<String>) -> Result<Self, PatternError> {
        let suffix = suffix.into();
        if suffix.is_empty() {
            return Err(PatternError::EmptyAffix("suffix"));
        }
        Ok(Self(AnythingButKind::Suffix(suffix)))
    }

    /// What is excluded.
    pub fn kind(&self) -> &AnythingButKind {
        &self.0
    }

    fn to_json(&self) -> Value {
        match &self.0 {
            AnythingButKind::Strings(values) => match values.as_slice() {
                [one] => json!(one),
                many => json!(many),
            },
            AnythingButKind::Numbers(values) => match values.as_slice() {
                [one] => one.to_json(),
                many => Value::Array(many.iter().map(|n| n.to_json()).collect()),
            },
            AnythingButKind::Prefix(p) => json!({ "prefix": p }),
            AnythingButKind::Suffix(s) => json!({ "suffix": s }),
        }
    }
}

/// A `wildcard` pattern: `*` stands for any run of characters, `\*` and `\\` for themselves.
#[derive(Debug, Clone, PartialEq)]
pub struct Wildcard(String);

impl Wildcard {
    /// Checks `pattern`: no `**`, and every backslash escapes `*` or `\`.
    pub fn new(pattern: impl Into<String>) -> Result<Self, PatternError> {
        let pattern = pattern.into();
        let bytes = pattern.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => {
                    if !matches!(bytes.get(i + 1), Some(b'*' | b'\\')) {
                        return Err(PatternError::InvalidEscape {
                            position: i,
                            pattern,
                        });
                    }
                    i += 2;
                }
                b'*' if bytes.get(i + 1) == Some(&b'*') => {
                    return Err(PatternError::ConsecutiveWildcards {
                        position: i,
                        pattern,
                    });
                }
                _ => i += 1,
            }
        }
        Ok(Self(pattern))
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One way a leaf field can match. A leaf matches when any of its matchers does.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// Equals this value.
    Exact(Literal),
    /// String starts with.
    Prefix(String),
    /// String ends with.
    Suffix(String),
    /// Anything except.
    AnythingBut(AnythingBut),
    /// Numeric comparison.
    Numeric(NumericMatch),
    /// The field is present (`true`) or absent (`false`).
    Exists(bool),
    /// String equals, ignoring case.
    EqualsIgnoreCase(String),
    /// String matches a wildcard pattern.
    Wildcard(Wildcard),
}

impl Matcher {
    fn to_json(&self) -> Value {
        match self {
            Matcher::Exact(literal) => literal.to_json(),
            Matcher::Prefix(p) => json!({ "prefix": p }),
            Matcher::Suffix(s) => json!({ "suffix": s }),
            Matcher::AnythingBut(a) => json!({ "anything-but": a.to_json() }),
            Matcher::Numeric(n) => json!({ "numeric": n.to_json() }),
            Matcher::Exists(e) => json!({ "exists": e }),
            Matcher::EqualsIgnoreCase(s) => json!({ "equals-ignore-case": s }),
            Matcher::Wildcard(w) => json!({ "wildcard": w.as_str() }),
        }
    }
}

/// What a key of a pattern object holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    /// A nested object (never empty).
    Node(Node),
    /// A leaf: the field matches when any matcher does.
    Matchers(NonEmpty<Matcher>),
}

/// A pattern object: every field must match, and when there are alternatives (`$or`), at
/// least one of them too.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Node {
    fields: BTreeMap<String, Field>,
    any_of: Vec<Node>,
}

impl Node {
    /// An empty object, to be filled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the object constrains nothing yet.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.any_of.is_empty()
    }

    /// The fields, by name.
    pub fn fields(&self) -> &BTreeMap<String, Field> {
        &self.fields
    }

    /// The alternatives (empty, or at least two).
    pub fn any_of(&self) -> &[Node] {
        &self.any_of
    }

    /// Sets the matchers of the leaf at `path` (one key per segment), creating the objects on
    /// the way. Fails when the path, or an object on it, is already a leaf, or the leaf exists.
    pub fn insert_leaf(
        &mut self,
        path: &[&str],
        matchers: NonEmpty<Matcher>,
    ) -> Result<(), PatternError> {
        let joined = || path.join(".");
        let Some((last, parents)) = path.split_last() else {
            return Err(PatternError::InvalidPath(String::new()));
        };
        let mut node = self;
        for key in parents {
            check_key(key)?;
            let field = node
                .fields
                .entry((*key).to_owned())
                .or_insert_with(|| Field::Node(Node::new()));
            node = match field {
                Field::Node(child) => child,
                Field::Matchers(_) => return Err(PatternError::PathConflict(joined())),
            };
        }
        check_key(last)?;
        if node.fields.contains_key(*last) {
            return Err(PatternError::PathConflict(joined()));
        }
        node.fields
            .insert((*last).to_owned(), Field::Matchers(matchers));
        Ok(())
    }

    /// Puts a whole object under `key`. Fails when `child` is empty or `key` is taken.
    pub fn insert_node(&mut self, key: &str, child: Node) -> Result<(), PatternError> {
        check_key(key)?;
        if child.is_empty() {
            return Err(PatternError::Empty("a pattern object"));
        }
        if self.fields.contains_key(key) {
            return Err(PatternError::PathConflict(key.to_owned()));
        }
        self.fields.insert(key.to_owned(), Field::Node(child));
        Ok(())
    }

    /// Sets the alternatives (`$or`) of this object: at least two, none empty, none using a
    /// reserved word as a field name. An object has at most one `$or`.
    pub fn set_any_of(&mut self, alternatives: Vec<Node>) -> Result<(), PatternError> {
        if !self.any_of.is_empty() {
            return Err(PatternError::DuplicateOr);
        }
        if alternatives.len() < 2 {
            return Err(PatternError::TooFewAlternatives(alternatives.len()));
        }
        for alternative in &alternatives {
            if alternative.is_empty() {
                return Err(PatternError::Empty("a `$or` alternative"));
            }
            alternative.check_no_reserved_keys()?;
        }
        self.any_of = alternatives;
        Ok(())
    }

    fn check_no_reserved_keys(&self) -> Result<(), PatternError> {
        for (key, field) in &self.fields {
            if RESERVED_IN_OR.contains(&key.as_str()) {
                return Err(PatternError::ReservedKeyInOr(key.clone()));
            }
            if let Field::Node(child) = field {
                child.check_no_reserved_keys()?;
            }
        }
        // Nested alternatives were checked when they were set.
        Ok(())
    }

    /// The object as EventBridge JSON.
    pub fn to_json(&self) -> Value {
        let mut map: Map<String, Value> = self
            .fields
            .iter()
            .map(|(key, field)| {
                let value = match field {
                    Field::Node(child) => child.to_json(),
                    Field::Matchers(matchers) => {
                        Value::Array(matchers.as_slice().iter().map(Matcher::to_json).collect())
                    }
                };
                (key.clone(), value)
            })
            .collect();
        if !self.any_of.is_empty() {
            let alternatives = self.any_of.iter().map(Node::to_json).collect();
            map.insert(OR_KEY.to_owned(), Value::Array(alternatives));
        }
        Value::Object(map)
    }
}

fn check_key(key: &str) -> Result<(), PatternError> {
    if key.is_empty() {
        Err(PatternError::EmptyKey)
    } else if key == OR_KEY {
        Err(PatternError::OrAsKey)
    } else {
        Ok(())
    }
}

/// A whole event pattern: the envelope fields EventBridge sets (`source`, `detail-type`) and
/// the content of `detail`. Empty parts are left out of the JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct EventPattern {
    source: Vec<String>,
    detail_type: Vec<String>,
    detail: Node,
}

impl EventPattern {
    /// A pattern matching any of `source`, any of `detail_type`, and `detail`; at least one of
    /// them must constrain something.
    pub fn new(
        source: Vec<String>,
        detail_type: Vec<String>,
        detail: Node,
    ) -> Result<Self, PatternError> {
        if source.is_empty() && detail_type.is_empty() && detail.is_empty() {
            return Err(PatternError::EmptyPattern);
        }
        Ok(Self {
            source,
            detail_type,
            detail,
        })
    }

    /// Accepted sources (any when empty).
    pub fn source(&self) -> &[String] {
        &self.source
    }

    /// Accepted detail types (any when empty).
    pub fn detail_type(&self) -> &[String] {
        &self.detail_type
    }

    /// The content filter on `detail`.
    pub fn detail(&self) -> &Node {
        &self.detail
    }

    /// The pattern as the JSON EventBridge expects.
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        if !self.source.is_empty() {
            map.insert("source".to_owned(), json!(self.source));
        }
        if !self.detail_type.is_empty() {
            map.insert("detail-type".to_owned(), json!(self.detail_type));
        }
        if !self.detail.is_empty() {
            map.insert("detail".to_owned(), self.detail.to_json());
        }
        Value::Object(map)
    }
}

impl Serialize for EventPattern {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(v: f64) -> ComparableNumber {
        ComparableNumber::new(v).expect("valid number")
    }

    fn leaf(m: Matcher) -> Node {
        let mut node = Node::new();
        node.insert_leaf(&["f"], NonEmpty::one(m)).expect("leaf");
        node
    }

    #[test]
    fn numbers_outside_what_eventbridge_compares_are_rejected() {
        assert!(matches!(
            ComparableNumber::new(f64::NAN),
            Err(PatternError::NotFinite(_))
        ));
        assert!(matches!(
            ComparableNumber::new(f64::INFINITY),
            Err(PatternError::NotFinite(_))
        ));
        assert_eq!(
            ComparableNumber::new(5.000_000_001e9),
            Err(PatternError::OutOfRange(5.000_000_001e9))
        );
        assert_eq!(
            ComparableNumber::new(0.000_000_1),
            Err(PatternError::TooPrecise(0.000_000_1))
        );
        assert!(ComparableNumber::new(5e9).is_ok());
        assert!(ComparableNumber::new(-5e9).is_ok());
        assert!(ComparableNumber::new(0.123_456).is_ok());
    }

    #[test]
    fn numeric_ranges_are_consistent() {
        let gt = |v| Bound {
            value: num(v),
            inclusive: false,
        };
        assert_eq!(NumericMatch::range(None, None), Err(PatternError::NoBound));
        assert_eq!(
            NumericMatch::range(Some(gt(5.0)), Some(gt(5.0))),
            Err(PatternError::EmptyRange {
                lower: 5.0,
                upper: 5.0
            })
        );
        assert_eq!(
            NumericMatch::range(Some(gt(6.0)), Some(gt(5.0))).map(|_| ()),
            Err(PatternError::EmptyRange {
                lower: 6.0,
                upper: 5.0
            })
        );
    }

    #[test]
    fn numeric_json_puts_the_lower_bound_first_and_integers_as_integers() {
        let m = NumericMatch::range(
            Some(Bound {
                value: num(0.0),
                inclusive: false,
            }),
            Some(Bound {
                value: num(5.0),
                inclusive: true,
            }),
        )
        .expect("range");
        assert_eq!(
            leaf(Matcher::Numeric(m)).to_json(),
            json!({"f": [{"numeric": [">", 0, "<=", 5]}]})
        );
        let eq = NumericMatch::equals(num(301.8));
        assert_eq!(
            leaf(Matcher::Numeric(eq)).to_json(),
            json!({"f": [{"numeric": ["=", 301.8]}]})
        );
    }

    #[test]
    fn anything_but_values_are_all_strings_or_all_numbers() {
        let s = |v: &str| Literal::String(v.to_owned());
        let n = |v: i64| Literal::Number(v.into());
        assert_eq!(
            AnythingBut::literals(&[s("a"), n(1)]),
            Err(PatternError::AnythingButValues)
        );
        assert_eq!(
            AnythingBut::literals(&[Literal::Bool(true)]),
            Err(PatternError::AnythingButValues)
        );
        assert_eq!(
            AnythingBut::literals(&[]),
            Err(PatternError::Empty("`anything-but` values"))
        );
        assert_eq!(
            AnythingBut::literals(&[n(6_000_000_000)]),
            Err(PatternError::OutOfRange(6e9))
        );
        let strings = AnythingBut::literals(&[s("stopped"), s("overloaded")]).expect("strings");
        assert_eq!(
            leaf(Matcher::AnythingBut(strings)).to_json(),
            json!({"f": [{"anything-but": ["stopped", "overloaded"]}]})
        );
        let one = AnythingBut::literals(&[n(123)]).expect("number");
        assert_eq!(
            leaf(Matcher::AnythingBut(one)).to_json(),
            json!({"f": [{"anything-but": 123}]})
        );
    }

    #[test]
    fn anything_but_affixes_are_not_empty() {
        assert_eq!(
            AnythingBut::prefix(""),
            Err(PatternError::EmptyAffix("prefix"))
        );
        assert_eq!(
            AnythingBut::suffix(""),
            Err(PatternError::EmptyAffix("suffix"))
        );
        let p = AnythingBut::prefix("init").expect("prefix");
        assert_eq!(
            leaf(Matcher::AnythingBut(p)).to_json(),
            json!({"f": [{"anything-but": {"prefix": "init"}}]})
        );
    }

    #[test]
    fn wildcards_follow_eventbridge_syntax() {
        assert!(Wildcard::new("dir/*.png").is_ok());
        assert!(Wildcard::new(r"a\*b\\c*").is_ok());
        assert_eq!(
            Wildcard::new("abc**def"),
            Err(PatternError::ConsecutiveWildcards {
                pattern: "abc**def".into(),
                position: 3
            })
        );
        assert_eq!(
            Wildcard::new(r"a\bc"),
            Err(PatternError::InvalidEscape {
                pattern: r"a\bc".into(),
                position: 1
            })
        );
        assert!(matches!(
            Wildcard::new("trailing\\"),
            Err(PatternError::InvalidEscape { position: 8, .. })
        ));
    }

    #[test]
    fn nodes_reject_conflicts_and_bad_keys() {
        let exact = || NonEmpty::one(Matcher::Exact(Literal::Null));
        let mut node = Node::new();
        node.insert_leaf(&["a", "b"], exact()).expect("a.b");
        assert_eq!(
            node.insert_leaf(&["a"], exact()),
            Err(PatternError::PathConflict("a".into()))
        );
        assert_eq!(
            node.insert_leaf(&["a", "b", "c"], exact()),
            Err(PatternError::PathConflict("a.b.c".into()))
        );
        assert_eq!(
            node.insert_leaf(&["$or"], exact()),
            Err(PatternError::OrAsKey)
        );
        assert_eq!(
            node.insert_leaf(&[""], exact()),
            Err(PatternError::EmptyKey)
        );
        assert_eq!(
            node.insert_leaf(&[], exact()),
            Err(PatternError::InvalidPath(String::new()))
        );
        assert_eq!(
            node.insert_node("x", Node::new()),
            Err(PatternError::Empty("a pattern object"))
        );
        assert_eq!(
            NonEmpty::<Matcher>::new(vec![], "matchers"),
            Err(PatternError::Empty("matchers"))
        );
    }

    #[test]
    fn or_needs_two_plain_alternatives() {
        let exact = |key: &str| {
            let mut n = Node::new();
            n.insert_leaf(&[key], NonEmpty::one(Matcher::Exact(Literal::Bool(true))))
                .expect("leaf");
            n
        };
        let mut node = Node::new();
        assert_eq!(
            node.set_any_of(vec![exact("a")]),
            Err(PatternError::TooFewAlternatives(1))
        );
        assert_eq!(
            node.set_any_of(vec![exact("a"), Node::new()]),
            Err(PatternError::Empty("a `$or` alternative"))
        );
        assert_eq!(
            node.set_any_of(vec![exact("a"), exact("prefix")]),
            Err(PatternError::ReservedKeyInOr("prefix".into()))
        );
        node.set_any_of(vec![exact("a"), exact("b")]).expect("or");
        assert_eq!(
            node.set_any_of(vec![exact("a"), exact("b")]),
            Err(PatternError::DuplicateOr)
        );
        assert_eq!(
            node.to_json(),
            json!({"$or": [{"a": [true]}, {"b": [true]}]})
        );
    }

    #[test]
    fn event_pattern_leaves_out_empty_parts_and_rejects_empty_patterns() {
        assert_eq!(
            EventPattern::new(vec![], vec![], Node::new()),
            Err(PatternError::EmptyPattern)
        );
        let pattern = EventPattern::new(
            vec!["aws.ec2".into()],
            vec!["EC2 Instance State-change Notification".into()],
            Node::new(),
        )
        .expect("pattern");
        assert_eq!(
            serde_json::to_value(&pattern).expect("serialize"),
            json!({
                "source": ["aws.ec2"],
                "detail-type": ["EC2 Instance State-change Notification"]
            })
        );
    }
}

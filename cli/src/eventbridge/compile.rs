//! From a subscription's content filter ([`spec::Filter`]) to an [`EventPattern`].
//!
//! The envelope carries the event's entity object under its lowerCamelCase name, so a filter
//! path `customer.address.city` on an event of entity `order` constrains
//! `detail.order.customer.address.city`. The pattern also fixes `detail-type` (the event
//! name) and, when known, `source` (the producing service).
//!
//! `any-of` becomes `$or`, placed in the object where the filter's own paths start, i.e.
//! inside `detail.<entity>`: `{status: active, any-of: [{a: 1}, {b: 2}]}` compiles to
//! `detail.<entity> = {"status": ["active"], "$or": [{"a": [1]}, {"b": [2]}]}`, which
//! EventBridge reads as `status AND (a OR b)`. Each alternative is compiled like a filter of
//! its own (its paths are relative to the entity too, and it may hold its own `any-of`).
//! EventBridge needs at least two alternatives, so an `any-of` of one is an error, which the
//! validator reports.
//!
//! Type fitness (a `prefix` on a number field...) is not checked here: the validator does it
//! with [`operator_kind`], [`OperatorKind::fits`] and [`scalar_kind`].

use std::collections::BTreeSet;

use crate::spec::{self, Condition, Filter, OneOrMany, Operator, Scalar};

use super::pattern::{
    AnythingBut, Bound, ComparableNumber, EventPattern, Literal, Matcher, Node, NonEmpty,
    NumericMatch, PatternError, Wildcard,
};

/// Compiles a subscription filter into the pattern of the rule that delivers the event.
///
/// `entity_lower_camel` is the key of the entity object in the envelope, `detail_type` the
/// event name and `source` the producing service (`None` for external events). Without a
/// filter, the pattern matches on `detail-type` and `source` alone.
pub fn compile(
    filter: Option<&Filter>,
    entity_lower_camel: &str,
    detail_type: &str,
    source: Option<&str>,
) -> Result<EventPattern, PatternError> {
    let mut detail = Node::new();
    if let Some(filter) = filter {
        let entity = compile_filter(filter)?;
        if !entity.is_empty() {
            detail.insert_node(entity_lower_camel, entity)?;
        }
    }
    EventPattern::new(
        source.into_iter().map(str::to_owned).collect(),
        vec![detail_type.to_owned()],
        detail,
    )
}

/// Every field path a filter reads, alternatives included, as written (`customer.address.city`).
pub fn paths(filter: &Filter) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    collect_paths(filter, &mut out);
    out
}

fn collect_paths(filter: &Filter, out: &mut BTreeSet<String>) {
    out.extend(filter.fields.keys().cloned());
    for alternative in &filter.any_of {
        collect_paths(alternative, out);
    }
}

fn compile_filter(filter: &Filter) -> Result<Node, PatternError> {
    let mut node = Node::new();
    for (path, condition) in &filter.fields {
        let in_field = |source| PatternError::Field {
            path: path.clone(),
            source: Box::new(source),
        };
        let segments: Vec<&str> = path.split('.').collect();
        if segments.iter().any(|s| s.is_empty()) {
            return Err(PatternError::InvalidPath(path.clone()));
        }
        let matchers = compile_condition(condition).map_err(in_field)?;
        node.insert_leaf(&segments, matchers)?;
    }
    if !filter.any_of.is_empty() {
        let alternatives = filter
            .any_of
            .iter()
            .map(compile_filter)
            .collect::<Result<Vec<_>, _>>()?;
        node.set_any_of(alternatives)?;
    }
    Ok(node)
}

fn compile_condition(condition: &Condition) -> Result<NonEmpty<Matcher>, PatternError> {
    match condition {
        Condition::Equals(value) => Ok(NonEmpty::one(Matcher::Exact(literal(value)))),
        Condition::OneOf(values) => exact_matchers(values),
        Condition::Operator(operator) => compile_operator(operator),
    }
}

fn compile_operator(operator: &Operator) -> Result<NonEmpty<Matcher>, PatternError> {
    let matcher = match single_operator(operator)? {
        Op::Equals(OneOrMany::One(value)) => Matcher::Exact(literal(value)),
        Op::Equals(OneOrMany::Many(values)) => return exact_matchers(values),
        Op::Prefix(prefix) => Matcher::Prefix(prefix.to_owned()),
        Op::Suffix(suffix) => Matcher::Suffix(suffix.to_owned()),
        Op::AnythingBut(argument) => Matcher::AnythingBut(anything_but(argument)?),
        Op::Numeric(range) => Matcher::Numeric(numeric(range)?),
        Op::Exists(exists) => Matcher::Exists(exists),
        Op::EqualsIgnoreCase(value) => Matcher::EqualsIgnoreCase(value.to_owned()),
        Op::Wildcard(pattern) => Matcher::Wildcard(Wildcard::new(pattern)?),
    };
    Ok(NonEmpty::one(matcher))
}

fn exact_matchers(values: &[Scalar]) -> Result<NonEmpty<Matcher>, PatternError> {
    let matchers = values.iter().map(|v| Matcher::Exact(literal(v))).collect();
    NonEmpty::new(matchers, "a list of values")
}

fn literal(value: &Scalar) -> Literal {
    match value {
        Scalar::Bool(b) => Literal::Bool(*b),
        Scalar::Number(n) => Literal::Number(n.clone()),
        Scalar::String(s) => Literal::String(s.clone()),
    }
}

fn anything_but(argument: &spec::AnythingBut) -> Result<AnythingBut, PatternError> {
    match argument {
        spec::AnythingBut::Values(OneOrMany::One(value)) => {
            AnythingBut::literals(&[literal(value)])
        }
        spec::AnythingBut::Values(OneOrMany::Many(values)) => {
            AnythingBut::literals(&values.iter().map(literal).collect::<Vec<_>>())
        }
        spec::AnythingBut::Affix(affix) => match (&affix.prefix, &affix.suffix) {
            (Some(prefix), None) => AnythingBut::prefix(prefix.as_str()),
            (None, Some(suffix)) => AnythingBut::suffix(suffix.as_str()),
            _ => Err(PatternError::AffixCount),
        },
    }
}

fn numeric(range: &spec::NumericRange) -> Result<NumericMatch, PatternError> {
    let bound = |value: Option<f64>, inclusive: bool| {
        value
            .map(|v| ComparableNumber::new(v).map(|value| Bound { value, inclusive }))
            .transpose()
    };
    let pick = |exclusive: Option<Bound>, inclusive: Option<Bound>, side: &'static str| match (
        exclusive, inclusive,
    ) {
        (Some(_), Some(_)) => Err(PatternError::DuplicateBound(side)),
        (bound, None) | (None, bound) => Ok(bound),
    };
    let lower = pick(bound(range.gt, false)?, bound(range.gte, true)?, "lower")?;
    let upper = pick(bound(range.lt, false)?, bound(range.lte, true)?, "upper")?;
    match range.eq {
        Some(_) if lower.is_some() || upper.is_some() => Err(PatternError::EqualsWithBounds),
        Some(eq) => Ok(NumericMatch::equals(ComparableNumber::new(eq)?)),
        None => NumericMatch::range(lower, upper),
    }
}

/// The one operator an [`Operator`] object sets, borrowed.
enum Op<'a> {
    Equals(&'a OneOrMany),
    Prefix(&'a str),
    Suffix(&'a str),
    AnythingBut(&'a spec::AnythingBut),
    Numeric(&'a spec::NumericRange),
    Exists(bool),
    EqualsIgnoreCase(&'a str),
    Wildcard(&'a str),
}

fn single_operator(operator: &Operator) -> Result<Op<'_>, PatternError> {
    let set = [
        operator.equals.as_ref().map(Op::Equals),
        operator.prefix.as_deref().map(Op::Prefix),
        operator.suffix.as_deref().map(Op::Suffix),
        operator.anything_but.as_ref().map(Op::AnythingBut),
        operator.numeric.as_ref().map(Op::Numeric),
        operator.exists.map(Op::Exists),
        operator
            .equals_ignore_case
            .as_deref()
            .map(Op::EqualsIgnoreCase),
        operator.wildcard.as_deref().map(Op::Wildcard),
    ];
    let count = set.iter().flatten().count();
    match set.into_iter().flatten().next() {
        Some(op) if count == 1 => Ok(op),
        _ => Err(PatternError::OperatorCount(count)),
    }
}

/// The kind of value a filtered field holds, as far as EventBridge matching cares. The
/// validator maps model types onto it; an array maps to the kind of its elements, since
/// EventBridge matches an array when any element matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldKind {
    /// Strings, including enums, dates, timestamps and uuids.
    String,
    /// Integers and numbers.
    Number,
    /// Booleans.
    Boolean,
    /// Decimals: strings on the wire whose text is not canonical (`"5"` and `"5.0"` are the
    /// same number), so only exact matches and presence make sense.
    Decimal,
    /// Records and maps: not a leaf, no operator applies.
    Other,
}

/// What a filter operator does, independent of its operand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperatorKind {
    /// `equals`: exact match of one or several values.
    Equals,
    /// `prefix`.
    Prefix,
    /// `suffix`.
    Suffix,
    /// `anything-but` with values.
    AnythingBut,
    /// `anything-but` with a prefix or suffix.
    AnythingButAffix,
    /// `numeric`.
    Numeric,
    /// `exists`.
    Exists,
    /// `equals-ignore-case`.
    EqualsIgnoreCase,
    /// `wildcard`.
    Wildcard,
}

impl OperatorKind {
    /// The operator as written in a spec.
    pub fn keyword(self) -> &'static str {
        match self {
            OperatorKind::Equals => "equals",
            OperatorKind::Prefix => "prefix",
            OperatorKind::Suffix => "suffix",
            OperatorKind::AnythingBut => "anything-but",
            OperatorKind::AnythingButAffix => "anything-but with a prefix or suffix",
            OperatorKind::Numeric => "numeric",
            OperatorKind::Exists => "exists",
            OperatorKind::EqualsIgnoreCase => "equals-ignore-case",
            OperatorKind::Wildcard => "wildcard",
        }
    }

    /// Whether the operator can match a field of `field` kind. Operators only apply to leaves:
    /// nothing fits [`FieldKind::Other`].
    pub fn fits(self, field: FieldKind) -> bool {
        use FieldKind as F;
        match self {
            OperatorKind::Equals | OperatorKind::Exists => {
                matches!(field, F::String | F::Number | F::Boolean | F::Decimal)
            }
            OperatorKind::AnythingBut => matches!(field, F::String | F::Number | F::Decimal),
            OperatorKind::Numeric => field == F::Number,
            OperatorKind::Prefix
            | OperatorKind::Suffix
            | OperatorKind::AnythingButAffix
            | OperatorKind::EqualsIgnoreCase
            | OperatorKind::Wildcard => field == F::String,
        }
    }
}

/// The kind of the one operator `operator` sets; an error when it sets none or several.
pub fn operator_kind(operator: &Operator) -> Result<OperatorKind, PatternError> {
    Ok(match single_operator(operator)? {
        Op::Equals(_) => OperatorKind::Equals,
        Op::Prefix(_) => OperatorKind::Prefix,
        Op::Suffix(_) => OperatorKind::Suffix,
        Op::AnythingBut(spec::AnythingBut::Values(_)) => OperatorKind::AnythingBut,
        Op::AnythingBut(spec::AnythingBut::Affix(_)) => OperatorKind::AnythingButAffix,
        Op::Numeric(_) => OperatorKind::Numeric,
        Op::Exists(_) => OperatorKind::Exists,
        Op::EqualsIgnoreCase(_) => OperatorKind::EqualsIgnoreCase,
        Op::Wildcard(_) => OperatorKind::Wildcard,
    })
}

/// The kind of a literal in a filter, to compare with the field it is matched against.
pub fn scalar_kind(value: &Scalar) -> FieldKind {
    match value {
        Scalar::Bool(_) => FieldKind::Boolean,
        Scalar::Number(_) => FieldKind::Number,
        Scalar::String(_) => FieldKind::String,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    /// Reads a filter as a spec file would write it.
    fn filter(value: Value) -> Filter {
        serde_json::from_value(value).expect("a filter")
    }

    fn compiled(value: Value) -> Result<Value, PatternError> {
        compile(Some(&filter(value)), "order", "order-placed", Some("shop")).map(|p| p.to_json())
    }

    /// The pattern for `order-placed` from `shop` with `entity` as `detail.order`.
    fn expected(entity: Value) -> Value {
        json!({
            "source": ["shop"],
            "detail-type": ["order-placed"],
            "detail": {"order": entity}
        })
    }

    #[test]
    fn no_filter_matches_on_envelope_fields_only() {
        let pattern = compile(None, "order", "order-placed", None).expect("pattern");
        assert_eq!(pattern.to_json(), json!({"detail-type": ["order-placed"]}));
        let empty = compile(
            Some(&Filter::default()),
            "order",
            "order-placed",
            Some("shop"),
        )
        .expect("pattern");
        assert_eq!(
            empty.to_json(),
            json!({"source": ["shop"], "detail-type": ["order-placed"]})
        );
    }

    #[test]
    fn scalars_and_lists_are_exact_matches() {
        assert_eq!(
            compiled(json!({"status": "placed", "total": 12.5, "gift": true})),
            Ok(expected(
                json!({"status": ["placed"], "total": [12.5], "gift": [true]})
            ))
        );
        assert_eq!(
            compiled(json!({"status": ["placed", "paid"]})),
            Ok(expected(json!({"status": ["placed", "paid"]})))
        );
        assert_eq!(
            compiled(json!({"status": {"equals": ["placed", "paid"]}})),
            Ok(expected(json!({"status": ["placed", "paid"]})))
        );
        assert_eq!(
            compiled(json!({"status": {"equals": "placed"}})),
            Ok(expected(json!({"status": ["placed"]})))
        );
    }

    #[test]
    fn nested_paths_become_nested_objects() {
        assert_eq!(
            compiled(json!({
                "customer.address.city": "Paris",
                "customer.address.country": "FR",
                "customer.vip": true
            })),
            Ok(expected(json!({
                "customer": {
                    "address": {"city": ["Paris"], "country": ["FR"]},
                    "vip": [true]
                }
            })))
        );
    }

    #[test]
    fn every_operator_compiles_to_its_eventbridge_form() {
        let cases = [
            (json!({"prefix": "ca-"}), json!([{"prefix": "ca-"}])),
            (json!({"suffix": ".png"}), json!([{"suffix": ".png"}])),
            (
                json!({"anything-but": "initializing"}),
                json!([{"anything-but": "initializing"}]),
            ),
            (
                json!({"anything-but": ["stopped", "overloaded"]}),
                json!([{"anything-but": ["stopped", "overloaded"]}]),
            ),
            (
                json!({"anything-but": [100, 200, 300]}),
                json!([{"anything-but": [100, 200, 300]}]),
            ),
            (
                json!({"anything-but": {"prefix": "init"}}),
                json!([{"anything-but": {"prefix": "init"}}]),
            ),
            (
                json!({"anything-but": {"suffix": ".txt"}}),
                json!([{"anything-but": {"suffix": ".txt"}}]),
            ),
            (
                json!({"numeric": {"gt": 0, "lte": 5}}),
                json!([{"numeric": [">", 0, "<=", 5]}]),
            ),
            (
                json!({"numeric": {"lt": 10}}),
                json!([{"numeric": ["<", 10]}]),
            ),
            (
                json!({"numeric": {"gte": 1.5}}),
                json!([{"numeric": [">=", 1.5]}]),
            ),
            (
                json!({"numeric": {"eq": 3}}),
                json!([{"numeric": ["=", 3]}]),
            ),
            (json!({"exists": true}), json!([{"exists": true}])),
            (json!({"exists": false}), json!([{"exists": false}])),
            (
                json!({"equals-ignore-case": "alice"}),
                json!([{"equals-ignore-case": "alice"}]),
            ),
            (
                json!({"wildcard": "dir/*.png"}),
                json!([{"wildcard": "dir/*.png"}]),
            ),
        ];
        for (operator, leaf) in cases {
            assert_eq!(
                compiled(json!({"f": operator.clone()})),
                Ok(expected(json!({"f": leaf}))),
                "operator {operator}"
            );
        }
    }

    #[test]
    fn any_of_becomes_or_inside_the_entity_object() {
        assert_eq!(
            compiled(json!({
                "status": "placed",
                "any-of": [
                    {"total": {"numeric": {"gt": 100}}},
                    {"customer.vip": true, "any-of": [{"a": 1}, {"b": 2}]}
                ]
            })),
            Ok(expected(json!({
                "status": ["placed"],
                "$or": [
                    {"total": [{"numeric": [">", 100]}]},
                    {
                        "customer": {"vip": [true]},
                        "$or": [{"a": [1]}, {"b": [2]}]
                    }
                ]
            })))
        );
    }

    #[test]
    fn invalid_filters_are_errors() {
        let field = |path: &str, source| {
            Err(PatternError::Field {
                path: path.into(),
                source: Box::new(source),
            })
        };
        assert_eq!(
            compiled(json!({"f": {"numeric": {"gt": 5, "lt": 1}}})),
            field(
                "f",
                PatternError::EmptyRange {
                    lower: 5.0,
                    upper: 1.0
                }
            )
        );
        assert_eq!(
            compiled(json!({"f": {"numeric": {"gt": 1, "gte": 2}}})),
            field("f", PatternError::DuplicateBound("lower"))
        );
        assert_eq!(
            compiled(json!({"f": {"numeric": {"eq": 1, "lt": 2}}})),
            field("f", PatternError::EqualsWithBounds)
        );
        assert_eq!(
            compiled(json!({"f": {"numeric": {"lt": 1e10}}})),
            field("f", PatternError::OutOfRange(1e10))
        );
        assert_eq!(
            compiled(json!({"f": {"anything-but": ["a", 1]}})),
            field("f", PatternError::AnythingButValues)
        );
        assert_eq!(
            compiled(json!({"f": {"anything-but": {"prefix": "a", "suffix": "b"}}})),
            field("f", PatternError::AffixCount)
        );
        assert_eq!(
            compiled(json!({"f": {"wildcard": "a**"}})),
            field(
                "f",
                PatternError::ConsecutiveWildcards {
                    pattern: "a**".into(),
                    position: 1
                }
            )
        );
        assert_eq!(
            compiled(json!({"f": []})),
            field("f", PatternError::Empty("a list of values"))
        );
        assert_eq!(
            compiled(json!({"a..b": 1})),
            Err(PatternError::InvalidPath("a..b".into()))
        );
        assert_eq!(
            compiled(json!({"a": 1, "a.b": 2})),
            Err(PatternError::PathConflict("a.b".into()))
        );
        assert_eq!(
            compiled(json!({"any-of": [{"a": 1}]})),
            Err(PatternError::TooFewAlternatives(1))
        );
        assert_eq!(
            compiled(json!({"any-of": [{"a": 1}, {"numeric": 2}]})),
            Err(PatternError::ReservedKeyInOr("numeric".into()))
        );
    }

    #[test]
    fn operator_objects_must_set_exactly_one_operator() {
        let none = Operator::default();
        assert_eq!(operator_kind(&none), Err(PatternError::OperatorCount(0)));
        let two = Operator {
            prefix: Some("a".into()),
            suffix: Some("b".into()),
            ..Operator::default()
        };
        assert_eq!(operator_kind(&two), Err(PatternError::OperatorCount(2)));
        let filter = Filter {
            fields: [("f".to_owned(), Condition::Operator(Box::new(two)))].into(),
            ..Filter::default()
        };
        assert!(matches!(
            compile(Some(&filter), "order", "order-placed", None),
            Err(PatternError::Field { .. })
        ));
    }

    #[test]
    fn operator_kinds_fit_field_kinds() {
        let kind = |value: Value| {
            operator_kind(&serde_json::from_value(value).expect("operator")).expect("one operator")
        };
        use FieldKind::*;
        let table = [
            (json!({"equals": 1}), [true, true, true, false]),
            (json!({"prefix": "a"}), [true, false, false, false]),
            (json!({"suffix": "a"}), [true, false, false, false]),
            (json!({"anything-but": "a"}), [true, true, false, false]),
            (
                json!({"anything-but": {"prefix": "a"}}),
                [true, false, false, false],
            ),
            (json!({"numeric": {"gt": 1}}), [false, true, false, false]),
            (json!({"exists": true}), [true, true, true, false]),
            (
                json!({"equals-ignore-case": "a"}),
                [true, false, false, false],
            ),
            (json!({"wildcard": "a*"}), [true, false, false, false]),
        ];
        for (operator, fits) in table {
            let k = kind(operator.clone());
            let actual = [String, Number, Boolean, Other].map(|f| k.fits(f));
            assert_eq!(actual, fits, "operator {operator}");
        }
        assert_eq!(scalar_kind(&Scalar::String("x".into())), String);
        assert_eq!(scalar_kind(&Scalar::Number(1.into())), Number);
        assert_eq!(scalar_kind(&Scalar::Bool(false)), Boolean);
    }

    #[test]
    fn paths_lists_every_field_read_including_alternatives() {
        let f = filter(json!({
            "status": "placed",
            "any-of": [{"customer.city": "Paris"}, {"total": 1, "any-of": [{"x": 1}, {"status": 2}]}]
        }));
        let expected: BTreeSet<std::string::String> = ["customer.city", "status", "total", "x"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(paths(&f), expected);
    }
}

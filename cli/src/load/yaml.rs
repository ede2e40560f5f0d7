//! YAML text -> JSON data plus the span of every node.
//!
//! Parsing uses saphyr (YAML 1.2, spans on every node, duplicate keys rejected, alias
//! expansion bounded against "billion laughs"). Events go to the tree builder one by one
//! with their nesting counted, so parsing stops at the first node deeper than [`MAX_DEPTH`]:
//! one pass, no deep tree is ever built, and the conversion below cannot exhaust the stack.

use saphyr::{MarkedYaml, Scalar, YamlData};
use saphyr_parser::{Event, Parser, Span as MarkerSpan, SpannedEventReceiver};
use serde_json::{Map, Number, Value};

use super::span::{LineIndex, NodeSpans, Span, SpanMap, child};

/// Deepest nesting of mappings and sequences a spec file may have. Real specs stay below 15.
pub const MAX_DEPTH: usize = 64;

/// Most nodes that anchors and aliases may expand into, across one file.
pub const MAX_ALIAS_NODES: usize = 10_000;

/// A file's data and where each node of it is.
#[derive(Debug)]
pub struct Document {
    /// The data, as JSON.
    pub value: Value,
    /// Spans by JSON pointer.
    pub spans: SpanMap,
}

/// Why a text is not a usable spec document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// What is wrong.
    pub message: String,
    /// Where.
    pub span: Span,
    /// The nesting limit was exceeded (as opposed to a syntax error).
    pub too_deep: bool,
}

/// Parses one YAML document.
pub fn parse(text: &str, lines: &LineIndex) -> Result<Document, YamlError> {
    let position =
        |mark: saphyr_parser::Marker| lines.position(text, mark.index(), mark.line(), mark.col());
    let at = |span: MarkerSpan| Span {
        start: position(span.start),
        end: position(span.end),
    };
    let error = |message: String, span: MarkerSpan| YamlError {
        message,
        span: at(span),
        too_deep: false,
    };
    let too_deep = |span: MarkerSpan| YamlError {
        too_deep: true,
        ..error(
            format!("the document nests deeper than {MAX_DEPTH} levels"),
            span,
        )
    };
    let mut loader = saphyr::YamlLoader::<MarkedYaml>::default();
    loader.alias_limit(MAX_ALIAS_NODES);
    // Events are fed one by one so parsing stops at the first node deeper than the limit:
    // the parser's own state grows with the nesting, so it must not read on.
    let mut depth = 0usize;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            let span = MarkerSpan::empty(*e.marker());
            // The parser's own limit on flow nesting.
            if e.info().contains("recursion limit") {
                too_deep(span)
            } else {
                error(scan_message(e.info()), span)
            }
        })?;
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(too_deep(span));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
            _ => {}
        }
        loader.on_event(event, span);
    }
    if let Some(e) = loader.error() {
        let mark = *e.marker();
        return Err(error(scan_message(e.info()), MarkerSpan::empty(mark)));
    }
    let mut documents = loader.into_documents();
    match documents.len() {
        0 => Err(error(
            "the file is empty; a spec file starts with `cqrsgen: 1`".into(),
            MarkerSpan::default(),
        )),
        1 => {
            let root = documents.remove(0);
            let mut spans = SpanMap::default();
            let value = convert(&root, String::new(), None, &mut spans, &at)?;
            Ok(Document { value, spans })
        }
        _ => Err(error(
            "the file holds several YAML documents (`---`); a spec file holds exactly one".into(),
            documents[1].span,
        )),
    }
}

fn scan_message(info: &str) -> String {
    if info.contains("alias expansion exceeded") {
        format!(
            "anchors and aliases expand into more than {MAX_ALIAS_NODES} nodes (possible \"billion laughs\" attack)"
        )
    } else {
        info.to_owned()
    }
}

/// Converts a node (already known to nest at most [`MAX_DEPTH`] levels) into JSON.
fn convert(
    node: &MarkedYaml<'_>,
    pointer: String,
    key: Option<Span>,
    spans: &mut SpanMap,
    at: &dyn Fn(MarkerSpan) -> Span,
) -> Result<Value, YamlError> {
    let here = at(node.span);
    let fail = |message: String| YamlError {
        message,
        span: here,
        too_deep: false,
    };
    let value = match &node.data {
        YamlData::Value(scalar) => scalar_value(scalar).map_err(fail)?,
        YamlData::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                out.push(convert(item, format!("{pointer}/{i}"), None, spans, at)?);
            }
            Value::Array(out)
        }
        YamlData::Mapping(entries) => {
            let mut out = Map::new();
            for (k, v) in entries {
                let key_span = at(k.span);
                let name = key_text(k).map_err(|message| YamlError {
                    message,
                    span: key_span,
                    too_deep: false,
                })?;
                let value = convert(v, child(&pointer, &name), Some(key_span), spans, at)?;
                out.insert(name, value);
            }
            Value::Object(out)
        }
        YamlData::Tagged(tag, inner) => {
            if !tag.is_yaml_core_schema() {
                return Err(fail(format!(
                    "unsupported YAML tag `{}{}`: spec files use plain YAML",
                    tag.handle, tag.suffix
                )));
            }
            return convert(inner, pointer, key, spans, at);
        }
        YamlData::BadValue | YamlData::Representation(..) | YamlData::Alias(_) => {
            return Err(fail("this value cannot be read as YAML data".into()));
        }
    };
    spans.insert(pointer, NodeSpans { key, value: here });
    Ok(value)
}

fn scalar_value(scalar: &Scalar<'_>) -> Result<Value, String> {
    Ok(match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(*b),
        Scalar::Integer(i) => Value::Number((*i).into()),
        Scalar::FloatingPoint(f) => Value::Number(
            Number::from_f64(f.into_inner())
                .ok_or_else(|| format!("`{}` is not a finite number", f.into_inner()))?,
        ),
        Scalar::String(s) => Value::String(s.to_string()),
    })
}

/// Mapping keys must be plain strings or numbers (numbers are read as their text).
fn key_text(key: &MarkedYaml<'_>) -> Result<String, String> {
    match &key.data {
        YamlData::Value(Scalar::String(s)) => Ok(s.to_string()),
        YamlData::Value(Scalar::Integer(i)) => Ok(i.to_string()),
        YamlData::Value(Scalar::Boolean(b)) => Err(format!(
            "`{b}` is not a valid key; quote it if a name is meant"
        )),
        YamlData::Value(Scalar::Null) => Err("a mapping key is empty (null)".into()),
        _ => Err("mapping keys must be plain strings".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Document, YamlError> {
        parse(text, &LineIndex::new(text))
    }

    #[test]
    fn records_key_and_value_spans() {
        let doc = parse_str("cqrsgen: 1\nevents:\n  order-placed:\n    entity: order\n").unwrap();
        assert_eq!(doc.value["events"]["order-placed"]["entity"], "order");
        let key = doc
            .spans
            .find("/events/order-placed", super::super::span::Part::Key)
            .unwrap();
        assert_eq!((key.start.line, key.start.column), (3, 3));
        let value = doc
            .spans
            .find(
                "/events/order-placed/entity",
                super::super::span::Part::Value,
            )
            .unwrap();
        assert_eq!((value.start.line, value.start.column), (4, 13));
    }

    #[test]
    fn yaml_1_1_booleans_are_strings() {
        let doc = parse_str("a: yes\nb: on\nc: true\n").unwrap();
        assert_eq!(doc.value["a"], "yes");
        assert_eq!(doc.value["b"], "on");
        assert_eq!(doc.value["c"], true);
    }

    #[test]
    fn rejects_duplicate_keys_with_a_location() {
        let err = parse_str("a: 1\na: 2\n").unwrap_err();
        assert_eq!(err.span.start.line, 2);
    }

    #[test]
    fn rejects_deep_nesting_without_overflowing() {
        let text = "[".repeat(10_000) + &"]".repeat(10_000);
        let err = parse_str(&text).unwrap_err();
        assert!(err.too_deep, "{err:?}");
        let text = "a:\n".to_owned()
            + &(1..100)
                .map(|i| format!("{}b:\n", " ".repeat(i)))
                .collect::<String>();
        assert!(parse_str(&text).unwrap_err().too_deep);
    }

    #[test]
    fn rejects_alias_bombs() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let err = parse_str(&text).unwrap_err();
        assert!(err.message.contains("billion laughs"), "{}", err.message);
    }

    #[test]
    fn rejects_empty_and_multi_document_files() {
        assert!(parse_str("").unwrap_err().message.contains("empty"));
        assert!(
            parse_str("# only a comment\n")
                .unwrap_err()
                .message
                .contains("empty")
        );
        assert!(
            parse_str("a: 1\n---\nb: 2\n")
                .unwrap_err()
                .message
                .contains("several")
        );
    }

    #[test]
    fn rejects_custom_tags_and_complex_keys() {
        assert!(
            parse_str("a: !Ref x\n")
                .unwrap_err()
                .message
                .contains("tag")
        );
        assert!(parse_str("? [a]\n: 1\n").is_err());
        assert!(parse_str("true: 1\n").is_err());
    }

    #[test]
    fn tabs_give_a_located_error() {
        let err = parse_str("a:\n\tb: 1\n").unwrap_err();
        assert_eq!(err.span.start.line, 2);
    }
}

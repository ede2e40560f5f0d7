//! YAML text -> JSON data plus the span of every node.
//!
//! Parsing uses saphyr (YAML 1.2, spans on every node, duplicate keys rejected, alias
//! expansion bounded against "billion laughs"). Events go to the tree builder one by one
//! with their nesting counted, so parsing stops at the first node deeper than [`MAX_DEPTH`]:
//! one pass, no deep tree is ever built, and the conversion below cannot exhaust the stack.
//!
//! Memory is bounded as well: the same pass stops at the node past [`MAX_NODES`], counts the
//! bytes each anchor holds and stops at the alias that would expand past [`MAX_ALIAS_BYTES`]
//! (before the loader copies it), and the conversion stops once the data and the paths that
//! locate it pass [`MAX_DATA_BYTES`].
//! The pass also notes plain scalars that YAML 1.1 tools read as booleans
//! ([`Document::yaml11_booleans`]).

use std::collections::BTreeSet;

use saphyr::{MarkedYaml, Scalar, YamlData};
use saphyr_parser::{Event, Parser, ScalarStyle, Span as MarkerSpan, SpannedEventReceiver};
use serde_json::{Map, Number, Value};

use super::MAX_FILE_BYTES;
use super::span::{LineIndex, NodeSpans, Span, SpanMap, child};
use crate::diagnostic::Code;

/// Deepest nesting of mappings and sequences a spec file may have. Real specs stay below 15.
pub const MAX_DEPTH: usize = 64;

/// Most nodes that anchors and aliases may expand into, across one file.
pub const MAX_ALIAS_NODES: usize = 10_000;

/// Most keys, values and items (nodes) one file may have, aliases counting one each. Real
/// spec files have a few thousand; the loaded tree takes a few hundred bytes per node.
pub const MAX_NODES: usize = 250_000;

/// Most bytes of scalar text (keys included) that aliases may expand into, across one file:
/// as much as a spec file may hold.
pub const MAX_ALIAS_BYTES: usize = MAX_FILE_BYTES as usize;

/// Most bytes one file's data may take once converted: the text of its keys and scalars
/// (aliases expanded) plus the JSON pointer of every node, which repeats the keys above it.
/// Four times the file size limit.
pub const MAX_DATA_BYTES: usize = 4 * MAX_FILE_BYTES as usize;

/// A file's data and where each node of it is.
#[derive(Debug)]
pub struct Document {
    /// The data, as JSON.
    pub value: Value,
    /// Spans by JSON pointer.
    pub spans: SpanMap,
    /// Plain (unquoted) keys and values that YAML 1.1 reads as booleans, in document order,
    /// each once.
    pub yaml11_booleans: Vec<Yaml11Boolean>,
}

/// A plain scalar such as `on` or `NO`: a string in YAML 1.2 (and to cqrsgen), a boolean
/// to YAML 1.1 tools.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Yaml11Boolean {
    /// The scalar as written.
    pub text: String,
    /// The boolean YAML 1.1 reads.
    pub value: bool,
    /// Whether the scalar is a mapping key.
    pub key: bool,
    /// Where it is.
    pub span: Span,
    /// The JSON pointer of its node (of the entry, for a key).
    pub pointer: String,
}

/// The boolean YAML 1.1 reads a plain scalar as, for the words YAML 1.2 reads as strings:
/// `y`, `yes`, `on`, `n`, `no` and `off`, in any case.
pub fn yaml11_boolean(text: &str) -> Option<bool> {
    if text.len() > 3 {
        return None;
    }
    match text.to_ascii_lowercase().as_str() {
        "y" | "yes" | "on" => Some(true),
        "n" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// Why a text is not a usable spec document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// What is wrong.
    pub message: String,
    /// Where.
    pub span: Span,
    /// The finding's code: [`Code::Yaml`] for syntax, [`Code::TooDeep`] and
    /// [`Code::TooLarge`] for the limits.
    pub code: Code,
    /// What to do about it, for the limits.
    pub help: Option<&'static str>,
}

impl YamlError {
    /// A limit was passed: `code` with `help`.
    fn limit(self, code: Code, help: &'static str) -> Self {
        YamlError {
            code,
            help: Some(help),
            ..self
        }
    }
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
        code: Code::Yaml,
        help: None,
    };
    let too_deep = |span: MarkerSpan| {
        error(
            format!("the document nests deeper than {MAX_DEPTH} levels"),
            span,
        )
        .limit(
            Code::TooDeep,
            "flatten the structure; use shared `types` for nested records",
        )
    };
    let mut loader = saphyr::YamlLoader::<MarkedYaml>::default();
    loader.alias_limit(MAX_ALIAS_NODES);
    // Events are fed one by one so parsing stops at the first node deeper than the limit:
    // the parser's own state grows with the nesting, so it must not read on.
    let mut depth = 0usize;
    let mut nodes = 0usize;
    let mut expansion = Expansion::default();
    let mut yaml11 = BTreeSet::new();
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
        if matches!(
            event,
            Event::SequenceStart(..)
                | Event::MappingStart(..)
                | Event::Scalar(..)
                | Event::Alias(_)
        ) {
            nodes += 1;
            if nodes > MAX_NODES {
                return Err(error(
                    format!("the file has more than {MAX_NODES} keys, values and items"),
                    span,
                )
                .limit(
                    Code::TooLarge,
                    "split the spec into several files with `include`",
                ));
            }
        }
        match &event {
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(too_deep(span));
                }
                expansion.open(*anchor);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                depth = depth.saturating_sub(1);
                expansion.close();
            }
            Event::Scalar(value, style, anchor, tag) => {
                expansion.scalar(value.len(), *anchor);
                if *style == ScalarStyle::Plain && tag.is_none() && yaml11_boolean(value).is_some()
                {
                    yaml11.insert(span.start.index());
                }
            }
            // Counted before the loader copies the anchor's nodes.
            Event::Alias(anchor) => {
                let within_budget = expansion.alias(*anchor);
                if !within_budget {
                    return Err(error(
                        format!(
                            "anchors and aliases expand into more than {MAX_ALIAS_BYTES} bytes of text"
                        ),
                        span,
                    )
                    .limit(
                        Code::TooLarge,
                        "each alias is a full copy of what its anchor names: alias small nodes only",
                    ));
                }
            }
            _ => {}
        }
        loader.on_event(event, span);
        // The loader ignores the events after its first error: stop reading there.
        if loader.error().is_some() {
            break;
        }
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
            let mut converter = Converter {
                at: &at,
                spans: SpanMap::default(),
                yaml11,
                yaml11_booleans: Vec::new(),
                budget: MAX_DATA_BYTES,
            };
            let value = converter.convert(&root, String::new(), None)?;
            Ok(Document {
                value,
                spans: converter.spans,
                yaml11_booleans: converter.yaml11_booleans,
            })
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

/// The bytes of scalar text each anchor holds, counted from the parser's events, and the
/// bytes aliases have expanded into so far.
#[derive(Debug, Default)]
struct Expansion {
    /// The collections being read: their anchor (0 for none) and the bytes they hold so far.
    open: Vec<(usize, usize)>,
    /// Bytes held by each anchor, by anchor id (ids start at 1).
    anchors: Vec<usize>,
    /// Bytes produced by aliases so far.
    expanded: usize,
}

impl Expansion {
    fn open(&mut self, anchor: usize) {
        self.open.push((anchor, 0));
    }

    fn close(&mut self) {
        if let Some((anchor, bytes)) = self.open.pop() {
            self.node(anchor, bytes);
        }
    }

    fn scalar(&mut self, bytes: usize, anchor: usize) {
        self.node(anchor, bytes);
    }

    /// Counts an alias; `false` when it takes the expansion past [`MAX_ALIAS_BYTES`].
    fn alias(&mut self, anchor: usize) -> bool {
        let bytes = self.anchors.get(anchor).copied().unwrap_or(0);
        self.expanded = self.expanded.saturating_add(bytes);
        self.node(0, bytes);
        self.expanded <= MAX_ALIAS_BYTES
    }

    /// A complete node of `bytes` bytes: counted in its parent, and recorded for its anchor.
    fn node(&mut self, anchor: usize, bytes: usize) {
        if anchor > 0 {
            if self.anchors.len() <= anchor {
                self.anchors.resize(anchor + 1, 0);
            }
            self.anchors[anchor] = bytes;
        }
        if let Some((_, parent)) = self.open.last_mut() {
            *parent = parent.saturating_add(bytes);
        }
    }
}

/// Converts the loaded tree into JSON, recording spans and YAML 1.1 booleans, within
/// [`MAX_DATA_BYTES`].
struct Converter<'a> {
    at: &'a dyn Fn(MarkerSpan) -> Span,
    spans: SpanMap,
    /// Character indices of the plain scalars YAML 1.1 reads as booleans, not reported yet.
    yaml11: BTreeSet<usize>,
    yaml11_booleans: Vec<Yaml11Boolean>,
    /// Bytes left of [`MAX_DATA_BYTES`].
    budget: usize,
}

impl Converter<'_> {
    /// Converts a node (already known to nest at most [`MAX_DEPTH`] levels) into JSON.
    fn convert(
        &mut self,
        node: &MarkedYaml<'_>,
        pointer: String,
        key: Option<Span>,
    ) -> Result<Value, YamlError> {
        let here = (self.at)(node.span);
        let fail = |message: String| YamlError {
            message,
            span: here,
            code: Code::Yaml,
            help: None,
        };
        self.charge(pointer.len(), here)?;
        let value = match &node.data {
            YamlData::Value(scalar) => {
                if let Scalar::String(s) = scalar {
                    self.charge(s.len(), here)?;
                    self.note_yaml11(node, s, false, &pointer);
                }
                scalar_value(scalar).map_err(fail)?
            }
            YamlData::Sequence(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    out.push(self.convert(item, format!("{pointer}/{i}"), None)?);
                }
                Value::Array(out)
            }
            YamlData::Mapping(entries) => {
                let mut out = Map::new();
                for (k, v) in entries {
                    let key_span = (self.at)(k.span);
                    let name = key_text(k).map_err(|message| YamlError {
                        message,
                        span: key_span,
                        code: Code::Yaml,
                        help: None,
                    })?;
                    self.charge(name.len(), key_span)?;
                    let entry = child(&pointer, &name);
                    self.note_yaml11(k, &name, true, &entry);
                    let value = self.convert(v, entry, Some(key_span))?;
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
                return self.convert(inner, pointer, key);
            }
            YamlData::BadValue | YamlData::Representation(..) | YamlData::Alias(_) => {
                return Err(fail("this value cannot be read as YAML data".into()));
            }
        };
        self.spans.insert(pointer, NodeSpans { key, value: here });
        Ok(value)
    }

    /// Takes `bytes` from the budget; fails at `span` once it is spent.
    fn charge(&mut self, bytes: usize, span: Span) -> Result<(), YamlError> {
        self.budget = self.budget.checked_sub(bytes).ok_or_else(|| YamlError {
            message: format!(
                "the file's data takes more than {MAX_DATA_BYTES} bytes: its keys and values \
                 with aliases expanded, and the path of every node (which repeats the keys \
                 above it)"
            ),
            span,
            code: Code::TooLarge,
            help: Some("keep keys short, and split the spec into several files with `include`"),
        })?;
        Ok(())
    }

    /// Records `node` when it is a plain scalar YAML 1.1 reads as a boolean, the first time
    /// it is met (an alias of a mapping holding it meets it again).
    fn note_yaml11(&mut self, node: &MarkedYaml<'_>, text: &str, key: bool, pointer: &str) {
        let Some(value) = yaml11_boolean(text) else {
            return;
        };
        if self.yaml11.remove(&node.span.start.index()) {
            self.yaml11_booleans.push(Yaml11Boolean {
                text: text.to_owned(),
                value,
                key,
                span: (self.at)(node.span),
                pointer: pointer.to_owned(),
            });
        }
    }
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
        assert_eq!(err.code, Code::TooDeep, "{err:?}");
        let text = "a:\n".to_owned()
            + &(1..100)
                .map(|i| format!("{}b:\n", " ".repeat(i)))
                .collect::<String>();
        assert_eq!(parse_str(&text).unwrap_err().code, Code::TooDeep);
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
    fn aliases_expand_into_at_most_max_alias_bytes() {
        let big = "x".repeat(MAX_ALIAS_BYTES / 4 + 1);
        assert!(parse_str(&format!("a: &a {big}\nb: [*a, *a, *a]\n")).is_ok());
        let err = parse_str(&format!("a: &a {big}\nb: [*a, *a, *a, *a]\n")).unwrap_err();
        assert_eq!(err.code, Code::TooLarge, "{err:?}");
        assert_eq!((err.span.start.line, err.span.start.column), (2, 17));
        // Keys count, and a mapping counts what it holds.
        let entry = format!("{{{big}: {big}}}");
        let err = parse_str(&format!("a: &a {entry}\nb: [*a, *a]\n")).unwrap_err();
        assert_eq!((err.code, err.span.start.column), (Code::TooLarge, 9));
    }

    #[test]
    fn anchors_count_what_their_own_aliases_expand_into() {
        // `b` holds 64 KiB through 64 aliases of `a`; 128 aliases of `b` pass 8 MiB with
        // fewer than MAX_ALIAS_NODES nodes, at the last one.
        let text = format!(
            "a: &a {}\nb: &b [{}]\nc: [{}]\n",
            "x".repeat(1024),
            ["*a"; 64].join(", "),
            ["*b"; 128].join(", ")
        );
        let err = parse_str(&text).unwrap_err();
        assert_eq!(err.code, Code::TooLarge, "{err:?}");
        assert_eq!(err.span.start.line, 3);
        assert_eq!(
            err.span.start.column,
            text.lines().nth(2).unwrap().len() - 2
        );
    }

    #[test]
    fn nodes_are_bounded() {
        let items = |n: usize| format!("a: [{}]\n", vec!["0"; n].join(","));
        // The mapping, its key, the sequence and its items.
        assert!(parse_str(&items(MAX_NODES - 3)).is_ok());
        let err = parse_str(&items(MAX_NODES - 2)).unwrap_err();
        assert_eq!(err.code, Code::TooLarge, "{err:?}");
        assert_eq!(err.span.start.column, 2 * (MAX_NODES - 2) + 3);
    }

    #[test]
    fn data_and_the_paths_to_it_are_bounded() {
        // Every node below a 1 MiB key has a 1 MiB pointer: 40 of them pass 32 MiB.
        let mut text = format!("? {}\n:\n", "k".repeat(1 << 20));
        for i in 0..40 {
            text += &format!("  a{i}: 1\n");
        }
        let err = parse_str(&text).unwrap_err();
        assert_eq!(err.code, Code::TooLarge, "{err:?}");
        assert!(err.message.contains("more than 33554432 bytes"), "{err:?}");
        assert!((25..40).contains(&(err.span.start.line - 3)), "{err:?}");
    }

    #[test]
    fn yaml_1_1_booleans_are_noted_once_where_written() {
        let doc = parse_str(
            "on: 1\nb: [yes, 'no', \"off\", NO, !!str y, true, Yes-no, Y]\nc: &c {n: Off}\nd: *c\n",
        )
        .unwrap();
        let found: Vec<String> = doc
            .yaml11_booleans
            .iter()
            .map(|w| {
                let (line, column) = (w.span.start.line, w.span.start.column);
                let kind = if w.key { "key" } else { "value" };
                format!(
                    "{} {} {kind} {} {line}:{column}",
                    w.text, w.value, w.pointer
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                "on true key /on 1:1",
                "yes true value /b/0 2:5",
                "NO false value /b/3 2:23",
                "Y true value /b/7 2:50",
                "n false key /c/n 3:8",
                "Off false value /c/n 3:11",
            ]
        );
    }

    #[test]
    fn yaml_1_1_words_are_only_short_plain_words() {
        for word in [
            "y", "Y", "yes", "YES", "yEs", "on", "ON", "n", "no", "No", "off", "oFF",
        ] {
            assert!(yaml11_boolean(word).is_some(), "{word}");
        }
        for word in ["true", "false", "yess", "o", "", "nö", "noo", "offf"] {
            assert_eq!(yaml11_boolean(word), None, "{word}");
        }
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

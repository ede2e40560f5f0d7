//! Positions in source text: converting parser markers (character based) into byte offsets
//! and 1-based line/column positions, and remembering where every node of a file is.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diagnostic::{Location, Position};

/// Every how many characters [`LineIndex`] records a byte offset in a non-ASCII text.
const CHAR_STEP: usize = 64;

/// Start-of-line byte offsets of a text, and the byte offset of every [`CHAR_STEP`]-th
/// character, for turning the YAML parser's character positions into byte offsets in
/// constant time however long the lines are.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    /// Byte offset of character `i * CHAR_STEP`; empty for an ASCII text (bytes are
    /// characters).
    char_steps: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let char_steps = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .step_by(CHAR_STEP)
                .map(|(i, _)| i)
                .collect()
        };
        LineIndex {
            line_starts,
            char_steps,
        }
    }

    /// The position of the character at `index` (0-based, counted in characters from the
    /// start of the text), which is at `column` (0-based, in characters) on `line`
    /// (1-based), as the YAML parser reports positions. Out-of-range values are clamped to
    /// the text.
    pub fn position(&self, text: &str, index: usize, line: usize, column: usize) -> Position {
        Position {
            line: line.clamp(1, self.line_starts.len()),
            column: column + 1,
            offset: self.char_offset(text, index),
        }
    }

    /// The byte offset of character `index` (the text's length past its end).
    fn char_offset(&self, text: &str, index: usize) -> usize {
        if self.char_steps.is_empty() {
            return index.min(text.len());
        }
        let Some(&step) = self.char_steps.get(index / CHAR_STEP) else {
            return text.len();
        };
        text[step..]
            .char_indices()
            .nth(index % CHAR_STEP)
            .map_or(text.len(), |(i, _)| step + i)
    }

    /// The position of a byte offset (clamped to the text and to a character boundary).
    pub fn position_of_offset(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        Position {
            line,
            column: text[start..offset].chars().count() + 1,
            offset,
        }
    }
}

/// A start and end position in one file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Span {
    /// Start (inclusive).
    pub start: Position,
    /// End (exclusive).
    pub end: Position,
}

impl Span {
    /// The empty span at the start of a file (line 1, column 1), for findings about a
    /// whole file.
    pub fn file_start() -> Self {
        let start = Position {
            line: 1,
            column: 1,
            offset: 0,
        };
        Span { start, end: start }
    }
}

/// Where a node of a file's data is: the span of its key (for mapping entries) and of its
/// value, by RFC 6901 JSON pointer.
#[derive(Debug, Clone, Default)]
pub struct SpanMap {
    nodes: BTreeMap<String, NodeSpans>,
}

/// The spans of one node.
#[derive(Debug, Clone, Copy, Default)]
pub struct NodeSpans {
    /// The key's span, for mapping entries.
    pub key: Option<Span>,
    /// The value's span.
    pub value: Span,
}

/// Which part of a mapping entry a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The key (for unknown or misplaced keys, names being defined).
    Key,
    /// The value.
    Value,
}

impl SpanMap {
    /// Records the spans of the node at `pointer`.
    pub fn insert(&mut self, pointer: String, spans: NodeSpans) {
        self.nodes.insert(pointer, spans);
    }

    /// The span of the node at `pointer`, or of its nearest recorded ancestor when the node
    /// itself is not in the file (a default value, say).
    pub fn find(&self, pointer: &str, part: Part) -> Option<Span> {
        let mut pointer = pointer;
        loop {
            if let Some(node) = self.nodes.get(pointer) {
                return Some(match part {
                    Part::Key => node.key.unwrap_or(node.value),
                    Part::Value => node.value,
                });
            }
            if pointer.is_empty() {
                return None;
            }
            pointer = pointer.rfind('/').map_or("", |i| &pointer[..i]);
        }
    }

    /// A location in `file` for the node at `pointer`.
    pub fn locate(&self, file: &std::path::Path, pointer: &str, part: Part) -> Location {
        let span = self.find(pointer, part).unwrap_or_default();
        Location {
            file: PathBuf::from(file),
            start: span.start,
            end: span.end,
            pointer: pointer.to_owned(),
        }
    }
}

/// Escapes one reference token of an RFC 6901 JSON pointer.
pub fn escape_token(token: &str) -> String {
    let mut escaped = String::with_capacity(token.len());
    push_escaped(&mut escaped, token);
    escaped
}

/// Appends a reference token to a JSON pointer. Called for every node of every spec and
/// scenario file, so it builds the string in one allocation.
pub fn child(pointer: &str, token: &str) -> String {
    let mut path = String::with_capacity(pointer.len() + 1 + token.len());
    path.push_str(pointer);
    path.push('/');
    push_escaped(&mut path, token);
    path
}

/// Pushes `token` with `~` written as `~0` and `/` as `~1`.
fn push_escaped(out: &mut String, token: &str) {
    let mut rest = token;
    while let Some(at) = rest.find(['~', '/']) {
        out.push_str(&rest[..at]);
        out.push_str(if rest.as_bytes()[at] == b'~' {
            "~0"
        } else {
            "~1"
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_tokens_are_escaped_as_rfc_6901_says() {
        assert_eq!(escape_token("a~b/c"), "a~0b~1c");
        assert_eq!(escape_token("~1"), "~01");
        assert_eq!(escape_token("plain"), "plain");
        assert_eq!(child("/events", "x/y~"), "/events/x~1y~0");
        assert_eq!(child("", "é/"), "/é~1");
    }

    #[test]
    fn positions_count_characters_but_offsets_count_bytes() {
        let text = "a: é\nbé: x\n";
        let index = LineIndex::new(text);
        let p = index.position(text, 9, 2, 4);
        assert_eq!((p.line, p.column), (2, 5));
        assert_eq!(&text[p.offset..p.offset + 1], "x");
        let q = index.position_of_offset(text, p.offset);
        assert_eq!(q, p);
        assert_eq!(index.position(text, 99, 9, 0).offset, text.len());
    }

    #[test]
    fn offsets_of_characters_far_along_a_long_line() {
        for text in [
            "x".repeat(100_000) + "é: y\n",
            "é".repeat(100_000) + "é: y\n",
        ] {
            let index = LineIndex::new(&text);
            let characters = text.chars().count();
            for i in [0, 1, 63, 64, 65, 99_999, 100_000, 100_003, characters] {
                let expected = text.char_indices().nth(i).map_or(text.len(), |(b, _)| b);
                assert_eq!(index.position(&text, i, 1, i).offset, expected, "{i}");
            }
        }
    }

    #[test]
    fn lookups_fall_back_to_the_nearest_ancestor() {
        let mut map = SpanMap::default();
        let span = |line| Span {
            start: Position {
                line,
                column: 1,
                offset: 0,
            },
            end: Position {
                line,
                column: 2,
                offset: 1,
            },
        };
        map.insert(
            String::new(),
            NodeSpans {
                key: None,
                value: span(1),
            },
        );
        map.insert(
            "/events".into(),
            NodeSpans {
                key: Some(span(2)),
                value: span(3),
            },
        );
        assert_eq!(map.find("/events/x/y", Part::Value), Some(span(3)));
        assert_eq!(map.find("/events", Part::Key), Some(span(2)));
        assert_eq!(map.find("/other", Part::Key), Some(span(1)));
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(child("/a", "b/c~d"), "/a/b~1c~0d");
    }
}

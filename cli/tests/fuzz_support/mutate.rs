//! Mutations of seed projects: bytes (flips, insertions, deletions, interesting bytes),
//! splices of lines from another seed, and YAML-aware edits (deleting, duplicating, swapping
//! and re-indenting lines, replacing values and keys with words from the seeds).

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::Files;
use super::rng::Rng;

/// Bytes that mean something to YAML or to cqrsgen.
const INTERESTING: &[u8] = b":-[]{},\"'#&*!|>%@?\n \t\\\0\xff.$~";

/// Values that stress the loader and the validator.
const VALUES: &[&str] = &[
    "",
    "~",
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1e400",
    ".inf",
    ".nan",
    "-0",
    "2147483648",
    "9223372036854775808",
    "1.5",
    "\"\"",
    "[]",
    "{}",
    "[a, b]",
    "{a: b}",
    "uuid",
    "string?",
    "string[]",
    "decimal",
    "integer",
    "timestamp",
    "enum",
    "record",
    "map",
    "array",
    "self",
    "Self",
    "type",
    "events",
    "hub",
    "runtime",
    "lib",
    "main",
    "types",
    "envelope",
    "key",
    "\"\\u202e\"",
    "\"a\\rb\"",
    "insert",
    "modify",
    "remove",
    "soft-delete",
    "undelete",
    "delete",
    "$timestamp",
    "$version",
    "$id",
    "{const: 1}",
    "{const: \"x\"}",
    "{hook: h}",
    "{upsert: {}}",
    "*a",
    "&a x",
    "!!str x",
    "<<: *a",
];

/// A mutation strategy for a run: the seeds and the words found in them.
pub struct Mutator {
    seeds: Vec<Files>,
    words: Vec<String>,
}

impl Mutator {
    /// A mutator over `seeds`.
    pub fn new(seeds: Vec<Files>) -> Self {
        let mut words = BTreeSet::new();
        for files in &seeds {
            for (_, contents) in files {
                let text = String::from_utf8_lossy(contents);
                for word in text
                    .split(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '$' | '.')))
                {
                    if !word.is_empty() && word.len() <= 80 {
                        words.insert(word.to_owned());
                    }
                }
            }
        }
        words.extend(VALUES.iter().map(|v| (*v).to_owned()));
        Mutator {
            seeds,
            words: words.into_iter().collect(),
        }
    }

    /// A new input: a seed with a few mutations (mostly one or two, up to eight).
    pub fn next(&self, rng: &mut Rng) -> Files {
        let mut files = rng.pick(&self.seeds).clone();
        let rounds = if rng.one_in(4) {
            1 + rng.below(8)
        } else {
            1 + rng.below(2)
        };
        for _ in 0..rounds {
            let index = rng.below(files.len());
            let other = rng.pick(&self.seeds);
            let donor = &other[rng.below(other.len())].1;
            let contents = &mut files[index].1;
            self.mutate(rng, contents, donor);
        }
        if rng.one_in(50) {
            // A file the manifest may include, or not.
            files.push((
                PathBuf::from(format!("extra{}.yaml", rng.below(3))),
                rng.pick(&self.seeds)[0].1.clone(),
            ));
        }
        files
    }

    fn mutate(&self, rng: &mut Rng, text: &mut Vec<u8>, donor: &[u8]) {
        match rng.below(20) {
            0 => flip_bit(rng, text),
            1 => {
                let at = rng.below(text.len() + 1);
                text.insert(at, *rng.pick(INTERESTING));
            }
            2 => {
                if !text.is_empty() {
                    let at = rng.below(text.len());
                    let len = 1 + rng.below(8.min(text.len() - at));
                    text.drain(at..at + len);
                }
            }
            3 | 4 => splice(rng, text, donor),
            5 | 6 => self.lines(rng, text, LineEdit::Delete),
            7 => self.lines(rng, text, LineEdit::Duplicate),
            8 => self.lines(rng, text, LineEdit::Swap),
            9 => self.lines(rng, text, LineEdit::Indent),
            10..=14 => self.replace_value(rng, text),
            15..=18 => self.replace_word(rng, text),
            _ => self.lines(rng, text, LineEdit::Move),
        }
    }

    /// Replaces what follows a `key: ` on a random line with a word or value.
    fn replace_value(&self, rng: &mut Rng, text: &mut Vec<u8>) {
        let mut lines = split_lines(text);
        if lines.is_empty() {
            return;
        }
        let index = rng.below(lines.len());
        let line = String::from_utf8_lossy(&lines[index]).into_owned();
        let Some(colon) = line.find(": ") else {
            return;
        };
        let value = if rng.one_in(2) {
            rng.pick(VALUES).to_string()
        } else {
            rng.pick(&self.words).clone()
        };
        lines[index] = format!("{}{value}\n", &line[..colon + 2]).into_bytes();
        *text = lines.concat();
    }

    /// Replaces one occurrence of a word with another word of the seeds.
    fn replace_word(&self, rng: &mut Rng, text: &mut Vec<u8>) {
        let source = String::from_utf8_lossy(text).into_owned();
        let spans: Vec<(usize, usize)> = word_spans(&source);
        if spans.is_empty() {
            return;
        }
        let (start, end) = *rng.pick(&spans);
        let word = rng.pick(&self.words);
        let mut out = String::with_capacity(source.len());
        out.push_str(&source[..start]);
        out.push_str(word);
        out.push_str(&source[end..]);
        *text = out.into_bytes();
    }

    fn lines(&self, rng: &mut Rng, text: &mut Vec<u8>, edit: LineEdit) {
        let mut lines = split_lines(text);
        if lines.is_empty() {
            return;
        }
        let a = rng.below(lines.len());
        let b = rng.below(lines.len());
        match edit {
            LineEdit::Delete => {
                lines.remove(a);
            }
            LineEdit::Duplicate => {
                let line = lines[a].clone();
                lines.insert(b, line);
            }
            LineEdit::Swap => lines.swap(a, b),
            LineEdit::Move => {
                let line = lines.remove(a);
                let b = b.min(lines.len());
                lines.insert(b, line);
            }
            LineEdit::Indent => {
                if rng.one_in(2) {
                    lines[a].splice(0..0, *b"  ");
                } else if lines[a].starts_with(b"  ") {
                    lines[a].drain(..2);
                }
            }
        }
        *text = lines.concat();
    }
}

enum LineEdit {
    Delete,
    Duplicate,
    Swap,
    Move,
    Indent,
}

fn flip_bit(rng: &mut Rng, text: &mut [u8]) {
    if !text.is_empty() {
        let at = rng.below(text.len());
        text[at] ^= 1 << rng.below(8);
    }
}

/// Inserts a run of lines of `donor` at a line boundary of `text`.
fn splice(rng: &mut Rng, text: &mut Vec<u8>, donor: &[u8]) {
    let donor = split_lines(donor);
    if donor.is_empty() {
        return;
    }
    let start = rng.below(donor.len());
    let len = 1 + rng.below(12.min(donor.len() - start));
    let mut lines = split_lines(text);
    let at = rng.below(lines.len() + 1);
    let piece: Vec<Vec<u8>> = donor[start..start + len].to_vec();
    lines.splice(at..at, piece);
    *text = lines.concat();
}

/// The lines of `text`, each with its line break.
fn split_lines(text: &[u8]) -> Vec<Vec<u8>> {
    text.split_inclusive(|b| *b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

/// Byte ranges of words (letters, digits, `-`, `_`).
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let word = c.is_alphanumeric() || c == '-' || c == '_';
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

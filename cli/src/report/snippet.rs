//! The part of a spec file a human report shows around a finding, bounded in size.
//!
//! miette draws a snippet from the whole text it is given, and pads with format widths that
//! panic past 65,535 columns. A [`Snippet`] hands it only the lines around the finding
//! instead (with their real line numbers), cuts lines longer than [`MAX_LINE_CHARS`] around
//! the finding's column with `...` where text is left out, and shows a span of more than
//! [`MAX_SPAN_LINES`] lines on its first line only. Whatever the file, a snippet stays a
//! few lines of at most a few hundred bytes each.

use std::ops::Range;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Longest line shown whole, in characters.
pub(super) const MAX_LINE_CHARS: usize = 120;

/// Characters kept of a cut line.
const KEEP_CHARS: usize = 100;

/// Characters kept before the finding's column on a cut line.
const KEEP_BEFORE: usize = 40;

/// Most lines a finding's span may cover; a longer span is shown on its first line only.
pub(super) const MAX_SPAN_LINES: usize = 20;

/// Lines of context kept before and after the span: more than the renderer shows, so it
/// finds every line it wants.
const CONTEXT_LINES: usize = 2;

/// Marks text left out of a cut line.
const ELLIPSIS: &str = "...";

/// A few lines of a file, as the renderer reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Snippet {
    /// Shown as the source's name.
    name: String,
    /// The lines, cut.
    text: String,
    /// 0-based line number of the first line of `text` in the file.
    first_line: usize,
}

impl Snippet {
    /// The lines of `text` around the byte range `span` (which lies inside `text`, on
    /// character boundaries), and where `span` is in them.
    pub(super) fn new(name: String, text: &str, span: Range<usize>) -> (Snippet, Range<usize>) {
        let start = span.start.min(text.len());
        let mut end = span.end.clamp(start, text.len());
        if text[start..end].matches('\n').count() >= MAX_SPAN_LINES {
            end = line_end(text, start);
        }
        // Whole lines: `CONTEXT_LINES` before the span's first line, after its last one.
        let mut from = line_start(text, start);
        let mut skipped = 0;
        while skipped < CONTEXT_LINES && from > 0 {
            from = line_start(text, from - 1);
            skipped += 1;
        }
        let first_line = text[..from].matches('\n').count();
        let mut to = line_end(text, end);
        for _ in 0..CONTEXT_LINES {
            if to < text.len() {
                to = line_end(text, to + 1);
            }
        }
        let mut out = String::new();
        let mut mapped = (None, None);
        let mut line_from = from;
        loop {
            let line_to = line_end(text, line_from);
            let line = cut(&text[line_from..line_to], start.checked_sub(line_from));
            for (offset, slot) in [(start, &mut mapped.0), (end, &mut mapped.1)] {
                if slot.is_none() && (line_from..=line_to).contains(&offset) {
                    *slot = Some(out.len() + line.map(offset - line_from));
                }
            }
            out += &line.text;
            if line_to >= to {
                break;
            }
            out.push('\n');
            line_from = line_to + 1;
        }
        let span_start = mapped.0.unwrap_or(0);
        let span_end = mapped.1.unwrap_or(span_start).max(span_start);
        let snippet = Snippet {
            name,
            text: out,
            first_line,
        };
        (snippet, span_start..span_end)
    }
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            *contents.span(),
            contents.line() + self.first_line,
            contents.column(),
            contents.line_count(),
        )))
    }
}

/// The byte offset where the line holding `offset` starts.
fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// The byte offset of the newline ending the line holding `offset` (or the text's end).
fn line_end(text: &str, offset: usize) -> usize {
    text[offset..].find('\n').map_or(text.len(), |i| offset + i)
}

/// One line as shown: whole, or cut to [`KEEP_CHARS`] characters.
struct Line {
    text: String,
    /// Byte range of the line that `text` keeps.
    kept: Range<usize>,
    /// Bytes of `text` before the kept part (an ellipsis, or nothing).
    prefix: usize,
}

impl Line {
    /// Where byte `offset` of the original line is in `text` (clamped to the kept part).
    fn map(&self, offset: usize) -> usize {
        self.prefix + offset.clamp(self.kept.start, self.kept.end) - self.kept.start
    }
}

/// `line` (without its newline) whole when it is short, else cut around byte `focus` (the
/// finding's start, when on this line) or from its start.
fn cut(line: &str, focus: Option<usize>) -> Line {
    let whole = || Line {
        text: line.to_owned(),
        kept: 0..line.len(),
        prefix: 0,
    };
    if line.len() <= MAX_LINE_CHARS {
        return whole();
    }
    let chars = line.chars().count();
    if chars <= MAX_LINE_CHARS {
        return whole();
    }
    let column = focus
        .filter(|&f| f <= line.len())
        .map_or(0, |f| line[..f].chars().count());
    let mut from = column.saturating_sub(KEEP_BEFORE);
    let to = (from + KEEP_CHARS).min(chars);
    from = from.min(to.saturating_sub(KEEP_CHARS));
    let byte = |char_index: usize| {
        line.char_indices()
            .nth(char_index)
            .map_or(line.len(), |(i, _)| i)
    };
    let kept = byte(from)..byte(to);
    let mut text = String::new();
    if from > 0 {
        text += ELLIPSIS;
    }
    let prefix = text.len();
    text += &line[kept.clone()];
    if to < chars {
        text += ELLIPSIS;
    }
    Line { text, kept, prefix }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snippet(text: &str, needle: &str) -> (String, usize, String) {
        let start = text.find(needle).expect("needle in text");
        let (snippet, span) = Snippet::new("f".into(), text, start..start + needle.len());
        let marked = snippet.text[span].to_owned();
        (snippet.text, snippet.first_line, marked)
    }

    #[test]
    fn short_lines_are_kept_whole_with_their_context() {
        let text = "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\n";
        let (shown, first, marked) = snippet(text, "4");
        assert_eq!(shown, "b: 2\nc: 3\nd: 4\ne: 5\nf: 6");
        assert_eq!(first, 1);
        assert_eq!(marked, "4");
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let line = format!(
            "{{a: [{}], unknwn: 1, b: [{}]}}",
            "1, ".repeat(40_000),
            "2, ".repeat(40_000)
        );
        let text = format!("# before\n{line}\n# after\n");
        let (shown, first, marked) = snippet(&text, "unknwn");
        assert_eq!(marked, "unknwn");
        assert_eq!(first, 0);
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines[0], "# before");
        assert_eq!(lines[2], "# after");
        assert!(
            lines[1].starts_with("...") && lines[1].ends_with("..."),
            "{}",
            lines[1]
        );
        assert!(lines[1].chars().count() <= KEEP_CHARS + 2 * ELLIPSIS.len());
        assert_eq!(lines[1].find("unknwn"), Some(ELLIPSIS.len() + KEEP_BEFORE));
    }

    #[test]
    fn a_span_at_the_end_of_a_long_line_keeps_the_text_before_it() {
        let text = format!("{}x", "y".repeat(200));
        let (shown, _, marked) = snippet(&text, "x");
        assert_eq!(marked, "x");
        assert_eq!(shown, format!("...{}x", "y".repeat(KEEP_CHARS - 1)));
    }

    #[test]
    fn long_spans_are_cut_at_the_cut_lines_end() {
        let text = format!("k: {}\n", "v".repeat(1000));
        let (shown, _, marked) = snippet(&text, &"v".repeat(1000));
        assert_eq!(shown, format!("k: {}...\n", "v".repeat(KEEP_CHARS - 3)));
        assert_eq!(marked, "v".repeat(KEEP_CHARS - 3));
    }

    #[test]
    fn long_lines_of_context_are_cut_from_their_start() {
        let long = "é".repeat(500);
        let text = format!("{long}\nkey: 1\n{long}\n");
        let (shown, _, marked) = snippet(&text, "key");
        assert_eq!(marked, "key");
        let cut = format!("{}...", "é".repeat(KEEP_CHARS));
        assert_eq!(shown, format!("{cut}\nkey: 1\n{cut}\n"));
    }

    #[test]
    fn spans_of_many_lines_are_shown_on_their_first_line() {
        let text: String = (0..100).map(|i| format!("line{i}\n")).collect();
        let start = text.find("line10").expect("in text");
        let end = text.find("line90").expect("in text");
        let (snippet, span) = Snippet::new("f".into(), &text, start..end);
        assert_eq!(&snippet.text[span], "line10");
        assert_eq!(snippet.first_line, 8);
        assert_eq!(snippet.text, "line8\nline9\nline10\nline11\nline12");
    }

    #[test]
    fn the_renderer_sees_real_line_numbers() {
        let text: String = (1..=50).map(|i| format!("line{i}\n")).collect();
        let start = text.find("line40").expect("in text");
        let (snippet, span) = Snippet::new("f".into(), &text, start..start + 6);
        let contents = snippet
            .read_span(&(span.start, span.len()).into(), 1, 1)
            .expect("readable");
        assert_eq!(contents.line(), 38);
        assert_eq!(contents.name(), Some("f"));
    }
}

//! Compiler-style reports for people, drawn by miette. Snippets show a few lines around
//! each finding, cut when long ([`Snippet`]), and texts are bounded, so a report's size does
//! not grow with the spec's lines or names.

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, Report};

use crate::diagnostic::{Diagnostic, Severity};

use super::snippet::Snippet;
use super::{Sources, Summary, display_path, snippet_source};

/// Fixed width, so output does not depend on the terminal.
const WIDTH: usize = 100;

/// Longest message, label or help shown, in characters.
const MAX_TEXT_CHARS: usize = 1_000;

/// One report per finding, a blank line between them, then the summary line.
pub(super) fn render(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::none()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(WIDTH)
        .with_links(false)
        // miette would print the span start with a byte column; the source name carries
        // our character column instead.
        .without_primary_span_start();
    let mut out = String::new();
    for diagnostic in diagnostics {
        out += &render_one(&handler, diagnostic, sources);
        out.push('\n');
    }
    out += &Summary::of(diagnostics).to_string();
    out.push('\n');
    out
}

/// One finding: with a snippet when its source is known, else with its position in the
/// message.
fn render_one(
    handler: &GraphicalReportHandler,
    diagnostic: &Diagnostic,
    sources: &Sources,
) -> String {
    let base = to_miette(diagnostic);
    let report = match &diagnostic.location {
        None => Report::new(base),
        Some(location) => {
            let name = format!(
                "{}:{}:{}",
                display_path(&location.file),
                location.start.line,
                location.start.column
            );
            match snippet_source(sources, location) {
                Some(text) => {
                    let span = location.start.offset..location.end.offset;
                    let (snippet, span) = Snippet::new(name, text, span);
                    let label = diagnostic.label.as_deref().map(bounded);
                    let label = LabeledSpan::new_primary_with_span(label, span);
                    Report::new(base.with_label(label)).with_source_code(snippet)
                }
                None => Report::new(MietteDiagnostic {
                    message: format!("{} (at {name})", base.message),
                    ..base
                }),
            }
        }
    };
    let mut out = String::new();
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        // miette fails when it cannot read a span, which `snippet_source` rules out;
        // should it fail anyway, the finding is still printed.
        out = format!(
            "{}[{}]: {}\n",
            diagnostic.severity, diagnostic.code, diagnostic.message
        );
    }
    out
}

/// The finding without its location: `error[E012]` header, message and help.
fn to_miette(diagnostic: &Diagnostic) -> MietteDiagnostic {
    let severity = match diagnostic.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
    };
    let mut report = MietteDiagnostic::new(bounded(&diagnostic.message))
        .with_code(format!("{}[{}]", diagnostic.severity, diagnostic.code))
        .with_severity(severity);
    if let Some(help) = &diagnostic.help {
        report = report.with_help(bounded(help));
    }
    report
}

/// `text`, cut to [`MAX_TEXT_CHARS`] characters with `...` after: messages quote names from
/// the spec, which may be of any length.
fn bounded(text: &str) -> String {
    match text.char_indices().nth(MAX_TEXT_CHARS) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;

    #[test]
    fn renders_snippets_help_and_summary() {
        let out = render(&fixture::diagnostics(), &fixture::sources(), false);
        insta::assert_snapshot!(out);
    }

    #[test]
    fn no_color_output_is_plain_ascii_text() {
        let out = render(&fixture::diagnostics(), &fixture::sources(), false);
        assert!(!out.contains('\u{1b}'), "{out}");
        // The only non-ASCII characters are the fixture's own umlauts.
        assert!(
            out.chars().all(|c| c.is_ascii() || "äü".contains(c)),
            "{out}"
        );
    }

    #[test]
    fn unknown_source_puts_the_position_in_the_message() {
        let out = render(&fixture::diagnostics()[2..], &Sources::new(), false);
        insta::assert_snapshot!(out);
    }

    #[test]
    fn no_findings() {
        assert_eq!(render(&[], &Sources::new(), false), "no problems found\n");
    }

    /// A finding far along a one-line spec (YAML flow style), past column 65,535.
    fn far_along_one_line() -> (Vec<Diagnostic>, Sources) {
        let text = format!(
            "{{cqrsgen: 1, events: {{e: {{fields: {{{}}}, ownr: x}}}}}}\n",
            (0..10_000)
                .map(|i| format!("f{i}: string"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let start = text.find("ownr").expect("in the text");
        let position = |offset: usize| crate::diagnostic::Position {
            line: 1,
            column: offset + 1,
            offset,
        };
        let location = crate::diagnostic::Location {
            file: "cqrsgen.yaml".into(),
            start: position(start),
            end: position(start + 4),
            pointer: "/events/e/ownr".into(),
        };
        assert!(location.start.column > 65_535);
        let diagnostic = Diagnostic::new(crate::diagnostic::Code::Schema, "unknown key `ownr`")
            .at(Some(location))
            .with_label("not part of the format here");
        let mut sources = Sources::new();
        sources.insert("cqrsgen.yaml", text);
        (vec![diagnostic], sources)
    }

    #[test]
    fn long_lines_are_cut_around_the_finding() {
        let (diagnostics, sources) = far_along_one_line();
        for color in [false, true] {
            let out = render(&diagnostics, &sources, color);
            assert!(out.len() < 2_000, "{} bytes:\n{out}", out.len());
        }
        let out = render(&diagnostics, &sources, false);
        // The caret is under the key.
        let line = out
            .lines()
            .find(|l| l.contains("ownr: x"))
            .expect("the key is shown");
        let carets = out.lines().find(|l| l.contains('^')).expect("a caret line");
        assert_eq!(line.find("ownr"), carets.find('^'), "{out}");
        insta::assert_snapshot!(out);
    }

    #[test]
    fn long_texts_are_cut() {
        let name = "x".repeat(100_000);
        let diagnostic = Diagnostic::new(
            crate::diagnostic::Code::Schema,
            format!("unknown key `{name}`"),
        )
        .with_help(format!("did you mean `{name}`?"));
        let out = render(&[diagnostic], &Sources::new(), false);
        assert!(out.len() < 3 * MAX_TEXT_CHARS, "{} bytes", out.len());
        assert!(out.contains("xxx..."), "{out}");
    }

    #[test]
    fn color_uses_ansi_styles() {
        let out = render(&fixture::diagnostics(), &fixture::sources(), true);
        assert!(out.contains('\u{1b}'));
    }
}

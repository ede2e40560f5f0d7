//! Compiler-style reports for people, drawn by miette.

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, Report,
};

use crate::diagnostic::{Diagnostic, Severity};

use super::{Sources, Summary, display_path, snippet_source};

/// Fixed width, so output does not depend on the terminal.
const WIDTH: usize = 100;

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
                    let label = LabeledSpan::new_primary_with_span(diagnostic.label.clone(), span);
                    Report::new(base.with_label(label))
                        .with_source_code(NamedSource::new(name, text.clone()))
                }
                None => Report::new(MietteDiagnostic {
                    message: format!("{} (at {name})", diagnostic.message),
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
    let mut report = MietteDiagnostic::new(diagnostic.message.clone())
        .with_code(format!("{}[{}]", diagnostic.severity, diagnostic.code))
        .with_severity(severity);
    if let Some(help) = &diagnostic.help {
        report = report.with_help(help.clone());
    }
    report
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

    #[test]
    fn color_uses_ansi_styles() {
        let out = render(&fixture::diagnostics(), &fixture::sources(), true);
        assert!(out.contains('\u{1b}'));
    }
}

//! Renders a list of [`Diagnostic`]s for people and for tools.
//!
//! Four formats, one entry point ([`render`]):
//! - [`Format::Human`]: compiler-style reports with source snippets (miette).
//! - [`Format::Json`]: a stable, versioned JSON document (see `docs/diagnostics.md`).
//! - [`Format::Sarif`]: SARIF 2.1.0, for code-scanning services.
//! - [`Format::Github`]: GitHub Actions workflow commands, which annotate pull requests.
//!
//! Renderers print findings in the order given; sort them first with
//! [`crate::diagnostic::sort`].

pub(crate) mod github;
mod human;
mod json;
mod sarif;
mod snippet;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Location, Severity};

/// The text of each spec file, so reports can show the offending lines.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: BTreeMap<PathBuf, Arc<str>>,
}

impl Sources {
    /// No files.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the text of `path`, keyed as [`Location::file`] names it.
    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<Arc<str>>) {
        self.files.insert(path.into(), text.into());
    }

    /// The text of `path`, when known.
    pub fn get(&self, path: &Path) -> Option<&Arc<str>> {
        self.files.get(path)
    }
}

/// An output format for diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Compiler-style reports with source snippets, for people.
    Human,
    /// A stable JSON document, for scripts.
    Json,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
    /// GitHub Actions workflow commands, to annotate pull requests.
    Github,
}

/// Settings that affect how diagnostics are rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    /// Use colors and unicode drawing characters ([`Format::Human`] only).
    pub color: bool,
    /// The tool version written into SARIF output.
    pub tool_version: String,
}

impl Default for RenderOptions {
    /// No color, this crate's version.
    fn default() -> Self {
        RenderOptions {
            color: false,
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }
}

/// Renders `diagnostics` in `format`. The result ends with a newline unless it is empty
/// (GitHub output of no findings).
pub fn render(
    format: Format,
    diagnostics: &[Diagnostic],
    sources: &Sources,
    options: &RenderOptions,
) -> String {
    match format {
        Format::Human => human::render(diagnostics, sources, options.color),
        Format::Json => json::render(diagnostics),
        Format::Sarif => sarif::render(diagnostics, &options.tool_version),
        Format::Github => github::render(diagnostics),
    }
}

/// How many errors and warnings a list of findings holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
}

impl Summary {
    /// Counts the findings by severity.
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        diagnostics
            .iter()
            .fold(Summary::default(), |mut summary, d| {
                match d.severity {
                    Severity::Error => summary.errors += 1,
                    Severity::Warning => summary.warnings += 1,
                }
                summary
            })
    }
}

impl fmt::Display for Summary {
    /// `2 errors, 1 warning`, `1 error`, `3 warnings` or `no problems found`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn count(n: usize, noun: &str) -> Option<String> {
            match n {
                0 => None,
                1 => Some(format!("1 {noun}")),
                n => Some(format!("{n} {noun}s")),
            }
        }
        let parts: Vec<String> = [count(self.errors, "error"), count(self.warnings, "warning")]
            .into_iter()
            .flatten()
            .collect();
        if parts.is_empty() {
            f.write_str("no problems found")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

/// A path as shown in every report: with forward slashes, whatever the platform.
pub(crate) fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The message followed, when there is one, by a `help:` line: for formats that have a
/// single text field.
fn message_with_help(diagnostic: &Diagnostic) -> Cow<'_, str> {
    match &diagnostic.help {
        Some(help) => Cow::Owned(format!("{}\nhelp: {help}", diagnostic.message)),
        None => Cow::Borrowed(&diagnostic.message),
    }
}

/// `location`'s text in `sources`, when the source is known and the location's byte
/// offsets fall on character boundaries inside it.
fn snippet_source<'a>(sources: &'a Sources, location: &Location) -> Option<&'a Arc<str>> {
    sources.get(&location.file).filter(|text| {
        text.get(location.start.offset..location.end.offset)
            .is_some()
    })
}

/// Pretty JSON with a trailing newline.
pub(crate) fn to_json_pretty(value: &impl Serialize) -> String {
    // Our report types have string keys and no fallible `Serialize` impls.
    let mut out = serde_json::to_string_pretty(value).expect("report types serialize to JSON");
    out.push('\n');
    out
}

#[cfg(test)]
pub(crate) mod fixture;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn summary_counts_and_words() {
        let cases = [
            (0, 0, "no problems found"),
            (1, 0, "1 error"),
            (2, 0, "2 errors"),
            (0, 1, "1 warning"),
            (0, 3, "3 warnings"),
            (2, 1, "2 errors, 1 warning"),
            (1, 2, "1 error, 2 warnings"),
        ];
        for (errors, warnings, expected) in cases {
            assert_eq!(Summary { errors, warnings }.to_string(), expected);
        }
        assert_eq!(
            Summary::of(&fixture::diagnostics()),
            Summary {
                errors: 2,
                warnings: 1
            }
        );
    }

    #[test]
    fn paths_use_forward_slashes() {
        assert_eq!(
            display_path(Path::new(r"specs\orders.yaml")),
            "specs/orders.yaml"
        );
    }

    #[test]
    fn snippets_need_offsets_on_char_boundaries() {
        let mut sources = Sources::new();
        sources.insert("a.yaml", "ü: 1\n");
        let location = |start, end| Location {
            file: "a.yaml".into(),
            start: crate::diagnostic::Position {
                line: 1,
                column: 1,
                offset: start,
            },
            end: crate::diagnostic::Position {
                line: 1,
                column: 2,
                offset: end,
            },
            pointer: String::new(),
        };
        assert!(snippet_source(&sources, &location(0, 2)).is_some());
        assert!(snippet_source(&sources, &location(0, 1)).is_none());
        assert!(snippet_source(&sources, &location(2, 99)).is_none());
        let mut elsewhere = location(0, 2);
        elsewhere.file = "b.yaml".into();
        assert!(snippet_source(&sources, &elsewhere).is_none());
    }

    /// The code table in `docs/diagnostics.md`, generated from [`Code::ALL`].
    fn codes_table() -> String {
        let mut table =
            String::from("| Code | Severity | Meaning |\n|------|----------|---------|\n");
        for code in Code::ALL {
            table += &format!("| {code} | {} | {} |\n", code.severity(), code.summary());
        }
        table
    }

    #[test]
    fn docs_list_every_code() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/diagnostics.md");
        let docs = std::fs::read_to_string(&path).expect("docs/diagnostics.md is readable");
        assert!(
            docs.contains(&codes_table()),
            "{} is out of date; its code table must read:\n\n{}",
            path.display(),
            codes_table()
        );
    }
}

//! A diff report and its output formats: human text, a stable JSON document, SARIF, GitHub
//! annotations and Markdown for a pull-request comment.

mod github;
mod human;
mod json;
mod markdown;
mod sarif;

use std::fmt;

use serde::Serialize;

use super::change::{Allowance, Change};
use super::code::Class;
use crate::diagnostic::Location;
use crate::load::Project;
use crate::load::span::Part;

/// An output format for a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// Text for people.
    Human,
    /// A stable JSON document, for scripts (see `docs/diff.md`).
    Json,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
    /// GitHub Actions workflow commands, to annotate pull requests.
    Github,
    /// Markdown, for a pull-request comment.
    Markdown,
}

/// A change and where it is in the head spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The change.
    pub change: Change,
    /// Its place in the head spec, when it still has one.
    pub location: Option<Location>,
}

/// Every change against one base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The base as the user named it (a revision or a directory).
    pub base: String,
    /// The changes, in [`crate::diff::compare`]'s order.
    pub entries: Vec<Entry>,
}

impl Report {
    /// Places each change in the head project's files.
    pub fn new(base: impl Into<String>, changes: Vec<Change>, head: &Project) -> Self {
        let entries = changes
            .into_iter()
            .map(|change| {
                let location = change.at.as_ref().and_then(|origin| {
                    head.files
                        .get(origin.file)
                        .map(|f| f.locate(&origin.pointer, Part::Key))
                });
                Entry { change, location }
            })
            .collect();
        Report {
            base: base.into(),
            entries,
        }
    }

    /// Counts by class.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        for entry in &self.entries {
            let change = &entry.change;
            match change.class() {
                Class::Breaking if change.fails() => summary.breaking += 1,
                Class::Breaking => summary.allowed += 1,
                Class::Compatible => summary.compatible += 1,
                Class::Informational => summary.informational += 1,
            }
        }
        summary
    }

    /// Whether a breaking change is not allowed.
    pub fn fails(&self) -> bool {
        self.summary().breaking > 0
    }

    /// The report in `format`, ending with a newline unless empty.
    pub fn render(&self, format: DiffFormat, tool_version: &str) -> String {
        match format {
            DiffFormat::Human => human::render(self),
            DiffFormat::Json => json::render(self),
            DiffFormat::Sarif => sarif::render(self, tool_version),
            DiffFormat::Github => github::render(self),
            DiffFormat::Markdown => markdown::render(self),
        }
    }
}

/// How many changes of each kind a report holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Breaking changes nothing allows: the run fails.
    pub breaking: usize,
    /// Breaking changes allowed by `--allow`, an acknowledgement or a new version.
    pub allowed: usize,
    /// Compatible changes.
    pub compatible: usize,
    /// Informational changes.
    pub informational: usize,
}

impl fmt::Display for Summary {
    /// `1 breaking, 1 allowed, 2 compatible, 0 informational` or `no changes`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Summary::default() {
            return f.write_str("no changes");
        }
        write!(
            f,
            "{} breaking, {} allowed, {} compatible, {} informational",
            self.breaking, self.allowed, self.compatible, self.informational
        )
    }
}

/// The word a report uses for a change's standing: `breaking`, `allowed`, `compatible` or
/// `info`.
fn standing(change: &Change) -> &'static str {
    match change.class() {
        Class::Breaking if change.fails() => "breaking",
        Class::Breaking => "allowed",
        Class::Compatible => "compatible",
        Class::Informational => "info",
    }
}

/// Why an allowed change is allowed, in words.
fn allowance_text(allowance: &Allowance) -> String {
    match allowance {
        Allowance::Flag => "allowed by --allow".into(),
        Allowance::Acknowledged(reason) => format!("acknowledged: {reason}"),
        Allowance::Versioned { kept, current } => {
            format!("v{kept} stays live next to v{current}")
        }
    }
}

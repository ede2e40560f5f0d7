//! `cqrsgen diff`: the changes since a base spec, classified per consumer.

use std::io::Write;

use super::{DiffArgs, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, usage_error};
use crate::diagnostic::Diagnostic;
use crate::diff::render::{DiffFormat, Report};
use crate::diff::{ChangeCode, source};
use crate::ir::System;
use crate::load::Project;
use crate::report::{self, Format, RenderOptions, Sources};

/// Loads both specs, prints the report, returns the exit code.
pub fn run(args: &DiffArgs) -> u8 {
    let head = match crate::load::load(&args.path) {
        Ok(project) => project,
        Err(e) => return usage_error(e),
    };
    let outcome = crate::validate::validate(&head);
    let Some(system) = outcome.ir else {
        eprintln!("error: the spec does not validate; fix it before comparing");
        eprint!("{}", human(&head, &outcome.diagnostics));
        return EXIT_FINDINGS;
    };
    match compare(&args.against, &head, &system, &args.allow) {
        Ok(report) => {
            print(&report.render(args.format, env!("CARGO_PKG_VERSION")));
            if report.fails() {
                EXIT_FINDINGS
            } else {
                EXIT_OK
            }
        }
        Err(code) => code,
    }
}

/// The report of `head` against `base`, with `allow` and the head's acknowledgements applied.
/// Errors are printed; the `Err` holds the exit code.
pub(super) fn compare(
    base: &str,
    head: &Project,
    system: &System,
    allow: &[ChangeCode],
) -> Result<Report, u8> {
    let base_project = source::load_base(base, &head.root).map_err(usage_error)?;
    let outcome = crate::validate::validate(&base_project);
    let Some(base_system) = outcome.ir else {
        eprintln!("error: the spec at base `{base}` does not validate with this cqrsgen");
        eprint!("{}", human(&base_project, &outcome.diagnostics));
        return Err(EXIT_USAGE);
    };
    let mut changes = crate::diff::compare(&base_system, system);
    crate::diff::allow(&mut changes, allow, &system.acknowledge);
    Ok(Report::new(base, changes, head))
}

/// Validation findings as human text, without color.
pub(super) fn human(project: &Project, diagnostics: &[Diagnostic]) -> String {
    let mut sources = Sources::new();
    for file in &project.files {
        sources.insert(file.path.clone(), file.text.clone());
    }
    report::render(
        Format::Human,
        diagnostics,
        &sources,
        &RenderOptions::default(),
    )
}

/// Parses a `--allow` value: a known change code.
pub(super) fn parse_code(text: &str) -> Result<ChangeCode, String> {
    ChangeCode::parse(text)
        .ok_or_else(|| format!("`{text}` is not a change code (B001...B012, see docs/diff.md)"))
}

/// Writes to stdout; a closed pipe is not worth a panic.
pub(super) fn print(text: &str) {
    let _ = std::io::stdout().write_all(text.as_bytes());
}

/// The validation format a diff format goes with (Markdown embeds human text).
pub(super) fn validation_format(format: DiffFormat) -> Format {
    match format {
        DiffFormat::Human | DiffFormat::Markdown => Format::Human,
        DiffFormat::Json => Format::Json,
        DiffFormat::Sarif => Format::Sarif,
        DiffFormat::Github => Format::Github,
    }
}

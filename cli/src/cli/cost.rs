//! `cqrsgen cost`: the monthly estimate of a system on AWS.

use std::io::Write;

use super::{CostArgs, EXIT_FINDINGS, EXIT_OK, sources, usage_error};
use crate::cost::{self, render::CostFormat};
use crate::diagnostic::Diagnostic;
use crate::report::{self, Format, RenderOptions, Sources};

/// Validates the project, reads the volumes file and the prices, prints the estimate;
/// returns the exit code.
pub fn run(args: &CostArgs) -> u8 {
    let project = match crate::load::load(&args.path) {
        Ok(project) => project,
        Err(e) => return usage_error(e),
    };
    let outcome = crate::validate::validate(&project);
    let Some(system) = outcome.ir else {
        let sources = sources(&project.files);
        print(&findings(args, &sources, &outcome.diagnostics), args.format);
        return EXIT_FINDINGS;
    };
    let volumes = args
        .volumes
        .clone()
        .unwrap_or_else(|| cost::default_volumes(&project.root));
    if args.volumes.is_none() && !volumes.is_file() {
        return usage_error(format!(
            "no volumes file: `{}` does not exist; pass --volumes FILE (the format: docs/cost.md)",
            volumes.display()
        ));
    }
    let run = match cost::run(&system, &volumes, args.prices.as_deref(), args.free_tier) {
        Ok(run) => run,
        Err(e) => return usage_error(e),
    };
    let mut diagnostics = outcome.diagnostics;
    diagnostics.extend(run.diagnostics.iter().cloned());
    let sources = sources(project.files.iter().chain(&run.files));
    let found = findings(args, &sources, &diagnostics);
    let Some(estimate) = &run.estimate else {
        print(&found, args.format);
        return EXIT_FINDINGS;
    };
    let text = match args.format {
        CostFormat::Human => cost::render::human(estimate),
        CostFormat::Markdown => cost::render::markdown(estimate),
        CostFormat::Json => {
            cost::render::json(estimate, serde_json::from_str(&found).unwrap_or_default())
        }
    };
    if args.format != CostFormat::Json && !diagnostics.is_empty() {
        print(&found, args.format);
    }
    // A closed pipe is not worth a panic; there is no one left to tell.
    let _ = std::io::stdout().write_all(text.as_bytes());
    EXIT_OK
}

/// The findings as the JSON document with `--format json`, otherwise as human text.
fn findings(args: &CostArgs, sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    let format = match args.format {
        CostFormat::Json => Format::Json,
        CostFormat::Human | CostFormat::Markdown => Format::Human,
    };
    let options = RenderOptions {
        color: args.color.on_stderr(),
        ..RenderOptions::default()
    };
    report::render(format, diagnostics, sources, &options)
}

/// Prints findings: the JSON document to stdout, human text to stderr.
fn print(text: &str, format: CostFormat) {
    // A closed pipe is not worth a panic; there is no one left to tell.
    let _ = match format {
        CostFormat::Json => std::io::stdout().write_all(text.as_bytes()),
        CostFormat::Human | CostFormat::Markdown => std::io::stderr().write_all(text.as_bytes()),
    };
}

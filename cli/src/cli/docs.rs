//! `cqrsgen docs`.

use super::{DocsArgs, EXIT_FINDINGS, EXIT_OK, emit_report, print_findings, sources, usage_error};
use crate::catalog;
use crate::write::{self, WriteOptions};

/// Validates the project, then writes its catalog (or, with `--check`, compares it with
/// what is on disk); returns the exit code. Nothing is written when the spec or the
/// project's volumes file (`volumes.yaml`, which adds the cost estimate) has errors.
pub fn run(args: &DocsArgs) -> u8 {
    let project = match crate::load::load(&args.path) {
        Ok(project) => project,
        Err(e) => return usage_error(e),
    };
    let outcome = crate::validate::validate(&project);
    if !outcome.diagnostics.is_empty() {
        emit_report(&args.report, &project, &outcome.diagnostics);
    }
    let Some(system) = outcome.ir else {
        return EXIT_FINDINGS;
    };
    // The project's volumes file, when it has one, adds the cost estimate; its errors stop
    // the catalog like the spec's.
    let cost = match crate::cost::for_docs(&project.root, &system) {
        Ok(cost) => cost,
        Err(e) => return usage_error(e),
    };
    if let Some(run) = &cost {
        if !run.diagnostics.is_empty() {
            let sources = sources(project.files.iter().chain(&run.files));
            print_findings(&args.report, &sources, &run.diagnostics);
        }
        if run.estimate.is_none() {
            return EXIT_FINDINGS;
        }
    }
    let estimate = cost.as_ref().and_then(|run| run.estimate.as_ref());
    let files = match catalog::generate(&system, estimate) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_FINDINGS;
        }
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| project.root.join(catalog::DEFAULT_OUT));
    if args.check {
        return match write::check(&out, &files, WriteOptions::default()) {
            Ok(report) if report.is_clean() => {
                eprintln!("docs in {} are up to date", out.display());
                EXIT_OK
            }
            Ok(report) => {
                print!("{}", report.render());
                eprintln!(
                    "error: docs in {} are out of date; run `cqrsgen docs` to update them",
                    out.display()
                );
                EXIT_FINDINGS
            }
            Err(e) => usage_error(e),
        };
    }
    match write::write(&out, &files, WriteOptions::default()) {
        Ok(report) => {
            eprintln!("docs written to {}: {report}", out.display());
            EXIT_OK
        }
        Err(e) => usage_error(e),
    }
}

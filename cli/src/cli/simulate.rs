//! `cqrsgen simulate`: run a scenario against the spec.

use std::io::Write as _;

use super::{
    EXIT_FINDINGS, EXIT_OK, ReportArgs, SimulateArgs, SimulateFormat, emit_report, print_findings,
    sources, usage_error,
};
use crate::diagnostic::Diagnostic;
use crate::load::SourceFile;
use crate::report::Format;
use crate::simulate::render::{self, Assertion, Report};

/// Validates the project, checks and runs the scenario, prints the trace and the views;
/// returns the exit code.
pub fn run(args: &SimulateArgs) -> u8 {
    let report_args = ReportArgs {
        format: match args.format {
            SimulateFormat::Human => Format::Human,
            SimulateFormat::Json => Format::Json,
        },
        color: args.color,
    };
    let project = match crate::load::load(&args.path) {
        Ok(project) => project,
        Err(e) => return usage_error(e),
    };
    let outcome = crate::validate::validate(&project);
    if outcome.errors() > 0 {
        emit_report(&report_args, &project, &outcome.diagnostics);
    }
    let Some(system) = outcome.ir else {
        return EXIT_FINDINGS;
    };
    let (file, scenario, findings) = match crate::simulate::load(&system, &args.scenario) {
        Ok(loaded) => loaded,
        Err(e) => {
            return usage_error(format!(
                "cannot read the scenario `{}`: {e}",
                args.scenario.display()
            ));
        }
    };
    if !findings.is_empty() {
        findings_report(&report_args, &[&file], &findings);
    }
    let Some(scenario) = scenario else {
        return EXIT_FINDINGS;
    };
    let expect = match &args.assert {
        None => None,
        Some(path) if path == &args.scenario => Some(scenario.expect.clone()),
        Some(path) => match crate::simulate::load(&system, path) {
            Ok((_, Some(expected), _)) => Some(expected.expect),
            Ok((assert_file_failed, None, findings)) => {
                findings_report(&report_args, &[&assert_file_failed], &findings);
                return EXIT_FINDINGS;
            }
            Err(e) => {
                return usage_error(format!("cannot read `{}`: {e}", path.display()));
            }
        },
    };
    if let (Some(expect), Some(path)) = (&expect, &args.assert)
        && expect.is_empty()
    {
        return usage_error(format!(
            "`{}` expects no views: give it an `expect` section",
            path.display()
        ));
    }
    let result = crate::simulate::run(&system, &scenario);
    let views = render::final_views(&system, &result);
    let assertion = expect.map(|expect| {
        let differences = render::compare(&system, &result, &expect);
        Assertion {
            passed: differences.is_empty(),
            differences,
        }
    });
    let failed = assertion.as_ref().is_some_and(|a| !a.passed);
    let text = match args.format {
        SimulateFormat::Json => {
            let report = Report {
                version: 1,
                trace: &result.trace,
                views,
                assert: assertion,
            };
            let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
            text.push('\n');
            text
        }
        SimulateFormat::Human => {
            let mut text = render::trace_text(&result.trace);
            text.push_str("\nviews after the last step\n");
            text.push_str(&render::views_text(&system, &views));
            if let Some(assertion) = &assertion {
                if assertion.passed {
                    text.push_str("\nassert: every expected view is as expected\n");
                } else {
                    text.push_str("\nassert: the views differ from the expected rows\n");
                    text.push_str(&render::differences_text(&assertion.differences));
                }
            }
            text
        }
    };
    // A closed pipe is not worth a panic.
    let _ = std::io::stdout().write_all(text.as_bytes());
    if failed {
        if args.format == SimulateFormat::Human {
            eprintln!("error: the final views differ from the expected rows");
        }
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Prints findings about scenario files.
fn findings_report(args: &ReportArgs, files: &[&SourceFile], diagnostics: &[Diagnostic]) {
    print_findings(args, &sources(files.iter().copied()), diagnostics);
}

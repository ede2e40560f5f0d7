//! `cqrsgen validate`.

use super::{EXIT_FINDINGS, EXIT_OK, ValidateArgs, emit_report, usage_error};

/// Loads and validates the project, prints the findings, returns the exit code.
pub fn run(args: &ValidateArgs) -> u8 {
    let project = match crate::load::load(&args.path) {
        Ok(project) => project,
        Err(e) => return usage_error(e),
    };
    let outcome = crate::validate::validate(&project);
    emit_report(&args.report, &project, &outcome.diagnostics);
    if outcome.errors() > 0 || (args.deny_warnings && outcome.warnings() > 0) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

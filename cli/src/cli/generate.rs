//! `cqrsgen generate`: validate, emit in memory, then write (or `--check`) the output root.
//!
//! A run whose [fingerprint](crate::fingerprint) matches the output root returns early:
//! same inputs and untouched output mean the same bytes would be written. `--check` and the
//! machine report formats always take the full path.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{EXIT_FINDINGS, EXIT_OK, GenerateArgs, emit_report, usage_error};
use crate::emit::{self, EmitError, Options};
use crate::fingerprint;
use crate::load::Project;
use crate::model::System;
use crate::report::Format;
use crate::write::{self, GeneratedFile, WriteOptions};

/// The output directory inside the project when `--out` is not given.
pub const DEFAULT_OUT: &str = "generated";

/// Validates the project, generates its files and writes or checks them; returns the exit
/// code. Nothing is generated when the spec has errors.
pub fn run(args: &GenerateArgs) -> u8 {
    let status = Status(args.report.format);
    if !args.check && args.report.format == Format::Human {
        // Only the manifest is parsed: the fingerprint needs the files' bytes, not their data.
        let project = match crate::load::load_unparsed(&args.path) {
            Ok(project) => project,
            Err(e) => return usage_error(e),
        };
        let out = output_root(&project, args.out.as_deref());
        let inputs = fingerprint::inputs(&project, &out);
        if project.diagnostics.is_empty() && fingerprint::is_up_to_date(&out, inputs) {
            status.print(&format!(
                "{}: up to date (inputs unchanged; warnings are not repeated, \
                 `cqrsgen validate` shows them)",
                out.display()
            ));
            return EXIT_OK;
        }
    }
    let project = match crate::load::load(&args.path) {
        Ok(project) => project,
        Err(e) => return usage_error(e),
    };
    let out = output_root(&project, args.out.as_deref());
    let outcome = crate::validate::validate(&project);
    if !outcome.diagnostics.is_empty() || args.report.format != Format::Human {
        emit_report(&args.report, &project, &outcome.diagnostics);
    }
    let Some(system) = outcome.system else {
        return EXIT_FINDINGS;
    };
    let files = match output_files(&project, &system, &out) {
        Ok(files) => files,
        Err(GenerateError::Io(e)) => return usage_error(e),
        Err(GenerateError::Emit(e)) => {
            eprintln!("error: {e}");
            return EXIT_FINDINGS;
        }
    };
    if args.check {
        check(&out, &files, status)
    } else {
        match write::write(&out, &files, WriteOptions::default()) {
            Ok(report) => {
                // A failed touch only costs the next run its fast path.
                let _ = fingerprint::touch(&out);
                status.print(&format!("{}: {report}", out.display()));
                EXIT_OK
            }
            Err(e) => usage_error(e),
        }
    }
}

/// Why the files of a project could not be generated.
#[derive(Debug, thiserror::Error)]
pub(crate) enum GenerateError {
    /// The output location could not be resolved.
    #[error("cannot resolve the output directory: {0}")]
    Io(#[from] std::io::Error),
    /// An emitter refused the system.
    #[error(transparent)]
    Emit(#[from] EmitError),
}

/// Every file of the output root `out` of `system`, loaded from `project`: what the
/// emitters generate and the [fingerprint](crate::fingerprint) of the generation.
pub(crate) fn output_files(
    project: &Project,
    system: &System,
    out: &Path,
) -> Result<Vec<GeneratedFile>, GenerateError> {
    let options = Options::new(system, &project.root, &out.join(emit::CRATES_DIR))?;
    let mut files = emit::generate_all(system, &options)?;
    let inputs = fingerprint::inputs(project, out);
    files.push(fingerprint::file(inputs, &files));
    Ok(files)
}

/// `--check`: exit 0 when `out` is up to date, 1 with the report when it is not.
fn check(out: &Path, files: &[GeneratedFile], status: Status) -> u8 {
    match write::check(out, files) {
        Ok(report) if report.is_clean() => {
            status.print(&format!("{}: up to date", out.display()));
            EXIT_OK
        }
        Ok(report) => {
            status.print(&format!(
                "{}: generated files are stale; run `cqrsgen generate` to update them\n\n{}",
                out.display(),
                report.render().trim_end()
            ));
            EXIT_FINDINGS
        }
        Err(e) => usage_error(e),
    }
}

/// `--out`, or [`DEFAULT_OUT`] in the project directory.
pub(crate) fn output_root(project: &Project, out: Option<&Path>) -> PathBuf {
    out.map_or_else(|| project.root.join(DEFAULT_OUT), Path::to_path_buf)
}

/// Where status lines go: stdout, unless a machine format of findings owns stdout.
#[derive(Debug, Clone, Copy)]
struct Status(Format);

impl Status {
    fn print(self, text: &str) {
        let line = format!("{text}\n");
        // A closed pipe is not worth a panic; there is no one left to tell.
        let _ = match self.0 {
            Format::Human => std::io::stdout().write_all(line.as_bytes()),
            _ => std::io::stderr().write_all(line.as_bytes()),
        };
    }
}

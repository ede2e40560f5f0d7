//! `cqrsgen generate`: validate, emit in memory, then write (or `--check`) the output root and
//! scaffold the user's files that do not exist yet.
//!
//! A run whose [fingerprint](crate::fingerprint) matches the output root returns early:
//! same inputs and untouched output mean the same bytes would be written. `--check` and the
//! machine report formats always take the full path.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{EXIT_FINDINGS, EXIT_OK, GenerateArgs, emit_report, usage_error};
use crate::emit::{self, EmitBug, Options};
use crate::fingerprint;
use crate::ir::System;
use crate::load::Project;
use crate::report::Format;
use crate::write::{self, WriteOptions};

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
    let Some(system) = outcome.ir else {
        return EXIT_FINDINGS;
    };
    let output = match output_files(&project, &system, &out) {
        Ok(output) => output,
        Err(GenerateError::Io(e)) => return usage_error(e),
        Err(GenerateError::Emit(e)) => {
            eprintln!("error: {e}");
            return EXIT_BUG;
        }
    };
    if args.check {
        return check(&project.root, &out, &output, status);
    }
    let report = match write::write(&out, &output.files, WriteOptions::default()) {
        Ok(report) => report,
        Err(e) => return usage_error(e),
    };
    // A failed touch only costs the next run its fast path.
    let _ = fingerprint::touch(&out);
    status.print(&format!("{}: {report}", out.display()));
    let scaffolded = match write::write(&project.root, &output.scaffolds, SCAFFOLDS) {
        Ok(scaffolded) => scaffolded,
        Err(e) => return usage_error(e),
    };
    for path in &scaffolded.created {
        status.print(&format!(
            "scaffolded {} (yours from now on)",
            path.display()
        ));
    }
    let unimplemented = crate::user_code::unimplemented(&system, &project);
    if !unimplemented.is_empty() {
        emit_report(&args.report, &project, &unimplemented);
    }
    EXIT_OK
}

/// How scaffolds are written into the project directory: beside everything else there, which
/// is the user's, so nothing is ever removed.
const SCAFFOLDS: WriteOptions = WriteOptions { keep_stale: true };

/// The exit code of an internal error: a bug in cqrsgen.
const EXIT_BUG: u8 = 3;

/// Why the files of a project could not be generated.
#[derive(Debug, thiserror::Error)]
pub(crate) enum GenerateError {
    /// The output location could not be resolved.
    #[error("cannot resolve the output directory: {0}")]
    Io(#[from] std::io::Error),
    /// An emitter failed: a bug.
    #[error(transparent)]
    Emit(#[from] EmitBug),
}

/// Everything `generate` writes for `system`, loaded from `project`, into the output root
/// `out`: the generated files with the [fingerprint](crate::fingerprint) of the generation,
/// and the scaffolds.
pub(crate) fn output_files(
    project: &Project,
    system: &System,
    out: &Path,
) -> Result<emit::Generation, GenerateError> {
    let options = Options::new(system, &project.root, out)?;
    let mut output = emit::generate_all(system, &options)?;
    let inputs = fingerprint::inputs(project, out);
    output.files.push(fingerprint::file(inputs, &output.files));
    Ok(output)
}

/// `--check`: exit 0 when `out` is up to date and no scaffold is missing, 1 with the report
/// when not.
fn check(project: &Path, out: &Path, output: &emit::Generation, status: Status) -> u8 {
    let reports = write::check(out, &output.files, WriteOptions::default()).and_then(|files| {
        let scaffolds = write::check(project, &output.scaffolds, SCAFFOLDS)?;
        Ok((files, scaffolds))
    });
    match reports {
        Ok((files, scaffolds)) if files.is_clean() && scaffolds.is_clean() => {
            status.print(&format!("{}: up to date", out.display()));
            EXIT_OK
        }
        Ok((files, scaffolds)) => {
            let mut text = String::new();
            if !files.is_clean() {
                text.push_str(&format!(
                    "{}: generated files are stale; run `cqrsgen generate` to update them\n\n{}\n",
                    out.display(),
                    files.render().trim_end()
                ));
            }
            if !scaffolds.is_clean() {
                text.push_str(&format!(
                    "{}: files of yours are missing; `cqrsgen generate` scaffolds them\n\n{}\n",
                    project.display(),
                    scaffolds.render().trim_end()
                ));
            }
            status.print(text.trim_end());
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

//! `cqrsgen check`: the CI gate. Validation, the generated-files check and, with
//! `--against`, the breaking-change diff, in one report with one exit code.

use serde_json::{Value, json};

use super::diff::{compare, human, print, validation_format};
use super::generate::{output_files, output_root};
use super::{CheckArgs, EXIT_FINDINGS, EXIT_OK, usage_error};
use crate::diagnostic::Diagnostic;
use crate::diff::render::{DiffFormat, Report};
use crate::load::Project;
use crate::report::{self, RenderOptions, Sources, Summary};
use crate::write::WriteOptions;

/// The outcome of `generate --check`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum GenerateStep {
    /// The output directory holds exactly what would be generated.
    UpToDate,
    /// Files differ: the check report (file list and unified diff).
    Stale(String),
    /// Generation or the comparison failed.
    Failed(String),
    /// The project keeps no generated output (no output directory): nothing can drift.
    NoOutput(String),
}

impl GenerateStep {
    fn fails(&self) -> bool {
        matches!(self, GenerateStep::Stale(_) | GenerateStep::Failed(_))
    }

    fn describe(&self) -> String {
        match self {
            GenerateStep::UpToDate => "up to date".to_owned(),
            GenerateStep::Stale(report) => {
                format!(
                    "stale: run `cqrsgen generate` to update\n{}",
                    report.trim_end()
                )
            }
            GenerateStep::Failed(error) => format!("failed: {error}"),
            GenerateStep::NoOutput(dir) => {
                format!("skipped: no generated output at `{dir}` to compare")
            }
        }
    }
}

/// Generates the files in memory and compares them with the default output directory, as
/// `cqrsgen generate --check` does.
fn generate_check(project: &Project, system: &crate::ir::System) -> GenerateStep {
    let out = output_root(project, None);
    if !out.is_dir() {
        return GenerateStep::NoOutput(out.display().to_string());
    }
    let output = match output_files(project, system, &out) {
        Ok(output) => output,
        Err(e) => return GenerateStep::Failed(e.to_string()),
    };
    match crate::write::check(&out, &output.files, WriteOptions::default()) {
        Ok(report) if report.is_clean() => GenerateStep::UpToDate,
        Ok(report) => GenerateStep::Stale(report.render()),
        Err(e) => GenerateStep::Failed(e.to_string()),
    }
}

/// Runs every check, prints one report, returns the exit code.
pub fn run(args: &CheckArgs) -> u8 {
    let project = match crate::load::load(&args.path) {
        Ok(project) => project,
        Err(e) => return usage_error(e),
    };
    let outcome = crate::validate::validate(&project);
    let summary = Summary::of(&outcome.diagnostics);
    let mut fails = summary.errors > 0 || (args.deny_warnings && summary.warnings > 0);
    let mut generate = None;
    let mut diff = None;
    if let Some(system) = &outcome.ir {
        let step = generate_check(&project, system);
        fails |= step.fails();
        generate = Some(step);
        if let Some(base) = &args.against {
            match compare(base, &project, system, &args.allow) {
                Ok(report) => {
                    fails |= report.fails();
                    diff = Some(report);
                }
                Err(code) => return code,
            }
        }
    }
    let parts = Parts {
        project: &project,
        diagnostics: &outcome.diagnostics,
        generate: generate.as_ref(),
        diff: diff.as_ref(),
        fails,
    };
    print(&render(&parts, args.format));
    if fails { EXIT_FINDINGS } else { EXIT_OK }
}

/// What the checks found.
struct Parts<'a> {
    project: &'a Project,
    diagnostics: &'a [Diagnostic],
    generate: Option<&'a GenerateStep>,
    diff: Option<&'a Report>,
    fails: bool,
}

fn render(parts: &Parts<'_>, format: DiffFormat) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let validation = {
        let mut sources = Sources::new();
        for file in &parts.project.files {
            sources.insert(file.path.clone(), file.text.clone());
        }
        report::render(
            validation_format(format),
            parts.diagnostics,
            &sources,
            &RenderOptions::default(),
        )
    };
    let diff = parts.diff.map(|r| r.render(format, version));
    let generate = parts.generate.map_or_else(
        || "not run: the spec has errors".to_owned(),
        GenerateStep::describe,
    );
    match format {
        DiffFormat::Human => {
            let mut out = format!("== validate\n{validation}== generate --check\n{generate}\n");
            if let Some(diff) = diff {
                out += &format!("== diff\n{diff}");
            }
            out += verdict(parts.fails);
            out
        }
        DiffFormat::Markdown => {
            let mut out = format!(
                "## cqrsgen check\n\n{}\n\n- validate: {}\n- generate --check: {generate}\n",
                verdict(parts.fails).trim_end(),
                Summary::of(parts.diagnostics)
            );
            if !parts.diagnostics.is_empty() {
                out += &format!(
                    "\n```text\n{}```\n",
                    human(parts.project, parts.diagnostics)
                );
            }
            if let Some(diff) = diff {
                out += &format!("\n{diff}");
            }
            out
        }
        DiffFormat::Github => validation + &diff.unwrap_or_default(),
        DiffFormat::Json => {
            let document = json!({
                "version": 1,
                "validate": parse(&validation),
                "generate": { "status": generate },
                "diff": diff.as_deref().map(parse),
                "fails": parts.fails,
            });
            report::to_json_pretty(&document)
        }
        DiffFormat::Sarif => {
            let mut log = parse(&validation);
            if let (Some(runs), Some(diff)) = (log["runs"].as_array_mut(), diff.as_deref()) {
                runs.extend(parse(diff)["runs"].as_array().cloned().unwrap_or_default());
            }
            report::to_json_pretty(&log)
        }
    }
}

/// A JSON document this crate rendered, back as a value to nest in the combined one.
fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

fn verdict(fails: bool) -> &'static str {
    if fails {
        "check failed\n"
    } else {
        "check passed\n"
    }
}

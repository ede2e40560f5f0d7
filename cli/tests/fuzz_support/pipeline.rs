//! The pipeline every fuzz input goes through, as `cqrsgen generate` runs it (see
//! `cli/src/cli/generate.rs`), but in memory: load -> validate -> generate every file. This is
//! the one function to re-point when the library API changes; the cargo-fuzz target in
//! `fuzz/` includes this file too.

use std::collections::BTreeSet;
use std::path::{Component, Path};

use cqrsgen::diagnostic::{Code, Diagnostic};
use cqrsgen::emit::{self, Options};
use cqrsgen::write::{Ownership, is_generated};

/// What the pipeline made of a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// No project at the path (the CLI's usage error).
    NotAProject,
    /// Validation found errors: their codes, sorted and without repeats.
    Rejected(Vec<String>),
    /// The spec validated and every file was generated: how many.
    Generated(usize),
}

/// Runs the pipeline on the project in `dir`. `Err` is a broken invariant: a spec that
/// validates but does not generate, or output the writer would refuse.
pub fn run(dir: &Path) -> Result<Outcome, String> {
    let Ok(project) = cqrsgen::load::load(dir) else {
        return Ok(Outcome::NotAProject);
    };
    let validated = cqrsgen::validate::validate(&project);
    let errors: Vec<&Diagnostic> = validated
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    // Every error points at the spec text responsible, but an unreadable file's.
    if let Some(unlocated) = errors
        .iter()
        .find(|d| d.location.is_none() && d.code != Code::Io)
    {
        return Err(format!(
            "finding {} has no location: {}",
            unlocated.code, unlocated.message
        ));
    }
    let Some(system) = validated.ir else {
        if errors.is_empty() {
            return Err("validation produced no model, but no error either".to_owned());
        }
        let codes: BTreeSet<String> = errors.iter().map(|d| d.code.to_string()).collect();
        return Ok(Outcome::Rejected(codes.into_iter().collect()));
    };
    if !errors.is_empty() {
        return Err("validation produced a model despite errors".to_owned());
    }
    let options = Options::new(&system, &project.root, &dir.join("generated"))
        .map_err(|e| format!("validated, but the options failed: {e}"))?;
    let generation = emit::generate_all(&system, &options)
        .map_err(|e| format!("validated, but generate failed: {e}"))?;
    check_files(&generation.files)?;
    check_files(&generation.scaffolds)?;
    Ok(Outcome::Generated(
        generation.files.len() + generation.scaffolds.len(),
    ))
}

/// Every file of `files` at a path of its own inside its root; generated files with the
/// header.
fn check_files(files: &[emit::GeneratedFile]) -> Result<(), String> {
    let mut paths = BTreeSet::new();
    for file in files {
        let path = &file.path;
        let inside = path.components().all(|c| matches!(c, Component::Normal(_)));
        if path.as_os_str().is_empty() || !inside {
            return Err(format!(
                "`{}` is not a path inside the output root",
                path.display()
            ));
        }
        if !paths.insert(path) {
            return Err(format!("`{}` is generated twice", path.display()));
        }
        if file.ownership == Ownership::Generated && !is_generated(&file.contents) {
            return Err(format!("`{}` lacks the generated header", path.display()));
        }
    }
    Ok(())
}

//! Writes the infrastructure templates of a project: `infra <project> <out>` validates the
//! project and writes `<out>/infra/*.yaml`. `scripts/test` uses it to lint and deploy the
//! templates of the examples before `cqrsgen generate` writes them.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cqrsgen::write::{self, GeneratedFile, WriteOptions};

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [project, out] = args.as_slice() else {
        eprintln!("usage: infra <project> <out>");
        return ExitCode::from(2);
    };
    match run(project, out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{}: {message}", project.display());
            ExitCode::FAILURE
        }
    }
}

fn run(project: &Path, out: &Path) -> Result<(), String> {
    let loaded = cqrsgen::load::load(project).map_err(|e| e.to_string())?;
    let outcome = cqrsgen::validate::validate(&loaded);
    let errors = outcome.errors();
    let system = outcome.system.ok_or_else(|| {
        format!(
            "the project has {errors} errors; `cqrsgen validate {}` shows them",
            project.display()
        )
    })?;
    let files: Vec<GeneratedFile> = cqrsgen::emit::infra(&system)
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|file| GeneratedFile::new(file.path, file.contents))
        .collect();
    write::write(out, &files, WriteOptions::default()).map_err(|e| e.to_string())?;
    Ok(())
}

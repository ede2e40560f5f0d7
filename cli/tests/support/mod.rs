//! Running `cargo` on projects the tests generate. Every such project builds into one target
//! directory with the same settings, so the dependencies of generated crates compile once
//! for all tests.

#![allow(dead_code, reason = "each test binary uses part of the support module")]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The target directory shared by the generated projects.
pub fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("scratch-target")
}

/// Runs `cargo <args>` in `dir` with warnings denied; the error has cargo's output. Without
/// debug info, linking the Lambda binaries stays quick. A missing `cargo` is an error, not a
/// skip.
pub fn cargo(dir: &Path, args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(&cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .env("CARGO_INCREMENTAL", "0")
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", cargo.to_string_lossy()))?;
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "cargo {args:?} failed in {}:\n{}\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    ))
}

/// An empty directory for a project named `name` under `CARGO_TARGET_TMPDIR`.
pub fn project_dir(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("projects")
        .join(name);
    if root.exists() {
        std::fs::remove_dir_all(&root).expect("clear the project directory");
    }
    std::fs::create_dir_all(&root).expect("create the project directory");
    root
}

/// Copies the repository's lock file into `project`, so that generated projects resolve the
/// versions the repository builds with (and share their compiled dependencies) without
/// asking the registry.
pub fn seed_lock_file(project: &Path) {
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock"),
        project.join("Cargo.lock"),
    )
    .expect("copy Cargo.lock");
}

/// Compares `actual` with the golden file at `expected` (missing: empty), or rewrites the file
/// under `CQRSGEN_BLESS`; the error is a unified diff.
pub fn compare(expected: &Path, actual: &str) -> Result<(), String> {
    if std::env::var_os("CQRSGEN_BLESS").is_some() {
        return std::fs::write(expected, actual)
            .map_err(|e| format!("cannot write {}: {e}", expected.display()));
    }
    let wanted = std::fs::read_to_string(expected).unwrap_or_default();
    if wanted == actual {
        return Ok(());
    }
    let diff = similar::TextDiff::from_lines(&wanted, actual)
        .unified_diff()
        .header("expected", "actual")
        .to_string();
    Err(format!(
        "{} differs (CQRSGEN_BLESS=1 rewrites it):\n{diff}",
        expected.display()
    ))
}

//! What the integration tests that build generated code share.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `cargo <args> --manifest-path <manifest>` with warnings denied and a target directory
/// shared by every such test (so dependencies build once), and asserts that it succeeds.
/// Returns `false` without running anything when `cargo` is not available.
pub fn cargo_succeeds(manifest: &Path, args: &[&str]) -> bool {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    if Command::new(&cargo).arg("--version").output().is_err() {
        eprintln!("SKIPPED: `cargo` is not on PATH");
        return false;
    }
    let output = Command::new(&cargo)
        .args(args)
        .arg("--manifest-path")
        .arg(manifest)
        .env("CARGO_TARGET_DIR", shared_target_dir())
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "`cargo {}` failed for {}:\n{}\n{}",
        args.join(" "),
        manifest.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    true
}

fn shared_target_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("generated-code-target")
}

//! A scratch Cargo workspace for compiling and testing generated crates, shared by the
//! emitter tests. All scratch workspaces build into one target directory, so dependencies
//! compile once.

#![allow(dead_code, reason = "each test binary uses part of the support module")]

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A Cargo workspace under `CARGO_TARGET_TMPDIR`.
pub struct Scratch {
    /// The workspace root.
    pub root: PathBuf,
    cargo: OsString,
}

impl Scratch {
    /// An empty workspace named `name`, or `None` (with a note) when `cargo` is not runnable.
    pub fn new(name: &str) -> Option<Self> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        if Command::new(&cargo).arg("--version").output().is_err() {
            eprintln!("SKIPPED: `cargo` is not on PATH");
            return None;
        }
        let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
        if root.exists() {
            std::fs::remove_dir_all(&root).expect("clear the scratch workspace");
        }
        std::fs::create_dir_all(&root).expect("create the scratch workspace");
        Some(Self { root, cargo })
    }

    /// Writes `contents` to `path` (relative to the root), creating directories.
    pub fn write(&self, path: impl AsRef<Path>, contents: &str) {
        write(&self.root.join(path), contents);
    }

    /// Writes the workspace manifest with `members`.
    pub fn members(&self, members: &[&str]) {
        let members: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
        self.write(
            "Cargo.toml",
            &format!(
                "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
                members.join(", ")
            ),
        );
    }

    /// Runs `cargo <args>` in the workspace with warnings denied, and fails the test with
    /// cargo's output when it fails.
    pub fn cargo(&self, args: &[&str]) {
        let output = Command::new(&self.cargo)
            .args(args)
            .arg("--manifest-path")
            .arg(self.root.join("Cargo.toml"))
            .env(
                "CARGO_TARGET_DIR",
                PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scratch-target"),
            )
            .env("RUSTFLAGS", "-D warnings")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .output()
            .expect("run cargo in the scratch workspace");
        assert!(
            output.status.success(),
            "cargo {args:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// Writes `contents` to `path`, creating directories.
pub fn write(path: &Path, contents: &str) {
    let dir = path.parent().expect("files have a parent");
    std::fs::create_dir_all(dir).expect("create directory");
    std::fs::write(path, contents).expect("write file");
}

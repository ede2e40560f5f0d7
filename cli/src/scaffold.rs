//! `cqrsgen init`: writes a new project from the files under `templates/init/`, embedded
//! in the binary.

use std::path::{Path, PathBuf};

/// The files of a new project: path relative to the project directory, and contents.
pub const FILES: &[(&str, &str)] = &[
    (
        "cqrsgen.yaml",
        include_str!("../../templates/init/cqrsgen.yaml"),
    ),
    (
        "services/helpdesk-bff.yaml",
        include_str!("../../templates/init/services/helpdesk-bff.yaml"),
    ),
    (
        "services/sla-monitor.yaml",
        include_str!("../../templates/init/services/sla-monitor.yaml"),
    ),
    (
        "services/reporting.yaml",
        include_str!("../../templates/init/services/reporting.yaml"),
    ),
    (
        "scenarios/ticket-lifecycle.yaml",
        include_str!("../../templates/init/scenarios/ticket-lifecycle.yaml"),
    ),
    ("README.md", include_str!("../../templates/init/README.md")),
    (
        "Cargo.toml",
        include_str!("../../templates/init/Cargo.toml"),
    ),
];

/// Why a project could not be created.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// Files are in the way and `--force` was not given.
    #[error("refusing to overwrite existing files: {}; use --force to overwrite them", list(.0))]
    Exists(Vec<PathBuf>),
    /// Writing failed.
    #[error("cannot write `{}`: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

fn list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| format!("`{}`", p.display()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes the project into `dir` (created when missing). Without `force`, nothing is
/// written when any of the files exists. Returns the paths written, relative to `dir`.
pub fn init(dir: &Path, force: bool) -> Result<Vec<PathBuf>, InitError> {
    let existing: Vec<PathBuf> = FILES
        .iter()
        .map(|(path, _)| dir.join(path))
        .filter(|path| path.exists())
        .collect();
    if !force && !existing.is_empty() {
        return Err(InitError::Exists(existing));
    }
    let mut written = Vec::new();
    for (path, contents) in FILES {
        let full = dir.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).map_err(|source| InitError::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&full, contents).map_err(|source| InitError::Io {
            path: full.clone(),
            source,
        })?;
        written.push(PathBuf::from(path));
    }
    Ok(written)
}

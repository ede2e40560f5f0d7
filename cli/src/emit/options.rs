//! What the emitters need to know beyond the system: where the output goes relative to the
//! project, and where the library crates are.

use std::io;
use std::path::{Component, Path, PathBuf};

use crate::ir::{Runtime, System};

/// Settings of one generation run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Where the generated crates get the library crates from.
    pub libraries: Libraries,
    /// The path from the output root to the project directory (where the manifest and the
    /// user's code are).
    pub project_from_out: PathBuf,
    /// The path from the project directory to the output root.
    pub out_from_project: PathBuf,
}

impl Default for Options {
    /// The layout `cqrsgen generate` writes by default: `generated/` in the project, with
    /// vendored library crates.
    fn default() -> Self {
        Self {
            libraries: Libraries::Vendored,
            project_from_out: PathBuf::from(".."),
            out_from_project: PathBuf::from("generated"),
        }
    }
}

/// Where the generated crates get `cqrsgen-events` and `cqrsgen-runtime` from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Libraries {
    /// The vendored copies written next to them ([`super::vendored_libraries`]).
    #[default]
    Vendored,
    /// Existing copies in this directory (as `cqrsgen-events/` and `cqrsgen-runtime/`), at
    /// this path relative to the directory holding the generated crates (`<out>/crates/`).
    Path(PathBuf),
}

impl Options {
    /// The options for `system`, whose manifest is in `project`, generating into `out`. Paths
    /// are related lexically: neither directory needs to exist.
    pub fn new(system: &System, project: &Path, out: &Path) -> io::Result<Self> {
        let crates = out.join(super::CRATES_DIR);
        let libraries = match &system.runtime {
            Runtime::Vendored => Libraries::Vendored,
            Runtime::Path(path) => Libraries::Path(path_between(&crates, &project.join(path))?),
        };
        Ok(Self {
            libraries,
            project_from_out: path_between(out, project)?,
            out_from_project: path_between(project, out)?,
        })
    }

    /// The path from a generated crate's `src/` directory to the project directory.
    pub(crate) fn project_from_crate_src(&self) -> PathBuf {
        Path::new("../../..").join(&self.project_from_out)
    }

    /// The path from a generated crate's directory to the library crate `package`.
    pub(crate) fn library_from_crate(&self, package: &str) -> String {
        let path = match &self.libraries {
            Libraries::Vendored => Path::new("..").join(package),
            Libraries::Path(path) => Path::new("..").join(path).join(package),
        };
        slashes(&path)
    }

    /// The path from the project directory to the generated crate `package`.
    pub(crate) fn crate_from_project(&self, package: &str) -> PathBuf {
        self.out_from_project.join(super::CRATES_DIR).join(package)
    }
}

/// A relative path with `/` separators, as manifests and `#[path]` attributes want them.
pub(crate) fn slashes(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// The path from directory `from` to `to`, lexically (neither needs to exist).
pub(crate) fn path_between(from: &Path, to: &Path) -> io::Result<PathBuf> {
    let from = normalize(&std::path::absolute(from)?);
    let to = normalize(&std::path::absolute(to)?);
    Ok(relative(&from, &to))
}

/// `path` without `.` and with `..` applied.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The path from directory `from` to `to`, both absolute and normalized.
fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out: PathBuf = from[common..]
        .iter()
        .map(|_| Component::ParentDir)
        .collect();
    out.extend(&to[common..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relations_between_project_output_and_libraries_are_lexical() {
        let relate = |from: &str, to: &str| path_between(Path::new(from), Path::new(to));
        assert_eq!(
            relate("/repo/examples/shop/generated/crates", "/repo/runtime").expect("a path"),
            Path::new("../../../../runtime")
        );
        assert_eq!(
            relate("/p/out/../gen/crates", "/p/vendor/./runtime").expect("a path"),
            Path::new("../../vendor/runtime")
        );
    }

    #[test]
    fn library_paths_are_relative_to_a_generated_crate() {
        let options = Options {
            libraries: Libraries::Path("../../../../runtime".into()),
            ..Options::default()
        };
        assert_eq!(
            options.library_from_crate("cqrsgen-runtime"),
            "../../../../../runtime/cqrsgen-runtime"
        );
        assert_eq!(
            Options::default().library_from_crate("cqrsgen-events"),
            "../cqrsgen-events"
        );
        assert_eq!(
            Options::default().crate_from_project("shop-events"),
            Path::new("generated/crates/shop-events")
        );
    }
}

//! What the emitters need to know beyond the model: where the output goes relative to the
//! project.

use std::io;
use std::path::{Component, Path, PathBuf};

use crate::model::{Runtime, System};

/// Settings of one generation run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Where the service crates get `cqrsgen-runtime` from.
    pub runtime: RuntimeCrate,
}

/// Where the service crates get `cqrsgen-runtime` from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum RuntimeCrate {
    /// The vendored copy written next to them ([`super::vendored_runtime`]).
    #[default]
    Vendored,
    /// An existing copy, at this path relative to the directory holding the generated
    /// crates (`<out>/crates/`).
    Path(PathBuf),
}

impl Options {
    /// The options for `system`, whose manifest is in `manifest_dir`, generating crates into
    /// `crates_dir`. A runtime path of the spec (relative to the manifest) is made relative
    /// to `crates_dir`, lexically: neither directory needs to exist.
    pub fn new(system: &System, manifest_dir: &Path, crates_dir: &Path) -> io::Result<Self> {
        let runtime = match &system.runtime {
            Runtime::Vendored => RuntimeCrate::Vendored,
            Runtime::Path(path) => {
                RuntimeCrate::Path(path_between(crates_dir, &manifest_dir.join(path))?)
            }
        };
        Ok(Self { runtime })
    }
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

    fn system(runtime: Runtime) -> System {
        System {
            runtime,
            ..System::default()
        }
    }

    #[test]
    fn the_default_is_vendored() {
        let options = Options::new(&System::default(), Path::new("."), Path::new("out"));
        assert_eq!(options.expect("options").runtime, RuntimeCrate::Vendored);
    }

    #[test]
    fn runtime_paths_become_relative_to_the_crates_directory() {
        let options = Options::new(
            &system(Runtime::Path("../../runtime".into())),
            Path::new("/repo/examples/shop"),
            Path::new("/repo/examples/shop/generated/crates"),
        )
        .expect("options");
        assert_eq!(
            options.runtime,
            RuntimeCrate::Path("../../../../runtime".into())
        );
        let options = Options::new(
            &system(Runtime::Path("vendor/./runtime".into())),
            Path::new("/p"),
            Path::new("/p/out/../gen/crates"),
        )
        .expect("options");
        assert_eq!(
            options.runtime,
            RuntimeCrate::Path("../../vendor/runtime".into())
        );
    }
}

//! Where the base spec comes from: a directory holding an older copy of the spec, or a git
//! revision, read with `git ls-tree` and `git cat-file` (no checkout, no change to the
//! working tree).

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use crate::load::{self, Entry, Files, LoadError, MAX_FILE_BYTES, Project};

/// Why the base spec cannot be read (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// Neither a directory nor a revision of the repository holding the spec.
    #[error("`{base}` is neither a directory nor a git revision{}", hint(.detail))]
    UnknownBase {
        /// The base as given.
        base: String,
        /// What git said, if it ran.
        detail: String,
    },
    /// `git` failed.
    #[error("`git {args}` failed: {message}")]
    Git {
        /// The arguments.
        args: String,
        /// Its error output, or why it did not start.
        message: String,
    },
    /// The current spec's path cannot be placed inside the repository.
    #[error("cannot place `{}` in the git repository: {message}", path.display())]
    Path {
        /// The path.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// The spec at the base cannot be loaded.
    #[error("base `{base}`: {source}")]
    Load {
        /// The base as given.
        base: String,
        /// Why.
        source: LoadError,
    },
}

fn hint(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(" ({detail})")
    }
}

/// Loads the base spec. `base` is a directory (holding the older spec) or a git revision;
/// `head` is the current spec's path (a directory or manifest), which locates the spec
/// inside the repository for a revision.
pub fn load_base(base: &str, head: &Path) -> Result<Project, SourceError> {
    let head = if head.as_os_str().is_empty() {
        Path::new(".")
    } else {
        head
    };
    let loaded = if Path::new(base).exists() {
        load::load(Path::new(base))
    } else {
        let tree = GitTree::open(base, head)?;
        let path = tree.path_of(head)?;
        load::load_from(&tree, &path)
    };
    loaded.map_err(|source| SourceError::Load {
        base: base.to_owned(),
        source,
    })
}

/// The files of one git revision, by path relative to the repository root.
#[derive(Debug)]
pub struct GitTree {
    /// The repository's top directory.
    top: PathBuf,
    /// The revision.
    revision: String,
    /// Blob sizes by path.
    files: BTreeMap<PathBuf, u64>,
}

impl GitTree {
    /// Lists the files of `revision` in the repository that holds `near`.
    pub fn open(revision: &str, near: &Path) -> Result<GitTree, SourceError> {
        let dir = if near.is_dir() {
            near.to_path_buf()
        } else {
            near.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
        };
        let unknown = |detail: String| SourceError::UnknownBase {
            base: revision.to_owned(),
            detail,
        };
        let top = git(&dir, &["rev-parse", "--show-toplevel"])
            .map_err(|e| unknown(first_line(&e.to_string())))?;
        let top = PathBuf::from(String::from_utf8_lossy(&top).trim());
        let commit = format!("{revision}^{{commit}}");
        git(&top, &["rev-parse", "--verify", "--quiet", &commit])
            .map_err(|_| unknown(String::new()))?;
        let listing = git(&top, &["ls-tree", "-r", "-l", "-z", &commit])?;
        let files = listing
            .split(|b| *b == 0)
            .filter_map(|record| {
                let record = std::str::from_utf8(record).ok()?;
                let (meta, path) = record.split_once('\t')?;
                let mut meta = meta.split_whitespace();
                let kind = meta.nth(1)?;
                let size = meta.nth(1)?.parse().ok()?;
                (kind == "blob").then(|| (PathBuf::from(path), size))
            })
            .collect();
        Ok(GitTree {
            top,
            revision: revision.to_owned(),
            files,
        })
    }

    /// `path` (on disk, in the working tree) relative to the repository's top.
    pub fn path_of(&self, path: &Path) -> Result<PathBuf, SourceError> {
        let outside = |message: String| SourceError::Path {
            path: path.to_path_buf(),
            message,
        };
        let full = path.canonicalize().map_err(|e| outside(e.to_string()))?;
        let top = self.top.canonicalize().unwrap_or_else(|_| self.top.clone());
        full.strip_prefix(&top)
            .map(Path::to_path_buf)
            .map_err(|_| outside(format!("it is outside `{}`", top.display())))
    }
}

impl Files for GitTree {
    fn entry(&self, path: &Path) -> Entry {
        let path = normal(path);
        if self.files.contains_key(&path) {
            Entry::File
        } else if path.as_os_str().is_empty() || self.files.keys().any(|f| f.starts_with(&path)) {
            Entry::Dir
        } else {
            Entry::Missing
        }
    }

    fn read(&self, path: &Path) -> io::Result<Result<Vec<u8>, u64>> {
        let path = normal(path);
        let size = *self.files.get(&path).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("not in revision {}", self.revision),
            )
        })?;
        if size > MAX_FILE_BYTES {
            return Ok(Err(size));
        }
        let object = format!("{}:{}", self.revision, path.to_string_lossy());
        git(&self.top, &["cat-file", "blob", &object])
            .map(Ok)
            .map_err(io::Error::other)
    }

    fn glob(&self, root: &Path, pattern: &str) -> Result<Vec<PathBuf>, String> {
        let matcher = glob::Pattern::new(pattern)
            .map_err(|e| format!("`{pattern}` is not a valid glob: {}", e.msg))?;
        let options = glob::MatchOptions {
            require_literal_separator: true,
            ..glob::MatchOptions::new()
        };
        let root = normal(root);
        // The tree lists files in path order already.
        Ok(self
            .files
            .keys()
            .filter_map(|f| f.strip_prefix(&root).ok())
            .filter(|f| matcher.matches_path_with(f, options))
            .map(Path::to_path_buf)
            .collect())
    }

    fn identity(&self, path: &Path) -> PathBuf {
        normal(path)
    }
}

/// `path` without `.` components.
fn normal(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_owned()
}

/// Runs git in `dir`; its standard output, or an error with its standard error.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, SourceError> {
    let failed = |message: String| SourceError::Git {
        args: args.join(" "),
        message,
    };
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| failed(e.to_string()))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(failed(
            String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        ))
    }
}

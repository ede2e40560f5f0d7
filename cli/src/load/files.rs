//! Where the loader reads spec files from. [`Disk`] is the working tree; other
//! implementations (e.g. a git revision, in [`crate::diff::source`]) let the same loader read
//! an older copy of a spec without checking it out.

use std::io;
use std::path::{Path, PathBuf};

use super::MAX_FILE_BYTES;

/// What a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A directory.
    Dir,
    /// A file.
    File,
    /// Nothing.
    Missing,
}

/// A tree of files the loader can read.
pub trait Files {
    /// What `path` names.
    fn entry(&self, path: &Path) -> Entry;

    /// The bytes of a file, or `Ok(Err(len))` when it is larger than [`MAX_FILE_BYTES`].
    fn read(&self, path: &Path) -> io::Result<Result<Vec<u8>, u64>>;

    /// The files under `root` that the glob `pattern` (relative to `root`) matches, as paths
    /// relative to `root`, sorted.
    fn glob(&self, root: &Path, pattern: &str) -> Result<Vec<PathBuf>, String>;

    /// A key that is equal for two paths naming the same file.
    fn identity(&self, path: &Path) -> PathBuf;
}

/// The local file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct Disk;

impl Files for Disk {
    fn entry(&self, path: &Path) -> Entry {
        if path.is_dir() {
            Entry::Dir
        } else if path.is_file() {
            Entry::File
        } else {
            Entry::Missing
        }
    }

    /// Refuses files over the limit before reading them.
    fn read(&self, path: &Path) -> io::Result<Result<Vec<u8>, u64>> {
        let len = std::fs::metadata(path)?.len();
        if len > MAX_FILE_BYTES {
            return Ok(Err(len));
        }
        std::fs::read(path).map(Ok)
    }

    fn glob(&self, root: &Path, pattern: &str) -> Result<Vec<PathBuf>, String> {
        let full = root.join(pattern);
        let full = full
            .to_str()
            .ok_or_else(|| format!("`{pattern}` is not valid UTF-8"))?;
        let paths =
            glob::glob(full).map_err(|e| format!("`{pattern}` is not a valid glob: {}", e.msg))?;
        let mut out: Vec<PathBuf> = paths
            .filter_map(Result::ok)
            .filter(|p| p.is_file())
            .map(|p| p.strip_prefix(root).map(Path::to_path_buf).unwrap_or(p))
            .collect();
        out.sort();
        Ok(out)
    }

    fn identity(&self, path: &Path) -> PathBuf {
        path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
    }
}

//! Writing a new output root: the whole tree is built in a staging directory next to the
//! root and renamed into place in one step, so the root appears complete or not at all.
//!
//! Nothing can be half-overwritten in a directory that did not exist, so files go straight
//! to their place in the staging directory (no temporary file and rename per file), each
//! directory is created once, and the files are written on every core.

use std::fs;
use std::io;
use std::path::Path;

use super::{FileWrite, TEMP_PREFIX, WriteError, create_dirs, io_error};
use crate::parallel;

/// Whether nothing is at `root` (not even a dangling symlink): the case [`create`] handles.
pub(super) fn is_new(root: &Path) -> Result<bool, WriteError> {
    match fs::symlink_metadata(root) {
        Ok(_) => Ok(false),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(io_error(root)(e)),
    }
}

/// Creates `root` holding `files` (new files, paths normalized by the plan). On error nothing
/// is left at `root` or beside it.
pub(super) fn create(root: &Path, files: &[FileWrite<'_>]) -> Result<(), WriteError> {
    let parent = match root.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    fs::create_dir_all(parent).map_err(io_error(parent))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX);
    #[cfg(unix)]
    {
        // Like `fs::create_dir`: open to all, less the umask (tempfile defaults to 0700).
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o777));
    }
    // Removed when dropped, so on every error below.
    let staging = builder.tempdir_in(parent).map_err(io_error(parent))?;

    create_dirs(staging.path(), root, files.iter().map(|file| file.rel))?;

    parallel::try_map(files, |file| {
        fs::write(staging.path().join(file.rel), file.contents)
            .map_err(io_error(&root.join(file.rel)))
    })?;

    fs::rename(staging.path(), root).map_err(io_error(root))?;
    // Now at `root`: nothing is left to clean up.
    let _ = staging.keep();
    Ok(())
}

//! The fingerprint of a generation: lets `cqrsgen generate` skip a run whose inputs did not
//! change and whose output nobody touched.
//!
//! [`file()`] builds `<out>/.cqrsgen-fingerprint`, a generated file like any other (it carries
//! the header, is written by the writer and compared by `--check`). It holds a hash of the
//! inputs ([`inputs()`]: the cqrsgen version, the generation options and every spec file's
//! path and bytes, in load order) and a hash of every generated file. [`is_up_to_date()`]
//! reads it back: when the inputs hash the same and every listed file still hashes as
//! written, generating again would write the same bytes.
//!
//! The hash is 64-bit FNV-1a ([`crate::naming`] uses it too): not cryptographic, which is
//! fine here. It guards against accidental change (an edited spec, a hand-edited or deleted
//! generated file), where two different contents collide with probability 2⁻⁶⁴; nobody gains
//! anything by forging a collision in their own output directory. Hashing the whole output
//! (9 MB for 1,000 events) takes a few milliseconds.
//!
//! Only released versions are told apart by the version: a development build of cqrsgen may
//! emit differently under the same version. So the fast path also requires the fingerprint
//! to be newer than the running executable, and [`touch`] renews it after every full run.

use std::fs;
use std::path::{Component, Path};
use std::time::SystemTime;

use crate::load::Project;
use crate::naming::fnv1a64;
use crate::write::{CommentStyle, GeneratedFile, header};

/// The fingerprint's path, relative to the output root.
pub const FILE: &str = ".cqrsgen-fingerprint";

/// The explanation under the header.
const NOTE: &str = "# What `cqrsgen generate` wrote here: hashes (FNV-1a, 64 bits) of its inputs and of\n\
                    # every generated file. A run with the same inputs and untouched files skips generation.\n";

/// The key of the inputs line.
const INPUTS: &str = "inputs";

/// The hash of everything generation depends on: the cqrsgen version, where the output root
/// is relative to the project (the emit [`Options`](crate::emit::Options) follow from it and
/// the spec) and the path (relative to the project root) and bytes of every spec file of
/// `project`, in load order. Nothing absolute goes in, so a committed fingerprint stays valid
/// in any checkout.
pub fn inputs(project: &Project, out: &Path) -> u64 {
    let mut bytes = Vec::new();
    let mut field = |part: &[u8]| {
        // Length-prefixed, so that no two different inputs give the same byte sequence.
        bytes.extend_from_slice(&(part.len() as u64).to_le_bytes());
        bytes.extend_from_slice(part);
    };
    field(env!("CARGO_PKG_VERSION").as_bytes());
    let placement =
        crate::emit::path_between(&project.root, out).unwrap_or_else(|_| out.to_path_buf());
    field(slashed(&placement).as_bytes());
    for file in &project.files {
        let rel = file.path.strip_prefix(&project.root).unwrap_or(&file.path);
        field(slashed(rel).as_bytes());
        field(file.text.as_bytes());
    }
    fnv1a64(&bytes)
}

/// The fingerprint file for a generation from inputs hashing to `inputs` that produced `files`.
pub fn file(inputs: u64, files: &[GeneratedFile]) -> GeneratedFile {
    let mut contents = format!(
        "{}{NOTE}{INPUTS} {inputs:016x}\n",
        header(CommentStyle::Hash)
    );
    for file in files {
        let hash = fnv1a64(file.contents.as_bytes());
        contents.push_str(&format!("{hash:016x}  {}\n", slashed(&file.path)));
    }
    GeneratedFile::new(FILE, contents)
}

/// Whether the output root `out` holds a fingerprint for `inputs`, newer than the running
/// executable, whose every listed file exists with the listed hash. Anything unexpected
/// (no fingerprint, an unreadable file, a malformed line) answers `false`.
pub fn is_up_to_date(out: &Path, inputs: u64) -> bool {
    let path = out.join(FILE);
    let (Ok(meta), Some(built)) = (fs::metadata(&path), executable_modified()) else {
        return false;
    };
    if !meta.modified().is_ok_and(|written| written >= built) {
        return false;
    }
    let Ok(text) = fs::read_to_string(&path) else {
        return false;
    };
    let mut lines = text.lines().filter(|line| !line.starts_with('#'));
    if lines.next() != Some(&format!("{INPUTS} {inputs:016x}")) {
        return false;
    }
    lines.all(|line| listed_file_matches(out, line))
}

/// Marks the fingerprint in `out` as written now, so that [`is_up_to_date`] sees it newer
/// than the executable even when its contents did not change.
pub fn touch(out: &Path) -> std::io::Result<()> {
    fs::File::options()
        .write(true)
        .open(out.join(FILE))?
        .set_modified(SystemTime::now())
}

/// Whether the line `<hash>  <path>` names a file under `out` with that hash.
fn listed_file_matches(out: &Path, line: &str) -> bool {
    let Some((hash, rel)) = line.split_once("  ") else {
        return false;
    };
    let rel = Path::new(rel);
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return false;
    }
    let Ok(hash) = u64::from_str_radix(hash, 16) else {
        return false;
    };
    fs::read(out.join(rel)).is_ok_and(|bytes| fnv1a64(&bytes) == hash)
}

/// When the running executable was last modified, if that can be known.
fn executable_modified() -> Option<SystemTime> {
    let exe = std::env::current_exe().ok()?;
    fs::metadata(exe).and_then(|meta| meta.modified()).ok()
}

/// A relative path with `/` separators on every platform.
fn slashed(rel: &Path) -> String {
    let parts: Vec<_> = rel.iter().map(|part| part.to_string_lossy()).collect();
    parts.join("/")
}

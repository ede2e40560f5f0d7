//! Loading a project: the manifest, the files it includes, their text and their data with
//! spans. Problems with a file's content become diagnostics; only a missing manifest or an
//! unreadable path is a [`LoadError`].

pub mod files;
pub mod span;
pub mod yaml;

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic, Location};
pub use files::{Disk, Entry, Files};
use span::{LineIndex, Part, Span};
use yaml::Document;

/// The manifest's file name in a project directory.
pub const MANIFEST: &str = "cqrsgen.yaml";

/// Largest spec file read, in bytes. Real spec files are far below 1 MiB.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A problem that stops loading before any spec can be read (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The path names neither a manifest nor a directory holding one.
    #[error("no {MANIFEST} found at `{}`", .0.display())]
    NoManifest(PathBuf),
    /// The manifest cannot be read.
    #[error("cannot read `{}`: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// One spec file.
#[derive(Debug)]
pub struct SourceFile {
    /// The path shown to users.
    pub path: PathBuf,
    /// The text (empty when it could not be read).
    pub text: Arc<str>,
    /// Line starts of the text.
    pub lines: LineIndex,
    /// The parsed data, when the file is valid YAML.
    pub document: Option<Document>,
}

impl SourceFile {
    /// A location in this file for the node at `pointer`.
    pub fn locate(&self, pointer: &str, part: Part) -> Location {
        match &self.document {
            Some(doc) => doc.spans.locate(&self.path, pointer, part),
            None => Location {
                pointer: pointer.to_owned(),
                ..self.location_of(Span::file_start())
            },
        }
    }

    fn location_of(&self, span: Span) -> Location {
        Location {
            file: self.path.clone(),
            start: span.start,
            end: span.end,
            pointer: String::new(),
        }
    }
}

/// A loaded project: the manifest first, then included files in path order.
#[derive(Debug)]
pub struct Project {
    /// The directory holding the manifest, as the user named it.
    pub root: PathBuf,
    /// The files.
    pub files: Vec<SourceFile>,
    /// Problems found while loading.
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads the project at `path` on disk: a manifest file, or a directory holding
/// `cqrsgen.yaml`.
pub fn load(path: &Path) -> Result<Project, LoadError> {
    load_from(&Disk, path)
}

/// Loads the project at `path` in `files`: a manifest file, or a directory holding
/// `cqrsgen.yaml`.
pub fn load_from(files: &dyn Files, path: &Path) -> Result<Project, LoadError> {
    load_with(files, path, read_source)
}

/// Loads the project at `path` on disk like [`load`], but leaves the included files
/// unparsed: their `document` is `None` and their `lines` empty; only their text is read.
/// Enough to know the project's files and bytes (for a fingerprint) at a fraction of the
/// cost. Files that cannot be read as text are reported as [`load`] reports them.
pub fn load_unparsed(path: &Path) -> Result<Project, LoadError> {
    load_with(&Disk, path, raw_source)
}

/// How an included file's bytes become a [`SourceFile`].
type ReadSource = fn(PathBuf, Result<Vec<u8>, u64>, &mut Vec<Diagnostic>) -> SourceFile;

/// [`load_from`], reading included files with `read_include`.
fn load_with(
    files: &dyn Files,
    path: &Path,
    read_include: ReadSource,
) -> Result<Project, LoadError> {
    let (root, manifest_name) = match files.entry(path) {
        Entry::Dir => (path.to_path_buf(), PathBuf::from(MANIFEST)),
        Entry::File => {
            let name = path.file_name().map(PathBuf::from).unwrap_or_default();
            let parent = path.parent().map(Path::to_path_buf).unwrap_or_default();
            (parent, name)
        }
        Entry::Missing => return Err(LoadError::NoManifest(path.to_path_buf())),
    };
    let manifest_path = root.join(&manifest_name);
    if files.entry(&manifest_path) != Entry::File {
        return Err(LoadError::NoManifest(path.to_path_buf()));
    }
    let display_root = if root == Path::new(".") {
        PathBuf::new()
    } else {
        root.clone()
    };
    let mut project = Project {
        root: root.clone(),
        files: Vec::new(),
        diagnostics: Vec::new(),
    };
    let manifest_bytes = files.read(&manifest_path).map_err(|source| LoadError::Io {
        path: manifest_path.clone(),
        source,
    })?;
    let manifest = read_source(
        display_root.join(&manifest_name),
        manifest_bytes,
        &mut project.diagnostics,
    );
    let includes = include_patterns(&manifest);
    project.files.push(manifest);

    let manifest_key = files.identity(&manifest_path);
    // `root` is empty for a manifest named without a directory.
    let root_key = files.identity(if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        &root
    });
    let mut seen = BTreeSet::from([manifest_key.clone()]);
    for (index, pattern) in includes {
        let at = project.files[0].locate(&format!("/include/{index}"), Part::Value);
        let here = || Some(at.clone());
        let matches = match expand(files, &root, &pattern) {
            Ok(matches) => matches,
            Err((message, label, help)) => {
                project.diagnostics.push(
                    Diagnostic::new(Code::Include, message)
                        .at(here())
                        .with_label(label)
                        .with_help(help),
                );
                continue;
            }
        };
        if matches.is_empty() {
            project.diagnostics.push(
                Diagnostic::new(Code::Include, format!("`{pattern}` matches no file"))
                    .at(here())
                    .with_label("no file matches this pattern")
                    .with_help("include patterns are relative to the manifest's directory"),
            );
        }
        for relative in matches {
            let full = root.join(&relative);
            let key = files.identity(&full);
            // A symbolic link may lead out of the project: refused before the file is read,
            // and without naming where it leads.
            if !key.starts_with(&root_key) {
                project.diagnostics.push(
                    Diagnostic::new(
                        Code::Include,
                        format!(
                            "`{}` (matched by `{pattern}`) leads outside the project directory",
                            display_root.join(&relative).display()
                        ),
                    )
                    .at(here())
                    .with_label("this pattern matches a link to a file outside the project")
                    .with_help(OUTSIDE_HELP),
                );
                continue;
            }
            if key == manifest_key {
                project.diagnostics.push(
                    Diagnostic::new(
                        Code::Include,
                        format!("`{pattern}` includes the manifest itself"),
                    )
                    .at(here())
                    .with_label("this pattern matches the manifest")
                    .with_help("narrow the pattern, e.g. `services/*.yaml`"),
                );
                continue;
            }
            if !seen.insert(key) {
                continue;
            }
            let display = display_root.join(&relative);
            match files.read(&full) {
                Ok(bytes) => {
                    let file = read_include(display, bytes, &mut project.diagnostics);
                    project.files.push(file);
                }
                Err(e) => project.diagnostics.push(
                    Diagnostic::new(
                        Code::Io,
                        format!("cannot read `{}`: {e}", display.display()),
                    )
                    .at(here()),
                ),
            }
        }
    }
    Ok(project)
}

/// The include patterns of a manifest, with their index, read leniently: the schema check
/// reports a malformed `include`.
fn include_patterns(manifest: &SourceFile) -> Vec<(usize, String)> {
    let Some(doc) = &manifest.document else {
        return Vec::new();
    };
    let Some(list) = doc.value.get("include").and_then(|v| v.as_array()) else {
        return Vec::new();
    };
    list.iter()
        .enumerate()
        .filter_map(|(i, v)| v.as_str().map(|s| (i, s.to_owned())))
        .collect()
}

/// What to do about an include that leads outside the project.
const OUTSIDE_HELP: &str =
    "include only files inside the manifest's directory; copy or move the file there";

/// Why an include could not be expanded: the finding's message, label and help.
type ExpandError = (String, &'static str, &'static str);

/// The files a pattern matches, relative to `root`, sorted. Patterns that are absolute or
/// climb out of `root` with `..` are refused before anything is read or listed.
fn expand(files: &dyn Files, root: &Path, pattern: &str) -> Result<Vec<PathBuf>, ExpandError> {
    let relative = Path::new(pattern);
    if relative.is_absolute()
        || relative
            .components()
            .any(|c| matches!(c, Component::Prefix(_) | Component::RootDir))
    {
        return Err((
            format!("`{pattern}` is absolute; include patterns are relative to the manifest"),
            "an absolute path",
            OUTSIDE_HELP,
        ));
    }
    if relative.components().any(|c| c == Component::ParentDir) {
        return Err((
            format!("`{pattern}` uses `..`; includes stay inside the project directory"),
            "`..` leads out of the manifest's directory",
            OUTSIDE_HELP,
        ));
    }
    files.glob(root, pattern).map_err(|message| {
        (
            message,
            "not a valid pattern",
            "include patterns are globs such as `services/*.yaml`",
        )
    })
}

/// Turns a file's UTF-8 bytes into a [`SourceFile`] without parsing them; anything else
/// goes through [`read_source`], which reports it.
fn raw_source(
    path: PathBuf,
    bytes: Result<Vec<u8>, u64>,
    diagnostics: &mut Vec<Diagnostic>,
) -> SourceFile {
    match bytes.map(String::from_utf8) {
        Ok(Ok(text)) => SourceFile {
            path,
            text: Arc::from(text),
            lines: LineIndex::new(""),
            document: None,
        },
        Ok(Err(e)) => read_source(path, Ok(e.into_bytes()), diagnostics),
        Err(len) => read_source(path, Err(len), diagnostics),
    }
}

/// Turns a file's bytes (or, as `Err`, the length of a file too large to read) into a
/// [`SourceFile`], reporting what keeps it from being read.
pub fn read_source(
    path: PathBuf,
    bytes: Result<Vec<u8>, u64>,
    diagnostics: &mut Vec<Diagnostic>,
) -> SourceFile {
    let unreadable = |path: PathBuf| SourceFile {
        path,
        text: Arc::from(""),
        lines: LineIndex::new(""),
        document: None,
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(len) => {
            let file = unreadable(path);
            diagnostics.push(
                Diagnostic::new(
                    Code::TooLarge,
                    format!(
                        "`{}` is {len} bytes, more than the {MAX_FILE_BYTES} bytes a spec file may have",
                        file.path.display()
                    ),
                )
                .at(Some(file.location_of(Span::file_start())))
                .with_help("split the spec into several files with `include`"),
            );
            return file;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            let lines = LineIndex::new(&prefix);
            let at = lines.position_of_offset(&prefix, valid);
            let mut file = unreadable(path);
            diagnostics.push(
                Diagnostic::new(
                    Code::Yaml,
                    format!(
                        "`{}` is not valid UTF-8 (byte {valid})",
                        file.path.display()
                    ),
                )
                .at(Some(file.location_of(Span { start: at, end: at })))
                .with_help("spec files are UTF-8 text"),
            );
            file.text = Arc::from(prefix);
            file.lines = lines;
            return file;
        }
    };
    let lines = LineIndex::new(&text);
    let mut file = SourceFile {
        path,
        text: Arc::from(text),
        lines,
        document: None,
    };
    match yaml::parse(&file.text, &file.lines) {
        Ok(doc) => {
            yaml11_warnings(&file.path, &doc, diagnostics);
            file.document = Some(doc);
        }
        Err(e) => {
            let mut d = Diagnostic::new(e.code, e.message).at(Some(file.location_of(e.span)));
            if let Some(help) = e.help {
                d = d.with_help(help);
            }
            diagnostics.push(d);
        }
    }
    file
}

/// One warning for each plain scalar of `doc` that YAML 1.1 tools read as a boolean.
fn yaml11_warnings(path: &Path, doc: &Document, diagnostics: &mut Vec<Diagnostic>) {
    for word in &doc.yaml11_booleans {
        let what = if word.key { "key" } else { "value" };
        let text = &word.text;
        diagnostics.push(
            Diagnostic::new(
                Code::Yaml11Boolean,
                format!(
                    "the unquoted {what} `{text}` is a string here but the boolean `{}` in YAML 1.1",
                    word.value
                ),
            )
            .at(Some(Location {
                file: path.to_path_buf(),
                start: word.span.start,
                end: word.span.end,
                pointer: word.pointer.clone(),
            }))
            .with_label("a boolean in YAML 1.1")
            .with_help(format!(
                "quote it (`\"{text}\"`) so that every YAML tool reads a string, or rename it"
            )),
        );
    }
}

//! Reading the estimate's input files (the volumes file and a price table): YAML with spans,
//! checked against the format's JSON Schema, then deserialized. What is wrong with a file's
//! content becomes located findings; only a file that cannot be read at all is an error.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diagnostic::{Code, Diagnostic};
use crate::load::span::{LineIndex, Part};
use crate::load::{MAX_FILE_BYTES, SourceFile, yaml};
use crate::validate::schema;

/// A file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read `{}`: {source}", path.display())]
pub struct ReadError {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub source: std::io::Error,
}

/// An input file: its text and data (for locating findings) and, when it has the format's
/// shape, its content.
#[derive(Debug)]
pub struct Input<T> {
    /// The file, its text and its spans.
    pub file: SourceFile,
    /// The content; `None` when the file is not YAML or not of the format's shape.
    pub content: Option<T>,
}

/// A format the estimate reads: its JSON Schema, compiled once, on first use.
pub(crate) struct Format {
    /// What the file is, for messages (`volumes file`).
    pub what: &'static str,
    schema: fn() -> Value,
    compiled: OnceLock<schema::Format>,
}

impl Format {
    pub(crate) const fn new(what: &'static str, schema: fn() -> Value) -> Self {
        Self {
            what,
            schema,
            compiled: OnceLock::new(),
        }
    }

    fn compiled(&self) -> &schema::Format {
        self.compiled
            .get_or_init(|| schema::Format::new((self.schema)(), Code::InputShape))
    }
}

/// Reads `path` from disk as a file of `format`.
pub(crate) fn read<T: DeserializeOwned>(
    path: &Path,
    format: &Format,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Input<T>, ReadError> {
    let error = |source| ReadError {
        path: path.to_path_buf(),
        source,
    };
    let len = std::fs::metadata(path).map_err(error)?.len();
    if len > MAX_FILE_BYTES {
        let file = source_file(path.to_path_buf(), String::new());
        diagnostics.push(
            Diagnostic::new(
                Code::InputFile,
                format!(
                    "`{}` is {len} bytes, more than the {MAX_FILE_BYTES} bytes a {} may have",
                    path.display(),
                    format.what
                ),
            )
            .at(Some(file.locate("", Part::Value))),
        );
        return Ok(Input {
            file,
            content: None,
        });
    }
    let bytes = std::fs::read(path).map_err(error)?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let file = source_file(path.to_path_buf(), String::new());
            diagnostics.push(
                Diagnostic::new(
                    Code::InputFile,
                    format!("`{}` is not valid UTF-8 (byte {valid})", path.display()),
                )
                .at(Some(file.locate("", Part::Value))),
            );
            return Ok(Input {
                file,
                content: None,
            });
        }
    };
    Ok(parse(path.to_path_buf(), text, format, diagnostics))
}

/// Parses `text` (the content of `path`) as a file of `format`.
pub(crate) fn parse<T: DeserializeOwned>(
    path: PathBuf,
    text: String,
    format: &Format,
    diagnostics: &mut Vec<Diagnostic>,
) -> Input<T> {
    let mut file = source_file(path, text);
    match yaml::parse(&file.text, &file.lines) {
        Ok(document) => file.document = Some(document),
        Err(e) => {
            let mut finding =
                Diagnostic::new(Code::InputFile, e.message).at(Some(crate::diagnostic::Location {
                    file: file.path.clone(),
                    start: e.span.start,
                    end: e.span.end,
                    pointer: String::new(),
                }));
            if let Some(help) = e.help {
                finding = finding.with_help(help);
            }
            diagnostics.push(finding);
            return Input {
                file,
                content: None,
            };
        }
    }
    let value = file
        .document
        .as_ref()
        .map(|d| d.value.clone())
        .unwrap_or_default();
    let found = format.compiled().check(&file, &value);
    if !found.is_empty() {
        diagnostics.extend(found);
        return Input {
            file,
            content: None,
        };
    }
    match serde_json::from_value(value) {
        Ok(content) => Input {
            file,
            content: Some(content),
        },
        Err(e) => {
            // The schema accepted what serde refuses: a gap between the two, reported at the
            // file rather than lost.
            diagnostics.push(
                Diagnostic::new(
                    Code::InputShape,
                    format!("the {} does not have the format's shape: {e}", format.what),
                )
                .at(Some(file.locate("", Part::Value))),
            );
            Input {
                file,
                content: None,
            }
        }
    }
}

fn source_file(path: PathBuf, text: String) -> SourceFile {
    let lines = LineIndex::new(&text);
    SourceFile {
        path,
        text: Arc::from(text),
        lines,
        document: None,
    }
}

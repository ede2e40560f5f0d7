//! The output layer: how generated files look, whatever they say.
//!
//! - [`RustModule`]: a Rust module built from tokens, pretty-printed by prettyplease (a parse
//!   failure means cqrsgen built invalid Rust: an [`EmitBug`]), with its imports sorted,
//!   deduplicated and grouped ([`imports`]) and a blank line between items ([`layout`]).
//!   Crate roots declare these modules `#[rustfmt::skip]`: `cargo fmt` leaves generated code
//!   alone without switching formatting off for anything else.
//! - [`CrateRoot`]: a crate's `lib.rs`, written in rustfmt's own style (so `cargo fmt --check`
//!   passes on it) and kept small: documentation, module declarations, re-exports.
//! - [`manifest`]: `Cargo.toml` files, written with toml_edit.
//! - [`json_file`]: JSON with the header as the first member.

pub(crate) mod imports;
pub(crate) mod layout;
pub(crate) mod manifest;

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;

use super::EmitBug;
use crate::write::{CommentStyle, GeneratedFile, HEADER_NOTICE, JSON_COMMENT_KEY, header};
use imports::Imports;

/// A Rust module being generated: its documentation, imports and items.
#[derive(Debug, Default)]
pub(crate) struct RustModule {
    docs: String,
    imports: Imports,
    items: Vec<TokenStream>,
}

impl RustModule {
    /// A module documented by `docs` (Markdown; the first line is its summary).
    pub(crate) fn new(docs: impl Into<String>) -> Self {
        Self {
            docs: docs.into(),
            ..Self::default()
        }
    }

    /// Imports `path` (`std::collections::BTreeMap`, `serde::{Deserialize, Serialize}`).
    pub(crate) fn import(&mut self, path: &str) -> &mut Self {
        self.imports.add(path);
        self
    }

    /// Adds items.
    pub(crate) fn item(&mut self, tokens: TokenStream) -> &mut Self {
        self.items.push(tokens);
        self
    }

    /// The module as a generated file at `path`.
    pub(crate) fn file(&self, path: impl Into<PathBuf>) -> Result<GeneratedFile, EmitBug> {
        let path = path.into();
        let contents = self.render(&path)?;
        Ok(GeneratedFile::new(path, contents))
    }

    /// The module's text: the header, the documentation, the imports, the items.
    fn render(&self, path: &Path) -> Result<String, EmitBug> {
        let items = &self.items;
        let file: syn::File =
            syn::parse2(quote::quote!(#(#items)*)).map_err(|source| EmitBug::InvalidRust {
                path: path.to_owned(),
                message: source.to_string(),
            })?;
        let mut out = header(CommentStyle::Slashes);
        out.push('\n');
        out.push_str(&doc_comment("//!", &self.docs));
        let imports = self.imports.render();
        if !imports.is_empty() {
            out.push('\n');
            out.push_str(&imports);
        }
        let body = layout::space_items(&prettyplease::unparse(&file));
        if !body.is_empty() {
            out.push('\n');
            out.push_str(&body);
        }
        Ok(out)
    }
}

/// The lines of documentation `text`, as every doc comment of the generated code takes them:
/// trailing blank lines dropped, tabs as four spaces (rustdoc renders tabs unpredictably;
/// clippy's `tabs_in_doc_comments`).
pub(crate) fn doc_lines(text: &str) -> impl Iterator<Item = String> + '_ {
    text.trim_end()
        .lines()
        .map(|line| line.replace('\t', "    "))
}

/// `text` as comment lines starting with `marker` (`//!`, `///`), blank lines kept.
pub(crate) fn doc_comment(marker: &str, text: &str) -> String {
    doc_lines(text)
        .map(|line| {
            if line.is_empty() {
                format!("{marker}\n")
            } else {
                format!("{marker} {line}\n")
            }
        })
        .collect()
}

/// A crate's `lib.rs`, written as rustfmt writes it.
#[derive(Debug, Default)]
pub(crate) struct CrateRoot {
    docs: String,
    modules: Vec<Declaration>,
    exports: Imports,
    items: Vec<String>,
}

/// A module declaration of a crate root.
#[derive(Debug)]
struct Declaration {
    name: String,
    public: bool,
    /// The file, when it lies outside the crate (the user's, formatted by `cargo fmt`).
    path: Option<String>,
}

impl CrateRoot {
    /// A crate documented by `docs`.
    pub(crate) fn new(docs: impl Into<String>) -> Self {
        Self {
            docs: docs.into(),
            ..Self::default()
        }
    }

    /// Declares the generated module `name`.
    pub(crate) fn module(&mut self, name: &str, public: bool) -> &mut Self {
        self.modules.push(Declaration {
            name: name.to_owned(),
            public,
            path: None,
        });
        self
    }

    /// Declares the module `name` from the user's file at `path` (relative to `src/`).
    pub(crate) fn user_module(&mut self, name: &str, path: &str) -> &mut Self {
        self.modules.push(Declaration {
            name: name.to_owned(),
            public: false,
            path: Some(path.to_owned()),
        });
        self
    }

    /// Re-exports `path` (`shop_events::types`, `listener::{Hooks, Listener}`).
    pub(crate) fn export(&mut self, path: &str) -> &mut Self {
        self.exports.add(path);
        self
    }

    /// Adds an item, written as rustfmt writes it (with its documentation).
    pub(crate) fn item(&mut self, text: &str) -> &mut Self {
        self.items.push(text.to_owned());
        self
    }

    /// The crate root as a generated file at `path`.
    pub(crate) fn file(&self, path: impl Into<PathBuf>) -> GeneratedFile {
        GeneratedFile::new(path, self.render())
    }

    fn render(&self) -> String {
        let mut out = header(CommentStyle::Slashes);
        out.push('\n');
        out.push_str(&doc_comment("//!", &self.docs));
        out.push_str("\n#![forbid(unsafe_code)]\n");
        let mut modules: Vec<&Declaration> = self.modules.iter().collect();
        modules.sort_by(|a, b| a.name.cmp(&b.name));
        if !modules.is_empty() {
            out.push('\n');
        }
        for module in modules {
            match &module.path {
                Some(path) => out.push_str(&format!("#[path = \"{path}\"]\n")),
                None => out.push_str("#[rustfmt::skip]\n"),
            }
            let visibility = if module.public { "pub " } else { "" };
            out.push_str(&format!("{visibility}mod {};\n", module.name));
        }
        let exports = self.exports.render_with("pub use");
        if !exports.is_empty() {
            out.push('\n');
            out.push_str(&exports);
        }
        for item in &self.items {
            out.push('\n');
            out.push_str(item);
        }
        out
    }
}

/// A JSON file: `value` (an object) with the header as its first member, pretty-printed.
pub(crate) fn json_file(path: impl Into<PathBuf>, value: serde_json::Value) -> GeneratedFile {
    let mut object = serde_json::Map::new();
    object.insert(JSON_COMMENT_KEY.into(), HEADER_NOTICE.into());
    if let serde_json::Value::Object(value) = value {
        object.extend(value);
    }
    let mut contents = serde_json::to_string_pretty(&object).unwrap_or_default();
    contents.push('\n');
    GeneratedFile::new(path, contents)
}

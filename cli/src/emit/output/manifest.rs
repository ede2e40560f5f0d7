//! `Cargo.toml` files, built as TOML documents with toml_edit (quoting and escaping are its
//! business, not string formatting's).

use std::collections::BTreeMap;

use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, value};

use crate::write::{CommentStyle, header};

/// The `rust-version` every crate cqrsgen writes declares: what the AWS SDK for Rust needs.
/// The workspace manifest of this repository declares the same (a test checks it).
pub const RUST_VERSION: &str = "1.94.1";

/// The Rust edition of every crate cqrsgen writes.
pub const EDITION: &str = "2024";

/// A dependency of a generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Dependency {
    /// A crate at a path relative to the manifest.
    Path(String),
    /// A crate from crates.io.
    Registry {
        /// The version requirement.
        version: &'static str,
        /// Features to enable.
        features: &'static [&'static str],
        /// Whether the default features stay on.
        default_features: bool,
    },
}

impl Dependency {
    /// A crates.io dependency with its default features and `features`.
    pub(crate) const fn registry(version: &'static str, features: &'static [&'static str]) -> Self {
        Dependency::Registry {
            version,
            features,
            default_features: true,
        }
    }
}

/// The manifest of one crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Manifest {
    name: String,
    description: String,
    dependencies: BTreeMap<String, Dependency>,
}

impl Manifest {
    /// The manifest of package `name`, described by `description`.
    pub(crate) fn new(name: &str, description: impl Into<String>) -> Self {
        Self {
            name: name.to_owned(),
            description: description.into(),
            dependencies: BTreeMap::new(),
        }
    }

    /// Adds (or replaces) the dependency `name`.
    pub(crate) fn dependency(&mut self, name: &str, dependency: Dependency) -> &mut Self {
        self.dependencies.insert(name.to_owned(), dependency);
        self
    }

    /// The manifest as a generated file's text, under the header.
    pub(crate) fn generated(&self) -> String {
        format!("{}\n{}", header(CommentStyle::Hash), self.document())
    }

    /// The manifest as the text of a file the user owns (no header).
    pub(crate) fn scaffold(&self, comment: &str) -> String {
        let comment: String = comment.lines().map(|line| format!("# {line}\n")).collect();
        format!("{comment}\n{}", self.document())
    }

    fn document(&self) -> DocumentMut {
        let mut document = DocumentMut::new();
        let mut package = Table::new();
        package.insert("name", value(&self.name));
        package.insert("version", value("0.1.0"));
        package.insert("edition", value(EDITION));
        package.insert("rust-version", value(RUST_VERSION));
        package.insert("description", value(&self.description));
        package.insert("publish", value(false));
        document.insert("package", Item::Table(package));
        let mut dependencies = Table::new();
        for (name, dependency) in &self.dependencies {
            dependencies.insert(name, value(inline(dependency)));
        }
        document.insert("dependencies", Item::Table(dependencies));
        document
    }
}

/// A dependency as an inline table (`{ path = "..." }`, `{ version = "1", features = [...] }`),
/// or a bare version string when nothing else is said.
fn inline(dependency: &Dependency) -> toml_edit::Value {
    match dependency {
        Dependency::Path(path) => {
            let mut table = InlineTable::new();
            table.insert("path", path.as_str().into());
            table.into()
        }
        Dependency::Registry {
            version,
            features,
            default_features,
        } => {
            if features.is_empty() && *default_features {
                return (*version).into();
            }
            let mut table = InlineTable::new();
            table.insert("version", (*version).into());
            if !default_features {
                table.insert("default-features", false.into());
            }
            if !features.is_empty() {
                let features: Array = features.iter().copied().collect();
                table.insert("features", features.into());
            }
            table.into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_are_toml_with_sorted_dependencies() {
        let mut manifest = Manifest::new("shop-events", "Typed \"domain\" events");
        manifest
            .dependency("serde_json", Dependency::registry("1", &[]))
            .dependency(
                "cqrsgen-events",
                Dependency::Path("../cqrsgen-events".into()),
            )
            .dependency(
                "chrono",
                Dependency::Registry {
                    version: "0.4",
                    features: &["serde", "std"],
                    default_features: false,
                },
            );
        let text = manifest.generated();
        assert!(text.starts_with("# @generated by cqrsgen"));
        let parsed: DocumentMut = text.parse().expect("valid TOML");
        assert_eq!(
            parsed["package"]["description"].as_str(),
            Some("Typed \"domain\" events")
        );
        assert_eq!(
            parsed["package"]["rust-version"].as_str(),
            Some(RUST_VERSION)
        );
        let names: Vec<&str> = parsed["dependencies"]
            .as_table()
            .expect("a table")
            .iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(names, ["chrono", "cqrsgen-events", "serde_json"]);
        assert!(text.contains(
            "chrono = { version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }"
        ));
    }

    #[test]
    fn the_rust_version_is_the_workspaces() {
        let workspace: DocumentMut = include_str!("../../../../Cargo.toml")
            .parse()
            .expect("the workspace manifest");
        assert_eq!(
            workspace["workspace"]["package"]["rust-version"].as_str(),
            Some(RUST_VERSION)
        );
    }
}

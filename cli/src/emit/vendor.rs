//! The vendored runtime: the source of this repository's `cqrsgen-runtime` crate, embedded
//! in the binary and written into a generated project as `cqrsgen-runtime/`, so that the
//! project builds with crates.io dependencies only.
//!
//! The manifest is derived from the runtime's `Cargo.toml` with every `*.workspace = true`
//! replaced by the workspace's value; lints, dev-dependencies and benchmarks are left out.

use std::path::PathBuf;

use super::GeneratedFile;
use crate::write::{CommentStyle, header};

/// The package name of the runtime crate.
pub const RUNTIME_PACKAGE: &str = "cqrsgen-runtime";

/// The runtime's manifest, as written in this repository.
const MANIFEST: &str = include_str!("../../../runtime/Cargo.toml");

/// The workspace manifest the runtime's manifest inherits from.
const WORKSPACE: &str = include_str!("../../../Cargo.toml");

/// Every source file of the runtime, by path in the crate.
const SOURCES: &[(&str, &str)] = &[
    (
        "src/clients.rs",
        include_str!("../../../runtime/src/clients.rs"),
    ),
    ("src/env.rs", include_str!("../../../runtime/src/env.rs")),
    (
        "src/envelope.rs",
        include_str!("../../../runtime/src/envelope.rs"),
    ),
    (
        "src/error.rs",
        include_str!("../../../runtime/src/error.rs"),
    ),
    (
        "src/lambda.rs",
        include_str!("../../../runtime/src/lambda.rs"),
    ),
    ("src/lib.rs", include_str!("../../../runtime/src/lib.rs")),
    (
        "src/listener.rs",
        include_str!("../../../runtime/src/listener.rs"),
    ),
    (
        "src/publish.rs",
        include_str!("../../../runtime/src/publish.rs"),
    ),
    (
        "src/store/any.rs",
        include_str!("../../../runtime/src/store/any.rs"),
    ),
    (
        "src/store/dynamo.rs",
        include_str!("../../../runtime/src/store/dynamo.rs"),
    ),
    (
        "src/store/memory.rs",
        include_str!("../../../runtime/src/store/memory.rs"),
    ),
    (
        "src/store/merge.rs",
        include_str!("../../../runtime/src/store/merge.rs"),
    ),
    (
        "src/store/mod.rs",
        include_str!("../../../runtime/src/store/mod.rs"),
    ),
    (
        "src/store/version.rs",
        include_str!("../../../runtime/src/store/version.rs"),
    ),
    (
        "src/stream.rs",
        include_str!("../../../runtime/src/stream.rs"),
    ),
    (
        "src/test_support.rs",
        include_str!("../../../runtime/src/test_support.rs"),
    ),
    (
        "src/trigger.rs",
        include_str!("../../../runtime/src/trigger.rs"),
    ),
];

/// The files of the vendored runtime crate, under `cqrsgen-runtime/`, sorted by path.
pub fn vendored_runtime() -> Vec<GeneratedFile> {
    let root = PathBuf::from(RUNTIME_PACKAGE);
    let mut files = vec![GeneratedFile::new(
        root.join("Cargo.toml"),
        format!(
            "{}\n{}",
            header(CommentStyle::Hash),
            manifest(MANIFEST, WORKSPACE)
        ),
    )];
    files.extend(SOURCES.iter().map(|(path, source)| {
        GeneratedFile::new(
            root.join(path),
            format!("{}\n{source}", header(CommentStyle::Slashes)),
        )
    }));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Sections of the runtime's manifest that only matter inside this repository.
const DROPPED_SECTIONS: &[&str] = &["[lints]", "[dev-dependencies]", "[[bench]]"];

/// `manifest` with its workspace inheritance resolved from `workspace`.
fn manifest(manifest: &str, workspace: &str) -> String {
    let package = section(workspace, "[workspace.package]");
    let dependencies = section(workspace, "[workspace.dependencies]");
    let mut out = String::new();
    let mut current = "";
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            current = trimmed;
        }
        if DROPPED_SECTIONS.contains(&current) {
            continue;
        }
        let inherited = trimmed.strip_suffix(".workspace = true").map(|key| {
            (
                key,
                if current == "[package]" {
                    &package
                } else {
                    &dependencies
                },
            )
        });
        match inherited.and_then(|(key, values)| values.iter().find(|(k, _)| *k == key)) {
            Some((key, value)) => out.push_str(&format!("{key} = {value}\n")),
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The `key = value` lines of a TOML section.
fn section<'a>(toml: &'a str, name: &str) -> Vec<(&'a str, &'a str)> {
    toml.lines()
        .skip_while(|line| line.trim() != name)
        .skip(1)
        .take_while(|line| !line.trim_start().starts_with('['))
        .filter_map(|line| {
            let (key, value) = line.split_once('=')?;
            Some((key.trim(), value.trim()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;

    fn files_under(dir: &Path, prefix: &str, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).expect("the runtime's source directory") {
            let entry = entry.expect("a directory entry");
            let name = format!("{prefix}/{}", entry.file_name().to_string_lossy());
            if entry.path().is_dir() {
                files_under(&entry.path(), &name, out);
            } else {
                out.insert(name);
            }
        }
    }

    #[test]
    fn every_runtime_source_file_is_embedded() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src");
        let mut on_disk = BTreeSet::new();
        files_under(&src, "src", &mut on_disk);
        let embedded: BTreeSet<String> = SOURCES.iter().map(|(p, _)| (*p).to_owned()).collect();
        assert_eq!(
            embedded, on_disk,
            "update SOURCES in cli/src/emit/vendor.rs"
        );
    }

    #[test]
    fn the_manifest_inherits_nothing() {
        let files = vendored_runtime();
        let cargo = &files[0];
        assert_eq!(cargo.path, Path::new("cqrsgen-runtime/Cargo.toml"));
        assert!(!cargo.contents.contains("workspace"), "{}", cargo.contents);
        assert!(!cargo.contents.contains("[lints]"));
        assert!(cargo.contents.contains("name = \"cqrsgen-runtime\""));
        assert!(cargo.contents.contains("edition = \"2024\""));
        assert!(cargo.contents.contains("serde_dynamo = { version = "));
        assert!(cargo.contents.contains("[dependencies]\naws-config = {"));
    }

    #[test]
    fn inheritance_is_resolved_per_section() {
        let workspace = "[workspace.package]\nedition = \"2024\"\n\n\
                         [workspace.dependencies]\nserde = \"1\"\n";
        let manifest = "[package]\nname = \"x\"\nedition.workspace = true\n\n\
                        [dependencies]\nserde.workspace = true\n\n\
                        [dev-dependencies]\ncriterion.workspace = true\n\n\
                        [lints]\nworkspace = true\n";
        assert_eq!(
            super::manifest(manifest, workspace),
            "[package]\nname = \"x\"\nedition = \"2024\"\n\n[dependencies]\nserde = \"1\"\n"
        );
    }
}

//! The vendored library crates: the source of this repository's `cqrsgen-events` and
//! `cqrsgen-runtime`, embedded in the binary and written into a generated project as
//! `crates/cqrsgen-events/` and `crates/cqrsgen-runtime/`, so that the project builds with
//! crates.io dependencies only.
//!
//! Each manifest is the library's own with its workspace inheritance resolved from this
//! repository's workspace manifest (parsed with toml_edit); lints and benchmarks are left out,
//! and of the dev-dependencies only those that add features to a dependency (tokio's
//! `test-util`, which the libraries' unit tests need) stay, so that `cargo test` builds the
//! vendored crates too. The runtime's path dependency on `../cqrsgen-events` holds in both
//! places, since the directories are named after the packages.

use std::path::PathBuf;

use toml_edit::{DocumentMut, InlineTable, Item, Value};

use super::{CRATES_DIR, EVENTS_PACKAGE, EmitBug, GeneratedFile, RUNTIME_PACKAGE};
use crate::write::{CommentStyle, header};

/// The workspace manifest the libraries' manifests inherit from.
const WORKSPACE: &str = include_str!("../../../Cargo.toml");

/// Source files of a library, by path in the crate.
macro_rules! sources {
    ($package:literal: $($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../../runtime/", $package, "/", $path)))),*]
    };
}

/// A library crate as embedded: its package name, manifest and sources.
struct Library {
    package: &'static str,
    manifest: &'static str,
    sources: &'static [(&'static str, &'static str)],
}

/// The libraries, in dependency order.
const LIBRARIES: [Library; 2] = [
    Library {
        package: EVENTS_PACKAGE,
        manifest: include_str!("../../../runtime/cqrsgen-events/Cargo.toml"),
        sources: sources!("cqrsgen-events":
            "src/decode.rs",
            "src/envelope.rs",
            "src/lib.rs",
            "src/merge.rs",
            "src/publish.rs",
            "src/validation.rs",
            "src/version.rs",
            "src/wire.rs",
        ),
    },
    Library {
        package: RUNTIME_PACKAGE,
        manifest: include_str!("../../../runtime/cqrsgen-runtime/Cargo.toml"),
        sources: sources!("cqrsgen-runtime":
            "src/clients.rs",
            "src/deadline.rs",
            "src/entity/any.rs",
            "src/entity/dynamo.rs",
            "src/entity/memory.rs",
            "src/entity/mod.rs",
            "src/entity/tests.rs",
            "src/env.rs",
            "src/envelope.rs",
            "src/error.rs",
            "src/lambda.rs",
            "src/lib.rs",
            "src/listener.rs",
            "src/publish.rs",
            "src/store/any.rs",
            "src/store/dynamo.rs",
            "src/store/memory.rs",
            "src/store/mod.rs",
            "src/stream.rs",
            "src/test_support.rs",
            "src/trigger.rs",
        ),
    },
];

/// The files of both vendored libraries, under `crates/cqrsgen-events/` and
/// `crates/cqrsgen-runtime/`.
pub fn vendored_libraries() -> Result<Vec<GeneratedFile>, EmitBug> {
    let workspace: DocumentMut = WORKSPACE
        .parse()
        .map_err(|e| EmitBug::Internal(format!("the workspace manifest: {e}")))?;
    let mut files = Vec::new();
    for library in &LIBRARIES {
        let root = PathBuf::from(CRATES_DIR).join(library.package);
        files.push(GeneratedFile::new(
            root.join("Cargo.toml"),
            format!(
                "{}\n{}",
                header(CommentStyle::Hash),
                standalone(library.manifest, &workspace)?
            ),
        ));
        files.extend(library.sources.iter().map(|(path, source)| {
            GeneratedFile::new(
                root.join(path),
                format!("{}\n{source}", header(CommentStyle::Slashes)),
            )
        }));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Sections of a library's manifest that only matter inside this repository.
const DROPPED: [&str; 2] = ["lints", "bench"];

/// `manifest` with its workspace inheritance resolved from `workspace`, and its
/// dev-dependencies cut to those that only add features to a dependency.
fn standalone(manifest: &str, workspace: &DocumentMut) -> Result<String, EmitBug> {
    let bug = |what: &str| EmitBug::Internal(format!("vendoring a library manifest: {what}"));
    let mut document: DocumentMut = manifest.parse().map_err(|_| bug("not TOML"))?;
    for section in DROPPED {
        document.remove(section);
    }
    keep_feature_dev_dependencies(&mut document);
    for (section, from) in [
        ("package", "package"),
        ("dependencies", "dependencies"),
        ("dev-dependencies", "dependencies"),
    ] {
        let inherited = workspace
            .get("workspace")
            .and_then(|w| w.get(from))
            .and_then(Item::as_table_like);
        let Some(table) = document.get_mut(section).and_then(Item::as_table_like_mut) else {
            continue;
        };
        for (key, value) in table.iter_mut() {
            if !inherits(value) {
                continue;
            }
            let resolved = inherited
                .and_then(|t| t.get(key.get()))
                .ok_or_else(|| bug(&format!("`{}` is not in the workspace", key.get())))?;
            *value = with_added_features(resolved, value);
        }
    }
    Ok(document.to_string())
}

/// Whether a manifest entry is `key.workspace = true` or `key = { workspace = true, .. }`.
fn inherits(value: &Item) -> bool {
    value
        .as_table_like()
        .and_then(|t| t.get("workspace"))
        .and_then(Item::as_bool)
        == Some(true)
}

/// Drops the dev-dependencies that are not also dependencies (test and benchmark tools), and
/// the section when nothing stays.
fn keep_feature_dev_dependencies(document: &mut DocumentMut) {
    let normal: Vec<String> = document
        .get("dependencies")
        .and_then(Item::as_table_like)
        .map(|t| t.iter().map(|(k, _)| k.to_owned()).collect())
        .unwrap_or_default();
    let Some(dev) = document
        .get_mut("dev-dependencies")
        .and_then(Item::as_table_mut)
    else {
        return;
    };
    dev.retain(|key, _| normal.iter().any(|n| n == key));
    if dev.is_empty() {
        document.remove("dev-dependencies");
    }
}

/// The workspace's entry `resolved` as an inline table, with the `features` the inheriting
/// entry `local` adds (cargo's rule: inherited features are the union).
fn with_added_features(resolved: &Item, local: &Item) -> Item {
    let added = local
        .as_table_like()
        .and_then(|t| t.get("features"))
        .and_then(Item::as_array);
    let Some(added) = added else {
        return resolved.clone();
    };
    // A `[workspace.dependencies.<name>]` table becomes an inline one; a version string, the
    // table's `version`.
    let mut table = match resolved.clone().into_value() {
        Ok(Value::InlineTable(table)) => table,
        Ok(version) => InlineTable::from_iter([("version", version)]),
        Err(_) => return resolved.clone(),
    };
    let mut features = table
        .get("features")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for feature in added.iter() {
        if !features.iter().any(|f| f.as_str() == feature.as_str()) {
            features.push_formatted(feature.clone().decorated(" ", ""));
        }
    }
    table.insert("features", Value::Array(features));
    Item::Value(Value::InlineTable(table))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;

    fn files_under(dir: &Path, prefix: &str, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).expect("a library's source directory") {
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
    fn every_library_source_file_is_embedded() {
        for library in &LIBRARIES {
            let src = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../runtime")
                .join(library.package)
                .join("src");
            let mut on_disk = BTreeSet::new();
            files_under(&src, "src", &mut on_disk);
            let embedded: BTreeSet<String> = library
                .sources
                .iter()
                .map(|(p, _)| (*p).to_owned())
                .collect();
            assert_eq!(
                embedded, on_disk,
                "update LIBRARIES in cli/src/emit/vendor.rs"
            );
        }
    }

    #[test]
    fn the_manifests_inherit_nothing() {
        let files = vendored_libraries().expect("vendored");
        for package in [EVENTS_PACKAGE, RUNTIME_PACKAGE] {
            let cargo = files
                .iter()
                .find(|f| f.path == Path::new(CRATES_DIR).join(package).join("Cargo.toml"))
                .expect("a manifest");
            let parsed: DocumentMut = cargo.contents.parse().expect("TOML");
            assert!(!cargo.contents.contains("workspace"), "{}", cargo.contents);
            assert!(parsed.get("lints").is_none() && parsed.get("bench").is_none());
            assert_eq!(parsed["package"]["name"].as_str(), Some(package));
            assert_eq!(parsed["package"]["edition"].as_str(), Some("2024"));
            assert!(parsed["dependencies"]["serde"].is_inline_table());
        }
    }

    #[test]
    fn inheritance_is_resolved_per_section() {
        let workspace: DocumentMut = "[workspace.package]\nedition = \"2024\"\n\n\
                                      [workspace.dependencies]\nserde = \"1\"\n"
            .parse()
            .expect("TOML");
        let manifest = "[package]\nname = \"x\"\nedition.workspace = true\n\n\
                        [dependencies]\nserde.workspace = true\n\n\
                        [dev-dependencies]\ncriterion.workspace = true\n\n\
                        [lints]\nworkspace = true\n";
        let resolved: DocumentMut = standalone(manifest, &workspace)
            .expect("resolved")
            .parse()
            .expect("TOML");
        assert_eq!(resolved["package"]["edition"].as_str(), Some("2024"));
        assert_eq!(resolved["dependencies"]["serde"].as_str(), Some("1"));
        assert!(resolved.get("dev-dependencies").is_none());
    }

    #[test]
    fn dev_dependencies_that_add_features_stay_with_the_union_of_features() {
        let workspace: DocumentMut = "[workspace.dependencies]\n\
                                      tokio = { version = \"1\", features = [\"time\"] }\n\
                                      criterion = \"0.7\"\n"
            .parse()
            .expect("TOML");
        let manifest = "[package]\nname = \"x\"\n\n\
                        [dependencies]\ntokio.workspace = true\n\n\
                        [dev-dependencies]\ncriterion.workspace = true\n\
                        tokio = { workspace = true, features = [\"test-util\", \"time\"] }\n";
        let resolved: DocumentMut = standalone(manifest, &workspace)
            .expect("resolved")
            .parse()
            .expect("TOML");
        let dev = resolved["dev-dependencies"].as_table_like().expect("kept");
        assert!(dev.get("criterion").is_none());
        let tokio = &resolved["dev-dependencies"]["tokio"];
        assert_eq!(tokio["version"].as_str(), Some("1"));
        let features: Vec<_> = tokio["features"]
            .as_array()
            .expect("features")
            .iter()
            .filter_map(|f| f.as_str())
            .collect();
        assert_eq!(features, ["time", "test-util"]);
        assert!(tokio.get("workspace").is_none());
    }
}

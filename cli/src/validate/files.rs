//! Per-file checks: format version, JSON Schema shape, manifest-only keys, and names
//! defined in more than one file.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::schema;
use crate::diagnostic::{Code, Diagnostic};
use crate::load::span::{Part, child};
use crate::load::{MANIFEST, Project, SourceFile};
use crate::spec::{FORMAT_VERSION, SpecFile};

/// Checks every file; returns the deserialized files (with their index) when all of them have
/// the format's shape.
pub fn check(project: &Project, out: &mut Vec<Diagnostic>) -> Option<Vec<(usize, SpecFile)>> {
    let mut specs = Vec::new();
    let mut complete = true;
    for (index, file) in project.files.iter().enumerate() {
        let Some(doc) = &file.document else {
            complete = false;
            continue;
        };
        match check_file(file, &doc.value, index == 0, out) {
            Some(spec) => specs.push((index, spec)),
            None => complete = false,
        }
    }
    duplicates(project, &specs, out);
    complete.then_some(specs)
}

fn check_file(
    file: &SourceFile,
    value: &Value,
    is_manifest: bool,
    out: &mut Vec<Diagnostic>,
) -> Option<SpecFile> {
    let version = value.get("cqrsgen");
    let bad_version = version
        .and_then(Value::as_u64)
        .filter(|v| *v != FORMAT_VERSION);
    if let Some(v) = bad_version {
        out.push(
            Diagnostic::new(Code::FormatVersion, format!("format version {v} is not supported; this cqrsgen reads version {FORMAT_VERSION}"))
                .at(Some(file.locate("/cqrsgen", Part::Value)))
                .with_label("unsupported version")
                .with_help("upgrade cqrsgen, or write `cqrsgen: 1`"),
        );
    }
    let mut shape = schema::check(file, value);
    if bad_version.is_some() {
        shape.retain(|d| d.location.as_ref().is_none_or(|l| l.pointer != "/cqrsgen"));
    }
    let valid = shape.is_empty() && bad_version.is_none();
    out.extend(shape);
    if !valid {
        return None;
    }
    let spec: SpecFile = match SpecFile::deserialize(value) {
        Ok(spec) => spec,
        Err(e) => {
            out.push(
                Diagnostic::new(
                    Code::Schema,
                    format!("the file does not have the format's shape: {e}"),
                )
                .at(Some(file.locate("", Part::Value))),
            );
            return None;
        }
    };
    manifest_keys(file, &spec, is_manifest, out);
    Some(spec)
}

fn manifest_keys(file: &SourceFile, spec: &SpecFile, is_manifest: bool, out: &mut Vec<Diagnostic>) {
    if is_manifest {
        for (key, present) in [
            ("system", spec.system.is_some()),
            ("bus", spec.bus.is_some()),
        ] {
            if !present {
                out.push(
                    Diagnostic::new(
                        Code::ManifestOnly,
                        format!("the manifest must declare `{key}`"),
                    )
                    .at(Some(file.locate("/cqrsgen", Part::Key)))
                    .with_label(format!("no `{key}` in this manifest"))
                    .with_help(format!("add `{key}: <name>` next to `cqrsgen: 1`")),
                );
            }
        }
        return;
    }
    let present = [
        ("system", spec.system.is_some()),
        ("bus", spec.bus.is_some()),
        ("include", !spec.include.is_empty()),
        ("acknowledge", !spec.acknowledge.is_empty()),
        ("generate", spec.generate.is_some()),
    ];
    for (key, _) in present.iter().filter(|(_, p)| *p) {
        out.push(
            Diagnostic::new(
                Code::ManifestOnly,
                format!("`{key}` may only appear in the manifest ({MANIFEST})"),
            )
            .at(Some(file.locate(&format!("/{key}"), Part::Key)))
            .with_label("not allowed in an included file")
            .with_help(format!("move `{key}` to {MANIFEST}")),
        );
    }
}

/// Types, events and services defined in more than one file.
fn duplicates(project: &Project, specs: &[(usize, SpecFile)], out: &mut Vec<Diagnostic>) {
    let mut first: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (index, spec) in specs {
        let sections = [
            ("types", spec.types.keys().collect::<Vec<_>>()),
            ("events", spec.events.keys().collect()),
            ("services", spec.services.keys().collect()),
        ];
        for (section, names) in sections {
            for name in names {
                let pointer = child(&format!("/{section}"), name);
                match first.get(&(section, name.as_str())) {
                    None => {
                        first.insert((section, name), *index);
                    }
                    Some(&earlier) => {
                        let earlier_at = project.files[earlier].locate(&pointer, Part::Key);
                        out.push(
                            Diagnostic::new(
                                Code::DuplicateName,
                                format!("`{name}` is defined twice in `{section}`"),
                            )
                            .at(Some(project.files[*index].locate(&pointer, Part::Key)))
                            .with_label("defined again here")
                            .with_help(format!(
                                "first defined at {}:{}:{}; rename one of them",
                                earlier_at.file.display(),
                                earlier_at.start.line,
                                earlier_at.start.column
                            )),
                        );
                    }
                }
            }
        }
    }
}

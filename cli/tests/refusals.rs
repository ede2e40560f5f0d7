//! The fixtures of specs `validate` now rejects for what would otherwise fail later: without
//! validation, the emitter refuses their model or generates two files at one path. (The
//! fixtures of names that only the compiler would reject are compiled nowhere: the
//! reserved names are kept in step with the generated code by a test of
//! `validate::idents`.)

use std::collections::BTreeSet;
use std::path::Path;

use cqrsgen::emit::{Options, generate_all};
use cqrsgen::spec::SpecFile;

/// Generates a fixture's spec without validating it: `Err` with what went wrong.
fn generate_unvalidated(fixture: &str) -> Result<(), String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(fixture);
    let project = cqrsgen::load::load(&dir).expect("the fixture loads");
    let specs: Vec<SpecFile> = project
        .files
        .iter()
        .map(|f| {
            let value = f.document.as_ref().expect("valid YAML").value.clone();
            serde_json::from_value(value).expect("the fixture has the format's shape")
        })
        .collect();
    let indexed: Vec<(usize, &SpecFile)> = specs.iter().enumerate().collect();
    let (system, _) = cqrsgen::model::build(&indexed);
    let files = generate_all(&system, &Options::default()).map_err(|e| e.to_string())?;
    let mut paths = BTreeSet::new();
    match files.iter().find(|f| !paths.insert(&f.path)) {
        Some(file) => Err(format!("`{}` is generated twice", file.path.display())),
        None => Ok(()),
    }
}

#[test]
fn the_emitter_refuses_what_validate_now_rejects() {
    let cases = [
        ("e046-upcast-hook-reused", "is named for both"),
        ("e046-constraint-change", "is not additive"),
        ("e011-reserved-module", "which the events crate reserves"),
        ("e011-crate-name", "is generated twice"),
        ("e011-template-name", "`infra/hub.yaml` is generated twice"),
        ("e011-aws-resource-name", "would be named"),
        ("e051-entity-key", "does not name a field"),
        ("e043-optional-source", "may be absent"),
    ];
    let mut wrong = Vec::new();
    for (fixture, expected) in cases {
        match generate_unvalidated(fixture) {
            Err(message) if message.contains(expected) => {}
            other => wrong.push(format!(
                "{fixture}: expected an error with `{expected}`, got {other:?}"
            )),
        }
        let expected_txt = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures")
            .join(fixture)
            .join("expected.txt");
        let text = std::fs::read_to_string(expected_txt).expect("the fixture has expected.txt");
        assert!(
            text.starts_with("exit: 1\n"),
            "{fixture} is not rejected by validate"
        );
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

//! The corpus of tricky specs (`tests/corpus/<case>/cqrsgen.yaml`): keywords and
//! near-collisions as names, deep and recursive records, every type and constraint, odd
//! enum values, names at the length limits, versions and upcasts, external events, every
//! filter operator, views with sort keys, indexes, metadata and constants, every kind of
//! publish rule.
//!
//! Each case goes through `cqrsgen validate` as a user runs it: either the validator reports
//! located findings (exit 1) or the spec is valid (exit 0), never a panic, a usage error or
//! an unlocated `error:` line. The valid ones are generated, formatted, clippy-checked and
//! built by `cli/tests/generation.rs` (in a copy: `generate` scaffolds files next to the
//! spec).

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/corpus exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("cqrsgen.yaml").is_file())
        .collect();
    cases.sort();
    cases
}

/// Runs `cqrsgen` with `args`: exit code and stderr.
fn run(args: &[&std::ffi::OsStr]) -> (i32, String) {
    let output = Command::cargo_bin("cqrsgen")
        .expect("binary built")
        .args(args)
        .args(["--color", "never"])
        .output()
        .expect("cqrsgen runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Whether `stderr` shows a crash or an error the validator did not locate.
fn broken(stderr: &str) -> bool {
    stderr.contains("panicked")
        || stderr.lines().any(|l| l.starts_with("error:"))
        || stderr.to_lowercase().contains("internal error")
}

#[test]
fn every_corpus_case_is_rejected_with_located_findings_or_validates() {
    let cases = cases();
    assert!(cases.len() >= 10, "the corpus is missing: {cases:?}");
    let mut problems = Vec::new();
    let mut valid = 0;
    for case in &cases {
        let name = case.file_name().expect("a name").to_string_lossy();
        let (code, stderr) = run(&["validate".as_ref(), case.as_os_str()]);
        match code {
            0 if !broken(&stderr) => valid += 1,
            1 if !broken(&stderr) && stderr.contains("error[E") => {}
            _ => problems.push(format!("{name}: validate exited {code}:\n{stderr}")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The corpus is of valid specs: a validator that rejected them all would prove nothing.
    assert!(valid * 2 > cases.len(), "only {valid} cases validate");
}

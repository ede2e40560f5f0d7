//! The corpus of tricky specs (`tests/corpus/<case>/cqrsgen.yaml`): keywords and
//! near-collisions as names, deep and recursive records, every type and constraint, odd
//! enum values, names at the length limits, versions and upcasts, external events, every
//! filter operator, views with sort keys, indexes, metadata and constants, every kind of
//! publish rule.
//!
//! Each case goes through the command line as a user runs it: `cqrsgen validate`, and, when
//! that finds no error, `cqrsgen generate` into a temporary directory. Either the validator
//! reports located findings (exit 1) or generation succeeds (exit 0): never a panic, a
//! usage error or an unlocated `error:` line from the emitters.

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
fn every_corpus_case_is_rejected_with_findings_or_generates() {
    let cases = cases();
    assert!(cases.len() >= 10, "the corpus is missing: {cases:?}");
    let out_root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-generated");
    let mut problems = Vec::new();
    let mut generated = 0;
    for case in &cases {
        let name = case.file_name().expect("a name").to_string_lossy();
        let (code, stderr) = run(&["validate".as_ref(), case.as_os_str()]);
        match code {
            0 if !broken(&stderr) => {}
            1 if !broken(&stderr) && stderr.contains("error[E") => continue,
            _ => {
                problems.push(format!("{name}: validate exited {code}:\n{stderr}"));
                continue;
            }
        }
        let out = out_root.join(&*name);
        if out.exists() {
            std::fs::remove_dir_all(&out).expect("clear the output directory");
        }
        let (code, stderr) = run(&[
            "generate".as_ref(),
            case.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ]);
        if code != 0 || broken(&stderr) {
            problems.push(format!(
                "{name}: validates, but generate exited {code}:\n{stderr}"
            ));
        } else {
            generated += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&out_root);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The corpus is of valid specs: a validator that rejected them all would prove nothing.
    assert!(
        generated * 2 > cases.len(),
        "only {generated} cases generate"
    );
}

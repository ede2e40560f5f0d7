//! Golden outputs, one test per case folder (`cargo test -p cqrsgen --test goldens --
//! <folder>` runs one; `CQRSGEN_BLESS=1` rewrites the expected files, then review the diff):
//!
//! - `tests/fixtures/<case>/`: a spec (`cqrsgen.yaml` and whatever it includes) and
//!   `expected.txt`, the exit code and the exact human output of `cqrsgen validate`, run
//!   inside the folder. A folder that also holds `scenario.yaml` runs `cqrsgen simulate .
//!   --scenario scenario.yaml` instead (findings about scenarios, E060-E063), and one that
//!   holds `volumes.yaml` runs `cqrsgen cost .` (findings about volumes files, `V` codes; the
//!   estimate, on stdout, is not compared).
//! - `tests/diff/<case>/`: a base spec (`base/`), a head spec (`head/`), optional extra
//!   arguments (`args`) and `expected.txt`: the exit code and the exact output of `cqrsgen
//!   diff --against base head`, run inside the folder. An `expected.<format>` file (`json`,
//!   `sarif`, `github`, `markdown`) also checks that format.
//!
//! Comparisons are of the whole text. The generation cases have a harness of their own
//! (`generation.rs`), since they build what they generate.

mod support;

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

datatest_stable::harness! {
    { test = validate_case, root = "../tests/fixtures", pattern = r"^[^/]+/expected\.txt$" },
    { test = diff_case, root = "../tests/diff", pattern = r"^[^/]+/expected\.txt$" },
}

fn validate_case(expected: &Path) -> datatest_stable::Result<()> {
    let dir = expected.parent().ok_or("a case folder")?;
    let args: &[&str] = if dir.join("scenario.yaml").is_file() {
        &[
            "simulate",
            ".",
            "--scenario",
            "scenario.yaml",
            "--color",
            "never",
        ]
    } else if dir.join("volumes.yaml").is_file() {
        &["cost", ".", "--color", "never"]
    } else {
        &["validate", ".", "--color", "never"]
    };
    let output = cqrsgen(dir, args)?;
    let actual = format!(
        "exit: {}\n{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(support::compare(expected, &actual)?)
}

fn diff_case(expected: &Path) -> datatest_stable::Result<()> {
    let dir = expected.parent().ok_or("a case folder")?;
    let extra = std::fs::read_to_string(dir.join("args")).unwrap_or_default();
    let mut failures = Vec::new();
    for (file, format) in [
        ("expected.txt", "human"),
        ("expected.json", "json"),
        ("expected.sarif", "sarif"),
        ("expected.github", "github"),
        ("expected.markdown", "markdown"),
    ] {
        let path = dir.join(file);
        if format != "human" && !path.exists() {
            continue;
        }
        let mut args = vec!["diff", "--against", "base", "head", "--format", format];
        args.extend(extra.split_whitespace());
        let output = cqrsgen(dir, &args)?;
        let actual = format!(
            "exit: {}\n{}{}",
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        if let Err(e) = support::compare(&path, &actual) {
            failures.push(e);
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n").into())
    }
}

fn cqrsgen(dir: &Path, args: &[&str]) -> Result<Output, Box<dyn std::error::Error>> {
    Ok(Command::cargo_bin("cqrsgen")?
        .current_dir(dir)
        .args(args)
        .output()?)
}

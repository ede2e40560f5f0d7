//! `cqrsgen diff` beyond the golden reports of `tests/diff/` (compared one test per folder by
//! `goldens.rs`): every change code has a case, usage errors, a real git repository as the
//! base, and `check`.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use cqrsgen::diff::ChangeCode;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/diff");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/diff exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn cqrsgen(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("cqrsgen")
        .expect("binary built")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("cqrsgen runs")
}

fn transcript(output: &Output) -> String {
    format!(
        "exit: {}\n{}{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn every_change_code_has_a_case() {
    let outputs: String = cases()
        .iter()
        .map(|d| std::fs::read_to_string(d.join("expected.txt")).unwrap_or_default())
        .collect();
    let missing: Vec<&str> = ChangeCode::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !outputs.contains(&format!("[{c}]")))
        .collect();
    assert!(missing.is_empty(), "no case produces {missing:?}");
}

#[test]
fn unknown_codes_in_allow_are_usage_errors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/diff/no-changes");
    let output = cqrsgen(
        &dir,
        &["diff", "--against", "base", "head", "--allow", "B999"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("`B999` is not a change code"));
}

fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?} failed");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("directory created");
    for entry in std::fs::read_dir(from).expect("readable directory") {
        let path = entry.expect("readable entry").path();
        let target = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("file copied");
        }
    }
}

/// A repository with two commits of a spec that includes files from a subdirectory; the
/// base is read from git, not from the working tree.
#[test]
fn compares_with_a_git_revision_without_a_checkout() {
    let repo = tempfile::tempdir().expect("temp dir");
    let repo = repo.path();
    git(repo, &["init", "-q"]);
    git(repo, &["config", "user.name", "cqrsgen tests"]);
    git(repo, &["config", "user.email", "tests@cqrsgen.invalid"]);
    let shop = repo.join("specs/shop");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/shop"),
        &shop,
    );
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "base"]);

    let orders = shop.join("services/orders-bff.yaml");
    let text = std::fs::read_to_string(&orders).expect("orders spec");
    let changed = text.replacen(
        "    fields:\n      id: uuid\n      customerId: uuid\n",
        "    fields:\n      id: uuid\n      giftWrap: boolean?\n      customerId: uuid\n",
        1,
    );
    assert_ne!(text, changed, "the example spec changed shape");
    std::fs::write(&orders, changed).expect("orders spec written");
    git(repo, &["commit", "-q", "-am", "head"]);

    let output = cqrsgen(repo, &["diff", "--against", "HEAD~1", "specs/shop"]);
    let report = transcript(&output);
    assert!(report.starts_with("exit: 0\n"), "{report}");
    assert!(
        report.contains("compatible[C002] order-placed: optional field `giftWrap` was added"),
        "{report}"
    );
    assert!(
        report.contains("--> specs/shop/services/orders-bff.yaml:"),
        "{report}"
    );

    // Uncommitted edits are the head; the revision is still read from git.
    std::fs::write(shop.join("services/orders-bff.yaml"), text).expect("reverted");
    let output = cqrsgen(&shop, &["diff", "--against", "HEAD", "."]);
    let report = transcript(&output);
    assert!(
        report.contains(
            "compatible[C003] order-placed: field `giftWrap` was removed; no consumer reads it"
        ),
        "{report}"
    );

    let output = cqrsgen(&shop, &["diff", "--against", "no-such-revision"]);
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
}

#[test]
fn check_combines_validation_and_diff_in_one_report() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/diff/b004-field-removed-consumer-aware");
    let output = cqrsgen(&dir, &["check", "head", "--against", "base"]);
    let report = transcript(&output);
    assert!(report.starts_with("exit: 1\n== validate\n"), "{report}");
    assert!(
        report.contains("== diff\nbreaking[B004] order-placed"),
        "{report}"
    );
    assert!(report.ends_with("check failed\n"), "{report}");

    let output = cqrsgen(
        &dir,
        &[
            "check",
            "head",
            "--against",
            "base",
            "--allow",
            "B004",
            "--format",
            "json",
        ],
    );
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    assert_eq!(json["fails"], false);
    assert_eq!(json["validate"]["summary"]["errors"], 0);
    assert_eq!(json["diff"]["summary"]["allowed"], 1);
    assert_eq!(json["diff"]["changes"][0]["allowed"]["by"], "flag");

    let output = cqrsgen(&dir, &["check", "head", "--format", "sarif"]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
}

/// `docs/ci.md` shows the shipped CI files verbatim, and they run commands that exist.
#[test]
fn ci_docs_embed_the_shipped_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let docs = std::fs::read_to_string(root.join("docs/ci.md")).expect("docs/ci.md");
    for file in ["github-workflow.yml", "pre-commit-config.yaml"] {
        let text = std::fs::read_to_string(root.join("examples/ci").join(file)).expect("CI file");
        assert!(
            docs.contains(&text),
            "docs/ci.md does not show examples/ci/{file}"
        );
        assert!(
            text.contains("cqrsgen check"),
            "{file} does not run cqrsgen check"
        );
        assert!(
            text.contains("cqrsgen diff"),
            "{file} does not run cqrsgen diff"
        );
        <saphyr::Yaml as saphyr::LoadableYamlNode>::load_from_str(&text).expect("valid YAML");
    }
}

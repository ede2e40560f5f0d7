//! `cqrsgen generate`: the committed output of every example is current, specs with errors
//! generate nothing, `--check` reports drift, the writer's refusals, determinism, hostile
//! names, and a project created by `cqrsgen init` that builds on its own.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn cqrsgen() -> Command {
    Command::cargo_bin("cqrsgen").expect("binary")
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

/// Runs `cqrsgen generate <project> --out <out> <extra>`; returns the exit code, stdout and
/// stderr.
fn generate(project: &Path, out: &Path, extra: &[&str]) -> (i32, String, String) {
    let output = cqrsgen()
        .args(["generate", "--color", "never"])
        .arg(project)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Every file under `root`, relative path to contents.
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let rel = path.strip_prefix(root).expect("below root").to_path_buf();
                files.insert(rel, std::fs::read(&path).expect("readable file"));
            }
        }
    }
    files
}

#[test]
fn committed_output_of_every_example_is_up_to_date() {
    let examples: Vec<PathBuf> = std::fs::read_dir(repo("examples"))
        .expect("examples/")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.join("cqrsgen.yaml").is_file())
        .collect();
    assert!(examples.len() >= 2, "{examples:?}");
    for example in examples {
        let output = cqrsgen()
            .args(["generate", "--check", "--color", "never"])
            .arg(&example)
            .output()
            .expect("runs");
        assert!(
            output.status.success(),
            "{} is stale; run `cargo run -p cqrsgen -- generate {}`:\n{}{}",
            example.display(),
            example.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn generates_every_target_and_reports_what_it_did() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let (code, stdout, _) = generate(&repo("examples/minimal"), &out, &[]);
    assert_eq!(code, 0);
    for path in [
        "crates/minimal-events/Cargo.toml",
        "crates/minimal-events/src/lib.rs",
        "crates/minimal-catalog/src/trigger.rs",
        "crates/minimal-storefront/src/listener.rs",
        "infra/hub.yaml",
        "infra/catalog.yaml",
        "infra/storefront.yaml",
        ".cqrsgen-fingerprint",
    ] {
        assert!(out.join(path).is_file(), "{path} missing");
    }
    let written = tree(&out).len();
    assert!(
        stdout.ends_with(&format!(
            ": {written} created, 0 updated, 0 unchanged, 0 removed\n"
        )),
        "{stdout}"
    );
    // Unchanged inputs and output: the fast path answers without writing.
    let (code, stdout, _) = generate(&repo("examples/minimal"), &out, &[]);
    assert_eq!(code, 0);
    assert!(stdout.ends_with(FAST_PATH), "{stdout}");
}

/// The summary line of a run that took the fast path.
const FAST_PATH: &str = ": up to date (inputs unchanged; warnings are not repeated, \
                         `cqrsgen validate` shows them)\n";

/// How the one rewritten file of a run came back.
enum Rewrite {
    Created,
    Updated,
}

/// The run that printed `stdout` wrote one file (created or updated, per `rewrite`) and left
/// every other file of `out` unchanged.
fn assert_one_rewritten(stdout: &str, out: &Path, rewrite: Rewrite) {
    let (created, updated) = match rewrite {
        Rewrite::Created => (1, 0),
        Rewrite::Updated => (0, 1),
    };
    let unchanged = tree(out).len() - 1;
    assert!(
        stdout.ends_with(&format!(
            ": {created} created, {updated} updated, {unchanged} unchanged, 0 removed\n"
        )),
        "{stdout}"
    );
}

/// A copy of `examples/minimal` in a temporary directory, and an output root beside it.
fn minimal_copy() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("project");
    std::fs::create_dir(&project).expect("project dir");
    std::fs::copy(
        repo("examples/minimal/cqrsgen.yaml"),
        project.join("cqrsgen.yaml"),
    )
    .expect("copy");
    let out = dir.path().join("out");
    (dir, project, out)
}

/// A hook the spec names gets a located W006, with the method and the file to write it in,
/// until the user's code implements it; the scaffold is the user's from then on.
#[test]
fn a_new_hook_says_what_to_implement_and_where() {
    let (_dir, project, out) = minimal_copy();
    let manifest = project.join("cqrsgen.yaml");
    let spec = std::fs::read_to_string(&manifest).expect("spec");
    let projection = "            upsert:\n              productId: id\n              name: name\n              price: price\n";
    assert!(spec.contains(projection), "the minimal spec changed");
    let with_hook = spec.replace(projection, "            hook: price-history\n");
    std::fs::write(&manifest, &with_hook).expect("spec written");

    let (code, stdout, stderr) = generate(&project, &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("scaffolded app/storefront/src/hooks.rs (yours from now on)"),
        "{stdout}"
    );
    let line = with_hook
        .lines()
        .position(|l| l.contains("hook: price-history"))
        .expect("the hook line")
        + 1;
    for expected in [
        "warning[W006]".to_owned(),
        "hook `price-history` is not implemented yet".to_owned(),
        format!("cqrsgen.yaml:{line}:"),
        "fn price_history".to_owned(),
        "app/storefront/src/hooks.rs".to_owned(),
    ] {
        assert!(stderr.contains(&expected), "no {expected:?} in\n{stderr}");
    }

    let hooks = project.join("app/storefront/src/hooks.rs");
    let scaffold = std::fs::read_to_string(&hooks).expect("the hooks scaffold");
    let mine = scaffold.replace(
        "impl Hooks for ServiceHooks {}",
        "impl Hooks for ServiceHooks {\n    async fn price_history(&self) {}\n}",
    );
    assert_ne!(
        mine, scaffold,
        "the scaffold implements `Hooks` for `ServiceHooks`"
    );
    std::fs::write(&hooks, &mine).expect("hooks written");
    // An edited spec takes the full path, which checks the user's code again.
    std::fs::write(&manifest, format!("{with_hook}# edited\n")).expect("spec written");
    let (code, stdout, stderr) = generate(&project, &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("W006"), "{stderr}");
    assert!(!stdout.contains("scaffolded"), "{stdout}");
    assert_eq!(std::fs::read_to_string(&hooks).expect("hooks"), mine);
}

#[test]
fn a_second_run_with_unchanged_inputs_and_output_is_skipped() {
    let (_dir, project, out) = minimal_copy();
    assert_eq!(generate(&project, &out, &[]).0, 0);
    let before = tree(&out);
    let (code, stdout, _) = generate(&project, &out, &[]);
    assert_eq!(code, 0);
    assert!(stdout.ends_with(FAST_PATH), "{stdout}");
    assert_eq!(tree(&out), before);
    // `--check` always compares in full, and agrees.
    let (code, stdout, _) = generate(&project, &out, &["--check"]);
    assert_eq!(code, 0);
    assert!(stdout.ends_with(": up to date\n"), "{stdout}");
}

#[test]
fn an_edited_spec_is_generated_again() {
    let (_dir, project, out) = minimal_copy();
    assert_eq!(generate(&project, &out, &[]).0, 0);
    let manifest = project.join("cqrsgen.yaml");
    let mut spec = std::fs::read_to_string(&manifest).expect("spec");
    spec.push_str("# a comment changes the bytes, not the output\n");
    std::fs::write(&manifest, spec).expect("edit");
    let (code, stdout, _) = generate(&project, &out, &[]);
    assert_eq!(code, 0);
    // Only the fingerprint changes.
    assert_one_rewritten(&stdout, &out, Rewrite::Updated);
}

#[test]
fn an_edited_or_deleted_generated_file_is_generated_again() {
    let (_dir, project, out) = minimal_copy();
    assert_eq!(generate(&project, &out, &[]).0, 0);
    let lib = out.join("crates/minimal-events/src/lib.rs");
    let original = std::fs::read(&lib).expect("lib.rs");
    let mut edited = original.clone();
    edited.extend_from_slice(b"// a hand edit\n");
    std::fs::write(&lib, edited).expect("edit");
    let (code, stdout, _) = generate(&project, &out, &[]);
    assert_eq!(code, 0);
    assert_one_rewritten(&stdout, &out, Rewrite::Updated);
    assert_eq!(std::fs::read(&lib).expect("lib.rs"), original);

    std::fs::remove_file(&lib).expect("delete");
    let (code, stdout, _) = generate(&project, &out, &[]);
    assert_eq!(code, 0);
    assert_one_rewritten(&stdout, &out, Rewrite::Created);
    assert_eq!(std::fs::read(&lib).expect("lib.rs"), original);
}

#[test]
fn the_default_output_is_generated_in_the_project() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(
        repo("examples/minimal/cqrsgen.yaml"),
        dir.path().join("cqrsgen.yaml"),
    )
    .expect("copied");
    cqrsgen()
        .current_dir(dir.path())
        .arg("generate")
        .assert()
        .code(0);
    assert!(
        dir.path()
            .join("generated/crates/minimal-events/src/lib.rs")
            .is_file()
    );
}

#[test]
fn specs_with_errors_generate_nothing() {
    for case in [
        "e010-invalid-name",
        "e011-name-collision",
        "e020-unknown-event",
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("out");
        let (code, _, stderr) = generate(&repo("tests/fixtures").join(case), &out, &[]);
        assert_eq!(code, 1, "{case}: {stderr}");
        assert!(!out.exists(), "{case} wrote output");
        let expected =
            std::fs::read_to_string(repo("tests/fixtures").join(case).join("expected.txt"))
                .expect("expected.txt");
        let code_line = expected.lines().nth(1).expect("a finding");
        assert!(
            stderr.contains(code_line),
            "{case}: {code_line} not in {stderr}"
        );
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, _, stderr) = generate(
        &repo("tests/fixtures/e010-invalid-name"),
        dir.path(),
        &["--check"],
    );
    assert_eq!(code, 1);
    assert!(
        stderr.contains("`../x`") && stderr.contains("`café`"),
        "{stderr}"
    );
}

#[test]
fn the_format_applies_to_findings_and_warnings_do_not_stop_generation() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let (code, stdout, stderr) = generate(
        &repo("tests/fixtures/w002-unused-type"),
        &out,
        &["--format", "json"],
    );
    assert_eq!(code, 0, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("json on stdout");
    assert_eq!(report["diagnostics"][0]["code"], "W002");
    assert!(stderr.contains("created"), "{stderr}");
    assert!(out.join("crates").is_dir());
}

#[test]
fn check_reports_added_changed_and_removed_files_with_a_diff() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let minimal = repo("examples/minimal");
    let (code, stdout, _) = generate(&minimal, &out, &["--check"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("added    crates/minimal-events/src/lib.rs"),
        "{stdout}"
    );
    assert!(!out.exists(), "--check wrote output");

    assert_eq!(generate(&minimal, &out, &[]).0, 0);
    assert_eq!(generate(&minimal, &out, &["--check"]).0, 0);

    let lib = out.join("crates/minimal-events/src/lib.rs");
    let original = std::fs::read_to_string(&lib).expect("lib.rs");
    std::fs::write(
        &lib,
        original.replace("mod domain_event;", "mod domain_events;"),
    )
    .expect("edited");
    let stale = out.join("crates/minimal-events/src/old.rs");
    std::fs::write(&stale, "// @generated by cqrsgen — do not edit\n").expect("written");
    let (code, stdout, _) = generate(&minimal, &out, &["--check"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("changed  crates/minimal-events/src/lib.rs"),
        "{stdout}"
    );
    assert!(
        stdout.contains("removed  crates/minimal-events/src/old.rs"),
        "{stdout}"
    );
    assert!(
        stdout.contains("-mod domain_events;\n+mod domain_event;\n"),
        "{stdout}"
    );

    let (code, stdout, _) = generate(&minimal, &out, &[]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("1 updated") && stdout.contains("1 removed"),
        "{stdout}"
    );
    assert_eq!(std::fs::read_to_string(&lib).expect("lib.rs"), original);
    assert!(!stale.exists());
}

#[test]
fn a_hand_written_file_in_the_way_stops_everything() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let lib = out.join("crates/minimal-events/src/lib.rs");
    std::fs::create_dir_all(lib.parent().expect("parent")).expect("dirs");
    std::fs::write(&lib, "// mine\n").expect("written");
    for extra in [&[][..], &["--check"]] {
        let (code, _, stderr) = generate(&repo("examples/minimal"), &out, extra);
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stderr.contains("lib.rs") && stderr.contains("was not generated by cqrsgen"),
            "{stderr}"
        );
    }
    assert_eq!(std::fs::read_to_string(&lib).expect("lib.rs"), "// mine\n");
    assert_eq!(tree(&out).len(), 1, "something was written");
}

#[test]
fn output_is_byte_for_byte_deterministic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = repo("examples/shop");
    let (first, second) = (dir.path().join("a"), dir.path().join("b"));
    assert_eq!(generate(&shop, &first, &[]).0, 0);
    let before = tree(&first);
    std::fs::remove_dir_all(&first).expect("removed");
    assert_eq!(generate(&shop, &first, &[]).0, 0);
    assert_eq!(generate(&shop, &second, &[]).0, 0);
    assert_eq!(tree(&first), before);
    // Another output directory at the same depth gets the same code; only the fingerprint
    // differs, since it records where the output is relative to the project. (The example's
    // committed output is compared by `committed_output_of_every_example_is_up_to_date`.)
    let code = |mut files: BTreeMap<PathBuf, Vec<u8>>| {
        assert!(files.remove(Path::new(".cqrsgen-fingerprint")).is_some());
        files
    };
    assert_eq!(code(tree(&second)), code(before));
}

#[test]
fn help_has_examples() {
    let output = cqrsgen()
        .args(["generate", "--help"])
        .output()
        .expect("runs");
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(
        help.contains("Examples:") && help.contains("--check"),
        "{help}"
    );
}

/// A user's project outside this repository: `init`, `generate`, then the scaffolds are
/// formatted and everything builds (the generated crates, the service crates, the Lambda
/// binaries).
#[test]
fn an_initialized_project_generates_and_builds_on_its_own() {
    let project = &support::project_dir("helpdesk");
    cqrsgen()
        .args(["init", "--force"])
        .arg(project)
        .assert()
        .code(0);
    let manifest = std::fs::read_to_string(project.join("Cargo.toml")).expect("Cargo.toml");
    cqrsgen().arg("generate").arg(project).assert().code(0);
    assert_eq!(
        std::fs::read_to_string(project.join("Cargo.toml")).expect("Cargo.toml"),
        manifest,
        "generate touched the user's Cargo.toml"
    );
    for crate_dir in ["helpdesk-events", "cqrsgen-runtime"] {
        let path = project
            .join("generated/crates")
            .join(crate_dir)
            .join("Cargo.toml");
        assert!(path.is_file(), "{} missing", path.display());
    }
    support::seed_lock_file(project);
    for args in [&["fmt", "--all", "--check"][..], &["build", "--quiet"]] {
        support::cargo(project, args).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn the_check_command_gates_on_stale_generated_output() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("project");
    std::fs::create_dir_all(&project).expect("project dir");
    std::fs::copy(
        repo("examples/minimal/cqrsgen.yaml"),
        project.join("cqrsgen.yaml"),
    )
    .expect("spec copied");
    let check = |project: &Path| {
        let output = cqrsgen().arg("check").arg(project).output().expect("runs");
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };
    let (code, out) = check(&project);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("skipped: no generated output"), "{out}");

    let (code, _, err) = generate(&project, &project.join("generated"), &[]);
    assert_eq!(code, 0, "{err}");
    let (code, out) = check(&project);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("== generate --check\nup to date"), "{out}");

    let lib = project.join("generated/crates/minimal-events/src/lib.rs");
    let text = std::fs::read_to_string(&lib).expect("lib.rs") + "\n// drift\n";
    std::fs::write(&lib, text).expect("edited");
    let (code, out) = check(&project);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("stale") && out.contains("-// drift"), "{out}");
}

//! Generation cases: one test per folder of `tests/generate/`, named after it (`cargo test -p
//! cqrsgen --test generation -- payloads` runs one).
//!
//! A case folder is a project as a user has it: `cqrsgen.yaml`, the user's own files next to
//! it (hook implementations under `app/`, `upcasts.rs`, a `checks/` crate with tests that
//! exercise the generated code) and `expected.txt`, what `cqrsgen generate` prints. The
//! harness copies the folder into a scratch directory and checks that
//!
//! - `generate` prints `expected.txt` (`CQRSGEN_BLESS=1` rewrites it; review the diff),
//! - the user's files are exactly as they were, and the scaffolds cqrsgen wrote are
//!   formatted (`cargo fmt --check`),
//! - a second `generate` changes nothing, `generate --check` passes, and deleting
//!   `generated/` and generating again gives the same tree,
//! - the workspace (generated crates with the vendored libraries, app crates with their
//!   Lambda binaries, `checks/`) passes clippy and its tests with warnings denied.
//!
//! The specs of `tests/corpus/` that validate go through the same build (`corpus`), without
//! tests of their own.
//!
//! `cargo` must be runnable: a case fails, never skips, without it.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

datatest_stable::harness! {
    { test = case, root = "../tests/generate", pattern = r"^[^/]+/cqrsgen\.yaml$" },
    { test = corpus, root = "../tests/corpus", pattern = r"^[^/]+/cqrsgen\.yaml$" },
}

fn case(spec: &Path) -> datatest_stable::Result<()> {
    let source = spec.parent().ok_or("a case folder")?;
    let name = source.file_name().ok_or("a named case folder")?;
    let project = support::project_dir(&format!("case-{}", name.to_string_lossy()));
    let user = tree(source)?
        .into_iter()
        .filter(|(path, _)| path != Path::new("expected.txt"))
        .collect::<BTreeMap<_, _>>();
    for (path, contents) in &user {
        write(&project.join(path), contents)?;
    }

    let printed = cqrsgen(&project, &["generate", "."])?;
    if !user.contains_key(Path::new("Cargo.toml")) {
        let manifest = workspace_manifest(&project);
        write(&project.join("Cargo.toml"), manifest.as_bytes())?;
    }
    support::seed_lock_file(&project);
    support::compare(&source.join("expected.txt"), &printed)?;
    for (path, contents) in &user {
        let now = std::fs::read(project.join(path))?;
        if &now != contents {
            return Err(format!("generate changed the user's `{}`", path.display()).into());
        }
    }
    let first = tree(&project)?;

    let again = cqrsgen(&project, &["generate", "."])?;
    let unchanged = again.contains(" 0 created, 0 updated,") || again.contains(": up to date");
    if !unchanged || again.contains("scaffolded") {
        return Err(format!("a second generate wrote files:\n{again}").into());
    }
    cqrsgen(&project, &["generate", ".", "--check"])?;
    std::fs::remove_dir_all(project.join("generated"))?;
    cqrsgen(&project, &["generate", "."])?;
    let regenerated = tree(&project)?;
    if regenerated != first {
        let differ: Vec<_> = first
            .keys()
            .chain(regenerated.keys())
            .filter(|path| first.get(*path) != regenerated.get(*path))
            .collect();
        return Err(format!("regenerating after deleting generated/ differs: {differ:?}").into());
    }

    for args in [
        &["fmt", "--all", "--check"][..],
        &["clippy", "--workspace", "--all-targets", "--quiet"],
        &["test", "--workspace", "--all-targets", "--quiet"],
    ] {
        support::cargo(&project, args)?;
    }
    Ok(())
}

/// A spec of the corpus of tricky specs (`tests/corpus/`, see `cli/tests/corpus.rs`): when it
/// validates, what `generate` writes for it (the generated crates, the service crates and
/// their Lambda binaries) passes `cargo fmt --check` and clippy with warnings denied. A spec
/// the validator rejects has nothing to compile; `cli/tests/corpus.rs` checks its findings.
fn corpus(spec: &Path) -> datatest_stable::Result<()> {
    let source = spec.parent().ok_or("a corpus folder")?;
    let name = source.file_name().ok_or("a named corpus folder")?;
    let project = support::project_dir(&format!("corpus-{}", name.to_string_lossy()));
    for (path, contents) in tree(source)? {
        write(&project.join(path), &contents)?;
    }
    let output = Command::cargo_bin("cqrsgen")?
        .current_dir(&project)
        .args(["generate", ".", "--color", "never"])
        .output()?;
    match output.status.code() {
        Some(0) => {}
        Some(1) => {
            eprintln!(
                "{}: rejected by validate, nothing to compile",
                source.display()
            );
            return Ok(());
        }
        _ => {
            return Err(format!(
                "generate failed ({}):\n{}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            )
            .into());
        }
    }
    let manifest = workspace_manifest(&project);
    write(&project.join("Cargo.toml"), manifest.as_bytes())?;
    support::seed_lock_file(&project);
    support::cargo(&project, &["fmt", "--all", "--check"])?;
    let clippy = support::cargo(
        &project,
        &["clippy", "--workspace", "--all-targets", "--quiet"],
    );
    let unimplemented = unimplemented_methods(&String::from_utf8_lossy(&output.stderr));
    match (clippy, unimplemented.is_empty()) {
        (Ok(()), true) => Ok(()),
        (Ok(()), false) => Err(format!("W006 named {unimplemented:?}, but it compiles").into()),
        (Err(e), true) => Err(e.into()),
        // Hooks and upcasts nobody wrote: the compiler refuses with E0046 only, for methods
        // W006 named (it stops at the first crate, so not necessarily all of them).
        (Err(e), false) => {
            let other = e
                .match_indices("error[E")
                .any(|(at, _)| !e[at..].starts_with("error[E0046]"));
            let missing: Vec<&str> = e
                .split("missing `")
                .skip(1)
                .filter_map(|rest| rest.split('`').next())
                .collect();
            let unnamed = missing
                .iter()
                .any(|method| !unimplemented.iter().any(|named| named == method));
            if other || missing.is_empty() || unnamed {
                return Err(
                    format!("expected only E0046 for {unimplemented:?} (W006), got:\n{e}").into(),
                );
            }
            Ok(())
        }
    }
}

/// The methods W006 findings in `printed` ask to implement (`implement `fn name` of ...`).
fn unimplemented_methods(printed: &str) -> Vec<String> {
    printed
        .split("implement `fn ")
        .skip(1)
        .filter_map(|rest| rest.split('`').next())
        .map(str::to_owned)
        .collect()
}

/// The workspace manifest a project gets from `cqrsgen init`, with `app/*` when the system
/// has services and `checks` when the case has that crate.
fn workspace_manifest(project: &Path) -> String {
    let mut members = vec!["\"generated/crates/*\""];
    for (member, dir) in [("\"app/*\"", "app"), ("\"checks\"", "checks")] {
        if project.join(dir).is_dir() {
            members.push(member);
        }
    }
    format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members.join(", ")
    )
}

/// Runs the `cqrsgen` binary in `dir` and returns what it printed (stdout, then stderr).
fn cqrsgen(dir: &Path, args: &[&str]) -> Result<String> {
    let output = Command::cargo_bin("cqrsgen")?
        .current_dir(dir)
        .args(args)
        .args(["--color", "never"])
        .output()?;
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if !output.status.success() {
        return Err(format!("cqrsgen {args:?} failed ({}):\n{printed}", output.status).into());
    }
    Ok(printed)
}

/// The files under `root` (without `target/`), by relative path.
fn tree(root: &Path) -> Result<BTreeMap<PathBuf, Vec<u8>>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|name| name != "target") {
                    pending.push(path);
                }
            } else {
                let relative = path.strip_prefix(root)?.to_path_buf();
                files.insert(relative, std::fs::read(&path)?);
            }
        }
    }
    Ok(files)
}

fn write(path: &Path, contents: &[u8]) -> Result {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, contents)?;
    Ok(())
}

//! The command line: exit codes, output formats, `init`, help and completions.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn cqrsgen() -> Command {
    Command::cargo_bin("cqrsgen").expect("binary")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name)
}

fn stdout_of(cmd: &mut Command) -> (i32, String) {
    let output = cmd.output().expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn exit_codes_follow_the_findings() {
    cqrsgen()
        .arg("validate")
        .arg(fixture("valid-minimal"))
        .assert()
        .code(0);
    cqrsgen()
        .arg("validate")
        .arg(fixture("e020-unknown-event"))
        .assert()
        .code(1);
    cqrsgen()
        .arg("validate")
        .arg(fixture("w002-unused-type"))
        .assert()
        .code(0);
    cqrsgen()
        .args(["validate", "--deny-warnings"])
        .arg(fixture("w002-unused-type"))
        .assert()
        .code(1);
    cqrsgen()
        .args(["validate", "/definitely/not/here"])
        .assert()
        .code(2);
    cqrsgen()
        .args(["validate", "--format", "yaml"])
        .assert()
        .code(2);
}

#[test]
fn a_manifest_file_can_be_named_directly() {
    cqrsgen()
        .arg("validate")
        .arg(fixture("valid-minimal").join("cqrsgen.yaml"))
        .assert()
        .code(0);
}

#[test]
fn json_output_has_the_documented_shape() {
    let (code, out) = stdout_of(
        cqrsgen()
            .current_dir(fixture("e023-unknown-entity"))
            .args(["validate", "--format", "json"]),
    );
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(report["version"], 1);
    let d = &report["diagnostics"][0];
    assert_eq!(d["code"], "E023");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "cqrsgen.yaml");
    assert_eq!(d["pointer"], "/services/catalog/publishes/0/entity");
    assert!(d["line"].as_u64().is_some_and(|l| l > 1));
    assert!(d["column"].as_u64().is_some());
    assert!(d["end"]["line"].as_u64().is_some());
    assert_eq!(d["help"], "did you mean `item`?");
    assert_eq!(report["summary"]["errors"], 1);
}

#[test]
fn sarif_output_is_sarif_2_1_0() {
    let (code, out) = stdout_of(
        cqrsgen()
            .current_dir(fixture("e023-unknown-entity"))
            .args(["validate", "--format", "sarif"]),
    );
    assert_eq!(code, 1);
    let sarif: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(sarif["version"], "2.1.0");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "E023");
    assert_eq!(result["level"], "error");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "cqrsgen.yaml"
    );
}

#[test]
fn github_output_is_workflow_commands() {
    let (code, out) = stdout_of(
        cqrsgen()
            .current_dir(fixture("e023-unknown-entity"))
            .args(["validate", "--format", "github"]),
    );
    assert_eq!(code, 1);
    assert!(out.starts_with("::error file=cqrsgen.yaml,line="), "{out}");
    assert!(out.contains("title=E023"), "{out}");
}

#[test]
fn init_creates_a_valid_project_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("new-system");
    cqrsgen().arg("init").arg(&target).assert().code(0);
    assert!(target.join("cqrsgen.yaml").is_file());
    assert!(target.join("README.md").is_file());
    let manifest = std::fs::read_to_string(target.join("cqrsgen.yaml")).expect("manifest");
    assert!(
        manifest.starts_with("# yaml-language-server: $schema="),
        "{manifest}"
    );
    cqrsgen()
        .args(["validate", "--deny-warnings"])
        .arg(&target)
        .assert()
        .code(0);
    // The example scenario runs and its expectations hold.
    let scenario = target.join("scenarios/ticket-lifecycle.yaml");
    cqrsgen()
        .arg("simulate")
        .arg(&target)
        .arg("--scenario")
        .arg(&scenario)
        .arg("--assert")
        .arg(&scenario)
        .assert()
        .code(0);

    let before = std::fs::read_to_string(target.join("README.md")).expect("readme");
    std::fs::write(target.join("README.md"), "mine").expect("written");
    let output = cqrsgen().arg("init").arg(&target).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("README.md") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(target.join("README.md")).expect("readme"),
        "mine"
    );

    cqrsgen()
        .args(["init", "--force"])
        .arg(&target)
        .assert()
        .code(0);
    assert_eq!(
        std::fs::read_to_string(target.join("README.md")).expect("readme"),
        before
    );
}

#[test]
fn help_shows_an_example_for_every_command() {
    for command in [
        "validate",
        "generate",
        "diff",
        "check",
        "init",
        "docs",
        "emit",
        "simulate",
        "schema",
        "completions",
    ] {
        let (code, out) = stdout_of(cqrsgen().args([command, "--help"]));
        assert_eq!(code, 0);
        assert!(
            out.contains("Example"),
            "`{command} --help` has no example:\n{out}"
        );
    }
    let (_, top) = stdout_of(cqrsgen().arg("--help"));
    insta::assert_snapshot!("help", top);
}

#[test]
fn version_and_completions() {
    let (code, out) = stdout_of(cqrsgen().arg("--version"));
    assert_eq!(code, 0);
    assert_eq!(out.trim(), format!("cqrsgen {}", env!("CARGO_PKG_VERSION")));
    let (code, out) = stdout_of(cqrsgen().args(["completions", "bash"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("_cqrsgen()") && out.contains("validate"),
        "{out}"
    );
}

#[test]
fn schema_command_prints_the_published_schema() {
    let (code, out) = stdout_of(cqrsgen().arg("schema"));
    assert_eq!(code, 0);
    let published = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/cqrsgen.schema.json"),
    )
    .expect("published");
    assert_eq!(out, published);
}

#[test]
fn examples_validate_cleanly() {
    for example in ["shop", "minimal"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../examples")
            .join(example);
        let output = cqrsgen()
            .args(["validate", "--deny-warnings", "--color", "never"])
            .arg(&dir)
            .output()
            .expect("runs");
        assert!(
            output.status.success(),
            "{example}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

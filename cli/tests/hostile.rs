//! Bad input never panics, never overflows the stack and never exhausts memory: each case
//! ends with a located error and exit code 1 (or 2 for a path that is not a project), and
//! includes never read outside the project.

use std::path::Path;
use std::time::{Duration, Instant};

use assert_cmd::Command;

/// Runs `cqrsgen validate` on a project whose manifest has `contents`.
fn validate(contents: &[u8]) -> (i32, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("cqrsgen.yaml"), contents).expect("manifest written");
    run(dir.path())
}

fn run(dir: &Path) -> (i32, String) {
    run_with(dir, &[])
}

/// Runs `cqrsgen validate <args>` in `dir`.
fn run_with(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::cargo_bin("cqrsgen")
        .expect("binary")
        .current_dir(dir)
        .args(["validate", "--color", "never"])
        .args(args)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    (output.status.code().unwrap_or(-1), stderr)
}

/// Address space `validate_in_memory` gives the tool: a few times the 8 MiB file limit, far
/// below what the inputs below would take without their limits (gigabytes).
#[cfg(target_os = "linux")]
const MEMORY_LIMIT_KIB: u64 = 1024 * 1024;

/// Like [`validate`], within [`MEMORY_LIMIT_KIB`] of address space (`ulimit -v`, Linux only:
/// elsewhere without a limit), and within 60 seconds; returns the exit code (-1 when the
/// tool was killed, e.g. by a failed allocation) and the report.
fn validate_in_memory(contents: &[u8]) -> (i32, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("cqrsgen.yaml"), contents).expect("manifest written");
    let binary = env!("CARGO_BIN_EXE_cqrsgen");
    #[cfg(target_os = "linux")]
    let mut command = {
        let mut command = std::process::Command::new("sh");
        command
            .arg("-c")
            .arg(format!(
                "ulimit -v {MEMORY_LIMIT_KIB} && exec \"$0\" \"$@\""
            ))
            .arg(binary);
        command
    };
    #[cfg(not(target_os = "linux"))]
    let mut command = std::process::Command::new(binary);
    let started = Instant::now();
    let output = command
        .current_dir(dir.path())
        .args(["validate", "--color", "never"])
        .output()
        .expect("runs");
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    (output.status.code().unwrap_or(-1), stderr)
}

#[test]
fn a_50_mb_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = std::fs::File::create(dir.path().join("cqrsgen.yaml")).expect("created");
    file.set_len(50 * 1024 * 1024).expect("sized");
    let (code, out) = run(dir.path());
    assert_eq!(code, 1);
    assert!(
        out.contains("E003") && out.contains("52428800 bytes"),
        "{out}"
    );
}

#[test]
fn binary_garbage_and_invalid_utf8_are_located() {
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let (code, out) = validate(&garbage);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("E002"), "{out}");
    let (code, out) = validate(b"cqrsgen: 1\nsystem: \xc3\x28\n");
    assert_eq!(code, 1);
    assert!(
        out.contains("not valid UTF-8") && out.contains("cqrsgen.yaml:2:"),
        "{out}"
    );
}

#[test]
fn ten_thousand_levels_of_nesting_are_refused() {
    let mut text = "a: ".to_owned() + &"[".repeat(10_000) + &"]".repeat(10_000);
    text.push('\n');
    let (code, out) = validate(text.as_bytes());
    assert_eq!(code, 1);
    assert!(out.contains("E004"), "{out}");
    // Block style: each `- ` of a compact sequence opens a level.
    let block = "a:\n".to_owned() + &"- ".repeat(10_000) + "x\n";
    let (code, out) = validate(block.as_bytes());
    assert_eq!(code, 1);
    assert!(out.contains("E004"), "{out}");
}

#[test]
fn alias_bombs_are_refused() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let (code, out) = validate(text.as_bytes());
    assert_eq!(code, 1);
    assert!(out.contains("billion laughs"), "{out}");
}

#[test]
fn aliases_of_large_nodes_are_refused_before_they_fill_memory() {
    let big = "x".repeat(1_000_000);
    // One anchored string, mapping or sequence of 1 MB, and 3,000 aliases of it: 3 GB once
    // expanded. The ninth alias (line 12) passes the 8 MiB budget.
    for anchored in [big.clone(), format!("{{text: {big}}}"), format!("[{big}]")] {
        let mut text = format!("cqrsgen: 1\nbig: &big {anchored}\ncopies:\n");
        text += &"  - *big\n".repeat(3_000);
        assert!(text.len() > 1_000_000 && text.len() < 1_100_000);
        let (code, out) = validate_in_memory(text.as_bytes());
        assert_eq!(code, 1, "{}", &out[..out.len().min(2_000)]);
        assert!(
            out.contains("error[E003]") && out.contains("[cqrsgen.yaml:12:5]"),
            "{out}"
        );
        assert!(out.contains("more than 8388608 bytes of text"), "{out}");
    }
}

#[test]
fn millions_of_small_items_are_refused_before_they_fill_memory() {
    // Just under 8 MiB of `0,`: 4 million nodes, about 1.5 GB once loaded as a tree.
    let text = format!("cqrsgen: 1\na: [{}0]\n", "0,".repeat(4_000_000));
    let (code, out) = validate_in_memory(text.as_bytes());
    assert_eq!(code, 1, "{}", &out[..out.len().min(2_000)]);
    assert!(out.contains("error[E003]"), "{out}");
    assert!(
        out.contains("more than 250000 keys, values and items"),
        "{out}"
    );
    assert!(out.len() < 5_000, "{} bytes", out.len());
}

#[test]
fn long_keys_repeated_in_the_path_of_many_nodes_are_refused() {
    // Every node below a key has a JSON pointer that repeats it: 100,000 nodes below a 1 MB
    // key (an explicit one: plain keys have at most 1,024 characters) would take 100 GB of
    // pointers.
    let mut text = format!("cqrsgen: 1\n? {}\n:\n", "k".repeat(1_000_000));
    for i in 0..100_000 {
        text += &format!("  a{i}: 1\n");
    }
    let (code, out) = validate_in_memory(text.as_bytes());
    assert_eq!(code, 1, "{}", &out[..out.len().min(2_000)]);
    assert!(out.contains("error[E003]"), "{out}");
    assert!(out.contains("more than 33554432 bytes"), "{out}");
    assert!(out.len() < 5_000, "{} bytes", out.len());
}

#[test]
fn a_finding_far_along_one_long_line_is_shown_cut() {
    // A spec written as one line of JSON (YAML flow style), over 100 KB, with an unknown key
    // near its end: past column 65,535, where miette's own snippets panic.
    let padding: Vec<String> = (0..8_000)
        .map(|i| format!("\"f{i}\": \"string\""))
        .collect();
    let text = format!(
        "{{\"cqrsgen\": 1, \"system\": \"demo\", \"bus\": \"demo-hub\", \
         \"types\": {{\"padding\": {{\"fields\": {{{}}}}}}}, \
         \"services\": {{\"search\": {{\"ownr\": \"x\"}}}}}}\n",
        padding.join(", ")
    );
    assert!(text.len() > 100_000);
    let (code, out) = validate(text.as_bytes());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[E006]"), "{out}");
    assert!(out.contains("unknown key `ownr`"), "{out}");
    let column = text.find("\"ownr\"").expect("in the text") + 1;
    assert!(column > 65_535);
    assert!(out.contains(&format!("[cqrsgen.yaml:1:{column}]")), "{out}");
    assert!(out.len() < 2_000, "{} bytes:\n{out}", out.len());
    // The caret points at the key in the cut line.
    let line = out
        .lines()
        .find(|l| l.contains("\"ownr\""))
        .expect("key shown");
    let carets = out.lines().find(|l| l.contains('^')).expect("caret line");
    assert_eq!(line.find("\"ownr\""), carets.find('^'), "{out}");
    // The machine formats only carry the numbers.
    for format in ["json", "sarif", "github"] {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("cqrsgen.yaml"), &text).expect("manifest written");
        let output = Command::cargo_bin("cqrsgen")
            .expect("binary")
            .current_dir(dir.path())
            .args(["validate", "--format", format])
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(1), "{format}");
        let all = [output.stdout, output.stderr].concat();
        let all = String::from_utf8_lossy(&all);
        assert!(all.contains(&column.to_string()), "{format}: {all}");
        assert!(all.len() < 5_000, "{format}: {} bytes", all.len());
    }
}

/// A project beside a directory it must not read, with a manifest including `patterns`.
#[cfg(unix)]
fn project_beside_a_secret(patterns: &[String]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let outside = dir.path().join("outside");
    let project = dir.path().join("project");
    std::fs::create_dir_all(&outside).expect("outside dir");
    std::fs::create_dir_all(project.join("services")).expect("project dir");
    std::fs::write(
        outside.join("secret.yaml"),
        "cqrsgen: 1\ndescription: TOP-SECRET-CONTENT\n",
    )
    .expect("secret written");
    std::fs::write(project.join("services/ok.yaml"), "cqrsgen: 1\n").expect("ok written");
    let symlink = |target: &str, link: &str| {
        std::os::unix::fs::symlink(target, project.join(link)).expect("symlink");
    };
    symlink("../outside/secret.yaml", "link.yaml");
    symlink("../outside", "linked");
    symlink("services/ok.yaml", "inner.yaml");
    let mut manifest = String::from("cqrsgen: 1\nsystem: demo\nbus: demo-hub\ninclude:\n");
    for pattern in patterns {
        manifest += &format!("  - \"{pattern}\"\n");
    }
    std::fs::write(project.join("cqrsgen.yaml"), manifest).expect("manifest written");
    dir
}

#[cfg(unix)]
#[test]
fn includes_never_read_outside_the_project() {
    let secret = tempfile::tempdir().expect("temp dir");
    let absolute = secret.path().join("secret.yaml");
    std::fs::write(&absolute, "cqrsgen: 1\ndescription: TOP-SECRET-CONTENT\n").expect("written");
    let outside = [
        "../outside/secret.yaml".to_owned(),
        absolute.to_str().expect("UTF-8 temp path").to_owned(),
        "services/../../outside/*.yaml".to_owned(),
        "*/../../outside/*".to_owned(),
        "link.yaml".to_owned(),
        "linked/*.yaml".to_owned(),
        "**/secret.yaml".to_owned(),
    ];
    let mut patterns = outside.to_vec();
    patterns.push("inner.yaml".to_owned());
    let dir = project_beside_a_secret(&patterns);
    let project = dir.path().join("project");
    // The manifest named as a directory, as a file with a directory, and as a bare file name.
    for (cwd, arg) in [
        (project.clone(), "."),
        (dir.path().to_path_buf(), "project/cqrsgen.yaml"),
        (project.clone(), "cqrsgen.yaml"),
    ] {
        let (code, out) = run_with(&cwd, &[arg]);
        assert_eq!(code, 1, "{out}");
        assert!(!out.contains("TOP-SECRET"), "{out}");
        // One located finding per pattern that leads outside (manifest lines 5 to 11)...
        for line in 5..5 + outside.len() {
            assert!(
                out.contains(&format!("cqrsgen.yaml:{line}:5]")),
                "line {line}: {out}"
            );
        }
        assert_eq!(out.matches("error[E005]").count(), outside.len(), "{out}");
        // ...and none for the link that stays inside.
        assert!(
            !out.contains(&format!("cqrsgen.yaml:{}:5]", 5 + outside.len())),
            "{out}"
        );
    }
}

#[test]
fn empty_files_duplicate_keys_and_tabs_are_located() {
    for (text, expected) in [
        (&b""[..], "empty"),
        (b"cqrsgen: 1\ncqrsgen: 1\n", "cqrsgen.yaml:2:"),
        (b"cqrsgen: 1\nevents:\n\tx: 1\n", "cqrsgen.yaml:3:"),
    ] {
        let (code, out) = validate(text);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains(expected), "{expected} not in {out}");
    }
}

#[test]
fn a_missing_project_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, out) = run(dir.path());
    assert_eq!(code, 2);
    assert!(out.contains("no cqrsgen.yaml found"), "{out}");
}

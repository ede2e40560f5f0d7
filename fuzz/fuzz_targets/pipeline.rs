//! libFuzzer target: the input is the manifest `cqrsgen.yaml` of a project, run through
//! the same pipeline as the stable harness (`cli/tests/fuzz_support/pipeline.rs`): load ->
//! validate -> generate. A panic, a hang (`-timeout`), too much memory (`-rss_limit_mb`)
//! or a spec that validates but does not generate is a crash.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

#[path = "../../cli/tests/fuzz_support/pipeline.rs"]
mod pipeline;

/// One directory per process, reused for every input.
fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("cqrsgen-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create the input directory");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = dir();
    std::fs::write(dir.join("cqrsgen.yaml"), data).expect("write the input");
    if let Err(broken) = pipeline::run(dir) {
        panic!("{broken}");
    }
});

//! The floor of emitting Rust the way cqrsgen must (syn tokens, printed by prettyplease):
//! `cargo run --release -p cqrsgen --example format_floor -- DIR` reads every `.rs` file under
//! `DIR` (a generated output), turns it into tokens, and times parsing them into a
//! `syn::File` and printing that with prettyplease, on one thread with the allocator the
//! `cqrsgen` binary uses. `scripts/bench` runs it on the synthetic output.

use std::path::{Path, PathBuf};
use std::time::Instant;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            rust_files(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .ok_or("usage: format_floor DIR")?;
    let mut paths = Vec::new();
    rust_files(&dir, &mut paths)?;
    let mut tokens = Vec::with_capacity(paths.len());
    let mut bytes = 0;
    for path in &paths {
        let text = std::fs::read_to_string(path)?;
        bytes += text.len();
        let stream: proc_macro2::TokenStream = text
            .parse()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        tokens.push(stream);
    }
    let start = Instant::now();
    let mut printed = 0;
    for stream in tokens {
        let file: syn::File = syn::parse2(stream)?;
        printed += prettyplease::unparse(&file).len();
    }
    let elapsed = start.elapsed();
    println!(
        "syn::parse2 + prettyplease::unparse of {} Rust files ({bytes} bytes, {printed} printed), one thread: {:.0} ms",
        paths.len(),
        elapsed.as_secs_f64() * 1000.0
    );
    Ok(())
}

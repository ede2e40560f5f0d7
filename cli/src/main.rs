//! The `cqrsgen` command; everything lives in the library ([`cqrsgen::cli`]).

/// The emitters allocate and free millions of small token and syntax tree nodes on several
/// threads; mimalloc does that with much less CPU than the system allocator (see
/// `docs/performance.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cqrsgen::cli::run()
}

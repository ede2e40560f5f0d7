//! The `cqrsgen` command; everything lives in the library ([`cqrsgen::cli`]).

fn main() -> std::process::ExitCode {
    cqrsgen::cli::run()
}

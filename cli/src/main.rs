//! The `cqrsgen` command; everything lives in the library.
fn main() {}

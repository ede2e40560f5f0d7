//! `cqrsgen init`.

use std::path::Path;

use super::{EXIT_OK, InitArgs, usage_error};

/// Writes a new project, returns the exit code.
pub fn run(args: &InitArgs) -> u8 {
    match crate::scaffold::init(&args.dir, args.force) {
        Ok(written) => {
            for path in &written {
                println!("created {}", display(&args.dir.join(path)));
            }
            println!("\nnext: cqrsgen validate {}", display(&args.dir));
            EXIT_OK
        }
        Err(e) => usage_error(e),
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

//! `cqrsgen export`: the system in other formats.

use std::io::Write;
use std::path::Path;

use super::{AsyncapiArgs, EXIT_FINDINGS, EXIT_OK, emit_report, usage_error};
use crate::asyncapi;

/// `cqrsgen export asyncapi`: validates the project and writes its AsyncAPI document;
/// returns the exit code. Nothing is written when the spec has errors.
pub fn asyncapi(args: &AsyncapiArgs) -> u8 {
    let yaml = match args.out.as_deref().map(extension) {
        None | Some(Some("json")) => false,
        Some(Some("yaml" | "yml")) => true,
        Some(_) => {
            return usage_error(format!(
                "cannot tell the format of `{}`: name it `.json`, `.yaml` or `.yml`",
                args.out.as_deref().unwrap_or(Path::new("")).display()
            ));
        }
    };
    let project = match crate::load::load(&args.path) {
        Ok(project) => project,
        Err(e) => return usage_error(e),
    };
    let outcome = crate::validate::validate(&project);
    if !outcome.diagnostics.is_empty() {
        emit_report(&args.report, &project, &outcome.diagnostics);
    }
    let Some(system) = outcome.ir else {
        return EXIT_FINDINGS;
    };
    let options = asyncapi::Options {
        api_version: args.api_version.clone(),
        region: args.region.clone(),
    };
    let document = asyncapi::document(&system, &options);
    let text = if yaml {
        match asyncapi::to_yaml(&document) {
            Ok(text) => text,
            Err(e) => return usage_error(format!("cannot write the document as YAML: {e}")),
        }
    } else {
        asyncapi::to_json(&document)
    };
    match &args.out {
        None => {
            // A closed pipe is not worth a panic; there is no one left to tell.
            let _ = std::io::stdout().write_all(text.as_bytes());
            EXIT_OK
        }
        Some(out) => match std::fs::write(out, text) {
            Ok(()) => {
                eprintln!("AsyncAPI document written to {}", out.display());
                EXIT_OK
            }
            Err(e) => usage_error(format!("cannot write `{}`: {e}", out.display())),
        },
    }
}

/// The file's extension, in lower case.
fn extension(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    ["json", "yaml", "yml"].into_iter().find(|e| *e == ext)
}

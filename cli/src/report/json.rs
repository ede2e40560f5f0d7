//! A stable JSON document of the findings; its shape is documented in
//! `docs/diagnostics.md` and changes only with a new `version`.

use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Severity};

use super::{Summary, display_path, to_json_pretty};

/// The shape's version, bumped on incompatible changes.
const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    diagnostics: Vec<Finding<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Finding<'a> {
    code: Code,
    severity: Severity,
    message: &'a str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    end: Option<End>,
    pointer: Option<&'a str>,
    label: Option<&'a str>,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct End {
    line: usize,
    column: usize,
}

/// The document, pretty-printed, with a trailing newline.
pub(super) fn render(diagnostics: &[Diagnostic]) -> String {
    to_json_pretty(&Document {
        version: VERSION,
        diagnostics: diagnostics.iter().map(finding).collect(),
        summary: Summary::of(diagnostics),
    })
}

fn finding(diagnostic: &Diagnostic) -> Finding<'_> {
    let location = diagnostic.location.as_ref();
    Finding {
        code: diagnostic.code,
        severity: diagnostic.severity,
        message: &diagnostic.message,
        file: location.map(|l| display_path(&l.file)),
        line: location.map(|l| l.start.line),
        column: location.map(|l| l.start.column),
        end: location.map(|l| End {
            line: l.end.line,
            column: l.end.column,
        }),
        pointer: location.map(|l| l.pointer.as_str()),
        label: diagnostic.label.as_deref(),
        help: diagnostic.help.as_deref(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;

    #[test]
    fn renders_the_documented_shape() {
        insta::assert_snapshot!(render(&fixture::diagnostics()));
    }

    #[test]
    fn columns_count_characters() {
        let out: serde_json::Value =
            serde_json::from_str(&render(&fixture::diagnostics())).expect("valid JSON");
        let unknown_type = &out["diagnostics"][2];
        // `  bücher-bestellt: {owner: läden, fields: {total: ` is 50 characters, 52 bytes.
        assert_eq!(unknown_type["line"], 3);
        assert_eq!(unknown_type["column"], 51);
        assert_eq!(unknown_type["end"]["column"], 57);
    }

    #[test]
    fn no_findings() {
        assert_eq!(
            render(&[]),
            "{\n  \"version\": 1,\n  \"diagnostics\": [],\n  \"summary\": {\n    \"errors\": 0,\n    \"warnings\": 0\n  }\n}\n"
        );
    }
}

//! Findings on a small spec shared by the renderers' tests. The spec has multi-byte
//! characters before and inside spans, so byte offsets and character columns differ.

use crate::diagnostic::{Code, Diagnostic, Location, Position};

use super::Sources;

/// Path of the fixture spec.
pub(crate) const FILE: &str = "specs/orders.yaml";

/// Text of the fixture spec.
pub(crate) const TEXT: &str = "\
version: 1
events:
  bücher-bestellt: {owner: läden, fields: {total: monney}}
services:
  läden: {publishes: [bücher-bestellt]}
";

/// The fixture spec as the only known source.
pub(crate) fn sources() -> Sources {
    let mut sources = Sources::new();
    sources.insert(FILE, TEXT);
    sources
}

/// Two errors (one without a location) and a warning, in report order.
pub(crate) fn diagnostics() -> Vec<Diagnostic> {
    vec![
        Diagnostic::new(
            Code::Include,
            "the include pattern `services/*.yaml` matches nothing",
        )
        .with_help("check the pattern, or remove it from `include`"),
        Diagnostic::new(Code::Unconsumed, "no service consumes `bücher-bestellt`")
            .at(Some(locate("bücher-bestellt", "/events/bücher-bestellt")))
            .with_label("published here"),
        Diagnostic::new(Code::UnknownType, "unknown type `monney`")
            .at(Some(locate(
                "monney",
                "/events/bücher-bestellt/fields/total",
            )))
            .with_label("not a built-in or declared type")
            .with_help("did you mean `money`?"),
    ]
}

/// The location of the first `needle` in [`TEXT`], computed the way the loader does:
/// byte offsets, 1-based lines, 1-based columns in characters.
pub(crate) fn locate(needle: &str, pointer: &str) -> Location {
    let position = |offset: usize| {
        let before = &TEXT[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
            offset,
        }
    };
    let start = TEXT.find(needle).expect("needle is in the fixture");
    Location {
        file: FILE.into(),
        start: position(start),
        end: position(start + needle.len()),
        pointer: pointer.to_owned(),
    }
}

//! SARIF 2.1.0: the format code-scanning services (e.g. GitHub code scanning) read.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Location, Severity};

use super::{display_path, message_with_help, to_json_pretty};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    /// Our columns count Unicode code points, not UTF-16 code units.
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    information_uri: &'static str,
    version: &'a str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: Code,
    short_description: Message<'static>,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Configuration {
    level: Severity,
}

#[derive(Serialize)]
struct Message<'a> {
    text: Cow<'a, str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: Code,
    rule_index: usize,
    level: Severity,
    message: Message<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<SarifLocation<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

/// A SARIF log with one run; `tool_version` is the driver's version.
pub(super) fn render(diagnostics: &[Diagnostic], tool_version: &str) -> String {
    let codes: Vec<Code> = diagnostics
        .iter()
        .map(|d| d.code)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let results = diagnostics
        .iter()
        .map(|d| SarifResult {
            rule_id: d.code,
            // `codes` is sorted and holds `d.code`: this is its index.
            rule_index: codes.partition_point(|&c| c < d.code),
            level: d.severity,
            message: Message {
                text: message_with_help(d),
            },
            locations: d.location.iter().map(|l| location(l, d)).collect(),
        })
        .collect();
    let driver = Driver {
        name: "cqrsgen",
        information_uri: env!("CARGO_PKG_REPOSITORY"),
        version: tool_version,
        rules: codes.into_iter().map(rule).collect(),
    };
    to_json_pretty(&Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool { driver },
            column_kind: "unicodeCodePoints",
            results,
        }],
    })
}

fn rule(code: Code) -> Rule {
    Rule {
        id: code,
        short_description: Message {
            text: Cow::Borrowed(code.summary()),
        },
        default_configuration: Configuration {
            level: code.severity(),
        },
    }
}

fn location<'a>(location: &Location, diagnostic: &'a Diagnostic) -> SarifLocation<'a> {
    SarifLocation {
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: uri(&location.file),
            },
            region: Region {
                start_line: location.start.line,
                start_column: location.start.column,
                end_line: location.end.line,
                end_column: location.end.column,
            },
        },
        message: diagnostic.label.as_deref().map(|label| Message {
            text: Cow::Borrowed(label),
        }),
    }
}

/// A URI reference for `path`: relative paths stay relative (SARIF viewers resolve them
/// against the repository root), absolute ones become `file://` URIs. Characters outside
/// RFC 3986's unreserved set and `/` are percent-encoded.
fn uri(path: &Path) -> String {
    let path = display_path(path);
    let (mut uri, path) = match path.as_bytes() {
        [b'/', ..] => ("file://".to_owned(), path.as_str()),
        [drive, b':', ..] if drive.is_ascii_alphabetic() => {
            (format!("file:///{}", &path[..2]), &path[2..])
        }
        _ => (String::new(), path.as_str()),
    };
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(char::from(byte))
            }
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;
    use serde_json::Value;

    fn log() -> Value {
        serde_json::from_str(&render(&fixture::diagnostics(), "0.0.0-test")).expect("valid JSON")
    }

    #[test]
    fn renders_sarif() {
        insta::assert_snapshot!(render(&fixture::diagnostics(), "0.0.0-test"));
    }

    /// The properties SARIF 2.1.0 requires (sarifLog, run, tool, toolComponent,
    /// reportingDescriptor, result, message), and the ones GitHub code scanning needs.
    #[test]
    fn has_required_sarif_properties() {
        let log = log();
        assert_eq!(log["version"], "2.1.0");
        assert_eq!(log["$schema"], SCHEMA);
        let runs = log["runs"].as_array().expect("runs is an array");
        assert_eq!(runs.len(), 1);
        let driver = &runs[0]["tool"]["driver"];
        assert_eq!(driver["name"], "cqrsgen");
        assert_eq!(driver["version"], "0.0.0-test");
        let rules = driver["rules"].as_array().expect("rules is an array");
        let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
        assert_eq!(ids, ["E005", "E021", "W001"]);
        for rule in rules {
            assert!(rule["shortDescription"]["text"].is_string(), "{rule}");
        }
        for result in runs[0]["results"].as_array().expect("results is an array") {
            assert!(result["message"]["text"].is_string(), "{result}");
            assert!(["error", "warning"].contains(&result["level"].as_str().unwrap_or("")));
            let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(rules[index]["id"], result["ruleId"], "{result}");
            for location in result["locations"].as_array().into_iter().flatten() {
                let physical = &location["physicalLocation"];
                assert!(
                    physical["artifactLocation"]["uri"].is_string(),
                    "{location}"
                );
                for key in ["startLine", "startColumn", "endLine", "endColumn"] {
                    assert!(
                        physical["region"][key].as_u64().is_some_and(|n| n >= 1),
                        "{key}"
                    );
                }
            }
        }
    }

    #[test]
    fn message_includes_help_and_columns_count_characters() {
        let result = &log()["runs"][0]["results"][2];
        assert_eq!(
            result["message"]["text"],
            "unknown type `monney`\nhelp: did you mean `money`?"
        );
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startColumn"], 51);
        assert_eq!(region["endColumn"], 57);
    }

    #[test]
    fn uris_are_relative_with_forward_slashes_and_encoded() {
        assert_eq!(uri(Path::new(r"specs\orders.yaml")), "specs/orders.yaml");
        assert_eq!(
            uri(Path::new("my specs/bücher.yaml")),
            "my%20specs/b%C3%BCcher.yaml"
        );
        assert_eq!(uri(Path::new("/srv/a.yaml")), "file:///srv/a.yaml");
        assert_eq!(uri(Path::new("C:/a.yaml")), "file:///C:/a.yaml");
    }
}

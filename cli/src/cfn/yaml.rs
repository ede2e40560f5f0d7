//! An ordered document tree, and its YAML and JSON forms.
//!
//! YAML is written with saphyr's emitter. Strings are written plain only when every YAML
//! reader reads them back as the same string: cfn-lint and checkov read templates with
//! YAML 1.1 parsers, where `yes`, `no`, `on`, `off`, `y`, `n`, `~`, `2024-01-01`, `1_000`,
//! `0b1` are booleans, nulls, dates or numbers. A string is plain when it starts with an
//! ASCII letter, `/` or `_`, holds only ASCII letters, digits, ` `, `_`, `.`, `/` and `-`,
//! does not end with a space, and is not one of the YAML 1.1 boolean, null and special
//! float words in any case. Every other string is double-quoted with escapes, so quotes,
//! `:`, `#`, newlines, leading spaces and control characters are safe too.

use std::borrow::Cow;

use saphyr::{Mapping, Scalar, ScalarStyle, Yaml, YamlEmitter};
use serde_json::Number;

use super::CfnError;

/// A document: like JSON, but maps keep the order they were built in.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tree {
    /// JSON `null`: never in templates, which cannot express it (see [`super::CfnError::Null`]),
    /// but in other documents written with this module ([`super::json_to_yaml`]).
    Null,
    String(String),
    Number(Number),
    Bool(bool),
    Seq(Vec<Tree>),
    Map(Vec<(String, Tree)>),
}

impl Tree {
    /// The tree of a JSON value, keys in the value's order.
    pub(super) fn from_json(value: &serde_json::Value) -> Tree {
        match value {
            serde_json::Value::Null => Tree::Null,
            serde_json::Value::Bool(b) => Tree::Bool(*b),
            serde_json::Value::Number(n) => Tree::Number(n.clone()),
            serde_json::Value::String(s) => Tree::String(s.clone()),
            serde_json::Value::Array(items) => {
                Tree::Seq(items.iter().map(Tree::from_json).collect())
            }
            serde_json::Value::Object(map) => Tree::Map(
                map.iter()
                    .map(|(k, v)| (k.clone(), Tree::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// The JSON form (keys sorted, as `serde_json` maps are).
    pub(super) fn to_json(&self) -> serde_json::Value {
        match self {
            Tree::Null => serde_json::Value::Null,
            Tree::String(s) => serde_json::Value::String(s.clone()),
            Tree::Number(n) => serde_json::Value::Number(n.clone()),
            Tree::Bool(b) => serde_json::Value::Bool(*b),
            Tree::Seq(items) => serde_json::Value::Array(items.iter().map(Tree::to_json).collect()),
            Tree::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// The YAML form, one document.
    pub(super) fn to_yaml(&self) -> Result<String, CfnError> {
        let mut out = String::new();
        YamlEmitter::new(&mut out)
            .dump(&self.to_saphyr())
            .map_err(|e| CfnError::Emit(e.to_string()))?;
        out.push('\n');
        Ok(out)
    }

    fn to_saphyr(&self) -> Yaml<'static> {
        match self {
            Tree::Null => Yaml::Value(Scalar::Null),
            Tree::String(s) => string(s),
            Tree::Number(n) => number(n),
            Tree::Bool(b) => Yaml::Value(Scalar::Boolean(*b)),
            Tree::Seq(items) => Yaml::Sequence(items.iter().map(Tree::to_saphyr).collect()),
            Tree::Map(entries) => {
                let mut mapping = Mapping::new();
                for (key, value) in entries {
                    mapping.insert(string(key), value.to_saphyr());
                }
                Yaml::Mapping(mapping)
            }
        }
    }
}

fn number(n: &Number) -> Yaml<'static> {
    if let Some(i) = n.as_i64() {
        Yaml::Value(Scalar::Integer(i))
    } else if n.is_u64() {
        // Above i64::MAX: digits only, which every reader takes as an integer.
        Yaml::Representation(Cow::Owned(n.to_string()), ScalarStyle::Plain, None)
    } else {
        // saphyr writes floats in positional notation with a `.`, which YAML 1.1 needs.
        Yaml::Value(Scalar::FloatingPoint(n.as_f64().unwrap_or_default().into()))
    }
}

fn string(s: &str) -> Yaml<'static> {
    if is_plain_safe(s) {
        Yaml::Value(Scalar::String(Cow::Owned(s.to_owned())))
    } else {
        Yaml::Representation(Cow::Owned(escape(s)), ScalarStyle::DoubleQuoted, None)
    }
}

/// Words YAML 1.1 or 1.2 readers resolve to booleans, nulls or special floats.
const RESERVED_WORDS: &[&str] = &[
    "y", "yes", "n", "no", "true", "false", "on", "off", "null", "nan", "inf", "infinity",
];

/// Whether `s` reads back as the same string from a plain scalar in YAML 1.1 and 1.2.
fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    (first.is_ascii_alphabetic() || first == '/' || first == '_')
        && !s.ends_with(' ')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '.' | '/' | '-'))
        && !RESERVED_WORDS.contains(&s.to_ascii_lowercase().as_str())
}

/// The content of a double-quoted scalar: `"` and `\` escaped, and every character outside
/// YAML's printable set (plus tab, line feed and carriage return) written as an escape.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'.. => {
                // U+FEFF is printable but read as a byte order mark by some readers.
                if c == '\u{feff}' {
                    out.push_str("\\ufeff");
                } else {
                    out.push(c);
                }
            }
            other => out.push_str(&format!("\\u{:04x}", u32::from(other))),
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use saphyr::LoadableYamlNode;
    use serde_json::json;

    use super::*;

    /// Reads YAML back into JSON with saphyr.
    pub(crate) fn read_back(text: &str) -> serde_json::Value {
        let docs = Yaml::load_from_str(text).expect("valid YAML");
        assert_eq!(docs.len(), 1, "one document in {text}");
        to_json(&docs[0])
    }

    fn to_json(yaml: &Yaml<'_>) -> serde_json::Value {
        match yaml {
            Yaml::Value(Scalar::String(s)) => json!(s),
            Yaml::Value(Scalar::Integer(i)) => json!(i),
            Yaml::Value(Scalar::FloatingPoint(f)) => json!(f.into_inner()),
            Yaml::Value(Scalar::Boolean(b)) => json!(b),
            Yaml::Value(Scalar::Null) => serde_json::Value::Null,
            Yaml::Sequence(items) => items.iter().map(to_json).collect(),
            Yaml::Mapping(map) => serde_json::Value::Object(
                map.iter()
                    .map(|(k, v)| match to_json(k) {
                        serde_json::Value::String(k) => (k, to_json(v)),
                        other => panic!("non-string key {other}"),
                    })
                    .collect(),
            ),
            other => panic!("unexpected node {other:?}"),
        }
    }

    /// Strings that YAML 1.1 readers would take for something else, or that YAML syntax
    /// would break, when written plain.
    const TRICKY: &[&str] = &[
        "",
        "on",
        "On",
        "OFF",
        "yes",
        "No",
        "y",
        "N",
        "true",
        "False",
        "null",
        "Null",
        "~",
        "1e3",
        "1_000",
        "0b101",
        "0x1F",
        "0o17",
        "017",
        "+1",
        "-1",
        ".5",
        "1.",
        ".inf",
        "-.inf",
        ".NaN",
        "nan",
        "Infinity",
        "2024-01-01",
        "2001-12-14t21:59:43.10-05:00",
        "12:30:00",
        "a: b",
        "a:b",
        "a #b",
        "#comment",
        "'single'",
        "\"double\"",
        "back\\slash",
        "line\nbreak",
        "\n",
        " leading",
        "trailing ",
        "\ttab",
        "- item",
        "? key",
        "[a]",
        "{a: b}",
        "&anchor",
        "*alias",
        "!Ref X",
        "!!str x",
        "%YAML",
        "@at",
        "`tick`",
        "|",
        ">",
        "<<",
        "=",
        "---",
        "...",
        "a, b",
        "${AWS::AccountId}",
        "{\"Ref\": \"X\"}",
        "x\nResources:\n  Evil: {}",
        "bell\u{7}",
        "del\u{7f}",
        "nel\u{85}",
        "c1\u{90}",
        "bom\u{feff}",
        "ls\u{2028}",
        "emoji 🦀",
        "é",
        "Résumé",
    ];

    #[test]
    fn tricky_strings_round_trip_as_values_and_keys() {
        for s in TRICKY {
            let tree = Tree::Map(vec![
                ("value".into(), Tree::String((*s).to_owned())),
                (
                    (*s).to_owned(),
                    Tree::Seq(vec![Tree::String((*s).to_owned())]),
                ),
            ]);
            let text = tree.to_yaml().expect("emit");
            assert_eq!(read_back(&text), tree.to_json(), "{s:?} written as {text}");
        }
    }

    #[test]
    fn yaml_1_1_scalars_are_quoted() {
        for s in [
            "on",
            "off",
            "yes",
            "no",
            "y",
            "n",
            "Y",
            "N",
            "ON",
            "~",
            "null",
            "2024-01-01",
            "1_000",
            "0b1",
            "1e3",
            "12:30",
        ] {
            let text = Tree::String(s.to_owned()).to_yaml().expect("emit");
            assert_eq!(text, format!("---\n\"{s}\"\n"));
        }
    }

    #[test]
    fn ordinary_strings_stay_plain() {
        for s in [
            "rust-cargolambda",
            "provided.al2023",
            "Arn",
            "bootstrap",
            "/aws/x_y",
        ] {
            let text = Tree::String(s.to_owned()).to_yaml().expect("emit");
            assert_eq!(text, format!("---\n{s}\n"));
        }
    }

    #[test]
    fn numbers_and_booleans_round_trip() {
        let tree = Tree::Seq(vec![
            Tree::Number(0.into()),
            Tree::Number((-42).into()),
            Tree::Number(u64::MAX.into()),
            Tree::Number(Number::from_f64(1.5).expect("finite")),
            Tree::Number(Number::from_f64(3.0).expect("finite")),
            Tree::Number(Number::from_f64(1e-7).expect("finite")),
            Tree::Bool(true),
            Tree::Bool(false),
        ]);
        let text = tree.to_yaml().expect("emit");
        assert!(
            text.contains("- 1.5\n") && text.contains("- 3.0\n"),
            "{text}"
        );
        let read = read_back(&text);
        let expected = tree.to_json();
        // saphyr reads integers above i64::MAX as floats; compare that one by value.
        assert_eq!(read[2].as_f64(), expected[2].as_f64());
        for i in [0, 1, 3, 4, 5, 6, 7] {
            assert_eq!(read[i], expected[i], "item {i} of {text}");
        }
    }

    #[test]
    fn json_values_round_trip() {
        let value = json!({
            "asyncapi": "3.0.0",
            "no": null,
            "on": [true, 1, 1.5, "yes", {"$ref": "#/components/schemas/x"}],
            "nested": {"empty": {}, "list": []},
        });
        let text = Tree::from_json(&value).to_yaml().expect("emit");
        assert_eq!(read_back(&text), value, "{text}");
    }

    #[test]
    fn maps_keep_their_order() {
        let tree = Tree::Map(vec![
            ("Type".into(), Tree::String("X".into())),
            ("Properties".into(), Tree::Map(vec![])),
            ("A".into(), Tree::Bool(true)),
        ]);
        assert_eq!(
            tree.to_yaml().expect("emit"),
            "---\nType: X\nProperties: {}\nA: true\n"
        );
    }
}

//! The published JSON Schemas under `schemas/` are what `cqrsgen schema` prints: the spec
//! format's, the scenario format's (`--scenario`) and the volumes format's (`--volumes`).
//! `CQRSGEN_BLESS=1` rewrites them.

use std::path::Path;

/// A published schema: its file, what prints it, and the flag of `cqrsgen schema` for it.
type Published = (&'static str, fn() -> String, &'static str);

#[test]
fn published_schemas_are_current() {
    let schemas: [Published; 3] = [
        ("cqrsgen.schema.json", cqrsgen::cli::schema_text, ""),
        (
            "scenario.schema.json",
            cqrsgen::cli::scenario_schema_text,
            " --scenario",
        ),
        (
            "volumes.schema.json",
            cqrsgen::cli::volumes_schema_text,
            " --volumes",
        ),
    ];
    let bless = std::env::var_os("CQRSGEN_BLESS").is_some();
    for (file, text, flag) in schemas {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../schemas")
            .join(file);
        let current = text();
        if bless {
            std::fs::write(&path, &current).expect("schema writable");
        }
        let published = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            published == current,
            "schemas/{file} is stale: run `cargo run -p cqrsgen -- schema{flag} > schemas/{file}`"
        );
    }
}

#[test]
fn schema_is_draft_2020_12_and_describes_every_section() {
    let schema = cqrsgen::spec::json_schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    for key in [
        "cqrsgen", "system", "bus", "include", "types", "events", "services",
    ] {
        assert!(
            schema["properties"][key].is_object(),
            "no `{key}` in the schema"
        );
    }
    assert_eq!(schema["required"], serde_json::json!(["cqrsgen"]));
}

//! The published JSON Schema (`schemas/cqrsgen.schema.json`) is what `cqrsgen schema`
//! prints. `CQRSGEN_BLESS=1` rewrites it.

use std::path::Path;

#[test]
fn published_schema_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/cqrsgen.schema.json");
    let current = cqrsgen::cli::schema_text();
    if std::env::var_os("CQRSGEN_BLESS").is_some() {
        std::fs::write(&path, &current).expect("schema writable");
    }
    let published = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        published == current,
        "schemas/cqrsgen.schema.json is stale: run `cargo run -p cqrsgen -- schema > schemas/cqrsgen.schema.json`"
    );
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

//! Unit tests of the AsyncAPI mapping's helpers; whole documents are checked with the
//! official parser in `cli/tests/asyncapi.rs`.

use serde_json::json;

use super::*;

#[test]
fn defs_move_to_components_and_references_follow() {
    let mut components = Map::new();
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "shop/order-placed/v1",
        "type": "object",
        "properties": { "to": { "$ref": "#/$defs/address" }, "x": { "$ref": "#/other" } },
        "$defs": { "address": { "type": "object", "properties": { "next": { "$ref": "#/$defs/address" } } } }
    });
    let out = standalone(schema, &mut components);
    assert_eq!(
        out,
        json!({
            "type": "object",
            "properties": {
                "to": { "$ref": "#/components/schemas/type.address" },
                "x": { "$ref": "#/other" }
            }
        })
    );
    assert_eq!(
        components["type.address"]["properties"]["next"]["$ref"],
        "#/components/schemas/type.address"
    );
}

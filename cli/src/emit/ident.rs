//! Stand-in for `crate::naming` until it lands: the same function names and signatures,
//! reduced to what the emitter needs. Spec names reach generated Rust only through here.

use heck::{ToKebabCase, ToLowerCamelCase, ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

fn fix(ident: String, digit_prefix: &str) -> String {
    let ident = if ident.is_empty() || ident.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{digit_prefix}{ident}")
    } else {
        ident
    };
    if KEYWORDS.contains(&ident.as_str()) {
        format!("{ident}_")
    } else {
        ident
    }
}

/// `order-placed` -> `OrderPlaced`.
pub fn type_ident(name: &str) -> String {
    fix(name.to_upper_camel_case(), "V")
}

/// `in-progress` -> `InProgress`.
pub fn variant_ident(value: &str) -> String {
    fix(value.to_upper_camel_case(), "V")
}

/// `orderId` -> `order_id`, `type` -> `type_`.
pub fn field_ident(name: &str) -> String {
    fix(name.to_snake_case(), "v_")
}

/// `order-placed` -> `order_placed`.
pub fn module_ident(name: &str) -> String {
    fix(name.to_snake_case(), "v_")
}

/// `line-item` -> `lineItem`.
pub fn lower_camel(name: &str) -> String {
    name.to_lower_camel_case()
}

/// `("shop", "events")` -> `shop-events`.
pub fn crate_name(system: &str, suffix: &str) -> String {
    format!("{}-{}", system.to_kebab_case(), suffix.to_kebab_case())
}

/// Whether serde needs a rename for this wire name.
pub fn wire_rename_needed(wire: &str, ident: &str) -> bool {
    wire != ident
}

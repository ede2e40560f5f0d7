//! Rust identifiers and Cargo package names (policy in the [parent module](super#rust-identifiers)).

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

use super::{ascii_words, shorten};

/// Every word that cannot be a plain identifier in any edition cqrsgen generates for:
/// strict keywords, the 2018 keywords (`async`, `await`, `dyn`), reserved words (`try`,
/// `abstract`, `become`, `box`, ...) and the 2024 reserved `gen`. An identifier equal to one of
/// them gets a trailing `_`. Weak keywords (`union`, `macro_rules`, `raw`, `safe`) are valid
/// identifiers and are not listed.
pub const KEYWORDS: &[&str] = &[
    // Strict, all editions.
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", // Strict since 2018.
    "async", "await", "dyn", // Reserved for future use.
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", "try", // Reserved since 2024.
    "gen",
];

/// Whether `ident` is one of the [`KEYWORDS`].
pub fn is_keyword(ident: &str) -> bool {
    KEYWORDS.contains(&ident)
}

/// The Rust type name of a spec name (events, types, entities, views):
/// `order-placed` -> `OrderPlaced`.
pub fn type_ident(name: &str) -> String {
    ident(name, Case::UpperCamel)
}

/// The Rust variant name of an enum value: `in-progress` -> `InProgress`,
/// `PENDING` -> `Pending`, `2fa` -> `V2fa`, `self` -> `Self_`.
pub fn variant_ident(value: &str) -> String {
    ident(value, Case::UpperCamel)
}

/// The Rust field name of a field: `orderId` -> `order_id`, `type` -> `type_`.
pub fn field_ident(name: &str) -> String {
    ident(name, Case::Snake)
}

/// The Rust module (or crate library) name of a spec name: `order-placed` -> `order_placed`,
/// `shop-events` -> `shop_events`.
pub fn module_ident(name: &str) -> String {
    ident(name, Case::Snake)
}

/// The repository type of an entity: `order` -> `OrderRepository`.
pub fn repository_ident(entity: &str) -> String {
    format!("{}Repository", type_ident(entity))
}

/// The repository method setting a field of an entity: `status` -> `set_status`,
/// `type` -> `set_type_`.
pub fn setter_ident(field: &str) -> String {
    format!("set_{}", field_ident(field))
}

/// The Rust constant name of a spec name: `order-placed` -> `ORDER_PLACED`.
pub fn const_ident(name: &str) -> String {
    ident(name, Case::ShoutySnake)
}

/// Whether a field or variant needs `#[serde(rename = "<wire>")]`: exactly when its Rust
/// identifier (which serde uses by default, no container `rename_all` assumed) differs from
/// the wire name. So `orderId`/`order_id` and `type`/`type_` need one, `status`/`status` not.
pub fn wire_rename_needed(wire: &str, ident: &str) -> bool {
    wire != ident
}

/// Cargo's limit on package names (as enforced by crates.io).
const CRATE_NAME_MAX: usize = 64;

/// The Cargo package name of a generated crate: `crate_name("shop", "events")` ->
/// `shop-events`, `crate_name("shop", "orders-bff")` -> `shop-orders-bff`. A suffix that
/// already starts with the system's name is not prefixed again, so names do not stutter:
/// `crate_name("helpdesk", "helpdesk-bff")` -> `helpdesk-bff`. Kebab-case, at most 64
/// characters (longer names are shortened with a stable hash); its library name is
/// [`module_ident`] of it.
pub fn crate_name(system: &str, suffix: &str) -> String {
    let system = ascii_words(system).to_kebab_case();
    let suffix = ascii_words(suffix).to_kebab_case();
    let stutters = suffix == system || suffix.starts_with(&format!("{system}-"));
    let joined = match (system.is_empty(), suffix.is_empty()) {
        (_, true) => system,
        (true, false) => suffix,
        (false, false) if stutters => suffix,
        (false, false) => format!("{system}-{suffix}"),
    };
    shorten(joined, CRATE_NAME_MAX, "-")
}

/// The Cargo package name of a service's own crate (`app/<service>/`): its generated crate's
/// name with `-app`, `app_crate_name("shop", "orders-bff")` -> `shop-orders-bff-app`.
pub fn app_crate_name(system: &str, service: &str) -> String {
    format!("{}-app", crate_name(system, service))
}

/// The cases of Rust identifiers, each with the prefix for identifiers that would start with
/// a digit or be empty.
#[derive(Clone, Copy)]
enum Case {
    UpperCamel,
    Snake,
    ShoutySnake,
}

impl Case {
    fn apply(self, words: &str) -> String {
        match self {
            Case::UpperCamel => words.to_upper_camel_case(),
            Case::Snake => words.to_snake_case(),
            Case::ShoutySnake => words.to_shouty_snake_case(),
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Case::UpperCamel => "V",
            Case::Snake => "v_",
            Case::ShoutySnake => "V_",
        }
    }
}

fn ident(name: &str, case: Case) -> String {
    let mut ident = case.apply(&ascii_words(name));
    if !ident.starts_with(|c: char| c.is_ascii_alphabetic()) {
        ident.insert_str(0, case.prefix());
    }
    if is_keyword(&ident) {
        ident.push('_');
    }
    ident
}

#[cfg(test)]
mod tests {
    use super::*;

    type Convert = fn(&str) -> String;

    /// Every function that makes a Rust identifier.
    const IDENTS: [(&str, Convert); 5] = [
        ("type_ident", type_ident),
        ("variant_ident", variant_ident),
        ("field_ident", field_ident),
        ("module_ident", module_ident),
        ("const_ident", const_ident),
    ];

    fn assert_ident(input: &str, ident: &str) {
        assert!(
            syn::parse_str::<syn::Ident>(ident).is_ok(),
            "{input:?} -> {ident:?} does not parse as an identifier"
        );
        assert!(!is_keyword(ident), "{input:?} -> {ident:?} is a keyword");
        assert!(!ident.starts_with("r#"), "{input:?} -> {ident:?} is raw");
        assert!(ident.is_ascii(), "{input:?} -> {ident:?} is not ASCII");
    }

    #[test]
    fn every_keyword_becomes_a_valid_identifier() {
        for keyword in KEYWORDS {
            for (name, f) in IDENTS {
                let ident = f(keyword);
                assert_ident(keyword, &ident);
                assert!(!ident.is_empty(), "{name}({keyword:?})");
            }
            // The snake form of a lowercase keyword is the keyword plus `_`.
            if keyword.chars().all(|c| c.is_ascii_lowercase()) {
                assert_eq!(field_ident(keyword), format!("{keyword}_"));
            }
        }
    }

    #[test]
    fn syn_rejects_what_the_list_covers() {
        // The list is a superset of what syn refuses as an identifier (plus `gen`, which syn
        // still accepts but the 2024 edition reserves).
        for keyword in KEYWORDS {
            let rejected_by_syn = syn::parse_str::<syn::Ident>(keyword).is_err();
            assert!(rejected_by_syn || *keyword == "gen", "{keyword}");
        }
    }

    #[test]
    fn keywords_get_a_trailing_underscore() {
        assert_eq!(field_ident("type"), "type_");
        assert_eq!(field_ident("self"), "self_");
        assert_eq!(field_ident("gen"), "gen_");
        assert_eq!(module_ident("crate"), "crate_");
        assert_eq!(module_ident("super"), "super_");
        assert_eq!(type_ident("self"), "Self_");
        assert_eq!(variant_ident("Self"), "Self_");
        assert_eq!(field_ident("async"), "async_");
        // Weak keywords stay.
        assert_eq!(field_ident("union"), "union");
        assert_eq!(field_ident("raw"), "raw");
        // Screaming case never hits a keyword.
        assert_eq!(const_ident("type"), "TYPE");
    }

    #[test]
    fn case_conversions() {
        assert_eq!(type_ident("order-placed"), "OrderPlaced");
        assert_eq!(type_ident("line-item-v2"), "LineItemV2");
        assert_eq!(field_ident("orderId"), "order_id");
        assert_eq!(field_ident("order_id"), "order_id");
        assert_eq!(field_ident("customerURL"), "customer_url");
        assert_eq!(module_ident("order-placed"), "order_placed");
        assert_eq!(const_ident("order-placed"), "ORDER_PLACED");
        assert_eq!(variant_ident("in-progress"), "InProgress");
        assert_eq!(variant_ident("PENDING"), "Pending");
        assert_eq!(variant_ident("on hold"), "OnHold");
        assert_eq!(variant_ident("a.b/c"), "ABC");
    }

    #[test]
    fn leading_digits_get_a_prefix() {
        assert_eq!(variant_ident("2fa"), "V2fa");
        assert_eq!(type_ident("3d-model"), "V3dModel");
        assert_eq!(field_ident("2fa"), "v_2fa");
        assert_eq!(const_ident("2fa"), "V_2FA");
        assert_eq!(variant_ident("-1"), "V1");
    }

    #[test]
    fn non_ascii_never_reaches_an_identifier() {
        assert_eq!(variant_ident("café"), "Caf");
        assert_eq!(variant_ident("日本"), "V");
        assert_eq!(field_ident("日本"), "v_");
        assert_eq!(variant_ident("größe-m"), "GrEM");
    }

    #[test]
    fn every_output_parses_as_an_identifier() {
        let inputs = [
            "",
            "-",
            "_",
            "__",
            "0",
            "9lives",
            "a",
            "A",
            "order-placed",
            "orderId",
            "ORDER_ID",
            "XMLHttpRequest",
            "in progress",
            "a--b",
            "trailing-",
            "-leading",
            "$",
            "${x}",
            "../x",
            "a\"b",
            "a\nb",
            "café",
            "日本",
            "Σ",
            "🎉",
            "self",
            "Self",
            "SELF",
            "_self",
            "r#type",
            "type_",
            "v_",
            "V",
        ];
        for input in inputs {
            for (_, f) in IDENTS {
                assert_ident(input, &f(input));
            }
        }
        // A deterministic sweep over short strings of interesting characters.
        let alphabet = ['a', 'Z', '0', '-', '_', ' ', '.', 'é', '$'];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..2000 {
            let mut input = String::new();
            for _ in 0..(seed % 6) {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                input.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            for (_, f) in IDENTS {
                assert_ident(&input, &f(&input));
            }
        }
    }

    #[test]
    fn serde_rename_only_when_the_wire_name_differs() {
        for (wire, needed) in [
            ("status", false),
            ("orderId", true),
            ("type", true),
            ("order_id", false),
        ] {
            assert_eq!(
                wire_rename_needed(wire, &field_ident(wire)),
                needed,
                "{wire}"
            );
        }
        assert!(wire_rename_needed(
            "in-progress",
            &variant_ident("in-progress")
        ));
        assert!(!wire_rename_needed("Pending", &variant_ident("Pending")));
    }

    #[test]
    fn crate_names_are_kebab_and_bounded() {
        assert_eq!(crate_name("shop", "events"), "shop-events");
        assert_eq!(crate_name("helpdesk", "helpdesk-bff"), "helpdesk-bff");
        assert_eq!(crate_name("helpdesk", "helpdesk"), "helpdesk");
        assert_eq!(
            crate_name("helpdesk", "helpdeskbff"),
            "helpdesk-helpdeskbff"
        );
        assert_eq!(module_ident(&crate_name("shop", "events")), "shop_events");
        let long = "s".repeat(64);
        let name = crate_name(&long, "events");
        assert_eq!(name.len(), 64);
        assert_eq!(name, crate_name(&long, "events"));
        assert_ne!(name, crate_name(&long, "views"));
        assert!(super::super::check_kebab(&name).is_ok(), "{name}");
    }
}

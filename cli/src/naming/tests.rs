//! Tests of the spec grammars, paths, collisions and the shortening hash.

use super::*;

#[test]
fn valid_kebab_names() {
    for name in [
        "a",
        "shop",
        "order-placed",
        "v2",
        "line-item-v2",
        "a-1",
        "a1-b2-c3",
    ] {
        assert_eq!(check_kebab(name), Ok(()), "{name}");
    }
    assert_eq!(check_kebab(&"a".repeat(64)), Ok(()));
}

#[test]
fn invalid_kebab_names_say_what_is_wrong() {
    let cases = [
        ("", NameError::Empty),
        (&"a".repeat(65), NameError::TooLong { len: 65, max: 64 }),
        ("2fa", NameError::BadStart { ch: '2' }),
        ("-a", NameError::BadStart { ch: '-' }),
        ("a--b", NameError::DoubleHyphen { index: 1 }),
        ("ab-", NameError::TrailingHyphen { index: 2 }),
        (
            "orderPlaced",
            NameError::Uppercase {
                ch: 'P',
                index: 5,
                suggestion: Some("order-placed".into()),
            },
        ),
        ("café", NameError::NonAscii { ch: 'é', index: 3 }),
        (
            "日本",
            NameError::NonAscii {
                ch: '日', index: 0
            },
        ),
        (
            "../x",
            NameError::PathLike {
                text: "..",
                index: 0,
            },
        ),
        (
            "a/b",
            NameError::PathLike {
                text: "/",
                index: 1,
            },
        ),
        (
            "a\\b",
            NameError::PathLike {
                text: "\\",
                index: 1,
            },
        ),
        ("a\"b", NameError::Quote { ch: '"', index: 1 }),
        ("a'b", NameError::Quote { ch: '\'', index: 1 }),
        ("${x}", NameError::Interpolation { index: 0 }),
        ("a\nb", NameError::Control { ch: '\n', index: 1 }),
        (
            "a\u{202E}b",
            NameError::Control {
                ch: '\u{202E}',
                index: 1,
            },
        ),
        (
            "order_placed",
            NameError::InvalidChar {
                ch: '_',
                index: 5,
                allowed: KEBAB_ALLOWED,
            },
        ),
        (
            "a.b",
            NameError::InvalidChar {
                ch: '.',
                index: 1,
                allowed: KEBAB_ALLOWED,
            },
        ),
    ];
    for (name, error) in cases {
        assert_eq!(check_kebab(name), Err(error), "{name:?}");
    }
}

#[test]
fn messages_are_precise() {
    let message = |name: &str| check_kebab(name).err().map(|e| e.to_string());
    assert_eq!(
        message("OrderPlaced").as_deref(),
        Some(
            "has the uppercase letter `O` at character 1; names are lowercase kebab-case \
             (`order-placed`)"
        )
    );
    assert_eq!(
        message("café").as_deref(),
        Some("has the non-ASCII character `é` at character 4; names are ASCII only")
    );
    assert_eq!(
        message("a\nb").as_deref(),
        Some("has the control character `\\n` at character 2")
    );
    assert_eq!(
        message(&"a".repeat(65)).as_deref(),
        Some("is 65 characters long; the limit is 64")
    );
    assert_eq!(
        message("${x}").as_deref(),
        Some("has `${` at character 1, which CloudFormation reads as a substitution")
    );
    assert_eq!(
        message("2fa").as_deref(),
        Some("starts with `2`; names start with a letter")
    );
}

#[test]
fn errors_point_at_the_offending_character() {
    assert_eq!(check_kebab("ab-Cd").err().and_then(|e| e.index()), Some(3));
    assert_eq!(check_kebab("2ab").err().and_then(|e| e.index()), Some(0));
    assert_eq!(check_kebab("").err().and_then(|e| e.index()), None);
}

#[test]
fn field_names() {
    for name in ["orderId", "order_id", "ID", "a1", "x_"] {
        assert_eq!(check_field(name), Ok(()), "{name}");
    }
    assert_eq!(check_field(&"a".repeat(64)), Ok(()));
    let cases = [
        ("", NameError::Empty),
        (&"a".repeat(65), NameError::TooLong { len: 65, max: 64 }),
        ("1st", NameError::BadStart { ch: '1' }),
        ("_id", NameError::BadStart { ch: '_' }),
        ("café", NameError::NonAscii { ch: 'é', index: 3 }),
        ("a\"b", NameError::Quote { ch: '"', index: 1 }),
        ("a\nb", NameError::Control { ch: '\n', index: 1 }),
        (
            "../x",
            NameError::PathLike {
                text: "..",
                index: 0,
            },
        ),
        ("${x}", NameError::Interpolation { index: 0 }),
        (
            "order-id",
            NameError::InvalidChar {
                ch: '-',
                index: 5,
                allowed: FIELD_ALLOWED,
            },
        ),
    ];
    for (name, error) in cases {
        assert_eq!(check_field(name), Err(error), "{name:?}");
    }
}

#[test]
fn enum_values() {
    for value in [
        "PENDING",
        "in-progress",
        "2fa",
        "café",
        "a\"b",
        "${x}",
        "on hold",
    ] {
        assert_eq!(check_enum_value(value), Ok(()), "{value}");
    }
    assert_eq!(check_enum_value(&"a".repeat(128)), Ok(()));
    assert_eq!(check_enum_value(""), Err(NameError::Empty));
    assert_eq!(
        check_enum_value(&"a".repeat(129)),
        Err(NameError::TooLong { len: 129, max: 128 })
    );
    assert_eq!(
        check_enum_value("a\tb"),
        Err(NameError::Control { ch: '\t', index: 1 })
    );
    assert_eq!(check_enum_value("日本"), Err(NameError::NoIdentifier));
    assert_eq!(check_enum_value("---"), Err(NameError::NoIdentifier));
}

#[test]
fn kebab_suggestions() {
    for (name, suggestion) in [
        ("OrderPlaced", Some("order-placed")),
        ("order_placed", Some("order-placed")),
        ("ORDER PLACED", Some("order-placed")),
        ("orderID", Some("order-id")),
        ("order--placed-", Some("order-placed")),
        ("order-placed", Some("order-placed")),
        ("café", None),
        ("2fa", None),
        ("", None),
        ("--", None),
    ] {
        assert_eq!(suggest_kebab(name).as_deref(), suggestion, "{name:?}");
    }
    assert_eq!(suggest_kebab(&"A".repeat(65)), None);
}

#[test]
fn envelope_property_names() {
    assert_eq!(lower_camel("order"), "order");
    assert_eq!(lower_camel("line-item"), "lineItem");
    assert_eq!(lower_camel("line-item-v2"), "lineItemV2");
}

#[test]
fn file_stems_are_safe_path_segments() {
    assert_eq!(file_stem("order-placed"), Ok("order-placed"));
    assert_eq!(file_stem("com"), Ok("com"));
    assert_eq!(file_stem("console"), Ok("console"));
    for name in ["../x", "a/b", "a\\b", ".hidden", "", "A"] {
        assert!(file_stem(name).is_err(), "{name:?}");
    }
    for name in ["con", "prn", "aux", "nul", "com0", "com1", "lpt9"] {
        assert!(
            matches!(file_stem(name), Err(NameError::Reserved { .. })),
            "{name}"
        );
    }
}

#[test]
fn collisions_group_names_with_the_same_conversion() {
    let names = [
        "order-id", "orderId", "order_id", "total", "type", "type_", "total",
    ];
    assert_eq!(
        collisions(names.into_iter(), field_ident),
        vec![
            (
                "order_id".to_string(),
                vec!["order-id", "orderId", "order_id"]
            ),
            ("type_".to_string(), vec!["type", "type_"]),
        ]
    );
    let values = ["in-progress", "IN_PROGRESS", "done"];
    assert_eq!(
        collisions(values.into_iter(), variant_ident),
        vec![("InProgress".to_string(), vec!["IN_PROGRESS", "in-progress"])]
    );
    assert!(collisions(["a", "b"].into_iter(), type_ident).is_empty());
}

#[test]
fn fnv1a64_matches_the_reference_vectors() {
    assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
}

#[test]
fn shortening_is_bounded_and_deterministic() {
    assert_eq!(shorten("short".into(), 10, "-"), "short");
    let long = format!("{}-{}", "a".repeat(20), "b".repeat(20));
    let short = shorten(long.clone(), 30, "-");
    assert_eq!(short, shorten(long, 30, "-"));
    // The cut falls right after a hyphen, which is dropped: 20 + 1 + 8 characters.
    assert_eq!(short.len(), 29);
    assert!(
        short.starts_with(&format!("{}-", "a".repeat(20))),
        "{short}"
    );
    assert!(!short.contains("--"), "{short}");
    // Non-ASCII input is cut on a character boundary.
    assert_eq!(shorten("é".repeat(40), 20, "").chars().count(), 20);
}

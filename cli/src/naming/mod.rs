//! Naming: the one place where names from a spec become Rust identifiers, CloudFormation
//! logical ids, AWS resource names and file paths.
//!
//! No other module formats a spec name into generated output; they all call the functions
//! here, so every naming rule is written, documented and tested once.
//!
//! # Spec-side grammars
//!
//! The validator checks every name with one of these (and reports code `E010`):
//!
//! | what | grammar | limit | checker |
//! |---|---|---|---|
//! | systems, buses, events, services, entities, views, indexes, types, hooks | `^[a-z][a-z0-9]*(-[a-z0-9]+)*$` ("kebab names") | 64 | [`check_kebab`] |
//! | fields of events, entities, views and records | `^[A-Za-z][A-Za-z0-9_]*$` | 64 | [`check_field`] |
//! | enum values | any text without control characters, with an ASCII letter or digit | 128 | [`check_enum_value`] |
//!
//! Event names are also the EventBridge `DetailType` and the envelope `type`; field names and
//! enum values are kept verbatim on the wire.
//!
//! # Conversions
//!
//! - Rust identifiers ([`type_ident`], [`field_ident`], ...): see [below](#rust-identifiers).
//! - AWS resource names and CloudFormation logical ids ([`join_aws_name`], [`logical_id`],
//!   [`check_aws_name`] for code `E013`).
//! - File names ([`file_stem`]) and JSON property names ([`lower_camel`]).
//!
//! Distinct names can become the same identifier (`order-id` and `order_id` both become
//! `order_id`); [`collisions`] finds such groups for the validator's `E011`.
//!
//! # Rust identifiers
//!
//! Conversions go through [`heck`] on the ASCII letters and digits of a name only; every other
//! character separates words, so identifiers are always plain ASCII. Then, one policy:
//!
//! - an identifier that would start with a digit, or be empty, gets the prefix `V`
//!   (UpperCamelCase, SCREAMING_SNAKE: `V`, `V_`) or `v_` (snake_case): `2fa` -> `V2fa`;
//! - an identifier that is a Rust keyword (strict, reserved, or of the 2018-2024 editions,
//!   listed in [`KEYWORDS`]) gets a trailing underscore: `type` -> `type_`, `self` -> `Self_`.
//!
//! Raw identifiers (`r#type`) are never produced.

mod aws;
pub mod reserved;
mod rust;

use std::collections::BTreeMap;

use heck::ToLowerCamelCase;

pub use aws::{
    AwsNameKind, STAGE_MAX_LEN, check_aws_name, check_staged_aws_name, join_aws_name,
    join_staged_aws_name, logical_id, logical_id_checked,
};
pub use rust::{
    KEYWORDS, app_crate_name, const_ident, crate_name, field_ident, is_keyword, module_ident,
    repository_ident, setter_ident, type_ident, variant_ident, wire_rename_needed,
};

/// Longest kebab name, in characters.
pub const KEBAB_MAX: usize = 64;
/// Longest field name, in characters.
pub const FIELD_MAX: usize = 64;
/// Longest enum value, in characters.
pub const ENUM_VALUE_MAX: usize = 128;

const KEBAB_ALLOWED: &str = "lowercase ASCII letters, digits and single `-` between them";
const FIELD_ALLOWED: &str = "ASCII letters, digits and `_`";

/// What is wrong with a name.
///
/// `index` fields are 0-based character (not byte) indexes into the name; messages show them
/// 1-based ("at character 3"). [`NameError::index`] gives the index when there is one, to
/// place a diagnostic on the offending character.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// The name is empty.
    #[error("is empty")]
    Empty,
    /// The name is longer than allowed.
    #[error("is {len} characters long; the limit is {max}")]
    TooLong {
        /// Length in characters.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The name is shorter than allowed.
    #[error("is {len} characters long; the minimum is {min}")]
    TooShort {
        /// Length in characters.
        len: usize,
        /// The minimum.
        min: usize,
    },
    /// An uppercase letter in a kebab name.
    #[error(
        "has the uppercase letter `{ch}` at character {}; names are lowercase kebab-case{}",
        .index + 1,
        suggestion_suffix(.suggestion)
    )]
    Uppercase {
        /// The letter.
        ch: char,
        /// Its index.
        index: usize,
        /// The kebab form of the whole name, when it has one.
        suggestion: Option<String>,
    },
    /// The first character is allowed later in a name but not first: a digit, `-` or `_`.
    #[error("starts with `{ch}`; names start with a letter")]
    BadStart {
        /// The first character.
        ch: char,
    },
    /// Two hyphens in a row.
    #[error("has two hyphens in a row at character {}", .index + 1)]
    DoubleHyphen {
        /// Index of the first of the two.
        index: usize,
    },
    /// A hyphen at the end.
    #[error("ends with a hyphen")]
    TrailingHyphen {
        /// Index of the hyphen.
        index: usize,
    },
    /// A character outside ASCII.
    #[error(
        "has the non-ASCII character `{}` at character {}; names are ASCII only",
        .ch.escape_debug(),
        .index + 1
    )]
    NonAscii {
        /// The character.
        ch: char,
        /// Its index.
        index: usize,
    },
    /// A path separator or `..`, which could make a file path escape its directory.
    #[error("has `{text}` at character {}, which reads as a file path", .index + 1)]
    PathLike {
        /// `/`, `\` or `..`.
        text: &'static str,
        /// Index of its first character.
        index: usize,
    },
    /// A quote character.
    #[error("has the quote `{ch}` at character {}", .index + 1)]
    Quote {
        /// `"`, `'` or `` ` ``.
        ch: char,
        /// Its index.
        index: usize,
    },
    /// `${`, which CloudFormation's `Fn::Sub` reads as a substitution.
    #[error("has `${{` at character {}, which CloudFormation reads as a substitution", .index + 1)]
    Interpolation {
        /// Index of the `$`.
        index: usize,
    },
    /// A control character (including newlines and bidirectional text controls).
    #[error("has the control character `{}` at character {}", .ch.escape_debug(), .index + 1)]
    Control {
        /// The character.
        ch: char,
        /// Its index.
        index: usize,
    },
    /// Any other character the grammar does not allow.
    #[error("has `{ch}` at character {}; allowed are {allowed}", .index + 1)]
    InvalidChar {
        /// The character.
        ch: char,
        /// Its index.
        index: usize,
        /// What the grammar allows, in words.
        allowed: &'static str,
    },
    /// A suffix AWS reserves for something else.
    #[error("ends with `{suffix}`, which AWS reserves: {reason}")]
    ReservedSuffix {
        /// The suffix.
        suffix: &'static str,
        /// What it is reserved for.
        reason: &'static str,
    },
    /// A whole name that is reserved.
    #[error("is reserved: {reason}")]
    Reserved {
        /// Why.
        reason: &'static str,
    },
    /// No ASCII letter or digit to build an identifier from.
    #[error("has no ASCII letter or digit to build an identifier from")]
    NoIdentifier,
}

impl NameError {
    /// The 0-based character index of the offending character, when the error is about one.
    pub fn index(&self) -> Option<usize> {
        match self {
            NameError::Uppercase { index, .. }
            | NameError::DoubleHyphen { index }
            | NameError::TrailingHyphen { index }
            | NameError::NonAscii { index, .. }
            | NameError::PathLike { index, .. }
            | NameError::Quote { index, .. }
            | NameError::Interpolation { index }
            | NameError::Control { index, .. }
            | NameError::InvalidChar { index, .. } => Some(*index),
            NameError::BadStart { .. } => Some(0),
            NameError::Empty
            | NameError::TooLong { .. }
            | NameError::TooShort { .. }
            | NameError::ReservedSuffix { .. }
            | NameError::Reserved { .. }
            | NameError::NoIdentifier => None,
        }
    }
}

fn suggestion_suffix(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|s| format!(" (`{s}`)"))
        .unwrap_or_default()
}

/// Checks a kebab name (system, bus, event, service, entity, view, index, type or hook):
/// `^[a-z][a-z0-9]*(-[a-z0-9]+)*$`, at most [`KEBAB_MAX`] characters.
///
/// ```
/// use cqrsgen::naming::{check_kebab, NameError};
/// assert!(check_kebab("order-placed").is_ok());
/// assert_eq!(check_kebab("order--placed"), Err(NameError::DoubleHyphen { index: 5 }));
/// ```
pub fn check_kebab(name: &str) -> Result<(), NameError> {
    let chars: Vec<char> = name.chars().collect();
    for (index, &ch) in chars.iter().enumerate() {
        let next = chars.get(index + 1).copied();
        match ch {
            'a'..='z' => {}
            '0'..='9' | '-' if index == 0 => return Err(NameError::BadStart { ch }),
            '0'..='9' => {}
            '-' if next == Some('-') => return Err(NameError::DoubleHyphen { index }),
            '-' if next.is_none() => return Err(NameError::TrailingHyphen { index }),
            '-' => {}
            'A'..='Z' => {
                return Err(NameError::Uppercase {
                    ch,
                    index,
                    suggestion: suggest_kebab(name),
                });
            }
            _ => return Err(offending(index, ch, next, KEBAB_ALLOWED)),
        }
    }
    check_len(chars.len(), 1, KEBAB_MAX)
}

/// Checks a field name: `^[A-Za-z][A-Za-z0-9_]*$`, at most [`FIELD_MAX`] characters.
/// Typically camelCase (`orderId`); the wire name is kept verbatim.
pub fn check_field(name: &str) -> Result<(), NameError> {
    let chars: Vec<char> = name.chars().collect();
    for (index, &ch) in chars.iter().enumerate() {
        match ch {
            'a'..='z' | 'A'..='Z' => {}
            '0'..='9' | '_' if index == 0 => return Err(NameError::BadStart { ch }),
            '0'..='9' | '_' => {}
            _ => {
                let next = chars.get(index + 1).copied();
                return Err(offending(index, ch, next, FIELD_ALLOWED));
            }
        }
    }
    check_len(chars.len(), 1, FIELD_MAX)
}

/// Checks an enum value: not empty, no control characters, at most [`ENUM_VALUE_MAX`]
/// characters, and at least one ASCII letter or digit so that [`variant_ident`] has something
/// to build a variant name from. Collisions between the variant names of one enum are found
/// with [`collisions`].
pub fn check_enum_value(value: &str) -> Result<(), NameError> {
    if let Some((index, ch)) = value.chars().enumerate().find(|(_, c)| is_control(*c)) {
        return Err(NameError::Control { ch, index });
    }
    check_len(value.chars().count(), 1, ENUM_VALUE_MAX)?;
    if !value.chars().any(|c| c.is_ascii_alphanumeric()) {
        return Err(NameError::NoIdentifier);
    }
    Ok(())
}

/// A valid kebab form of `name` (`OrderPlaced`, `order_placed` -> `order-placed`), or `None`
/// when there is none: the name has non-ASCII letters or digits (dropping them would change
/// it), starts with a digit, or would be empty or too long. A valid name is its own form.
pub fn suggest_kebab(name: &str) -> Option<String> {
    if name.chars().any(|c| !c.is_ascii() && c.is_alphanumeric()) {
        return None;
    }
    let kebab = heck::ToKebabCase::to_kebab_case(ascii_words(name).as_str());
    check_kebab(&kebab).ok().map(|()| kebab)
}

/// The lowerCamelCase property name of an entity in the event envelope
/// (`order` -> `order`, `line-item` -> `lineItem`).
pub fn lower_camel(name: &str) -> String {
    ascii_words(name).to_lower_camel_case()
}

/// The environment variable that gives a listener the table name of view `view`
/// (`pending-shipment` -> `PENDING_SHIPMENT_TABLE`): the `<VIEW>_TABLE` of
/// `cqrsgen_runtime::env`, set by the generated infrastructure and read by the generated
/// service code.
pub fn view_table_env(view: &str) -> String {
    format!("{}_TABLE", const_ident(view))
}

/// A kebab name used as one path segment (a file or directory name), checked again at the
/// point of use: the result never contains `/`, `\`, `..` or a leading `.`.
///
/// Errors for anything [`check_kebab`] rejects, and for the device names Windows reserves
/// (`con`, `prn`, `aux`, `nul`, `com0`-`com9`, `lpt0`-`lpt9`), which cannot be files there.
pub fn file_stem(name: &str) -> Result<&str, NameError> {
    check_kebab(name)?;
    let reserved = matches!(name, "con" | "prn" | "aux" | "nul")
        || ((name.starts_with("com") || name.starts_with("lpt"))
            && name.len() == 4
            && name.ends_with(|c: char| c.is_ascii_digit()));
    if reserved {
        return Err(NameError::Reserved {
            reason: "Windows device names cannot be file names",
        });
    }
    Ok(name)
}

/// Groups of distinct names that become the same string under `convert` (e.g. [`field_ident`]),
/// sorted by that string; the names in a group are sorted and distinct. Names that appear
/// twice verbatim are duplicates, not collisions, and are not reported here.
///
/// ```
/// use cqrsgen::naming::{collisions, field_ident};
/// let names = ["order-id", "order_id", "total"];
/// assert_eq!(
///     collisions(names.into_iter(), field_ident),
///     vec![("order_id".to_string(), vec!["order-id", "order_id"])]
/// );
/// ```
pub fn collisions<'a>(
    names: impl Iterator<Item = &'a str>,
    convert: impl Fn(&str) -> String,
) -> Vec<(String, Vec<&'a str>)> {
    let mut groups: BTreeMap<String, Vec<&'a str>> = BTreeMap::new();
    for name in names {
        groups.entry(convert(name)).or_default().push(name);
    }
    groups
        .into_iter()
        .filter_map(|(converted, mut names)| {
            names.sort_unstable();
            names.dedup();
            (names.len() > 1).then_some((converted, names))
        })
        .collect()
}

/// `name` with every character other than an ASCII letter or digit replaced by a space, the
/// input of every [`heck`] conversion here: non-ASCII text never reaches an identifier.
fn ascii_words(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// Control characters, plus the bidirectional text controls (which the compiler rejects in
/// source code and which can hide what a name says).
fn is_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The most specific error for a character a spec grammar does not allow.
fn offending(index: usize, ch: char, next: Option<char>, allowed: &'static str) -> NameError {
    match (ch, next) {
        ('/', _) => NameError::PathLike { text: "/", index },
        ('\\', _) => NameError::PathLike { text: "\\", index },
        ('.', Some('.')) => NameError::PathLike { text: "..", index },
        ('"' | '\'' | '`', _) => NameError::Quote { ch, index },
        ('$', Some('{')) => NameError::Interpolation { index },
        _ => plain_offending(index, ch, allowed),
    }
}

/// The error for a character outside a character set: control, non-ASCII, or else invalid.
fn plain_offending(index: usize, ch: char, allowed: &'static str) -> NameError {
    if is_control(ch) {
        NameError::Control { ch, index }
    } else if !ch.is_ascii() {
        NameError::NonAscii { ch, index }
    } else {
        NameError::InvalidChar { ch, index, allowed }
    }
}

fn check_len(len: usize, min: usize, max: usize) -> Result<(), NameError> {
    match len {
        0 => Err(NameError::Empty),
        len if len < min => Err(NameError::TooShort { len, min }),
        len if len > max => Err(NameError::TooLong { len, max }),
        _ => Ok(()),
    }
}

/// 64-bit FNV-1a of `bytes`: a fixed, platform-independent hash for shortened names.
pub(crate) fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes
        .iter()
        .fold(OFFSET, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(PRIME))
}

/// `joined` when it has at most `max` characters; otherwise its first characters (without
/// trailing `-`, `_` or `.`) followed by `separator` and 8 hex digits of the FNV-1a hash of
/// the whole of `joined` (folded to 32 bits), so the result has at most `max` characters,
/// is stable across runs and machines, and distinct long names stay distinct.
fn shorten(joined: String, max: usize, separator: &str) -> String {
    if joined.chars().count() <= max {
        return joined;
    }
    let hash = fnv1a64(joined.as_bytes());
    let folded = (hash >> 32) as u32 ^ hash as u32;
    let keep = max.saturating_sub(8 + separator.len());
    let cut = joined
        .char_indices()
        .nth(keep)
        .map_or(joined.len(), |(i, _)| i);
    let prefix = joined[..cut].trim_end_matches(['-', '_', '.']);
    format!("{prefix}{separator}{folded:08x}")
}

#[cfg(test)]
mod tests;

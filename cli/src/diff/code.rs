//! Stable codes of spec changes. `B` codes are breaking, `C` compatible, `I` informational.
//! Codes are never reused for another meaning; `docs/diff.md` lists them all.

use std::fmt;

use serde::Serialize;

use crate::codes::stable_codes;

/// How a change affects consumers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// A consumer stops working unless the change is allowed.
    Breaking,
    /// Every consumer keeps working.
    Compatible,
    /// Worth knowing; nothing to check.
    Informational,
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Class::Breaking => "breaking",
            Class::Compatible => "compatible",
            Class::Informational => "informational",
        })
    }
}

stable_codes! {
    /// Stable identifiers of changes.
    pub enum ChangeCode, class class -> Class, "Breaking, compatible or informational." {
        // Breaking.
        EventRemoved = "B001", Breaking, "An event a service consumes was removed or renamed (its DetailType changed).";
        SourceChanged = "B002", Breaking, "A consumed event's owner changed (its EventBridge Source), or it became external or internal.";
        EntityChanged = "B003", Breaking, "A consumed event's entity changed, so the envelope key its object travels under changed.";
        FieldRemoved = "B004", Breaking, "A field a consumer reads was removed or renamed.";
        TypeChanged = "B005", Breaking, "The type of a field a consumer reads changed.";
        BecameOptional = "B006", Breaking, "A field a consumer reads became optional: producers may now omit it.";
        EnumNarrowed = "B007", Breaking, "Values were removed from an enum a consumer reads: existing events still carry them.";
        EnumWidened = "B008", Breaking, "Values were added to an enum a consumer reads: consumers built from the base cannot decode them.";
        ConstraintNarrowed = "B009", Breaking, "A constraint on a field a consumer reads was narrowed: existing events may violate it.";
        RequiredAdded = "B010", Breaking, "A required field a consumer reads was added: events already published lack it.";
        VersionRemoved = "B011", Breaking, "A live version of a consumed event was removed or changed, or the current version went down.";
        ViewKeyChanged = "B012", Breaking, "A view's key changed: its table must be rebuilt.";
        // Compatible.
        EventAdded = "C001", Compatible, "An event was added.";
        OptionalAdded = "C002", Compatible, "An optional field was added.";
        Unread = "C003", Compatible, "A change no consumer is affected by: no consumer reads the field or consumes the event.";
        ConstraintWidened = "C004", Compatible, "A constraint was widened or removed.";
        BecameRequired = "C005", Compatible, "A field became required: readers already handle its presence.";
        // Informational.
        VersionAdded = "I001", Informational, "A new event version: which versions are live and which consumers read what it changed.";
        Deprecation = "I002", Informational, "An event or field was deprecated, or no longer is.";
        ConsumptionChanged = "I003", Informational, "A service started or stopped consuming an event, or reads other fields of it.";
        ViewChanged = "I004", Informational, "A view was added or removed, or its indexes changed.";
        ServiceChanged = "I005", Informational, "A service was added or removed.";
    }
}

impl ChangeCode {
    /// The code written as `text` (e.g. `B004`), if there is one.
    pub fn parse(text: &str) -> Option<ChangeCode> {
        ChangeCode::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(text))
    }
}

impl fmt::Display for ChangeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ChangeCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_their_letter_is_their_class() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ChangeCode::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "duplicate code {s}");
            let letter = match code.class() {
                Class::Breaking => 'B',
                Class::Compatible => 'C',
                Class::Informational => 'I',
            };
            assert!(s.starts_with(letter) && s.len() == 4, "{s}");
            assert_eq!(ChangeCode::parse(&s.to_lowercase()), Some(*code));
        }
        assert_eq!(ChangeCode::parse("E001"), None);
    }

    /// The code table in `docs/diff.md`, generated from [`ChangeCode::ALL`].
    fn codes_table() -> String {
        let mut table = String::from("| Code | Class | Meaning |\n|------|-------|---------|\n");
        for code in ChangeCode::ALL {
            table += &format!("| {code} | {} | {} |\n", code.class(), code.summary());
        }
        table
    }

    #[test]
    fn docs_list_every_code() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/diff.md");
        let docs = std::fs::read_to_string(&path).expect("docs/diff.md is readable");
        assert!(
            docs.contains(&codes_table()),
            "{} is out of date; its code table must read:\n\n{}",
            path.display(),
            codes_table()
        );
    }
}

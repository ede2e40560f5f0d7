//! Validation of payloads against the constraints of the spec.
//!
//! Every payload struct implements [`Validate`]; [`Validate::validate`] collects every
//! violation, each with the path of the offending value (`lines[2].quantity`, wire names).

use std::cmp::Ordering;
use std::fmt;

/// One violated constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Path of the value, in wire names: `lines[2].quantity`, `prices["eur"]`.
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Every violated constraint of a value, in field order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors(Vec<ValidationError>);

impl ValidationErrors {
    /// Records a violation at `path`.
    pub fn push(&mut self, path: &Path<'_>, message: impl Into<String>) {
        self.0.push(ValidationError {
            path: path.to_string(),
            message: message.into(),
        });
    }

    /// Whether nothing was violated.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The violations.
    pub fn iter(&self) -> std::slice::Iter<'_, ValidationError> {
        self.0.iter()
    }
}

impl IntoIterator for ValidationErrors {
    type Item = ValidationError;
    type IntoIter = std::vec::IntoIter<ValidationError>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// Where a value sits in the validated payload. Built on the stack while descending, turned
/// into text only when a violation is recorded.
#[derive(Debug, Clone, Copy)]
pub enum Path<'a> {
    /// The payload itself.
    Root,
    /// A field of a record, by wire name.
    Field(&'a Path<'a>, &'static str),
    /// An element of an array.
    Index(&'a Path<'a>, usize),
    /// A value of a map.
    Key(&'a Path<'a>, &'a str),
}

impl<'a> Path<'a> {
    /// The path of field `name` below this one.
    pub fn field(&'a self, name: &'static str) -> Path<'a> {
        Path::Field(self, name)
    }

    /// The path of element `index` below this one.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }

    /// The path of map value `key` below this one.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Field(Path::Root, name) => f.write_str(name),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
            Path::Key(parent, key) => write!(f, "{parent}[{key:?}]"),
        }
    }
}

/// A value whose constraints can be checked.
pub trait Validate {
    /// Records every violation of this value, which sits at `path`, into `errors`.
    fn validate_at(&self, path: &Path<'_>, errors: &mut ValidationErrors);

    /// Checks every constraint; the error lists all violations.
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        self.validate_at(&Path::Root, &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// The checks generated `validate_at` implementations call.
pub mod check {
    use super::{Ordering, Path, ValidationErrors};

    /// Inclusive numeric bounds. NaN violates every bound.
    pub fn range(
        value: f64,
        min: Option<f64>,
        max: Option<f64>,
        path: &Path<'_>,
        errors: &mut ValidationErrors,
    ) {
        if let Some(min) = min
            && matches!(value.partial_cmp(&min), None | Some(Ordering::Less))
        {
            errors.push(path, format!("must be at least {min}, got {value}"));
        }
        if let Some(max) = max
            && matches!(value.partial_cmp(&max), None | Some(Ordering::Greater))
        {
            errors.push(path, format!("must be at most {max}, got {value}"));
        }
    }

    /// Bounds on the length of a string, in characters (Unicode scalar values).
    pub fn length(
        value: &str,
        min: Option<u64>,
        max: Option<u64>,
        path: &Path<'_>,
        errors: &mut ValidationErrors,
    ) {
        let len = u64::try_from(value.chars().count()).unwrap_or(u64::MAX);
        if min.is_some_and(|min| len < min) || max.is_some_and(|max| len > max) {
            errors.push(path, bounds_message("characters", len, min, max));
        }
    }

    /// Bounds on the number of elements of an array.
    pub fn items(
        len: usize,
        min: Option<u64>,
        max: Option<u64>,
        path: &Path<'_>,
        errors: &mut ValidationErrors,
    ) {
        let len = u64::try_from(len).unwrap_or(u64::MAX);
        if min.is_some_and(|min| len < min) || max.is_some_and(|max| len > max) {
            errors.push(path, bounds_message("elements", len, min, max));
        }
    }

    fn bounds_message(unit: &str, len: u64, min: Option<u64>, max: Option<u64>) -> String {
        match (min, max) {
            (Some(min), Some(max)) => format!("must have {min} to {max} {unit}, has {len}"),
            (Some(min), None) => format!("must have at least {min} {unit}, has {len}"),
            (None, Some(max)) => format!("must have at most {max} {unit}, has {len}"),
            (None, None) => format!("has {len} {unit}"),
        }
    }

    /// The outcome of matching a regular expression (unanchored, as in JSON Schema).
    pub fn pattern(matched: bool, pattern: &str, path: &Path<'_>, errors: &mut ValidationErrors) {
        if !matched {
            errors.push(path, format!("must match the pattern `{pattern}`"));
        }
    }

    /// An e-mail address: one `@` between a non-empty local part and a domain with a dot
    /// inside, no whitespace. Deliberately loose: deliverability is not decidable here.
    pub fn email(value: &str, path: &Path<'_>, errors: &mut ValidationErrors) {
        let valid = match value.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.trim_matches('.').contains('.')
                    && !value.chars().any(char::is_whitespace)
            }
            None => false,
        };
        if !valid {
            errors.push(path, "must be an e-mail address");
        }
    }

    /// An absolute URI: a scheme (`ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`), a colon and
    /// a non-empty rest without whitespace (RFC 3986, without checking the rest's grammar).
    pub fn uri(value: &str, path: &Path<'_>, errors: &mut ValidationErrors) {
        let valid = match value.split_once(':') {
            Some((scheme, rest)) => {
                scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                    && scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                    && !rest.is_empty()
                    && !rest.chars().any(|c| c.is_whitespace() || c.is_control())
            }
            None => false,
        };
        if !valid {
            errors.push(path, "must be an absolute URI");
        }
    }

    /// A DNS host name (RFC 1123): at most 253 characters, dot-separated labels of 1 to 63
    /// ASCII letters, digits and hyphens, not starting or ending with a hyphen.
    pub fn hostname(value: &str, path: &Path<'_>, errors: &mut ValidationErrors) {
        let label = |label: &str| {
            (1..=63).contains(&label.len())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        if value.len() > 253 || !value.split('.').all(label) {
            errors.push(path, "must be a host name");
        }
    }
}

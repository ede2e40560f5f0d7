//! Diagnostics: what validation found, where, and what to do about it.
//!
//! Every finding has a stable [`Code`], a [`Severity`], a message, an optional
//! [`Location`] (file, line/column range, JSON pointer) with a label, and an optional help
//! line. Renderers in [`crate::report`] turn a list of them into human, JSON, SARIF or GitHub
//! output.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use crate::codes::stable_codes;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The spec cannot be used.
    Error,
    /// The spec works but is probably not what was meant.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

stable_codes! {
    /// Stable identifiers of findings. Codes are never reused for another meaning.
    pub enum Code, class severity -> Severity, "The severity findings with this code have." {
        // Files and YAML.
        Io = "E001", Error, "A spec file cannot be read.";
        Yaml = "E002", Error, "A spec file is not valid YAML.";
        TooLarge = "E003", Error, "A spec file is larger than the limit, or its data grows past a limit once aliases are expanded.";
        TooDeep = "E004", Error, "A spec file nests deeper than the limit.";
        Include = "E005", Error, "An include pattern is invalid or matches nothing, or a file is included twice.";
        Schema = "E006", Error, "A spec file does not have the shape of the format (JSON Schema).";
        FormatVersion = "E007", Error, "The file declares a format version this cqrsgen does not read.";
        ManifestOnly = "E008", Error, "A manifest-only key appears in an included file, or the manifest lacks one.";
        // Names.
        InvalidName = "E010", Error, "A name uses characters outside the allowed set.";
        NameCollision = "E011", Error, "Two names become the same identifier in generated code, or one the generated code already takes (a module, type, crate, file or AWS resource name).";
        DuplicateName = "E012", Error, "A name is defined twice (possibly in two files), or an enum value is listed twice.";
        AwsLimit = "E013", Error, "A name breaks an AWS length or character rule.";
        InvalidText = "E014", Error, "A description, pattern or path has a character the generated files cannot hold.";
        // References.
        UnknownEvent = "E020", Error, "A reference names an event that does not exist.";
        UnknownType = "E021", Error, "A field's type is neither built in nor a declared type.";
        UnknownService = "E022", Error, "A reference names a service that does not exist.";
        UnknownEntity = "E023", Error, "A reference names an entity the service does not have.";
        UnknownField = "E024", Error, "A field path does not exist on the event, entity or view.";
        // Ownership.
        NoOwner = "E030", Error, "An event has no owner and is not external.";
        TwoOwners = "E031", Error, "An event has two owners, or an owner and `external: true`.";
        NotOwner = "E032", Error, "A service publishes an event it does not own.";
        NoProducer = "E033", Error, "A subscription names an event no service publishes (and it is not external).";
        // Types and shapes.
        InvalidType = "E040", Error, "A field definition is inconsistent (e.g. `items` on a string, an enum without values).";
        RecursiveType = "E041", Error, "A type contains itself without an array or map in between.";
        FilterOperator = "E042", Error, "A filter operator does not fit the field's type.";
        TypeMismatch = "E043", Error, "A value's type differs from the field it is mapped into, or it may be absent where the field is required.";
        InvalidConstraint = "E044", Error, "A constraint is invalid (min above max, a bad regular expression).";
        InvalidExample = "E045", Error, "An example does not satisfy its event's schema.";
        InvalidVersion = "E046", Error, "Event versions are not increasing, a non-additive change lacks an upcast hook, or an upcast hook is named twice.";
        // Services and views.
        NotSubscribed = "E050", Error, "A view projects from an event its service does not subscribe to.";
        InvalidKey = "E051", Error, "A key names a field the view or entity does not have, an optional field, a field of a type that cannot be a key, or one field twice.";
        KeyNotMapped = "E052", Error, "A projection does not give a value to every key field of its view.";
        InvalidProjection = "E053", Error, "A projection is inconsistent (e.g. a hook named twice, an upsert that leaves a required field unset).";
        DuplicateSubscription = "E054", Error, "A service subscribes to the same event twice.";
        // Scenarios of `cqrsgen simulate`.
        ScenarioShape = "E060", Error, "A scenario file does not have the shape of the scenario format (JSON Schema).";
        ScenarioUnknown = "E061", Error, "A scenario names a service, entity, event, view or field the spec does not have.";
        ScenarioValue = "E062", Error, "A value in a scenario does not fit its field's type, or a required field is missing.";
        ScenarioStep = "E063", Error, "A scenario step cannot happen where it stands (a row changed before it exists, a queue released that is not held).";
        // Deployment settings.
        DeploySetting = "E070", Error, "A deployment setting (`generate.deploy`) is one AWS does not accept, does not apply, or names a path outside the project.";
        // Bugs.
        Internal = "E999", Error, "cqrsgen could not handle a spec it accepted: a bug in cqrsgen, to be reported.";
        // Warnings.
        Unconsumed = "W001", Warning, "No service consumes this event.";
        UnusedType = "W002", Warning, "No event, entity or view uses this type.";
        DeprecatedConsumed = "W003", Warning, "A deprecated event or field is still consumed.";
        UnusedSubscription = "W004", Warning, "A service subscribes to an event no view projects.";
        Yaml11Boolean = "W005", Warning, "An unquoted `on`, `off`, `yes`, `no`, `y` or `n`: a string here, a boolean to YAML 1.1 tools.";
        Unimplemented = "W006", Warning, "The spec names a hook or upcast the user's code does not implement yet (reported by `generate`).";
        // Inputs of `cqrsgen cost`: volumes files and price tables.
        InputFile = "V001", Error, "A volumes file or price table cannot be read as YAML (not UTF-8, too large, bad syntax).";
        InputShape = "V002", Error, "A volumes file or price table does not have the shape of its format (JSON Schema).";
        VolumesUnknownService = "V010", Error, "A volumes file names a service the spec does not have.";
        VolumesUnknownEntity = "V011", Error, "A volumes file names an entity the service does not have.";
        VolumesUnknownEvent = "V012", Error, "A volumes file names an event the spec does not have.";
        VolumesUnknownSubscription = "V013", Error, "A volumes file names a subscription the service does not have.";
        VolumesUnknownView = "V014", Error, "A volumes file names a view the service does not have.";
        VolumesUnknownHook = "V015", Error, "A volumes file names a projection hook the service does not use.";
        VolumesKey = "V016", Error, "A key of a volumes file does not have the form its section needs (`<service>.<entity>`, `<service>/<event>`).";
        VolumesInconsistent = "V017", Error, "A function setting contradicts another (an average batch above the batch size).";
        VolumesMissing = "V050", Warning, "An event's volume follows from no change and is not given, so it counts as zero.";
        VolumesHookCost = "V051", Warning, "A projection hook's cost is not given, so it counts as free.";
        VolumesUnfiltered = "V052", Warning, "A pass rate is given for a subscription without a filter, which delivers every event.";
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A position in a file: 1-based line and column (columns count characters), and the
/// 0-based byte offset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// 0-based byte offset into the file.
    #[serde(skip)]
    pub offset: usize,
}

/// Where a finding is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file, as the user named it (relative to the working directory when possible).
    pub file: PathBuf,
    /// Start of the offending text.
    pub start: Position,
    /// End (exclusive) of the offending text.
    pub end: Position,
    /// RFC 6901 pointer to the offending node in the file's data.
    pub pointer: String,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// Where it is, when it is in a file.
    pub location: Option<Location>,
    /// Short text shown at the location.
    pub label: Option<String>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A finding with the code's severity and no location yet.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            location: None,
            label: None,
            help: None,
        }
    }

    /// Places the finding.
    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    /// Adds the text shown at the location.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this finding is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Sort key: file, then position, then code. Findings without a location come first.
    fn sort_key(&self) -> (Option<&Location>, Code, &str) {
        (self.location.as_ref(), self.code, &self.message)
    }
}

/// Sorts findings by file and position, the order every report uses, and drops exact
/// duplicates.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}

/// "did you mean" help: the candidate closest to `name`, when one is close enough.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "duplicate code {s}");
            let expected_prefix = match code.severity() {
                Severity::Error => 'E',
                Severity::Warning => 'W',
            };
            // Spec findings are named for their severity; findings of the cost inputs
            // (volumes files, price tables) have a range of their own, `V`, of either.
            let prefix_ok = s.starts_with(expected_prefix) || s.starts_with('V');
            assert!(prefix_ok && s.len() == 4, "{s}");
        }
    }

    #[test]
    fn did_you_mean_picks_the_closest_name() {
        let names = ["order-placed", "order-cancelled", "customer-created"];
        assert_eq!(
            did_you_mean("order-placd", names).as_deref(),
            Some("did you mean `order-placed`?")
        );
        assert_eq!(did_you_mean("shipment-sent", names), None);
    }
}

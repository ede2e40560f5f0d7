//! The state semantic checks share: the project (to locate findings), the model, and the
//! findings so far.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::load::Project;
pub use crate::load::span::Part;
use crate::model::{Field, Origin, System, TypeKind};

/// Collects located findings.
pub struct Reporter<'a> {
    project: &'a Project,
    found: Vec<Diagnostic>,
}

impl<'a> Reporter<'a> {
    /// A reporter locating findings in `project`.
    pub fn new(project: &'a Project) -> Self {
        Reporter {
            project,
            found: Vec::new(),
        }
    }

    /// Records a finding at `origin` (with the code's severity) and returns it for labels
    /// and help.
    pub fn error(
        &mut self,
        code: Code,
        origin: &Origin,
        part: Part,
        message: impl Into<String>,
    ) -> Found<'_> {
        let location = self
            .project
            .files
            .get(origin.file)
            .map(|f| f.locate(&origin.pointer, part));
        self.found.push(Diagnostic::new(code, message).at(location));
        Found(
            self.found
                .last_mut()
                .unwrap_or_else(|| unreachable!("just pushed")),
        )
    }

    /// How many errors have been found so far.
    pub fn error_count(&self) -> usize {
        self.found.iter().filter(|d| d.is_error()).count()
    }

    /// The findings.
    pub fn finish(self) -> Vec<Diagnostic> {
        self.found
    }
}

/// Collects findings of semantic checks over the model.
pub struct Checker<'a> {
    reporter: Reporter<'a>,
    /// The model being checked.
    pub system: &'a System,
    /// Fields of named record types, for path lookups.
    pub records: BTreeMap<String, Vec<Field>>,
}

impl<'a> Checker<'a> {
    /// A checker over `system`, loaded from `project`.
    pub fn new(project: &'a Project, system: &'a System) -> Self {
        Checker {
            reporter: Reporter::new(project),
            system,
            records: system.records(),
        }
    }

    /// Records a finding at `origin` (with the code's severity) and returns it for labels
    /// and help.
    pub fn error(
        &mut self,
        code: Code,
        origin: &Origin,
        part: Part,
        message: impl Into<String>,
    ) -> Found<'_> {
        self.reporter.error(code, origin, part, message)
    }

    /// Looks up a dotted field path.
    pub fn lookup<'f>(&'f self, fields: &'f [Field], path: &str) -> Option<&'f Field> {
        crate::model::ty::lookup(fields, path, &self.records)
    }

    /// Looks up a dotted field path, and whether its value may be absent: the field or a
    /// record on the way to it is optional.
    pub fn lookup_optional<'f>(
        &'f self,
        fields: &'f [Field],
        path: &str,
    ) -> Option<(&'f Field, bool)> {
        let mut fields = fields;
        let mut optional = false;
        let mut segments = path.split('.').peekable();
        while let Some(segment) = segments.next() {
            let field = fields.iter().find(|f| f.name == segment)?;
            optional |= field.optional;
            if segments.peek().is_none() {
                return Some((field, optional));
            }
            fields = match &field.ty.kind {
                TypeKind::Record(inner) => inner,
                TypeKind::Named(name) => self.records.get(name)?,
                _ => return None,
            };
        }
        None
    }

    /// Every dotted path of a field list (through records and named record types), for
    /// suggestions.
    pub fn paths(&self, fields: &[Field]) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_paths(fields, "", &mut Vec::new(), &mut out);
        out
    }

    fn collect_paths(
        &self,
        fields: &[Field],
        prefix: &str,
        trail: &mut Vec<String>,
        out: &mut Vec<String>,
    ) {
        for field in fields {
            let path = format!("{prefix}{}", field.name);
            out.push(path.clone());
            let next = format!("{path}.");
            match &field.ty.kind {
                TypeKind::Record(inner) => self.collect_paths(inner, &next, trail, out),
                TypeKind::Named(name) if !trail.contains(name) => {
                    if let Some(inner) = self.records.get(name) {
                        trail.push(name.clone());
                        self.collect_paths(inner, &next, trail, out);
                        trail.pop();
                    }
                }
                _ => {}
            }
        }
    }

    /// How many errors have been found so far.
    pub fn error_count(&self) -> usize {
        self.reporter.error_count()
    }

    /// The findings.
    pub fn finish(self) -> Vec<Diagnostic> {
        self.reporter.finish()
    }
}

/// A finding just recorded, to add a label or help to.
pub struct Found<'d>(&'d mut Diagnostic);

impl Found<'_> {
    /// Sets the text shown at the location.
    pub fn with_label(self, label: impl Into<String>) -> Self {
        self.0.label = Some(label.into());
        self
    }

    /// Sets the help line.
    pub fn with_help(self, help: impl Into<String>) -> Self {
        self.0.help = Some(help.into());
        self
    }
}

/// Adds a "did you mean" help to a finding when a candidate is close.
pub fn suggest<'c>(found: Found<'_>, name: &str, candidates: impl IntoIterator<Item = &'c str>) {
    if let Some(help) = crate::diagnostic::did_you_mean(name, candidates) {
        found.with_help(help);
    }
}

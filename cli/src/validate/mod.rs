//! Validation: every check of a project, all findings of a run reported together.
//!
//! Stages: per-file checks ([`files`]: format version, JSON Schema, manifest-only keys,
//! names defined twice) -> the model is built ([`crate::model::build`]) -> semantic checks
//! over the model ([`references`], [`views`], [`names`], [`usage`]). Semantic checks run only
//! when every file has the format's shape, so they can rely on it.

mod context;
mod entities;
mod examples;
mod files;
mod hooks;
mod idents;
mod names;
mod outputs;
mod references;
mod resources;
pub mod schema;
mod texts;
mod usage;
mod views;

use crate::diagnostic::{self, Code, Diagnostic};
use crate::load::Project;
use crate::model::System;
use context::Checker;

/// What validation found, and the model when there were no errors.
#[derive(Debug)]
pub struct Outcome {
    /// Findings, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// The model; `None` when any error was found.
    pub system: Option<System>,
}

impl Outcome {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Validates a loaded project.
pub fn validate(project: &Project) -> Outcome {
    let mut diagnostics = project.diagnostics.clone();
    let specs = files::check(project, &mut diagnostics);
    let mut system = None;
    if let Some(specs) = specs {
        let indexed: Vec<_> = specs.iter().map(|(i, s)| (*i, s)).collect();
        let (model, errors) = crate::model::build(&indexed);
        let mut checker = Checker::new(project, &model);
        for e in errors {
            let code = if e.constraint {
                Code::InvalidConstraint
            } else {
                Code::InvalidType
            };
            checker.error(code, &e.origin, context::Part::Value, e.message);
        }
        names::check(&mut checker);
        references::check(&mut checker);
        views::check(&mut checker);
        entities::check(&mut checker);
        hooks::check(&mut checker);
        idents::check(&mut checker);
        texts::check(&mut checker);
        outputs::check(&mut checker);
        resources::check(&mut checker);
        usage::check(&mut checker);
        if !checker.has_errors() {
            examples::check(&mut checker);
        }
        diagnostics.extend(checker.finish());
        system = Some(model);
    }
    diagnostic::sort(&mut diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        system = None;
    }
    Outcome {
        diagnostics,
        system,
    }
}

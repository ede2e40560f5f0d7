//! Validation: every check of a project, all findings of a run reported together.
//!
//! Stages: per-file checks ([`files`]: format version, JSON Schema, manifest-only keys,
//! names defined twice) -> the model is built ([`crate::model::build`]) -> semantic checks
//! over the model ([`references`], [`views`], [`names`], [`usage`]). Semantic checks run only
//! when every file has the format's shape, so they can rely on it.

mod context;
mod deploy;
mod entities;
mod examples;
mod files;
mod hooks;
mod idents;
pub mod lower;
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
use context::{Checker, Reporter};

/// What validation found, and the system when there were no errors.
#[derive(Debug)]
pub struct Outcome {
    /// Findings, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// The model; `None` when any error was found.
    pub system: Option<System>,
    /// The resolved system; `None` when any error was found.
    pub ir: Option<crate::ir::System>,
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
        let position = |origin: &crate::model::Origin| {
            project.files.get(origin.file).map_or(0, |file| {
                file.locate(&origin.pointer, context::Part::Key)
                    .start
                    .offset
            })
        };
        let (model, errors) = crate::model::build(&indexed, &position);
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
        deploy::check(&mut checker);
        diagnostics.extend(checker.finish());
        system = Some(model);
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        system = None;
    }
    // The checked spec becomes the resolved system, on which the last checks run.
    let mut ir = system
        .as_ref()
        .map(lower::lower)
        .transpose()
        .unwrap_or_else(|bug| {
            // Validation accepted what lowering cannot resolve: a bug, reported as such.
            diagnostics.push(Diagnostic::new(Code::Internal, bug.to_string()));
            None
        });
    if let Some(resolved) = &ir {
        let mut reporter = Reporter::new(project);
        examples::check(&mut reporter, resolved);
        diagnostics.extend(reporter.finish());
    }
    diagnostic::sort(&mut diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        system = None;
        ir = None;
    }
    Outcome {
        diagnostics,
        system,
        ir,
    }
}

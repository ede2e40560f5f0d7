//! The catalog: `cqrsgen docs` renders a [`System`] as browsable documentation.
//!
//! Output, relative to the output root:
//! - `README.md`: the index, with the system flow diagram;
//! - `events/<event>.md`, `services/<service>.md`, `views/<service>/<view>.md`, `types.md`:
//!   one Markdown page per item, readable on GitHub;
//! - `diagrams/system.{svg,dot}`, `diagrams/services/<service>.{svg,dot}`: the diagrams
//!   (also embedded as Mermaid in the pages);
//! - `index.html`: everything on one self-contained page with offline search.
//!
//! Stages: [`pages`] builds every page once as a [`doc::Page`] (what each consumer reads and
//! its pattern come with its subscription in the resolved system), [`graph`] builds the
//! diagrams; [`markdown`], [`html`], [`mermaid`], [`dot`] and [`svg`] only render. Like the
//! emitters, nothing here touches the disk: the result is a list of [`GeneratedFile`]s for
//! the writer.

pub mod doc;
pub mod dot;
pub mod graph;
pub mod html;
pub mod markdown;
pub mod mermaid;
pub mod pages;
pub mod svg;

#[cfg(test)]
pub(crate) mod tests;

use std::collections::BTreeMap;

use doc::DiagramRef;
use graph::Graph;

use crate::cost::Estimate;
use crate::ir::System;
use crate::naming::{NameError, file_stem};
use crate::write::{CommentStyle, GeneratedFile, header};

/// The default output directory, relative to the project.
pub const DEFAULT_OUT: &str = "docs-generated";

/// Why the catalog could not be generated. The validator reports these situations first.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// A name cannot be a file name.
    #[error("`{name}` cannot be a file name: {source}")]
    FileName {
        /// The name.
        name: String,
        /// Why.
        source: NameError,
    },
}

/// The diagrams of a system: the system flow and one per service.
#[derive(Debug, Clone)]
pub struct Diagrams {
    system: Graph,
    services: BTreeMap<String, Graph>,
}

impl Diagrams {
    /// Builds every diagram of `system`.
    pub fn new(system: &System) -> Self {
        Diagrams {
            system: graph::system(system),
            services: system
                .services
                .iter()
                .map(|(id, s)| (s.name.clone(), graph::service(system, id)))
                .collect(),
        }
    }

    /// One diagram.
    pub fn get(&self, diagram: &DiagramRef) -> Option<&Graph> {
        match diagram {
            DiagramRef::System => Some(&self.system),
            DiagramRef::Service(name) => self.services.get(name),
        }
    }

    /// Every diagram, system first.
    pub fn all(&self) -> impl Iterator<Item = (DiagramRef, &Graph)> {
        std::iter::once((DiagramRef::System, &self.system)).chain(
            self.services
                .iter()
                .map(|(name, graph)| (DiagramRef::Service(name.clone()), graph)),
        )
    }
}

/// Every file of the catalog of `system`, in a stable order; with `estimate`, a cost page.
pub fn generate(
    system: &System,
    estimate: Option<&Estimate>,
) -> Result<Vec<GeneratedFile>, CatalogError> {
    check_file_names(system)?;
    let pages = pages::all(system, estimate);
    let diagrams = Diagrams::new(system);
    let mut files: Vec<GeneratedFile> = pages
        .iter()
        .map(|page| {
            let path = markdown::path(&page.target);
            GeneratedFile::new(path, markdown::render(page, &diagrams))
        })
        .collect();
    for (diagram, graph) in diagrams.all() {
        let stem = markdown::diagram_stem(&diagram);
        let link = |target: &doc::Target| {
            // Diagram files sit next to each other; pages are found from the root.
            let depth = stem.matches('/').count();
            format!("{}{}", "../".repeat(depth), markdown::path(target))
        };
        let svg = format!(
            "{}{}",
            header(CommentStyle::Markup),
            svg::render(graph, &link)
        );
        files.push(GeneratedFile::new(format!("{stem}.svg"), svg));
        files.push(GeneratedFile::new(
            format!("{stem}.dot"),
            dot::render(graph),
        ));
    }
    files.push(GeneratedFile::new(
        "index.html",
        html::render(&system.name, &pages, &diagrams),
    ));
    Ok(files)
}

/// Every name that becomes a file or directory name must be one.
fn check_file_names(system: &System) -> Result<(), CatalogError> {
    let names = system
        .events
        .values()
        .map(|e| &e.name)
        .chain(system.services.values().map(|s| &s.name))
        .chain(system.views.values().map(|v| &v.name));
    for name in names {
        file_stem(name).map_err(|source| CatalogError::FileName {
            name: name.clone(),
            source,
        })?;
    }
    Ok(())
}

//! `cqrsgen cost`: what a system costs a month on AWS, per service and per AWS service, from
//! its resolved spec, a volumes file and a price table.
//!
//! Pipeline: the volumes file and the price table are read as YAML with spans and checked
//! against their formats' JSON Schemas ([`input`], [`volumes`], [`prices`]); the volumes'
//! names are resolved against the [`crate::ir::System`] ([`check`]), with the deployment
//! settings the spec does not hold yet taken from [`defaults`]; the model prices the flow of
//! every event through the bus, queues, functions and tables ([`estimate`]); [`render`]
//! writes it for people, as Markdown or as JSON. Every formula and assumption is in
//! `docs/cost.md`.

pub mod check;
pub mod defaults;
pub mod estimate;
pub mod input;
pub mod prices;
pub mod render;
pub mod volumes;

use std::path::{Path, PathBuf};

pub use estimate::{Aws, Estimate, LineItem, Options, Row, RowKind};
pub use input::ReadError;

use crate::diagnostic::{self, Diagnostic};
use crate::ir::System;
use crate::load::SourceFile;
use input::Format;

/// The volumes file of a project unless `--volumes` names another: `volumes.yaml` beside
/// the manifest. `cqrsgen docs` adds the estimate to the catalog when it exists.
pub const DEFAULT_VOLUMES: &str = "volumes.yaml";

/// The volumes format.
pub(crate) static VOLUMES: Format = Format::new("volumes file", volumes::json_schema);
/// The price table format.
pub(crate) static PRICES: Format = Format::new("price table", prices::json_schema);

/// What an estimate read and found.
#[derive(Debug)]
pub struct Run {
    /// The estimate; `None` when an input has an error.
    pub estimate: Option<Estimate>,
    /// Findings in the volumes file and the price table, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The files read (the volumes file, then a `--prices` table), for showing findings.
    pub files: Vec<SourceFile>,
}

/// Estimates what `system` costs under the volumes at `volumes_path`, with the prices at
/// `prices_path` (the built-in table when `None`). Only unreadable files are errors; what is
/// wrong in them is in [`Run::diagnostics`].
pub fn run(
    system: &System,
    volumes_path: &Path,
    prices_path: Option<&Path>,
    free_tier: bool,
) -> Result<Run, ReadError> {
    let mut diagnostics = Vec::new();
    let mut files = Vec::new();
    let volumes = input::read::<volumes::VolumesFile>(volumes_path, &VOLUMES, &mut diagnostics)?;
    let resolved = volumes
        .content
        .as_ref()
        .and_then(|content| check::check(system, content, &volumes.file, &mut diagnostics));
    files.push(volumes.file);
    let (table, table_name) = match prices_path {
        Some(path) => {
            let prices = input::read::<prices::PriceTable>(path, &PRICES, &mut diagnostics)?;
            files.push(prices.file);
            (prices.content, path.display().to_string())
        }
        None => (Some(built_in_prices()), "built-in".to_owned()),
    };
    let estimate = match (resolved, table) {
        (Some(volumes), Some(table)) if !diagnostics.iter().any(Diagnostic::is_error) => {
            let options = Options {
                free_tier,
                table: table_name,
            };
            Some(estimate::estimate(system, &volumes, &table, &options))
        }
        _ => None,
    };
    diagnostic::sort(&mut diagnostics);
    Ok(Run {
        estimate,
        diagnostics,
        files,
    })
}

/// For `cqrsgen docs`: the estimate of `system` when the project at `project_root` has a
/// volumes file ([`DEFAULT_VOLUMES`]), priced with the built-in table and no free tiers;
/// `None` without one. The catalog renders [`Run::estimate`]; report [`Run::diagnostics`]
/// with the sources in [`Run::files`].
pub fn for_docs(project_root: &Path, system: &System) -> Result<Option<Run>, ReadError> {
    let path = default_volumes(project_root);
    if !path.is_file() {
        return Ok(None);
    }
    run(system, &path, None, false).map(Some)
}

/// Where a project's volumes file is when `--volumes` does not say.
pub fn default_volumes(project_root: &Path) -> PathBuf {
    if project_root == Path::new(".") || project_root.as_os_str().is_empty() {
        PathBuf::from(DEFAULT_VOLUMES)
    } else {
        project_root.join(DEFAULT_VOLUMES)
    }
}

/// The built-in price table.
pub fn built_in_prices() -> prices::PriceTable {
    let mut diagnostics = Vec::new();
    let table = input::parse::<prices::PriceTable>(
        PathBuf::from(prices::BUILT_IN_PATH),
        prices::BUILT_IN.to_owned(),
        &PRICES,
        &mut diagnostics,
    );
    table
        .content
        .unwrap_or_else(|| unreachable!("the built-in price table is invalid: {diagnostics:?}"))
}

#[cfg(test)]
mod tests;

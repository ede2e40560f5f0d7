//! The resolved systems of the repository's examples, for tests.

use std::path::Path;

use super::System;

/// The resolved system of `examples/<name>`; panics when the example does not validate.
pub(crate) fn load(name: &str) -> System {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name);
    let project = crate::load::load(&dir).expect("example loads");
    let outcome = crate::validate::validate(&project);
    outcome
        .ir
        .unwrap_or_else(|| panic!("example {name} is valid: {:#?}", outcome.diagnostics))
}

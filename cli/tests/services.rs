//! The service crate emitter on the shop example: the generated layout, the vendored runtime,
//! and the generated crates compiled and exercised (trigger and listener against in-memory
//! publisher and views) in a scratch workspace.

mod support;

use std::path::{Path, PathBuf};

use cqrsgen::emit::{
    GeneratedFile, Options, Ownership, RuntimeCrate, generate_all, service_crates,
};
use cqrsgen::model::{Runtime, System};
use cqrsgen::write::{WriteOptions, write};
use support::Scratch;

fn shop() -> System {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/shop/cqrsgen.yaml");
    let project = cqrsgen::load::load(&manifest).expect("the shop example loads");
    let outcome = cqrsgen::validate::validate(&project);
    outcome.system.expect("the shop example is valid")
}

fn files(runtime: RuntimeCrate) -> Vec<GeneratedFile> {
    service_crates(&shop(), &Options { runtime }).expect("the shop services emit")
}

#[test]
fn generates_a_crate_per_service() {
    let paths: Vec<(String, Ownership)> = files(RuntimeCrate::Vendored)
        .iter()
        .map(|f| (f.path.display().to_string(), f.ownership))
        .collect();
    let generated = |p: &str| (p.to_owned(), Ownership::Generated);
    assert_eq!(
        paths,
        [
            generated("shop-customers-bff/Cargo.toml"),
            generated("shop-customers-bff/rustfmt.toml"),
            generated("shop-customers-bff/src/bin/trigger.rs"),
            generated("shop-customers-bff/src/lib.rs"),
            generated("shop-notifications/Cargo.toml"),
            generated("shop-notifications/rustfmt.toml"),
            generated("shop-notifications/src/bin/listener.rs"),
            generated("shop-notifications/src/bin/trigger.rs"),
            (
                "shop-notifications/src/hooks.rs".to_owned(),
                Ownership::ScaffoldOnce
            ),
            generated("shop-notifications/src/lib.rs"),
            generated("shop-orders-bff/Cargo.toml"),
            generated("shop-orders-bff/rustfmt.toml"),
            generated("shop-orders-bff/src/bin/listener.rs"),
            generated("shop-orders-bff/src/bin/trigger.rs"),
            (
                "shop-orders-bff/src/hooks.rs".to_owned(),
                Ownership::ScaffoldOnce
            ),
            generated("shop-orders-bff/src/lib.rs"),
            generated("shop-shipping/Cargo.toml"),
            generated("shop-shipping/rustfmt.toml"),
            generated("shop-shipping/src/bin/listener.rs"),
            (
                "shop-shipping/src/hooks.rs".to_owned(),
                Ownership::ScaffoldOnce
            ),
            generated("shop-shipping/src/lib.rs"),
        ]
    );
}

#[test]
fn crates_use_the_vendored_runtime_or_the_given_path() {
    let manifest = |runtime| {
        files(runtime)
            .into_iter()
            .find(|f| f.path == Path::new("shop-shipping/Cargo.toml"))
            .expect("a manifest")
            .contents
    };
    assert!(
        manifest(RuntimeCrate::Vendored)
            .contains("cqrsgen-runtime = { path = \"../cqrsgen-runtime\" }")
    );
    assert!(
        manifest(RuntimeCrate::Path("../../../runtime".into()))
            .contains("cqrsgen-runtime = { path = \"../../../../runtime\" }")
    );
}

#[test]
fn the_examples_build_against_the_repository_runtime() {
    assert_eq!(shop().runtime, Runtime::Path("../../runtime".into()));
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/shop/generated/crates");
    let options = Options::new(&shop(), &crates.join("../.."), &crates).expect("options");
    assert_eq!(
        options.runtime,
        RuntimeCrate::Path("../../../../runtime".into())
    );
}

#[test]
fn output_is_deterministic() {
    assert_eq!(files(RuntimeCrate::Vendored), files(RuntimeCrate::Vendored));
}

#[test]
fn rust_files_parse() {
    for file in files(RuntimeCrate::Vendored) {
        if file.path.extension().is_some_and(|e| e == "rs") {
            syn::parse_file(&file.contents)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", file.path.display()));
        }
    }
}

/// Writes the events crate, the service crates and the vendored runtime into a scratch
/// workspace with the writer, replaces the shipping hooks scaffold with an implementation
/// (which a second run keeps), adds behaviour tests (`fixtures/services/`), and runs clippy
/// and the tests there with warnings denied.
#[test]
fn generated_crates_build_and_behave() {
    let Some(scratch) = Scratch::new("service-crates") else {
        return;
    };
    let system = shop();
    let options = Options {
        runtime: RuntimeCrate::Vendored,
    };
    let generated = generate_all(&system, &options).expect("the shop emits");
    write(&scratch.root, &generated, WriteOptions::default()).expect("first write");

    let hooks = PathBuf::from("crates/shop-shipping/src/hooks.rs");
    let mine = include_str!("fixtures/services/hooks.rs");
    scratch.write(&hooks, mine);
    let report = write(&scratch.root, &generated, WriteOptions::default()).expect("second write");
    assert!(
        report.created.is_empty() && report.updated.is_empty(),
        "{report}"
    );
    let kept = std::fs::read_to_string(scratch.root.join(&hooks)).expect("the hooks file");
    assert_eq!(kept, mine, "the user's hooks were overwritten");

    scratch.write(
        "crates/shop-orders-bff/tests/trigger.rs",
        include_str!("fixtures/services/trigger.rs"),
    );
    scratch.write(
        "crates/shop-shipping/tests/listener.rs",
        include_str!("fixtures/services/listener.rs"),
    );
    scratch.members(&["crates/*"]);
    scratch.cargo(&["clippy", "--quiet", "--workspace", "--all-targets"]);
    scratch.cargo(&["test", "--quiet", "--workspace"]);
}

//! Names in generated Rust code: what a generated module defines from spec names is
//! distinct there, and takes no name the generated code itself defines or refers to there
//! (listed in [`crate::naming::reserved`]).
//!
//! Every function below lists the items one generated module defines from spec names, the
//! way the emitters name them: the events crate's root (a module per event), an event's
//! module (its payload structs and their inline types), `types.rs` (shared types and their
//! inline types), a service crate's root (entity, row, key and store structs) and the
//! `Mapper` of a service (a method per entity). Collisions between names of one kind
//! (two events, two types, two views) are the business of [`super::names`]; this module
//! reports the rest.

use super::context::{Checker, Part};
use crate::diagnostic::Code;
use crate::load::span::escape_token;
use crate::model::{Event, Field, NamedKind, Origin, Service, System, TypeKind};
use crate::naming::{field_ident, module_ident, repository_ident, reserved, type_ident};

/// An item a generated module defines from a spec name.
#[derive(Debug, Clone)]
pub(crate) struct Name {
    /// The Rust identifier.
    pub(crate) ident: String,
    /// What it is, for messages (``event `order-placed` ``).
    what: String,
    /// Where the spec name is.
    origin: Origin,
    /// Which part of the node.
    part: Part,
    /// Names of one group that collide are reported by [`super::names`] (by `type_ident` of
    /// `spec`), not here.
    group: Option<(&'static str, String)>,
}

impl Name {
    fn new(ident: String, what: String, origin: Origin) -> Self {
        Name {
            ident,
            what,
            origin,
            part: Part::Key,
            group: None,
        }
    }

    fn grouped(mut self, group: &'static str, spec: &str) -> Self {
        self.group = Some((group, spec.to_owned()));
        self
    }
}

/// Runs the checks.
pub fn check(c: &mut Checker<'_>) {
    let system = c.system;
    scope(
        c,
        "the events crate's root module",
        reserved::EVENTS_LIB,
        events_lib(system),
    );
    for event in system.events.values() {
        let what = format!("module `{}` of the events crate", module_ident(&event.name));
        scope(c, &what, reserved::EVENT_MODULE, event_module(event));
    }
    scope(
        c,
        "module `types` of the events crate",
        reserved::TYPES_MODULE,
        types_module(system),
    );
    for service in system.services.values() {
        let what = format!("the crate of service `{}`", service.name);
        scope(c, &what, reserved::SERVICE_LIB, service_lib(service));
        let what = format!("the `Mapper` of service `{}`", service.name);
        scope(c, &what, reserved::MAPPER_METHODS, mapper_methods(service));
    }
}

/// Reports names that the generated code of `scope` reserves, and names that meet there.
fn scope(c: &mut Checker<'_>, scope: &str, reserved: &[&str], names: Vec<Name>) {
    for (i, name) in names.iter().enumerate() {
        if reserved.contains(&name.ident.as_str()) {
            c.error(
                Code::NameCollision,
                &name.origin,
                name.part,
                format!(
                    "{} becomes `{}` in {scope}, a name the generated code uses there",
                    name.what, name.ident
                ),
            )
            .with_label(format!("becomes `{}`", name.ident))
            .with_help("rename it");
            continue;
        }
        let Some(first) = names[..i].iter().find(|n| n.ident == name.ident) else {
            continue;
        };
        let reported = match (&first.group, &name.group) {
            (Some((a, x)), Some((b, y))) => a == b && type_ident(x) == type_ident(y),
            _ => false,
        };
        if !reported {
            c.error(
                Code::NameCollision,
                &name.origin,
                name.part,
                format!(
                    "{} and {} both become `{}` in {scope}",
                    first.what, name.what, name.ident
                ),
            )
            .with_label(format!("becomes `{}`", name.ident))
            .with_help("rename one of them");
        }
    }
}

/// The modules of the events crate's root: one per event.
pub(crate) fn events_lib(system: &System) -> Vec<Name> {
    system
        .events
        .values()
        .map(|e| {
            Name::new(
                module_ident(&e.name),
                format!("event `{}`", e.name),
                e.origin.clone(),
            )
            .grouped("events", &e.name)
        })
        .collect()
}

/// The types of an event's module: the current version's alias, a struct per version and
/// their inline types.
pub(crate) fn event_module(event: &Event) -> Vec<Name> {
    let base = type_ident(&event.name);
    let mut names = vec![Name::new(
        base.clone(),
        format!("event `{}`", event.name),
        event.origin.clone(),
    )];
    for version in &event.versions {
        let name = format!("{base}V{}", version.version);
        let at = event.origin.at(&version.at);
        names.push(Name::new(
            name.clone(),
            format!("version {} of event `{}`", version.version, event.name),
            at.at("/version"),
        ));
        inline_types(&name, &version.fields, &at.at("/fields"), &mut names);
    }
    names
}

/// The shared types and their inline types.
pub(crate) fn types_module(system: &System) -> Vec<Name> {
    let mut names = Vec::new();
    for t in system.types.values() {
        let name = type_ident(&t.name);
        names.push(
            Name::new(name.clone(), format!("type `{}`", t.name), t.origin.clone())
                .grouped("types", &t.name),
        );
        if let NamedKind::Record(fields) = &t.kind {
            inline_types(&name, fields, &t.origin.at("/fields"), &mut names);
        }
    }
    names
}

/// The types of a service crate's root: a struct and a repository per entity, a row, key and
/// store struct per view, and their inline types.
pub(crate) fn service_lib(service: &Service) -> Vec<Name> {
    let mut names = Vec::new();
    for entity in service.entities.values() {
        let at = service
            .origin
            .at(&format!("/entities/{}", escape_token(&entity.name)));
        let name = type_ident(&entity.name);
        names.push(Name::new(
            name.clone(),
            format!("entity `{}`", entity.name),
            at.clone(),
        ));
        names.push(Name::new(
            repository_ident(&entity.name),
            format!("the repository of entity `{}`", entity.name),
            at.clone(),
        ));
        inline_types(&name, &entity.fields, &at.at("/fields"), &mut names);
    }
    for view in service.views.values() {
        let at = service
            .origin
            .at(&format!("/views/{}", escape_token(&view.name)));
        let row = type_ident(&view.name);
        names.push(
            Name::new(row.clone(), format!("view `{}`", view.name), at.clone())
                .grouped("views", &view.name),
        );
        for (suffix, what) in [("Key", "key"), ("View", "store")] {
            names.push(
                Name::new(
                    format!("{row}{suffix}"),
                    format!("the {what} of view `{}`", view.name),
                    at.clone(),
                )
                .grouped(what, &view.name),
            );
        }
        inline_types(&row, &view.fields, &at.at("/fields"), &mut names);
    }
    names
}

/// The methods of a service's `Mapper`: one per entity.
pub(crate) fn mapper_methods(service: &Service) -> Vec<Name> {
    service
        .entities
        .values()
        .map(|entity| {
            Name::new(
                field_ident(&entity.name),
                format!("entity `{}`", entity.name),
                service
                    .origin
                    .at(&format!("/entities/{}", escape_token(&entity.name))),
            )
        })
        .collect()
}

/// The types generated for the inline records and enums of the fields of struct `parent`
/// (at `at`): `parent` + the field's type name, recursively.
fn inline_types(parent: &str, fields: &[Field], at: &Origin, names: &mut Vec<Name>) {
    for field in fields {
        let here = at.at(&format!("/{}", escape_token(&field.name)));
        let mut kind = &field.ty.kind;
        let mut inner_at = here.clone();
        while let TypeKind::Array(item) | TypeKind::Map(item) = kind {
            kind = &item.kind;
            inner_at = inner_at.at("/items");
        }
        let name = format!("{parent}{}", type_ident(&field.name));
        match kind {
            TypeKind::Record(fields) => {
                names.push(Name::new(
                    name.clone(),
                    format!("the record of field `{}` of `{parent}`", field.name),
                    here,
                ));
                inline_types(&name, fields, &inner_at.at("/fields"), names);
            }
            TypeKind::Enum(_) => names.push(Name::new(
                name,
                format!("the enum of field `{}` of `{parent}`", field.name),
                here,
            )),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    //! The names above against the code the emitters generate for the corpus, the examples
    //! and the valid fixtures: every name a generated module defines or refers to by its
    //! first path segment is either one the validator derives from the spec (and checks) or
    //! one of [`reserved`].

    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    use syn::visit::Visit;

    use super::*;
    use crate::emit::{Options, generate_all};
    use crate::naming::{crate_name, is_keyword};

    fn projects() -> Vec<PathBuf> {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut dirs = Vec::new();
        for (parent, prefix) in [
            ("tests/corpus", ""),
            ("examples", ""),
            ("tests/fixtures", "valid-"),
        ] {
            for entry in std::fs::read_dir(repo.join(parent)).expect("readable") {
                let path = entry.expect("entry").path();
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                if path.join("cqrsgen.yaml").is_file()
                    && name.is_some_and(|n| n.starts_with(prefix))
                {
                    dirs.push(path);
                }
            }
        }
        dirs.sort();
        dirs
    }

    /// The names a file defines at its top level and the first segments of the paths it
    /// uses in type position (and of every path of two segments or more, and of the paths
    /// serde attributes name).
    #[derive(Default)]
    struct Names {
        defined: BTreeSet<String>,
        used: BTreeSet<String>,
        mapper: BTreeSet<String>,
    }

    impl Names {
        fn of(file: &syn::File) -> Self {
            let mut names = Names::default();
            for item in &file.items {
                names.define(item);
            }
            names.visit_file(file);
            names
        }

        fn define(&mut self, item: &syn::Item) {
            let ident = match item {
                syn::Item::Struct(i) => &i.ident,
                syn::Item::Enum(i) => &i.ident,
                syn::Item::Union(i) => &i.ident,
                syn::Item::Type(i) => &i.ident,
                syn::Item::Trait(i) => &i.ident,
                syn::Item::Mod(i) => &i.ident,
                syn::Item::Const(i) => &i.ident,
                syn::Item::Static(i) => &i.ident,
                syn::Item::Fn(i) => &i.sig.ident,
                syn::Item::Use(i) => {
                    self.use_tree(&i.tree);
                    return;
                }
                syn::Item::Impl(i) => {
                    let mapper =
                        matches!(&*i.self_ty, syn::Type::Path(p) if p.path.is_ident("Mapper"));
                    if mapper && i.trait_.is_none() {
                        for item in &i.items {
                            if let syn::ImplItem::Fn(f) = item {
                                self.mapper.insert(f.sig.ident.to_string());
                            }
                        }
                    }
                    return;
                }
                _ => return,
            };
            self.defined.insert(ident.to_string());
        }

        fn use_tree(&mut self, tree: &syn::UseTree) {
            match tree {
                syn::UseTree::Path(p) => self.use_tree(&p.tree),
                syn::UseTree::Name(n) => {
                    self.defined.insert(n.ident.to_string());
                }
                syn::UseTree::Rename(r) => {
                    self.defined.insert(r.rename.to_string());
                }
                syn::UseTree::Group(g) => g.items.iter().for_each(|t| self.use_tree(t)),
                syn::UseTree::Glob(_) => {}
            }
        }

        fn first(&mut self, path: &syn::Path) {
            if let Some(first) = path.segments.first()
                && path.leading_colon.is_none()
            {
                self.used.insert(first.ident.to_string());
            }
        }
    }

    impl<'ast> Visit<'ast> for Names {
        fn visit_path(&mut self, path: &'ast syn::Path) {
            if path.segments.len() > 1 {
                self.first(path);
            }
            syn::visit::visit_path(self, path);
        }

        fn visit_type_path(&mut self, ty: &'ast syn::TypePath) {
            if ty.qself.is_none() {
                self.first(&ty.path);
            }
            syn::visit::visit_type_path(self, ty);
        }

        fn visit_trait_bound(&mut self, bound: &'ast syn::TraitBound) {
            self.first(&bound.path);
            syn::visit::visit_trait_bound(self, bound);
        }

        fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
            if let Some((path, _)) = &item.trait_ {
                self.first(path);
            }
            syn::visit::visit_item_impl(self, item);
        }

        fn visit_expr_struct(&mut self, expr: &'ast syn::ExprStruct) {
            self.first(&expr.path);
            syn::visit::visit_expr_struct(self, expr);
        }

        fn visit_pat_struct(&mut self, pat: &'ast syn::PatStruct) {
            self.first(&pat.path);
            syn::visit::visit_pat_struct(self, pat);
        }

        fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
            if attr.path().is_ident("serde") {
                let _ = attr.parse_nested_meta(|meta| {
                    let names_code = [
                        "with",
                        "default",
                        "skip_serializing_if",
                        "serialize_with",
                        "deserialize_with",
                    ]
                    .iter()
                    .any(|key| meta.path.is_ident(key));
                    if let Ok(value) = meta.value()
                        && names_code
                        && let Ok(text) = value.parse::<syn::LitStr>()
                        && let Ok(path) = text.parse::<syn::Path>()
                    {
                        self.first(&path);
                    }
                    Ok(())
                });
            }
            syn::visit::visit_attribute(self, attr);
        }
    }

    /// The reserved names and the derived names of the module at `path`, when a spec names
    /// anything in it.
    fn scope(system: &System, path: &Path) -> Option<(&'static [&'static str], Vec<Name>)> {
        let text = path.to_string_lossy().replace('\\', "/");
        let events = format!("crates/{}/src/", crate_name(&system.name, "events"));
        if let Some(file) = text.strip_prefix(&events) {
            return match file {
                "lib.rs" => Some((reserved::EVENTS_LIB, events_lib(system))),
                "types.rs" => Some((reserved::TYPES_MODULE, types_module(system))),
                file => system
                    .events
                    .values()
                    .find(|e| format!("{}.rs", module_ident(&e.name)) == file)
                    .map(|e| (reserved::EVENT_MODULE, event_module(e))),
            };
        }
        system.services.values().find_map(|service| {
            let src = format!("crates/{}/src/", crate_name(&system.name, &service.name));
            let file = text.strip_prefix(&src)?;
            [
                "lib.rs",
                "entities.rs",
                "trigger.rs",
                "views.rs",
                "listener.rs",
            ]
            .contains(&file)
            .then(|| (reserved::SERVICE_LIB, service_lib(service)))
        })
    }

    #[test]
    fn generated_modules_take_only_derived_and_reserved_names() {
        let mut problems = BTreeSet::new();
        let projects = projects();
        assert!(projects.len() > 10, "{projects:?}");
        for dir in projects {
            let project = crate::load::load(&dir).expect("loads");
            let system = crate::validate::validate(&project)
                .system
                .unwrap_or_else(|| panic!("{} does not validate", dir.display()));
            let ir = crate::validate::validate(&project)
                .ir
                .unwrap_or_else(|| panic!("{} does not lower", dir.display()));
            let files = generate_all(&ir, &Options::default())
                .expect("generates")
                .files;
            for file in files
                .iter()
                .filter(|f| f.path.extension().is_some_and(|e| e == "rs"))
            {
                let Some((reserved, derived)) = scope(&system, &file.path) else {
                    continue;
                };
                let mut derived: BTreeSet<String> = derived.into_iter().map(|n| n.ident).collect();
                // The events crate, by its library name.
                derived.insert(module_ident(&crate_name(&system.name, "events")));
                let parsed = syn::parse_file(&file.contents).expect("generated Rust parses");
                let names = Names::of(&parsed);
                for name in names.defined.iter().chain(&names.used) {
                    if !derived.contains(name)
                        && !reserved.contains(&name.as_str())
                        && !is_keyword(name)
                    {
                        problems.insert(format!(
                            "{}: `{name}` ({})",
                            scope_name(&file.path),
                            file.path.display()
                        ));
                    }
                }
                if !names.mapper.is_empty() {
                    let derived: BTreeSet<String> = system
                        .services
                        .values()
                        .flat_map(mapper_methods)
                        .map(|n| n.ident)
                        .collect();
                    for name in &names.mapper {
                        if !derived.contains(name)
                            && !reserved::MAPPER_METHODS.contains(&name.as_str())
                        {
                            problems.insert(format!("Mapper: `{name}`"));
                        }
                    }
                }
            }
        }
        assert!(
            problems.is_empty(),
            "names the generated code takes without the validator knowing (add them to \
             `naming::reserved`):\n{}",
            problems.into_iter().collect::<Vec<_>>().join("\n")
        );
    }

    /// Which list a file's names belong to, for the message.
    fn scope_name(path: &Path) -> &'static str {
        let text = path.to_string_lossy();
        if !text.contains("-events/") {
            return "SERVICE_LIB";
        }
        match path.file_name().and_then(|n| n.to_str()) {
            Some("lib.rs") => "EVENTS_LIB",
            Some("types.rs") => "TYPES_MODULE",
            _ => "EVENT_MODULE",
        }
    }
}

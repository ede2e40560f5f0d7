//! The typed events crate `<system>-events`: what the spec says about its events, on top of the
//! `cqrsgen-events` library (the envelope, decoding, validation).
//!
//! ```text
//! crates/<system>-events/
//!   Cargo.toml
//!   src/lib.rs             the crate root: modules and re-exports
//!   src/domain_event.rs    DomainEvent (decode with upcasting, accessors), BUS, Upcasts
//!   src/<event>.rs         a payload struct per version, the event's constants
//!   src/types.rs           the spec's shared types
//!   src/patterns.rs        the compiled `pattern` constraints
//!   schemas/<event>.v<N>.json, schemas/envelope.json
//! ```
//!
//! Upcasts the spec names hooks for are methods of the `Upcasts` trait, which the user
//! implements once in `upcasts.rs` next to the manifest: the crate compiles that file as a
//! module of its own, so a missing upcast is a compile error there.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::options::slashes;
use super::output::manifest::{Dependency, Manifest};
use super::output::{CrateRoot, RustModule, json_file};
use super::rust::checks::{self, Patterns};
use super::rust::tokens::{doc, ident};
use super::rust::types::{Types, enumeration};
use super::rust::upcast::from_impl;
use super::{CRATES_DIR, EVENTS_PACKAGE, EmitBug, GeneratedFile, Options, json_schema, parallel};
use crate::ir::{Event, Field, NamedKind, Producer, System, TypeKind, Upcast};

/// The file next to the manifest holding the user's upcasts.
pub const UPCASTS_FILE: &str = "upcasts.rs";

/// The events crate of `system`, files sorted by path.
pub fn events_crate(system: &System, options: &Options) -> Result<Vec<GeneratedFile>, EmitBug> {
    let package = &system.crates.events;
    let root = std::path::Path::new(CRATES_DIR).join(package);
    let patterns = checks::patterns(
        system
            .types
            .values()
            .filter_map(|t| match &t.kind {
                NamedKind::Record(fields) => Some(fields.as_slice()),
                NamedKind::Enum(_) => None,
            })
            .chain(
                system
                    .events
                    .values()
                    .flat_map(|e| e.versions.iter().map(|v| v.fields.as_slice())),
            ),
    );
    let types = Types {
        system,
        validate: Some(&patterns),
    };
    let mut files = vec![
        GeneratedFile::new(
            root.join("Cargo.toml"),
            manifest(system, &patterns, options).generated(),
        ),
        lib_rs(system, &patterns, options).file(root.join("src/lib.rs")),
        domain_event(system).file(root.join("src/domain_event.rs"))?,
        json_file(
            root.join("schemas/envelope.json"),
            json_schema::envelope_schema(system),
        ),
    ];
    if !system.types.is_empty() {
        files.push(types_module(types).file(root.join("src/types.rs"))?);
    }
    if !patterns.is_empty() {
        let mut module =
            RustModule::new("The spec's `pattern` constraints, each compiled once on first use.");
        module.import("std::sync::LazyLock").import("regex::Regex");
        for item in checks::patterns_module(&patterns) {
            module.item(item);
        }
        files.push(module.file(root.join("src/patterns.rs"))?);
    }
    // Events are independent of each other: the bulk of the work, spread over the cores.
    let events: Vec<&Event> = system.events.values().collect();
    let per_event = parallel::try_map(&events, |event| -> Result<_, EmitBug> {
        let mut files = vec![
            event_module(types, event).file(root.join(format!("src/{}.rs", event.names.module)))?,
        ];
        for version in &event.versions {
            let path = format!("schemas/{}.v{}.json", event.names.file, version.version);
            let schema = json_schema::event_schema(system, event, version);
            files.push(json_file(root.join(path), schema));
        }
        Ok(files)
    })?;
    files.extend(per_event.into_iter().flatten());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Whether some version change of the system names an upcast hook.
pub(crate) fn has_upcast_hooks(system: &System) -> bool {
    system.events.values().any(|event| {
        event
            .versions
            .iter()
            .any(|v| matches!(v.upcast, Some(Upcast::Hook(_))))
    })
}

fn manifest(system: &System, patterns: &Patterns, options: &Options) -> Manifest {
    let mut manifest = Manifest::new(
        &system.crates.events,
        format!("Typed domain events of the {} system", system.name),
    );
    manifest
        .dependency(
            EVENTS_PACKAGE,
            Dependency::Path(options.library_from_crate(EVENTS_PACKAGE)),
        )
        .dependency("serde", Dependency::registry("1", &["derive"]))
        .dependency("serde_json", Dependency::registry("1", &[]));
    let all = system
        .events
        .values()
        .flat_map(|e| e.versions.iter().map(|v| v.fields.as_slice()));
    let named = system.types.values().filter_map(|t| match &t.kind {
        NamedKind::Record(fields) => Some(fields.as_slice()),
        NamedKind::Enum(_) => None,
    });
    for (name, dependency) in field_dependencies(all.chain(named)) {
        manifest.dependency(name, dependency);
    }
    if !patterns.is_empty() {
        manifest.dependency("regex", Dependency::registry("1", &[]));
    }
    manifest
}

/// The crates.io dependencies the field types of `lists` need (chrono, rust_decimal, uuid).
pub(crate) fn field_dependencies<'a>(
    lists: impl IntoIterator<Item = &'a [Field]>,
) -> Vec<(&'static str, Dependency)> {
    #[derive(Default)]
    struct Uses {
        chrono: bool,
        decimal: bool,
        uuid: bool,
    }
    fn scan(kind: &TypeKind, uses: &mut Uses) {
        match kind {
            TypeKind::Timestamp | TypeKind::Date => uses.chrono = true,
            TypeKind::Decimal => uses.decimal = true,
            TypeKind::Uuid => uses.uuid = true,
            TypeKind::Array(item) | TypeKind::Map(item) => scan(&item.kind, uses),
            TypeKind::Record(fields) => fields.iter().for_each(|f| scan(&f.ty.kind, uses)),
            _ => {}
        }
    }
    let mut uses = Uses::default();
    for fields in lists {
        fields.iter().for_each(|f| scan(&f.ty.kind, &mut uses));
    }
    let mut out = Vec::new();
    if uses.chrono {
        out.push((
            "chrono",
            Dependency::Registry {
                version: "0.4",
                features: &["serde", "std"],
                default_features: false,
            },
        ));
    }
    if uses.decimal {
        out.push((
            "rust_decimal",
            Dependency::registry("1", &["serde-with-str"]),
        ));
    }
    if uses.uuid {
        out.push(("uuid", Dependency::registry("1", &["serde"])));
    }
    out
}

fn lib_rs(system: &System, patterns: &Patterns, options: &Options) -> CrateRoot {
    let mut docs = format!(
        "Typed domain events of the `{}` system, generated by cqrsgen.\n",
        system.name
    );
    if let Some(description) = &system.description {
        docs.push('\n');
        docs.push_str(description.trim_end());
        docs.push('\n');
    }
    docs.push_str(
        "\nDecode bytes from the bus with [`DomainEvent::decode`]; build events from a payload \
         with [`Payload::into_envelope`]; check them with [`Validate::validate`].",
    );
    let mut root = CrateRoot::new(docs);
    root.module("domain_event", false);
    for event in system.events.values() {
        root.module(&event.names.module, true);
    }
    if !system.types.is_empty() {
        root.module("types", true);
    }
    if !patterns.is_empty() {
        root.module("patterns", false);
    }
    root.export(
        "cqrsgen_events::{DecodeError, Envelope, Payload, Publishable, Validate, ValidationError, \
         ValidationErrors}",
    );
    root.export("domain_event::{BUS, DomainEvent}");
    if has_upcast_hooks(system) {
        let user = options.project_from_crate_src().join(UPCASTS_FILE);
        root.user_module("upcasts", &slashes(&user));
        root.export("domain_event::{Upcaster, Upcasts}");
    }
    root
}

fn types_module(types: Types<'_>) -> RustModule {
    let mut module = RustModule::new("The spec's shared `types`.");
    module.import("serde::{Deserialize, Serialize}");
    let mut records = Vec::new();
    for named in types.system.types.values() {
        let name = ident(&named.ident);
        let description = named.description.as_deref();
        module.item(match &named.kind {
            NamedKind::Record(fields) => {
                records.push(fields.as_slice());
                types.record(&name, description, fields)
            }
            NamedKind::Enum(values) => enumeration(&name, description, values),
        });
    }
    validation_imports(&mut module, &records);
    module
}

/// The imports the `Validate` implementations of records of `fields` need.
fn validation_imports(module: &mut RustModule, records: &[&[Field]]) {
    if records.is_empty() {
        return;
    }
    module.import("cqrsgen_events::{Path, Validate, ValidationErrors}");
    if records.iter().any(|fields| checks::needs_check(fields)) {
        module.import("cqrsgen_events::validation::check");
    }
}

fn event_module(types: Types<'_>, event: &Event) -> RustModule {
    let system = types.system;
    let name = &event.name;
    let mut docs = format!("`{name}`, carrying entity `{}`.\n", event.entity);
    if let Some(description) = &event.description {
        docs.push('\n');
        docs.push_str(description);
    }
    let mut module = RustModule::new(docs);
    module
        .import("serde::{Deserialize, Serialize}")
        .import("cqrsgen_events::Payload");
    let records: Vec<&[Field]> = event.versions.iter().map(|v| v.fields.as_slice()).collect();
    validation_imports(&mut module, &records);
    let current = event.current();
    let current_number = Literal::u32_unsuffixed(current.version);
    let source = match event.producer {
        Producer::Service(service) => {
            let owner = &system.services[service].name;
            quote!(Some(#owner))
        }
        Producer::External => quote!(None),
    };
    let entity = &event.names.entity_key;
    let alias = ident(&event.names.ident);
    let current_ident = ident(&current.ident);
    let alias_doc = format!(" The current version of `{name}`.");
    module.item(quote! {
        /// The envelope `type` and EventBridge `DetailType`.
        pub const DETAIL_TYPE: &str = #name;
        /// The producing service (EventBridge `Source`); `None` when produced outside the system.
        pub const SOURCE: Option<&str> = #source;
        /// The current schema version.
        pub const VERSION: u32 = #current_number;
        /// The envelope key of the payload: the entity name in lowerCamelCase.
        pub const ENTITY: &str = #entity;
        #[doc = #alias_doc]
        pub type #alias = #current_ident;
    });
    for (i, version) in event.versions.iter().enumerate() {
        let struct_name = ident(&version.ident);
        let mut text = format!("`{name}` v{} payload.", version.version);
        if let Some(description) = &version.description {
            text.push_str("\n\n");
            text.push_str(description);
        }
        module.item(types.record(&struct_name, Some(&text), &version.fields));
        let number = Literal::u32_unsuffixed(version.version);
        module.item(quote! {
            impl Payload for #struct_name {
                const DETAIL_TYPE: &'static str = DETAIL_TYPE;
                const SOURCE: Option<&'static str> = SOURCE;
                const BUS: &'static str = crate::BUS;
                const VERSION: u32 = #number;
                const ENTITY: &'static str = ENTITY;
            }
        });
        if let (Some(Upcast::Additive), Some(next)) = (&version.upcast, event.versions.get(i + 1)) {
            let (old, new) = (ident(&version.ident), ident(&next.ident));
            module.item(from_impl(&old, &new, &version.fields, &next.fields));
        }
    }
    module
}

fn domain_event(system: &System) -> RustModule {
    let mut module = RustModule::new(
        "Any event of the system: [`DomainEvent`], decoded from the bus with upcasting.",
    );
    module.import(
        "cqrsgen_events::{AnyEnvelope, DecodeError, Dispatch, Envelope, Fields, Publishable, \
         ValidationErrors}",
    );
    if !system.events.is_empty() {
        module
            .import("cqrsgen_events::Payload")
            .import("serde::Deserialize");
    }
    let bus = &system.bus;
    let mut variants = Vec::new();
    let mut decode_arms = Vec::new();
    let mut entity_arms = Vec::new();
    let mut upcasts = Vec::new();
    let mut froms = Vec::new();
    let mut names = Vec::new();
    for event in system.events.values() {
        let module_ident = ident(&event.names.module);
        let variant = ident(&event.names.variant);
        let current = ident(&event.names.ident);
        let docs = doc(Some(
            event
                .description
                .as_deref()
                .unwrap_or(&format!("`{}`", event.name)),
        ));
        variants.push(quote!(#docs #variant(Envelope<crate::#module_ident::#current>),));
        froms.push(quote! {
            impl From<Envelope<crate::#module_ident::#current>> for DomainEvent {
                fn from(envelope: Envelope<crate::#module_ident::#current>) -> Self {
                    DomainEvent::#variant(envelope)
                }
            }
        });
        names.push(variant.clone());
        for (i, version) in event.versions.iter().enumerate() {
            let number = Literal::u32_unsuffixed(version.version);
            let payload = ident(&version.ident);
            let steps = event.versions[i..]
                .iter()
                .zip(&event.versions[i + 1..])
                .map(|(old, next)| {
                    let next_ident = ident(&next.ident);
                    match &old.upcast {
                        Some(Upcast::Hook(hook)) => {
                            let method = ident(&hook.method);
                            quote!(.map(|payload| Upcaster.#method(payload)))
                        }
                        _ => quote!(.map(crate::#module_ident::#next_ident::from)),
                    }
                });
            decode_arms.push(quote! {
                (crate::#module_ident::DETAIL_TYPE, #number) => {
                    let payload = crate::#module_ident::#payload::deserialize(payload)?;
                    let envelope = payload.into_envelope(String::new(), 0, String::new());
                    Ok(DomainEvent::#variant(envelope #(#steps)*))
                }
            });
        }
        let versions = event
            .versions
            .iter()
            .map(|version| Literal::u32_unsuffixed(version.version));
        entity_arms.push(quote! {
            crate::#module_ident::DETAIL_TYPE => Some((crate::#module_ident::ENTITY, &[#(#versions),*])),
        });
        for pair in event.versions.windows(2) {
            if let Some(Upcast::Hook(hook)) = &pair[0].upcast {
                let method = ident(&hook.method);
                let (old, new) = (ident(&pair[0].ident), ident(&pair[1].ident));
                let summary = format!(
                    " Upcasts `{}` v{} to v{} (hook `{}`).",
                    event.name, pair[0].version, pair[1].version, hook.name
                );
                let details = doc(pair[0].description.as_deref());
                upcasts.push(quote! {
                    #[doc = #summary]
                    #details
                    fn #method(&self, payload: crate::#module_ident::#old) -> crate::#module_ident::#new;
                });
            }
        }
    }
    let upcasts = (!upcasts.is_empty()).then(|| {
        quote! {
            /// The upcasts the spec names hooks for: changes between versions that are not
            /// additive. Implement it for [`Upcaster`] in `upcasts.rs` next to the spec; decoding
            /// calls it.
            pub trait Upcasts {
                #(#upcasts)*
            }

            /// What decoding upcasts with: implement [`Upcasts`] for it.
            #[derive(Debug, Clone, Copy, Default)]
            pub struct Upcaster;
        }
    });
    let arms = |body: TokenStream| {
        let names = &names;
        quote!(#(DomainEvent::#names(envelope) => #body,)*)
    };
    let envelope = arms(quote!(envelope));
    let fill = arms(quote!(fields.fill(envelope)));
    module.item(quote! {
        /// The EventBridge bus every event of the system travels on.
        pub const BUS: &str = #bus;

        /// Any event of the system, in its current version.
        #[derive(Debug, Clone, PartialEq)]
        #[allow(
            clippy::large_enum_variant,
            reason = "events are handled one at a time; boxing would cost an allocation each"
        )]
        pub enum DomainEvent { #(#variants)* }

        impl DomainEvent {
            /// Decodes an envelope: the payload of the version `type` and `schemaVersion`
            /// (absent: 1) name, upcast to the current version, in one pass over the bytes
            /// when `type` and `schemaVersion` come before the payload.
            pub fn decode(bytes: &[u8]) -> Result<DomainEvent, DecodeError> {
                cqrsgen_events::decode(bytes, Decoder)
            }

            /// The envelope, whatever the event.
            pub fn envelope(&self) -> &dyn AnyEnvelope {
                match self { #envelope }
            }

            /// The envelope as JSON.
            pub fn encode(&self) -> Result<String, serde_json::Error> {
                self.envelope().to_json()
            }

            /// Checks the payload against the spec's constraints.
            pub fn validate(&self) -> Result<(), ValidationErrors> {
                self.envelope().validate()
            }

            /// The event type (`type`).
            pub fn event_type(&self) -> &str {
                self.envelope().event_type()
            }

            /// The event id.
            pub fn id(&self) -> &str {
                self.envelope().id()
            }

            /// Epoch milliseconds of the change.
            pub fn timestamp(&self) -> i64 {
                self.envelope().timestamp()
            }

            /// The partition key.
            pub fn partition_key(&self) -> &str {
                self.envelope().partition_key()
            }
        }

        impl Publishable for DomainEvent {
            fn event_type(&self) -> &str {
                self.envelope().event_type()
            }

            fn detail(&self) -> Result<String, serde_json::Error> {
                self.envelope().to_json()
            }
        }

        /// Picks the payload type of an envelope for [`DomainEvent::decode`].
        struct Decoder;

        impl Dispatch for Decoder {
            type Event = DomainEvent;

            fn entity(&self, event_type: &str) -> Option<(&'static str, &'static [u32])> {
                match event_type {
                    #(#entity_arms)*
                    _ => None,
                }
            }

            fn payload<'de, D: serde::Deserializer<'de>>(
                &self,
                event_type: &str,
                version: u32,
                payload: D,
            ) -> Result<DomainEvent, D::Error> {
                match (event_type, version) {
                    #(#decode_arms)*
                    _ => Err(serde::de::Error::custom(format_args!(
                        "unknown event `{event_type}` v{version}"
                    ))),
                }
            }

            fn fill(event: &mut DomainEvent, fields: Fields) {
                match event { #fill }
            }
        }

        #(#froms)*

        #upcasts
    });
    module
}

//! The typed events crate `<system>-events`: one module per event with a payload struct per
//! version, shared types, the envelope, `DomainEvent` decoding with upcasting, validation,
//! and a JSON Schema per event version.
//!
//! Layout under `crates/<system>-events/`: `Cargo.toml`, `rustfmt.toml` (keeps `cargo fmt`
//! off the generated code); `src/lib.rs` (`DomainEvent`,
//! `Upcasters`), `src/<event>.rs`, `src/types.rs` (shared types), `src/envelope.rs` and
//! `src/validation.rs` (fixed code, from `templates/events/`), `src/patterns.rs` (compiled
//! `pattern` constraints); `schemas/<event>.v<N>.json` and `schemas/envelope.json`.

use std::collections::BTreeMap;
use std::path::Path;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::json_schema::{envelope_schema, event_schema};
use super::payload::{enumeration, record};
use super::tokens::{doc, ident, inner_doc, render};
use super::upcast::{Step, from_impl, steps};
use super::{CRATES_DIR, Context, EmitError, checks, parallel, scan};
use crate::model::{Event, NamedKind, System};
use crate::naming::{crate_name, field_ident, file_stem, lower_camel, module_ident, type_ident};
use crate::write::{CommentStyle, GeneratedFile, HEADER_NOTICE, JSON_COMMENT_KEY, header};

/// Module names of the crate that events cannot take.
const RESERVED_MODULES: &[&str] = &["envelope", "validation", "types", "patterns"];

/// Fixed modules, copied as written.
const FIXED: &[(&str, &str)] = &[
    (
        "src/envelope.rs",
        include_str!("../../../templates/events/envelope.rs"),
    ),
    (
        "src/validation.rs",
        include_str!("../../../templates/events/validation.rs"),
    ),
];

/// Generates the events crate of `system`, files sorted by path.
pub fn events_crate(system: &System) -> Result<Vec<GeneratedFile>, EmitError> {
    let ctx = Context {
        system,
        usage: scan::scan(system),
        validate: true,
    };
    let package = crate_name(&system.name, "events");
    let root = Path::new(CRATES_DIR).join(&package);
    let events = EventPlan::all(system)?;
    let rust = |path: &str, tokens: TokenStream| -> Result<GeneratedFile, EmitError> {
        let path = root.join(path);
        let contents = render(&path, tokens)?;
        Ok(GeneratedFile::new(path, contents))
    };

    let mut files = vec![
        GeneratedFile::new(root.join("Cargo.toml"), cargo_toml(&ctx, &package)),
        GeneratedFile::new(root.join("rustfmt.toml"), super::rustfmt_toml()),
        rust("src/lib.rs", lib_rs(&ctx, &events))?,
    ];
    files.extend(FIXED.iter().map(|(path, contents)| {
        let header = header(CommentStyle::Slashes);
        GeneratedFile::new(root.join(path), format!("{header}\n{contents}"))
    }));
    if !system.types.is_empty() {
        files.push(rust("src/types.rs", types_rs(&ctx)?)?);
    }
    if !ctx.usage.patterns.is_empty() {
        files.push(rust("src/patterns.rs", checks::patterns_module(&ctx))?);
    }
    // The schemas come from the resolved system (until every emitter works on it).
    let resolved = crate::validate::lower::lower(system)
        .map_err(|bug| EmitError::Internal(bug.to_string()))?;
    // Events are independent of each other: the bulk of the work, spread over the cores.
    let per_event = parallel::try_map(&events, |plan| -> Result<_, EmitError> {
        let mut files = vec![rust(
            &format!("src/{}.rs", plan.module),
            event_module(&ctx, plan)?,
        )?];
        let id = resolved
            .event_named(&plan.event.name)
            .ok_or_else(|| EmitError::Internal(format!("event `{}`", plan.event.name)))?;
        let event = &resolved.events[id];
        for version in &event.versions {
            let schema = event_schema(&resolved, event, version);
            let path = format!("schemas/{}.v{}.json", plan.file_stem, version.version);
            files.push(json_file(&root.join(path), schema));
        }
        Ok(files)
    })?;
    files.extend(per_event.into_iter().flatten());
    files.push(json_file(
        &root.join("schemas/envelope.json"),
        envelope_schema(&resolved),
    ));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// An event with the names and upcast steps the crate uses for it.
struct EventPlan<'a> {
    event: &'a Event,
    /// Its module (`order_placed`).
    module: String,
    /// The stem of its schema files (the event name, checked to be a file name).
    file_stem: &'a str,
    /// Its base type name (`OrderPlaced`), also the `DomainEvent` variant.
    base: String,
    /// One per pair of consecutive versions.
    steps: Vec<Step<'a>>,
}

impl<'a> EventPlan<'a> {
    /// Plans every event, refusing reserved module names and reused hooks.
    fn all(system: &'a System) -> Result<Vec<Self>, EmitError> {
        let mut hooks: BTreeMap<&str, String> = BTreeMap::new();
        let mut plans = Vec::with_capacity(system.events.len());
        for event in system.events.values() {
            let module = module_ident(&event.name);
            if RESERVED_MODULES.contains(&module.as_str()) {
                return Err(EmitError::ReservedModule {
                    event: event.name.clone(),
                    module,
                });
            }
            let steps = steps(event)?;
            for (step, version) in steps.iter().zip(&event.versions) {
                if let Step::Hook(hook) = step {
                    let label = format!("{} v{}", event.name, version.version);
                    if let Some(first) = hooks.insert(hook, label.clone()) {
                        return Err(EmitError::HookReused {
                            hook: (*hook).to_owned(),
                            first,
                            second: label,
                        });
                    }
                }
            }
            let file_stem = file_stem(&event.name).map_err(|error| EmitError::InvalidName {
                name: event.name.clone(),
                error,
            })?;
            plans.push(EventPlan {
                event,
                file_stem,
                module,
                base: type_ident(&event.name),
                steps,
            });
        }
        Ok(plans)
    }

    /// The struct name of version `version` (`OrderPlacedV2`).
    fn version_ident(&self, version: u32) -> proc_macro2::Ident {
        ident(&format!("{}V{version}", self.base))
    }
}

fn json_file(path: &Path, schema: serde_json::Value) -> GeneratedFile {
    let mut object = serde_json::Map::new();
    object.insert(JSON_COMMENT_KEY.into(), HEADER_NOTICE.into());
    if let serde_json::Value::Object(schema) = schema {
        object.extend(schema);
    }
    let mut contents = serde_json::to_string_pretty(&object).unwrap_or_default();
    contents.push('\n');
    GeneratedFile::new(path, contents)
}

fn cargo_toml(ctx: &Context<'_>, package: &str) -> String {
    let system = &ctx.system.name;
    let mut deps = ctx.usage.dependencies();
    if !ctx.usage.patterns.is_empty() {
        deps.push(r#"regex = "1""#);
    }
    deps.push(r#"serde = { version = "1", features = ["derive"] }"#);
    deps.push(r#"serde_json = "1""#);
    deps.sort_unstable();
    format!(
        "{}\n\
         [package]\n\
         name = \"{package}\"\n\
         version = \"0.1.0\"\n\
         edition = \"2024\"\n\
         rust-version = \"1.85\"\n\
         description = \"Typed domain events of the {system} system\"\n\
         publish = false\n\n\
         [dependencies]\n{}\n",
        header(CommentStyle::Hash),
        deps.join("\n")
    )
}

fn lib_rs(ctx: &Context<'_>, events: &[EventPlan<'_>]) -> TokenStream {
    let system = ctx.system;
    let crate_doc = format!(
        " Typed domain events of the `{}` system, generated by cqrsgen.",
        system.name
    );
    let description = inner_doc(system.description.as_deref());
    let bus = &system.bus;
    let modules = events.iter().map(|plan| {
        let module = ident(&plan.module);
        let docs = format!(" `{}`", plan.event.name);
        quote!(#[doc = #docs] pub mod #module;)
    });
    let types = (!system.types.is_empty()).then(|| {
        quote!(
            pub mod types;
        )
    });
    let patterns = (!ctx.usage.patterns.is_empty()).then(|| {
        quote!(
            mod patterns;
        )
    });
    let domain_event = domain_event(events);
    quote! {
        #![doc = #crate_doc]
        #![doc = ""]
        #description
        #![doc = ""]
        #![doc = " Decode bytes from the bus with [`DomainEvent::decode`]; build events with a payload's"]
        #![doc = " `new` and [`Payload::into_envelope`]; check them with [`Validate::validate`]."]
        #![forbid(unsafe_code)]

        pub mod envelope;
        pub mod validation;
        #types
        #patterns
        #(#modules)*

        pub use envelope::{DecodeError, Envelope, Payload};
        pub use validation::{Validate, ValidationError, ValidationErrors};

        /// The EventBridge bus every event of the system travels on.
        pub const BUS: &str = #bus;

        #domain_event
    }
}

fn domain_event(events: &[EventPlan<'_>]) -> TokenStream {
    let mut variants = Vec::new();
    let mut decode_arms = Vec::new();
    let mut entity_arms = Vec::new();
    let mut hooks = Vec::new();
    let mut froms = Vec::new();
    let mut names = Vec::new();
    for plan in events {
        let event = plan.event;
        let module = ident(&plan.module);
        let variant = ident(&plan.base);
        let current = ident(&plan.base);
        let docs = doc(Some(
            event
                .description
                .as_deref()
                .unwrap_or(&format!("`{}`", event.name)),
        ));
        variants.push(quote!(#docs #variant(Envelope<#module::#current>),));
        froms.push(quote! {
            impl From<Envelope<#module::#current>> for DomainEvent {
                fn from(envelope: Envelope<#module::#current>) -> Self {
                    DomainEvent::#variant(envelope)
                }
            }
        });
        names.push(variant.clone());
        for (i, version) in event.versions.iter().enumerate() {
            let number = Literal::u32_unsuffixed(version.version);
            let payload = plan.version_ident(version.version);
            let upcasts =
                plan.steps[i..]
                    .iter()
                    .zip(&event.versions[i + 1..])
                    .map(|(step, next)| {
                        let next = plan.version_ident(next.version);
                        match step {
                            Step::Additive => quote!(.map(#module::#next::from)),
                            Step::Hook(hook) => {
                                let hook = ident(&field_ident(hook));
                                quote!(.map(|payload| upcasters.#hook(payload)))
                            }
                        }
                    });
            decode_arms.push(quote! {
                (#module::DETAIL_TYPE, #number) => {
                    let payload = <#module::#payload as serde::Deserialize>::deserialize(payload)?;
                    let envelope = payload.into_envelope(String::new(), 0, String::new());
                    Ok(DomainEvent::#variant(envelope #(#upcasts)*))
                }
            });
        }
        let versions = event
            .versions
            .iter()
            .map(|version| Literal::u32_unsuffixed(version.version));
        entity_arms.push(quote! {
            #module::DETAIL_TYPE => Some((
                <#module::#current as Payload>::ENTITY,
                &[#(#versions),*],
            )),
        });
        for (step, (old, new)) in plan
            .steps
            .iter()
            .zip(event.versions.iter().zip(&event.versions[1..]))
        {
            if let Step::Hook(hook) = step {
                let method = ident(&field_ident(hook));
                let (old_ty, new_ty) = (
                    plan.version_ident(old.version),
                    plan.version_ident(new.version),
                );
                let summary = format!(
                    " Upcasts `{}` v{} to v{} (hook `{hook}`).",
                    event.name, old.version, new.version
                );
                let details = doc(old.description.as_deref());
                hooks.push(quote! {
                    #[doc = #summary]
                    #details
                    fn #method(&self, payload: #module::#old_ty) -> #module::#new_ty;
                });
            }
        }
    }
    let (upcasters_param, upcasters_trait, upcasters_doc) = if hooks.is_empty() {
        (TokenStream::new(), TokenStream::new(), TokenStream::new())
    } else {
        (
            quote!(, upcasters: &impl Upcasters),
            quote! {
                /// The upcasts the spec names hooks for: changes between versions that are not
                /// additive. Implement it and pass it to [`DomainEvent::decode`].
                pub trait Upcasters {
                    #(#hooks)*
                }
            },
            quote!(#[doc = ""] #[doc = " Non-additive upcasts call `upcasters`."]),
        )
    };
    let arms = |body: TokenStream| {
        let names = &names;
        quote!(#(DomainEvent::#names(envelope) => #body,)*)
    };
    let encode = arms(quote!(envelope.encode()));
    let validate = arms(quote!(envelope.payload.validate()));
    let event_type = arms(quote!(envelope.event_type.as_str()));
    let id = arms(quote!(envelope.id.as_str()));
    let timestamp = arms(quote!(envelope.timestamp));
    let partition_key = arms(quote!(envelope.partition_key.as_str()));
    let fill = arms(quote!(fields.fill(envelope)));
    let (decoder, decoder_impl, decoder_value, upcasters_binding) = if hooks.is_empty() {
        (
            quote!(
                struct Decoder;
            ),
            quote!(impl envelope::Dispatch for Decoder),
            quote!(Decoder),
            TokenStream::new(),
        )
    } else {
        (
            quote!(
                struct Decoder<'u, U>(&'u U);
            ),
            quote!(impl<U: Upcasters> envelope::Dispatch for Decoder<'_, U>),
            quote!(Decoder(upcasters)),
            quote!(let upcasters = self.0;),
        )
    };
    quote! {
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
            #upcasters_doc
            pub fn decode(bytes: &[u8] #upcasters_param) -> Result<DomainEvent, DecodeError> {
                envelope::decode(bytes, #decoder_value)
            }

            /// The envelope as JSON.
            pub fn encode(&self) -> Result<Vec<u8>, serde_json::Error> {
                match self { #encode }
            }

            /// Checks the payload against the spec's constraints.
            pub fn validate(&self) -> Result<(), ValidationErrors> {
                match self { #validate }
            }

            /// The event type (`type`).
            pub fn event_type(&self) -> &str {
                match self { #event_type }
            }

            /// The event id.
            pub fn id(&self) -> &str {
                match self { #id }
            }

            /// Epoch milliseconds of the change.
            pub fn timestamp(&self) -> i64 {
                match self { #timestamp }
            }

            /// The partition key.
            pub fn partition_key(&self) -> &str {
                match self { #partition_key }
            }
        }

        /// Picks the payload type of an envelope for [`DomainEvent::decode`].
        #decoder

        #decoder_impl {
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
                #upcasters_binding
                match (event_type, version) {
                    #(#decode_arms)*
                    _ => Err(serde::de::Error::custom(format_args!(
                        "unknown event `{event_type}` v{version}"
                    ))),
                }
            }

            fn fill(event: &mut DomainEvent, fields: envelope::Fields) {
                match event { #fill }
            }
        }

        #(#froms)*

        #upcasters_trait
    }
}

fn types_rs(ctx: &Context<'_>) -> Result<TokenStream, EmitError> {
    let mut items = Vec::new();
    let mut any_record = false;
    for named in ctx.system.types.values() {
        let name = ident(&type_ident(&named.name));
        let description = named.description.as_deref();
        items.push(match &named.kind {
            NamedKind::Record(fields) => {
                any_record = true;
                record(ctx, &name, description, fields)?
            }
            NamedKind::Enum(values) => enumeration(&name, description, values),
        });
    }
    let validation = any_record.then(|| {
        quote!(
            use crate::validation::{Path, Validate, ValidationErrors};
        )
    });
    Ok(quote! {
        //! Shared types of the spec's `types`.

        use serde::{Deserialize, Serialize};
        #validation

        #(#items)*
    })
}

fn event_module(ctx: &Context<'_>, plan: &EventPlan<'_>) -> Result<TokenStream, EmitError> {
    let event = plan.event;
    let name = &event.name;
    let summary = format!(" `{name}`, carrying entity `{}`.", event.entity);
    let description = inner_doc(event.description.as_deref());
    let current = event.current().version;
    let current_number = Literal::u32_unsuffixed(current);
    let source = match &event.owner {
        Some(owner) => quote!(Some(#owner)),
        None => quote!(None),
    };
    let entity = lower_camel(&event.entity);
    let base = ident(&plan.base);
    let current_ident = plan.version_ident(current);
    let mut items = Vec::new();
    for version in &event.versions {
        let struct_name = plan.version_ident(version.version);
        let mut text = format!("`{name}` v{} payload.", version.version);
        if let Some(description) = &version.description {
            text.push_str("\n\n");
            text.push_str(description);
        }
        items.push(record(ctx, &struct_name, Some(&text), &version.fields)?);
        let number = Literal::u32_unsuffixed(version.version);
        items.push(quote! {
            impl crate::envelope::Payload for #struct_name {
                const DETAIL_TYPE: &'static str = DETAIL_TYPE;
                const SOURCE: Option<&'static str> = SOURCE;
                const BUS: &'static str = BUS;
                const VERSION: u32 = #number;
                const ENTITY: &'static str = ENTITY;
            }
        });
    }
    for (step, pair) in plan.steps.iter().zip(event.versions.windows(2)) {
        if *step == Step::Additive {
            let (old, new) = (
                plan.version_ident(pair[0].version),
                plan.version_ident(pair[1].version),
            );
            items.push(from_impl(&old, &new, &pair[0].fields, &pair[1].fields));
        }
    }
    let alias_doc = format!(" The current version of `{name}`.");
    Ok(quote! {
        #![doc = #summary]
        #![doc = ""]
        #description

        use serde::{Deserialize, Serialize};

        use crate::validation::{Path, Validate, ValidationErrors};

        /// The envelope `type` and EventBridge `DetailType`.
        pub const DETAIL_TYPE: &str = #name;
        /// The producing service (EventBridge `Source`); `None` when produced outside the system.
        pub const SOURCE: Option<&str> = #source;
        /// The EventBridge bus the event travels on.
        pub const BUS: &str = crate::BUS;
        /// The current schema version.
        pub const VERSION: u32 = #current_number;
        /// The envelope key of the payload: the entity name in lowerCamelCase.
        pub const ENTITY: &str = #entity;

        #[doc = #alias_doc]
        pub type #base = #current_ident;

        #(#items)*
    })
}

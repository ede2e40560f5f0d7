//! Building the model from the spec files of a project: merging them (the first definition
//! of a name wins; the validator reports the others) and parsing field types.

use std::collections::BTreeMap;

use super::ty::parse_fields;
use super::{
    Entity, Event, EventVersion, Field, Meta, NamedKind, NamedType, Origin, Projection, Publish,
    Runtime, Service, Source, Subscription, System, TypeKind, View,
};
use crate::load::span::escape_token;
use crate::spec::{self, ProjectionDef, SourceDef, SpecFile};

/// A problem found while building: a field definition that does not make sense.
#[derive(Debug, Clone)]
pub struct BuildError {
    /// Where.
    pub origin: Origin,
    /// What.
    pub message: String,
    /// A constraint is wrong (as opposed to the type itself).
    pub constraint: bool,
}

/// Merges the files (index in the project, content) into a [`System`]. `position` gives the
/// byte offset of the node at an origin in its file: fields are kept in the order the spec
/// writes them.
pub fn build(
    files: &[(usize, &SpecFile)],
    position: &dyn Fn(&Origin) -> usize,
) -> (System, Vec<BuildError>) {
    let mut system = System::default();
    let mut errors = Vec::new();
    let mut fields = |defs: &BTreeMap<String, spec::FieldDef>, origin: Origin| {
        let mut own = Vec::new();
        let mut parsed = parse_fields(defs, "", &mut own);
        errors.extend(own.into_iter().map(|e| BuildError {
            origin: origin.at(&e.at),
            message: e.message,
            constraint: e.constraint,
        }));
        place(&mut parsed, &origin, position);
        parsed
    };
    for &(file, spec) in files {
        let origin = |section: &str, name: &str| Origin {
            file,
            pointer: format!("/{section}/{}", escape_token(name)),
        };
        if system.name.is_empty() {
            system.name = spec.system.clone().unwrap_or_default();
            system.bus = spec.bus.clone().unwrap_or_default();
            system.description = spec.description.clone();
            system.acknowledge = spec.acknowledge.clone();
            system.deploy = spec.generate.as_ref().and_then(|g| g.deploy.clone());
            system.runtime = match spec.generate.as_ref().map(|g| &g.runtime) {
                Some(spec::RuntimeDef::Path(def)) => Runtime::Path(def.path.clone()),
                Some(spec::RuntimeDef::Keyword(spec::RuntimeKeyword::Vendored)) | None => {
                    Runtime::Vendored
                }
            };
        }
        for (name, def) in &spec.types {
            let origin = origin("types", name);
            let kind = match (&def.fields, &def.values) {
                (Some(defs), _) => NamedKind::Record(fields(defs, origin.at("/fields"))),
                (None, Some(values)) => NamedKind::Enum(values.clone()),
                (None, None) => NamedKind::Record(Vec::new()),
            };
            system.types.entry(name.clone()).or_insert(NamedType {
                name: name.clone(),
                description: def.description.clone(),
                kind,
                origin,
            });
        }
        for (name, def) in &spec.events {
            let origin = origin("events", name);
            let mut versions: Vec<EventVersion> = def
                .previous
                .iter()
                .enumerate()
                .map(|(i, v)| EventVersion {
                    version: v.version,
                    description: v.description.clone(),
                    fields: fields(&v.fields, origin.at(&format!("/previous/{i}/fields"))),
                    examples: v.examples.clone(),
                    upcast: v.upcast.clone(),
                    at: format!("/previous/{i}"),
                })
                .collect();
            versions.push(EventVersion {
                version: def.version,
                description: def.description.clone(),
                fields: fields(&def.fields, origin.at("/fields")),
                examples: def.examples.clone(),
                upcast: None,
                at: String::new(),
            });
            system.events.entry(name.clone()).or_insert(Event {
                name: name.clone(),
                owner: def.owner.clone(),
                external: def.external,
                entity: def.entity.clone(),
                description: def.description.clone(),
                deprecated: def.deprecated,
                versions,
                origin,
            });
        }
        for (name, def) in &spec.services {
            let origin = origin("services", name);
            let entities = def
                .entities
                .iter()
                .map(|(entity, e)| {
                    let at = origin.at(&format!("/entities/{}/fields", escape_token(entity)));
                    let entity_model = Entity {
                        name: entity.clone(),
                        description: e.description.clone(),
                        key: e.key.clone(),
                        fields: fields(&e.fields, at),
                    };
                    (entity.clone(), entity_model)
                })
                .collect();
            let views = def
                .views
                .iter()
                .map(|(view, v)| {
                    let at = origin.at(&format!("/views/{}/fields", escape_token(view)));
                    let view_model = View {
                        name: view.clone(),
                        description: v.description.clone(),
                        key: v.key.clone(),
                        indexes: v.indexes.clone(),
                        fields: fields(&v.fields, at),
                        projections: v
                            .projections
                            .iter()
                            .map(|(e, p)| (e.clone(), projection(p, &v.key)))
                            .collect(),
                    };
                    (view.clone(), view_model)
                })
                .collect();
            system.services.entry(name.clone()).or_insert(Service {
                name: name.clone(),
                description: def.description.clone(),
                entities,
                publishes: def
                    .publishes
                    .iter()
                    .map(|p| Publish {
                        event: p.event.clone(),
                        entity: p.entity.clone(),
                        when: p.when.clone(),
                        map: p.map.clone(),
                    })
                    .collect(),
                subscriptions: def
                    .subscribes
                    .iter()
                    .map(|s| Subscription {
                        event: s.event.clone(),
                        filter: s.filter.clone(),
                        description: s.description.clone(),
                    })
                    .collect(),
                views,
                origin,
            });
        }
    }
    (system, errors)
}

/// Gives every field of `fields` (defined at `at`) and of the records inside them its origin,
/// and puts them in the order the spec writes them.
fn place(fields: &mut [Field], at: &Origin, position: &dyn Fn(&Origin) -> usize) {
    for field in fields.iter_mut() {
        field.origin = at.key(&field.name);
        let mut ty = &mut field.ty;
        let mut inner = field.origin.clone();
        loop {
            match &mut ty.kind {
                TypeKind::Array(item) | TypeKind::Map(item) => {
                    inner = inner.key("items");
                    ty = item;
                }
                TypeKind::Record(record) => {
                    place(record, &inner.key("fields"), position);
                    break;
                }
                _ => break,
            }
        }
    }
    fields.sort_by_cached_key(|field| position(&field.origin));
}

/// Resolves a projection; the `delete` shorthand maps each key field from the event field of
/// the same name.
fn projection(def: &ProjectionDef, key: &spec::KeyDef) -> Projection {
    match def {
        ProjectionDef::Keyword(spec::ProjectionKeyword::Delete) => Projection::Delete(
            std::iter::once(&key.partition)
                .chain(key.sort.as_ref())
                .map(|k| (k.clone(), k.clone()))
                .collect(),
        ),
        ProjectionDef::Explicit(spec::Projection::Upsert(map)) => {
            Projection::Upsert(map.iter().map(|(k, s)| (k.clone(), source(s))).collect())
        }
        ProjectionDef::Explicit(spec::Projection::Delete(map)) => Projection::Delete(map.clone()),
        ProjectionDef::Explicit(spec::Projection::Hook(name)) => Projection::Hook(name.clone()),
    }
}

/// Resolves a source: `$name` is metadata when it names one, else a field path (which the
/// validator then reports as unknown).
fn source(def: &SourceDef) -> Source {
    match def {
        SourceDef::Const(c) => Source::Const(c.value.clone()),
        SourceDef::Path(path) => Meta::ALL.iter().find(|(name, _)| name == path).map_or_else(
            || Source::Field(path.clone()),
            |(_, meta)| Source::Meta(*meta),
        ),
    }
}

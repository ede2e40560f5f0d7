//! Lowering: the checked spec becomes the resolved [`ir::System`].
//!
//! Runs only when validation found no error, so every reference resolves and every path
//! exists; a failure here is a bug in cqrsgen ([`LowerError`]), never a finding. Names are
//! resolved to ids, field paths to [`FieldPath`]s, filters compiled to EventBridge patterns,
//! and every generated name computed (through [`crate::naming`]) once.

use std::collections::BTreeMap;

use crate::eventbridge;
use crate::ir::{
    self, Arena, Assignment, CrateNames, EntityId, EnumValue, EventId, EventNames, Field,
    FieldPath, Hook, Id, Index, LowerError, PathStep, Producer, Projection, ProjectionKind, Reader,
    Reads, ServiceId, ServiceNames, Source, Transition, Ty, TypeId, TypeKind, Upcast, ViewKey,
    ViewNames, When,
};
use crate::model::{self, ty::lookup_path};
use crate::naming::{
    app_crate_name, crate_name, field_ident, lower_camel, module_ident, type_ident, variant_ident,
    view_table_env,
};
use crate::spec::{ChangeDef, ChangeKind, KeyDef, Scalar};

/// Lowers a system that validated without errors.
pub fn lower(system: &model::System) -> Result<ir::System, LowerError> {
    Lowering::new(system).run()
}

/// The state of one lowering: the model, and the ids every name resolves to.
struct Lowering<'m> {
    model: &'m model::System,
    records: BTreeMap<String, Vec<model::Field>>,
    types: BTreeMap<&'m str, TypeId>,
    events: BTreeMap<&'m str, EventId>,
    services: BTreeMap<&'m str, ServiceId>,
    /// The ids the entities of each service get: the arena is filled service by service, in
    /// name order.
    entities: BTreeMap<(&'m str, &'m str), EntityId>,
}

fn missing(what: impl std::fmt::Display) -> LowerError {
    LowerError(what.to_string())
}

impl<'m> Lowering<'m> {
    fn new(model: &'m model::System) -> Self {
        let ids = |names: Vec<&'m str>| -> Vec<(&'m str, usize)> {
            names.into_iter().enumerate().map(|(i, n)| (n, i)).collect()
        };
        let mut entities = BTreeMap::new();
        for service in model.services.values() {
            for entity in service.entities.keys() {
                let id = EntityId::from_index(entities.len());
                entities.insert((service.name.as_str(), entity.as_str()), id);
            }
        }
        Self {
            model,
            records: model.records(),
            types: ids(model.types.keys().map(String::as_str).collect())
                .into_iter()
                .map(|(n, i)| (n, TypeId::from_index(i)))
                .collect(),
            events: ids(model.events.keys().map(String::as_str).collect())
                .into_iter()
                .map(|(n, i)| (n, EventId::from_index(i)))
                .collect(),
            services: ids(model.services.keys().map(String::as_str).collect())
                .into_iter()
                .map(|(n, i)| (n, ServiceId::from_index(i)))
                .collect(),
            entities,
        }
    }

    fn run(self) -> Result<ir::System, LowerError> {
        let model = self.model;
        let mut system = ir::System {
            name: model.name.clone(),
            bus: model.bus.clone(),
            description: model.description.clone(),
            runtime: model.runtime.clone(),
            types: Arena::new(),
            events: Arena::new(),
            services: Arena::new(),
            entities: Arena::new(),
            views: Arena::new(),
            acknowledge: model.acknowledge.clone(),
            deploy: ir::deploy::Deploy::resolve(
                model.deploy.as_ref(),
                model.services.keys().map(String::as_str),
            ),
            crates: CrateNames {
                events: crate_name(&model.name, "events"),
            },
        };
        for named in model.types.values() {
            let kind = match &named.kind {
                model::NamedKind::Record(fields) => ir::NamedKind::Record(self.fields(fields)?),
                model::NamedKind::Enum(values) => ir::NamedKind::Enum(enum_values(values)),
            };
            system.types.push(ir::NamedType {
                name: named.name.clone(),
                ident: type_ident(&named.name),
                description: named.description.clone(),
                kind,
                origin: named.origin.clone(),
            });
        }
        for event in model.events.values() {
            let event = self.event(event)?;
            system.events.push(event);
        }
        // Paths resolve against the lowered types, which are complete now.
        for service in model.services.values() {
            let id = system.services.next_id();
            let mut entities = Vec::new();
            for entity in service.entities.values() {
                entities.push(system.entities.push(self.entity(id, service, entity)?));
            }
            let mut views = Vec::new();
            for view in service.views.values() {
                views.push(system.views.push(self.view(id, service, view)?));
            }
            let publishes = service
                .publishes
                .iter()
                .enumerate()
                .map(|(i, publish)| self.publish(&system, service, publish, i))
                .collect::<Result<_, _>>()?;
            let names = service_names(&model.name, &service.name);
            system.services.push(ir::Service {
                name: service.name.clone(),
                description: service.description.clone(),
                entities,
                publishes,
                subscriptions: Vec::new(),
                views,
                names,
                origin: service.origin.clone(),
            });
        }
        for service in model.services.values() {
            let id = self.service_id(&service.name)?;
            let subscriptions = service
                .subscriptions
                .iter()
                .enumerate()
                .map(|(i, subscription)| self.subscription(&system, id, service, subscription, i))
                .collect::<Result<_, _>>()?;
            system.services[id].subscriptions = subscriptions;
        }
        Ok(system)
    }

    fn type_id(&self, name: &str) -> Result<TypeId, LowerError> {
        self.types
            .get(name)
            .copied()
            .ok_or_else(|| missing(format_args!("type `{name}`")))
    }

    fn event_id(&self, name: &str) -> Result<EventId, LowerError> {
        self.events
            .get(name)
            .copied()
            .ok_or_else(|| missing(format_args!("event `{name}`")))
    }

    fn service_id(&self, name: &str) -> Result<ServiceId, LowerError> {
        self.services
            .get(name)
            .copied()
            .ok_or_else(|| missing(format_args!("service `{name}`")))
    }

    fn fields(&self, fields: &[model::Field]) -> Result<Vec<Field>, LowerError> {
        fields.iter().map(|field| self.field(field)).collect()
    }

    fn field(&self, field: &model::Field) -> Result<Field, LowerError> {
        Ok(Field {
            name: field.name.clone(),
            ident: field_ident(&field.name),
            ty: self.ty(&field.ty)?,
            optional: field.optional,
            description: field.description.clone(),
            deprecated: field.deprecated,
            origin: field.origin.clone(),
        })
    }

    fn ty(&self, ty: &model::Ty) -> Result<Ty, LowerError> {
        let kind = match &ty.kind {
            model::TypeKind::String => TypeKind::String,
            model::TypeKind::Integer(width) => TypeKind::Integer(*width),
            model::TypeKind::Number => TypeKind::Number,
            model::TypeKind::Decimal => TypeKind::Decimal,
            model::TypeKind::Boolean => TypeKind::Boolean,
            model::TypeKind::Timestamp => TypeKind::Timestamp,
            model::TypeKind::Date => TypeKind::Date,
            model::TypeKind::Uuid => TypeKind::Uuid,
            model::TypeKind::Enum(values) => TypeKind::Enum(enum_values(values)),
            model::TypeKind::Array(item) => TypeKind::Array(Box::new(self.ty(item)?)),
            model::TypeKind::Map(item) => TypeKind::Map(Box::new(self.ty(item)?)),
            model::TypeKind::Record(fields) => TypeKind::Record(self.fields(fields)?),
            model::TypeKind::Named(name) => TypeKind::Named(self.type_id(name)?),
        };
        Ok(Ty {
            kind,
            constraints: ty.constraints.clone(),
        })
    }

    /// Resolves `path` in `fields` (of the model) into a [`FieldPath`].
    fn path(&self, fields: &[model::Field], path: &str) -> Result<FieldPath, LowerError> {
        let steps = lookup_path(fields, path, &self.records)
            .ok_or_else(|| missing(format_args!("field path `{path}`")))?;
        let last = steps
            .last()
            .ok_or_else(|| missing(format_args!("field path `{path}`")))?;
        Ok(FieldPath {
            ty: self.ty(&last.ty)?,
            steps: steps
                .iter()
                .map(|field| PathStep {
                    name: field.name.clone(),
                    ident: field_ident(&field.name),
                    optional: field.optional,
                })
                .collect(),
        })
    }

    fn event(&self, event: &model::Event) -> Result<ir::Event, LowerError> {
        let producer = match (&event.owner, event.external) {
            (_, true) => Producer::External,
            (Some(owner), false) => Producer::Service(self.service_id(owner)?),
            (None, false) => return Err(missing(format_args!("owner of `{}`", event.name))),
        };
        let ident = type_ident(&event.name);
        let mut versions = Vec::with_capacity(event.versions.len());
        for (i, version) in event.versions.iter().enumerate() {
            let upcast = match (event.versions.get(i + 1), &version.upcast) {
                (None, _) => None,
                (Some(_), Some(hook)) => Some(Upcast::Hook(hook_named(hook))),
                (Some(_), None) => Some(Upcast::Additive),
            };
            versions.push(ir::EventVersion {
                version: version.version,
                description: version.description.clone(),
                fields: self.fields(&version.fields)?,
                examples: version.examples.clone(),
                upcast,
                ident: format!("{ident}V{}", version.version),
                origin: event.origin.at(&version.at),
            });
        }
        Ok(ir::Event {
            name: event.name.clone(),
            producer,
            entity: event.entity.clone(),
            description: event.description.clone(),
            deprecated: event.deprecated,
            versions,
            names: EventNames {
                module: module_ident(&event.name),
                variant: ident.clone(),
                ident,
                entity_key: lower_camel(&event.entity),
                file: event.name.clone(),
            },
            origin: event.origin.clone(),
        })
    }

    fn entity(
        &self,
        service: ServiceId,
        owner: &model::Service,
        entity: &model::Entity,
    ) -> Result<ir::Entity, LowerError> {
        let fields = self.fields(&entity.fields)?;
        let key = position(&fields, &entity.key)?;
        Ok(ir::Entity {
            service,
            name: entity.name.clone(),
            ident: type_ident(&entity.name),
            description: entity.description.clone(),
            key,
            fields,
            origin: owner.origin.key("entities").key(&entity.name),
        })
    }

    fn publish(
        &self,
        system: &ir::System,
        service: &model::Service,
        publish: &model::Publish,
        index: usize,
    ) -> Result<ir::Publish, LowerError> {
        let event = self.event_id(&publish.event)?;
        let entity_id = *self
            .entities
            .get(&(service.name.as_str(), publish.entity.as_str()))
            .ok_or_else(|| missing(format_args!("entity `{}`", publish.entity)))?;
        let entity = service
            .entities
            .get(&publish.entity)
            .ok_or_else(|| missing(format_args!("entity `{}`", publish.entity)))?;
        let when = match &publish.when {
            ChangeDef::Kind(ChangeKind::Insert) => When::Insert,
            ChangeDef::Kind(ChangeKind::Modify) => When::Modify,
            ChangeDef::Kind(ChangeKind::Remove) => When::Remove,
            ChangeDef::Kind(ChangeKind::SoftDelete) => When::SoftDelete,
            ChangeDef::Kind(ChangeKind::Undelete) => When::Undelete,
            ChangeDef::Transition(t) => When::Transition(Box::new(Transition {
                field: self.path(&entity.fields, &t.field)?,
                becomes: literal(&t.becomes),
                from: t.from.iter().map(literal).collect(),
            })),
        };
        // Each event field from the entity path `map` names, or the entity field of the same
        // name; an optional event field without one stays empty.
        let payload = system.events[event]
            .current()
            .fields
            .iter()
            .map(|field| {
                let path = publish.map.get(&field.name).unwrap_or(&field.name);
                match self.path(&entity.fields, path) {
                    Ok(path) => Ok(Some(path)),
                    Err(_) if field.optional && !publish.map.contains_key(&field.name) => Ok(None),
                    Err(error) => Err(error),
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(ir::Publish {
            event,
            entity: entity_id,
            when,
            payload,
            origin: service.origin.key("publishes").index(index),
        })
    }

    fn subscription(
        &self,
        system: &ir::System,
        service_id: ServiceId,
        service: &model::Service,
        subscription: &model::Subscription,
        index: usize,
    ) -> Result<ir::Subscription, LowerError> {
        let event_id = self.event_id(&subscription.event)?;
        let event = &system.events[event_id];
        let pattern = eventbridge::compile(
            subscription.filter.as_ref(),
            &event.names.entity_key,
            &event.name,
            event.source(system),
        )
        .map_err(|error| missing(format_args!("the pattern of `{}`: {error}", event.name)))?;
        let mut reads = Reads::default();
        for path in subscription.filter.iter().flat_map(eventbridge::paths) {
            reads.read(path, Reader::Filter);
        }
        for (view_id, view) in system.views_of(service_id) {
            let reader = Reader::View(view_id);
            for projection in view.projections.iter().filter(|p| p.event == event_id) {
                match &projection.kind {
                    ProjectionKind::Upsert(assignments) | ProjectionKind::Delete(assignments) => {
                        for assignment in assignments {
                            match &assignment.source {
                                Source::Field(path) => reads.read(path.dotted(), reader),
                                Source::Meta(meta) => reads.read_meta(*meta, reader),
                                Source::Const(_) => {}
                            }
                        }
                    }
                    ProjectionKind::Hook(hook) => reads.hooks.push((view_id, hook.clone())),
                }
            }
        }
        Ok(ir::Subscription {
            event: event_id,
            pattern,
            filter: subscription.filter.clone(),
            reads,
            description: subscription.description.clone(),
            origin: service.origin.key("subscribes").index(index),
        })
    }

    fn view(
        &self,
        service: ServiceId,
        owner: &model::Service,
        view: &model::View,
    ) -> Result<ir::View, LowerError> {
        let fields = self.fields(&view.fields)?;
        let origin = owner.origin.key("views").key(&view.name);
        let key = view_key(&fields, &view.key)?;
        let indexes = view
            .indexes
            .iter()
            .map(|(name, def)| {
                Ok(Index {
                    name: name.clone(),
                    key: view_key(&fields, def)?,
                    method: format!("query_{}", module_ident(name)),
                })
            })
            .collect::<Result<_, LowerError>>()?;
        let mut projections = Vec::new();
        for (event_name, projection) in &view.projections {
            let event = self.event_id(event_name)?;
            let event_fields = &self.model.events[event_name].current().fields;
            let source = |source: &model::Source| -> Result<Source, LowerError> {
                Ok(match source {
                    model::Source::Field(path) => Source::Field(self.path(event_fields, path)?),
                    model::Source::Meta(meta) => Source::Meta(*meta),
                    model::Source::Const(value) => Source::Const(literal(value)),
                })
            };
            let kind = match projection {
                model::Projection::Upsert(map) => {
                    let mut assignments = map
                        .iter()
                        .map(|(target, src)| {
                            Ok(Assignment {
                                field: position(&fields, target)?,
                                source: source(src)?,
                            })
                        })
                        .collect::<Result<Vec<_>, LowerError>>()?;
                    assignments.sort_by_key(|a| a.field);
                    ProjectionKind::Upsert(assignments)
                }
                model::Projection::Delete(map) => ProjectionKind::Delete(
                    key.fields()
                        .map(|field| {
                            let name = &fields[field].name;
                            let path = map
                                .get(name)
                                .ok_or_else(|| missing(format_args!("delete key `{name}`")))?;
                            Ok(Assignment {
                                field,
                                source: Source::Field(self.path(event_fields, path)?),
                            })
                        })
                        .collect::<Result<_, LowerError>>()?,
                ),
                model::Projection::Hook(name) => ProjectionKind::Hook(hook_named(name)),
            };
            projections.push(Projection {
                event,
                kind,
                origin: origin.key("projections").key(event_name),
            });
        }
        let row = type_ident(&view.name);
        Ok(ir::View {
            service,
            name: view.name.clone(),
            description: view.description.clone(),
            key,
            indexes,
            fields,
            projections,
            names: ViewNames {
                key: format!("{row}Key"),
                store: format!("{row}View"),
                member: module_ident(&view.name),
                table_env: view_table_env(&view.name),
                row,
            },
            origin,
        })
    }
}

/// The names of service `service` of system `system`.
fn service_names(system: &str, service: &str) -> ServiceNames {
    let package = crate_name(system, service);
    let app = app_crate_name(system, service);
    ServiceNames {
        crate_ident: module_ident(&package),
        app_dir: format!("app/{service}"),
        app_ident: module_ident(&app),
        app_crate: app,
        trigger_binary: format!("{package}-trigger"),
        listener_binary: format!("{package}-listener"),
        crate_name: package,
    }
}

/// The index of the field named `name`.
fn position(fields: &[Field], name: &str) -> Result<usize, LowerError> {
    fields
        .iter()
        .position(|f| f.name == name)
        .ok_or_else(|| missing(format_args!("field `{name}`")))
}

fn view_key(fields: &[Field], key: &KeyDef) -> Result<ViewKey, LowerError> {
    Ok(ViewKey {
        partition: position(fields, &key.partition)?,
        sort: key
            .sort
            .as_deref()
            .map(|sort| position(fields, sort))
            .transpose()?,
    })
}

fn enum_values(values: &[String]) -> Vec<EnumValue> {
    values
        .iter()
        .map(|value| EnumValue {
            wire: value.clone(),
            variant: variant_ident(value),
        })
        .collect()
}

fn hook_named(name: &str) -> Hook {
    Hook {
        name: name.to_owned(),
        method: module_ident(name),
    }
}

fn literal(value: &Scalar) -> ir::Literal {
    match value {
        Scalar::Bool(b) => ir::Literal::Bool(*b),
        Scalar::Number(n) => ir::Literal::Number(n.clone()),
        Scalar::String(s) => ir::Literal::String(s.clone()),
    }
}

//! The content of the catalog: one [`Page`] per event, service and view, the shared types,
//! the index and, when the project has a volumes file, the cost estimate, built from the
//! resolved system. What each consumer reads of an event and the
//! pattern that delivers it come with its subscription ([`Subscription::reads`],
//! [`Subscription::pattern`]).

use std::collections::BTreeSet;

use super::doc::{Block, DiagramRef, Inline, Line, Page, Target, code, link, text};
use crate::cost::render::{self, SummaryRow};
use crate::cost::{Estimate, RowKind};
use crate::ir::{
    Assignment, Constraints, Event, EventId, EventVersion, Field, Literal, NamedKind, Producer,
    ProjectionKind, Publish, Reader, Service, ServiceId, Source, Subscription, System, Ty,
    TypeKind, Upcast, View, ViewKey, When,
};

/// A consumer of an event: the service and its subscription.
type Consumer<'a> = (&'a Service, &'a Subscription);

/// Every page, index first, then events, services, views, types and, with an estimate, the
/// cost.
pub fn all(system: &System, estimate: Option<&Estimate>) -> Vec<Page> {
    let mut pages = vec![index(system, estimate)];
    pages.extend(system.events.iter().map(|(id, e)| event(system, id, e)));
    pages.extend(system.services.iter().map(|(id, s)| service(system, id, s)));
    pages.extend(system.views.values().map(|v| view(system, v)));
    pages.push(types(system));
    pages.extend(estimate.map(cost));
    pages
}

fn index(system: &System, estimate: Option<&Estimate>) -> Page {
    let mut page = Page::new(Target::Index, "System", &system.name);
    page.text(system.description.as_deref());
    page.push(Block::Paragraph(vec![
        Inline::Text("Events travel on the EventBridge bus ".into()),
        Inline::Code(system.bus.clone()),
        Inline::Text(". ".into()),
        Inline::Code("index.html".into()),
        Inline::Text(" holds all of this on one page, with search.".into()),
    ]));
    page.section("System flow");
    page.push(Block::Diagram(DiagramRef::System));
    page.section("Events");
    let rows = system
        .events
        .iter()
        .map(|(id, e)| {
            let consumers: BTreeSet<&str> = system
                .consumers(id)
                .map(|(service, _)| system.services[service].name.as_str())
                .collect();
            vec![
                link(&e.name, Target::Event(e.name.clone())),
                owner(system, e),
                text(e.current().version.to_string()),
                join(
                    consumers
                        .iter()
                        .map(|c| link(*c, Target::Service((*c).to_owned()))),
                ),
                text(summary(e.description.as_deref())),
            ]
        })
        .collect();
    page.push(Block::Table {
        head: vec!["Event", "Owner", "Version", "Consumers", "Description"],
        rows,
    });
    page.section("Services");
    let rows = system
        .services
        .iter()
        .map(|(id, s)| {
            let published = s.publishes.iter().map(|p| p.event);
            let consumed = s.subscriptions.iter().map(|p| p.event);
            vec![
                link(&s.name, Target::Service(s.name.clone())),
                event_links(system, published),
                event_links(system, consumed),
                join(system.views_of(id).map(|(_, v)| view_link(system, v))),
                text(summary(s.description.as_deref())),
            ]
        })
        .collect();
    page.push(Block::Table {
        head: vec!["Service", "Publishes", "Consumes", "Views", "Description"],
        rows,
    });
    page.section("Views");
    let rows = system
        .views
        .values()
        .map(|v| {
            vec![
                view_link(system, v),
                service_link(&system.services[v.service]),
                key_line(v, v.key),
                built_from(system, v),
            ]
        })
        .collect();
    page.push(Block::Table {
        head: vec!["View", "Service", "Key", "Built from"],
        rows,
    });
    if !system.types.is_empty() {
        page.section("Shared types");
        page.push(Block::Paragraph(join(
            system
                .types
                .values()
                .map(|t| link(&t.name, Target::Type(t.name.clone()))),
        )));
    }
    if let Some(estimate) = estimate {
        page.section("Cost");
        let mut line = text(format!(
            "About {} a month under the project's volumes; per service and line item: ",
            render::money(estimate.total())
        ));
        line.extend(link("cost", Target::Cost));
        line.extend(text("."));
        page.push(Block::Paragraph(line));
    }
    page
}

/// The monthly cost estimate (`cqrsgen cost`'s tables) of the project's volumes file.
fn cost(estimate: &Estimate) -> Page {
    let mut page = Page::new(Target::Cost, "Cost", &estimate.system);
    page.push(Block::Paragraph(text(format!(
        "What the system costs a month, from the spec and the project's volumes file (`cqrsgen cost` prints the same). {}",
        render::prices_line(estimate)
    ))));
    let rows = render::summary(estimate)
        .into_iter()
        .map(|(row, amounts)| {
            let name = match row {
                SummaryRow::Row(row) if row.kind == RowKind::Service => {
                    link(&row.name, Target::Service(row.name.clone()))
                }
                SummaryRow::Row(row) => text(&row.name),
                SummaryRow::FreeTier => text("free tier"),
                SummaryRow::Total => text("Total"),
            };
            std::iter::once(name)
                .chain(amounts.into_iter().map(text))
                .collect()
        })
        .collect();
    page.push(Block::Table {
        head: render::SUMMARY_HEAD.to_vec(),
        rows,
    });
    page.text(Some(&render::split_line(estimate)));
    page.section("Line items");
    let rows = render::line_items(estimate)
        .into_iter()
        .map(|cells| cells.into_iter().map(text).collect())
        .collect();
    page.push(Block::Table {
        head: render::LINE_ITEMS_HEAD.to_vec(),
        rows,
    });
    page.section("Assumptions");
    for assumption in &estimate.assumptions {
        page.text(Some(assumption));
    }
    page
}

fn event(system: &System, id: EventId, event: &Event) -> Page {
    let mut page = Page::new(Target::Event(event.name.clone()), "Event", &event.name);
    page.text(event.description.as_deref());
    if event.deprecated {
        page.push(Block::Paragraph(vec![Inline::Emphasis(
            "Deprecated: consumers should move off this event.".into(),
        )]));
    }
    let consumers: Vec<Consumer<'_>> = system
        .consumers(id)
        .map(|(service, subscription)| (&system.services[service], subscription))
        .collect();
    let versions: Vec<String> = event
        .versions
        .iter()
        .map(|v| v.version.to_string())
        .collect();
    page.push(Block::Table {
        head: vec!["", ""],
        rows: vec![
            vec![text("Owner"), owner(system, event)],
            vec![
                text("Entity"),
                vec![
                    Inline::Code(event.entity.clone()),
                    Inline::Text(" (under ".into()),
                    Inline::Code(format!("detail.{}", event.names.entity_key)),
                    Inline::Text(" in the envelope)".into()),
                ],
            ],
            vec![text("Versions"), text(versions.join(", "))],
            vec![
                text("Consumers"),
                join(consumers.iter().map(|(service, _)| service_link(service))),
            ],
        ],
    });
    let current = event.current();
    page.section(&format!("Fields (version {})", current.version));
    page.push(fields_table(system, &current.fields, Some(&consumers)));
    examples(&mut page, current);
    page.section("Consumers");
    if consumers.is_empty() {
        page.push(Block::Paragraph(text("No service consumes this event.")));
    }
    for (service, subscription) in &consumers {
        page.push(Block::Heading {
            level: 3,
            text: service_link(service),
            anchor: None,
        });
        consumer_blocks(&mut page, system, subscription);
    }
    let previous = &event.versions[..event.versions.len().saturating_sub(1)];
    if !previous.is_empty() {
        page.section("Previous versions");
    }
    for version in previous.iter().rev() {
        page.push(Block::Heading {
            level: 3,
            text: text(format!("Version {}", version.version)),
            anchor: None,
        });
        page.text(version.description.as_deref());
        page.push(Block::Paragraph(match &version.upcast {
            Some(Upcast::Hook(hook)) => vec![
                Inline::Text("Upgraded to the next version by the hook ".into()),
                Inline::Code(hook.name.clone()),
                Inline::Text(".".into()),
            ],
            Some(Upcast::Additive) | None => text("The next version only adds optional fields."),
        }));
        page.push(fields_table(system, &version.fields, None));
        examples(&mut page, version);
    }
    page
}

/// What a subscription reads of its event and the pattern that delivers it.
fn consumer_blocks(page: &mut Page, system: &System, subscription: &Subscription) {
    let reads = &subscription.reads;
    page.text(subscription.description.as_deref());
    if reads.fields.is_empty() && !reads.everything() {
        page.push(Block::Paragraph(text(
            "Reads no field: only that the event happened.",
        )));
    }
    if !reads.fields.is_empty() {
        let rows = reads
            .fields
            .iter()
            .map(|(path, readers)| {
                let readers = readers.iter().map(|r| match r {
                    Reader::Filter => text("filter"),
                    Reader::View(view) => {
                        let mut line = text("view ");
                        line.extend(view_link(system, &system.views[*view]));
                        line
                    }
                });
                vec![code(path), join(readers)]
            })
            .collect();
        page.push(Block::Table {
            head: vec!["Field", "Read by"],
            rows,
        });
    }
    for (view, hook) in &reads.hooks {
        let mut line = text("View ");
        line.extend(view_link(system, &system.views[*view]));
        line.push(Inline::Text(" runs the hook ".into()));
        line.push(Inline::Code(hook.name.clone()));
        line.push(Inline::Text(", which may read any field.".into()));
        page.push(Block::Paragraph(line));
    }
    page.push(Block::Paragraph(text("EventBridge pattern:")));
    page.push(Block::Code {
        lang: "json",
        text: serde_json::to_string_pretty(&subscription.pattern.to_json()).unwrap_or_default(),
    });
}

fn examples(page: &mut Page, version: &EventVersion) {
    for (i, example) in version.examples.iter().enumerate() {
        page.push(Block::Paragraph(vec![Inline::Emphasis(format!(
            "Example {} (version {})",
            i + 1,
            version.version
        ))]));
        page.push(Block::Code {
            lang: "json",
            text: serde_json::to_string_pretty(example).unwrap_or_default(),
        });
    }
}

fn service(system: &System, id: ServiceId, service: &Service) -> Page {
    let mut page = Page::new(
        Target::Service(service.name.clone()),
        "Service",
        &service.name,
    );
    page.text(service.description.as_deref());
    page.push(Block::Diagram(DiagramRef::Service(service.name.clone())));
    if !service.entities.is_empty() {
        page.section("Entities");
    }
    for (_, entity) in system.entities_of(id) {
        page.push(Block::Heading {
            level: 3,
            text: code(&entity.name),
            anchor: None,
        });
        page.text(entity.description.as_deref());
        let mut key = text("Key: ");
        key.push(Inline::Code(entity.key_field().name.clone()));
        page.push(Block::Paragraph(key));
        page.push(fields_table(system, &entity.fields, None));
    }
    if !service.publishes.is_empty() {
        page.section("Publishes");
        let rows = service
            .publishes
            .iter()
            .map(|p| {
                let event = &system.events[p.event].name;
                vec![
                    link(event, Target::Event(event.clone())),
                    code(&system.entities[p.entity].name),
                    text(change(&p.when)),
                    renamed(system, p),
                ]
            })
            .collect();
        page.push(Block::Table {
            head: vec!["Event", "Entity", "When", "Fields renamed"],
            rows,
        });
    }
    if !service.subscriptions.is_empty() {
        page.section("Consumes");
    }
    for subscription in &service.subscriptions {
        let event = &system.events[subscription.event].name;
        page.push(Block::Heading {
            level: 3,
            text: link(event, Target::Event(event.clone())),
            anchor: None,
        });
        consumer_blocks(&mut page, system, subscription);
    }
    if !service.views.is_empty() {
        page.section("Views");
        let rows = system
            .views_of(id)
            .map(|(_, v)| {
                vec![
                    view_link(system, v),
                    key_line(v, v.key),
                    built_from(system, v),
                    text(summary(v.description.as_deref())),
                ]
            })
            .collect();
        page.push(Block::Table {
            head: vec!["View", "Key", "Built from", "Description"],
            rows,
        });
    }
    page
}

/// The event fields a publication fills from an entity field of another name: `event ←
/// entity path`, in the event's field order, joined into one line.
fn renamed(system: &System, publish: &Publish) -> Line {
    let fields = &system.events[publish.event].current().fields;
    let renamed: Vec<(&str, String)> = fields
        .iter()
        .zip(&publish.payload)
        .filter_map(|(field, path)| {
            let path = path.as_ref()?.dotted();
            (path != field.name).then_some((field.name.as_str(), path))
        })
        .collect();
    join(renamed.into_iter().map(|(field, path)| {
        vec![
            Inline::Code(field.to_owned()),
            Inline::Text(" ← ".into()),
            Inline::Code(path),
        ]
    }))
}

fn view(system: &System, view: &View) -> Page {
    let service = &system.services[view.service];
    let mut page = Page::new(view_target(system, view), "View", &view.name);
    let mut owner = text("A read model of ");
    owner.extend(service_link(service));
    owner.push(Inline::Text(", in its own table.".into()));
    page.push(Block::Paragraph(owner));
    page.text(view.description.as_deref());
    let mut rows = vec![vec![text("table"), key_line(view, view.key)]];
    rows.extend(view.indexes.iter().map(|index| {
        let mut name = code(&index.name);
        name.push(Inline::Text(" (index)".into()));
        vec![name, key_line(view, index.key)]
    }));
    page.push(Block::Table {
        head: vec!["Key of", "Partition / sort"],
        rows,
    });
    page.section("Fields");
    page.push(fields_table(system, &view.fields, None));
    page.section("Projections");
    for projection in &view.projections {
        let event = &system.events[projection.event].name;
        let mut heading = link(event, Target::Event(event.clone()));
        let (verb, assignments) = match &projection.kind {
            ProjectionKind::Upsert(assignments) => (" creates or updates the row", assignments),
            ProjectionKind::Delete(assignments) => (" deletes the row", assignments),
            ProjectionKind::Hook(hook) => {
                page.push(Block::Heading {
                    level: 3,
                    text: heading,
                    anchor: None,
                });
                let mut line = text("Handled by the hook ");
                line.push(Inline::Code(hook.name.clone()));
                line.push(Inline::Text(".".into()));
                page.push(Block::Paragraph(line));
                continue;
            }
        };
        heading.push(Inline::Text(verb.into()));
        page.push(Block::Heading {
            level: 3,
            text: heading,
            anchor: None,
        });
        page.push(Block::Table {
            head: vec!["View field", "From"],
            rows: by_field_name(view, assignments)
                .map(|(field, source)| vec![code(field), source_line(source)])
                .collect(),
        });
    }
    page
}

/// The assignments of a projection of `view` with their view field's name, in the spec's
/// order.
fn by_field_name<'a>(
    view: &'a View,
    assignments: &'a [Assignment],
) -> impl Iterator<Item = (&'a str, &'a Source)> {
    assignments
        .iter()
        .map(|a| (view.fields[a.field].name.as_str(), &a.source))
}

fn types(system: &System) -> Page {
    let mut page = Page::new(Target::Types, "Types", "Shared types");
    page.push(Block::Paragraph(text(
        "Named types that events, entities and views use by name.",
    )));
    for named in system.types.values() {
        page.push(Block::Heading {
            level: 3,
            text: code(&named.name),
            anchor: Some(Target::Type(named.name.clone())),
        });
        page.text(named.description.as_deref());
        match &named.kind {
            NamedKind::Record(fields) => page.push(fields_table(system, fields, None)),
            NamedKind::Enum(values) => {
                let mut line = text("One of: ");
                line.extend(join(values.iter().map(|v| code(&v.wire))));
                page.push(Block::Paragraph(line));
            }
        }
    }
    page
}

/// A table of fields, inline records flattened to dotted paths. With `consumers`, a column
/// says who reads each field (or a part of it).
fn fields_table(system: &System, fields: &[Field], consumers: Option<&[Consumer<'_>]>) -> Block {
    let mut flat = Vec::new();
    flatten(fields, "", &mut flat);
    let mut head = vec!["Field", "Type", "Required", "Constraints", "Description"];
    if consumers.is_some() {
        head.push("Read by");
    }
    let rows = flat
        .into_iter()
        .map(|(path, field)| {
            let mut description = field.description.clone().unwrap_or_default();
            if field.deprecated {
                description = format!("Deprecated. {description}").trim_end().to_owned();
            }
            let mut row = vec![
                code(&path),
                type_line(system, &field.ty),
                text(if field.optional { "no" } else { "yes" }),
                constraints(&field.ty.constraints),
                text(description),
            ];
            if let Some(consumers) = consumers {
                let prefix = format!("{path}.");
                let readers = consumers
                    .iter()
                    .filter(|(_, subscription)| {
                        subscription
                            .reads
                            .fields
                            .keys()
                            .any(|read| *read == path || read.starts_with(&prefix))
                    })
                    .map(|(service, _)| service_link(service));
                row.push(join(readers));
            }
            row
        })
        .collect();
    Block::Table { head, rows }
}

fn flatten<'a>(fields: &'a [Field], prefix: &str, out: &mut Vec<(String, &'a Field)>) {
    for field in fields {
        let path = format!("{prefix}{}", field.name);
        out.push((path.clone(), field));
        if let TypeKind::Record(inner) = &field.ty.kind {
            flatten(inner, &format!("{path}."), out);
        }
    }
}

/// A type, linked to the shared type it names.
fn type_line(system: &System, ty: &Ty) -> Line {
    let named = match &ty.kind {
        TypeKind::Named(id) => Some(id),
        TypeKind::Array(item) | TypeKind::Map(item) => match &item.kind {
            TypeKind::Named(id) => Some(id),
            _ => None,
        },
        _ => None,
    };
    let described = ty.kind.describe(system);
    match named {
        Some(id) => link(described, Target::Type(system.types[*id].name.clone())),
        None => code(described),
    }
}

/// Constraints in words, e.g. `value 0.., length 1..100`; patterns as code.
fn constraints(c: &Constraints) -> Line {
    fn range<T: std::fmt::Display>(min: Option<T>, max: Option<T>) -> Option<String> {
        match (min, max) {
            (None, None) => None,
            (min, max) => Some(format!(
                "{}..{}",
                min.map(|v| v.to_string()).unwrap_or_default(),
                max.map(|v| v.to_string()).unwrap_or_default()
            )),
        }
    }
    let words = [
        range(c.min, c.max).map(|r| format!("value {r}")),
        range(c.min_length, c.max_length).map(|r| format!("length {r}")),
        range(c.min_items, c.max_items).map(|r| format!("items {r}")),
        c.format.map(|f| format!("format {}", f.as_str())),
    ];
    let mut parts: Vec<Line> = words.into_iter().flatten().map(text).collect();
    if let Some(pattern) = &c.pattern {
        let mut line = text("pattern ");
        line.push(Inline::Code(pattern.clone()));
        parts.push(line);
    }
    join(parts.into_iter())
}

fn source_line(source: &Source) -> Line {
    match source {
        Source::Field(path) => code(path.dotted()),
        Source::Meta(meta) => {
            let mut line = code(meta.spelling());
            line.push(Inline::Text(" (envelope)".into()));
            line
        }
        Source::Const(value) => {
            let mut line = code(literal(value));
            line.push(Inline::Text(" (constant)".into()));
            line
        }
    }
}

fn change(when: &When) -> String {
    match when {
        When::Insert => "created".to_owned(),
        When::Modify => "changed".to_owned(),
        When::Remove => "removed".to_owned(),
        When::SoftDelete => "soft-deleted".to_owned(),
        When::Undelete => "undeleted".to_owned(),
        When::Transition(t) => {
            let from = if t.from.is_empty() {
                String::new()
            } else {
                let from: Vec<String> = t.from.iter().map(literal).collect();
                format!(" from {}", from.join(" or "))
            };
            format!("{} becomes {}{from}", t.field.dotted(), literal(&t.becomes))
        }
    }
}

fn literal(value: &Literal) -> String {
    match value {
        Literal::Bool(b) => b.to_string(),
        Literal::Number(n) => n.to_string(),
        Literal::String(s) => s.clone(),
    }
}

/// A key of `view`: partition, then sort.
fn key_line(view: &View, key: ViewKey) -> Line {
    let mut line = code(&view.fields[key.partition].name);
    if let Some(sort) = key.sort {
        line.push(Inline::Text(" / ".into()));
        line.push(Inline::Code(view.fields[sort].name.clone()));
    }
    line
}

fn owner(system: &System, event: &Event) -> Line {
    match event.producer {
        Producer::Service(owner) => service_link(&system.services[owner]),
        Producer::External => vec![Inline::Emphasis("outside the system".into())],
    }
}

fn service_link(service: &Service) -> Line {
    link(&service.name, Target::Service(service.name.clone()))
}

fn view_target(system: &System, view: &View) -> Target {
    Target::View(
        system.services[view.service].name.clone(),
        view.name.clone(),
    )
}

fn view_link(system: &System, view: &View) -> Line {
    link(&view.name, view_target(system, view))
}

/// Links to `events`, each once, in name order.
fn event_links(system: &System, events: impl Iterator<Item = EventId>) -> Line {
    // Events are in name order, so their ids are too.
    let events: BTreeSet<EventId> = events.collect();
    join(events.into_iter().map(|id| {
        let name = &system.events[id].name;
        link(name, Target::Event(name.clone()))
    }))
}

/// Links to the events `view` projects.
fn built_from(system: &System, view: &View) -> Line {
    event_links(system, view.projections.iter().map(|p| p.event))
}

/// Lines joined with `, `.
fn join(lines: impl Iterator<Item = Line>) -> Line {
    let mut out = Line::new();
    for line in lines {
        if !out.is_empty() {
            out.push(Inline::Text(", ".into()));
        }
        out.extend(line);
    }
    out
}

/// The first sentence of a description, for tables: up to the first `. ` before a capital
/// letter (so `e.g. x` does not end it).
fn summary(description: Option<&str>) -> String {
    let text = description.unwrap_or_default().trim();
    let end = text.match_indices(". ").find_map(|(i, _)| {
        text[i + 2..]
            .starts_with(|c: char| c.is_uppercase())
            .then_some(i)
    });
    match end {
        Some(end) => text[..=end].to_owned(),
        None => text.to_owned(),
    }
}

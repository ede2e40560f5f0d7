//! The content of the catalog: one [`Page`] per event, service and view, the shared types and
//! the index, built from the model and the [usage analysis](super::usage).

use std::collections::BTreeSet;

use super::doc::{Block, DiagramRef, Inline, Line, Page, Target, code, link, text};
use super::usage::{Consumer, Reader, Usage, meta_name};
use crate::model::{
    Constraints, Event, EventVersion, Field, NamedKind, Projection, Service, Source, System, Ty,
    TypeKind, View,
};
use crate::spec::{ChangeDef, ChangeKind, KeyDef, Scalar};

/// Every page, index first, then events, services, views and types.
pub fn all(system: &System, usage: &Usage<'_>) -> Vec<Page> {
    let mut pages = vec![index(system, usage)];
    pages.extend(system.events.values().map(|e| event(e, usage)));
    pages.extend(system.services.values().map(|s| service(s, usage)));
    for service in system.services.values() {
        pages.extend(service.views.values().map(|v| view(service, v)));
    }
    pages.push(types(system));
    pages
}

fn index(system: &System, usage: &Usage<'_>) -> Page {
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
        .values()
        .map(|e| {
            let consumers: BTreeSet<&str> = usage
                .get(e.name.as_str())
                .into_iter()
                .flatten()
                .map(|c| c.service.name.as_str())
                .collect();
            vec![
                link(&e.name, Target::Event(e.name.clone())),
                owner(e),
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
        .values()
        .map(|s| {
            let published: BTreeSet<&str> = s.publishes.iter().map(|p| p.event.as_str()).collect();
            let consumed: BTreeSet<&str> =
                s.subscriptions.iter().map(|p| p.event.as_str()).collect();
            vec![
                link(&s.name, Target::Service(s.name.clone())),
                event_links(published),
                event_links(consumed),
                join(
                    s.views
                        .keys()
                        .map(|v| link(v, Target::View(s.name.clone(), v.clone()))),
                ),
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
        .services
        .values()
        .flat_map(|s| s.views.values().map(move |v| (s, v)))
        .map(|(s, v)| {
            vec![
                link(&v.name, Target::View(s.name.clone(), v.name.clone())),
                link(&s.name, Target::Service(s.name.clone())),
                key_line(&v.key),
                event_links(v.projections.keys().map(String::as_str).collect()),
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
                .keys()
                .map(|t| link(t, Target::Type(t.clone()))),
        )));
    }
    page
}

fn event(event: &Event, usage: &Usage<'_>) -> Page {
    let mut page = Page::new(Target::Event(event.name.clone()), "Event", &event.name);
    page.text(event.description.as_deref());
    if event.deprecated {
        page.push(Block::Paragraph(vec![Inline::Emphasis(
            "Deprecated: consumers should move off this event.".into(),
        )]));
    }
    let consumers = usage
        .get(event.name.as_str())
        .map(Vec::as_slice)
        .unwrap_or_default();
    let versions: Vec<String> = event
        .versions
        .iter()
        .map(|v| v.version.to_string())
        .collect();
    page.push(Block::Table {
        head: vec!["", ""],
        rows: vec![
            vec![text("Owner"), owner(event)],
            vec![
                text("Entity"),
                vec![
                    Inline::Code(event.entity.clone()),
                    Inline::Text(" (under ".into()),
                    Inline::Code(format!(
                        "detail.{}",
                        crate::naming::lower_camel(&event.entity)
                    )),
                    Inline::Text(" in the envelope)".into()),
                ],
            ],
            vec![text("Versions"), text(versions.join(", "))],
            vec![
                text("Consumers"),
                join(consumers.iter().map(|c| service_link(c.service))),
            ],
        ],
    });
    let current = event.current();
    page.section(&format!("Fields (version {})", current.version));
    page.push(fields_table(&current.fields, Some(consumers)));
    examples(&mut page, current);
    page.section("Consumers");
    if consumers.is_empty() {
        page.push(Block::Paragraph(text("No service consumes this event.")));
    }
    for consumer in consumers {
        page.push(Block::Heading {
            level: 3,
            text: service_link(consumer.service),
            anchor: None,
        });
        consumer_blocks(&mut page, consumer);
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
            Some(hook) => vec![
                Inline::Text("Upgraded to the next version by the hook ".into()),
                Inline::Code(hook.clone()),
                Inline::Text(".".into()),
            ],
            None => text("The next version only adds optional fields."),
        }));
        page.push(fields_table(&version.fields, None));
        examples(&mut page, version);
    }
    page
}

/// What one consumer reads of an event and the pattern that delivers it.
fn consumer_blocks(page: &mut Page, consumer: &Consumer<'_>) {
    page.text(consumer.subscription.description.as_deref());
    if consumer.reads.is_empty() && consumer.hooks.is_empty() {
        page.push(Block::Paragraph(text(
            "Reads no field: only that the event happened.",
        )));
    }
    if !consumer.reads.is_empty() {
        let rows = consumer
            .reads
            .iter()
            .map(|(path, readers)| {
                let readers = readers.iter().map(|r| match r {
                    Reader::Filter => text("filter"),
                    Reader::View(view) => {
                        let mut line = text("view ");
                        line.extend(link(
                            view,
                            Target::View(consumer.service.name.clone(), view.clone()),
                        ));
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
    for (view, hook) in &consumer.hooks {
        let mut line = text("View ");
        line.extend(link(
            *view,
            Target::View(consumer.service.name.clone(), (*view).to_owned()),
        ));
        line.push(Inline::Text(" runs the hook ".into()));
        line.push(Inline::Code((*hook).to_owned()));
        line.push(Inline::Text(", which may read any field.".into()));
        page.push(Block::Paragraph(line));
    }
    page.push(Block::Paragraph(text("EventBridge pattern:")));
    page.push(Block::Code {
        lang: "json",
        text: serde_json::to_string_pretty(&consumer.pattern.to_json()).unwrap_or_default(),
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

fn service(service: &Service, usage: &Usage<'_>) -> Page {
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
    for entity in service.entities.values() {
        page.push(Block::Heading {
            level: 3,
            text: code(&entity.name),
            anchor: None,
        });
        page.text(entity.description.as_deref());
        let mut key = text("Key: ");
        key.push(Inline::Code(entity.key.clone()));
        page.push(Block::Paragraph(key));
        page.push(fields_table(&entity.fields, None));
    }
    if !service.publishes.is_empty() {
        page.section("Publishes");
        let rows = service
            .publishes
            .iter()
            .map(|p| {
                let map = p.map.iter().map(|(event_field, entity_field)| {
                    vec![
                        Inline::Code(event_field.clone()),
                        Inline::Text(" ← ".into()),
                        Inline::Code(entity_field.clone()),
                    ]
                });
                vec![
                    link(&p.event, Target::Event(p.event.clone())),
                    code(&p.entity),
                    text(change(&p.when)),
                    join(map),
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
        page.push(Block::Heading {
            level: 3,
            text: link(
                &subscription.event,
                Target::Event(subscription.event.clone()),
            ),
            anchor: None,
        });
        let consumer = usage
            .get(subscription.event.as_str())
            .into_iter()
            .flatten()
            .find(|c| std::ptr::eq(c.subscription, subscription));
        match consumer {
            Some(consumer) => consumer_blocks(&mut page, consumer),
            None => page.text(subscription.description.as_deref()),
        }
    }
    if !service.views.is_empty() {
        page.section("Views");
        let rows = service
            .views
            .values()
            .map(|v| {
                vec![
                    link(&v.name, Target::View(service.name.clone(), v.name.clone())),
                    key_line(&v.key),
                    event_links(v.projections.keys().map(String::as_str).collect()),
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

fn view(service: &Service, view: &View) -> Page {
    let target = Target::View(service.name.clone(), view.name.clone());
    let mut page = Page::new(target, "View", &view.name);
    let mut owner = text("A read model of ");
    owner.extend(service_link(service));
    owner.push(Inline::Text(", in its own table.".into()));
    page.push(Block::Paragraph(owner));
    page.text(view.description.as_deref());
    let mut rows = vec![vec![text("table"), key_line(&view.key)]];
    rows.extend(view.indexes.iter().map(|(name, key)| {
        let mut name = code(name);
        name.push(Inline::Text(" (index)".into()));
        vec![name, key_line(key)]
    }));
    page.push(Block::Table {
        head: vec!["Key of", "Partition / sort"],
        rows,
    });
    page.section("Fields");
    page.push(fields_table(&view.fields, None));
    page.section("Projections");
    for (event, projection) in &view.projections {
        let mut heading = link(event, Target::Event(event.clone()));
        let (verb, rows) = match projection {
            Projection::Upsert(sources) => (
                " creates or updates the row",
                sources
                    .iter()
                    .map(|(field, source)| vec![code(field), source_line(source)])
                    .collect(),
            ),
            Projection::Delete(keys) => (
                " deletes the row",
                keys.iter()
                    .map(|(field, path)| vec![code(field), code(path)])
                    .collect(),
            ),
            Projection::Hook(hook) => {
                page.push(Block::Heading {
                    level: 3,
                    text: heading,
                    anchor: None,
                });
                let mut line = text("Handled by the hook ");
                line.push(Inline::Code(hook.clone()));
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
            rows,
        });
    }
    page
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
            NamedKind::Record(fields) => page.push(fields_table(fields, None)),
            NamedKind::Enum(values) => {
                let mut line = text("One of: ");
                line.extend(join(values.iter().map(code)));
                page.push(Block::Paragraph(line));
            }
        }
    }
    page
}

/// A table of fields, inline records flattened to dotted paths. With `consumers`, a column
/// says who reads each field (or a part of it).
fn fields_table(fields: &[Field], consumers: Option<&[Consumer<'_>]>) -> Block {
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
                type_line(&field.ty),
                text(if field.optional { "no" } else { "yes" }),
                constraints(&field.ty.constraints),
                text(description),
            ];
            if let Some(consumers) = consumers {
                let prefix = format!("{path}.");
                let readers = consumers
                    .iter()
                    .filter(|c| {
                        c.reads
                            .keys()
                            .any(|read| *read == path || read.starts_with(&prefix))
                    })
                    .map(|c| service_link(c.service));
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
fn type_line(ty: &Ty) -> Line {
    let named = match &ty.kind {
        TypeKind::Named(name) => Some(name),
        TypeKind::Array(item) | TypeKind::Map(item) => match &item.kind {
            TypeKind::Named(name) => Some(name),
            _ => None,
        },
        _ => None,
    };
    match named {
        Some(name) => link(ty.kind.describe(), Target::Type(name.clone())),
        None => code(ty.kind.describe()),
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
        Source::Field(path) => code(path),
        Source::Meta(meta) => {
            let mut line = code(meta_name(*meta));
            line.push(Inline::Text(" (envelope)".into()));
            line
        }
        Source::Const(value) => {
            let mut line = code(scalar(value));
            line.push(Inline::Text(" (constant)".into()));
            line
        }
    }
}

fn change(when: &ChangeDef) -> String {
    match when {
        ChangeDef::Kind(kind) => match kind {
            ChangeKind::Insert => "created",
            ChangeKind::Modify => "changed",
            ChangeKind::Remove => "removed",
            ChangeKind::SoftDelete => "soft-deleted",
            ChangeKind::Undelete => "undeleted",
        }
        .to_owned(),
        ChangeDef::Transition(t) => {
            let from = if t.from.is_empty() {
                String::new()
            } else {
                let from: Vec<String> = t.from.iter().map(scalar).collect();
                format!(" from {}", from.join(" or "))
            };
            format!("{} becomes {}{from}", t.field, scalar(&t.becomes))
        }
    }
}

fn scalar(value: &Scalar) -> String {
    match value {
        Scalar::Bool(b) => b.to_string(),
        Scalar::Number(n) => n.to_string(),
        Scalar::String(s) => s.clone(),
    }
}

fn key_line(key: &KeyDef) -> Line {
    let mut line = code(&key.partition);
    if let Some(sort) = &key.sort {
        line.push(Inline::Text(" / ".into()));
        line.push(Inline::Code(sort.clone()));
    }
    line
}

fn owner(event: &Event) -> Line {
    match (&event.owner, event.external) {
        (Some(owner), false) => link(owner, Target::Service(owner.clone())),
        _ => vec![Inline::Emphasis("outside the system".into())],
    }
}

fn service_link(service: &Service) -> Line {
    link(&service.name, Target::Service(service.name.clone()))
}

fn event_links(events: BTreeSet<&str>) -> Line {
    join(
        events
            .into_iter()
            .map(|e| link(e, Target::Event(e.to_owned()))),
    )
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

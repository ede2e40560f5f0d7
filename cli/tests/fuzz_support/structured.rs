//! Generated specs: proptest strategies for types, services with entities, events derived
//! from the entities (so that most publish rules hold), subscriptions with filters, and
//! views whose projections map the subscribed events' fields. Names come mostly from a
//! random kebab or field grammar and sometimes from a pool of names that are hostile to
//! the generated code (keywords, reserved modules and crates, near-collisions), so that both
//! valid specs and specs with located errors come out. Every value is rendered as a quoted
//! YAML scalar: the mutation fuzzer covers YAML's own pitfalls.

use std::fmt::Write as _;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// Kebab names that are hostile to some generated name.
const HOSTILE_KEBAB: &[&str] = &[
    "a",
    "b",
    "a-b",
    "ab",
    "a1",
    "type",
    "self",
    "super",
    "crate",
    "events",
    "hub",
    "runtime",
    "key",
    "view",
    "map",
    "new",
    "option",
    "path",
    "lib",
    "main",
    "serde",
    "types",
    "envelope",
    "validation",
    "patterns",
    "version",
    "write",
    "published",
    "mapper",
    "listener",
    "views",
    "hooks",
    "string",
    "vec",
    "result",
    "from",
    "validate",
    "x-key",
    "x-view",
    "json",
    "x",
];

/// Field names that are hostile to some generated name.
const HOSTILE_FIELDS: &[&str] = &[
    "id",
    "type",
    "self",
    "Self",
    "aB",
    "a_b",
    "ab",
    "value",
    "pk",
    "timestamp",
    "key",
    "x1",
    "x_1",
    "URL",
    "url",
    "view",
    "kind",
    "path",
    "errors",
    "index",
    "deleted",
    "new",
];

/// Enum values.
const VALUES: &[&str] = &[
    "a", "b", "A", "a-b", "A_B", "1st", "self", "NO", "café", "x y", "done", "open", "€",
];

/// A field type.
#[derive(Debug, Clone)]
pub enum Ty {
    /// A builtin scalar.
    Scalar(&'static str),
    /// An inline enum.
    Enum(Vec<String>),
    /// An array.
    Array(Box<Ty>),
    /// A map.
    Map(Box<Ty>),
    /// An inline record.
    Record(Vec<FieldPlan>),
    /// A shared type, by index (modulo the number of types).
    Named(usize),
}

/// A field.
#[derive(Debug, Clone)]
pub struct FieldPlan {
    name: String,
    ty: Ty,
    optional: bool,
    constraint: Option<usize>,
}

/// A shared type.
#[derive(Debug, Clone)]
pub struct TypePlan {
    name: String,
    fields: Option<Vec<FieldPlan>>,
    values: Vec<String>,
}

/// An event, derived from its owner's entity.
#[derive(Debug, Clone)]
pub struct EventPlan {
    name: String,
    owner: usize,
    external: bool,
    fields: Vec<usize>,
    previous: Option<(Vec<usize>, Option<String>)>,
}

/// A publish rule of the owner of an event: when it is published.
#[derive(Debug, Clone)]
pub struct PublishPlan {
    when: usize,
}

/// A subscription.
#[derive(Debug, Clone)]
pub struct SubscriptionPlan {
    event: usize,
    filter: Option<(usize, usize)>,
}

/// A view.
#[derive(Debug, Clone)]
pub struct ViewPlan {
    name: String,
    fields: Vec<usize>,
    optional: Vec<bool>,
    sort: bool,
    index: Option<String>,
    projections: Vec<(usize, usize, String)>,
    extras: usize,
}

/// A service.
#[derive(Debug, Clone)]
pub struct ServicePlan {
    name: String,
    entity: Option<(String, Vec<FieldPlan>)>,
    publishes: Vec<PublishPlan>,
    subscriptions: Vec<SubscriptionPlan>,
    views: Vec<ViewPlan>,
}

/// A whole spec.
#[derive(Debug, Clone)]
pub struct SpecPlan {
    system: String,
    types: Vec<TypePlan>,
    events: Vec<EventPlan>,
    services: Vec<ServicePlan>,
}

fn kebab() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => "[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,3}){0,2}",
        1 => proptest::sample::select(HOSTILE_KEBAB).prop_map(str::to_owned),
    ]
}

fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => "[a-z][a-zA-Z0-9_]{0,6}",
        1 => proptest::sample::select(HOSTILE_FIELDS).prop_map(str::to_owned),
    ]
}

fn values() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop_oneof![
            3 => "[a-z]{1,5}",
            1 => proptest::sample::select(VALUES).prop_map(str::to_owned),
        ],
        1..5,
    )
}

fn scalar() -> impl Strategy<Value = Ty> {
    proptest::sample::select(
        &[
            "string",
            "integer",
            "number",
            "decimal",
            "boolean",
            "timestamp",
            "date",
            "uuid",
        ][..],
    )
    .prop_map(Ty::Scalar)
}

fn ty() -> impl Strategy<Value = Ty> {
    let leaf = prop_oneof![
        6 => scalar(),
        1 => values().prop_map(Ty::Enum),
        1 => (0usize..8).prop_map(Ty::Named),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|t| Ty::Array(Box::new(t))),
            inner.clone().prop_map(|t| Ty::Map(Box::new(t))),
            prop::collection::vec(field_with(inner), 1..4).prop_map(Ty::Record),
        ]
    })
}

/// A constraint, rendered only where it fits the field's type (most of the time).
fn constraint() -> impl Strategy<Value = Option<usize>> {
    prop_oneof![6 => Just(None), 1 => (0usize..64).prop_map(Some)]
}

/// The constraint number `n` for a field of type `ty`: one that fits, or (1 in 16) any.
fn constraint_text(ty: &Ty, n: usize) -> &'static str {
    const ANY: &[&str] = &[
        "min: 0",
        "maxLength: 5",
        "pattern: \"(\"",
        "min: 5\nmax: 1",
        "format: int32",
        "minItems: 1",
        "format: uri",
        "max: 1e400",
    ];
    if n.is_multiple_of(16) {
        return ANY[(n / 16) % ANY.len()];
    }
    let fitting: &[&str] = match ty {
        Ty::Scalar("string") => &[
            "minLength: 1",
            "maxLength: 40",
            "pattern: \"^[a-z]*$\"",
            "format: email",
            "format: hostname",
        ],
        Ty::Scalar("integer") => &["min: 0", "max: 100", "format: int32", "min: -5\nmax: 5"],
        Ty::Scalar("number" | "decimal") => &["min: 0", "max: 10.5", "min: -0.5"],
        Ty::Array(_) => &["minItems: 1", "maxItems: 3"],
        _ => &[],
    };
    fitting.get(n % fitting.len().max(1)).copied().unwrap_or("")
}

fn field_with(ty: impl Strategy<Value = Ty>) -> impl Strategy<Value = FieldPlan> {
    (field_name(), ty, prop::bool::weighted(0.3), constraint()).prop_map(
        |(name, ty, optional, constraint)| FieldPlan {
            name,
            ty,
            optional,
            constraint,
        },
    )
}

fn entity_field_plans() -> impl Strategy<Value = Vec<FieldPlan>> {
    prop::collection::vec(field_with(ty()), 1..6)
}

fn type_plan() -> impl Strategy<Value = TypePlan> {
    (
        kebab(),
        prop::option::weighted(0.6, prop::collection::vec(field_with(scalar()), 1..4)),
        values(),
    )
        .prop_map(|(name, fields, values)| TypePlan {
            name,
            fields,
            values,
        })
}

fn view_plan() -> impl Strategy<Value = ViewPlan> {
    (
        kebab(),
        prop::collection::vec(0usize..8, 1..5),
        prop::collection::vec(prop::bool::weighted(0.7), 5),
        prop::bool::weighted(0.3),
        prop::option::weighted(0.2, kebab().prop_map(|n| format!("by-{n}"))),
        prop::collection::vec((0usize..8, 0usize..10, kebab()), 1..4),
        0usize..4,
    )
        .prop_map(
            |(name, fields, optional, sort, index, projections, extras)| ViewPlan {
                name,
                fields,
                optional,
                sort,
                index,
                projections,
                extras,
            },
        )
}

fn service_plan() -> impl Strategy<Value = ServicePlan> {
    (
        kebab(),
        prop::option::weighted(0.7, (kebab(), entity_field_plans())),
        prop::collection::vec((0usize..8).prop_map(|when| PublishPlan { when }), 0..3),
        prop::collection::vec(
            (
                0usize..8,
                prop::option::weighted(0.3, (0usize..8, 0usize..8)),
            )
                .prop_map(|(event, filter)| SubscriptionPlan { event, filter }),
            0..3,
        ),
        prop::collection::vec(view_plan(), 0..3),
    )
        .prop_map(
            |(name, entity, publishes, subscriptions, views)| ServicePlan {
                name,
                entity,
                publishes,
                subscriptions,
                views,
            },
        )
}

fn event_plan() -> impl Strategy<Value = EventPlan> {
    (
        kebab(),
        0usize..8,
        prop::bool::weighted(0.1),
        prop::collection::vec(0usize..8, 0..5),
        prop::option::weighted(
            0.2,
            (
                prop::collection::vec(0usize..8, 0..4),
                prop::option::of(kebab()),
            ),
        ),
    )
        .prop_map(|(name, owner, external, fields, previous)| EventPlan {
            name,
            owner,
            external,
            fields,
            previous,
        })
}

/// The strategy of whole specs.
pub fn spec() -> impl Strategy<Value = SpecPlan> {
    (
        prop_oneof![4 => "[a-z]{1,6}", 1 => proptest::sample::select(&["cqrsgen", "serde", "rust", "a-b"][..]).prop_map(str::to_owned)],
        prop::collection::vec(type_plan(), 0..4),
        prop::collection::vec(event_plan(), 1..6),
        prop::collection::vec(service_plan(), 1..5),
    )
        .prop_map(|(system, types, events, services)| SpecPlan {
            system,
            types,
            events,
            services,
        })
}

/// A generator of specs from a seed.
pub struct Generator {
    runner: TestRunner,
    strategy: BoxedStrategy<SpecPlan>,
}

impl Generator {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
        Generator {
            runner: TestRunner::new_with_rng(Config::default(), rng),
            strategy: spec().boxed(),
        }
    }

    /// A new spec, as a value tree that can shrink.
    pub fn tree(&mut self) -> Box<dyn ValueTree<Value = SpecPlan>> {
        self.strategy
            .new_tree(&mut self.runner)
            .expect("the spec strategy rejects nothing")
    }
}

/// Shrinks a failing spec: the simplest one proptest finds that still fails `fails`, within
/// `steps` tries.
pub fn shrink(
    tree: &mut impl ValueTree<Value = SpecPlan>,
    mut fails: impl FnMut(&SpecPlan) -> bool,
    steps: usize,
) -> SpecPlan {
    let mut failing = tree.current();
    if !tree.simplify() {
        return failing;
    }
    for _ in 0..steps {
        let candidate = tree.current();
        if fails(&candidate) {
            failing = candidate;
            if !tree.simplify() {
                break;
            }
        } else if !tree.complicate() {
            break;
        }
    }
    failing
}

fn q(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// The items of `items` whose names (by `name`) were not seen before.
fn unique<T>(items: &[T], name: impl Fn(&T) -> &str) -> Vec<&T> {
    let mut seen = std::collections::BTreeSet::new();
    items
        .iter()
        .filter(|i| seen.insert(name(i).to_owned()))
        .collect()
}

fn id_field() -> FieldPlan {
    FieldPlan {
        name: "id".into(),
        ty: Ty::Scalar("uuid"),
        optional: false,
        constraint: None,
    }
}

/// An event as rendered: its owner (a service index) and fields.
struct Event<'a> {
    name: &'a str,
    owner: Option<usize>,
    entity: String,
    fields: Vec<FieldPlan>,
    previous: Option<(Vec<FieldPlan>, Option<&'a str>)>,
}

/// The plan with unique names and references that hold.
struct Resolved<'a> {
    plan: &'a SpecPlan,
    types: Vec<&'a TypePlan>,
    services: Vec<&'a ServicePlan>,
    events: Vec<Event<'a>>,
}

impl SpecPlan {
    /// The spec as the text of a manifest.
    pub fn render(&self) -> String {
        let r = self.resolve();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "cqrsgen: 1\nsystem: {}\nbus: {}",
            q(&self.system),
            q(&format!("{}-hub", self.system))
        );
        if !r.types.is_empty() {
            out.push_str("types:\n");
            for t in &r.types {
                let _ = writeln!(out, "  {}:", q(&t.name));
                match &t.fields {
                    Some(fields) => {
                        out.push_str("    fields:\n");
                        r.fields(&mut out, fields, 6);
                    }
                    None => {
                        let values: Vec<String> = t.values.iter().map(|v| q(v)).collect();
                        let _ = writeln!(out, "    values: [{}]", values.join(", "));
                    }
                }
            }
        }
        out.push_str("events:\n");
        for event in &r.events {
            let _ = writeln!(out, "  {}:", q(event.name));
            match event.owner {
                Some(owner) => {
                    let _ = writeln!(out, "    owner: {}", q(&r.services[owner].name));
                }
                None => out.push_str("    external: true\n"),
            }
            let _ = writeln!(out, "    entity: {}", q(&event.entity));
            if let Some((fields, upcast)) = &event.previous {
                out.push_str("    version: 2\n    previous:\n      - version: 1\n");
                if let Some(hook) = upcast {
                    let _ = writeln!(out, "        upcast: {}", q(hook));
                }
                out.push_str("        fields:\n");
                r.fields(&mut out, fields, 10);
            }
            out.push_str("    fields:\n");
            r.fields(&mut out, &event.fields, 6);
        }
        out.push_str("services:\n");
        for (i, service) in r.services.iter().enumerate() {
            r.service(&mut out, i, service);
        }
        out
    }

    fn resolve(&self) -> Resolved<'_> {
        let types = unique(&self.types, |t| &t.name);
        let services = unique(&self.services, |s| &s.name);
        let producers: Vec<usize> = (0..services.len())
            .filter(|&i| services[i].entity.is_some())
            .collect();
        let mut events = Vec::new();
        for event in unique(&self.events, |e| &e.name) {
            let owner = if event.external || producers.is_empty() {
                None
            } else {
                Some(producers[event.owner % producers.len()])
            };
            let all = owner
                .map(|o| entity_fields(services[o]))
                .unwrap_or_default();
            let mut fields = vec![id_field()];
            for index in &event.fields {
                if let Some(field) = all.get(index % all.len().max(1))
                    && !fields.iter().any(|f| f.name == field.name)
                {
                    fields.push(field.clone());
                }
            }
            let entity = owner
                .and_then(|o| services[o].entity.as_ref())
                .map_or_else(|| "thing".to_owned(), |(name, _)| name.clone());
            let previous = event.previous.as_ref().map(|(drops, upcast)| {
                // Without an upcast, the older version lacks only optional fields: additive.
                let old: Vec<FieldPlan> = fields
                    .iter()
                    .enumerate()
                    .filter(|(i, f)| {
                        !(drops.contains(i)
                            && (f.optional || upcast.is_some() || drops.contains(&7)))
                    })
                    .map(|(_, f)| f.clone())
                    .collect();
                (old, upcast.as_deref())
            });
            events.push(Event {
                name: &event.name,
                owner,
                entity,
                fields,
                previous,
            });
        }
        Resolved {
            plan: self,
            types,
            services,
            events,
        }
    }
}

/// An entity's fields: `id` first, then the plan's (without repeats).
fn entity_fields(service: &ServicePlan) -> Vec<FieldPlan> {
    let mut fields = vec![id_field()];
    if let Some((_, plan)) = &service.entity {
        for field in plan {
            if !fields.iter().any(|f| f.name == field.name) {
                fields.push(field.clone());
            }
        }
    }
    fields
}

impl Resolved<'_> {
    fn fields(&self, out: &mut String, fields: &[FieldPlan], indent: usize) {
        if fields.is_empty() {
            let _ = writeln!(out, "{}{{}}", " ".repeat(indent));
        }
        for field in unique(fields, |f| &f.name) {
            self.field(out, field, indent);
        }
    }

    fn field(&self, out: &mut String, field: &FieldPlan, indent: usize) {
        let pad = " ".repeat(indent);
        let _ = writeln!(out, "{pad}{}:", q(&field.name));
        self.ty(out, &field.ty, indent + 2);
        if field.optional {
            let _ = writeln!(out, "{pad}  optional: true");
        }
        if let Some(n) = field.constraint {
            for part in constraint_text(&field.ty, n).lines() {
                let _ = writeln!(out, "{pad}  {part}");
            }
        }
    }

    fn ty(&self, out: &mut String, ty: &Ty, indent: usize) {
        let pad = " ".repeat(indent);
        match ty {
            Ty::Scalar(name) => {
                let _ = writeln!(out, "{pad}type: {name}");
            }
            Ty::Enum(values) => {
                let values: Vec<String> = values.iter().map(|v| q(v)).collect();
                let _ = writeln!(out, "{pad}type: enum\n{pad}values: [{}]", values.join(", "));
            }
            Ty::Array(item) | Ty::Map(item) => {
                let kind = if matches!(ty, Ty::Array(_)) {
                    "array"
                } else {
                    "map"
                };
                let _ = writeln!(out, "{pad}type: {kind}\n{pad}items:");
                self.ty(out, item, indent + 2);
            }
            Ty::Record(fields) => {
                let _ = writeln!(out, "{pad}type: record\n{pad}fields:");
                self.fields(out, fields, indent + 2);
            }
            Ty::Named(index) => match self.types.get(index % self.types.len().max(1)) {
                Some(t) => {
                    let _ = writeln!(out, "{pad}type: {}", q(&t.name));
                }
                None => {
                    let _ = writeln!(out, "{pad}type: string");
                }
            },
        }
    }

    /// The rendered type, to compare two fields' types.
    fn signature(&self, field: &FieldPlan) -> String {
        let mut out = String::new();
        self.ty(&mut out, &field.ty, 0);
        out
    }

    /// Whether values of `field` can be a key.
    fn keyable(&self, field: &FieldPlan) -> bool {
        !field.optional
            && match &field.ty {
                Ty::Scalar(s) => matches!(*s, "string" | "uuid" | "integer" | "date" | "timestamp"),
                Ty::Enum(_) => true,
                Ty::Named(i) => self
                    .types
                    .get(i % self.types.len().max(1))
                    .is_some_and(|t| t.fields.is_none()),
                _ => false,
            }
    }

    fn service(&self, out: &mut String, index: usize, service: &ServicePlan) {
        let _ = writeln!(
            out,
            "  {}:\n    description: \"Service {index}.\"",
            q(&service.name)
        );
        if let Some((name, _)) = &service.entity {
            let fields = entity_fields(service);
            let _ = writeln!(
                out,
                "    entities:\n      {}:\n        key: id\n        fields:",
                q(name)
            );
            self.fields(out, &fields, 10);
            let owned: Vec<&Event<'_>> = self
                .events
                .iter()
                .filter(|e| e.owner == Some(index))
                .collect();
            if !owned.is_empty() {
                out.push_str("    publishes:\n");
                for (n, event) in owned.iter().enumerate() {
                    let when = service.publishes.get(n).map_or(n, |p| p.when);
                    let when = match when % 7 {
                        0 | 6 => "insert".to_owned(),
                        1 => "modify".to_owned(),
                        2 => "remove".to_owned(),
                        3 => "soft-delete".to_owned(),
                        4 => "undelete".to_owned(),
                        _ => {
                            let field = &fields[when % fields.len()];
                            let becomes = match &field.ty {
                                Ty::Enum(values) => q(&values[0]),
                                Ty::Scalar("integer" | "number") => "1".into(),
                                Ty::Scalar("boolean") => "true".into(),
                                _ => q("x"),
                            };
                            format!("{{ field: {}, becomes: {becomes} }}", q(&field.name))
                        }
                    };
                    let _ = writeln!(
                        out,
                        "      - {{ event: {}, entity: {}, when: {when} }}",
                        q(event.name),
                        q(name)
                    );
                }
            }
        }
        let mut subscribed: Vec<(usize, Option<(usize, usize)>)> = Vec::new();
        for sub in &service.subscriptions {
            let event = sub.event % self.events.len();
            if !subscribed.iter().any(|(e, _)| *e == event) {
                subscribed.push((event, sub.filter));
            }
        }
        if !subscribed.is_empty() {
            out.push_str("    subscribes:\n");
            for (event, filter) in &subscribed {
                let event = &self.events[*event];
                let _ = writeln!(out, "      - event: {}", q(event.name));
                if let Some((field, op)) = filter {
                    let field = &event.fields[field % event.fields.len()];
                    let _ = writeln!(
                        out,
                        "        filter: {{ {}: {} }}",
                        q(&field.name),
                        self.condition(field, *op)
                    );
                }
            }
            let views = unique(&service.views, |v| &v.name);
            if !views.is_empty() {
                out.push_str("    views:\n");
                let events: Vec<usize> = subscribed.iter().map(|(e, _)| *e).collect();
                for view in views {
                    self.view(out, &events, view);
                }
            }
        }
    }

    /// A filter condition on `field`: one that fits its type, or (1 in 8) any.
    fn condition(&self, field: &FieldPlan, op: usize) -> String {
        const ANY: &[&str] = &[
            "{ exists: true }",
            "{ prefix: \"a\" }",
            "{ numeric: { gt: 0 } }",
            "[1, 2]",
            "{ wildcard: \"*a\" }",
            "true",
            "{ anything-but: \"x\" }",
            "{ equals-ignore-case: \"a\" }",
        ];
        if op % 8 == 7 {
            return ANY[op % ANY.len()].to_owned();
        }
        match &field.ty {
            Ty::Enum(values) if op.is_multiple_of(2) => q(&values[0]),
            Ty::Enum(values) => format!("{{ anything-but: {} }}", q(&values[values.len() - 1])),
            Ty::Scalar("string" | "uuid" | "date" | "timestamp") => [
                "{ prefix: \"a\" }",
                "{ suffix: \"z\" }",
                "{ exists: true }",
                "{ wildcard: \"a*\" }",
            ][op % 4]
                .to_owned(),
            Ty::Scalar("integer" | "number") => [
                "{ numeric: { gt: 0, lte: 100 } }",
                "[1, 2]",
                "{ anything-but: 3 }",
            ][op % 3]
                .to_owned(),
            Ty::Scalar("boolean") => "true".to_owned(),
            _ => "{ exists: true }".to_owned(),
        }
    }

    fn view(&self, out: &mut String, subscribed: &[usize], view: &ViewPlan) {
        let source = &self.events[subscribed[0]];
        let mut fields: Vec<FieldPlan> = Vec::new();
        for (n, index) in view.fields.iter().enumerate() {
            let field = &source.fields[index % source.fields.len()];
            if !fields.iter().any(|f| f.name == field.name) {
                let mut field = field.clone();
                field.optional |= view.optional.get(n).copied().unwrap_or(true);
                fields.push(field);
            }
        }
        // The key: `id` (in every event) unless the plan picks another keyable field.
        let key = fields
            .iter()
            .position(|f| self.keyable(f) && view.extras == 3)
            .map_or_else(id_field, |i| fields[i].clone());
        fields.retain(|f| f.name != key.name);
        let sort = fields
            .iter()
            .find(|f| view.sort && self.keyable(f))
            .cloned();
        fields.insert(0, key.clone());
        let _ = writeln!(out, "      {}:", q(&view.name));
        match &sort {
            Some(sort) => {
                let _ = writeln!(
                    out,
                    "        key: {{ partition: {}, sort: {} }}",
                    q(&key.name),
                    q(&sort.name)
                );
            }
            None => {
                let _ = writeln!(out, "        key: {{ partition: {} }}", q(&key.name));
            }
        }
        if let Some(index) = &view.index
            && let Some(field) = fields.iter().skip(1).find(|f| self.keyable(f))
        {
            let _ = writeln!(
                out,
                "        indexes:\n          {}: {{ partition: {} }}",
                q(index),
                q(&field.name)
            );
        }
        out.push_str("        fields:\n");
        self.fields(out, &fields, 10);
        let extras = ["receivedAt", "eventId", "fixed"];
        let extras = &extras[..view.extras.min(3)];
        for extra in extras {
            let ty = if *extra == "receivedAt" {
                "integer?"
            } else {
                "string?"
            };
            let _ = writeln!(out, "          {extra}: {ty}");
        }
        out.push_str("        projections:\n");
        let mut projected = Vec::new();
        for (event, kind, hook) in &view.projections {
            let index = subscribed[event % subscribed.len()];
            if projected.contains(&index) {
                continue;
            }
            projected.push(index);
            let event = &self.events[index];
            let name = q(event.name);
            match kind % 10 {
                0 => {
                    let _ = writeln!(out, "          {name}: delete");
                }
                1 => {
                    let _ = writeln!(out, "          {name}: {{ hook: {} }}", q(hook));
                }
                _ => {
                    let mut pairs: Vec<String> = fields
                        .iter()
                        .filter(|f| {
                            event.fields.iter().any(|a| {
                                a.name == f.name
                                    && self.signature(a) == self.signature(f)
                                    && (f.optional || !a.optional)
                            })
                        })
                        .map(|f| format!("{}: {}", q(&f.name), q(&f.name)))
                        .collect();
                    for extra in extras {
                        let source = match *extra {
                            "receivedAt" => q("$timestamp"),
                            "eventId" => q("$id"),
                            _ => "{ const: \"x\" }".into(),
                        };
                        pairs.push(format!("{extra}: {source}"));
                    }
                    let _ = writeln!(
                        out,
                        "          {name}: {{ upsert: {{ {} }} }}",
                        pairs.join(", ")
                    );
                }
            }
        }
        let _ = self.plan;
    }
}

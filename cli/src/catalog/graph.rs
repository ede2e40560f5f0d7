//! The diagrams as graphs, independent of how they are drawn: [`super::mermaid`],
//! [`super::dot`] and [`super::svg`] all render a [`Graph`].
//!
//! Graphs are laid out in columns from left to right, in the direction events flow. The system
//! flow has three: services that publish, the events on the bus, services that only consume.
//! A service's own diagram has five: the producers of what it consumes, those events, the
//! service, the events it publishes, their consumers. A service that would belong to two
//! columns takes the leftmost, and the edges to it point backwards. Views are drawn with the
//! service that owns them.

use std::collections::BTreeMap;

use super::doc::Target;
use crate::ir::{EventId, Producer, ServiceId, Subscription, System};

/// What a node stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    /// A service, with the names of its views.
    Service {
        /// Its views, in name order.
        views: Vec<String>,
    },
    /// An event on the bus.
    Event {
        /// Produced outside the system.
        external: bool,
    },
}

/// A node of a graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The service or event name.
    pub name: String,
    /// Service or event.
    pub kind: NodeKind,
    /// The column, from the left.
    pub column: usize,
}

impl Node {
    /// The page about the node.
    pub fn target(&self) -> Target {
        match self.kind {
            NodeKind::Service { .. } => Target::Service(self.name.clone()),
            NodeKind::Event { .. } => Target::Event(self.name.clone()),
        }
    }

    /// An identifier unique in a graph and valid in Mermaid and DOT (`[A-Za-z0-9_]`).
    pub fn id(&self) -> String {
        let prefix = match self.kind {
            NodeKind::Service { .. } => "s",
            NodeKind::Event { .. } => "e",
        };
        format!("{prefix}_{}", ident(&self.name))
    }
}

/// `name` with every character outside `[A-Za-z0-9]` replaced by `_`. Spec names are
/// kebab-case, so distinct names stay distinct.
pub fn ident(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// The identifier of a view's node, in the style of [`Node::id`].
pub fn view_id(service: &str, view: &str) -> String {
    format!("v_{}__{}", ident(service), ident(view))
}

/// How two nodes are related.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EdgeKind {
    /// A service publishes an event.
    Publishes,
    /// An event is delivered to a service; `filtered` when the subscription has a filter.
    Delivers {
        /// The subscription has a content filter.
        filtered: bool,
    },
}

/// An edge between two nodes, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    /// The source node.
    pub from: usize,
    /// The target node.
    pub to: usize,
    /// The relation.
    pub kind: EdgeKind,
}

/// A diagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graph {
    /// What it shows.
    pub title: String,
    /// The bus the events travel on.
    pub bus: String,
    /// Nodes, by column and then name.
    pub nodes: Vec<Node>,
    /// Edges, sorted.
    pub edges: Vec<Edge>,
}

impl Graph {
    /// The number of columns.
    pub fn columns(&self) -> usize {
        self.nodes.iter().map(|n| n.column + 1).max().unwrap_or(0)
    }
}

/// A node being collected: a service or an event. Services sort first, then by id, which is
/// name order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Item {
    Service(ServiceId),
    Event(EventId),
}

/// Collects nodes (the leftmost column asked for wins) and edges, then sorts them.
struct Builder<'a> {
    system: &'a System,
    /// The only service whose views are shown; all when `None`.
    views_of: Option<ServiceId>,
    nodes: BTreeMap<Item, usize>,
    edges: Vec<(Item, Item, EdgeKind)>,
}

impl<'a> Builder<'a> {
    fn new(system: &'a System, views_of: Option<ServiceId>) -> Self {
        Builder {
            system,
            views_of,
            nodes: BTreeMap::new(),
            edges: Vec::new(),
        }
    }

    fn node(&mut self, item: Item, column: usize) {
        let entry = self.nodes.entry(item).or_insert(column);
        *entry = (*entry).min(column);
    }

    fn publishes(&mut self, service: ServiceId, event: EventId) {
        self.edges.push((
            Item::Service(service),
            Item::Event(event),
            EdgeKind::Publishes,
        ));
    }

    fn delivers(&mut self, service: ServiceId, subscription: &Subscription) {
        let kind = EdgeKind::Delivers {
            filtered: subscription.filter.is_some(),
        };
        self.edges.push((
            Item::Event(subscription.event),
            Item::Service(service),
            kind,
        ));
    }

    fn finish(self, title: String) -> Graph {
        let system = self.system;
        let mut order: Vec<(Item, usize)> = self.nodes.into_iter().collect();
        order.sort_by_key(|(item, column)| (*column, *item));
        let index: BTreeMap<Item, usize> = order
            .iter()
            .enumerate()
            .map(|(i, (item, _))| (*item, i))
            .collect();
        let nodes = order
            .iter()
            .map(|(item, column)| match *item {
                Item::Service(id) => Node {
                    name: system.services[id].name.clone(),
                    kind: NodeKind::Service {
                        views: if self.views_of.is_none_or(|v| v == id) {
                            system.views_of(id).map(|(_, v)| v.name.clone()).collect()
                        } else {
                            Vec::new()
                        },
                    },
                    column: *column,
                },
                Item::Event(id) => Node {
                    name: system.events[id].name.clone(),
                    kind: NodeKind::Event {
                        external: system.events[id].producer == Producer::External,
                    },
                    column: *column,
                },
            })
            .collect();
        let mut edges: Vec<Edge> = self
            .edges
            .iter()
            .filter_map(|(from, to, kind)| {
                Some(Edge {
                    from: *index.get(from)?,
                    to: *index.get(to)?,
                    kind: *kind,
                })
            })
            .collect();
        edges.sort();
        edges.dedup();
        Graph {
            title,
            bus: system.bus.clone(),
            nodes,
            edges,
        }
    }
}

/// The whole system: publishers, events, consumers.
pub fn system(system: &System) -> Graph {
    let mut b = Builder::new(system, None);
    for (id, service) in system.services.iter() {
        let column = if service.is_upstream() { 0 } else { 2 };
        b.node(Item::Service(id), column);
        for publish in &service.publishes {
            b.publishes(id, publish.event);
        }
    }
    for (id, _) in system.events.iter() {
        b.node(Item::Event(id), 1);
        for (consumer, subscription) in system.consumers(id) {
            b.delivers(consumer, subscription);
        }
    }
    b.finish(format!("{} system flow", system.name))
}

/// One service with the events it consumes and publishes, their producers and consumers.
pub fn service(system: &System, id: ServiceId) -> Graph {
    let service = &system.services[id];
    let mut b = Builder::new(system, Some(id));
    for subscription in &service.subscriptions {
        b.node(Item::Event(subscription.event), 1);
        b.delivers(id, subscription);
        if let Producer::Service(owner) = system.events[subscription.event].producer {
            b.node(Item::Service(owner), 0);
            b.publishes(owner, subscription.event);
        }
    }
    b.node(Item::Service(id), 2);
    for publish in &service.publishes {
        b.node(Item::Event(publish.event), 3);
        b.publishes(id, publish.event);
        for (consumer, subscription) in system.consumers(publish.event) {
            b.node(Item::Service(consumer), 4);
            b.delivers(consumer, subscription);
        }
    }
    b.finish(format!("{} and its neighbours", service.name))
}

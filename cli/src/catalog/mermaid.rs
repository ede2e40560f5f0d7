//! Mermaid flowcharts, embedded in the Markdown pages (GitHub renders them).

use std::fmt::Write;

use super::graph::{EdgeKind, Graph, NodeKind, view_id};

/// The flowchart of `graph`, without the surrounding code fence.
pub fn render(graph: &Graph) -> String {
    let mut out = String::from("flowchart LR\n");
    let events: Vec<_> = graph
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Event { .. }))
        .collect();
    if !events.is_empty() {
        let _ = writeln!(
            out,
            "  subgraph bus [\"{} (EventBridge bus)\"]",
            label(&graph.bus)
        );
        for node in &events {
            let _ = writeln!(out, "    {}([\"{}\"])", node.id(), label(&node.name));
        }
        out.push_str("  end\n");
    }
    let mut views = Vec::new();
    for node in &graph.nodes {
        if let NodeKind::Service { views: names } = &node.kind {
            let _ = writeln!(out, "  {}[\"{}\"]", node.id(), label(&node.name));
            for view in names {
                let id = view_id(&node.name, view);
                let _ = writeln!(out, "  {id}[(\"{}\")]", label(view));
                views.push((node.id(), id));
            }
        }
    }
    for edge in &graph.edges {
        let (from, to) = (graph.nodes[edge.from].id(), graph.nodes[edge.to].id());
        let arrow = match edge.kind {
            EdgeKind::Publishes => "-->",
            EdgeKind::Delivers { filtered: false } => "-->",
            EdgeKind::Delivers { filtered: true } => "-->|filtered|",
        };
        let _ = writeln!(out, "  {from} {arrow} {to}");
    }
    for (service, view) in &views {
        let _ = writeln!(out, "  {service} -.-> {view}");
    }
    let external: Vec<_> = events
        .iter()
        .filter(|n| n.kind == NodeKind::Event { external: true })
        .map(|n| n.id())
        .collect();
    if !external.is_empty() {
        out.push_str("  classDef external stroke-dasharray: 5 5\n");
        let _ = writeln!(out, "  class {} external", external.join(","));
    }
    out
}

/// Text safe inside a quoted Mermaid label.
fn label(text: &str) -> String {
    text.replace('"', "#quot;")
}

//! Graphviz DOT files, for people who render with their own tools.

use std::fmt::Write;

use super::graph::{EdgeKind, Graph, NodeKind, view_id};
use crate::write::{CommentStyle, header};

/// The DOT text of `graph`, with the generated header.
pub fn render(graph: &Graph) -> String {
    let mut out = header(CommentStyle::Slashes);
    let _ = writeln!(out, "digraph {} {{", quote(&graph.title));
    out.push_str("  rankdir=LR;\n");
    out.push_str("  node [fontname=\"Helvetica\", fontsize=11];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    let _ = writeln!(
        out,
        "  subgraph cluster_bus {{\n    label={};\n    style=\"rounded,dashed\";",
        quote(&format!("{} (EventBridge bus)", graph.bus))
    );
    for node in &graph.nodes {
        if let NodeKind::Event { external } = node.kind {
            let style = if external {
                "rounded,dashed"
            } else {
                "rounded"
            };
            let _ = writeln!(
                out,
                "    {} [label={}, shape=box, style=\"{style}\"];",
                node.id(),
                quote(&node.name)
            );
        }
    }
    out.push_str("  }\n");
    for node in &graph.nodes {
        if let NodeKind::Service { views } = &node.kind {
            let _ = writeln!(
                out,
                "  {} [label={}, shape=box, style=bold];",
                node.id(),
                quote(&node.name)
            );
            for view in views {
                let id = view_id(&node.name, view);
                let _ = writeln!(out, "  {id} [label={}, shape=cylinder];", quote(view));
                let _ = writeln!(out, "  {} -> {id} [style=dotted];", node.id());
            }
        }
    }
    for edge in &graph.edges {
        let (from, to) = (graph.nodes[edge.from].id(), graph.nodes[edge.to].id());
        let attrs = match edge.kind {
            EdgeKind::Publishes | EdgeKind::Delivers { filtered: false } => "",
            EdgeKind::Delivers { filtered: true } => " [label=\"filtered\"]",
        };
        let _ = writeln!(out, "  {from} -> {to}{attrs};");
    }
    out.push_str("}\n");
    out
}

/// A DOT quoted string.
fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

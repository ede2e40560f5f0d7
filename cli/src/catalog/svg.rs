//! SVG pictures of a [`Graph`], laid out here without external programs.
//!
//! Graph layout crates exist (`layout-rs` renders DOT to SVG), but our graphs come in known
//! columns (see [`super::graph`]), so a small layered layout does the job with full control
//! over styling and links: nodes stay in their columns, the order within each column is
//! improved by a few barycenter sweeps (the Sugiyama heuristic that reduces edge crossings),
//! then columns are placed side by side and centred vertically. Edges are cubic curves
//! between node sides. Every step works on integers and sorted lists, so the output is
//! byte-for-byte deterministic.

use std::fmt::Write;

use super::doc::Target;
use super::graph::{EdgeKind, Graph, NodeKind, ident};
use super::html::escape;

/// Estimated width of one character at the font size used, in pixels.
const CHAR_WIDTH: i64 = 8;
/// Horizontal padding inside a node.
const PAD_X: i64 = 14;
/// Height of a node's title row.
const ROW: i64 = 30;
/// Height of one view row inside a service.
const VIEW_ROW: i64 = 22;
/// Vertical gap between nodes of a column.
const GAP_Y: i64 = 18;
/// Horizontal gap between columns.
const GAP_X: i64 = 90;
/// Space around the picture.
const MARGIN: i64 = 16;
/// Space between the bus band and the events in it.
const BUS_PAD: i64 = 12;
/// Height of the bus band's label.
const BUS_LABEL: i64 = 22;
/// Barycenter sweeps (each is one pass right and one pass left).
const SWEEPS: usize = 4;

/// A node's box.
#[derive(Debug, Clone, Copy, Default)]
struct Rect {
    x: i64,
    y: i64,
    w: i64,
    h: i64,
}

/// The laid out graph: one box per node, the picture's size and the bus band.
struct Layout {
    boxes: Vec<Rect>,
    width: i64,
    height: i64,
    /// One band per column of events.
    buses: Vec<Rect>,
}

/// The `<svg>` element for `graph`; `link` gives the address of a page.
pub fn render(graph: &Graph, link: &dyn Fn(&Target) -> String) -> String {
    let layout = layout(graph);
    let id = ident(&graph.title);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cqrsgen-diagram\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"title-{id}\">",
        w = layout.width,
        h = layout.height,
    );
    let _ = writeln!(
        out,
        "<title id=\"title-{id}\">{}</title>",
        escape(&graph.title)
    );
    out.push_str(STYLE);
    let _ = writeln!(
        out,
        "<defs><marker id=\"arrow-{id}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>"
    );
    for bus in &layout.buses {
        let _ = writeln!(
            out,
            "<g class=\"bus\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"10\"/><text x=\"{}\" y=\"{}\">{} (EventBridge bus)</text></g>",
            bus.x,
            bus.y,
            bus.w,
            bus.h,
            bus.x + bus.w / 2,
            bus.y + 16,
            escape(&graph.bus)
        );
    }
    for edge in &graph.edges {
        let (a, b) = (layout.boxes[edge.from], layout.boxes[edge.to]);
        let (ay, by) = (a.y + ROW / 2, b.y + ROW / 2);
        let (ax, bx) = if b.x > a.x {
            (a.x + a.w, b.x)
        } else {
            (a.x, b.x + b.w)
        };
        let bend = (bx - ax) / 2;
        let class = match edge.kind {
            EdgeKind::Publishes => "publishes",
            EdgeKind::Delivers { filtered: false } => "delivers",
            EdgeKind::Delivers { filtered: true } => "delivers filtered",
        };
        let _ = writeln!(
            out,
            "<path class=\"edge {class}\" d=\"M{ax},{ay} C{},{ay} {},{by} {bx},{by}\" marker-end=\"url(#arrow-{id})\"/>",
            ax + bend,
            bx - bend,
        );
    }
    for (node, rect) in graph.nodes.iter().zip(&layout.boxes) {
        let (class, views) = match &node.kind {
            NodeKind::Service { views } => ("service", views.as_slice()),
            NodeKind::Event { external: false } => ("event", &[][..]),
            NodeKind::Event { external: true } => ("event external", &[][..]),
        };
        let _ = writeln!(
            out,
            "<g class=\"node {class}\" data-name=\"{name}\"><a href=\"{href}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\"/><text x=\"{}\" y=\"{}\">{name}</text></a>",
            rect.x,
            rect.y,
            rect.w,
            rect.h,
            rect.x + rect.w / 2,
            rect.y + ROW / 2 + 5,
            name = escape(&node.name),
            href = escape(&link(&node.target())),
        );
        for (i, view) in (0i64..).zip(views) {
            let y = rect.y + ROW + i * VIEW_ROW;
            let target = Target::View(node.name.clone(), view.clone());
            let _ = writeln!(
                out,
                "<a class=\"view\" href=\"{}\"><rect x=\"{}\" y=\"{y}\" width=\"{}\" height=\"{}\" rx=\"3\"/><text x=\"{}\" y=\"{}\">{}</text></a>",
                escape(&link(&target)),
                rect.x + 6,
                rect.w - 12,
                VIEW_ROW - 4,
                rect.x + rect.w / 2,
                y + VIEW_ROW / 2 + 2,
                escape(view),
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}

/// Styles inside the picture, so it looks the same standalone and inline.
const STYLE: &str = "<style>\
.cqrsgen-diagram{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;font-size:13px}\
.cqrsgen-diagram text{text-anchor:middle;fill:#1f2328}\
.cqrsgen-diagram .bus rect{fill:#fff8e6;stroke:#d4a72c;stroke-dasharray:6 4}\
.cqrsgen-diagram .bus text{font-size:12px;fill:#7d5a00}\
.cqrsgen-diagram .service>a>rect{fill:#ddf4ff;stroke:#0969da;stroke-width:1.5}\
.cqrsgen-diagram .event rect{fill:#fff;stroke:#bf8700;stroke-width:1.5}\
.cqrsgen-diagram .event.external rect{stroke-dasharray:5 3}\
.cqrsgen-diagram .view rect{fill:#fff;stroke:#54aeff}\
.cqrsgen-diagram .view text{font-size:11px}\
.cqrsgen-diagram .edge{fill:none;stroke:#555;stroke-width:1.3}\
.cqrsgen-diagram .edge.filtered{stroke-dasharray:4 3}\
.cqrsgen-diagram a:hover rect{stroke-width:2.5}\
</style>\n";

/// Places every node.
fn layout(graph: &Graph) -> Layout {
    let columns = order(graph);
    let mut boxes = vec![Rect::default(); graph.nodes.len()];
    for (node, rect) in graph.nodes.iter().zip(&mut boxes) {
        let views: &[String] = match &node.kind {
            NodeKind::Service { views } => views,
            NodeKind::Event { .. } => &[],
        };
        let chars = views
            .iter()
            .map(|v| v.chars().count() + 2)
            .chain([node.name.chars().count()])
            .max()
            .unwrap_or(0);
        rect.w = i64::try_from(chars).unwrap_or(i64::MAX / 4) * CHAR_WIDTH + 2 * PAD_X;
        let rows = i64::try_from(views.len()).unwrap_or(0);
        rect.h = ROW + rows * VIEW_ROW + if rows > 0 { 4 } else { 0 };
    }
    let is_bus = |column: &[usize]| {
        column
            .iter()
            .any(|&n| matches!(graph.nodes[n].kind, NodeKind::Event { .. }))
    };
    let bus_label = i64::try_from(graph.bus.chars().count() + 20).unwrap_or(0) * 7;
    let heights: Vec<i64> = columns
        .iter()
        .map(|c| c.iter().map(|&n| boxes[n].h + GAP_Y).sum::<i64>() - GAP_Y)
        .collect();
    let content_height = heights.iter().copied().max().unwrap_or(0);
    let top = MARGIN + BUS_PAD + BUS_LABEL;
    let mut x = MARGIN + BUS_PAD;
    let mut buses = Vec::new();
    for (index, column) in columns.iter().enumerate() {
        let mut width = column.iter().map(|&n| boxes[n].w).max().unwrap_or(0);
        if is_bus(column) {
            width = width.max(bus_label - 2 * BUS_PAD);
        }
        let mut y = top + (content_height - heights[index]) / 2;
        for &n in column {
            boxes[n].x = x + (width - boxes[n].w) / 2;
            boxes[n].y = y;
            y += boxes[n].h + GAP_Y;
        }
        if is_bus(column) {
            buses.push(Rect {
                x: x - BUS_PAD,
                y: MARGIN,
                w: width + 2 * BUS_PAD,
                h: content_height + 2 * BUS_PAD + BUS_LABEL,
            });
        }
        x += width + GAP_X;
    }
    Layout {
        boxes,
        width: x - GAP_X + BUS_PAD + MARGIN,
        height: content_height + 2 * (MARGIN + BUS_PAD) + BUS_LABEL,
        buses,
    }
}

/// Node indices per column, ordered to reduce crossings.
fn order(graph: &Graph) -> Vec<Vec<usize>> {
    let mut columns = vec![Vec::new(); graph.columns()];
    for (i, node) in graph.nodes.iter().enumerate() {
        columns[node.column].push(i);
    }
    let mut position = vec![0usize; graph.nodes.len()];
    let index = |columns: &[Vec<usize>], position: &mut [usize]| {
        for column in columns {
            for (p, &n) in column.iter().enumerate() {
                position[n] = p;
            }
        }
    };
    index(&columns, &mut position);
    let neighbours = |n: usize, column: usize| {
        graph.edges.iter().filter_map(move |e| {
            let other = if e.from == n {
                e.to
            } else if e.to == n {
                e.from
            } else {
                return None;
            };
            (graph.nodes[other].column == column).then_some(other)
        })
    };
    let count = columns.len();
    for _ in 0..SWEEPS {
        let forward = (1..count).map(|c| (c, c - 1));
        let backward = (0..count.saturating_sub(1)).rev().map(|c| (c, c + 1));
        for (column, fixed) in forward.chain(backward) {
            // Twice the mean position of the neighbours (integers keep it exact), or twice
            // the current position when there are none.
            let mut keyed: Vec<(usize, usize)> = columns[column]
                .iter()
                .map(|&n| {
                    let ps: Vec<usize> = neighbours(n, fixed).map(|o| position[o]).collect();
                    let key = if ps.is_empty() {
                        2 * position[n]
                    } else {
                        2 * ps.iter().sum::<usize>() / ps.len()
                    };
                    (key, n)
                })
                .collect();
            keyed.sort_by_key(|&(key, n)| (key, position[n]));
            columns[column] = keyed.into_iter().map(|(_, n)| n).collect();
            index(&columns, &mut position);
        }
    }
    columns
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::graph;
    use crate::ir::examples;

    #[test]
    fn boxes_do_not_overlap_and_stay_in_their_columns() {
        let system = examples::load("shop");
        let graph = graph::system(&system);
        let layout = layout(&graph);
        for (i, a) in layout.boxes.iter().enumerate() {
            assert!(a.x >= 0 && a.y >= 0);
            assert!(a.x + a.w <= layout.width && a.y + a.h <= layout.height);
            for (j, b) in layout.boxes.iter().enumerate().skip(i + 1) {
                let apart =
                    a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
                assert!(
                    apart,
                    "{} overlaps {}",
                    graph.nodes[i].name, graph.nodes[j].name
                );
                if graph.nodes[i].column < graph.nodes[j].column {
                    assert!(a.x + a.w <= b.x);
                }
            }
        }
    }

    #[test]
    fn every_node_and_view_is_drawn_with_a_link() {
        let system = examples::load("shop");
        let svg = render(&graph::system(&system), &|t| format!("#{t:?}"));
        let events = system.events.values().map(|e| &e.name);
        for name in events.chain(system.services.values().map(|s| &s.name)) {
            assert!(svg.contains(&format!("data-name=\"{name}\"")), "{name}");
        }
        assert!(svg.contains(">pending-shipment</text>"));
        assert_eq!(
            svg.matches("<path class=\"edge").count(),
            graph::system(&system).edges.len()
        );
    }
}

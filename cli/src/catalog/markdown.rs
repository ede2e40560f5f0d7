//! Markdown pages, readable on GitHub: one file per page, diagrams as Mermaid blocks with
//! links to the SVG and DOT files.

use std::fmt::Write;

use super::Diagrams;
use super::doc::{Block, DiagramRef, Inline, Line, Page, Target};
use super::mermaid;
use crate::write::{CommentStyle, header};

/// The path of a target's page relative to the output root, with its anchor.
pub fn path(target: &Target) -> String {
    match target {
        Target::Index => "README.md".into(),
        Target::Types => "types.md".into(),
        Target::Type(name) => format!("types.md#{name}"),
        Target::Event(name) => format!("events/{name}.md"),
        Target::Service(name) => format!("services/{name}.md"),
        Target::View(service, view) => format!("views/{service}/{view}.md"),
        Target::Cost => "cost.md".into(),
    }
}

/// The path of a diagram's files relative to the output root, without extension.
pub fn diagram_stem(diagram: &DiagramRef) -> String {
    match diagram {
        DiagramRef::System => "diagrams/system".into(),
        DiagramRef::Service(name) => format!("diagrams/services/{name}"),
    }
}

/// `to` (a path from the output root) as seen from the page at `from`.
pub fn relative(from: &Target, to: &str) -> String {
    let depth = path(from).matches('/').count();
    format!("{}{to}", "../".repeat(depth))
}

/// The Markdown text of a page.
pub fn render(page: &Page, diagrams: &Diagrams) -> String {
    let mut out = header(CommentStyle::Markup);
    let _ = writeln!(out, "# {} `{}`\n", page.kind, page.title);
    if page.target != Target::Index {
        let _ = writeln!(
            out,
            "[← all events, services and views]({})\n",
            relative(&page.target, &path(&Target::Index))
        );
    }
    for block in &page.blocks {
        block_to(&mut out, page, block, diagrams);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn block_to(out: &mut String, page: &Page, block: &Block, diagrams: &Diagrams) {
    let inline = |line: &Line, cell: bool| line_text(line, &page.target, cell);
    match block {
        Block::Heading { level, text, .. } => {
            let _ = writeln!(
                out,
                "{} {}",
                "#".repeat(usize::from(*level)),
                inline(text, false)
            );
        }
        Block::Paragraph(line) => {
            let _ = writeln!(out, "{}", inline(line, false));
        }
        Block::Table { head, rows } => {
            let _ = writeln!(out, "| {} |", head.join(" | "));
            let _ = writeln!(out, "|{}", " --- |".repeat(head.len()));
            for row in rows {
                let cells: Vec<String> = row.iter().map(|cell| inline(cell, true)).collect();
                let _ = writeln!(out, "| {} |", cells.join(" | "));
            }
        }
        Block::Code { lang, text } => {
            let _ = writeln!(out, "```{lang}\n{text}\n```");
        }
        Block::Diagram(diagram) => {
            if let Some(graph) = diagrams.get(diagram) {
                let _ = writeln!(out, "```mermaid\n{}```\n", mermaid::render(graph));
            }
            let stem = relative(&page.target, &diagram_stem(diagram));
            let _ = writeln!(
                out,
                "The same picture as [SVG]({stem}.svg) and as [Graphviz DOT]({stem}.dot)."
            );
        }
    }
}

/// A line as Markdown; in a table `cell`, pipes are escaped and newlines become spaces.
fn line_text(line: &Line, from: &Target, cell: bool) -> String {
    let text: String = line
        .iter()
        .map(|inline| match inline {
            Inline::Text(text) => text.clone(),
            Inline::Code(text) => code_span(text),
            Inline::Emphasis(text) => format!("*{text}*"),
            Inline::Link { text, target } => {
                format!("[{}]({})", code_span(text), relative(from, &path(target)))
            }
        })
        .collect();
    if cell {
        text.replace('|', "\\|").replace('\n', " ")
    } else {
        text
    }
}

/// Text as a code span, with enough backticks to hold any in the text.
fn code_span(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

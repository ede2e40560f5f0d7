//! A small document model shared by the Markdown and HTML renderers, so every page is built
//! once ([`super::pages`]) and rendered twice ([`super::markdown`], [`super::html`]).

/// What a link or a page is about. Each renderer turns it into its own address: a relative
/// Markdown file path, or an anchor in the single HTML page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    /// The index page.
    Index,
    /// The page of shared types.
    Types,
    /// One shared type, on the types page.
    Type(String),
    /// An event's page.
    Event(String),
    /// A service's page.
    Service(String),
    /// A view's page: service, view.
    View(String, String),
    /// The monthly cost estimate (when the project has a volumes file).
    Cost,
}

/// A run of text within a paragraph, list item or table cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// Code (a name, a type, a path).
    Code(String),
    /// Emphasized text.
    Emphasis(String),
    /// A link to another page or item.
    Link {
        /// The link text, shown as code.
        text: String,
        /// Where it points.
        target: Target,
    },
}

/// A line of text: a sequence of inline runs.
pub type Line = Vec<Inline>;

/// Which diagram a [`Block::Diagram`] shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiagramRef {
    /// The system flow.
    System,
    /// One service and its neighbours.
    Service(String),
}

/// A block of a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading below the page title (level 2 or 3); `anchor` names the item it introduces.
    Heading {
        /// 2 or 3.
        level: u8,
        /// The heading text.
        text: Line,
        /// The item the heading introduces, when it is a link target of its own.
        anchor: Option<Target>,
    },
    /// A paragraph.
    Paragraph(Line),
    /// A table with a header row.
    Table {
        /// Column titles.
        head: Vec<&'static str>,
        /// Rows; each has as many cells as `head`.
        rows: Vec<Vec<Line>>,
    },
    /// A code block.
    Code {
        /// The language tag (`json`).
        lang: &'static str,
        /// The code.
        text: String,
    },
    /// A diagram.
    Diagram(DiagramRef),
}

/// A page of the catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// What the page is about (also its address).
    pub target: Target,
    /// What kind of page, for headings and search results (`Event`, `Service`...).
    pub kind: &'static str,
    /// The title (the item's name).
    pub title: String,
    /// The content.
    pub blocks: Vec<Block>,
}

impl Page {
    /// A page with no content yet.
    pub fn new(target: Target, kind: &'static str, title: impl Into<String>) -> Self {
        Page {
            target,
            kind,
            title: title.into(),
            blocks: Vec::new(),
        }
    }

    /// Adds a block.
    pub fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }

    /// Adds a level-2 heading.
    pub fn section(&mut self, text: &str) {
        self.push(Block::Heading {
            level: 2,
            text: vec![Inline::Text(text.to_owned())],
            anchor: None,
        });
    }

    /// Adds a paragraph of plain text, when there is any.
    pub fn text(&mut self, text: Option<&str>) {
        if let Some(text) = text {
            self.push(Block::Paragraph(vec![Inline::Text(text.to_owned())]));
        }
    }

    /// All text of the page, for search: title, kind and every inline run.
    pub fn search_text(&self) -> String {
        let mut out = vec![self.kind.to_owned(), self.title.clone()];
        let mut line = |line: &Line| out.extend(line.iter().map(inline_text));
        for block in &self.blocks {
            match block {
                Block::Heading { text, .. } | Block::Paragraph(text) => line(text),
                Block::Table { rows, .. } => rows.iter().flatten().for_each(&mut line),
                Block::Code { .. } | Block::Diagram(_) => {}
            }
        }
        out.join(" ")
    }
}

/// The text of an inline run, without markup.
pub fn inline_text(inline: &Inline) -> String {
    match inline {
        Inline::Text(text) | Inline::Code(text) | Inline::Emphasis(text) => text.clone(),
        Inline::Link { text, .. } => text.clone(),
    }
}

/// A line of one plain text run.
pub fn text(text: impl Into<String>) -> Line {
    vec![Inline::Text(text.into())]
}

/// A line of one code run.
pub fn code(text: impl Into<String>) -> Line {
    vec![Inline::Code(text.into())]
}

/// A line of one link.
pub fn link(text: impl Into<String>, target: Target) -> Line {
    vec![Inline::Link {
        text: text.into(),
        target,
    }]
}

//! Blank lines between items: prettyplease prints items back to back, which reads like a wall.
//! [`space_items`] puts one blank line between the items of a module and between the members
//! of an `impl` or `trait`, the way people write Rust, and leaves everything else (function
//! bodies, struct fields, enum variants, runs of `use` or `mod` lines) as it is.

/// `text` (prettyplease output) with a blank line between consecutive items.
pub(crate) fn space_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    // One entry per open block: whether its members are items (a module, an impl, a trait).
    let mut blocks: Vec<bool> = Vec::new();
    // The kind of the item the previous line ended, in the current block.
    let mut ended: Option<Kind> = None;
    // Whether the item being read opens an item container (for a `{` on a line of its own,
    // after a `where` clause).
    let mut header = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let in_items = blocks.last().copied().unwrap_or(true);
        let closes = trimmed.starts_with(['}', ']', ')']);
        if in_items && !closes && !trimmed.is_empty() {
            if let Some(previous) = ended
                && !(previous.groups() && previous == Kind::of(trimmed))
            {
                out.push('\n');
            }
            if !trimmed.starts_with("#[") && !trimmed.starts_with("///") && trimmed != "{" {
                header = is_item_container(trimmed);
            }
        }
        out.push_str(line);
        out.push('\n');
        if closes {
            blocks.pop();
        }
        let opens = trimmed.ends_with(['{', '[', '(']);
        if opens {
            blocks.push(if trimmed == "{" {
                header
            } else {
                in_items && !closes && is_item_container(trimmed)
            });
        }
        let in_items = blocks.last().copied().unwrap_or(true);
        let ends = !opens && trimmed.ends_with([';', '}']);
        ended = (in_items && ends).then(|| Kind::of(trimmed));
    }
    out
}

/// What kind of item a line holds, for keeping runs of `use` and `mod` lines together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Use,
    Mod,
    Other,
}

impl Kind {
    fn of(line: &str) -> Kind {
        let line = line.strip_prefix("pub ").unwrap_or(line);
        let line = line.strip_prefix("pub(crate) ").unwrap_or(line);
        if line.starts_with("use ") {
            Kind::Use
        } else if line.starts_with("mod ") && line.ends_with(';') {
            Kind::Mod
        } else {
            Kind::Other
        }
    }

    /// Whether consecutive items of this kind stay together.
    fn groups(self) -> bool {
        matches!(self, Kind::Use | Kind::Mod)
    }
}

/// Whether a block opened by `line` holds items: a module, an `impl` or a `trait`.
fn is_item_container(line: &str) -> bool {
    let mut words = line
        .split_whitespace()
        .filter(|w| !matches!(*w, "pub" | "pub(crate)" | "pub(super)" | "unsafe" | "async"));
    matches!(words.next(), Some("impl" | "trait" | "mod")) || line.starts_with("impl<")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_and_members_are_spaced_but_bodies_are_not() {
        let text = "\
use a::B;
use c::D;
/// A thing.
pub struct Thing {
    pub a: u8,
    pub b: u8,
}
impl Thing {
    /// New.
    pub fn new() -> Self {
        let x = 1;
        if x > 0 {
            x;
        }
        Self { a: 1, b: 2 }
    }
    fn other(&self) {}
}
pub const LIST: &[&str] = &[
    \"a\",
];
mod x;
mod y;
";
        let expected = "\
use a::B;
use c::D;

/// A thing.
pub struct Thing {
    pub a: u8,
    pub b: u8,
}

impl Thing {
    /// New.
    pub fn new() -> Self {
        let x = 1;
        if x > 0 {
            x;
        }
        Self { a: 1, b: 2 }
    }

    fn other(&self) {}
}

pub const LIST: &[&str] = &[
    \"a\",
];

mod x;
mod y;
";
        assert_eq!(space_items(text), expected);
    }

    #[test]
    fn trait_members_and_generic_impls_are_spaced() {
        let text = "\
pub trait Hooks {
    fn a(&self);
    fn b(&self);
}
impl<H: Hooks> Handler for Listener<H> {
    type Event = u8;
    fn decode(&self) {}
}
";
        let expected = "\
pub trait Hooks {
    fn a(&self);

    fn b(&self);
}

impl<H: Hooks> Handler for Listener<H> {
    type Event = u8;

    fn decode(&self) {}
}
";
        assert_eq!(space_items(text), expected);
    }
}

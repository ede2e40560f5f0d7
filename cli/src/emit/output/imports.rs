//! The imports of a generated Rust file: collected while items are built, then written sorted,
//! deduplicated, merged by parent module and grouped (std, other crates, this crate), the way
//! rustfmt orders them.

use std::collections::{BTreeMap, BTreeSet};

/// How wide an import line may be before its names go on lines of their own.
const MAX_WIDTH: usize = 100;

/// The imports of one file, by parent path.
#[derive(Debug, Default)]
pub(crate) struct Imports {
    /// Parent path (`std::collections`, or a whole crate import) -> imported names (none for
    /// a whole crate).
    paths: BTreeMap<String, BTreeSet<String>>,
}

impl Imports {
    /// Adds `path`: `a::b::C`, `a::b::{C, D}`, or `a as b`.
    pub(crate) fn add(&mut self, path: &str) {
        let (parent, leaves) = match path.split_once("::{") {
            Some((parent, rest)) => (parent, rest.trim_end_matches('}').split(',').collect()),
            None => match path.rsplit_once("::") {
                Some((parent, leaf)) => (parent, vec![leaf]),
                // A crate (`shop_events as events`): a line of its own.
                None => (path, Vec::new()),
            },
        };
        let entry = self.paths.entry(parent.to_owned()).or_default();
        entry.extend(
            leaves
                .into_iter()
                .map(str::trim)
                .filter(|leaf| !leaf.is_empty())
                .map(str::to_owned),
        );
    }

    /// `use` lines in three groups (std, other crates, this crate), separated by blank lines.
    pub(crate) fn render(&self) -> String {
        let mut groups: [Vec<String>; 3] = Default::default();
        for line in self.lines("use") {
            let root = line["use ".len()..]
                .split([':', ' ', ';'])
                .next()
                .unwrap_or_default();
            let group = match root {
                "std" | "core" | "alloc" => 0,
                "crate" | "super" | "self" => 2,
                _ => 1,
            };
            groups[group].push(line);
        }
        let blocks: Vec<String> = groups
            .iter()
            .filter(|lines| !lines.is_empty())
            .map(|lines| lines.concat())
            .collect();
        blocks.join("\n")
    }

    /// The imports as one block of `<keyword> ...;` lines (`pub use` re-exports).
    pub(crate) fn render_with(&self, keyword: &str) -> String {
        self.lines(keyword).concat()
    }

    /// One line (or block) per parent path, sorted by path as rustfmt sorts them.
    fn lines(&self, keyword: &str) -> Vec<String> {
        let mut lines: Vec<(String, String)> = self
            .paths
            .iter()
            .map(|(parent, leaves)| {
                let text = line(keyword, parent, leaves);
                let path = text[keyword.len() + 1..].to_owned();
                (path, text)
            })
            .collect();
        lines.sort();
        lines.into_iter().map(|(_, text)| text).collect()
    }
}

/// One import line (or block, when too wide), with its newline.
fn line(keyword: &str, parent: &str, leaves: &BTreeSet<String>) -> String {
    let names: Vec<&str> = leaves.iter().map(String::as_str).collect();
    let prefix = format!("{parent}::");
    match names.as_slice() {
        [] => return format!("{keyword} {parent};\n"),
        [only] => return format!("{keyword} {prefix}{only};\n"),
        _ => {}
    }
    let one_line = format!("{keyword} {prefix}{{{}}};\n", names.join(", "));
    if one_line.len() <= MAX_WIDTH + 1 {
        return one_line;
    }
    let mut out = format!("{keyword} {prefix}{{\n");
    let mut current = String::from("   ");
    for name in &names {
        if current.len() + name.len() + 2 > MAX_WIDTH {
            out.push_str(current.trim_end());
            out.push('\n');
            current = String::from("   ");
        }
        current.push(' ');
        current.push_str(name);
        current.push(',');
    }
    out.push_str(current.trim_end());
    out.push_str("\n};\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_are_merged_sorted_and_grouped() {
        let mut imports = Imports::default();
        imports.add("serde::Serialize");
        imports.add("crate::types::Address");
        imports.add("std::collections::BTreeMap");
        imports.add("serde::{Deserialize, Serialize}");
        imports.add("cqrsgen_events::Payload");
        assert_eq!(
            imports.render(),
            "use std::collections::BTreeMap;\n\
             \n\
             use cqrsgen_events::Payload;\n\
             use serde::{Deserialize, Serialize};\n\
             \n\
             use crate::types::Address;\n"
        );
    }

    #[test]
    fn wide_imports_break_like_rustfmt() {
        let mut imports = Imports::default();
        for name in [
            "Applied",
            "AnyViewStore",
            "Encoded",
            "Key",
            "KeySchema",
            "StoreError",
            "TableSchema",
            "ViewStore",
            "Write",
        ] {
            imports.add(&format!("cqrsgen_runtime::store::{name}"));
        }
        assert_eq!(
            imports.render(),
            "use cqrsgen_runtime::store::{\n    \
             AnyViewStore, Applied, Encoded, Key, KeySchema, StoreError, TableSchema, ViewStore, Write,\n\
             };\n"
        );
    }

    #[test]
    fn crates_and_aliases_are_imports_too() {
        let mut imports = Imports::default();
        imports.add("shop_events as events");
        imports.add("listener::{Hooks, Listener}");
        assert_eq!(
            imports.render_with("pub use"),
            "pub use listener::{Hooks, Listener};\npub use shop_events as events;\n"
        );
    }
}

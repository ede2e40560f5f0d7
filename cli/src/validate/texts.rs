//! Free texts that end up in generated files: descriptions and patterns become doc comments
//! of the generated Rust, the runtime path a string in `Cargo.toml`. The compiler rejects a
//! doc comment with a carriage return that ends no line, or with a character that changes
//! the direction of text (they can make code read differently than it compiles); Cargo
//! cannot read a path with a quote or a control character in it.

use super::context::{Checker, Part};
use crate::diagnostic::Code;
use crate::load::span::escape_token;
use crate::model::{Field, Origin, Runtime, Ty, TypeKind};

/// Runs the checks.
pub fn check(c: &mut Checker<'_>) {
    let system = c.system;
    let root = Origin {
        file: 0,
        pointer: String::new(),
    };
    doc(c, system.description.as_deref(), &root.at("/description"));
    if let Runtime::Path(path) = &system.runtime
        && let Some((index, ch)) = path
            .chars()
            .enumerate()
            .find(|(_, ch)| *ch == '"' || ch.is_control())
    {
        c.error(
            Code::InvalidText,
            &root.at("/generate/runtime/path"),
            Part::Value,
            format!(
                "the runtime path has `{}` at character {}, which `Cargo.toml` cannot hold",
                ch.escape_debug(),
                index + 1
            ),
        )
        .with_help(
            "move the runtime crate to a directory whose path has no quotes or control characters",
        );
    }
    for t in system.types.values() {
        doc(c, t.description.as_deref(), &t.origin.at("/description"));
        if let crate::model::NamedKind::Record(fields) = &t.kind {
            field_texts(c, fields, &t.origin.at("/fields"));
        }
    }
    for event in system.events.values() {
        for version in &event.versions {
            let at = event.origin.at(&version.at);
            doc(c, version.description.as_deref(), &at.at("/description"));
            field_texts(c, &version.fields, &at.at("/fields"));
        }
    }
    for service in system.services.values() {
        let at = &service.origin;
        doc(c, service.description.as_deref(), &at.at("/description"));
        for entity in service.entities.values() {
            let here = at.at(&format!("/entities/{}", escape_token(&entity.name)));
            doc(c, entity.description.as_deref(), &here.at("/description"));
            field_texts(c, &entity.fields, &here.at("/fields"));
        }
        for view in service.views.values() {
            let here = at.at(&format!("/views/{}", escape_token(&view.name)));
            doc(c, view.description.as_deref(), &here.at("/description"));
            field_texts(c, &view.fields, &here.at("/fields"));
        }
    }
}

/// Descriptions and patterns of fields, through arrays, maps and inline records.
fn field_texts(c: &mut Checker<'_>, fields: &[Field], at: &Origin) {
    for field in fields {
        let here = at.at(&format!("/{}", escape_token(&field.name)));
        doc(c, field.description.as_deref(), &here.at("/description"));
        ty_texts(c, &field.ty, &here);
    }
}

fn ty_texts(c: &mut Checker<'_>, ty: &Ty, at: &Origin) {
    doc(c, ty.constraints.pattern.as_deref(), &at.at("/pattern"));
    match &ty.kind {
        TypeKind::Array(item) | TypeKind::Map(item) => ty_texts(c, item, &at.at("/items")),
        TypeKind::Record(fields) => field_texts(c, fields, &at.at("/fields")),
        _ => {}
    }
}

/// A text that becomes a doc comment.
fn doc(c: &mut Checker<'_>, text: Option<&str>, at: &Origin) {
    let Some(text) = text else {
        return;
    };
    let mut chars = text.chars().enumerate().peekable();
    while let Some((index, ch)) = chars.next() {
        let problem = match ch {
            '\r' if chars.peek().is_none_or(|(_, next)| *next != '\n') => {
                "a carriage return that ends no line"
            }
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
                "a character that changes the direction of text"
            }
            _ => continue,
        };
        c.error(
            Code::InvalidText,
            at,
            Part::Value,
            format!(
                "this text has {problem} (`{}`) at character {}; it becomes a doc comment, \
                 which Rust rejects with it",
                ch.escape_unicode(),
                index + 1
            ),
        )
        .with_help("remove the character");
        return;
    }
}

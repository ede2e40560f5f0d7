//! GitHub Actions workflow commands: each finding becomes an annotation on the pull
//! request (`::error file=...,line=...::message`).

use crate::diagnostic::Diagnostic;

use super::{display_path, message_with_help};

/// One workflow command per finding, each on its own line.
pub(super) fn render(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let mut properties = Vec::new();
        if let Some(l) = &diagnostic.location {
            properties.push(("file", display_path(&l.file)));
            properties.push(("line", l.start.line.to_string()));
            properties.push(("col", l.start.column.to_string()));
            properties.push(("endLine", l.end.line.to_string()));
            properties.push(("endColumn", l.end.column.to_string()));
        }
        properties.push(("title", diagnostic.code.to_string()));
        let properties: Vec<String> = properties
            .into_iter()
            .map(|(key, value)| format!("{key}={}", escape_property(&value)))
            .collect();
        out += &format!(
            "::{} {}::{}\n",
            diagnostic.severity,
            properties.join(","),
            escape_data(&message_with_help(diagnostic))
        );
    }
    out
}

/// Escapes a command's message.
pub(crate) fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value, which also must not contain `:` or `,`.
pub(crate) fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn renders_one_command_per_finding() {
        assert_eq!(
            render(&fixture::diagnostics()),
            "::error title=E005::the include pattern `services/*.yaml` matches nothing%0Ahelp: check the pattern, or remove it from `include`\n\
             ::warning file=specs/orders.yaml,line=3,col=3,endLine=3,endColumn=18,title=W001::no service consumes `bücher-bestellt`\n\
             ::error file=specs/orders.yaml,line=3,col=51,endLine=3,endColumn=57,title=E021::unknown type `monney`%0Ahelp: did you mean `money`?\n"
        );
    }

    #[test]
    fn escapes_data_and_properties() {
        let mut location = fixture::locate("monney", "");
        location.file = "specs/a,b:c%.yaml".into();
        let diagnostic =
            Diagnostic::new(Code::Yaml, "100% broken:\r\nsee, here").at(Some(location));
        assert_eq!(
            render(&[diagnostic]),
            "::error file=specs/a%2Cb%3Ac%25.yaml,line=3,col=51,endLine=3,endColumn=57,title=E002::100%25 broken:%0D%0Asee, here\n"
        );
    }

    #[test]
    fn no_findings_no_output() {
        assert_eq!(render(&[]), "");
    }
}

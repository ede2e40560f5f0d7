//! The catalog as ONE self-contained static HTML page: every page as an `<article>`, the
//! diagrams as inline SVG, styles and the search script inline. It needs no network.
//!
//! Search is offline: each article carries its text, lowercased, in `data-search`; the script
//! hides the articles that do not contain every search word. The search can be given in the
//! URL fragment (`index.html#search=order-placed`), which is how the browser test drives it.

use std::fmt::Write;

use super::Diagrams;
use super::doc::{Block, Inline, Line, Page, Target};
use super::svg;
use crate::write::{CommentStyle, header};

/// The id of a target's element in the page.
pub fn anchor(target: &Target) -> String {
    match target {
        Target::Index => "overview".into(),
        Target::Types => "types".into(),
        Target::Type(name) => format!("type-{name}"),
        Target::Event(name) => format!("event-{name}"),
        Target::Service(name) => format!("service-{name}"),
        Target::View(service, view) => format!("view-{service}.{view}"),
        Target::Cost => "cost".into(),
    }
}

/// `text` with the characters that are special in HTML text and attributes escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The whole page. `pages` starts with the index page.
pub fn render(system_name: &str, pages: &[Page], diagrams: &Diagrams) -> String {
    let mut out = String::from("<!DOCTYPE html>\n");
    out.push_str(&header(CommentStyle::Markup));
    let title = escape(system_name);
    let _ = writeln!(
        out,
        "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}: events, services and views</title>\n<style>{CSS}</style>\n</head>\n<body>"
    );
    let _ = writeln!(
        out,
        "<header><h1><a href=\"#overview\">{title}</a></h1><input id=\"search\" type=\"search\" placeholder=\"Search events, services, views, fields\" aria-label=\"Search\" autocomplete=\"off\"><p id=\"search-status\" role=\"status\"></p></header>"
    );
    out.push_str("<div class=\"layout\">\n<nav>\n");
    for (kind, title) in [
        ("Event", "Events"),
        ("Service", "Services"),
        ("View", "Views"),
        ("Types", "Types"),
    ] {
        let _ = writeln!(out, "<h2>{title}</h2>\n<ul>");
        for page in pages.iter().filter(|p| p.kind == kind) {
            let id = anchor(&page.target);
            let _ = writeln!(
                out,
                "<li data-for=\"{id}\"><a href=\"#{id}\">{}</a></li>",
                escape(&page.title)
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</nav>\n<main>\n");
    for page in pages {
        article(&mut out, page, diagrams);
    }
    let _ = writeln!(
        out,
        "</main>\n</div>\n<script>{SCRIPT}</script>\n</body>\n</html>"
    );
    out
}

fn article(out: &mut String, page: &Page, diagrams: &Diagrams) {
    let id = anchor(&page.target);
    // The overview lists everything, so it is not a search result.
    let search = if page.target == Target::Index {
        String::new()
    } else {
        format!(
            " data-search=\"{}\"",
            escape(&page.search_text().to_lowercase())
        )
    };
    let _ = writeln!(
        out,
        "<article id=\"{id}\" class=\"page\" data-kind=\"{}\"{search}>\n<h2><span class=\"kind\">{}</span> {}</h2>",
        page.kind.to_lowercase(),
        page.kind,
        escape(&page.title)
    );
    for block in &page.blocks {
        match block {
            Block::Heading {
                level,
                text,
                anchor: target,
            } => {
                let id = target
                    .as_ref()
                    .map(|t| format!(" id=\"{}\"", anchor(t)))
                    .unwrap_or_default();
                let level = level + 1;
                let _ = writeln!(out, "<h{level}{id}>{}</h{level}>", line(text));
            }
            Block::Paragraph(text) => {
                let _ = writeln!(out, "<p>{}</p>", line(text));
            }
            Block::Table { head, rows } => {
                out.push_str("<div class=\"table\"><table>");
                // Markdown needs a header row; a table of untitled columns needs none here.
                if head.iter().any(|cell| !cell.is_empty()) {
                    out.push_str("<thead><tr>");
                    for cell in head {
                        let _ = write!(out, "<th>{}</th>", escape(cell));
                    }
                    out.push_str("</tr></thead>");
                }
                out.push_str("<tbody>\n");
                for row in rows {
                    out.push_str("<tr>");
                    for cell in row {
                        let _ = write!(out, "<td>{}</td>", line(cell));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody></table></div>\n");
            }
            Block::Code { lang, text } => {
                let _ = writeln!(
                    out,
                    "<pre><code class=\"language-{lang}\">{}</code></pre>",
                    escape(text)
                );
            }
            Block::Diagram(diagram) => {
                if let Some(graph) = diagrams.get(diagram) {
                    out.push_str("<figure class=\"diagram\">\n");
                    out.push_str(&svg::render(graph, &|t| format!("#{}", anchor(t))));
                    out.push_str("</figure>\n");
                }
            }
        }
    }
    out.push_str("</article>\n");
}

fn line(line: &Line) -> String {
    line.iter()
        .map(|inline| match inline {
            Inline::Text(text) => escape(text),
            Inline::Code(text) => format!("<code>{}</code>", escape(text)),
            Inline::Emphasis(text) => format!("<em>{}</em>", escape(text)),
            Inline::Link { text, target } => format!(
                "<a href=\"#{}\"><code>{}</code></a>",
                anchor(target),
                escape(text)
            ),
        })
        .collect()
}

const CSS: &str = "
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg-soft:#f6f8fa;--accent:#0969da}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:var(--fg)}
header{position:sticky;top:0;z-index:1;display:flex;gap:16px;align-items:center;padding:10px 20px;background:#fff;border-bottom:1px solid var(--line)}
header h1{font-size:20px;margin:0}
header h1 a{color:inherit;text-decoration:none}
#search{flex:0 1 420px;padding:6px 10px;font:inherit;border:1px solid var(--line);border-radius:6px}
#search-status{margin:0;color:var(--muted);font-size:13px}
.layout{display:flex;align-items:flex-start}
nav{position:sticky;top:58px;flex:0 0 230px;max-height:calc(100vh - 58px);overflow:auto;padding:12px 20px;border-right:1px solid var(--line);font-size:14px}
nav h2{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);margin:14px 0 4px}
nav ul{list-style:none;margin:0;padding:0}
nav li[hidden]{display:none}
main{flex:1;min-width:0;padding:0 28px 40px}
article{padding:8px 0 24px;border-bottom:1px solid var(--line)}
article[hidden]{display:none}
article h2{font-size:24px;margin:18px 0 8px}
article h3{font-size:18px;margin:20px 0 6px}
article h4{font-size:15px;margin:16px 0 4px}
.kind{font-size:12px;font-weight:600;text-transform:uppercase;letter-spacing:.05em;color:#fff;background:var(--accent);border-radius:4px;padding:2px 6px;vertical-align:middle}
a{color:var(--accent)}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--bg-soft);border-radius:4px;padding:1px 4px}
pre{background:var(--bg-soft);border-radius:6px;padding:10px 14px;overflow:auto}
pre code{padding:0;background:none}
.table{overflow-x:auto}
table{border-collapse:collapse;margin:8px 0;font-size:14px}
th,td{border:1px solid var(--line);padding:4px 10px;text-align:left;vertical-align:top}
th{background:var(--bg-soft)}
figure.diagram{margin:12px 0;overflow-x:auto}
";

const SCRIPT: &str = r#"
(function () {
  var input = document.getElementById('search');
  var status = document.getElementById('search-status');
  var pages = Array.prototype.slice.call(document.querySelectorAll('article.page'));
  function run(query) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    pages.forEach(function (page) {
      var text = page.getAttribute('data-search');
      var hit = words.length === 0 || (text !== null && words.every(function (w) {
        return text.indexOf(w) >= 0;
      }));
      page.hidden = !hit;
      var item = document.querySelector('nav li[data-for="' + page.id + '"]');
      if (item) { item.hidden = !hit; }
      if (hit && text !== null) { shown += 1; }
    });
    status.textContent = words.length === 0 ? '' :
      shown + (shown === 1 ? ' match' : ' matches') + ' for \u201c' + query + '\u201d';
  }
  function fromHash() {
    var match = /^#search=(.*)$/.exec(location.hash);
    if (match) {
      input.value = decodeURIComponent(match[1]);
      run(input.value);
      return;
    }
    // A link to an item hidden by the search clears the search.
    var target = location.hash.length > 1 && document.getElementById(location.hash.slice(1));
    if (target && target.closest('article[hidden]')) {
      input.value = '';
      run('');
      target.scrollIntoView();
    }
  }
  input.addEventListener('input', function () {
    run(input.value);
    history.replaceState(null, '', input.value ? '#search=' + encodeURIComponent(input.value) : '#');
  });
  window.addEventListener('hashchange', fromHash);
  fromHash();
})();
"#;

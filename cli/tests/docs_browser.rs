//! The generated `index.html` in a real browser: headless Chromium (Debian's `chromium`
//! package) loads the shop's catalog from disk, runs its inline script, and the DOM it dumps
//! shows the diagram and the result of a search given in the URL fragment. Screenshots are
//! saved under `target/tmp/docs-browser/` for people to look at.
//!
//! `scripts/test` installs Chromium. Without it this test FAILS with a message saying so,
//! rather than passing without having looked: set `CQRSGEN_CHROMIUM` to use another binary.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The Chromium binary: `CQRSGEN_CHROMIUM`, else Debian's.
fn chromium() -> PathBuf {
    let path = std::env::var_os("CQRSGEN_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.is_file(),
        "Chromium not found at {}: run `scripts/test` (it installs Debian's `chromium`), \
         or `apt-get install -y chromium`, or point CQRSGEN_CHROMIUM at a Chromium binary",
        path.display()
    );
    path
}

/// Runs headless Chromium on `url` with `args`; returns stdout. A profile of its own and no
/// background networking keep it offline and independent of other runs.
fn run_chromium(url: &str, args: &[&str]) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let output = Command::new("timeout")
        .arg("120")
        .arg(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .output()
        .expect("chromium runs");
    assert!(
        output.status.success(),
        "chromium failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The opening tag of the element with `id` in a dumped DOM.
fn opening_tag<'a>(dom: &'a str, id: &str) -> &'a str {
    let at = dom
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("#{id} is in the page"));
    let start = dom[..at].rfind('<').unwrap_or(0);
    let end = at + dom[at..].find('>').unwrap_or(0);
    &dom[start..=end]
}

fn generate_shop_docs(out: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let status = Command::new(env!("CARGO_BIN_EXE_cqrsgen"))
        .arg("docs")
        .arg(root.join("examples/shop"))
        .arg("--out")
        .arg(out)
        .status()
        .expect("cqrsgen runs");
    assert!(status.success());
}

#[test]
fn the_html_catalog_renders_and_searches_in_chromium() {
    let dir = tempfile::tempdir().expect("temp dir");
    generate_shop_docs(dir.path());
    let page = dir.path().join("index.html");
    let url = format!("file://{}", page.display());
    let artifacts = Path::new(env!("CARGO_TARGET_TMPDIR")).join("docs-browser");
    std::fs::create_dir_all(&artifacts).expect("artifact dir");

    // Without a search: everything is shown, with the system diagram.
    let dom = run_chromium(&url, &["--dump-dom"]);
    assert!(dom.contains("<title>shop: events, services and views</title>"));
    let overview = &dom[dom.find("id=\"overview\"").expect("overview")..];
    let diagram = &overview[overview.find("<svg").expect("an inline SVG diagram")..];
    assert!(diagram.contains("class=\"cqrsgen-diagram\""));
    assert!(diagram.contains("data-name=\"order-placed\""));
    assert!(!opening_tag(&dom, "event-customer-registered").contains("hidden"));

    // A search from the URL fragment: the event is shown, unrelated items are hidden.
    let search = format!("{url}#search=order-placed");
    let dom = run_chromium(&search, &["--dump-dom"]);
    assert!(!opening_tag(&dom, "event-order-placed").contains("hidden"));
    assert!(!opening_tag(&dom, "service-shipping").contains("hidden"));
    assert!(opening_tag(&dom, "event-customer-registered").contains("hidden"));
    assert!(opening_tag(&dom, "overview").contains("hidden"));
    assert!(
        dom.contains("matches for “order-placed”"),
        "search status shown"
    );
    let value = opening_tag(&dom, "search");
    assert!(value.contains("type=\"search\""));

    // Screenshots, for people.
    for (name, url) in [("index.png", &url), ("search-order-placed.png", &search)] {
        let shot = artifacts.join(name);
        let _ = std::fs::remove_file(&shot);
        run_chromium(
            url,
            &[
                &format!("--screenshot={}", shot.display()),
                "--window-size=1400,1000",
            ],
        );
        let bytes = std::fs::read(&shot).expect("screenshot written");
        assert!(bytes.starts_with(b"\x89PNG"), "{name} is a PNG");
    }
}

//! Writes a synthetic spec of a given size, for benchmarks:
//! `cargo run -p cqrsgen --example synth -- --events 1000 --services 100 --views 200 --out DIR`.
//!
//! Every event is owned by one service (round robin) and consumed by one other service; each
//! service has the same number of views, and each view projects the events of its share of
//! the service's subscriptions. The result validates without findings.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Parser;

/// Synthetic spec generator.
#[derive(Debug, Parser)]
struct Args {
    /// Number of events.
    #[arg(long, default_value_t = 1000)]
    events: usize,
    /// Number of services.
    #[arg(long, default_value_t = 100)]
    services: usize,
    /// Number of views (spread evenly over the services).
    #[arg(long, default_value_t = 200)]
    views: usize,
    /// Output directory.
    #[arg(long, default_value = "target/synth")]
    out: PathBuf,
    /// Also write `scenario.yaml` with this many entity changes for `cqrsgen simulate`:
    /// rows inserted round robin over the services, each then modified nine times, its
    /// status moving through s1..s9 (one transition event per change).
    #[arg(long, value_name = "N")]
    scenario_changes: Option<usize>,
}

/// A scenario of `changes` changes over `services` services.
fn scenario(changes: usize, services: usize) -> String {
    let mut text = String::from("scenario: 1\ndescription: Synthetic changes.\nsteps:\n");
    for i in 0..changes {
        // Ten consecutive changes of one row: an insert, then nine status moves.
        let row = i / 10;
        let s = row % services;
        let id = format!("00000000-0000-4000-8000-{row:012x}");
        let step = i % 10;
        if step == 0 {
            writeln!(text, "  - {{ service: svc-{s}, insert: thing-{s}, values: {{ id: {id}, name: n{row}, amount: \"1.50\", count: {}, status: s0, createdAt: \"2026-03-14T09:26:53Z\" }} }}", row % 7).ok();
        } else {
            writeln!(text, "  - {{ service: svc-{s}, modify: thing-{s}, key: {id}, set: {{ status: s{step} }} }}").ok();
        }
    }
    text
}

const FIELDS: &str = "      id: uuid
      name: { type: string, maxLength: 200 }
      amount: { type: decimal, min: 0 }
      count: { type: integer, min: 0, max: 1000000 }
      status: status
      createdAt: timestamp
      note: string?
";

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let services = args.services.max(2);
    let views_per_service = args.views.div_ceil(services).max(1);
    let mut manifest = String::from(
        "cqrsgen: 1\nsystem: synth\nbus: synth-hub\ninclude: [services/*.yaml]\ntypes:\n  status:\n    values: [s0, s1, s2, s3, s4, s5, s6, s7, s8, s9]\nevents:\n",
    );
    for e in 0..args.events {
        let owner = e % services;
        writeln!(manifest, "  ev-{e}:\n    owner: svc-{owner}\n    entity: thing-{owner}\n    description: Synthetic event {e}.\n    fields:\n{FIELDS}").ok();
    }
    std::fs::create_dir_all(args.out.join("services"))?;
    std::fs::write(args.out.join("cqrsgen.yaml"), manifest)?;

    for s in 0..services {
        let owned: Vec<usize> = (0..args.events).filter(|e| e % services == s).collect();
        let consumed: Vec<usize> = (0..args.events)
            .filter(|e| (e + 1) % services == s)
            .collect();
        let mut text = format!(
            "cqrsgen: 1\nservices:\n  svc-{s}:\n    entities:\n      thing-{s}:\n        key: id\n        fields:\n"
        );
        text.push_str(&FIELDS.replace("      ", "          "));
        text.push_str("    publishes:\n");
        for (i, e) in owned.iter().enumerate() {
            let when = if i == 0 {
                "insert".to_owned()
            } else {
                format!("{{ field: status, becomes: s{} }}", i % 10)
            };
            writeln!(
                text,
                "      - {{ event: ev-{e}, entity: thing-{s}, when: {when} }}"
            )
            .ok();
        }
        if !consumed.is_empty() {
            text.push_str("    subscribes:\n");
            for e in &consumed {
                writeln!(text, "      - event: ev-{e}\n        filter: {{ status: {{ anything-but: [s9] }}, count: {{ numeric: {{ gt: 0 }} }} }}").ok();
            }
            text.push_str("    views:\n");
            let chunk = consumed.len().div_ceil(views_per_service).max(1);
            for (v, events) in consumed.chunks(chunk).enumerate() {
                writeln!(text, "      view-{v}:\n        key: {{ partition: id }}\n        indexes:\n          by-status: {{ partition: status, sort: at }}\n        fields: {{ id: uuid, name: string, amount: decimal, count: integer, status: status, at: integer }}\n        projections:").ok();
                for e in events {
                    writeln!(text, "          ev-{e}: {{ upsert: {{ id: id, name: name, amount: amount, count: count, status: status, at: $timestamp }} }}").ok();
                }
            }
        }
        std::fs::write(args.out.join(format!("services/svc-{s}.yaml")), text)?;
    }
    if let Some(changes) = args.scenario_changes {
        std::fs::write(args.out.join("scenario.yaml"), scenario(changes, services))?;
    }
    eprintln!(
        "wrote {} events, {services} services to {}",
        args.events,
        args.out.display()
    );
    Ok(())
}

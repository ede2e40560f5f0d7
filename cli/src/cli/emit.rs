//! `cqrsgen emit`: put an example event of the spec on a bus.

use std::time::{SystemTime, UNIX_EPOCH};

use super::{EXIT_FINDINGS, EXIT_OK, EmitArgs, emit_report, usage_error};
#[cfg(feature = "send")]
use crate::send::bus::{self, PutError, Target};
use crate::send::{self, Entry, Request};

/// Validates the project, builds the entry and sends it (or prints it with `--dry-run`);
/// returns the exit code.
pub fn run(args: &EmitArgs) -> u8 {
    let project = match crate::load::load(&args.path) {
        Ok(project) => project,
        Err(e) => return usage_error(e),
    };
    let outcome = crate::validate::validate(&project);
    if outcome.errors() > 0 {
        emit_report(&args.report, &project, &outcome.diagnostics);
    }
    let Some(system) = outcome.ir else {
        return EXIT_FINDINGS;
    };
    let request = Request {
        event: &args.event,
        example: args.example,
        bus: args.bus.as_deref(),
        stage: Some(&args.stage),
        source: args.source.as_deref(),
        partition_key: args.partition_key.as_deref(),
    };
    let id = uuid::Uuid::new_v4().to_string();
    let entry = match send::entry(&system, &request, &id, now_ms()) {
        Ok(entry) => entry,
        Err(e) => return usage_error(e),
    };
    if args.dry_run {
        println!(
            "{}",
            serde_json::to_string_pretty(&[&entry]).unwrap_or_default()
        );
        return EXIT_OK;
    }
    put(args, &entry, &id)
}

/// Puts `entry` (envelope id `id`) on its bus; returns the exit code.
#[cfg(feature = "send")]
fn put(args: &EmitArgs, entry: &Entry, id: &str) -> u8 {
    let target = Target {
        endpoint_url: args.endpoint_url.clone(),
        region: args.region.clone(),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return usage_error(format!("cannot start the async runtime: {e}")),
    };
    let sent = runtime.block_on(async {
        let client = bus::client(&target).await?;
        bus::put(entry, &client).await
    });
    match sent {
        Ok(event_id) => {
            println!(
                "put `{}` (example {}) on bus `{}`: envelope id {id}, EventBridge event id {event_id}",
                entry.detail_type, args.example, entry.event_bus_name
            );
            EXIT_OK
        }
        Err(e @ PutError::Rejected { .. }) => {
            eprintln!("error: {e}");
            EXIT_FINDINGS
        }
        Err(e) => usage_error(e),
    }
}

/// Without the AWS SDK (the `send` feature is off), nothing can be put on a bus.
#[cfg(not(feature = "send"))]
fn put(_args: &EmitArgs, _entry: &Entry, _id: &str) -> u8 {
    usage_error(
        "this cqrsgen was built without the `send` feature (`cargo install --no-default-features`), \
         so `emit` cannot put events on a bus: pass --dry-run to print the entry for \
         `aws events put-events --entries`, or install cqrsgen with its default features",
    )
}

/// Now, in epoch milliseconds.
fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

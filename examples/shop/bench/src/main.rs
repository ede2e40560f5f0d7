//! The shop's generated listener (shipping) and trigger (orders-bff) against AWS clients
//! stubbed with latency: per batch of 10 and of 100, the wall time of a batch (what Lambda
//! bills) and the events per second of one instance. Run by `scripts/bench-throughput`,
//! which also runs aws-lambda-stream on the inputs this writes (`--inputs DIR`).
//!
//! ```text
//! shop-bench [--batches N] [--inputs DIR]
//! ```
//!
//! Latencies come from `DYNAMODB_LATENCY_MS` (default 5) and `PUTEVENTS_LATENCY_MS` (20);
//! concurrency from the runtime's variables (`CQRSGEN_LISTENER_CONCURRENCY`,
//! `CQRSGEN_PUBLISH_CONCURRENCY`). Prints one tab-separated line per scenario: `rust`,
//! the path, the batch size, the median milliseconds per batch and the events per second.

mod inputs;
mod stub;

use std::error::Error;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use cqrsgen_runtime::clients;
use cqrsgen_runtime::deadline::Deadline;
use cqrsgen_runtime::listener::{ListenerConfig, process_batch_with};
use cqrsgen_runtime::publish::{EventBridgePublisher, PublishConfig};
use cqrsgen_runtime::trigger::Trigger;
use shop_shipping::{Listener, PendingShipmentView, Views};
use shop_shipping_app::hooks::ServiceHooks;

use crate::stub::Latency;

/// The batch sizes measured.
const SIZES: [usize; 2] = [10, 100];

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let args = Args::parse()?;
    let latency = Latency {
        dynamodb: millis("DYNAMODB_LATENCY_MS", 5)?,
        put_events: millis("PUTEVENTS_LATENCY_MS", 20)?,
    };
    let config = stub::sdk_config(latency);
    let listener = Listener::new(
        Views {
            pending_shipment: PendingShipmentView::dynamo(
                clients::dynamodb(&config),
                "shop-shipping-pending-shipment",
            ),
        },
        ServiceHooks,
    );
    let listener_config = ListenerConfig::from_env()?;
    let trigger = Trigger {
        source: shop_orders_bff::SERVICE.to_owned(),
        region: inputs::REGION.to_owned(),
        publisher: EventBridgePublisher::new(clients::eventbridge(&config), "shop-hub-bench"),
        config: PublishConfig::from_env()?,
    };
    let mapper = inputs::mapper();
    for size in SIZES {
        let records = inputs::stream_event(size)?;
        let messages = inputs::sqs_event(&records, &mapper).await?;
        if let Some(dir) = &args.inputs {
            std::fs::create_dir_all(dir)?;
            std::fs::write(
                dir.join(format!("trigger-{size}.json")),
                serde_json::to_vec(&records)?,
            )?;
            std::fs::write(
                dir.join(format!("listener-{size}.json")),
                serde_json::to_vec(&messages)?,
            )?;
        }
        let listen = measure(args.batches, || async {
            let response =
                process_batch_with(&listener, &messages, &listener_config, Deadline::NONE).await?;
            failures(response.batch_item_failures.len())
        })
        .await?;
        report("listener", size, messages.records.len(), listen);
        let publish = measure(args.batches, || async {
            let response = trigger.handle(&records, &mapper).await;
            failures(response.batch_item_failures.len())
        })
        .await?;
        report("trigger", size, messages.records.len(), publish);
    }
    Ok(())
}

/// Command line arguments.
struct Args {
    /// Batches measured per scenario (after as many warm-up batches as a tenth of them).
    batches: usize,
    /// Where to write the inputs (`trigger-<size>.json`, `listener-<size>.json`).
    inputs: Option<PathBuf>,
}

impl Args {
    fn parse() -> Result<Self, Box<dyn Error>> {
        let mut args = Self {
            batches: 50,
            inputs: None,
        };
        let mut given = std::env::args().skip(1);
        while let Some(arg) = given.next() {
            let value = given.next().ok_or_else(|| format!("{arg} needs a value"))?;
            match arg.as_str() {
                "--batches" => args.batches = value.parse()?,
                "--inputs" => args.inputs = Some(value.into()),
                _ => return Err(format!("unknown argument {arg}").into()),
            }
        }
        Ok(args)
    }
}

/// The latency in the variable `name`, in milliseconds (`default` when unset).
fn millis(name: &str, default: u64) -> Result<Duration, Box<dyn Error>> {
    let value = std::env::var(name).map_or(Ok(default), |value| value.parse())?;
    Ok(Duration::from_millis(value))
}

fn failures(count: usize) -> Result<(), Box<dyn Error>> {
    if count == 0 {
        Ok(())
    } else {
        Err(format!("{count} messages or records failed").into())
    }
}

/// The median wall time of `batches` runs of `run`, after warm-up runs.
async fn measure<F, Fut>(batches: usize, run: F) -> Result<Duration, Box<dyn Error>>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<(), Box<dyn Error>>>,
{
    for _ in 0..batches.div_ceil(10) {
        run().await?;
    }
    let mut times = Vec::with_capacity(batches);
    for _ in 0..batches {
        let start = Instant::now();
        run().await?;
        times.push(start.elapsed());
    }
    times.sort_unstable();
    Ok(times.get(times.len() / 2).copied().unwrap_or_default())
}

fn report(path: &str, size: usize, events: usize, median: Duration) {
    let per_second = events as f64 / median.as_secs_f64();
    println!(
        "rust\t{path}\t{size}\t{:.2}\t{per_second:.0}",
        median.as_secs_f64() * 1000.0
    );
}

//! The command line: argument parsing and the commands, as library code so it can be tested
//! and reused; `main.rs` only calls [`run`].

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

mod check;
mod cost;
mod diff;
mod docs;
mod emit;
mod export;
mod generate;
mod init;
mod simulate;
mod validate;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::diff::ChangeCode;
use crate::diff::render::DiffFormat;
use crate::report::{self, Format, RenderOptions, Sources};

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: the spec has errors (or a check failed).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage or I/O error.
pub const EXIT_USAGE: u8 = 2;

/// cqrsgen: system-wide CQRS on AWS from a YAML description of events, services and views.
#[derive(Debug, Parser)]
#[command(name = "cqrsgen", version, about, long_about = None, propagate_version = true)]
#[command(after_help = "Start with `cqrsgen init my-system`, then `cqrsgen generate my-system`.")]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a spec: JSON Schema shape, references, types, names and AWS limits.
    #[command(
        after_help = "Examples:\n  cqrsgen validate\n  cqrsgen validate examples/shop --format json\n  cqrsgen validate --format github --deny-warnings"
    )]
    Validate(ValidateArgs),
    /// List the changes since a base spec, classified per consumer.
    ///
    /// Every change is breaking, compatible or informational, judged by what each consumer
    /// reads. Exit 1 when a breaking change is not allowed, 2 on usage or I/O errors.
    #[command(
        after_help = "Examples:\n  cqrsgen diff --against main\n  cqrsgen diff --against origin/main examples/shop --format markdown\n  cqrsgen diff --against ../old-spec --allow B004\n\nChange codes and the JSON shape: docs/diff.md"
    )]
    Diff(DiffArgs),
    /// The CI gate: validate, check generated files, and diff against a base.
    #[command(
        after_help = "Examples:\n  cqrsgen check\n  cqrsgen check --against origin/main --format github"
    )]
    Check(CheckArgs),
    /// Validate, then generate the events crate, service crates and infrastructure templates.
    #[command(after_help = "\
Examples:
  cqrsgen generate                      # ./cqrsgen.yaml into ./generated
  cqrsgen generate examples/shop --out /tmp/shop
  cqrsgen generate --check              # CI: exit 1 with a diff when generated files are stale

Exit codes: 0 done (or up to date), 1 findings in the spec (or stale output with --check),
2 usage or I/O error, or a file in the way that cqrsgen did not generate.")]
    Generate(GenerateArgs),
    /// Create a new project with a working multi-service example spec.
    #[command(after_help = "Examples:\n  cqrsgen init my-system\n  cqrsgen init . --force")]
    Init(InitArgs),
    /// Generate browsable docs: a page per event, service and view, diagrams, one HTML page.
    #[command(
        after_help = "Examples:\n  cqrsgen docs\n  cqrsgen docs examples/shop --out examples/shop/docs\n  cqrsgen docs --check"
    )]
    Docs(DocsArgs),
    /// Put an example event of the spec on a bus, to smoke-test a deployed or local stack.
    ///
    /// The event is one of the spec's `examples`, wrapped into the envelope the generated
    /// listeners decode. AWS configuration comes from the usual places (environment,
    /// profile); `--endpoint-url` or `AWS_ENDPOINT_URL` point it at an emulator.
    #[command(after_help = "\
Examples:
  cqrsgen emit order-placed examples/shop
  cqrsgen emit payment-captured --example 1 --endpoint-url http://127.0.0.1:5000 --region eu-central-1
  cqrsgen emit customer-registered --dry-run    # print the PutEvents entry, send nothing

Exit codes: 0 put, 1 findings in the spec or the bus rejected the event, 2 usage, I/O or
AWS errors (no such event or example, no region, endpoint unreachable).")]
    Emit(EmitArgs),
    /// Estimate what the system costs a month on AWS, per service and per AWS service.
    ///
    /// From the spec (who publishes what, who subscribes with which filter, which views each
    /// event writes), a volumes file (changes or events per month, filter pass rates, sizes,
    /// function settings) and a price table (the built-in one names its region and date).
    #[command(after_help = "\
Examples:
  cqrsgen cost --volumes volumes.yaml
  cqrsgen cost examples/shop --volumes examples/shop/volumes.yaml --format markdown
  cqrsgen cost --prices my-region.yaml --free-tier --format json

Without --volumes, the project's volumes.yaml is read. The volumes format:
schemas/volumes.schema.json; the cost model, its assumptions and the price table:
docs/cost.md.

Exit codes: 0 estimated, 1 findings in the spec, the volumes file or the price table,
2 usage or I/O error.")]
    Cost(CostArgs),
    /// Export the system in another format: an AsyncAPI 3.0 document.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Run a scenario against the spec, in process: events, deliveries and views.
    ///
    /// Shows the events each change produces, where the rules deliver them (or which
    /// condition filters them out), and the views afterwards.
    ///
    /// No generated code and no AWS: the spec's `publishes` rules, subscription patterns and
    /// projections are interpreted, with the runtime's ordering rule for views. Hooks are
    /// reported as not simulated. The format: docs/simulate.md.
    #[command(after_help = "\
Examples:
  cqrsgen simulate examples/shop --scenario examples/shop/scenarios/order-lifecycle.yaml
  cqrsgen simulate --scenario s.yaml --format json
  cqrsgen simulate --scenario s.yaml --assert s.yaml   # compare with the scenario's `expect`

Exit codes: 0 done (and the views are as expected), 1 findings in the spec or the scenario,
or views that differ from the expected rows, 2 usage or I/O error.")]
    Simulate(SimulateArgs),
    /// Print the JSON Schema of the spec format (or of scenarios, or of volumes files).
    #[command(
        after_help = "Examples:\n  cqrsgen schema > cqrsgen.schema.json\n  cqrsgen schema --scenario > scenario.schema.json\n  cqrsgen schema --volumes > volumes.schema.json"
    )]
    Schema {
        /// Print the schema of the scenario format of `simulate` instead.
        #[arg(long)]
        scenario: bool,
        /// Print the schema of the volumes format of `cost` instead.
        #[arg(long, conflicts_with = "scenario")]
        volumes: bool,
    },
    /// Print a shell completion script.
    #[command(after_help = "Example:\n  cqrsgen completions bash > /etc/bash_completion.d/cqrsgen")]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// `cqrsgen cost`.
#[derive(Debug, Args)]
pub struct CostArgs {
    /// Project directory or manifest file.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The volumes file [default: `volumes.yaml` in the project directory].
    #[arg(long, value_name = "FILE")]
    pub volumes: Option<PathBuf>,
    /// A price table to use instead of the built-in one (same format as
    /// `cli/src/cost/prices/us-east-1.yaml`).
    #[arg(long, value_name = "FILE")]
    pub prices: Option<PathBuf>,
    /// Deduct the AWS Free Tier (per account and region, as if nothing else used it).
    #[arg(long)]
    pub free_tier: bool,
    /// Output format of the estimate.
    #[arg(long, value_enum, default_value_t = crate::cost::render::CostFormat::Human)]
    pub format: crate::cost::render::CostFormat,
    /// When to color findings.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

/// `cqrsgen export`: the formats.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Write the system as an AsyncAPI 3.0 document: the bus, a channel per event, a message
    /// per event version, send and receive operations.
    #[command(after_help = "\
Examples:
  cqrsgen export asyncapi                          # JSON to stdout
  cqrsgen export asyncapi examples/shop --out shop.asyncapi.yaml
  cqrsgen export asyncapi --out asyncapi.json --api-version 2.3.0

The file extension picks the format: .yaml or .yml for YAML, .json for JSON. What maps to
what: docs/asyncapi.md.

Exit codes: 0 written, 1 findings in the spec, 2 usage or I/O error.")]
    Asyncapi(AsyncapiArgs),
}

/// `cqrsgen export asyncapi`.
#[derive(Debug, Args)]
pub struct AsyncapiArgs {
    /// Project directory or manifest file.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The file to write (`.json`, `.yaml` or `.yml`) [default: JSON to stdout].
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The document's `info.version` (the spec versions events, not the whole API).
    #[arg(long, value_name = "VERSION", default_value = "1.0.0")]
    pub api_version: String,
    /// The AWS region in the server's variables and the examples' tags.
    #[arg(long, default_value = "us-east-1")]
    pub region: String,
    /// How to report findings of the spec.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Options shared by commands that report findings.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output format of findings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// When to color human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

/// When to use colors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// When writing to a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// `cqrsgen validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Project directory or manifest file.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Treat warnings as errors (exit 1 when there are any).
    #[arg(long)]
    pub deny_warnings: bool,
    /// How to report.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// `cqrsgen docs`.
#[derive(Debug, Args)]
pub struct DocsArgs {
    /// Project directory or manifest file.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output directory [default: `docs-generated` in the project directory].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write nothing; exit 1 with a diff when the docs on disk are not up to date.
    #[arg(long)]
    pub check: bool,
    /// How to report findings.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// `cqrsgen generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Project directory or manifest file.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output directory [default: `generated` in the project directory].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write nothing; compare the output directory with what would be generated and exit 1
    /// with the list of files and a unified diff when they differ.
    #[arg(long)]
    pub check: bool,
    /// How to report findings of the spec.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// `cqrsgen diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The base: a git revision (`main`, `origin/main`, `HEAD~1`), read without a checkout,
    /// or a directory holding an older copy of the spec.
    #[arg(long, value_name = "BASE")]
    pub against: String,
    /// Project directory or manifest file.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Accept breaking changes with this code (repeat, or separate with commas).
    #[arg(long, value_name = "CODE", value_delimiter = ',', value_parser = diff::parse_code)]
    pub allow: Vec<ChangeCode>,
}

/// `cqrsgen check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Project directory or manifest file.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Also diff against this base (a git revision or a directory).
    #[arg(long, value_name = "BASE")]
    pub against: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Accept breaking changes with this code (repeat, or separate with commas).
    #[arg(long, value_name = "CODE", value_delimiter = ',', value_parser = diff::parse_code)]
    pub allow: Vec<ChangeCode>,
    /// Treat validation warnings as errors.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// `cqrsgen emit`.
#[derive(Debug, Args)]
pub struct EmitArgs {
    /// The event's name in the spec.
    pub event: String,
    /// Project directory or manifest file.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Which of the event's examples to send, counting from 1.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub example: usize,
    /// The bus [default: the deployed hub bus of `--stage`, `<bus>-<stage>`].
    #[arg(long, value_name = "NAME")]
    pub bus: Option<String>,
    /// The deployment stage whose hub bus gets the event (the templates' `Stage`).
    #[arg(long, value_name = "STAGE", default_value = "dev")]
    pub stage: String,
    /// The entry's `Source` [default: the owning service; `cqrsgen.emit` for external events].
    #[arg(long)]
    pub source: Option<String>,
    /// The envelope's `partitionKey` [default: the entity key in the example, else the id].
    #[arg(long, value_name = "KEY")]
    pub partition_key: Option<String>,
    /// The EventBridge endpoint, e.g. a local emulator [default: `AWS_ENDPOINT_URL`].
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// The AWS region [default: `AWS_REGION` or the profile's].
    #[arg(long)]
    pub region: Option<String>,
    /// Print the entry as `aws events put-events --entries` reads it; send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// How to report findings of the spec.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// `cqrsgen simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Project directory or manifest file.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The scenario to run (docs/simulate.md).
    #[arg(long, value_name = "FILE")]
    pub scenario: PathBuf,
    /// Compare the final views with the `expect` section of FILE (the scenario itself, or a
    /// file holding only `scenario: 1` and `expect`); exit 1 with the differences.
    #[arg(long, value_name = "FILE")]
    pub assert: Option<PathBuf>,
    /// Output format of the trace and views (and of findings).
    #[arg(long, value_enum, default_value_t = SimulateFormat::Human)]
    pub format: SimulateFormat,
    /// When to color findings.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

/// Output formats of `simulate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimulateFormat {
    /// The trace and the views as text.
    Human,
    /// One JSON document.
    Json,
}

/// `cqrsgen init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory to create the project in (created when missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Overwrite files that already exist.
    #[arg(long)]
    pub force: bool,
}

/// Parses the process arguments and runs the command.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    ExitCode::from(execute(cli))
}

/// Runs a parsed command; returns the exit code.
pub fn execute(cli: Cli) -> u8 {
    match cli.command {
        Command::Validate(args) => validate::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Generate(args) => generate::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Docs(args) => docs::run(&args),
        Command::Emit(args) => emit::run(&args),
        Command::Simulate(args) => simulate::run(&args),
        Command::Cost(args) => cost::run(&args),
        Command::Export(ExportCommand::Asyncapi(args)) => export::asyncapi(&args),
        Command::Schema { scenario, volumes } => {
            if scenario {
                print!("{}", scenario_schema_text());
            } else if volumes {
                print!("{}", volumes_schema_text());
            } else {
                print!("{}", schema_text());
            }
            EXIT_OK
        }
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "cqrsgen",
                &mut std::io::stdout(),
            );
            EXIT_OK
        }
    }
}

/// The published JSON Schema text (what `schemas/cqrsgen.schema.json` holds).
pub fn schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&crate::spec::json_schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// The published JSON Schema text of scenarios (what `schemas/scenario.schema.json` holds).
pub fn scenario_schema_text() -> String {
    let mut text =
        serde_json::to_string_pretty(&crate::simulate::scenario::json_schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// The published JSON Schema text of the volumes format (what
/// `schemas/volumes.schema.json` holds).
pub fn volumes_schema_text() -> String {
    let mut text =
        serde_json::to_string_pretty(&crate::cost::volumes::json_schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// Prints a usage or I/O error and returns [`EXIT_USAGE`].
pub(crate) fn usage_error(message: impl std::fmt::Display) -> u8 {
    eprintln!("error: {message}");
    EXIT_USAGE
}

/// Prints findings: human output to stderr, machine formats to stdout.
pub(crate) fn emit_report(
    args: &ReportArgs,
    project: &crate::load::Project,
    diagnostics: &[crate::diagnostic::Diagnostic],
) {
    print_findings(args, &sources(&project.files), diagnostics);
}

/// The text of every file, for the findings' snippets.
pub(crate) fn sources<'a>(files: impl IntoIterator<Item = &'a crate::load::SourceFile>) -> Sources {
    let mut sources = Sources::new();
    for file in files {
        sources.insert(file.path.clone(), file.text.clone());
    }
    sources
}

impl Color {
    /// Whether findings written to stderr are colored: `auto` colors a terminal unless
    /// `NO_COLOR` is set.
    pub(crate) fn on_stderr(self) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        }
    }
}

/// Prints findings in files of `sources`: human output to stderr, machine formats to stdout.
pub(crate) fn print_findings(
    args: &ReportArgs,
    sources: &Sources,
    diagnostics: &[crate::diagnostic::Diagnostic],
) {
    let options = RenderOptions {
        color: args.color.on_stderr(),
        ..RenderOptions::default()
    };
    let text = report::render(args.format, diagnostics, sources, &options);
    // A closed pipe is not worth a panic; there is no one left to tell.
    let _ = match args.format {
        Format::Human => std::io::stderr().write_all(text.as_bytes()),
        _ => std::io::stdout().write_all(text.as_bytes()),
    };
}

//! The stable fuzz harness: inputs (mutated seed projects, generated specs) run through
//! [`pipeline::run`] under a watchdog that turns panics, hangs and memory blow-ups into
//! failures. See `docs/fuzzing.md`.

pub mod memory;
pub mod mutate;
pub mod pipeline;
pub mod rng;
pub mod structured;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub use pipeline::Outcome;

/// A project: file paths (relative to its directory) and contents. The manifest is
/// `cqrsgen.yaml`.
pub type Files = Vec<(PathBuf, Vec<u8>)>;

/// Settings of a run, from the environment.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// How many inputs the run tries.
    pub cases: u64,
    /// Wall time after which the run stops early, whatever `cases` says.
    pub budget: Duration,
    /// Longest one input may take.
    pub per_input: Duration,
    /// Most memory one input may allocate at once, in bytes.
    pub max_bytes: usize,
    /// Seed of the random choices.
    pub seed: u64,
}

/// The seed of a run when `CQRSGEN_FUZZ_SEED` does not say: fixed, so that `cargo test`
/// tries the same inputs every time and a failure is replayed by running it again.
const DEFAULT_SEED: u64 = 0x00c0_ffee_5eed;

impl Settings {
    /// `cases` inputs unless `CQRSGEN_FUZZ_CASES` says otherwise; `CQRSGEN_FUZZ_SECONDS`
    /// (default 50) bounds the run's time, `CQRSGEN_FUZZ_INPUT_SECONDS` (default 20) one
    /// input's, `CQRSGEN_FUZZ_MAX_MB` (default 1024) its memory; `CQRSGEN_FUZZ_SEED`
    /// (default fixed) seeds the random choices.
    pub fn from_env(cases: u64) -> Self {
        let number = |name: &str, default: u64| {
            std::env::var(name)
                .ok()
                .map(|v| {
                    v.parse::<u64>()
                        .unwrap_or_else(|_| panic!("{name} must be a whole number, not `{v}`"))
                })
                .unwrap_or(default)
        };
        Settings {
            cases: number("CQRSGEN_FUZZ_CASES", cases),
            budget: Duration::from_secs(number("CQRSGEN_FUZZ_SECONDS", 50)),
            per_input: Duration::from_secs(number("CQRSGEN_FUZZ_INPUT_SECONDS", 20)),
            max_bytes: usize::try_from(number("CQRSGEN_FUZZ_MAX_MB", 1024))
                .unwrap_or(usize::MAX)
                .saturating_mul(1024 * 1024),
            seed: number("CQRSGEN_FUZZ_SEED", DEFAULT_SEED),
        }
    }

    /// Whether a run that started at `started` and has tried `inputs` goes on.
    pub fn goes_on(&self, started: Instant, inputs: u64) -> bool {
        inputs < self.cases && started.elapsed() < self.budget
    }
}

/// Why an input failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The pipeline panicked.
    Panic(String),
    /// It took longer than allowed.
    Timeout(Duration),
    /// It allocated more than allowed.
    Memory(usize),
    /// An invariant broke (a validated spec did not generate, ...).
    Broken(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Panic(message) => write!(f, "panic: {message}"),
            Failure::Timeout(limit) => write!(f, "no result within {limit:?}"),
            Failure::Memory(bytes) => write!(f, "allocated {} MiB at once", bytes >> 20),
            Failure::Broken(message) => write!(f, "{message}"),
        }
    }
}

/// Writes `files` into `dir` (emptied first).
pub fn materialize(dir: &Path, files: &Files) -> std::io::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    for (path, contents) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap_or(dir))?;
        std::fs::write(&path, contents)?;
    }
    Ok(())
}

/// Runs the pipeline on the project in `dir` in a thread of its own, so that a panic, a
/// hang or a memory blow-up is a failure rather than the end of the run. Memory is the
/// growth of the resident set over its size at the start, sampled every few milliseconds.
pub fn check(dir: &Path, settings: &Settings) -> Result<Outcome, Failure> {
    let (sender, receiver) = mpsc::channel();
    let owned = dir.to_path_buf();
    let base = memory::resident().unwrap_or(0);
    let start = Instant::now();
    let worker = std::thread::Builder::new()
        .name("fuzz-input".into())
        .spawn(move || {
            let result = std::panic::catch_unwind(|| pipeline::run(&owned));
            // The receiver is gone only after a failure, which is reported already.
            let _ = sender.send(result);
        })
        .expect("spawn the input thread");
    let result = loop {
        match receiver.recv_timeout(Duration::from_millis(5)) {
            Ok(result) => break result,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                break Err(Box::new("the input thread ended without a result"));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        let grown = memory::resident().unwrap_or(0).saturating_sub(base);
        if grown > settings.max_bytes {
            return Err(Failure::Memory(grown));
        }
        if start.elapsed() > settings.per_input {
            return Err(Failure::Timeout(settings.per_input));
        }
    };
    let _ = worker.join();
    match result {
        Err(payload) => Err(Failure::Panic(panic_message(payload.as_ref()))),
        Ok(Err(broken)) => Err(Failure::Broken(broken)),
        Ok(Ok(outcome)) => Ok(outcome),
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without message".to_owned())
}

/// Counts of what a run did, printed at its end.
#[derive(Debug, Default)]
pub struct Stats {
    /// Inputs run.
    pub inputs: u64,
    /// Inputs that were no project.
    pub not_a_project: u64,
    /// Inputs validation rejected.
    pub rejected: u64,
    /// Inputs that validated and generated.
    pub generated: u64,
    /// How often each error code was the reason for a rejection.
    pub codes: std::collections::BTreeMap<String, u64>,
    /// Failures with the directory their input was saved to.
    pub failures: Vec<(Failure, PathBuf)>,
    /// Slowest input.
    pub slowest: Duration,
    /// Why the run could not go on (e.g. a full disk), which is no finding about cqrsgen.
    pub stopped: Option<String>,
}

impl Stats {
    /// Records an outcome.
    pub fn record(&mut self, outcome: &Result<Outcome, Failure>, took: Duration) {
        self.inputs += 1;
        self.slowest = self.slowest.max(took);
        match outcome {
            Ok(Outcome::NotAProject) => self.not_a_project += 1,
            Ok(Outcome::Rejected(codes)) => {
                self.rejected += 1;
                for code in codes {
                    *self.codes.entry(code.clone()).or_default() += 1;
                }
            }
            Ok(Outcome::Generated(_)) => self.generated += 1,
            Err(_) => {}
        }
    }

    /// A report of the run, also written to `CARGO_TARGET_TMPDIR/fuzz-<name>.txt`.
    pub fn report(&self, name: &str, settings: &Settings, elapsed: Duration) -> String {
        let codes: Vec<String> = self.codes.iter().map(|(c, n)| format!("{c}:{n}")).collect();
        let failures: Vec<String> = self
            .failures
            .iter()
            .map(|(failure, dir)| format!("  {failure}\n    input: {}", dir.display()))
            .collect();
        let stopped = self
            .stopped
            .as_ref()
            .map(|why| format!("  stopped early: {why}\n"))
            .unwrap_or_default();
        let text = format!(
            "fuzz {name}: seed {}, {:.0?} (at most {:.0?}): {} of {} inputs ({} generated, {} rejected, {} not a project), slowest input {:.0?}, {} failures\n{stopped}  rejection codes: {}\n{}",
            settings.seed,
            elapsed,
            settings.budget,
            self.inputs,
            settings.cases,
            self.generated,
            self.rejected,
            self.not_a_project,
            self.slowest,
            self.failures.len(),
            codes.join(" "),
            failures.join("\n"),
        );
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fuzz-{name}.txt"));
        let _ = std::fs::write(path, &text);
        text
    }
}

/// Saves a failing input under `CARGO_TARGET_TMPDIR/fuzz-failures/`, to replay and to keep
/// as a regression.
pub fn save_failure(name: &str, files: &Files, failure: &Failure) -> PathBuf {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (path, contents) in files {
        for b in path
            .to_string_lossy()
            .bytes()
            .chain(contents.iter().copied())
        {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("fuzz-failures")
        .join(format!("{name}-{hash:016x}"));
    let _ = materialize(&dir, files);
    let _ = std::fs::write(dir.join("failure.txt"), failure.to_string());
    dir
}

/// With `CQRSGEN_FUZZ_KEEP=<code>` (e.g. `E006`), saves inputs rejected with that code under
/// `CARGO_TARGET_TMPDIR/fuzz-kept/`, to see what a generator or mutator produces.
pub fn keep(name: &str, files: &Files, outcome: &Result<Outcome, Failure>, count: u64) {
    let Some(code) = std::env::var_os("CQRSGEN_FUZZ_KEEP") else {
        return;
    };
    if let Ok(Outcome::Rejected(codes)) = outcome
        && codes.iter().any(|c| c.as_str() == code)
    {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("fuzz-kept")
            .join(format!("{name}-{}-{count}", code.to_string_lossy()));
        let _ = materialize(&dir, files);
    }
}

/// The seed projects: the corpus, the fixtures (where inputs that once broke the pipeline
/// are kept) and the examples.
pub fn seeds() -> Vec<Files> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut roots = Vec::new();
    for parent in ["tests/corpus", "tests/fixtures", "examples"] {
        let Ok(entries) = std::fs::read_dir(repo.join(parent)) else {
            continue;
        };
        let mut dirs: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join("cqrsgen.yaml").is_file())
            .collect();
        dirs.sort();
        roots.extend(dirs);
    }
    roots.iter().map(|root| project_files(root)).collect()
}

/// The YAML files of a project directory (not its generated output), relative paths.
pub fn project_files(root: &Path) -> Files {
    let mut files = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            let name = entry.file_name();
            if path.is_dir()
                && !["generated", "checks", "e2e", "docs", "target"]
                    .contains(&&*name.to_string_lossy())
            {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                let relative = path
                    .strip_prefix(root)
                    .expect("below the root")
                    .to_path_buf();
                files.push((relative, std::fs::read(&path).expect("a readable seed")));
            }
        }
    }
    files.sort();
    files
}

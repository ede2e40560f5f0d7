//! The functions' real binaries behind a local Lambda Runtime API: `cargo lambda watch`
//! (cargo-lambda's emulator of the Lambda service, no Docker) runs each `[[bin]]` of the
//! workspace on its first invocation, built for the host with `cargo run --bin NAME`, and
//! `cargo lambda invoke NAME` sends it an event and prints its answer.
//!
//! The emulator passes its own environment on to the functions, so [`LocalLambda::start`]
//! gives it what the templates would (`BUS_NAME`, the view tables, `STAGE`) plus
//! `AWS_ENDPOINT_URL` and dummy credentials pointing the functions' SDK clients at moto.
//!
//! The emulator runs in a process group of its own, with the functions it started;
//! dropping the [`LocalLambda`] ends the group.

use std::fs::File;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::moto::{Moto, REGION};
use crate::{HarnessError, Result};

/// The variable naming the cargo-lambda executable (default: `cargo-lambda` on `PATH`).
pub const CARGO_LAMBDA: &str = "CARGO_LAMBDA";

/// How long the emulator may take to listen.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// How long one invocation may take: the first one of a function also waits for
/// `cargo run` (a build when the binary is not current).
const INVOKE_TIMEOUT: Duration = Duration::from_secs(900);

/// A running `cargo lambda watch`.
#[derive(Debug)]
pub struct LocalLambda {
    cargo_lambda: PathBuf,
    child: Child,
    port: u16,
    dir: PathBuf,
    log: PathBuf,
    invocations: usize,
}

impl LocalLambda {
    /// Starts `cargo lambda watch` in the workspace at `workspace`, its log and the invoke
    /// payloads in `dir`; the functions get `env` and the settings that point them at
    /// `moto`. Returns once the emulator listens.
    pub fn start(moto: &Moto, workspace: &Path, dir: &Path, env: &[(&str, &str)]) -> Result<Self> {
        let cargo_lambda = cargo_lambda()?;
        std::fs::create_dir_all(dir)
            .map_err(|e| HarnessError::Data(format!("cannot create {}: {e}", dir.display())))?;
        let port = free_port()?;
        let log = dir.join("cargo-lambda-watch.log");
        let out = File::create(&log)
            .map_err(|e| HarnessError::Data(format!("cannot create {}: {e}", log.display())))?;
        let err = out
            .try_clone()
            .map_err(|e| HarnessError::Data(format!("cannot share {}: {e}", log.display())))?;
        let mut command = Command::new(&cargo_lambda);
        command
            .args(["lambda", "watch", "--ignore-changes", "--locked"])
            .args(["--invoke-address", "127.0.0.1", "--invoke-port"])
            .arg(port.to_string())
            .current_dir(workspace)
            .env("AWS_ENDPOINT_URL", moto.url())
            .env("AWS_REGION", REGION)
            .env("AWS_DEFAULT_REGION", REGION)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_SESSION_TOKEN")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .process_group(0);
        let child = command.spawn().map_err(|e| {
            HarnessError::Data(format!(
                "cannot run `{} lambda watch`: {e}",
                cargo_lambda.display()
            ))
        })?;
        let mut lambda = Self {
            cargo_lambda,
            child,
            port,
            dir: dir.to_owned(),
            log,
            invocations: 0,
        };
        lambda.wait_until_listening()?;
        Ok(lambda)
    }

    /// Invokes the function `name` (a `[[bin]]` of the workspace) with `event` through
    /// `cargo lambda invoke`, and decodes its answer.
    pub fn invoke<E: Serialize, R: DeserializeOwned>(
        &mut self,
        name: &str,
        event: &E,
    ) -> Result<R> {
        self.invocations += 1;
        let payload = self.dir.join(format!("{}-{name}.json", self.invocations));
        let json = serde_json::to_string_pretty(event)
            .map_err(|e| HarnessError::Data(format!("cannot encode the event for {name}: {e}")))?;
        std::fs::write(&payload, json)
            .map_err(|e| HarnessError::Data(format!("cannot write {}: {e}", payload.display())))?;
        let output = self.dir.join(format!("{}-{name}.out", self.invocations));
        let errors = self.dir.join(format!("{}-{name}.err", self.invocations));
        let create = |path: &Path| {
            File::create(path)
                .map_err(|e| HarnessError::Data(format!("cannot create {}: {e}", path.display())))
        };
        let mut invoke = Command::new(&self.cargo_lambda)
            .args(["lambda", "invoke", name, "--invoke-address", "127.0.0.1"])
            .arg("--invoke-port")
            .arg(self.port.to_string())
            .arg("--data-file")
            .arg(&payload)
            .stdin(Stdio::null())
            .stdout(create(&output)?)
            .stderr(create(&errors)?)
            .spawn()
            .map_err(|e| HarnessError::Data(format!("cannot run `cargo lambda invoke`: {e}")))?;
        let deadline = Instant::now() + INVOKE_TIMEOUT;
        let status = loop {
            match invoke.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(100));
                }
                Ok(None) => {
                    let _ = invoke.kill();
                    let _ = invoke.wait();
                    return Err(self.failure(&format!(
                        "`cargo lambda invoke {name}` did not answer within {} s",
                        INVOKE_TIMEOUT.as_secs()
                    )));
                }
                Err(e) => {
                    return Err(HarnessError::Data(format!(
                        "cannot wait for `cargo lambda invoke {name}`: {e}"
                    )));
                }
            }
        };
        let stdout = std::fs::read_to_string(&output).unwrap_or_default();
        if !status.success() {
            let stderr = std::fs::read_to_string(&errors).unwrap_or_default();
            return Err(self.failure(&format!(
                "`cargo lambda invoke {name}` failed ({status}):\n{stdout}{stderr}"
            )));
        }
        serde_json::from_str(stdout.trim()).map_err(|e| {
            self.failure(&format!(
                "the answer of {name} is not the expected response ({e}):\n{stdout}"
            ))
        })
    }

    /// What the emulator and the functions printed so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn failure(&self, what: &str) -> HarnessError {
        HarnessError::Data(format!(
            "{what}\n--- cargo lambda watch ({}) ---\n{}",
            self.log.display(),
            self.log()
        ))
    }

    fn wait_until_listening(&mut self) -> Result<()> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(self.failure(&format!("`cargo lambda watch` exited ({status})")));
            }
            if Instant::now() > deadline {
                return Err(self.failure(&format!(
                    "`cargo lambda watch` does not listen on {address} after {} s",
                    START_TIMEOUT.as_secs()
                )));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for LocalLambda {
    /// Ends the emulator and the functions it started: SIGTERM to the process group (the
    /// emulator passes it on to the functions), SIGKILL after five seconds.
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let kill = |signal: &str| {
            // The group may be gone already: kill's complaint is not news.
            let _ = Command::new("kill")
                .args([signal, "--", &group])
                .stderr(Stdio::null())
                .status();
        };
        kill("-TERM");
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        kill("-KILL");
        let _ = self.child.wait();
    }
}

/// The cargo-lambda executable: `CARGO_LAMBDA`, else `cargo-lambda` on `PATH`; it must run.
fn cargo_lambda() -> Result<PathBuf> {
    let path = std::env::var_os(CARGO_LAMBDA).map_or_else(|| "cargo-lambda".into(), PathBuf::from);
    let missing = |why: String| {
        HarnessError::Data(format!(
            "cargo-lambda is needed to run the Lambda binaries, and `{}` {why}: run \
             scripts/test-lambda (it installs cargo-lambda from tests/infra/requirements-sam.txt \
             into .venv-sam/), or set {CARGO_LAMBDA} to a cargo-lambda executable",
            path.display()
        ))
    };
    match Command::new(&path).args(["lambda", "--version"]).output() {
        Ok(output) if output.status.success() => Ok(path),
        Ok(output) => Err(missing(format!(
            "failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))),
        Err(e) => Err(missing(format!("cannot be run: {e}"))),
    }
}

/// A loopback port nobody listens on right now.
fn free_port() -> Result<u16> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|e| HarnessError::Data(format!("no free loopback port: {e}")))
}

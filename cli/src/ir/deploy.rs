//! Resolved deployment settings (`generate.deploy`): every service's functions, event
//! sources, log retention, tags and own resources, defaults and overrides applied.

use std::collections::BTreeMap;

pub use crate::spec::Architecture;
use crate::spec::{DeployDef, FunctionDef, ServiceDeployDef};

/// Days a function's logs are kept unless the spec says otherwise.
pub const DEFAULT_LOG_RETENTION_DAYS: u32 = 30;

/// The retention periods CloudWatch Logs accepts, in days.
pub const LOG_RETENTION_DAYS: &[u32] = &[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

/// The largest SQS batch Lambda takes without a batching window.
pub const SQS_BATCH_WITHOUT_WINDOW: u32 = 10;

impl Architecture {
    /// The name in templates (`Architectures`).
    pub fn as_str(self) -> &'static str {
        match self {
            Architecture::Arm64 => "arm64",
            Architecture::X86_64 => "x86_64",
        }
    }

    /// The Rust target cargo-lambda builds for it.
    pub fn rust_target(self) -> &'static str {
        match self {
            Architecture::Arm64 => "aarch64-unknown-linux-gnu",
            Architecture::X86_64 => "x86_64-unknown-linux-gnu",
        }
    }
}

/// One function and its event source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FunctionDeploy {
    /// Memory in MB.
    pub memory: u32,
    /// Timeout in seconds.
    pub timeout: u32,
    /// Records or messages per batch.
    pub batch_size: u32,
    /// Batching window in seconds (0: none).
    pub batch_window: u32,
    /// Most concurrent invocations of an SQS event source.
    pub maximum_concurrency: Option<u32>,
    /// Requests an invocation has in flight at once, when the spec sets it (the runtime's
    /// default otherwise).
    pub batch_concurrency: Option<u32>,
}

impl FunctionDeploy {
    /// The trigger's defaults.
    pub const TRIGGER: Self = Self {
        memory: 256,
        timeout: 60,
        batch_size: 100,
        batch_window: 0,
        maximum_concurrency: None,
        batch_concurrency: None,
    };

    /// The listener's defaults.
    pub const LISTENER: Self = Self {
        memory: 256,
        timeout: 30,
        batch_size: 10,
        batch_window: 0,
        maximum_concurrency: None,
        batch_concurrency: None,
    };

    fn apply(mut self, def: Option<&FunctionDef>) -> Self {
        if let Some(def) = def {
            self.memory = def.memory.unwrap_or(self.memory);
            self.timeout = def.timeout.unwrap_or(self.timeout);
            self.batch_size = def.batch_size.unwrap_or(self.batch_size);
            self.batch_window = def.batch_window.unwrap_or(self.batch_window);
            self.maximum_concurrency = def.maximum_concurrency.or(self.maximum_concurrency);
            self.batch_concurrency = def.batch_concurrency.or(self.batch_concurrency);
        }
        self
    }
}

/// The deployment settings of one service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceDeploy {
    /// The functions' instruction set.
    pub architecture: Architecture,
    /// Days the log groups keep logs.
    pub log_retention_days: u32,
    /// Tags of every resource that takes tags.
    pub tags: BTreeMap<String, String>,
    /// The trigger function.
    pub trigger: FunctionDeploy,
    /// The listener function.
    pub listener: FunctionDeploy,
    /// The user's own template for the service, relative to the manifest's directory.
    pub resources: Option<String>,
}

impl Default for ServiceDeploy {
    fn default() -> Self {
        Self {
            architecture: Architecture::Arm64,
            log_retention_days: DEFAULT_LOG_RETENTION_DAYS,
            tags: BTreeMap::new(),
            trigger: FunctionDeploy::TRIGGER,
            listener: FunctionDeploy::LISTENER,
            resources: None,
        }
    }
}

/// The deployment settings of a system.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deploy {
    /// The system's tags (on the hub's resources, and under every service's own).
    pub tags: BTreeMap<String, String>,
    /// Every service's settings (defaults for services without an entry), by service name.
    pub services: BTreeMap<String, ServiceDeploy>,
}

impl Deploy {
    /// Resolves `def` for the services named `services`: the system's settings over the
    /// defaults, then each service's over those.
    pub fn resolve<'a>(def: Option<&DeployDef>, services: impl Iterator<Item = &'a str>) -> Self {
        let empty = DeployDef::default();
        let def = def.unwrap_or(&empty);
        let system = ServiceDeploy {
            architecture: def.architecture.unwrap_or(Architecture::Arm64),
            log_retention_days: def.log_retention_days.unwrap_or(DEFAULT_LOG_RETENTION_DAYS),
            tags: def.tags.clone(),
            trigger: FunctionDeploy::TRIGGER.apply(def.trigger.as_ref()),
            listener: FunctionDeploy::LISTENER.apply(def.listener.as_ref()),
            resources: None,
        };
        let services = services
            .map(|name| {
                let resolved = match def.services.get(name) {
                    Some(service) => override_with(&system, service),
                    None => system.clone(),
                };
                (name.to_owned(), resolved)
            })
            .collect();
        Self {
            tags: def.tags.clone(),
            services,
        }
    }

    /// The settings of the service `name` (the defaults for a name it does not know).
    pub fn service(&self, name: &str) -> ServiceDeploy {
        self.services.get(name).cloned().unwrap_or_default()
    }
}

fn override_with(system: &ServiceDeploy, def: &ServiceDeployDef) -> ServiceDeploy {
    let mut tags = system.tags.clone();
    tags.extend(def.tags.clone());
    ServiceDeploy {
        architecture: def.architecture.unwrap_or(system.architecture),
        log_retention_days: def.log_retention_days.unwrap_or(system.log_retention_days),
        tags,
        trigger: system.trigger.apply(def.trigger.as_ref()),
        listener: system.listener.apply(def.listener.as_ref()),
        resources: def.resources.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_override_the_system_field_by_field() {
        let def = DeployDef {
            architecture: Some(Architecture::X86_64),
            log_retention_days: Some(14),
            tags: BTreeMap::from([("team".into(), "core".into()), ("cost".into(), "a".into())]),
            listener: Some(FunctionDef {
                memory: Some(512),
                batch_concurrency: Some(4),
                ..FunctionDef::default()
            }),
            services: BTreeMap::from([(
                "shipping".into(),
                ServiceDeployDef {
                    tags: BTreeMap::from([("cost".into(), "b".into())]),
                    listener: Some(FunctionDef {
                        timeout: Some(90),
                        maximum_concurrency: Some(5),
                        batch_concurrency: Some(25),
                        ..FunctionDef::default()
                    }),
                    resources: Some("deploy/shipping.yaml".into()),
                    ..ServiceDeployDef::default()
                },
            )]),
            ..DeployDef::default()
        };
        let deploy = Deploy::resolve(Some(&def), ["orders", "shipping"].into_iter());
        let orders = deploy.service("orders");
        assert_eq!(orders.architecture, Architecture::X86_64);
        assert_eq!(orders.log_retention_days, 14);
        assert_eq!(orders.listener.memory, 512);
        assert_eq!(orders.listener.timeout, 30);
        assert_eq!(orders.listener.batch_concurrency, Some(4));
        assert_eq!(orders.trigger, FunctionDeploy::TRIGGER);
        let shipping = deploy.service("shipping");
        assert_eq!(shipping.listener.memory, 512);
        assert_eq!(shipping.listener.timeout, 90);
        assert_eq!(shipping.listener.maximum_concurrency, Some(5));
        assert_eq!(shipping.listener.batch_concurrency, Some(25));
        assert_eq!(shipping.tags["cost"], "b");
        assert_eq!(shipping.tags["team"], "core");
        assert_eq!(shipping.resources.as_deref(), Some("deploy/shipping.yaml"));
        assert_eq!(
            Deploy::resolve(None, std::iter::empty()).service("x"),
            ServiceDeploy::default()
        );
    }
}

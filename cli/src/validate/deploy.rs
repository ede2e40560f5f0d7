//! Checks of the deployment settings (`generate.deploy`): services that exist, values AWS
//! accepts beyond the ranges of the JSON Schema, settings that apply, and a user template
//! path inside the project.

use std::path::{Component, Path};

use crate::diagnostic::Code;
use crate::ir::deploy::{FunctionDeploy, LOG_RETENTION_DAYS, SQS_BATCH_WITHOUT_WINDOW};
use crate::model::Origin;
use crate::spec::FunctionDef;

use super::context::{Checker, Part, suggest};
use crate::load::span::escape_token as escape;

/// Longest tag key and value AWS accepts.
const TAG_KEY_MAX: usize = 128;
const TAG_VALUE_MAX: usize = 256;

/// Runs the checks.
pub fn check(c: &mut Checker<'_>) {
    let Some(def) = &c.system.deploy else {
        return;
    };
    let root = Origin {
        file: 0,
        pointer: "/generate/deploy".into(),
    };
    common(
        c,
        &root,
        def.log_retention_days,
        &def.tags,
        def.trigger.as_ref(),
    );
    let system_listener = def.listener.as_ref();
    listener(c, &root, system_listener, None);
    for (name, service) in &def.services {
        let origin = root.at(&format!("/services/{}", escape(name)));
        let system = c.system;
        if !system.services.contains_key(name) {
            let found = c.error(
                Code::UnknownService,
                &origin,
                Part::Key,
                format!("`generate.deploy.services` names `{name}`, which is not a service"),
            );
            suggest(found, name, system.services.keys().map(String::as_str));
            continue;
        }
        common(
            c,
            &origin,
            service.log_retention_days,
            &service.tags,
            service.trigger.as_ref(),
        );
        listener(c, &origin, service.listener.as_ref(), system_listener);
        if let Some(path) = &service.resources {
            resources(c, &origin.at("/resources"), path);
        }
    }
}

/// The settings a system and a service share.
fn common(
    c: &mut Checker<'_>,
    origin: &Origin,
    log_retention_days: Option<u32>,
    tags: &std::collections::BTreeMap<String, String>,
    trigger: Option<&FunctionDef>,
) {
    if let Some(days) = log_retention_days
        && !LOG_RETENTION_DAYS.contains(&days)
    {
        let allowed = LOG_RETENTION_DAYS
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        c.error(
            Code::DeploySetting,
            &origin.at("/logRetentionDays"),
            Part::Value,
            format!("CloudWatch Logs cannot keep logs for {days} days"),
        )
        .with_help(format!("use one of {allowed}"));
    }
    for (key, value) in tags {
        let at = origin.at(&format!("/tags/{}", escape(key)));
        let bad_char = |s: &str| {
            s.chars().find(|ch| {
                !(ch.is_alphanumeric()
                    || matches!(ch, ' ' | '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@'))
            })
        };
        if key.is_empty()
            || key.chars().count() > TAG_KEY_MAX
            || key.starts_with("aws:")
            || key == "Ref"
            || key.starts_with("Fn::")
        {
            c.error(
                Code::DeploySetting,
                &at,
                Part::Key,
                format!("`{key}` cannot be a tag key"),
            )
            .with_help(format!(
                "tag keys have 1 to {TAG_KEY_MAX} characters and do not start with `aws:` (nor \
                 are `Ref` or `Fn::...`, which CloudFormation reads as functions)"
            ));
        } else if let Some(ch) = bad_char(key) {
            c.error(
                Code::DeploySetting,
                &at,
                Part::Key,
                format!("the tag key `{key}` contains `{ch}`"),
            )
            .with_help("tags use letters, digits, spaces and `_.:/=+-@`");
        }
        if value.chars().count() > TAG_VALUE_MAX {
            c.error(
                Code::DeploySetting,
                &at,
                Part::Value,
                format!("the value of tag `{key}` is longer than {TAG_VALUE_MAX} characters"),
            );
        } else if let Some(ch) = bad_char(value) {
            c.error(
                Code::DeploySetting,
                &at,
                Part::Value,
                format!("the value of tag `{key}` contains `{ch}`"),
            )
            .with_help("tags use letters, digits, spaces and `_.:/=+-@`");
        }
    }
    if let Some(trigger) = trigger
        && trigger.maximum_concurrency.is_some()
    {
        c.error(
            Code::DeploySetting,
            &origin.at("/trigger/maximumConcurrency"),
            Part::Key,
            "`maximumConcurrency` applies to the listener's queue, not to the trigger's stream",
        )
        .with_help(
            "a stream's shards bound the trigger's concurrency: one invocation per shard at a \
             time",
        );
    }
}

/// A listener taking more than 10 messages per batch needs a batching window (Lambda
/// refuses the event source otherwise). `inherited` is the system's setting under a service.
fn listener(
    c: &mut Checker<'_>,
    origin: &Origin,
    def: Option<&FunctionDef>,
    inherited: Option<&FunctionDef>,
) {
    let Some(def) = def else {
        return;
    };
    let base = inherited.map_or(FunctionDeploy::LISTENER, |i| {
        let mut base = FunctionDeploy::LISTENER;
        base.batch_size = i.batch_size.unwrap_or(base.batch_size);
        base.batch_window = i.batch_window.unwrap_or(base.batch_window);
        base
    });
    let size = def.batch_size.unwrap_or(base.batch_size);
    let window = def.batch_window.unwrap_or(base.batch_window);
    if size > SQS_BATCH_WITHOUT_WINDOW && window == 0 {
        let key = if def.batch_size.is_some() {
            "/listener/batchSize"
        } else {
            "/listener/batchWindow"
        };
        c.error(
            Code::DeploySetting,
            &origin.at(key),
            Part::Value,
            format!(
                "a listener batch of {size} messages needs a batching window: Lambda takes more \
                 than {SQS_BATCH_WITHOUT_WINDOW} messages from a queue only with one"
            ),
        )
        .with_help("add `batchWindow: 1` (seconds, up to 300) next to `batchSize`");
    }
}

/// The user's template: a relative path inside the project, to a YAML or JSON file.
fn resources(c: &mut Checker<'_>, origin: &Origin, path: &str) {
    let p = Path::new(path);
    let escapes = p.is_absolute()
        || p.components()
            .any(|part| !matches!(part, Component::Normal(_) | Component::CurDir));
    let template = [".yaml", ".yml", ".json"]
        .iter()
        .any(|ext| path.ends_with(ext));
    if path.is_empty() || escapes || !template {
        c.error(
            Code::DeploySetting,
            origin,
            Part::Value,
            format!("`{path}` cannot be the service's own template"),
        )
        .with_help(
            "give a `.yaml`, `.yml` or `.json` file relative to the manifest's directory, \
             without `..`, outside the output root (e.g. `deploy/<service>.yaml`)",
        );
    }
}

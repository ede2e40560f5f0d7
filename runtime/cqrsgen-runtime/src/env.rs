//! Configuration from environment variables.
//!
//! The generated infrastructure sets these variables on the functions:
//!
//! | Variable | Set by | Read by |
//! |---|---|---|
//! | `BUS_NAME` | the template | triggers: the bus events are published to |
//! | `<VIEW>_TABLE` | the template, one per view (name chosen by the generator) | listeners: the view's table |
//! | `STAGE` | the template | the `stage` tag |
//! | `AWS_ACCOUNT_ID` | optional | the `account` tag |
//! | `AWS_REGION` | Lambda | the `region` tag, replica detection |
//! | `AWS_LAMBDA_FUNCTION_NAME` | Lambda | the `functionname` tag |
//! | `CQRSGEN_LISTENER_CONCURRENCY` | optional | listeners: messages of a batch applied at once |
//! | `CQRSGEN_PUBLISH_CONCURRENCY` | optional | triggers: PutEvents requests sent at once |
//!
//! `AWS_ENDPOINT_URL` (or `AWS_ENDPOINT_URL_EVENTBRIDGE`, `AWS_ENDPOINT_URL_DYNAMODB`) points
//! the clients at an emulator; see [`crate::clients`].

use std::num::NonZeroUsize;

/// The name of the event bus triggers publish to.
pub const BUS_NAME: &str = "BUS_NAME";
/// The deployment stage.
pub const STAGE: &str = "STAGE";
/// The AWS account id (optional; Lambda does not set it).
pub const AWS_ACCOUNT_ID: &str = "AWS_ACCOUNT_ID";
/// The region the function runs in (set by Lambda).
pub const AWS_REGION: &str = "AWS_REGION";
/// The function's name (set by Lambda).
pub const AWS_LAMBDA_FUNCTION_NAME: &str = "AWS_LAMBDA_FUNCTION_NAME";

/// How many messages of a batch a listener applies at once (a positive integer; see
/// [`crate::listener::ListenerConfig`]).
pub const LISTENER_CONCURRENCY: &str = "CQRSGEN_LISTENER_CONCURRENCY";
/// How many PutEvents requests a trigger sends at once (a positive integer; see
/// [`crate::publish::PublishConfig`]).
pub const PUBLISH_CONCURRENCY: &str = "CQRSGEN_PUBLISH_CONCURRENCY";

/// A required environment variable is missing or unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvError {
    /// The variable is not set, or set to an empty string.
    #[error("environment variable `{0}` is required but not set")]
    Missing(String),
    /// The variable's value is not Unicode.
    #[error("environment variable `{0}` is not valid Unicode")]
    NotUnicode(String),
    /// The variable's value does not parse as what it configures.
    #[error("environment variable `{name}` is `{value}`, not {expected}")]
    Invalid {
        /// The variable.
        name: String,
        /// Its value.
        value: String,
        /// What it should be, e.g. "a positive integer".
        expected: &'static str,
    },
}

/// The value of the required variable `name`.
pub fn required(name: &str) -> Result<String, EnvError> {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => Ok(value),
        Ok(_) | Err(std::env::VarError::NotPresent) => Err(EnvError::Missing(name.to_owned())),
        Err(std::env::VarError::NotUnicode(_)) => Err(EnvError::NotUnicode(name.to_owned())),
    }
}

/// The value of the optional variable `name`; unset, empty and non-Unicode values are `None`.
pub fn optional(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

/// The value of the optional variable `name` parsed as a positive integer (unset or empty:
/// `None`); a value that is not one is an error rather than silently ignored, so that a
/// function fails at its cold start instead of running with a setting nobody chose.
pub fn positive(name: &str) -> Result<Option<NonZeroUsize>, EnvError> {
    let Some(value) = optional(name) else {
        return Ok(None);
    };
    value
        .trim()
        .parse()
        .map(Some)
        .map_err(|_| EnvError::Invalid {
            name: name.to_owned(),
            value,
            expected: "a positive integer",
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Tests only read variables: setting them is unsafe in a multi-threaded test binary.
    const UNSET: &str = "CQRSGEN_RUNTIME_TEST_SURELY_UNSET";

    #[test]
    fn missing_required_variables_are_named() {
        let error = required(UNSET).expect_err("unset");
        assert_eq!(error, EnvError::Missing(UNSET.into()));
        assert_eq!(
            error.to_string(),
            "environment variable `CQRSGEN_RUNTIME_TEST_SURELY_UNSET` is required but not set"
        );
        assert_eq!(optional(UNSET), None);
        assert_eq!(positive(UNSET), Ok(None));
    }

    #[test]
    fn values_that_are_not_positive_integers_are_refused() {
        // PATH is set wherever tests run, and is no number.
        let error = positive("PATH").expect_err("not a number");
        assert!(
            matches!(&error, EnvError::Invalid { name, expected: "a positive integer", .. } if name == "PATH"),
            "{error}"
        );
    }

    #[test]
    fn present_variables_are_read() {
        // PATH is set wherever tests run.
        assert!(required("PATH").is_ok());
        assert_eq!(optional("PATH"), required("PATH").ok());
    }
}

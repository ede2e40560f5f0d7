//! One classified change between the base and the head spec, and who it affects.

use crate::ir::Origin;

use super::code::{ChangeCode, Class};

/// How one consuming service is affected by a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Impact {
    /// The consuming service.
    pub service: String,
    /// The paths it reads that the change touches (`*`: a hook reads everything).
    pub reads: Vec<String>,
    /// The change affects it: for a breaking change, it breaks.
    pub affected: bool,
}

/// Why a breaking change does not fail the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Allowance {
    /// `--allow <code>` on the command line.
    Flag,
    /// An `acknowledge` entry in the head spec's manifest, with its reason.
    Acknowledged(String),
    /// A new event version keeps the base's version live (in `previous`).
    Versioned {
        /// The version consumers built from the base read.
        kept: u32,
        /// The new current version.
        current: u32,
    },
}

/// A change between the base and the head spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What kind of change; its class follows from it.
    pub code: ChangeCode,
    /// What changed: an event, a service, or a view as `service/view`.
    pub subject: String,
    /// The field path inside the event's payload, for field changes.
    pub path: Option<String>,
    /// What happened, in one sentence.
    pub message: String,
    /// Every consumer of the event (or the view's service), and whether it is affected.
    pub consumers: Vec<Impact>,
    /// Why a breaking change is accepted, when it is.
    pub allowed: Option<Allowance>,
    /// Where in the head spec, when the subject is still there.
    pub at: Option<Origin>,
}

impl Change {
    /// A change without consumers, allowance or place yet.
    pub fn new(code: ChangeCode, subject: impl Into<String>, message: impl Into<String>) -> Self {
        Change {
            code,
            subject: subject.into(),
            path: None,
            message: message.into(),
            consumers: Vec::new(),
            allowed: None,
            at: None,
        }
    }

    /// Breaking, compatible or informational.
    pub fn class(&self) -> Class {
        self.code.class()
    }

    /// A breaking change nothing allows: the run fails.
    pub fn fails(&self) -> bool {
        self.class() == Class::Breaking && self.allowed.is_none()
    }

    /// The services the change affects.
    pub fn affected(&self) -> impl Iterator<Item = &Impact> {
        self.consumers.iter().filter(|i| i.affected)
    }
}

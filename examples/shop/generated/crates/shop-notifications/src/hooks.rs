//! The custom projection hooks of this service.
//!
//! cqrsgen wrote this file once and never overwrites it: it is yours. Each hook is
//! called by the listener for the event the spec names it for.
use crate::Hooks;
/// The hooks the listener calls.
#[derive(Debug, Clone, Copy, Default)]
pub struct ServiceHooks;
impl Hooks for ServiceHooks {}

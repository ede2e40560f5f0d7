//! The upcasts of the `corpus-keywords` events: how an older version of an event becomes the
//! next where the change is not additive (the spec's `upcast:` hooks).
//!
//! cqrsgen wrote this file once and never touches it again: it is yours. It is compiled
//! as a module of the generated events crate (`corpus-keywords-events`), so the payload types are
//! `crate::<event>::<Type>`. When the spec names a new upcast, `cqrsgen generate` says
//! what to implement, and the compiler names the method `Upcasts` now requires.

use crate::{Upcaster, Upcasts};

impl Upcasts for Upcaster {}

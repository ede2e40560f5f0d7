//! The custom projection hooks of this service.
//!
//! cqrsgen wrote this file once and never overwrites it: it is yours. Each hook is
//! called by the listener for the event the spec names it for.
use cqrsgen_runtime::listener::BoxError;
use shop_events::Envelope;
use crate::{Hooks, Views};
/// The hooks the listener calls.
#[derive(Debug, Clone, Copy, Default)]
pub struct ServiceHooks;
impl Hooks for ServiceHooks {
    async fn reroute_shipments(
        &self,
        envelope: &Envelope<
            shop_events::customer_address_changed::CustomerAddressChanged,
        >,
        views: &Views,
    ) -> Result<(), BoxError> {
        let _ = (envelope, views);
        Err("hook `reroute-shipments` is not implemented yet".into())
    }
}

//! [`Publishable`]: what a trigger puts on the bus.

/// An event a trigger can publish. Generated events crates implement it for their
/// `DomainEvent`.
pub trait Publishable {
    /// The event type, published as the EventBridge `DetailType`.
    fn event_type(&self) -> &str;

    /// The envelope as JSON, published as the EventBridge `Detail`.
    fn detail(&self) -> Result<String, serde_json::Error>;
}

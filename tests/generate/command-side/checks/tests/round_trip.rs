//! Writes through the generated repositories, hands the stream records the in-memory table
//! recorded (DynamoDB Streams `NEW_AND_OLD_IMAGES` shape) to the generated trigger, and checks
//! the events it publishes: one round trip per kind of `when`.

use std::sync::Arc;
use std::time::Duration;

use desk_tickets::events::DomainEvent;
use desk_tickets::runtime::entity::{AnyEntityTable, ManualClock, RepositoryError};
use desk_tickets::runtime::envelope::Tags;
use desk_tickets::runtime::publish::{InMemoryPublisher, PublishConfig};
use desk_tickets::runtime::trigger::Trigger;
use desk_tickets::types::TicketStatus;
use desk_tickets::{Counter, EntityRow, Mapper, Repositories, SERVICE, Ticket, TicketNote};
use uuid::Uuid;

struct Desk {
    repositories: Repositories,
    clock: Arc<ManualClock>,
    trigger: Trigger<InMemoryPublisher>,
    mapper: Mapper,
    seen: usize,
}

impl Desk {
    fn new() -> Self {
        let clock = Arc::new(ManualClock::new(1_700_000_000_000));
        let tags = Tags::from_lookup(SERVICE, |name| {
            (name == "AWS_REGION").then(|| "us-east-1".to_owned())
        });
        Self {
            repositories: Repositories::new(AnyEntityTable::in_memory(), clock.clone()),
            clock,
            trigger: Trigger {
                source: SERVICE.to_owned(),
                region: "us-east-1".to_owned(),
                publisher: InMemoryPublisher::new(),
                config: PublishConfig {
                    base_delay: Duration::ZERO,
                    ..PublishConfig::default()
                },
            },
            mapper: Mapper::new(&tags.with_pipeline("trigger")),
            seen: 0,
        }
    }

    /// The events the trigger publishes for the writes since the last call, decoded.
    async fn published(&mut self) -> Vec<DomainEvent> {
        self.clock.advance(10);
        let table = self.repositories.table().as_in_memory().expect("in memory");
        let event = table.take_stream_event();
        let response = self.trigger.handle(&event, &self.mapper).await;
        assert!(response.batch_item_failures.is_empty(), "{response:?}");
        let published = self.trigger.publisher.published();
        let new = published[self.seen..]
            .iter()
            .map(|e| DomainEvent::decode(e.detail.as_bytes()).expect("a valid event"))
            .collect();
        self.seen = published.len();
        new
    }

    async fn types(&mut self) -> Vec<String> {
        self.published()
            .await
            .iter()
            .map(|e| e.event_type().to_owned())
            .collect()
    }
}

fn ticket(id: Uuid, status: TicketStatus) -> Ticket {
    Ticket {
        id,
        title: "Printer on fire".to_owned(),
        code: "OPS-42".to_owned(),
        status,
        labels: vec!["urgent".to_owned()],
    }
}

#[tokio::test]
async fn every_kind_of_change_publishes_what_the_spec_says() {
    let mut desk = Desk::new();
    let tickets = desk.repositories.ticket.clone();
    let id = Uuid::from_u128(1);

    // insert
    let created = tickets
        .create(&ticket(id, TicketStatus::Open))
        .await
        .expect("created");
    let events = desk.published().await;
    assert_eq!(events.len(), 1);
    let DomainEvent::TicketOpened(opened) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(opened.payload.id, id);
    assert_eq!(events[0].partition_key(), id.to_string());
    assert_eq!(events[0].timestamp(), created.version);

    // modify
    let mut changed = created.entity.clone();
    changed.title = "Printer still on fire".to_owned();
    let updated = tickets
        .update(&changed, created.version)
        .await
        .expect("updated");
    assert_eq!(desk.types().await, ["ticket-changed"]);

    // a transition with `from`: open -> closed
    let closed = tickets
        .set_status(&id, TicketStatus::Closed, updated.version)
        .await
        .expect("closed");
    assert_eq!(desk.types().await, ["ticket-changed", "ticket-closed"]);

    // a transition without `from`: closed -> archived
    let archived = tickets
        .set_status(&id, TicketStatus::Archived, closed.version)
        .await
        .expect("archived");
    assert_eq!(desk.types().await, ["ticket-changed", "ticket-archived"]);

    // `from` not met: archived -> closed is only a change
    let reclosed = tickets
        .set_status(&id, TicketStatus::Closed, archived.version)
        .await
        .expect("closed again");
    assert_eq!(desk.types().await, ["ticket-changed"]);

    // soft-delete, undelete
    let deleted = tickets
        .soft_delete(&id, reclosed.version)
        .await
        .expect("deleted");
    assert_eq!(desk.types().await, ["ticket-deleted"]);
    let restored = tickets
        .undelete(&id, deleted.version)
        .await
        .expect("restored");
    assert_eq!(desk.types().await, ["ticket-restored"]);

    // remove
    tickets
        .remove(&id, restored.version)
        .await
        .expect("removed");
    assert_eq!(desk.types().await, ["ticket-purged"]);
    assert_eq!(tickets.get(&id).await.expect("read"), None);

    // a transition without `from` also fires on an insert
    tickets
        .create(&ticket(Uuid::from_u128(2), TicketStatus::Archived))
        .await
        .expect("created");
    assert_eq!(desk.types().await, ["ticket-opened", "ticket-archived"]);
}

#[tokio::test]
async fn entities_sharing_a_key_are_read_together() {
    let mut desk = Desk::new();
    let id = Uuid::from_u128(7);
    desk.repositories
        .ticket
        .create(&ticket(id, TicketStatus::Open))
        .await
        .expect("created");
    let note = TicketNote {
        ticket_id: id,
        text: "Called the fire brigade".to_owned(),
    };
    desk.repositories
        .ticket_note
        .create(&note)
        .await
        .expect("created");
    assert_eq!(desk.types().await, ["ticket-opened", "note-added"]);

    let rows = desk
        .repositories
        .query_key(&id.to_string())
        .await
        .expect("queried");
    assert_eq!(rows.len(), 2);
    assert!(matches!(&rows[0], EntityRow::Ticket(t) if t.entity.id == id));
    assert!(matches!(&rows[1], EntityRow::TicketNote(n) if n.entity == note));

    // An integer key; the entity has no rules, so nothing is published.
    let counter = Counter {
        number: 42,
        label: "answers".to_owned(),
    };
    desk.repositories
        .counter
        .create(&counter)
        .await
        .expect("created");
    let read = desk.repositories.counter.get(&42).await.expect("read");
    assert_eq!(read.map(|c| c.entity), Some(counter));
    assert_eq!(
        desk.repositories
            .query_key("42")
            .await
            .expect("queried")
            .len(),
        1
    );
    assert!(desk.types().await.is_empty());
}

#[tokio::test]
async fn invalid_values_and_stale_versions_write_nothing() {
    let mut desk = Desk::new();
    let tickets = desk.repositories.ticket.clone();
    let id = Uuid::from_u128(3);
    for broken in [
        Ticket {
            title: String::new(),
            ..ticket(id, TicketStatus::Open)
        },
        Ticket {
            code: "ops-42".to_owned(),
            ..ticket(id, TicketStatus::Open)
        },
        Ticket {
            labels: vec!["much-too-long".to_owned()],
            ..ticket(id, TicketStatus::Open)
        },
    ] {
        let error = tickets.create(&broken).await.expect_err("invalid");
        assert!(matches!(error, RepositoryError::Invalid { .. }), "{error}");
    }
    let error = tickets
        .create(&Ticket {
            code: "ops-42".to_owned(),
            ..ticket(id, TicketStatus::Open)
        })
        .await
        .expect_err("invalid");
    assert!(error.to_string().contains("code"), "{error}");
    assert!(desk.types().await.is_empty());

    let created = tickets
        .create(&ticket(id, TicketStatus::Open))
        .await
        .expect("created");
    let again = tickets.create(&ticket(id, TicketStatus::Open)).await;
    assert!(matches!(again, Err(RepositoryError::Exists { .. })));
    // Two writers read the same version: the second one conflicts and can retry.
    tickets
        .set_status(&id, TicketStatus::Closed, created.version)
        .await
        .expect("first writer");
    let second = tickets
        .set_status(&id, TicketStatus::Archived, created.version)
        .await
        .expect_err("second writer");
    assert!(second.is_conflict(), "{second}");
    assert_eq!(
        desk.types().await,
        ["ticket-opened", "ticket-changed", "ticket-closed"]
    );
    let current = tickets.get(&id).await.expect("read").expect("present");
    tickets
        .set_status(&id, TicketStatus::Archived, current.version)
        .await
        .expect("retried");
    assert_eq!(desk.types().await, ["ticket-changed", "ticket-archived"]);
}

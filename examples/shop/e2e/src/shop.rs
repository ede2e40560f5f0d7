//! The shop's services wired together: its upstream tables with their generated triggers and
//! its listener queues with their generated listeners, on one deployment.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use aws_lambda_events::dynamodb::{Event, EventRecord};
use aws_sdk_dynamodb::types::AttributeValue;
use cqrsgen_runtime::entity::{AnyEntityTable, ManualClock};
use cqrsgen_runtime::publish::{Entry, EventBridgePublisher, PublishConfig};
use cqrsgen_runtime::trigger::{StreamMapper, Trigger};

use crate::deploy::{self, Deployment, Resources};
use crate::moto::{Moto, REGION};
use crate::publisher::FaultyPublisher;
use crate::queue::{Drained, ListenerQueue};
use crate::stream::StreamReader;
use crate::{HarnessError, Result};

/// The system's name, the prefix of its stack names.
pub const SYSTEM: &str = "shop";

/// The publisher every trigger of the scenarios uses.
pub type ScenarioPublisher = FaultyPublisher<EventBridgePublisher>;

/// What a trigger run did.
#[derive(Debug, Default)]
pub struct TriggerRun {
    /// Stream records handed to the trigger.
    pub records: usize,
    /// The sequence numbers of the records of each batch, in order.
    pub batches: Vec<Vec<String>>,
    /// The records the trigger reported as batch item failures.
    pub failed: Vec<EventRecord>,
}

/// An upstream service: its entity table with the generated repositories (what its BFF
/// writes with), the table's stream and its generated trigger.
#[derive(Debug)]
pub struct Upstream<M, R> {
    /// The generated repositories over the deployed entity table.
    pub repositories: R,
    /// The entity table's name.
    pub table: String,
    /// The generated trigger with the scenarios' publisher.
    pub trigger: Trigger<ScenarioPublisher>,
    stream: StreamReader,
    mapper: M,
}

impl<M: StreamMapper, R> Upstream<M, R> {
    /// The upstream `service` of `deployment`, its trigger publishing to the deployed bus,
    /// its repositories built by `repositories` over the deployed table.
    async fn new(
        moto: &Moto,
        deployment: &Deployment,
        service: &str,
        mapper: M,
        repositories: impl FnOnce(AnyEntityTable) -> R,
    ) -> Result<Self> {
        let table = deployment.service(service)?.get("EntityTable")?;
        let eventbridge = aws_sdk_eventbridge::Client::new(moto.config());
        let client = aws_sdk_dynamodb::Client::new(moto.config());
        Ok(Self {
            repositories: repositories(AnyEntityTable::dynamo(client, table)),
            table: table.to_owned(),
            trigger: Trigger {
                source: service.to_owned(),
                region: REGION.to_owned(),
                publisher: FaultyPublisher::new(EventBridgePublisher::new(
                    eventbridge,
                    &deployment.bus,
                )),
                config: PublishConfig {
                    base_delay: Duration::from_millis(1),
                    ..PublishConfig::default()
                },
            },
            stream: StreamReader::open(moto, table).await?,
            mapper,
        })
    }

    /// Hands every new stream record to the trigger, batch by batch, as Lambda does, until
    /// a batch reports failures: Lambda retries that batch (see [`Upstream::retry`]) before
    /// it hands over later records of the shard.
    pub async fn run(&mut self) -> Result<TriggerRun> {
        let mut run = TriggerRun::default();
        loop {
            let event = self.stream.next_batch().await?;
            if event.records.is_empty() {
                return Ok(run);
            }
            let handled = self.handle(event).await?;
            run.records += handled.records;
            run.batches.extend(handled.batches);
            run.failed.extend(handled.failed);
            if !run.failed.is_empty() {
                return Ok(run);
            }
        }
    }

    /// Hands `records` to the trigger once more: Lambda's retry of a batch from the lowest
    /// record it reported.
    pub async fn retry(&self, records: Vec<EventRecord>) -> Result<TriggerRun> {
        let mut event = Event::default();
        event.records = records;
        self.handle(event).await
    }

    async fn handle(&self, event: Event) -> Result<TriggerRun> {
        let response = self.trigger.handle(&event, &self.mapper).await;
        let failed_ids: Vec<&str> = response
            .batch_item_failures
            .iter()
            .filter_map(|f| f.item_identifier.as_deref())
            .collect();
        let records = event.records.len();
        let batch = event.records.iter().map(|r| sequence_number(r).to_owned());
        let batches = vec![batch.collect()];
        let failed = event
            .records
            .into_iter()
            .filter(|r| failed_ids.contains(&sequence_number(r)))
            .collect();
        Ok(TriggerRun {
            records,
            batches,
            failed,
        })
    }

    /// The entries the bus accepted from this trigger so far.
    pub fn published(&self) -> Vec<Entry> {
        self.trigger.publisher.accepted()
    }
}

/// How the trigger names `record` in its batch response.
fn sequence_number(record: &EventRecord) -> &str {
    record
        .change
        .sequence_number
        .as_deref()
        .unwrap_or(&record.event_id)
}

/// A downstream service: its listener queue and its generated listener (with its views).
#[derive(Debug)]
pub struct Downstream<H> {
    /// The listener queue and its dead-letter queue.
    pub queue: ListenerQueue,
    /// The generated listener.
    pub listener: H,
}

/// The shipping service's listener.
pub type ShippingListener = shop_shipping::Listener<shop_shipping_app::hooks::ServiceHooks>;
/// The notifications service's listener.
pub type NotificationsListener =
    shop_notifications::Listener<shop_notifications_app::hooks::ServiceHooks>;
/// The orders BFF's listener.
pub type OrdersListener = shop_orders_bff::Listener<shop_orders_bff_app::hooks::ServiceHooks>;

/// The deployed shop.
#[derive(Debug)]
pub struct Shop {
    /// The emulator.
    pub moto: Moto,
    /// The stacks.
    pub deployment: Deployment,
    /// The clock of every repository: the scenarios set the time of each change.
    pub clock: Arc<ManualClock>,
    /// customers-bff's table, repositories and trigger.
    pub customers_bff: Upstream<shop_customers_bff::Mapper, shop_customers_bff::Repositories>,
    /// orders-bff's table, repositories and trigger.
    pub orders_bff: Upstream<shop_orders_bff::Mapper, shop_orders_bff::Repositories>,
    /// notifications' table, repositories and trigger.
    pub notifications: Upstream<shop_notifications::Mapper, shop_notifications::Repositories>,
    /// shipping's queue and listener.
    pub shipping_listener: Downstream<ShippingListener>,
    /// notifications' queue and listener.
    pub notifications_listener: Downstream<NotificationsListener>,
    /// orders-bff's queue and listener.
    pub orders_listener: Downstream<OrdersListener>,
}

/// What a [`Shop::settle`] moved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settled {
    /// Stream records handed to triggers.
    pub records: usize,
    /// The bodies of the messages each listener acknowledged, by service.
    pub delivered: BTreeMap<&'static str, Vec<String>>,
    /// Failed deliveries.
    pub failures: usize,
}

impl Settled {
    /// Adds what a drain of the queues did.
    pub fn add(&mut self, drained: Vec<(&'static str, Drained)>) -> usize {
        let mut moved = 0;
        for (service, drained) in drained {
            moved += drained.acknowledged.len() + drained.failures;
            self.failures += drained.failures;
            self.delivered
                .entry(service)
                .or_default()
                .extend(drained.acknowledged);
        }
        moved
    }
}

impl Shop {
    /// Resets the emulator and deploys the shop's generated templates.
    pub async fn deploy(moto: Moto) -> Result<Self> {
        moto.reset().await?;
        deploy::create(&moto, SYSTEM, &deploy::shop_infra_dir()).await?;
        Self::attach(moto).await
    }

    /// The shop as already deployed on the emulator (its streams read from the start).
    pub async fn attach(moto: Moto) -> Result<Self> {
        let deployment = deploy::describe(&moto, SYSTEM, &deploy::shop_infra_dir()).await?;
        let mapper_tags = |service: &str| {
            cqrsgen_runtime::envelope::Tags::from_env(service).with_pipeline("trigger")
        };
        let dynamodb = aws_sdk_dynamodb::Client::new(moto.config());
        let view = |service: &str, logical_id: &str| -> Result<String> {
            Ok(deployment.service(service)?.get(logical_id)?.to_owned())
        };
        let shipping_views = shop_shipping::Views {
            pending_shipment: shop_shipping::PendingShipmentView::dynamo(
                dynamodb.clone(),
                view("shipping", "ViewPendingShipmentTable")?,
            ),
        };
        let notifications_views = shop_notifications::Views {
            customer_contact: shop_notifications::CustomerContactView::dynamo(
                dynamodb.clone(),
                view("notifications", "ViewCustomerContactTable")?,
            ),
            payment_receipt: shop_notifications::PaymentReceiptView::dynamo(
                dynamodb.clone(),
                view("notifications", "ViewPaymentReceiptTable")?,
            ),
        };
        let orders_views = shop_orders_bff::Views {
            customer_notification: shop_orders_bff::CustomerNotificationView::dynamo(
                dynamodb.clone(),
                view("orders-bff", "ViewCustomerNotificationTable")?,
            ),
        };
        let clock = Arc::new(ManualClock::new(0));
        Ok(Self {
            customers_bff: Upstream::new(
                &moto,
                &deployment,
                shop_customers_bff::SERVICE,
                shop_customers_bff::Mapper::new(&mapper_tags(shop_customers_bff::SERVICE)),
                |table| shop_customers_bff::Repositories::new(table, clock.clone()),
            )
            .await?,
            orders_bff: Upstream::new(
                &moto,
                &deployment,
                shop_orders_bff::SERVICE,
                shop_orders_bff::Mapper::new(&mapper_tags(shop_orders_bff::SERVICE)),
                |table| shop_orders_bff::Repositories::new(table, clock.clone()),
            )
            .await?,
            notifications: Upstream::new(
                &moto,
                &deployment,
                shop_notifications::SERVICE,
                shop_notifications::Mapper::new(&mapper_tags(shop_notifications::SERVICE)),
                |table| shop_notifications::Repositories::new(table, clock.clone()),
            )
            .await?,
            shipping_listener: Downstream {
                queue: listener_queue(&moto, deployment.service("shipping")?).await?,
                listener: shop_shipping::Listener {
                    views: shipping_views,
                    hooks: shop_shipping_app::hooks::ServiceHooks,
                },
            },
            notifications_listener: Downstream {
                queue: listener_queue(&moto, deployment.service("notifications")?).await?,
                listener: shop_notifications::Listener {
                    views: notifications_views,
                    hooks: shop_notifications_app::hooks::ServiceHooks,
                },
            },
            orders_listener: Downstream {
                queue: listener_queue(&moto, deployment.service("orders-bff")?).await?,
                listener: shop_orders_bff::Listener {
                    views: orders_views,
                    hooks: shop_orders_bff_app::hooks::ServiceHooks,
                },
            },
            clock,
            deployment,
            moto,
        })
    }

    /// Runs every trigger once; returns the records handed to them and fails when a trigger
    /// reported failed records.
    pub async fn run_triggers(&mut self) -> Result<usize> {
        let runs = [
            self.customers_bff.run().await?,
            self.orders_bff.run().await?,
            self.notifications.run().await?,
        ];
        let failed: usize = runs.iter().map(|run| run.failed.len()).sum();
        if failed > 0 {
            return Err(HarnessError::Data(format!(
                "{failed} stream records failed"
            )));
        }
        Ok(runs.iter().map(|run| run.records).sum())
    }

    /// Drains every listener queue once.
    pub async fn drain_queues(&self) -> Result<Vec<(&'static str, Drained)>> {
        Ok(vec![
            (
                "shipping",
                self.shipping_listener
                    .queue
                    .drain(&self.shipping_listener.listener)
                    .await?,
            ),
            (
                "notifications",
                self.notifications_listener
                    .queue
                    .drain(&self.notifications_listener.listener)
                    .await?,
            ),
            (
                "orders-bff",
                self.orders_listener
                    .queue
                    .drain(&self.orders_listener.listener)
                    .await?,
            ),
        ])
    }

    /// Runs triggers and drains queues until nothing moves any more.
    pub async fn settle(&mut self) -> Result<Settled> {
        let mut settled = Settled::default();
        loop {
            let records = self.run_triggers().await?;
            let moved = settled.add(self.drain_queues().await?);
            settled.records += records;
            if records == 0 && moved == 0 {
                return Ok(settled);
            }
        }
    }

    /// Every entry the bus accepted from the shop's triggers.
    pub fn published(&self) -> Vec<Entry> {
        let mut published = self.customers_bff.published();
        published.extend(self.orders_bff.published());
        published.extend(self.notifications.published());
        published
    }

    /// The names of every view table of every service.
    pub fn view_tables(&self) -> Vec<String> {
        self.deployment
            .services
            .values()
            .flat_map(|resources| {
                resources
                    .logical_ids()
                    .filter(|id| id.starts_with("View") && id.ends_with("Table"))
                    .filter_map(|id| resources.get(id).ok().map(str::to_owned))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// How many rows of the table `table` are not deleted (a full scan).
    pub async fn live_rows(&self, table: &str) -> Result<usize> {
        Ok(self
            .items(table)
            .await?
            .iter()
            .filter(|item| item.get("deleted") != Some(&AttributeValue::Bool(true)))
            .count())
    }

    /// Every item of the table `table` (a full scan).
    pub async fn items(&self, table: &str) -> Result<Vec<HashMap<String, AttributeValue>>> {
        let client = aws_sdk_dynamodb::Client::new(self.moto.config());
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let page = client
                .scan()
                .table_name(table)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(|e| HarnessError::aws(format!("Scan {table}"), e))?;
            items.extend(page.items().iter().cloned());
            start = page.last_evaluated_key().cloned();
            if start.is_none() {
                return Ok(items);
            }
        }
    }

    /// Deletes every item of the table `table`; returns how many there were.
    pub async fn clear(&self, table: &str) -> Result<usize> {
        let client = aws_sdk_dynamodb::Client::new(self.moto.config());
        let described = client
            .describe_table()
            .table_name(table)
            .send()
            .await
            .map_err(|e| HarnessError::aws(format!("DescribeTable {table}"), e))?;
        let key_names: Vec<String> = described
            .table()
            .map(|t| {
                t.key_schema()
                    .iter()
                    .map(|k| k.attribute_name().to_owned())
                    .collect()
            })
            .unwrap_or_default();
        let items = self.items(table).await?;
        for item in &items {
            let key = key_names
                .iter()
                .filter_map(|name| Some((name.clone(), item.get(name)?.clone())))
                .collect();
            client
                .delete_item()
                .table_name(table)
                .set_key(Some(key))
                .send()
                .await
                .map_err(|e| HarnessError::aws(format!("DeleteItem {table}"), e))?;
        }
        Ok(items.len())
    }
}

async fn listener_queue(moto: &Moto, resources: &Resources) -> Result<ListenerQueue> {
    ListenerQueue::new(
        moto,
        resources.get("ListenerQueue")?,
        resources.get("ListenerDlq")?,
    )
    .await
}

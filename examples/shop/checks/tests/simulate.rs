//! `cqrsgen simulate` against the generated crates: one shop scenario runs through the
//! interpreter and through the generated `orders-bff` trigger mapping and `shipping` listener
//! (in-memory views), delivered in the order the simulation delivered (held, reversed,
//! duplicated, shuffled). Both must publish the same events, route them alike, and leave the
//! same `pending-shipment` rows, bookkeeping attributes and tombstones included.

use std::collections::BTreeMap;
use std::path::Path;

use cqrsgen::eventbridge::matches;
use cqrsgen::simulate::compile::{Action, ChangeKind};
use cqrsgen::simulate::engine::Entry;
use cqrsgen_runtime::aws_lambda_events::dynamodb::EventRecord;
use cqrsgen_runtime::aws_lambda_events::sqs::SqsEvent;
use cqrsgen_runtime::envelope::Tags;
use cqrsgen_runtime::listener::process_batch;
use cqrsgen_runtime::stream::StreamRecord;
use cqrsgen_runtime::trigger::StreamMapper;
use serde_json::{Map, Value, json};
use shop_orders_bff::Mapper;
use shop_shipping::{Listener, Views};
use shop_shipping_app::hooks::ServiceHooks;

/// A row image of the scenario as the orders-bff table's stream carries it.
fn image(row: Option<&Map<String, Value>>, entity: &str) -> Value {
    let Some(row) = row else {
        return Value::Null;
    };
    let mut row = row.clone();
    let key = row.get("id").cloned().unwrap_or(Value::Null);
    row.insert("pk".into(), key);
    row.insert("sk".into(), json!(entity));
    row.insert("discriminator".into(), json!(entity));
    let item: serde_dynamo::Item = serde_dynamo::to_item(&row).expect("an item");
    serde_json::to_value(item).expect("DynamoDB JSON")
}

#[test]
fn the_generated_crates_agree_with_the_simulation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let project = cqrsgen::load::load(&root).expect("the shop loads");
    let system = cqrsgen::validate::validate(&project)
        .ir
        .expect("the shop is valid");
    let path = root.join("scenarios/delivery-perturbations.yaml");
    let (_, scenario, findings) = cqrsgen::simulate::load(&system, &path).expect("readable");
    let scenario = scenario.unwrap_or_else(|| panic!("{findings:#?}"));
    let outcome = cqrsgen::simulate::run(&system, &scenario);

    // The generated trigger, on stream records of the scenario's orders-bff changes.
    let orders = system.service_named("orders-bff").expect("orders-bff");
    let mapper = Mapper::new(&Tags::from_lookup("orders-bff", |_| None).with_pipeline("trigger"));
    let mut bodies: BTreeMap<String, String> = BTreeMap::new();
    let mut published = Vec::new();
    for step in &scenario.steps {
        let Action::Change(change) = &step.action else {
            continue;
        };
        if change.service != orders {
            continue;
        }
        let entity = &system.entities[change.entity].name;
        let name = match change.kind {
            ChangeKind::Insert => "INSERT",
            ChangeKind::Remove => "REMOVE",
            _ => "MODIFY",
        };
        let record: EventRecord = serde_json::from_value(json!({
            "awsRegion": "us-east-1",
            "eventID": format!("step-{}", step.index + 1),
            "eventName": name,
            "eventSource": "aws:dynamodb",
            "eventVersion": "1.1",
            "dynamodb": {
                "ApproximateCreationDateTime": 1_700_000_000,
                "NewImage": image(change.new.as_ref(), entity),
                "OldImage": image(change.old.as_ref(), entity),
                "SequenceNumber": step.index.to_string(),
                "SizeBytes": 64,
                "StreamViewType": "NEW_AND_OLD_IMAGES"
            }
        }))
        .expect("a stream record");
        let view = StreamRecord::new(&record);
        let kind = view.change().expect("a change");
        for event in mapper.map(&view, kind).expect("mapped") {
            published.push((event.id().to_owned(), event.event_type().to_owned()));
            bodies.insert(event.id().to_owned(), event.encode().expect("an envelope"));
        }
    }
    let simulated: Vec<(String, String)> = outcome
        .trace
        .iter()
        .filter_map(|entry| match entry {
            Entry::Published { id, event, .. } => Some((id.clone(), event.clone())),
            _ => None,
        })
        .filter(|(_, event)| event.starts_with("order-"))
        .collect();
    assert_eq!(published, simulated, "the same events, ids and order");

    // Routing of the generated envelopes by shipping's rules agrees with the trace.
    let shipping = system.service_named("shipping").expect("shipping");
    for (id, body) in &bodies {
        let detail: Value = serde_json::from_str(body).expect("JSON");
        let event_type = detail["type"].as_str().unwrap_or_default().to_owned();
        let entry = json!({"source": "orders-bff", "detail-type": event_type, "detail": detail});
        let generated = system.services[shipping]
            .subscriptions
            .iter()
            .any(|s| matches(&s.pattern, &entry).is_ok());
        let simulated = outcome.trace.iter().any(|e| {
            matches!(e, Entry::Routed { id: i, service, delivered: true, .. }
                if i == id && service == "shipping")
        });
        assert_eq!(generated, simulated, "routing of {id}");
    }

    // The generated listener, in the simulation's delivery order (duplicates included).
    let delivered: Vec<&String> = outcome
        .trace
        .iter()
        .filter_map(|e| match e {
            Entry::Applied { service, id, .. } if service == "shipping" => Some(id),
            _ => None,
        })
        .collect();
    assert!(delivered.len() >= 6, "{delivered:?}");
    let listener = Listener {
        views: Views::in_memory(),
        hooks: ServiceHooks,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        for (n, id) in delivered.iter().enumerate() {
            let body = bodies
                .get(*id)
                .expect("a generated event for every delivery");
            let event: SqsEvent = serde_json::from_value(json!({
                "Records": [{"messageId": format!("m{n}"), "body": body}]
            }))
            .expect("an SQS event");
            let response = process_batch(&listener, &event).await.expect("a response");
            assert!(response.batch_item_failures.is_empty(), "{id} applies");
        }
    });
    let generated: Vec<Value> = listener
        .views
        .pending_shipment
        .store()
        .as_in_memory()
        .expect("in memory")
        .snapshot()
        .into_values()
        .map(Value::Object)
        .collect();
    let view = system
        .views_of(shipping)
        .find(|(_, v)| v.name == "pending-shipment")
        .map(|(id, _)| id)
        .expect("pending-shipment");
    let simulated: Vec<Value> = outcome.views[cqrsgen::ir::Id::index(view)]
        .values()
        .map(|row| Value::Object(row.values.clone()))
        .collect();
    assert_eq!(
        generated.len(),
        2,
        "one live row and one tombstone: {generated:#?}"
    );
    assert_eq!(generated, simulated);
}

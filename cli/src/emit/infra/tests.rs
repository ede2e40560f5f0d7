//! What the templates of the examples say: least privilege, one rule per subscription with
//! the compiled pattern, the environment the runtime reads, tables keyed as the store expects.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::{infra, templates};
use crate::emit::Options;
use crate::ir::{Service, System};
use crate::naming;

fn example(name: &str) -> System {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name);
    lowered(&crate::load::load(&path).expect("example loads"))
}

fn lowered(project: &crate::load::Project) -> System {
    crate::validate::validate(project)
        .ir
        .expect("the spec is valid")
}

/// The templates of the shop, as JSON, by file name.
fn shop() -> (System, Vec<(PathBuf, Value)>) {
    let system = example("shop");
    let templates = templates(&system, &Options::default())
        .expect("shop emits")
        .into_iter()
        .map(|(path, template)| (path, template.to_json().expect("valid template")))
        .collect();
    (system, templates)
}

fn template<'a>(templates: &'a [(PathBuf, Value)], service: &str) -> &'a Value {
    let path = PathBuf::from(format!("infra/{service}.yaml"));
    &templates
        .iter()
        .find(|(p, _)| *p == path)
        .unwrap_or_else(|| panic!("no template {}", path.display()))
        .1
}

fn resources_of_type<'a>(template: &'a Value, type_: &str) -> Vec<(&'a str, &'a Value)> {
    template["Resources"]
        .as_object()
        .expect("resources")
        .iter()
        .filter(|(_, r)| r["Type"] == type_)
        .map(|(id, r)| (id.as_str(), r))
        .collect()
}

fn get_att(id: &str, attribute: &str) -> Value {
    json!({"Fn::GetAtt": [id, attribute]})
}

#[test]
fn a_hub_and_a_template_per_service_with_the_header() {
    let system = example("shop");
    let files = infra(&system, &Options::default()).expect("shop emits");
    let paths: Vec<String> = files.iter().map(|f| f.path.display().to_string()).collect();
    assert_eq!(
        paths,
        [
            "infra/hub.yaml",
            "infra/customers-bff.yaml",
            "infra/notifications.yaml",
            "infra/orders-bff.yaml",
            "infra/shipping.yaml",
            "template.yaml",
            "samconfig.toml",
        ]
    );
    for file in &files {
        assert!(
            crate::write::is_generated(&file.contents),
            "{}",
            file.path.display()
        );
        assert!(file.contents.starts_with("# "), "{}", file.path.display());
    }
    assert_eq!(
        infra(&system, &Options::default()),
        Ok(files),
        "output is deterministic"
    );
}

#[test]
fn the_hub_exports_the_bus_name_and_arn_and_archives_it() {
    let (_, templates) = shop();
    let hub = &templates[0].1;
    assert_eq!(
        hub["Resources"]["Bus"]["Properties"]["Name"],
        json!({"Fn::Sub": "shop-hub-${Stage}"})
    );
    assert_eq!(
        hub["Resources"]["Archive"]["Properties"]["SourceArn"],
        get_att("Bus", "Arn")
    );
    assert_eq!(hub["Outputs"]["BusName"]["Value"], get_att("Bus", "Name"));
    assert_eq!(
        hub["Outputs"]["BusName"]["Export"]["Name"],
        json!({"Fn::Sub": "shop-bus-name-${Stage}"})
    );
    assert_eq!(hub["Outputs"]["BusArn"]["Value"], get_att("Bus", "Arn"));
    assert_eq!(
        hub["Outputs"]["BusArn"]["Export"]["Name"],
        json!({"Fn::Sub": "shop-bus-arn-${Stage}"})
    );
}

/// Every string anywhere in `value`.
fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

#[test]
fn iam_grants_no_wildcard_and_only_own_resources() {
    let (_, templates) = shop();
    let mut roles = 0;
    for (path, template) in &templates {
        for (id, role) in resources_of_type(template, "AWS::IAM::Role") {
            roles += 1;
            let statements = role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
                .as_array()
                .expect("statements");
            for statement in statements {
                assert_eq!(statement["Effect"], "Allow");
                for action in statement["Action"].as_array().expect("actions") {
                    let action = action.as_str().expect("action");
                    assert!(!action.contains('*'), "{}: {id}: {action}", path.display());
                }
                let mut resources = Vec::new();
                strings(&statement["Resource"], &mut resources);
                for resource in resources {
                    // Only logical ids, attribute names and export names: no ARN patterns.
                    assert!(
                        !resource.contains('*'),
                        "{}: {id}: {resource}",
                        path.display()
                    );
                }
                for resource in statement["Resource"].as_array().expect("resources") {
                    let own = resource.get("Fn::GetAtt").is_some()
                        || resource.get("Fn::Sub").is_some()
                        || resource
                            == &json!({"Fn::ImportValue": {"Fn::Sub": "shop-bus-arn-${Stage}"}});
                    assert!(own, "{}: {id}: {resource}", path.display());
                }
            }
        }
    }
    assert_eq!(roles, 6, "3 triggers and 3 listeners");
}

fn statement_for<'a>(template: &'a Value, role: &str, action: &str) -> &'a Value {
    template["Resources"][role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .expect("statements")
        .iter()
        .find(|s| {
            s["Action"]
                .as_array()
                .expect("actions")
                .contains(&json!(action))
        })
        .unwrap_or_else(|| panic!("{role} has no {action}"))
}

#[test]
fn triggers_publish_only_to_the_hub_bus_and_read_only_their_stream() {
    let (_, templates) = shop();
    let orders = template(&templates, "orders-bff");
    assert_eq!(
        statement_for(orders, "TriggerRole", "events:PutEvents")["Resource"],
        json!([{"Fn::ImportValue": {"Fn::Sub": "shop-bus-arn-${Stage}"}}])
    );
    assert_eq!(
        statement_for(orders, "TriggerRole", "dynamodb:GetRecords")["Resource"],
        json!([get_att("EntityTable", "StreamArn")])
    );
    // The shipping service publishes nothing: no trigger, no entity table.
    let shipping = template(&templates, "shipping");
    assert!(shipping["Resources"].get("TriggerFunction").is_none());
    assert!(shipping["Resources"].get("EntityTable").is_none());
}

#[test]
fn the_trigger_reads_the_entity_stream_safely() {
    let (_, templates) = shop();
    let orders = template(&templates, "orders-bff");
    let table = &orders["Resources"]["EntityTable"]["Properties"];
    assert_eq!(
        table["TableName"],
        json!({"Fn::Sub": "shop-orders-bff-${Stage}"})
    );
    assert_eq!(table["BillingMode"], "PAY_PER_REQUEST");
    assert_eq!(
        table["StreamSpecification"]["StreamViewType"],
        "NEW_AND_OLD_IMAGES"
    );
    assert_eq!(table["TimeToLiveSpecification"]["AttributeName"], "ttl");
    assert_eq!(table["SSESpecification"]["SSEEnabled"], true);
    assert_eq!(
        table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"],
        true
    );
    let function = &orders["Resources"]["TriggerFunction"];
    assert_eq!(function["Metadata"]["BuildMethod"], "rust-cargolambda");
    // The service's own crate builds its trigger binary (`app/orders-bff`, beside the output
    // root that holds `infra/`).
    assert_eq!(
        function["Metadata"]["BuildProperties"]["Binary"],
        "shop-orders-bff-trigger"
    );
    let properties = &function["Properties"];
    assert_eq!(properties["CodeUri"], "../../app/orders-bff");
    assert_eq!(properties["Runtime"], "provided.al2023");
    assert_eq!(properties["Handler"], "bootstrap");
    assert_eq!(properties["Architectures"], json!(["arm64"]));
    let stream = &properties["Events"]["EntityStream"]["Properties"];
    assert_eq!(stream["Stream"], get_att("EntityTable", "StreamArn"));
    assert_eq!(stream["BisectBatchOnFunctionError"], true);
    assert!(
        stream["MaximumRetryAttempts"]
            .as_i64()
            .is_some_and(|n| n > 0)
    );
    assert_eq!(
        stream["FunctionResponseTypes"],
        json!(["ReportBatchItemFailures"])
    );
    assert_eq!(
        stream["DestinationConfig"]["OnFailure"]["Destination"],
        get_att("TriggerDlq", "Arn")
    );
    let filters: Vec<Value> = stream["FilterCriteria"]["Filters"]
        .as_array()
        .expect("filters")
        .iter()
        .map(|f| serde_json::from_str(f["Pattern"].as_str().expect("string")).expect("JSON"))
        .collect();
    assert_eq!(
        filters,
        [
            json!({"dynamodb": {"NewImage": {"latched": [{"exists": false}]}}}),
            json!({"dynamodb": {"NewImage": {"latched": {"BOOL": [false]}}}}),
            json!({"dynamodb": {"NewImage": {"latched": {"NULL": [true]}}}}),
        ],
        "records pass unless latched is true"
    );
}

fn subscribers(system: &System) -> impl Iterator<Item = &Service> {
    system
        .services
        .values()
        .filter(|s| !s.subscriptions.is_empty())
}

#[test]
fn one_rule_per_subscription_with_the_compiled_pattern() {
    let (system, templates) = shop();
    let mut rules = 0;
    for service in subscribers(&system) {
        let template = template(&templates, &service.name);
        let mut rule_arns = Vec::new();
        for subscription in &service.subscriptions {
            rules += 1;
            let event = &system.events[subscription.event];
            let id = naming::logical_id(&["rule", &event.name]);
            let rule = &template["Resources"][&id]["Properties"];
            let source = event.source(&system);
            assert_eq!(rule["EventPattern"], subscription.pattern.to_json(), "{id}");
            assert_eq!(
                rule["EventPattern"].get("source"),
                source.map(|s| json!([s])).as_ref(),
                "{id}: the owner is the source, external events have none"
            );
            assert_eq!(
                rule["EventBusName"],
                json!({"Fn::ImportValue": {"Fn::Sub": "shop-bus-name-${Stage}"}})
            );
            assert_eq!(
                rule["Name"],
                json!({"Fn::Sub": format!("shop-{}-{}-${{Stage}}", service.name, event.name)})
            );
            let target = &rule["Targets"][0];
            assert_eq!(target["Arn"], get_att("ListenerQueue", "Arn"));
            assert_eq!(target["InputPath"], "$.detail");
            assert_eq!(
                target["DeadLetterConfig"]["Arn"],
                get_att("RulesDlq", "Arn")
            );
            assert!(target["RetryPolicy"]["MaximumRetryAttempts"].is_number());
            rule_arns.push(get_att(&id, "Arn"));
        }
        // The queues accept messages from these rules and no others.
        for (policy, queue) in [
            ("ListenerQueuePolicy", "ListenerQueue"),
            ("RulesDlqPolicy", "RulesDlq"),
        ] {
            let statement =
                &template["Resources"][policy]["Properties"]["PolicyDocument"]["Statement"][0];
            assert_eq!(statement["Principal"]["Service"], "events.amazonaws.com");
            assert_eq!(statement["Action"], "sqs:SendMessage");
            assert_eq!(statement["Resource"], get_att(queue, "Arn"));
            assert_eq!(
                statement["Condition"]["ArnEquals"]["aws:SourceArn"],
                Value::Array(rule_arns.clone()),
                "{policy} of {}",
                service.name
            );
        }
    }
    assert_eq!(rules, 8);
}

#[test]
fn a_filter_becomes_content_matching_on_the_entity() {
    let (_, templates) = shop();
    let rule = &template(&templates, "shipping")["Resources"]["RuleOrderPlaced"]["Properties"];
    assert_eq!(
        rule["EventPattern"],
        json!({
            "detail": {"order": {
                "status": [{"anything-but": "cancelled"}],
                "weightGrams": [{"numeric": [">", 0]}],
            }},
            "detail-type": ["order-placed"],
            "source": ["orders-bff"],
        })
    );
}

#[test]
fn the_listener_reads_its_queue_and_gets_its_view_tables() {
    let (system, templates) = shop();
    let mut concurrency_set = 0;
    for service in subscribers(&system) {
        let template = template(&templates, &service.name);
        let listener = &template["Resources"]["ListenerFunction"]["Properties"];
        let queue = &listener["Events"]["ListenerQueue"]["Properties"];
        assert_eq!(queue["Queue"], get_att("ListenerQueue", "Arn"));
        assert_eq!(
            queue["FunctionResponseTypes"],
            json!(["ReportBatchItemFailures"])
        );
        let variables = listener["Environment"]["Variables"]
            .as_object()
            .expect("variables");
        let mut expected: BTreeSet<String> = service
            .views
            .iter()
            .map(|&view| naming::view_table_env(&system.views[view].name))
            .collect();
        expected.insert("STAGE".into());
        let concurrency = system
            .deploy
            .service(&service.name)
            .listener
            .batch_concurrency;
        if let Some(concurrency) = concurrency {
            assert_eq!(
                variables["CQRSGEN_LISTENER_CONCURRENCY"],
                json!(concurrency.to_string())
            );
            expected.insert("CQRSGEN_LISTENER_CONCURRENCY".into());
            concurrency_set += 1;
        }
        assert_eq!(
            variables.keys().cloned().collect::<BTreeSet<_>>(),
            expected,
            "{}",
            service.name
        );
        for view in service.views.iter().map(|&view| &system.views[view].name) {
            let table = naming::logical_id(&["view", view, "table"]);
            assert_eq!(
                variables[&naming::view_table_env(view)],
                json!({"Ref": table})
            );
        }
        let queue_dlq = &template["Resources"]["ListenerQueue"]["Properties"]["RedrivePolicy"];
        assert_eq!(
            queue_dlq["deadLetterTargetArn"],
            get_att("ListenerDlq", "Arn")
        );
        for dlq in ["ListenerDlq", "RulesDlq"] {
            let alarm = naming::logical_id(&[dlq, "alarm"]);
            assert_eq!(
                template["Resources"][&alarm]["Properties"]["Dimensions"][0]["Value"],
                get_att(dlq, "QueueName")
            );
        }
    }
    assert_eq!(
        concurrency_set, 1,
        "the shop sets shipping's batchConcurrency"
    );
}

#[test]
fn view_tables_are_keyed_by_the_view_key_fields_with_indexes() {
    let (_, templates) = shop();
    let shipping = template(&templates, "shipping");
    let table = &shipping["Resources"]["ViewPendingShipmentTable"]["Properties"];
    assert_eq!(
        table["TableName"],
        json!({"Fn::Sub": "shop-shipping-pending-shipment-${Stage}"})
    );
    assert_eq!(
        table["KeySchema"],
        json!([{"AttributeName": "orderId", "KeyType": "HASH"}])
    );
    assert_eq!(
        table["GlobalSecondaryIndexes"],
        json!([{
            "IndexName": "by-customer",
            "KeySchema": [
                {"AttributeName": "customerId", "KeyType": "HASH"},
                {"AttributeName": "placedAt", "KeyType": "RANGE"},
            ],
            "Projection": {"ProjectionType": "ALL"},
        }])
    );
    assert_eq!(
        table["AttributeDefinitions"],
        json!([
            {"AttributeName": "customerId", "AttributeType": "S"},
            {"AttributeName": "orderId", "AttributeType": "S"},
            {"AttributeName": "placedAt", "AttributeType": "S"},
        ])
    );
    // The listener may query the index, by its exact ARN.
    assert_eq!(
        statement_for(shipping, "ListenerRole", "dynamodb:Query")["Resource"],
        json!([get_att("ViewPendingShipmentTable", "Arn")])
    );
    let index_grant = shipping["Resources"]["ListenerRole"]["Properties"]["Policies"][0]
        ["PolicyDocument"]["Statement"]
        .as_array()
        .expect("statements")
        .iter()
        .find(|s| s["Action"] == json!(["dynamodb:Query"]))
        .expect("index grant");
    assert_eq!(
        index_grant["Resource"],
        json!([{"Fn::Sub": "${ViewPendingShipmentTable.Arn}/index/by-customer"}])
    );
}

#[test]
fn environment_names_are_the_runtime_s() {
    let env = include_str!("../../../../runtime/cqrsgen-runtime/src/env.rs");
    for name in [
        super::names::BUS_NAME_ENV,
        super::names::STAGE_ENV,
        super::names::LISTENER_CONCURRENCY_ENV,
        super::names::PUBLISH_CONCURRENCY_ENV,
    ] {
        assert!(
            env.contains(&format!(": &str = \"{name}\";")),
            "the runtime reads no {name}"
        );
    }
    assert!(env.contains("`<VIEW>_TABLE`"));
    assert_eq!(
        naming::view_table_env("pending-shipment"),
        "PENDING_SHIPMENT_TABLE"
    );
    let (_, templates) = shop();
    let trigger = &template(&templates, "orders-bff")["Resources"]["TriggerFunction"]["Properties"]
        ["Environment"]["Variables"];
    assert_eq!(
        trigger,
        &json!({
            "BUS_NAME": {"Fn::ImportValue": {"Fn::Sub": "shop-bus-name-${Stage}"}},
            "STAGE": {"Ref": "Stage"},
        })
    );
}

#[test]
fn a_service_without_tables_or_subscriptions_has_no_template() {
    let dir = tempfile::tempdir().expect("temp dir");
    let minimal = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/minimal/cqrsgen.yaml");
    let spec = std::fs::read_to_string(minimal).expect("minimal spec");
    let spec = spec.replacen(
        "services:\n",
        "services:\n  idle:\n    description: Keeps nothing and hears nothing.\n",
        1,
    );
    std::fs::write(dir.path().join("cqrsgen.yaml"), spec).expect("write the spec");
    let system = lowered(&crate::load::load(dir.path()).expect("loads"));
    assert!(
        system.service_named("idle").is_some(),
        "the spec has `idle`"
    );
    let paths: Vec<PathBuf> = templates(&system, &Options::default())
        .expect("emits")
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    assert_eq!(
        paths,
        [
            PathBuf::from("infra/hub.yaml"),
            PathBuf::from("infra/catalog.yaml"),
            PathBuf::from("infra/storefront.yaml"),
        ]
    );
}

#[test]
fn every_physical_name_and_export_is_stage_scoped() {
    let (_, templates) = shop();
    let staged = |value: &Value| {
        value["Fn::Sub"]
            .as_str()
            .is_some_and(|text| text.ends_with("-${Stage}") && text.matches("${").count() == 1)
    };
    let mut names = 0;
    for (path, template) in &templates {
        let stage = &template["Parameters"]["Stage"];
        assert_eq!(stage["Type"], "String", "{}", path.display());
        assert_eq!(stage["Default"], "dev", "{}", path.display());
        assert_eq!(stage["AllowedPattern"], "^[a-z][a-z0-9]{0,9}$");
        for (id, resource) in template["Resources"].as_object().expect("resources") {
            let type_ = resource["Type"].as_str().expect("type");
            let properties = &resource["Properties"];
            match super::name_property(type_).or(match type_ {
                "AWS::Events::EventBus" => Some("Name"),
                _ => None,
            }) {
                Some(property) => {
                    assert!(staged(&properties[property]), "{}: {id}", path.display());
                    names += 1;
                }
                // Named by CloudFormation (unique per stack, so per stage).
                None => {
                    for property in ["RoleName", "AlarmName", "ArchiveName", "Name"] {
                        assert!(properties.get(property).is_none(), "{id}.{property}");
                    }
                }
            }
        }
        for (id, output) in template["Outputs"].as_object().into_iter().flatten() {
            if let Some(export) = output.get("Export") {
                assert!(staged(&export["Name"]), "{}: {id}", path.display());
            }
        }
    }
    assert!(names > 20, "{names}");
}

#[test]
fn service_stacks_output_and_export_what_other_code_needs() {
    let (_, templates) = shop();
    let outputs = |service: &str| -> BTreeSet<String> {
        template(&templates, service)["Outputs"]
            .as_object()
            .expect("outputs")
            .keys()
            .cloned()
            .collect()
    };
    let orders = outputs("orders-bff");
    for key in [
        "EntityTableName",
        "EntityTableArn",
        "EntityTableStreamArn",
        "TriggerDlqArn",
        "TriggerFunctionName",
        "ViewCustomerNotificationTableName",
        "ViewCustomerNotificationTableArn",
        "ListenerQueueUrl",
        "ListenerQueueArn",
        "ListenerDlqUrl",
        "ListenerDlqArn",
        "RulesDlqUrl",
        "RulesDlqArn",
        "ListenerFunctionName",
    ] {
        assert!(orders.contains(key), "{key}: {orders:?}");
    }
    let shop = template(&templates, "orders-bff");
    assert_eq!(
        shop["Outputs"]["EntityTableName"],
        json!({
            "Description": "The entity table of orders-bff: its name.",
            "Value": {"Ref": "EntityTable"},
            "Export": {"Name": {"Fn::Sub": "shop-orders-bff-entity-table-name-${Stage}"}},
        })
    );
    // A downstream-only service has no entity table, a trigger or its queue.
    let shipping = outputs("shipping");
    assert!(shipping.contains("ListenerQueueUrl"), "{shipping:?}");
    assert!(!shipping.contains("EntityTableName"), "{shipping:?}");
    assert!(!shipping.contains("TriggerFunctionName"), "{shipping:?}");
}

#[test]
fn deploy_settings_of_the_spec_reach_functions_sources_logs_and_tags() {
    let (_, templates) = shop();
    let shipping = template(&templates, "shipping");
    let function = &shipping["Resources"]["ListenerFunction"]["Properties"];
    assert_eq!(function["Timeout"], 45);
    assert_eq!(function["MemorySize"], 256);
    assert_eq!(function["Architectures"], json!(["arm64"]));
    assert_eq!(
        function["Tags"],
        json!({"system": "shop", "team": "logistics"})
    );
    let source = &function["Events"]["ListenerQueue"]["Properties"];
    assert_eq!(source["BatchSize"], 25);
    assert_eq!(source["MaximumBatchingWindowInSeconds"], 2);
    assert_eq!(source["ScalingConfig"], json!({"MaximumConcurrency": 5}));
    let resources = &shipping["Resources"];
    assert_eq!(
        resources["ListenerQueue"]["Properties"]["VisibilityTimeout"],
        270
    );
    assert_eq!(
        resources["ListenerLogGroup"]["Properties"]["RetentionInDays"],
        14
    );
    assert_eq!(
        resources["ViewPendingShipmentTable"]["Properties"]["Tags"],
        json!([{"Key": "system", "Value": "shop"}, {"Key": "team", "Value": "logistics"}])
    );
    // Services without overrides keep the defaults below the system's settings.
    let orders = template(&templates, "orders-bff");
    let trigger = &orders["Resources"]["TriggerFunction"]["Properties"];
    assert_eq!(trigger["Timeout"], 60);
    assert_eq!(
        trigger["Events"]["EntityStream"]["Properties"]["BatchSize"],
        100
    );
    assert_eq!(trigger["Tags"], json!({"system": "shop"}));
}

#[test]
fn the_root_template_nests_the_hub_then_the_services_then_the_users_templates() {
    let system = example("shop");
    let files = infra(&system, &Options::default()).expect("shop emits");
    let root = files
        .iter()
        .find(|f| f.path == Path::new("template.yaml"))
        .expect("template.yaml");
    let root: Value = crate::cfn::tests_read_back(&root.contents);
    let resources = &root["Resources"];
    assert_eq!(resources["Hub"]["Properties"]["Location"], "infra/hub.yaml");
    assert_eq!(resources["Hub"].get("DependsOn"), None);
    for service in ["CustomersBff", "Notifications", "OrdersBff", "Shipping"] {
        let nested = &resources[format!("{service}Service")];
        assert_eq!(nested["Type"], "AWS::Serverless::Application");
        assert_eq!(nested["DependsOn"], json!(["Hub"]));
        assert_eq!(
            nested["Properties"]["Parameters"],
            json!({"Stage": {"Ref": "Stage"}})
        );
    }
    let own = &resources["OrdersBffResources"];
    assert_eq!(own["Properties"]["Location"], "../deploy/orders-bff.yaml");
    assert_eq!(own["DependsOn"], json!(["OrdersBffService"]));
    let samconfig = files
        .iter()
        .find(|f| f.path == Path::new("samconfig.toml"))
        .expect("samconfig.toml");
    for stage in ["dev", "prod"] {
        assert!(
            samconfig
                .contents
                .contains(&format!("parameter_overrides = \"Stage={stage}\"")),
            "{}",
            samconfig.contents
        );
        assert!(
            samconfig
                .contents
                .contains(&format!("stack_name = \"shop-{stage}\""))
        );
    }
}

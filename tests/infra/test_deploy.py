"""Deploys generated templates to moto (CloudFormation) and routes example events.

For every directory in CQRSGEN_INFRA_DIRS (separated by the path separator), each holding
`infra/hub.yaml` and `infra/<service>.yaml`: moto is reset, and the hub stack and every
service stack are created twice, for the stages `dev` and `prod` side by side in one account
and region (stacks `<system>-hub-<stage>` and `<system>-<service>-<stage>`, the `Stage`
parameter set), which must not collide. Then, for every EventBridge rule of every service, in
the `prod` stage: the rule and its target must exist, an event matching the rule's pattern
must arrive in the listener queue (as the envelope: the target's InputPath is `$.detail`), an
event that does not match must not, and nothing may reach the `dev` stage's queue. moto runs
as a server at MOTO_URL (started by scripts/test-infra); it skips the SAM functions, so the
functions themselves are not deployed here.
"""

import json
import os
from pathlib import Path

import boto3
import pytest
import requests
import yaml

from patterns import examples

MOTO_URL = os.environ.get("MOTO_URL", "")
DIRS = [Path(d) for d in os.environ.get("CQRSGEN_INFRA_DIRS", "").split(os.pathsep) if d]
REGION = "eu-central-1"
STAGES = ["dev", "prod"]
# The stage the routing tests put events in; the other one must stay untouched.
ROUTED = "prod"
EXTERNAL_SOURCE = "external.provider"

pytestmark = pytest.mark.skipif(not MOTO_URL or not DIRS, reason="needs MOTO_URL and CQRSGEN_INFRA_DIRS")


class _Loader(yaml.SafeLoader):
    """Reads templates; cqrsgen writes intrinsics in long form, so no tags are needed."""


def load(path):
    return yaml.load(path.read_text(), Loader=_Loader)


def client(service):
    return boto3.client(
        service,
        endpoint_url=MOTO_URL,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def resolve(value, stage):
    """A stage-scoped name (`Fn::Sub: "<name>-${Stage}"`, or a literal) in `stage`."""
    if isinstance(value, dict):
        (function, text), = value.items()
        assert function == "Fn::Sub" and text.endswith("-${Stage}"), value
        return text.replace("${Stage}", stage)
    return value


def system_name(directory):
    hub = load(directory / "infra" / "hub.yaml")
    return resolve(hub["Outputs"]["BusName"]["Export"]["Name"], "").removesuffix("-bus-name-")


def stacks(directory, stage):
    """(stack name, template path) of every stack of `directory` in `stage`, hub first."""
    system = system_name(directory)
    return [(f"{system}-hub-{stage}", directory / "infra" / "hub.yaml")] + [
        (f"{system}-{p.stem}-{stage}", p) for p in services(directory)
    ]


def services(directory):
    return sorted(p for p in (directory / "infra").glob("*.yaml") if p.name != "hub.yaml")


def rules(directory):
    """(directory, service template path, rule logical id) of every rule."""
    for path in services(directory):
        for rule_id, resource in sorted(load(path)["Resources"].items()):
            if resource["Type"] == "AWS::Events::Rule":
                yield directory, path, rule_id


_deployed = {}


def deploy(directory):
    """Resets moto and creates every stack of `directory` in every stage once; returns the
    system name."""
    if directory in _deployed:
        return _deployed[directory]
    _deployed.clear()
    requests.post(f"{MOTO_URL}/moto-api/reset", timeout=10).raise_for_status()
    cfn = client("cloudformation")
    for stage in STAGES:
        for stack, path in stacks(directory, stage):
            cfn.create_stack(
                StackName=stack,
                TemplateBody=path.read_text(),
                Parameters=[{"ParameterKey": "Stage", "ParameterValue": stage}],
                Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
            )
            status = cfn.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
            assert status == "CREATE_COMPLETE", f"{stack}: {status}"
    _deployed[directory] = system_name(directory)
    return _deployed[directory]


def queue_url(template, logical_id, stage=ROUTED):
    name = resolve(template["Resources"][logical_id]["Properties"]["QueueName"], stage)
    return client("sqs").get_queue_url(QueueName=name)["QueueUrl"]


def envelope(body):
    """The envelope in a delivered message. AWS applies the target's InputPath (`$.detail`,
    checked on the target above); moto 5.2 ignores it for SQS targets and sends the whole event."""
    return body["detail"] if {"detail", "detail-type", "source"} <= body.keys() else body


def drain(url):
    sqs = client("sqs")
    bodies = []
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get(
            "Messages", []
        )
        if not messages:
            return bodies
        for message in messages:
            bodies.append(envelope(json.loads(message["Body"])))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


@pytest.mark.parametrize(
    "directory",
    DIRS,
    ids=[d.name for d in DIRS],
)
def test_every_stack_deploys_in_two_stages(directory):
    system = deploy(directory)
    cfn = client("cloudformation")
    # Exports of the SAM functions have no value on moto, which skips the functions.
    exports = {
        e["Name"]: e.get("Value")
        for page in cfn.get_paginator("list_exports").paginate()
        for e in page["Exports"]
    }
    buses = {exports[f"{system}-bus-name-{stage}"] for stage in STAGES}
    assert len(buses) == len(STAGES), buses
    assert all(f"{system}-bus-arn-{stage}" in exports for stage in STAGES), exports
    # Every named resource exists once per stage, under its stage's name.
    for path in services(directory):
        physical = [
            {
                r["LogicalResourceId"]: r["PhysicalResourceId"]
                for r in cfn.describe_stack_resources(StackName=f"{system}-{path.stem}-{stage}")[
                    "StackResources"
                ]
                if r.get("ResourceType", "").startswith(("AWS::DynamoDB::", "AWS::SQS::Queue"))
            }
            for stage in STAGES
        ]
        assert physical[0] and physical[0].keys() == physical[1].keys(), path
        # The outputs name what was created: tables, queue URLs and ARNs, each exported.
        for stage, resources in zip(STAGES, physical):
            stack = cfn.describe_stacks(StackName=f"{system}-{path.stem}-{stage}")["Stacks"][0]
            outputs = {o["OutputKey"]: o for o in stack.get("Outputs", [])}
            assert outputs, path
            for key, output in outputs.items():
                if output.get("ExportName"):
                    assert output["ExportName"].endswith(f"-{stage}"), output
                    assert output["ExportName"] in exports, output
                    assert exports[output["ExportName"]] == output.get("OutputValue"), output
            if "EntityTable" in resources:
                assert outputs["EntityTableName"]["OutputValue"] == resources["EntityTable"]
            if "ListenerQueue" in resources:
                assert outputs["ListenerQueueUrl"]["OutputValue"] == resources["ListenerQueue"]
        for logical_id in physical[0]:
            assert physical[0][logical_id] != physical[1][logical_id], (path, logical_id)


@pytest.mark.parametrize(
    "directory,template_path,rule_id",
    list(rules_ for d in DIRS for rules_ in rules(d)),
    ids=[f"{d.name}/{p.stem}/{r}" for d in DIRS for (_, p, r) in rules(d)],
)
def test_rule_routes_matching_events_only(directory, template_path, rule_id):
    deploy(directory)
    template = load(template_path)
    properties = template["Resources"][rule_id]["Properties"]
    hub = load(directory / "infra" / "hub.yaml")
    bus = resolve(hub["Resources"]["Bus"]["Properties"]["Name"], ROUTED)
    name = resolve(properties["Name"], ROUTED)
    events = client("events")

    rule = events.describe_rule(Name=name, EventBusName=bus)
    assert json.loads(rule["EventPattern"]) == properties["EventPattern"]
    targets = events.list_targets_by_rule(Rule=name, EventBusName=bus)["Targets"]
    listener_arn = client("sqs").get_queue_attributes(
        QueueUrl=queue_url(template, "ListenerQueue"), AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    assert [(t["Arn"], t.get("InputPath")) for t in targets] == [(listener_arn, "$.detail")]

    pattern = properties["EventPattern"]
    source = pattern.get("source", [EXTERNAL_SOURCE])[0]
    detail_type = pattern["detail-type"][0]
    matching, non_matching = examples(pattern)
    url = queue_url(template, "ListenerQueue")
    other_stages = [queue_url(template, "ListenerQueue", stage) for stage in STAGES if stage != ROUTED]
    drain(url)
    for other in other_stages:
        drain(other)

    def put(detail, source=source, detail_type=detail_type):
        entry = {
            "Source": source,
            "DetailType": detail_type,
            "Detail": json.dumps({"type": detail_type, **detail}),
            "EventBusName": bus,
        }
        response = events.put_events(Entries=[entry])
        assert response["FailedEntryCount"] == 0, response

    put(matching)
    assert drain(url) == [{"type": detail_type, **matching}], "matching event"

    if non_matching is not None:
        put(non_matching)
    put(matching, detail_type=detail_type + "-other")
    if "source" in pattern:
        put(matching, source=source + "-other")
    assert drain(url) == [], f"non-matching events were delivered: {non_matching}"
    for other in other_stages:
        assert drain(other) == [], "an event reached another stage"

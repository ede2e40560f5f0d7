"""Deploys generated templates to moto (CloudFormation) and routes example events.

For every directory in CQRSGEN_INFRA_DIRS (separated by the path separator), each holding
`infra/hub.yaml` and `infra/<service>.yaml`: moto is reset, the hub stack and every service
stack are created, and then, for every EventBridge rule of every service, the rule and its
target must exist, an event matching the rule's pattern must arrive in the listener queue
(as the envelope: the target's InputPath is `$.detail`), and an event that does not match
must not. moto runs as a server at MOTO_URL (started by scripts/test-infra); it skips the SAM
functions, so the functions themselves are not deployed here.
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


def system_name(directory):
    hub = load(directory / "infra" / "hub.yaml")
    return hub["Outputs"]["BusName"]["Export"]["Name"].removesuffix("-bus-name")


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
    """Resets moto and creates every stack of `directory` once; returns the stack outputs."""
    if directory in _deployed:
        return _deployed[directory]
    _deployed.clear()
    requests.post(f"{MOTO_URL}/moto-api/reset", timeout=10).raise_for_status()
    cfn = client("cloudformation")
    system = system_name(directory)
    for stack, path in [(f"{system}-hub", directory / "infra" / "hub.yaml")] + [
        (f"{system}-{p.stem}", p) for p in services(directory)
    ]:
        cfn.create_stack(
            StackName=stack,
            TemplateBody=path.read_text(),
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
        )
        status = cfn.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
        assert status == "CREATE_COMPLETE", f"{stack}: {status}"
    _deployed[directory] = system
    return system


def queue_url(template, logical_id):
    name = template["Resources"][logical_id]["Properties"]["QueueName"]
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
def test_every_stack_deploys(directory):
    system = deploy(directory)
    cfn = client("cloudformation")
    exports = {e["Name"]: e["Value"] for e in cfn.list_exports()["Exports"]}
    assert f"{system}-bus-name" in exports and f"{system}-bus-arn" in exports


@pytest.mark.parametrize(
    "directory,template_path,rule_id",
    list(rules_ for d in DIRS for rules_ in rules(d)),
    ids=[f"{d.name}/{p.stem}/{r}" for d in DIRS for (_, p, r) in rules(d)],
)
def test_rule_routes_matching_events_only(directory, template_path, rule_id):
    deploy(directory)
    template = load(template_path)
    properties = template["Resources"][rule_id]["Properties"]
    bus = load(directory / "infra" / "hub.yaml")["Resources"]["Bus"]["Properties"]["Name"]
    events = client("events")

    rule = events.describe_rule(Name=properties["Name"], EventBusName=bus)
    assert json.loads(rule["EventPattern"]) == properties["EventPattern"]
    targets = events.list_targets_by_rule(Rule=properties["Name"], EventBusName=bus)["Targets"]
    listener_arn = client("sqs").get_queue_attributes(
        QueueUrl=queue_url(template, "ListenerQueue"), AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    assert [(t["Arn"], t.get("InputPath")) for t in targets] == [(listener_arn, "$.detail")]

    pattern = properties["EventPattern"]
    source = pattern.get("source", [EXTERNAL_SOURCE])[0]
    detail_type = pattern["detail-type"][0]
    matching, non_matching = examples(pattern)
    url = queue_url(template, "ListenerQueue")
    drain(url)

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

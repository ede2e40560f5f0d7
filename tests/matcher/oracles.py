"""Two independent EventBridge pattern matchers, for cqrsgen's differential matcher test
(cli/tests/matcher_differential.rs, docs/eventbridge-matching.md).

Reads JSON lines `{"pattern": {...}, "event": {...}}` on standard input and writes, for each, one
JSON line `{"event_ruler": VERDICT, "moto": VERDICT}` where a verdict is `true` (matches),
`false` (does not match) or a string saying why that matcher cannot judge the case.

- event-ruler (PyPI `event-ruler` 0.3.0) wraps Quamina 1.0.0 (Go), which knows exact values,
  `exists`, `anything-but` with a list of strings, and `shellstyle` (one `*`). Patterns using
  other operators are translated when Quamina has the same operator under another name
  (`prefix` p is `shellstyle` "p*", as Quamina's PATTERNS.md says; `suffix` s is "*s"; a
  `wildcard` with at most one `*` and no backslash is a `shellstyle`), and are otherwise
  reported as unsupported.
- moto (the AWS emulator the infrastructure tests deploy to) matches in process with
  `moto.events.models.EventPattern`, the code behind its rules.
"""

import json
import sys

import event_ruler
from moto.events.models import EventPattern


class Unsupported(Exception):
    """A pattern event-ruler has no operator for."""


def to_quamina(node):
    """The pattern object `node` in Quamina 1.0 syntax, or Unsupported."""
    out = {}
    for key, value in node.items():
        if key == "$or":
            raise Unsupported("$or")
        if isinstance(value, dict):
            out[key] = to_quamina(value)
        else:
            out[key] = [quamina_matcher(m) for m in value]
    return out


def quamina_matcher(matcher):
    if not isinstance(matcher, dict):
        return matcher
    ((op, arg),) = matcher.items()
    if op == "exists":
        return matcher
    if op == "prefix" and "*" not in arg:
        return {"shellstyle": arg + "*"}
    if op == "suffix" and "*" not in arg:
        return {"shellstyle": "*" + arg}
    if op == "wildcard" and arg.count("*") <= 1 and "\\" not in arg:
        return {"shellstyle": arg}
    if op == "anything-but":
        values = arg if isinstance(arg, list) else [arg]
        if all(isinstance(v, str) for v in values):
            return {"anything-but": values}
    raise Unsupported(f"{op} {json.dumps(arg)}")


def event_ruler_verdict(pattern, event):
    try:
        translated = to_quamina(pattern)
    except Unsupported as why:
        return f"unsupported: {why}"
    try:
        return bool(event_ruler.test_event_pattern(json.dumps(event), json.dumps(translated)))
    except RuntimeError as error:
        # Quamina refuses some combinations, e.g. `exists` next to other values in one list.
        return f"rejected: {error}"


def moto_verdict(pattern, event):
    return bool(EventPattern.load(json.dumps(pattern)).matches_event(event))


def main():
    for line in sys.stdin:
        case = json.loads(line)
        verdicts = {
            "event_ruler": event_ruler_verdict(case["pattern"], case["event"]),
            "moto": moto_verdict(case["pattern"], case["event"]),
        }
        sys.stdout.write(json.dumps(verdicts) + "\n")


if __name__ == "__main__":
    main()

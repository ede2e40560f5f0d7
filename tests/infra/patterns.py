"""Example events for EventBridge patterns: one `detail` that a pattern matches and one that it
does not, built from the pattern alone (so they test the pattern, not cqrsgen's compiler).

A pattern node is a dict: field -> list of matchers (a leaf) or dict (a nested node), and
`$or` -> list of nodes. `satisfy` builds a detail every field of which matches; `violate`
breaks exactly one leaf (or every alternative of an `$or` that stands alone), so the
non-matching detail differs from a matching one in one place.
"""

MISSING = object()
"""A field to leave out (for `exists: false`)."""

MARK = "\u00a7"
"""A character no generated prefix, suffix or wildcard starts or ends with."""


def _numeric_bounds(operands):
    lower = upper = None
    for op, value in zip(operands[::2], operands[1::2]):
        if op == "=":
            return value, value, True
        if op in (">", ">="):
            lower = (value, op == ">=")
        else:
            upper = (value, op == "<=")
    return lower, upper, False


def _satisfying(matcher):
    if not isinstance(matcher, dict):
        return matcher
    (op, arg), = matcher.items()
    if op == "prefix":
        return arg + "x"
    if op == "suffix":
        return "x" + arg
    if op == "anything-but":
        if isinstance(arg, dict):
            return MARK + "other"
        values = arg if isinstance(arg, list) else [arg]
        if all(isinstance(v, (int, float)) for v in values):
            return max(values) + 1
        return "something-else"
    if op == "numeric":
        lower, upper, equal = _numeric_bounds(arg)
        if equal:
            return lower
        if lower and upper:
            return (lower[0] + upper[0]) / 2
        if lower:
            return lower[0] + 1
        return upper[0] - 1
    if op == "exists":
        return "present" if arg else MISSING
    if op == "equals-ignore-case":
        return arg.swapcase()
    if op == "wildcard":
        return arg.replace("*", "mid")
    raise ValueError(f"unknown operator {op}")


def _failing(matchers):
    """A value that no matcher of the leaf matches."""
    first = matchers[0]
    if not isinstance(first, dict):
        if all(isinstance(m, bool) for m in matchers):
            return not first if len(matchers) == 1 else "neither"
        if all(isinstance(m, (int, float)) and not isinstance(m, bool) for m in matchers):
            return max(matchers) + 1000
        return MARK + "no-match"
    (op, arg), = first.items()
    if op == "prefix":
        return MARK + arg
    if op == "suffix":
        return arg + MARK
    if op == "anything-but":
        if isinstance(arg, dict):
            (kind, affix), = arg.items()
            return affix + "x" if kind == "prefix" else "x" + affix
        return arg[0] if isinstance(arg, list) else arg
    if op == "numeric":
        lower, upper, equal = _numeric_bounds(arg)
        if equal:
            return lower + 1
        if lower:
            return lower[0] - 1
        return upper[0] + 1
    if op == "exists":
        return MISSING if arg else "present"
    if op == "equals-ignore-case":
        return MARK + arg
    if op == "wildcard":
        return MARK + arg.replace("*", "")
    raise ValueError(f"unknown operator {op}")


def _put(obj, key, value):
    if value is MISSING:
        obj.pop(key, None)
    else:
        obj[key] = value


def _merge(into, other):
    for key, value in other.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def satisfy(node):
    """A detail object that `node` matches."""
    out = {}
    for key, value in node.items():
        if key == "$or":
            _merge(out, satisfy(value[0]))
        elif isinstance(value, list):
            _put(out, key, _satisfying(value[0]))
        else:
            out.setdefault(key, {})
            _merge(out[key], satisfy(value))
    return out


def _break(node, out):
    """Breaks one leaf of `node` in `out` (a detail that satisfies it); False if it has none."""
    for key, value in node.items():
        if key == "$or":
            continue
        if isinstance(value, list):
            _put(out, key, _failing(value))
            return True
        if _break(value, out.setdefault(key, {})):
            return True
    if "$or" in node:
        for alternative in node["$or"]:
            _break(alternative, out)
        return True
    return False


def violate(node):
    """A detail object that `node` does not match, or None when it constrains nothing."""
    out = satisfy(node)
    return out if _break(node, out) else None


def examples(pattern):
    """(matching detail, non-matching detail or None) for a whole event pattern."""
    detail = pattern.get("detail", {})
    return satisfy(detail), violate(detail) if detail else None

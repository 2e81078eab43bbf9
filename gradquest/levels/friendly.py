"""pydantic's errors in the author's words: one message per field, at its place in the file, with
the name it was probably meant to be (`steps[2].forwrd: unknown key; did you mean forward?`)."""

from __future__ import annotations

import difflib
import re
import types
from typing import Annotated, Union, get_args, get_origin

from pydantic import BaseModel, Tag, ValidationError

from gradquest.levels.schema import LEVEL_ID, NAME, STEP_KINDS, StepCommon
from gradquest.levels.source import LevelError, Positions, dotted, position_of

_EXPECTED = {
    "string_type": "a text", "float_type": "a number", "float_parsing": "a number",
    "int_type": "a whole number", "int_parsing": "a whole number", "int_from_float": "a whole number",
    "bool_type": "true or false", "bool_parsing": "true or false", "list_type": "a list",
    "tuple_type": "a list", "dict_type": "a mapping", "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}
_BOUNDS = {"greater_than_equal": ("ge", "at least"), "greater_than": ("gt", "more than"),
           "less_than_equal": ("le", "at most"), "less_than": ("lt", "less than")}


def _found(value) -> str:
    if value is None or isinstance(value, bool):
        return {None: "nothing", True: "true", False: "false"}[value]
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 40 else f"'{value[:37]}…'"
    if isinstance(value, dict):
        return "a mapping"
    return "a list" if isinstance(value, (list, tuple)) else str(value)


def _unwrap(tp):
    """The type under Annotated and Optional."""
    while True:
        if get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
        elif get_origin(tp) in (Union, types.UnionType) and len(_members(tp)) == 1:
            tp = _members(tp)[0][1]
        else:
            return tp


def _members(tp) -> list[tuple[str, object]]:
    """A union's members and the tags pydantic gives them in an error's loc."""
    if get_origin(tp) not in (Union, types.UnionType):
        return []
    found = []
    for member in get_args(tp):
        if member is type(None):
            continue
        tag = None
        if get_origin(member) is Annotated:
            tag = next((a.tag for a in get_args(member)[1:] if isinstance(a, Tag)), None)
            member = get_args(member)[0]
        if tag is None:
            tag = member.__name__ if isinstance(member, type) else str(member)
        found.append((tag, member))
    return found


def _is_tag(element, tag: str) -> bool:  # a model with a validator is tagged 'function-after[…, Between]'
    return isinstance(element, str) and (element == tag or element.endswith(f", {tag}]"))


def _child(tp, element):
    """The model holding `element` (when `tp` is one) and the type of the value there."""
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        field = tp.model_fields.get(element)
        return tp, field.annotation if field else None
    origin, args = get_origin(tp), get_args(tp)
    if origin is list or origin is dict:
        return None, args[-1]
    if origin is tuple and isinstance(element, int) and element < len(args):
        return None, args[element]
    return None, None


def _walk(root: type[BaseModel], loc: tuple):
    """Split an error's loc into the path in the data and the indices of its union tags; also give
    the model that holds the last key."""
    tp, path, tags, owner = root, [], [], None
    for i, element in enumerate(loc):
        member = next((m for tag, m in _members(_unwrap(tp)) if _is_tag(element, tag)), None)
        if member is not None:
            tags.append(i)
            tp = member
        else:
            path.append(element)
            owner, tp = _child(tp, element)
    return tuple(path), tags, owner


def _friendly(error: dict, path: tuple, owner) -> tuple[str, str | None]:
    """A message and a hint for one pydantic error."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    last = path[-1] if path else None
    if kind == "missing":
        return (f"missing key '{last}'" if isinstance(last, str) else f"missing item {last + 1}"), None
    if kind == "extra_forbidden":
        allowed = list(owner.model_fields) if owner else []
        if owner and issubclass(owner, StepCommon):  # a step's own keys first, its id last
            allowed = sorted(allowed, key=lambda k: k == "id")
        close = difflib.get_close_matches(str(last), allowed, 1)
        return (f"unknown key '{last}'" + (f"; expected one of: {', '.join(allowed)}" if allowed else ""),
                f"did you mean '{close[0]}'?" if close else None)
    if kind == "step_kind":
        keys = [str(k) for k in value] if isinstance(value, dict) else []
        close = [m for k in keys for m in difflib.get_close_matches(k, STEP_KINDS, 1)]
        return error["msg"], (f"did you mean '{close[0]}'?" if close else None)
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, found {_found(value)}", None
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        close = difflib.get_close_matches(str(value), choices, 1)
        return f"expected {ctx['expected']}, found {_found(value)}", (f"did you mean '{close[0]}'?" if close else None)
    if kind == "string_pattern_mismatch":
        rule = {LEVEL_ID: "an id uses lowercase letters, digits, '.', '_' and '-', starting with a letter or digit",
                NAME: "a name uses letters, digits and _, and does not start with a digit"}
        pattern = ctx.get("pattern")
        return f"{_found(value)} is not allowed here", rule.get(pattern, f"it must match {pattern}")
    if kind in ("too_short", "too_long"):
        words, limit = ("at least", "min_length") if kind == "too_short" else ("at most", "max_length")
        return f"needs {words} {ctx.get(limit)} item(s), found {ctx.get('actual_length')}", None
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        return f"must be {words} {ctx.get(key)}, found {_found(value)}", None
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"]), None
    return error["msg"][:1].lower() + error["msg"][1:], None


def _prune(placed: list[dict]) -> list[dict]:
    """Where a value matched none of a union's members, keep only the errors of the members it came
    closest to: errors inside a member (it had the right shape) beat a plain type mismatch, fewer
    beat more."""
    unions: dict[tuple, dict[str, list[int]]] = {}
    for k, p in enumerate(placed):
        for i in p["tags"]:
            unions.setdefault(p["loc"][:i], {}).setdefault(p["loc"][i], []).append(k)

    def rank(ks):
        return all(placed[k]["mismatch"] for k in ks), len(ks)

    dropped = set()
    for members in unions.values():
        best = min(map(rank, members.values()))
        for ks in members.values():
            if rank(ks) != best:
                dropped.update(ks)
    return [p for k, p in enumerate(placed) if k not in dropped]


def validate(cls: type[BaseModel], data, file: str, positions: Positions):
    """The model, or None and the errors in the author's words, one per field."""
    try:
        return cls.model_validate(data), []
    except ValidationError as exc:
        raw = exc.errors(include_url=False)
    placed = []
    for error in raw:
        loc = tuple(error["loc"])
        path, tags, owner = _walk(cls, loc)
        mismatch = error["type"] in _EXPECTED and bool(tags) and tags[-1] == len(loc) - 1
        placed.append({"error": error, "loc": loc, "path": path, "tags": tags, "owner": owner,
                       "mismatch": mismatch})
    errors, merged = [], {}
    for p in _prune(placed):
        if p["mismatch"] and p["path"] in merged:  # one value, several types it could have been
            expected = _EXPECTED[p["error"]["type"]]
            first = merged[p["path"]]
            if f" {expected}," not in first.message and f" {expected} or" not in first.message:
                head, found = first.message.split(", found ", 1)
                first.message = f"{head} or {expected}, found {found}"
            continue
        message, hint = _friendly(p["error"], p["path"], p["owner"])
        where = position_of(positions, p["path"], key=p["error"]["type"] == "extra_forbidden")
        errors.append(LevelError(file, *where, dotted(p["path"]), message, hint))
        if p["mismatch"]:
            merged[p["path"]] = errors[-1]
    return None, errors

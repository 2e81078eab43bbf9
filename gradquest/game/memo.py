"""A function of a level (or its model) worked out once per object: pydantic models holding dicts
cannot be hashed, so the cache is keyed by identity and keeps the object alive while it is in it."""

from __future__ import annotations

import functools

MAX_KEPT = 64  # levels in one process: a folder checked or tested, a game played


def per_object(fn):
    """`fn(obj, *args)` computed once per `obj` (by identity) and `args`."""
    kept: dict[tuple, tuple] = {}

    @functools.wraps(fn)
    def cached(obj, *args):
        key = (id(obj), *args)
        hit = kept.get(key)
        if hit is None or hit[0] is not obj:
            if len(kept) >= MAX_KEPT:
                kept.clear()
            hit = kept[key] = (obj, fn(obj, *args))
        return hit[1]
    return cached

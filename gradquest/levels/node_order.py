"""The order a model's nodes are computed in, and the cycles that forbid one.

One depth-first walk, written once: the loader reports every cycle it meets (`check.py`), and the
game computes the nodes in the order it gives.
"""

from __future__ import annotations

from typing import Callable, Iterable, Mapping, NamedTuple, TypeVar

R = TypeVar("R")


class Cycle(NamedTuple):
    names: list[str]  # [a, b, a]: a uses b, b uses a; [c, c]: c uses itself
    ref: object       # the reference (as given in `uses`) that closed it: the last name's use in names[-2]


def node_order(uses: Mapping[str, Iterable[R]], name: Callable[[R], str] = str) -> tuple[list[str], list[Cycle]]:
    """Every key of `uses`, each after the keys it uses (depth first, in the mapping's order), and every
    cycle met on the way. `uses[n]` are n's references (names, or objects `name` turns into names);
    references to names that are not keys are ignored."""
    order: list[str] = []
    cycles: list[Cycle] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: placed
    for start in uses:
        if start in state:
            continue
        state[start], trail, stack = 1, [start], [iter(uses[start])]
        while stack:
            ref = next(stack[-1], None)
            if ref is None:
                done = trail.pop()
                state[done] = 2
                order.append(done)
                stack.pop()
                continue
            nxt = name(ref)
            if nxt not in uses:
                continue
            if state.get(nxt) == 1:
                cycles.append(Cycle(trail[trail.index(nxt):] + [nxt], ref))
            elif nxt not in state:
                state[nxt] = 1
                trail.append(nxt)
                stack.append(iter(uses[nxt]))
    return order, cycles

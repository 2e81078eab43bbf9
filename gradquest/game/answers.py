"""What the player typed, read and compared: numbers, vectors, choices and orderings.

Input is never graded when it cannot be read: the player gets a message saying what was wrong
and where, and keeps the attempt (as PrairieLearn's numeric inputs do).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from gradquest.engine.parser import ParseError, evaluate, parse
from gradquest.game.messages import say
from gradquest.levels.schema import Tolerance

DEFAULT_TOLERANCE = Tolerance()
MAX_ANSWER_LENGTH = 200


@dataclass(frozen=True)
class Unreadable(Exception):
    """Input that cannot be graded: `code` for the message table, `column` where it went wrong."""
    code: str
    column: int = 0
    details: tuple = ()

    def message(self, lang: str = "en") -> str:
        return say(f"input.{self.code}", lang, column=self.column, **dict(self.details))


def read_number(text: str) -> float:
    """A number, or safe arithmetic giving one: `-2`, `−2`, `6.0`, `1e-3`, `2/3`, `sqrt(2)`."""
    text = text.strip()
    if not text:
        raise Unreadable("empty")
    try:
        tree = parse(text, max_length=MAX_ANSWER_LENGTH)
        value = evaluate(tree, {})
    except ParseError as err:
        if err.code == "unknown_name":
            raise Unreadable("name", err.column, (("name", err.details.get("name", "")),)) from None
        raise Unreadable("parse", err.column, (("reason_en", err.message("en")), ("reason_zh", err.message("zh")))) from None
    if not math.isfinite(value):
        raise Unreadable("not_finite")
    return float(value)


_SEPARATOR = re.compile(r"\s*[,;，；]\s*|\s+")


def read_vector(text: str, size: int) -> np.ndarray:
    """`(2.4, 0.909)`, `2.4, 0.909` or `2.4 0.909` (a space separates numbers only outside
    parentheses of a function call, so `sqrt(2) 1` works)."""
    inner = text.strip()
    if inner[:1] in "([" and inner[-1:] in ")]" and _balanced(inner[1:-1]):
        inner = inner[1:-1]
    parts = [p for p in _split(inner) if p]
    if len(parts) != size:
        raise Unreadable("vector_size", 0, (("expected", size), ("found", len(parts))))
    return np.array([read_number(p) for p in parts])


def read_choice(text: str, count: int) -> int:
    """An option by its number (1, 2, …) or its letter (a, b, …)."""
    t = text.strip().lower().rstrip(".)")
    if len(t) == 1 and "a" <= t <= "z":
        n = ord(t) - ord("a") + 1
    elif t.isdigit():
        n = int(t)
    else:
        raise Unreadable("choice", 0, (("count", count),))
    if not 1 <= n <= count:
        raise Unreadable("choice", 0, (("count", count),))
    return n


def read_permutation(text: str, count: int) -> list[int]:
    """The items' numbers in some order, each once: `3 1 2` or `3,1,2` or `312` (up to 9 items)."""
    t = text.strip()
    tokens = [p for p in _SEPARATOR.split(t) if p]
    if len(tokens) == 1 and count <= 9 and t.isdigit() and len(t) == count:
        tokens = list(t)
    if not all(tok.isdigit() for tok in tokens):
        raise Unreadable("permutation", 0, (("count", count),))
    numbers = [int(tok) for tok in tokens]
    if sorted(numbers) != list(range(1, count + 1)):
        raise Unreadable("permutation", 0, (("count", count),))
    return numbers


def read_pairs(text: str, count: int) -> dict[int, int]:
    """Matches as `1b 2a 3c` (left number, right letter), or the right letters in left order: `bac`."""
    t = text.strip().lower()
    pairs = re.findall(r"(\d+)\s*[-:=]?\s*([a-z])", t)
    if not pairs and re.fullmatch(r"[a-z](?:[\s,]*[a-z])*", t):
        letters = re.findall(r"[a-z]", t)
        pairs = [(str(i + 1), ch) for i, ch in enumerate(letters)]
    matched = {int(a): ord(b) - ord("a") + 1 for a, b in pairs}
    if len(pairs) != count or sorted(matched) != list(range(1, count + 1)) \
            or sorted(matched.values()) != list(range(1, count + 1)):
        raise Unreadable("pairs", 0, (("count", count),))
    return matched


def close(answer, expected, tolerance: Tolerance | None = None) -> bool:
    """|a − x| ≤ max(rel·|x|, abs), element by element."""
    tol = tolerance or DEFAULT_TOLERANCE
    a, x = np.asarray(answer, dtype=float), np.asarray(expected, dtype=float)
    if a.shape != x.shape or not np.all(np.isfinite(x)):
        return False
    return bool(np.all(np.abs(a - x) <= np.maximum(tol.rel * np.abs(x), tol.abs)))


def accepted_range(expected: float, tolerance: Tolerance | None = None) -> tuple[float, float]:
    tol = tolerance or DEFAULT_TOLERANCE
    width = max(tol.rel * abs(expected), tol.abs)
    return expected - width, expected + width


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            return False
    return depth == 0


def _split(text: str) -> list[str]:
    """Split on commas, semicolons and spaces at parenthesis depth 0; spaces next to an
    operator do not split (`1 + 2, 3` is two numbers)."""
    parts, current, depth = [], "", 0
    i = 0
    while i < len(text):
        ch = text[i]
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and ch in ",;，；":
            parts.append(current.strip())
            current = ""
        elif depth == 0 and ch.isspace():
            rest = text[i:].lstrip()
            before = current.rstrip()
            if before and rest and before[-1] not in "+-−*/^×·(" and rest[0] not in "+*/^×·)" \
                    and not (rest[0] in "-−" and len(rest) > 1 and rest[1].isspace()):
                parts.append(before)
                current = ""
            else:
                current += ch
        else:
            current += ch
        i += 1
    parts.append(current.strip())
    return parts

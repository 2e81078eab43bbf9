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
    comma = _DECIMAL_COMMA.fullmatch(text)
    if comma:
        raise Unreadable("decimal_comma", 0, (("found", text), ("number", text.replace(",", "."))))
    try:
        tree = parse(text, max_length=MAX_ANSWER_LENGTH)
        value = evaluate(tree, {})
    except ParseError as err:
        if err.code == "unknown_name":
            raise Unreadable("name", err.column, (("name", err.details.get("name", "")),)) from None
        raise Unreadable("parse", err.column, (("reason_en", err.message("en")), ("reason_zh", err.message("zh")))) from None
    except (IndexError, TypeError, ValueError):  # `2[0]`: an index into a plain number
        raise Unreadable("unexpected") from None
    if np.ndim(value):  # `(1, 2)` where one number is asked
        raise Unreadable("vector_size", 0, (("expected", 1), ("found", int(np.size(value)))))
    if not math.isfinite(value):
        raise Unreadable("not_finite")
    return float(value)


SEPARATORS = ",;，；、"
_DECIMAL_COMMA = re.compile(r"[+\-−]?[0-9]+,[0-9]+")
_INDEX = re.compile(r"[0-9]{1,4}")  # an option's or item's number: never more than 4 digits


def read_vector(text: str, size: int) -> np.ndarray:
    """`(2.4, 0.909)`, `2.4, 0.909` or `2.4 0.909` (a space separates numbers only outside
    parentheses of a function call, so `sqrt(2) 1` works). `1,5` without parentheses or a space is
    two numbers where two are asked (`0,0`), and looks like a decimal comma, refused with a hint,
    where its commas make the count wrong (`1,5 2`)."""
    inner = text.strip()
    if not inner:
        raise Unreadable("vector_empty", 0, (("expected", size),))
    if inner[:1] in "([" and inner[-1:] in ")]" and _balanced(inner[1:-1]):
        inner = inner[1:-1]
    else:
        comma = _bare_decimal_comma(inner)
        if comma and len([p for p in _split(inner) if p]) != size:
            raise Unreadable("vector_comma", 0, (("found", comma), ("number", comma.replace(",", "."))))
    parts = [p for p in _split(inner) if p]
    if len(parts) != size:
        raise Unreadable("vector_size", 0, (("expected", size), ("found", len(parts))))
    return np.array([read_number(p) for p in parts])


def is_matrix(expected) -> bool:
    """An answer typed as a matrix, row by row: two rows or more of two entries or more (a single
    row or column is typed as a vector)."""
    return isinstance(expected, np.ndarray) and expected.ndim == 2 and min(expected.shape) >= 2


def reader_for(expected):
    """How the player's text for this answer is read: a number, a vector or a matrix."""
    if is_matrix(expected):
        return lambda text: read_matrix(text, expected.shape)
    if isinstance(expected, np.ndarray):
        return lambda text: read_vector(text, expected.size)
    return lambda text: read_number(text)


_ROW = re.compile(r"[\[(]([^\[\]()]*(?:\([^()]*\)[^\[\]()]*)*)[\])]")  # one bracketed row, calls inside allowed


def read_matrix(text: str, shape: tuple) -> np.ndarray:
    """A matrix row by row, in the shape the player typed it: `[[1, 2, 3], [4, 5, 6]]`, `1 2 3; 4 5 6`
    (or one row a line); or all its entries in one line, row after row, when they are as many as
    `shape` holds. A matrix of another shape is returned as typed (the referee names it); rows of
    different lengths are refused, and no attempt is used."""
    inner = text.strip()
    if not inner:
        raise Unreadable("vector_empty", 0, (("expected", shape[0] * shape[1]),))
    if inner[:1] == "[" and inner[1:].lstrip()[:1] in "[(":
        body = inner[1:-1] if inner[-1:] == "]" else inner[1:]
        rows = _ROW.findall(body)
        if not rows or _ROW.sub("", body).strip(" ,;，；\t") != "":
            raise Unreadable("matrix", 0, (("rows", shape[0]), ("cols", shape[1])))
    elif any(sep in inner for sep in ";；\n"):
        rows = [r for r in re.split(r"[;；\n]", inner) if r.strip()]
    else:
        try:
            return read_vector(text, shape[0] * shape[1]).reshape(shape)
        except Unreadable as err:
            if err.code != "vector_size":
                raise
            raise Unreadable("matrix", 0, (("rows", shape[0]), ("cols", shape[1]))) from None
    read = [[read_number(p) for p in _split(row.strip()) if p] for row in rows]
    width = len(read[0])
    for i, row in enumerate(read):
        if len(row) != width or not row:
            raise Unreadable("matrix_ragged", 0, (("row", i + 1), ("found", len(row)), ("width", width)))
    return np.array(read)


def read_choice(text: str, count: int) -> int:
    """An option by its number (1, 2, …) or its letter (a, b, …)."""
    t = text.strip().lower().rstrip(".)")
    if len(t) == 1 and "a" <= t <= "z":
        n = ord(t) - ord("a") + 1
    elif _INDEX.fullmatch(t):
        n = int(t)
    else:
        raise Unreadable("choice", 0, (("count", count),))
    if not 1 <= n <= count:
        raise Unreadable("choice", 0, (("count", count),))
    return n


def choice_reader(options: list[str]):
    """`read_choice` over these options, except that a number which is one option's number and
    another option's text (`3` when option 1 says 3) is not guessed at: the player is asked once
    which is meant (no attempt used). After that question a number is an option's number."""
    asked = False

    def read(text: str) -> int:
        nonlocal asked
        n = read_choice(text, len(options))
        saying = [] if asked else _options_saying(options, text)
        if saying and n not in saying:
            said = saying[0]
            asked = True
            raise Unreadable("choice_which", 0, (("n", n), ("text", options[n - 1]), ("m", said),
                                                 ("said", options[said - 1])))
        return n
    return read


def choice_label(options: list[str], n: int) -> str:
    """What to send for option n so that `choice_reader` reads it at once: its number, or its
    letter when that number is another option's text (the answer shown, an option picked from the list)."""
    saying = _options_saying(options, str(n))
    return chr(ord("a") + n - 1) if saying and n not in saying and n <= 26 else str(n)


def _options_saying(options: list[str], text: str) -> list[int]:
    """The options (by number) whose whole text is the number typed."""
    try:
        value = read_number(text)
    except Unreadable:
        return []
    saying = []
    for j, option in enumerate(options, 1):
        try:
            if read_number(option) == value:
                saying.append(j)
        except (Unreadable, ArithmeticError, ValueError):
            continue
    return saying


def read_permutation(text: str, count: int) -> list[int]:
    """The items' numbers in some order, each once: `3 1 2` or `3,1,2` or `312` (up to 9 items)."""
    t = text.strip()
    tokens = _TOKEN.findall(t)
    if len(tokens) == 1 and count <= 9 and len(t) == count and t.isascii() and t.isdigit():
        tokens = list(t)
    if len(tokens) != count or not all(_INDEX.fullmatch(tok) for tok in tokens):
        raise Unreadable("permutation", 0, (("count", count),))
    numbers = [int(tok) for tok in tokens]
    if sorted(numbers) != list(range(1, count + 1)):
        raise Unreadable("permutation", 0, (("count", count),))
    return numbers


_TOKEN = re.compile(r"[^\s,;，；、]+")
# possessive quantifiers and a bounded number: one pass over the input, whatever it holds
_PAIR = re.compile(r"(?<![0-9])([0-9]{1,4})(?![0-9])\s*+[-:=]?+\s*+([a-z])")
_LETTERS = re.compile(r"[a-z](?:[\s,]*+[a-z])*+")


def read_pairs(text: str, count: int) -> dict[int, int]:
    """Matches as `1b 2a 3c` (left number, right letter), or the right letters in left order: `bac`."""
    t = text.strip().lower()
    pairs = _PAIR.findall(t)
    if not pairs and _LETTERS.fullmatch(t):
        letters = re.findall(r"[a-z]", t)
        pairs = [(str(i + 1), ch) for i, ch in enumerate(letters)]
    if len(pairs) != count:
        raise Unreadable("pairs", 0, (("count", count),))
    matched = {int(a): ord(b) - ord("a") + 1 for a, b in pairs}
    if sorted(matched) != list(range(1, count + 1)) or sorted(matched.values()) != list(range(1, count + 1)):
        raise Unreadable("pairs", 0, (("count", count),))
    return matched


def close(answer, expected, tolerance: Tolerance | None = None) -> bool:
    """|a − x| ≤ max(rel·|x|, abs), element by element."""
    tol = tolerance or DEFAULT_TOLERANCE
    a, x = np.asarray(answer, dtype=float), np.asarray(expected, dtype=float)
    if a.shape != x.shape or not np.all(np.isfinite(x)):
        return False
    return bool(np.all(np.abs(a - x) <= np.maximum(tol.rel * np.abs(x), tol.abs)))


def close_to_any(answer: float, expected, tolerance: Tolerance | None = None) -> bool:
    """Whether `answer` is close to one of the numbers `expected` (one pass over them, in numpy)."""
    tol = tolerance or DEFAULT_TOLERANCE
    x = np.asarray(expected, dtype=float)
    return bool(np.any(np.isfinite(x) & (np.abs(answer - x) <= np.maximum(tol.rel * np.abs(x), tol.abs))))


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


def _bare_decimal_comma(text: str) -> str | None:
    """The first `1,5` (digits, a comma, digits, no space) outside parentheses, if any."""
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0 and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
            a, b = i - 1, i + 1
            while a > 0 and text[a - 1].isdigit():
                a -= 1
            while b < len(text) - 1 and text[b + 1].isdigit():
                b += 1
            return text[a:b + 1]
    return None


def _split(text: str) -> list[str]:
    """Split on commas, semicolons and spaces at parenthesis depth 0; spaces next to an
    operator do not split (`1 + 2, 3` is two numbers). One pass: each character is looked at
    a bounded number of times."""
    parts: list[str] = []
    current: list[str] = []
    depth, i, n = 0, 0, len(text)
    while i < n:
        ch = text[i]
        if depth == 0 and ch.isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            last, nxt, after = (current[-1] if current else ""), text[j:j + 1], text[j + 1:j + 2]
            joins = not last or not nxt or last in "+-−*/^×·( " or nxt in "+*/^×·)" \
                or (nxt in "-−" and after.isspace())
            if joins:
                current.append(" ")
            else:
                parts.append("".join(current).strip())
                current = []
            i = j
            continue
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and ch in SEPARATORS:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current).strip())
    return parts

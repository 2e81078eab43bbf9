"""Errors of the game layer, in a module of their own so the command line can catch them without
importing the engine."""

from __future__ import annotations

import os
import re
import sys

DEBUG = "GRADQUEST_DEBUG"  # set to 1: the real traceback behind a bug of ours, on stderr


class ModelError(ValueError):
    """The model cannot be built or computed; `field` says where in the level (a dotted path such
    as `model.nodes.loss` or `steps[3]`), `message` says what is wrong in plain words."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


_SHAPES = re.compile(r"\((?:\d+,?\s*)*\)")


def reason(err: BaseException) -> str:
    """What went wrong computing something, in words an author can act on (not Python's)."""
    if isinstance(err, ModelError):
        return err.message
    message = str(err) or type(err).__name__
    if "broadcast" in message:
        shapes = " and ".join(_SHAPES.findall(message)) or "different shapes"
        return f"arrays of different lengths or shapes meet here ({shapes}): give them the same number of entries"
    if "matmul" in message or "core dimension" in message or "shapes" in message and "aligned" in message:
        return "a matrix product of arrays whose sizes do not fit together"
    if "reshape" in message or "0-dimensional" in message or "size-1 arrays" in message:
        return "an array is used where one number is asked: ask about one entry (xs[0]) or a mean (mean(xs))"
    if isinstance(err, ZeroDivisionError):
        return "a division by zero"
    if isinstance(err, OverflowError) or "too large" in message or "out of bounds" in message:
        return "a number too large for the engine"
    if isinstance(err, RecursionError):
        return "the expression is nested too deeply"
    if isinstance(err, MemoryError):
        return "the model is too large to compute"
    return message


def debug_traceback(err: BaseException) -> None:
    """With GRADQUEST_DEBUG=1 set, print `err`'s traceback to stderr: the real error behind
    "internal error", or behind a ModelError our own code caused. Players see one line."""
    if os.environ.get(DEBUG, "") not in ("", "0"):
        import traceback  # noqa: PLC0415 (only when debugging: not on the command's start-up path)

        traceback.print_exception(err, file=sys.stderr)

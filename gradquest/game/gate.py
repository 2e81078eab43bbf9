"""The one gate every piece of player input passes before it is read.

`admit` caps the length (before any other work, so a megabyte pasted into the answer box costs
one comparison), then brings what input methods and keyboards type to the ASCII the readers know:
NFKC turns full-width digits, parentheses and commas (`２.５`, `（1，2）`) and circled numbers
(`①`) into ASCII; superscripts become powers (`3²` is `3^(2)`, not 32); digits of other scripts
(`٣`, `३`) become 0-9; invisible format and control characters (right-to-left marks, zero-width
spaces, a stray escape) are dropped; tabs and newlines are spaces.

`read` runs a reader on admitted input and never raises: unreadable input, and any error a
reader did not expect, become an `invalid` verdict, which costs no attempt.
"""

from __future__ import annotations

import unicodedata

from gradquest.game.answers import Unreadable
from gradquest.game.stage import Verdict

MAX_INPUT = 1000  # characters; the longest real answer (a match of 26 items) is far shorter

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")


def admit(typed) -> str:
    """The input as the readers see it, or `Unreadable('too_long')`."""
    typed = typed if isinstance(typed, str) else str(typed)
    if len(typed) > MAX_INPUT:
        raise Unreadable("too_long", 0, (("limit", MAX_INPUT), ("length", len(typed))))
    out: list[str] = []
    superscript = False
    for ch in typed:
        if ch in "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻":
            out.append(("" if superscript else "^(") + ch.translate(_SUPERSCRIPTS))
            superscript = True
            continue
        if superscript:
            out.append(")")
            superscript = False
        out.append(_plain(ch))
    if superscript:
        out.append(")")
    text = unicodedata.normalize("NFKC", "".join(out)).replace("\u2044", "/")  # ½ is 1⁄2
    if len(text) > MAX_INPUT:  # a few characters grow under NFKC (e.g. ﷺ)
        raise Unreadable("too_long", 0, (("limit", MAX_INPUT), ("length", len(text))))
    return text


def _plain(ch: str) -> str:
    if ch.isascii():
        return " " if ch in "\t\n\r\v\f" else ch if ch.isprintable() else ""
    category = unicodedata.category(ch)
    if category == "Nd":
        return str(unicodedata.digit(ch))
    if category in ("Zl", "Zp") or ch == "\x85":
        return " "
    return "" if category in ("Cc", "Cf", "Cs", "Co", "Cn") else ch


def read(reader, typed: str, lang: str):
    """`(value, None)`, or `(None, an invalid verdict)` when the input cannot be read."""
    try:
        return reader(typed), None
    except Unreadable as err:
        return None, Verdict("invalid", err.message(lang))
    except Exception:  # noqa: BLE001 - a reader's own mistake must never cost the player the game
        return None, Verdict("invalid", Unreadable("unexpected").message(lang))

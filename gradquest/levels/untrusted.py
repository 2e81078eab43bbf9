"""The one gate for untrusted text on its way to a terminal.

A level file, a progress file, a file name or the header cache can hold any character, and YAML's
escapes (`"\\e"`, `"\\a"`, `"\\x9b"`, `"\\u202e"`) write control characters that the file's bytes do
not show. On a terminal they are commands: ESC, CSI (U+009B) and OSC sequences clear the screen,
move the cursor or set the clipboard, BEL rings, and a bidirectional override reverses what
follows. `clean` shows each of them as its escape (`\\x1b`, `\\u202e`) instead, so the text is still
readable and nothing in it is obeyed; tabs and line breaks are kept where the text has lines.
The loader refuses them in a level's text (`source.py`); every front end passes text through
`clean` before a terminal sees it.
"""

from __future__ import annotations

import re

__all__ = ["clean", "unsafe"]

# C0 controls but tab and line feed, DEL, C1 controls, the line and paragraph separators, and the
# bidirectional marks, embeddings, overrides and isolates.
_UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_IN_TEXT = re.compile(f"[{_UNSAFE}]")
_IN_LINE = re.compile(f"[\t\n{_UNSAFE}]")


def _shown(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text, lines: bool = True) -> str:
    """`text` with every control character and bidirectional control written as its escape; with
    `lines=False`, tabs and line breaks too (for one line of a list)."""
    return (_IN_TEXT if lines else _IN_LINE).sub(_shown, str(text))


def unsafe(text: str) -> str | None:
    """The first character `clean` would rewrite in a text with lines, if any."""
    found = _IN_TEXT.search(text)
    return found.group() if found else None

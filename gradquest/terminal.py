"""What the terminal can do: output that never fails on its encoding and obeys no text it
shows, and when to play in lines.

`safe_streams` makes stdout and stderr write an ASCII rendering of any character their encoding
cannot hold (`-` for `−`, `*` for `·`, `d` for `∂`; accents dropped; `?` for the rest) instead of
raising `UnicodeEncodeError` (`PYTHONIOENCODING=ascii`, a Latin-1 locale, a Windows code page),
and stdin read a byte it cannot decode as `�`, which the answer reader refuses as unreadable.
It also puts the untrusted-text gate (`levels.untrusted.clean`) in front of both: whatever a
command prints (a title, a source, a file name, an error quoting either) reaches the terminal
with its escape sequences written out, never obeyed. The command writes no escape of its own.
"""

from __future__ import annotations

import codecs
import os
import sys
import unicodedata

from gradquest.levels.untrusted import clean

ERRORS = "gradquest-ascii"
ASCII = {
    "−": "-", "–": "-", "—": "--", "·": "*", "∙": "*", "×": "x", "÷": "/", "∂": "d", "∇": "grad", "Δ": "D",
    "η": "eta", "μ": "mu", "σ": "sigma", "β": "beta", "ε": "eps", "θ": "theta", "λ": "lambda", "√": "sqrt",
    "→": "->", "←": "<-", "▶": ">", "≤": "<=", "≥": ">=", "≈": "~", "≠": "!=", "±": "+/-", "…": "...",
    "★": "*", "☆": ".", "✓": "ok", "✗": "x", "•": "*", "💡": "hint:", "🔒": "[locked]", "‘": "'", "’": "'",
    "“": '"', "”": '"', "²": "^2", "³": "^3", "ⁿ": "^n", "⁻": "^-", "¹": "^1", "∑": "sum", "Σ": "sum", "§": "S",
}


def ascii_for(text: str) -> str:
    out = []
    for ch in text:
        plain = ASCII.get(ch)
        if plain is None:
            plain = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii") or "?"
        out.append(plain)
    return "".join(out)


def _fallback(err: UnicodeError):
    if isinstance(err, UnicodeEncodeError):
        return ascii_for(err.object[err.start:err.end]), err.end
    raise err


codecs.register_error(ERRORS, _fallback)


class Gated:
    """A text stream whose every write passes the gate; the rest is the stream's own."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(clean(text))

    def writelines(self, lines) -> None:
        self.stream.writelines(clean(line) for line in lines)

    def __getattr__(self, name):
        return getattr(self.stream, name)


def safe_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors=ERRORS)
    sys.stdout, sys.stderr = (s if s is None or isinstance(s, Gated) else Gated(s) for s in (sys.stdout, sys.stderr))
    if hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="replace")


NOTES = {  # why the game plays in lines although it was not asked to
    "dumb": ("Playing line by line: this terminal (TERM=dumb) cannot show the full screen.",
             "逐行游戏：这个终端（TERM=dumb）无法显示全屏界面。"),
    "stdin": ("Playing line by line: the input is not a terminal.", "逐行游戏：输入不是终端。"),
    "watch": ("--watch reloads only in the full-screen game; playing line by line without reloading (run "
              "`gradquest check --watch {file}` beside it to see each save checked).",
              "--watch 只在全屏游戏中重新载入；逐行游戏不会重新载入（可在旁边运行 "
              "`gradquest check --watch {file}`，每次保存都会检查）。"),
}


def served_in_browser() -> bool:
    """Run by `gradquest serve` for a browser tab: textual-serve starts the game with its web driver."""
    return "web_driver" in os.environ.get("TEXTUAL_DRIVER", "")


def line_mode(plain: bool) -> tuple[bool, str | None]:
    """Whether to play in lines, and the reason to tell the player (None when asked for or piped).
    Served in a browser (`gradquest serve`: textual-serve's web driver speaks through pipes) the game
    is full-screen."""
    if not plain and served_in_browser():
        return False, None
    if plain or not sys.stdout.isatty():
        return True, None
    if os.environ.get("TERM") == "dumb":
        return True, "dumb"
    if not sys.stdin.isatty():
        return True, "stdin"
    return False, None

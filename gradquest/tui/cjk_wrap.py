"""Line breaking for Chinese, as a Chinese reader expects it.

Rich (and Textual, which borrows its `divide_line`) breaks lines only at spaces: a Chinese sentence
has none, so it is one long "word" that starts a fresh line wherever it does not fit, leaving the
line before it half empty; and a formula in it ("在 J(x) = x² 上") is split at its spaces. Here a
line with wide (Chinese) characters may break between any two of them, never before a closing mark
(，。！？）」”…) nor after an opening one (（「“…), and never between the two characters before a
closing mark: "正确。" moves to the next line whole, never "正" / "确。" (most Chinese words are two
characters, and the last one before a mark is pushed over by it); a short formula between them is
kept whole and moves to the next line as one piece when it does not fit. A line without wide characters is broken
exactly as Rich breaks it.

`install()` puts this `divide_line` in place of Rich's for every text the game draws (Rich's
`Text.wrap` and Textual's `Content.wrap` look it up by that name); both libraries are pinned.
"""

from __future__ import annotations

import re
import unicodedata

from rich import _wrap
from rich.cells import cell_len

NO_START = set("，。、；：！？）」』】》〉”’…—,.;:!?)]}%")  # never at the start of a line
NO_END = set("（「『【《〈“‘([{")  # never at the end of a line
OPENING = set("“‘")  # ambiguous-width opening quotes, which a Latin word must not take along
FORMULA = 3  # a formula of at most a third of the line is kept whole

_rich_divide = _wrap.divide_line


def wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def pieces(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, is_wide) of what must stay on one line: a wide character or a word, with the
    closing marks after it, the opening marks before it and the spaces after it; a wide character
    with closing marks after it takes the wide character before it along (正确。)."""
    found: list[tuple[int, int, bool]] = []
    i, n = 0, len(text)
    while i < n:
        start = i
        while i < n and text[i] in NO_END:
            i += 1
        is_wide = i < n and wide(text[i])
        if is_wide:
            i += 1
        else:
            while i < n and not text[i].isspace() and not wide(text[i]) and not (i > start and text[i] in OPENING):
                i += 1  # a word ends before an opening quote (w“忙”: the quote goes with 忙)
        marked = i < n and text[i] in NO_START
        while i < n and text[i] in NO_START:
            i += 1
        while i < n and text[i].isspace():
            i += 1
        if marked and is_wide and found and found[-1][2] and found[-1][1] == start and wide(text[start - 1]) \
                and text[start - 1] not in NO_START:
            start = found.pop()[0]  # the word before the mark stays whole
        found.append((start, i, is_wide))
    return found


def groups(text: str, width: int) -> list[tuple[int, int]]:
    """The pieces, with each short run of words between wide characters (a formula) as one."""
    out: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []

    def close() -> None:
        if run and cell_len(text[run[0][0]:run[-1][1]].rstrip()) <= max(width // FORMULA, 1):
            out.append((run[0][0], run[-1][1]))
        else:
            out.extend(run)
        run.clear()

    for start, end, is_wide in pieces(text):
        if is_wide:
            close()
            out.append((start, end))
        else:
            run.append((start, end))
    close()
    return out


def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """The offsets at which `text` is broken into lines of at most `width` cells."""
    if text.isascii() or not any(wide(ch) for ch in text):
        return _rich_divide(text, width, fold)
    breaks: list[int] = []
    offset = 0
    for start, end in groups(text, width):
        piece = text[start:end]
        length = cell_len(piece.rstrip())
        if offset + length <= width:
            offset += cell_len(piece)
            continue
        if start and offset:
            breaks.append(start)
        if length <= width:
            offset = cell_len(piece)
            continue
        inner = _rich_divide(piece, width, fold)  # longer than a line: at its spaces, else folded
        breaks += [start + b for b in inner]
        offset = cell_len(piece[inner[-1]:] if inner else piece)
    return breaks


def rstrip_end(self, size: int) -> None:
    """Rich's `Text.rstrip_end`, in cells: the whitespace that ends a wrapped line past `size` cells is
    dropped. Rich counts characters, so a Chinese line ending "就成了 " one cell too wide kept its space
    and was then cut with an ellipsis, taking 了 with it ("就成 …")."""
    excess = cell_len(self.plain) - size
    if excess > 0 and (space := re.search(r"\s+$", self.plain)):
        self.right_crop(min(len(space.group(0)), excess))


def install() -> None:
    import rich.text  # noqa: PLC0415
    import textual.content  # noqa: PLC0415

    rich.text.divide_line = divide_line
    rich.text.Text.rstrip_end = rstrip_end
    textual.content.divide_line = divide_line

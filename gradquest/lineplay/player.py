"""Playing in plain lines of text: the same game as the full-screen one, for any terminal, a
screen reader, or a pipe. `?` asks for a hint, `!` shows the answer, `q` saves and quits."""

from __future__ import annotations

import re
import sys
import textwrap
import unicodedata
from collections.abc import Callable

from gradquest.engine.explain import number
from gradquest.game import gate
from gradquest.game.answers import Unreadable
from gradquest.game.messages import say
from gradquest.store.progress import ProgressStore
from gradquest.store.resume import open_session
from gradquest.game.stage import Event
from gradquest.levels.schema import Level, text
from gradquest.levels.untrusted import clean

WORDS = {
    "en": {"keys": "(? hint · ! show the answer · g the graph · q save and quit)", "continue": "[Enter]",
           "saved": "Progress saved.", "done": "Level complete: score {score}, {stars}, {hints} hint(s), "
           "{attempts} attempt(s).", "warning": "Note: {warning}", "choose": "Level number (q to quit): ",
           "resume": "Resuming where you left off.", "none": "No levels found.",
           "value": "value", "grad": "grad", "inputs": "from"},
    "zh": {"keys": "（? 提示 · ! 显示答案 · g 计算图 · q 保存并退出）", "continue": "[回车]", "saved": "进度已保存。",
           "done": "完成本关：得分 {score}，{stars}，提示 {hints} 次，作答 {attempts} 次。", "warning": "注意：{warning}",
           "choose": "关卡编号（q 退出）：", "resume": "从上次离开的地方继续。", "none": "没有找到关卡。",
           "value": "值", "grad": "梯度", "inputs": "来自"},
}


MARKS = {"correct": "✓", "wrong": "✗", "invalid": "?", "info": "·", "revealed": "!"}
_ITEM = re.compile(r"\s*([-*+]|\d+[.)])\s")  # a list item's marker
_OWN_LINE = re.compile(r"#{1,6}\s|\|.*\|$")  # a heading or a table row
_EMPHASIS = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*")


def plain(markdown: str) -> str:
    """Narration for a plain terminal: paragraphs re-flowed by the terminal (Chinese lines joined
    without a space); list items, headings, table rows and code blocks kept on their own lines;
    emphasis marks dropped outside code."""
    lines: list[str] = []
    code: set[int] = set()  # the lines of code blocks, kept as written
    fence, joinable = "", False
    for raw in textwrap.dedent(markdown).strip("\n").splitlines():
        line = raw.strip()
        if fence or line.startswith(("```", "~~~")):
            if not fence:
                fence = line[:3]
            elif line.startswith(fence):
                fence = ""
            code.add(len(lines))
            lines.append(raw.rstrip())
            joinable = False
        elif not line:
            if lines and lines[-1]:
                lines.append("")
            joinable = False
        elif joinable and not _ITEM.match(line) and not _OWN_LINE.match(line):
            lines[-1] = _join(lines[-1], line)
        else:
            lines.append(raw.rstrip())
            joinable = not _OWN_LINE.match(line)
    return "\n".join(line if i in code else _unemphasise(line) for i, line in enumerate(lines)).strip("\n")


def _unemphasise(line: str) -> str:
    """The line without `*` and `**` around emphasis, except in `inline code` and a list item's marker."""
    item = _ITEM.match(line)
    start = item.end() if item else 0
    parts = re.split(r"(`[^`]*`)", line[start:])
    return line[:start] + "".join(part if part.startswith("`") else
                                  _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), part) for part in parts)


def _join(left: str, right: str) -> str:
    """Two wrapped lines as one: with a space, except where a Chinese (wide) character meets another
    or a quotation mark (emphasis marks aside)."""
    widths = {_width(left.rstrip("*")[-1:]), _width(right.lstrip("*")[:1])}
    return left + ("" if widths <= {"W", "F", "A"} and widths & {"W", "F"} else " ") + right


def _width(ch: str) -> str:
    return unicodedata.east_asian_width(ch) if ch else "N"


def play_level(level: Level, lang: str, seed: int | None = None, store: ProgressStore | None = None,
               read: Callable[[str], str] = input, write: Callable[[str], None] = print) -> int:
    read, write = gated(read, write)
    store = store or ProgressStore()
    progress = store.load()
    words = WORDS[lang]
    if progress.warning:
        write(words["warning"].format(warning=progress.warning.message(lang)))
    session, seed, resume = open_session(level, lang, progress, seed)
    write(f"\n== {text(level.title, lang)} ==  {words['keys']}")
    if resume:
        write(words["resume"])
    shown = 0  # the entries of session.log printed so far
    try:
        while not session.done:
            shown = _print_log(session.log, shown, write)
            stage = session.stage
            if stage.kind == "say":
                write("\n" + plain(stage.body))
                read(words["continue"])
                session.advance()
            else:
                for i, option in enumerate(stage.options, start=1):
                    write(f"  {option}" if stage.kind == "match" else f"  {i}. {option}")
                typed = read(f"\n{stage.prompt}  > ").strip()
                command = _command(typed)
                if command in ("q", "quit", "exit"):
                    break
                if command in ("?", "h", "hint"):
                    write("  💡 " + session.hint())
                    continue
                if command in ("g", "graph"):
                    write(graph_lines(session, words))
                    continue
                verdict = session.reveal() if command == "!" else session.submit(typed)
                write(f"  {MARKS[verdict.status]} {verdict.message}")
            progress.save_play(level.id, session, seed)
            _save(store, progress, lang, write)
        _print_log(session.log, shown, write)
    except (KeyboardInterrupt, EOFError):
        write("")
    progress.save_play(level.id, session, seed)
    _save(store, progress, lang, write)
    if session.done:
        stars = "★" * session.stars + "☆" * (3 - session.stars)
        write(words["done"].format(score=session.score, stars=stars, hints=session.hints_used,
                                   attempts=session.attempts))
        if level.notes:
            write(f"{say('notes.title', lang)}{'：' if lang == 'zh' else ': '}{text(level.notes, lang).strip()}")
    else:
        write(words["saved"])
    return 0


def gated(read: Callable[[str], str], write: Callable[[str], None]):
    """`read` and `write` through the untrusted-text gate: a level's text, a progress file's ids and
    a file name reach the terminal with their escapes written out (`input`'s prompt goes to a
    terminal past `sys.stdout`, so the command's own gate does not see it)."""
    return (lambda prompt: read(clean(prompt))), (lambda line: write(clean(line)))


def graph_lines(session, words: dict[str, str]) -> str:
    """The computation graph as an indented list, one line per value (▸ marks the ask's)."""
    from gradquest.figures.graph_model import as_lines, picture  # noqa: PLC0415

    return textwrap.indent("\n".join(as_lines(picture(session), words)), "    ")


def _save(store: ProgressStore, progress, lang: str, write: Callable[[str], None]) -> None:
    notice = store.save(progress)
    if notice is not None:
        write(WORDS[lang]["warning"].format(warning=notice.message(lang)))


def _print_log(log: list[Event], shown: int, write: Callable[[str], None]) -> int:
    """Print the step log's entries from `shown` on (what answers reveal, iterations and their
    table rows, parameters set, training); return how many are printed now."""
    for event in log[shown:]:
        if event.kind == "table":
            body = "   ".join(f"{name} = {number(value)}" for name, value in event.value.items())
        else:
            body = plain(event.text) if event.kind in ("info", "explain") else event.text
        if body:
            write(textwrap.indent(body, "    "))
    return len(log)


def play_chapters(lang: str, read: Callable[[str], str] = input, write: Callable[[str], None] = print) -> int:
    """The bundled levels as a numbered list with the player's stars; a number plays that level."""
    from gradquest.levels.discover import bundled_levels_dir, find_level_files  # noqa: PLC0415
    from gradquest.levels.load import load_levels  # noqa: PLC0415

    read, write = gated(read, write)
    loaded, errors = load_levels(find_level_files([bundled_levels_dir()]))
    for e in errors:
        print(e, file=sys.stderr)
    levels = sorted((i.level for i in loaded), key=lambda lv: (lv.chapter, lv.order))
    if not levels:
        write(WORDS[lang]["none"])
        return 1
    store = ProgressStore()
    while True:
        progress = store.load()
        write("")
        for n, lv in enumerate(levels, start=1):
            r = progress.levels.get(lv.id)
            state = "★" * r.stars + "☆" * (3 - r.stars) if r and r.done else "…" if r and r.resume_at else "   "
            write(f"{n:>3}. {state}  {lv.chapter}.{lv.order} {text(lv.title, lang)}")
        try:
            choice = read(WORDS[lang]["choose"]).strip()
        except (KeyboardInterrupt, EOFError):
            write("")
            return 0
        choice = _command(choice)
        if choice in ("q", "quit", "exit", ""):
            return 0
        if re.fullmatch(r"[0-9]{1,4}", choice) and 1 <= int(choice) <= len(levels):
            play_level(levels[int(choice) - 1], lang, store=store, read=read, write=write)


def _command(typed: str) -> str:
    """What was typed, through the game's input gate (full-width `？` is `?`), lower-cased."""
    try:
        return gate.admit(typed).strip().lower()
    except Unreadable:
        return ""

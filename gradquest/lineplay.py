"""Playing in plain lines of text: the same game as the full-screen one, for any terminal, a
screen reader, or a pipe. `?` asks for a hint, `!` shows the answer, `q` saves and quits."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable

from gradquest.game.progress import ProgressStore
from gradquest.game.resume import open_session
from gradquest.levels.schema import Level, text

WORDS = {
    "en": {"keys": "(? hint · ! show the answer · q save and quit)", "continue": "[Enter]",
           "saved": "Progress saved.", "done": "Level complete: score {score}, {stars}, {hints} hint(s), "
           "{attempts} attempt(s).", "warning": "Note: {warning}", "choose": "Level number (q to quit): ",
           "resume": "Resuming where you left off.", "none": "No levels found."},
    "zh": {"keys": "（? 提示 · ! 显示答案 · q 保存并退出）", "continue": "[回车]", "saved": "进度已保存。",
           "done": "完成本关：得分 {score}，{stars}，提示 {hints} 次，作答 {attempts} 次。", "warning": "注意：{warning}",
           "choose": "关卡编号（q 退出）：", "resume": "从上次离开的地方继续。", "none": "没有找到关卡。"},
}


def plain(markdown: str) -> str:
    """Narration for a plain terminal: paragraphs re-flowed by the terminal, emphasis marks dropped."""
    paragraphs = re.split(r"\n\s*\n", markdown.strip())
    text_ = "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)
    return re.sub(r"\*\*(.+?)\*\*|\*(.+?)\*", lambda m: m.group(1) or m.group(2), text_)


def play_level(level: Level, lang: str, seed: int | None = None, store: ProgressStore | None = None,
               read: Callable[[str], str] = input, write: Callable[[str], None] = print) -> int:
    store = store or ProgressStore()
    progress = store.load()
    words = WORDS[lang]
    if progress.warning:
        write(words["warning"].format(warning=progress.warning))
    session, seed, resume = open_session(level, lang, progress, seed)
    write(f"\n== {text(level.title, lang)} ==  {words['keys']}")
    if resume:
        write(words["resume"])
    try:
        while not session.done:
            stage = session.stage
            if stage.kind == "say":
                write("\n" + plain(stage.body))
                read(words["continue"])
                session.advance()
            else:
                for i, option in enumerate(stage.options, start=1):
                    write(f"  {option}" if stage.kind == "match" else f"  {i}. {option}")
                typed = read(f"\n{stage.prompt}  > ").strip()
                if typed in ("q", "quit", "exit"):
                    break
                if typed in ("?", "h", "hint"):
                    write("  💡 " + session.hint())
                    continue
                verdict = session.reveal() if typed == "!" else session.submit(typed)
                mark = {"correct": "✓", "wrong": "✗", "invalid": "?", "info": "·"}[verdict.status]
                write(f"  {mark} {verdict.message}")
                for event in verdict.events:
                    if event.text:
                        write(f"    {event.text}")
            progress.save_play(level.id, session, seed)
            store.save(progress)
    except (KeyboardInterrupt, EOFError):
        write("")
    progress.save_play(level.id, session, seed)
    store.save(progress)
    if session.done:
        stars = "★" * session.stars + "☆" * (3 - session.stars)
        write(words["done"].format(score=session.score, stars=stars, hints=session.hints_used,
                                   attempts=session.attempts))
    else:
        write(words["saved"])
    return 0


"""Playing in plain lines of text: the same game as the full-screen one, for any terminal, a
screen reader, or a pipe. `?` asks for a hint, `!` shows the answer, `q` saves and quits."""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Callable

from gradquest.game.progress import ProgressStore
from gradquest.game.session import LevelSession
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
    record = progress.record(level.id)
    resume = record.resume_at if not record.done else 0
    if seed is None:
        seed = record.seed if resume else fresh_seed(level)
    session = LevelSession(level, seed=seed, lang=lang, resume_at=resume)
    if resume:  # the replayed part was played before: keep its hints and attempts
        session.hints_used, session.attempts = record.hints_used, record.attempts
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


def fresh_seed(level: Level) -> int | None:
    """A new draw for each play of a randomised level (kept in the progress file for resuming);
    a fixed level keeps its own seed."""
    return random.randrange(2**31) if level.randomised else None


def play_chapters(lang: str, read: Callable[[str], str] = input, write: Callable[[str], None] = print) -> int:
    from gradquest.levels.discover import bundled_levels_dir, find_level_files
    from gradquest.levels.load import load_levels

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
        if choice.lower() in ("q", "quit", "exit", ""):
            return 0
        if choice.isdigit() and 1 <= int(choice) <= len(levels):
            play_level(levels[int(choice) - 1], lang, store=store, read=read, write=write)

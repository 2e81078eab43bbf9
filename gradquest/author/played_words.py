"""Player words in what the game writes while a level is played: the bundled-pack rule that
reads everything a player can see, in both languages.

`played` plays the level headlessly as a learner might: at every ask the message of every mistake the game can
name there (`diagnoses`), one wrong answer, every hint, then the right answer; at every stage it reads the graph boxes, the plot's titles, axes and
legends and the table (`player_words.generated_texts`); at the end the transcript (narration,
prompts, options, what was typed, verdicts and diagnoses, hints, event lines), the step log and
the results screen's notes. `played_findings` checks those strings:

- no internal name: a name of the model or a named answer reaches the player only with a label
  or when the level's own texts use it as a word (`ea = −1.9`, `hit_x`, `nk2`);
- no `←` bookkeeping: the game says what the player needs ("Now w = 0.7"), never `ta ← 2`;
- no Markdown markers where Markdown is not drawn (the step log, event lines, verdicts, hints);
- no file syntax (`W @ x`, `(y − t)^2`, `x**2`): the game writes W·x and x²;
- no shapes where values go (`moons_X 100×2`), except in a level whose parameters hold a matrix:
  there the shape is the lesson ("∂L/∂W has W's shape, 2×3");
- no sentence written to an author ("the tutorial's table 2-3", "this level has the player…");
- on a Chinese screen, the glossary's terms and no English words (`author/glossary.py`), and Chinese
  typography: full-width colons, no closing mark at a line's start, no break inside a sentence
  (`author/typography.py`).
"""

from __future__ import annotations

import re

import numpy as np

from gradquest.author.autoplay import answer
from gradquest.author.glossary import glossary_findings
from gradquest.author.typography import typography_findings
from gradquest.author.player_words import (
    IDENTIFIER, PRODUCT, generated_findings, generated_texts, internal_names, reads_as_math,
)
from gradquest.game.diagnose import candidates, mistake_message
from gradquest.game.session import LevelSession
from gradquest.levels.schema import NUMBER_SLOT, Level, every_step, text
from gradquest.model.errors import ModelError

ARROW = re.compile(r"←\s*\(?[−-]?\d[\d.]*(?:e[−+-]?\d+)?(?!\s*[·*/+−-]|[\d.])")  # a value assigned, not a rule (w ← w − Δw)
MARKDOWN = re.compile(r"\*\*|__|`|^#+ |(?<![\w*])\*(?=\S)[^*\n]+?(?<=\S)\*(?![\w*])", re.MULTILINE)
FILE_SYNTAX = re.compile(r" @ |\^[−-]?\d+(?![\d.])|(?<=[\w)])\*\*\s*[−-]?\d+(?![\d.])")  # W @ x, (y − t)^2, x**2: what a file says, not a player
SHAPE = re.compile(r"\b\d+×\d+\b")
SNAKE = re.compile(r"[A-Za-z]\w+_\w+|\w+_[A-Za-z]\w+")  # hit_x, batch_size (D_u f is mathematics)
AUTHOR = re.compile(r"\btutorial'?s?\b|\bnotebook\b|\btable \d+-\d+|\bthis level\b|\bthe level (?:has|diagnoses|replays)"
                    r"|\bthe player\b|\bfrom level \d+|\bthe first program\b|\bthe \w+ example\b|\bmicrograd\b"
                    r"|原文|教程|玩家|本关(?:让|诊断)", re.IGNORECASE)
ENGLISH = re.compile(r"^[a-z]{3,}$")  # a name that reads as a word (Chinese screens catch it)
MARKDOWN_DRAWN = {"say", "notes"}  # narration and the results screen are drawn as Markdown


def played(level: Level, lang: str, seed: int | None = None) -> list[tuple[str, str, str]]:
    """(step path, where, text) for every string the game writes in a headless play of the level."""
    session = LevelSession(level, seed=level.model.seed if seed is None else seed, lang=lang)
    seen: list[tuple[str, str, str]] = []
    shown, logged, before = 0, 0, "steps"

    def written(upto: int, path: str) -> None:  # the transcript and step log entries since the last call
        nonlocal shown, logged
        for entry in session.transcript[shown:upto]:
            kind = {"event": "say", "ask": "prompt"}.get(entry.kind, entry.kind)  # events are drawn as Markdown
            seen.extend([(path, kind, entry.text), (path, "verdict", entry.message),
                         *((path, "option", o) for o in entry.options)])
        seen.extend((path, "log", e.row) for e in session.log[logged:])
        shown, logged = max(shown, upto), len(session.log)

    while not session.done:
        stage = session.stage
        written(len(session.transcript) - 1, before)  # the last entry is this stage's own
        before = stage.path or before
        seen.extend((before, "screen", t) for t in generated_texts(session) if t)
        seen.extend((before, "verdict", m) for m in diagnoses(session))
        wrong = _wrong(stage)
        if wrong is not None:
            session.submit(wrong)
            while session.hints_left:
                session.hint()
        answer(session)
    written(len(session.transcript), before)
    seen += [("notes", "notes", text(level.notes, lang))] if level.notes else []
    return [item for item in dict.fromkeys(seen) if item[2]]


def diagnoses(session) -> list[str]:
    """Every message a wrong answer can get at this ask (each mistake the game can name), so that the
    rules read them all, not only the one the wrong answer typed here meets."""
    stage = session.stage
    if stage.kind != "ask":
        return []
    return [mistake_message(c, session.world, session.lang)
            for c in candidates(stage.source, session.world, stage.expected, session.lang)]


def _wrong(stage) -> str | None:
    """One wrong answer a learner might type at this stage (None where there is none to type)."""
    if stage.kind == "ask":
        expected = np.asarray(stage.expected, dtype=float).ravel()  # a matrix: all entries row after row
        wrong = -expected if np.any(expected != 0) else expected + 1
        numbers = ", ".join(f"{v:.6g}" for v in wrong)
        return f"({numbers})" if stage.size > 1 else numbers
    if stage.kind == "choose" and len(stage.options) > 1:
        return "2" if stage.solution.strip() == "1" else "1"
    return None


def introduced(level: Level, texts) -> set[str]:
    """The names a player has read in the level's own words (`texts`: (field, text or {en, zh}) of
    its story, narration, prompts…), and the labelled ones."""
    words: set[str] = set()
    for where, value in texts:
        if where.split(".")[0] in ("notes", "source"):
            continue
        for body in [value] if isinstance(value, str) else [v for v in value.values() if v]:
            words.update(IDENTIFIER.findall(NUMBER_SLOT.sub(" ", body)))
    return words | set(level.model.labels) | typed_names(level)


def typed_names(level: Level) -> set[str]:
    """The settings of training, which a player types by their names (batch_size=32)."""
    return {c.name for _, step in every_step(level.steps) if getattr(step, "train", None) for c in step.train.choose}


def played_findings(level: Level, strings, lang: str, known: set[str]) -> list[tuple[str, str]]:
    """(step path, message) for each rule a played string breaks; `strings` as `played` gives them,
    `known` the names the level introduces (`introduced`)."""
    names, typed = internal_names(level), typed_names(level)
    shapes_taught = any(isinstance(v, list) and v and isinstance(v[0], list) for v in level.model.params.values())
    found = []
    for path, where, body in strings:
        quoted = " ".join(body.split())
        said = f"{lang} {where} \"{quoted if len(quoted) <= 80 else quoted[:77] + '…'}\": "
        problems = []
        if ARROW.search(body):
            problems.append("bookkeeping with ←: say what the player needs (\"w is now 0.7\")")
        if where not in MARKDOWN_DRAWN and (m := MARKDOWN.search(body)):
            problems.append(f"the Markdown marker \"{m.group(0).strip()}\" is shown as it is here")
        if m := FILE_SYNTAX.search(body):
            problems.append(f"the file syntax \"{m.group(0)}\" is shown as it is here: write "
                            + ("W·x" if "@" in m.group(0) else "x²"))
        if not shapes_taught and (m := SHAPE.search(body)):
            problems.append(f"a shape (\"{m.group(0)}\") where the player expects values")
        if m := AUTHOR.search(body):
            problems.append(f"\"{m.group(0)}\" speaks to an author: write to the player, and put sources "
                            "and corrections for teachers in `source:`")
        for word in IDENTIFIER.findall(NUMBER_SLOT.sub(" ", body)):
            if SNAKE.fullmatch(word) and word not in typed:
                problems.append(f"the internal name \"{word}\": say it in words")
            elif word in names and word not in known and not (PRODUCT.match(word) and reads_as_math(word, level)) \
                    and not (lang == "en" and ENGLISH.match(word)):  # "ones" is a word in English
                problems.append(f"the internal name \"{word}\" ({names[word]}): give it a `label:` or say it in words")
        if lang == "zh":
            problems += glossary_findings(NUMBER_SLOT.sub(" ", body), typed)
            problems += typography_findings(body)
        found += [(path, said + problem) for problem in problems]
    return list(dict.fromkeys(found))


def played_word_findings(level: Level, texts) -> list[tuple[str, str]]:
    """Both languages, played once each with the level's own seed; `texts` as for `introduced`."""
    found, known = [], introduced(level, list(texts))
    for lang in ("en", "zh"):
        try:
            strings = played(level, lang)
        except ModelError:
            return found  # the playthrough reports it
        found += played_findings(level, strings, lang, known)
        if lang == "zh":  # where every Latin word the game writes is a name: each needs a label
            generated = [body for _, where, body in strings if where in ("screen", "log")]
            found += generated_findings(level, generated, internal_names(level))
    return list(dict.fromkeys(found))

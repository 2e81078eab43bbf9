"""`gradquest check` on a chapter file: the file itself (YAML, schema), and for the bundled pack
the player-words and Chinese typography rules on its title and summary, which the chapter map shows."""

from __future__ import annotations

from gradquest.author.player_words import text_findings
from gradquest.author.typography import text_typography
from gradquest.levels.load import examine_chapter
from gradquest.levels.source import LevelError, located


def chapter_problems(path, *, bundled: bool) -> list[LevelError]:
    chapter, positions, errors = examine_chapter(path)
    if chapter is None or not bundled:
        return errors
    texts = [("title", chapter.title)] + [(f"summary[{i}]", s) for i, s in enumerate(chapter.summary)]
    dumped = [(where, value if isinstance(value, str) else value.model_dump()) for where, value in texts]
    found = text_findings(dumped, "the chapter's `source:`") + text_typography(dumped)
    return [located(str(path), positions, where, message) for where, message in found]

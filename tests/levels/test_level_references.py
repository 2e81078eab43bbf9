"""A bundled level that names another level names it as the map numbers it (`level 2.9`, `第 2.9 关`),
and that level exists: after a reorder of the map a stale number fails here (issue 22)."""

import re

from gradquest.levels.catalog import catalog
from gradquest.levels.discover import bundled_levels_dir

NUMBERED = re.compile(r"\b[Ll]evels? (\d+)\.(\d+)\b|第 ?(\d+)\.(\d+) ?关")
BARE = re.compile(r"\b[Ll]evels? (\d+)\b(?!\.\d)|第 ?(\d+) ?关")


def references():
    for chapter in catalog(bundled_levels_dir()):
        for entry in chapter.levels:
            text = entry.path.read_text(encoding="utf-8")
            yield entry, [m.group(0) for m in BARE.finditer(text)], \
                [tuple(int(g) for g in m.groups() if g) for m in NUMBERED.finditer(text)]


def test_a_level_named_in_a_level_is_named_by_its_number_on_the_map_and_exists():
    numbers = {(e.chapter, e.order) for c in catalog(bundled_levels_dir()) for e in c.levels}
    named = 0
    for entry, bare, numbered in references():
        assert not bare, (entry.id, bare)
        assert all(n in numbers for n in numbered), (entry.id, numbered)
        named += len(numbered)
    assert named >= 8  # 1.5, 1.7, 2.10, 2.11 and 2.14 name others

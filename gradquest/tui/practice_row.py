"""The chapter map's Practice row: each rule's mastery as a bar (`tanh ▰▰▱▱ Familiar`), read from
the progress settings alone (`mastery.levels_in`): drawing it imports neither the engine nor the
scheduler."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from gradquest.game.mastery import LEVEL_NAMES, LEVELS, NAMES, RULES, SETTING, levels_in

PRACTICE = "practice"  # the row's option id
SHORT = {"mul": ("a·b", "a·b"), "add": ("a+b", "a+b"), "div": ("a/b", "a/b"), "pow": ("aⁿ", "aⁿ"),
         "fork": ("fork", "分叉"), "reuse": ("reuse", "重用")}
WORDS = {
    "row": ("✎ Practice: {met} of {total} rules met", "✎ 练习：已练 {met}/{total} 条规则"),
    "row.new": ("✎ Practice: drill the rules", "✎ 练习：反复练习求导规则"),
    "about": ("A round of about 10 asks on the rules you have not mastered, in the game. Two right "
              "at the first try move a rule up a level, two wrong down one; a rule comes back for "
              "review when it is due.",
              "在游戏中练一轮，大约 10 题，练你还没掌握的规则。连续两题首次答对，规则升一级；"
              "两题都错，降一级；到期的规则会再拿来复习。"),
}


def levels(settings: dict) -> dict[str, str]:
    return levels_in(settings.get(SETTING))


def bar(level: str) -> str:
    filled = LEVELS.index(level)
    return "▰" * filled + "▱" * (len(LEVELS) - 1 - filled)


def row(state: dict[str, str], lang: str) -> Text:
    """The row: its title, then a bar for each rule met so far."""
    zh = lang == "zh"
    met = [r for r in RULES if state[r] != LEVELS[0]]
    en, cn = WORDS["row" if met else "row.new"]
    line = Text((cn if zh else en).format(met=len(met), total=len(RULES)))
    for rule in met:
        label = SHORT.get(rule, (rule, rule))[zh]
        line.append(f"\n      {label}{' ' * max(8 - cell_len(label), 1)}{bar(state[rule])} "
                    f"{LEVEL_NAMES[state[rule]][zh]}")
    return line


def details(state: dict[str, str], lang: str) -> Text:
    """The details pane beside the row: what practice is, then every rule's bar and name."""
    zh = lang == "zh"
    about = Text(WORDS["row.new"][zh].lstrip("✎ "), style="bold")
    about.append("\n\n" + WORDS["about"][zh])
    for rule in RULES:
        about.append(("\n\n" if rule == RULES[0] else "\n") + f"{bar(state[rule])} {LEVEL_NAMES[state[rule]][zh]} · {NAMES[rule][zh]}")
    return about

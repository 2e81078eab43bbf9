"""Chinese typography, the bundled-pack rule beside the glossary's (`glossary.py`): what a Chinese
reader sees as a typesetting slip.

`typography_findings` reads a string a Chinese player sees (a level's text, or one the game writes
while it is played, `played_words.played`):

- no half-width colon after Chinese text: "得分: 77" is written "得分：77" (a colon inside a formula
  or after a Latin name stays half-width: "f: x ↦ x²");
- a remark in parentheses after Chinese text takes full-width ones: "每个样本一行。（一个 2×3 矩阵：逐行
  输入）", not " (一个 2×3 矩阵：逐行输入)" (a formula's stay: "σ(1 − σ)", "(新误差 − 旧误差)/(新 t − 旧 t)");
- no line that starts with a closing mark (，。：）」”…): the text's own line break put it there;
- no line break or space between two Chinese characters: a Chinese sentence has no spaces, and a
  break inside one ("正" / "确。") splits a word where the screen wraps the line anyway (a space that
  sets off a formula stays: "输出 = 2.1", "1/分母 的导数").

Where the screen wraps a line, `tui/cjk_wrap.py` keeps the same rules (tests/tui/test_chinese.py).
"""

from __future__ import annotations

import re

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Chinese characters (not the full-width marks)
CLOSING = "，。、；：！？）」』】》〉”’"

COLON = re.compile(rf"[{HAN}）」』”](?:\*\*)?[ \t]*:(?![:=/])")
# a remark in parentheses: Chinese punctuation inside ("每个样本一行。 (一个 2×3 矩阵：逐行输入)"), not a
# formula's parentheses around Chinese words ("(新误差 − 旧误差) / (新 t − 旧 t)", "(横向的 v, 顺谷底的 v) = ?")
PAREN = re.compile(rf"[{HAN}，。：；）][ \t]*\((?=[^()\n]*[，。：；、])")
LINE_START = re.compile(rf"^[ \t]*[{CLOSING}]", re.MULTILINE)
BREAK = re.compile(rf"[{HAN}][ \t]*\n[ \t]*[{HAN}]")
SPACE = re.compile(rf"[{HAN}][ \t]+[{HAN}]")
OPERATORS = "=·/+−-×*^"
WORDS = re.compile(r"[\s，。、；：！？（）「」“”]+")  # what a word of a formula is cut at
FORMULA = set("=·/+−-×*^()0123456789")  # a word beside these is part of a formula: "1/分母 的导数", "输出 = 2.1"


def typography_findings(body: str) -> list[str]:
    """What breaks the rules above in one string a Chinese screen shows."""
    found = []
    if m := COLON.search(body):
        found.append(f"a half-width colon after Chinese text (\"{_around(body, m)}\"): write the full-width ：")
    if m := PAREN.search(body):
        found.append(f"a half-width parenthesis around Chinese text (\"{_around(body, m)}\"): write the full-width （…）")
    if m := LINE_START.search(body):
        found.append(f"a line starts with \"{m.group(0).strip()}\" (\"{_around(body, m)}\"): join it to the line before")
    for m in [*BREAK.finditer(body)][:1] + [m for m in SPACE.finditer(body) if not _in_formula(body, m)][:1]:
        what = "a line break" if "\n" in m.group(0) else "a space"
        found.append(f"{what} between two Chinese characters (\"{_around(body, m)}\"): a Chinese sentence is "
                     "written without breaks or spaces, the screen wraps it")
    return found


def _in_formula(body: str, m: re.Match) -> bool:
    """Whether the space matched sets off a formula: a word beside it is one, or the next is an operator."""
    left = [w for w in WORDS.split(body[:m.start() + 1]) if w][-1]
    right, *after = [w for w in WORDS.split(body[m.end() - 1:]) if w]
    return bool(FORMULA & set(left + right)) or bool(after and after[0][0] in OPERATORS)


def _around(body: str, m: re.Match) -> str:
    """The match with a few characters either side, on one line."""
    return body[max(m.start() - 4, 0):m.end() + 4].replace("\n", "⏎")


def text_typography(texts) -> list[tuple[str, str]]:
    """(field, message) for the Chinese of each (field, text or {en, zh}) a level or chapter file holds."""
    return [(where, message) for where, value in texts if isinstance(value, dict) and value.get("zh")
            for message in typography_findings(value["zh"])]

"""The commented starter level `gradquest new ID` writes. It passes `check` and `test` as it is.
Its first line points an editor (Red Hat's YAML extension, any yaml-language-server) at the JSON
Schema of the GradQuest that wrote it, by absolute path.

`write_starter` takes the id by the loader's own rule (`schema.LEVEL_ID`, matched whole: `$` alone
lets a trailing newline through), creates the file only if nothing is there (`O_EXCL`: an existing
file or any symbolic link, dangling ones included, is never written through) and says why not in
one line, in English or Chinese.
"""

import os
import re
from pathlib import Path

from gradquest.levels.discover import schema_file
from gradquest.levels.schema import LEVEL_ID
from gradquest.levels.untrusted import clean

TEMPLATE = """\
# yaml-language-server: $schema={schema}
# A GradQuest level. Check it with `gradquest check {file}`, see the engine's answers with
# `gradquest solve {file}`, play it with `gradquest play {file}`, test it with `gradquest test {file}`.
# The full reference is docs/authoring.md.
format_version: 1
id: {id}                  # stable: the player's progress is kept under it
title: {{en: A first level, zh: 第一关}}
chapter: 1
order: 1
source: seed 000, manual backprop   # the passage of the tutorial this level comes from
story:
  en: |
    Two numbers are multiplied, then a third is added. Work out the forward pass,
    then how much the result moves when each input moves a little.
  zh: |
    两个数相乘，再加上第三个数。先完成正向计算，再算出每个输入变化一点点时结果变化多少。

model:
  params: {{a: 2, b: -3, c: 10}}   # the leaves: numbers, or {{between: [lo, hi]}} for a random draw
  nodes:                          # named nodes, each an expression over earlier names
    e: a*b
    d: e + c
  output: d                       # what gradients are taken of

steps:
  - forward: e                    # the player types e's value; the engine already knows it
  - forward: d
  - gradient: c                   # ∂d/∂c
    hints:
      - {{en: "A sum passes the gradient on unchanged.", zh: "加法把梯度原样传下去。"}}
  - gradient: a                   # ∂d/∂a = ∂d/∂e · ∂e/∂a
    misconceptions:
      - expr: a                   # a wrong answer the author foresees, and what to say about it
        feedback:
          en: "That is a itself. The derivative of a·b with respect to a is the other factor, b."
          zh: "这是 a 本身。a·b 对 a 的导数是另一个因子 b。"
  - say:
      en: "Done: you did a whole forward and backward pass by hand."
      zh: "完成：你亲手做了一遍完整的正向和反向传播。"

tests:                            # playthrough tests, run by `gradquest test`
  - name: a wrong gradient is diagnosed
    at: 4                         # the 4th ask: ∂d/∂a
    inputs:
      - {{input: "2", verdict: wrong, diagnosis: misconception}}
      - {{input: "3", verdict: wrong, diagnosis: sign}}
      - {{input: "-3", verdict: correct}}
"""


def starter_level(level_id: str) -> str:
    return TEMPLATE.format(id=level_id, file=f"{level_id}.yaml", schema=schema_file().resolve().as_posix())


WORDS = {
    "bad_id": ("'{id}' is not a level id: use lowercase letters, digits, '.', '_' and '-', starting with a letter "
               "or digit (e.g. my.first-level)",
               "'{id}' 不是关卡 id：只能用小写字母、数字、'.'、'_' 和 '-'，并以字母或数字开头（例如 my.first-level）"),
    "exists": ("{path} already exists; choose another id or remove it first",
               "{path} 已存在；请换一个 id，或先删除它"),
    "cannot": ("cannot write {path}: {reason}; choose another --dir", "无法写入 {path}：{reason}；请换一个 --dir"),
    "wrote": ("wrote {path}\nnext: gradquest check {path} && gradquest play {path}",
              "已写入 {path}\n下一步：gradquest check {path} && gradquest play {path}"),
}
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # not on Windows, where O_EXCL alone refuses an existing link


class StarterError(Exception):
    """Why the starter level was not written, in one line; `code` is the command's exit code."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


def say(key: str, lang: str, **values) -> str:
    en, zh = WORDS[key]
    return (zh if lang == "zh" else en).format(**{k: clean(v, lines=False) for k, v in values.items()})


def write_starter(level_id: str, folder: Path, lang: str = "en") -> Path:
    """Write `<folder>/<level_id>.yaml`, never over anything; the file's path."""
    if re.fullmatch(LEVEL_ID, level_id) is None:
        raise StarterError(say("bad_id", lang, id=level_id), 2)
    path = Path(folder) / f"{level_id}.yaml"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, 0o644)
        except FileExistsError:
            raise StarterError(say("exists", lang, path=path), 1) from None
    except OSError as err:
        raise StarterError(say("cannot", lang, path=path, reason=err.strerror or err), 1) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(starter_level(level_id))
    except OSError as err:
        path.unlink(missing_ok=True)  # ours: created just now
        raise StarterError(say("cannot", lang, path=path, reason=err.strerror or err), 1) from None
    return path

"""The commented starter level `gradquest new ID` writes. It passes `check` and `test` as it is.
Its first line points an editor (Red Hat's YAML extension, any yaml-language-server) at the JSON
Schema of the GradQuest that wrote it, by absolute path."""

from gradquest.levels.discover import schema_file

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

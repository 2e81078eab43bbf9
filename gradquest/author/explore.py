"""`gradquest explore`: any expression as an ordinary level, one named node per operation.

`explore("tanh(w*x + b)", {"w": 0.5, "x": 2})` splits the statements (`d = a*b + c; L = d*f`,
by `;` or lines) with the level parser (`engine/parser.py`) into a node per operation, in the
order they are computed: each statement's last operation takes its name, the others are `t1`,
`t2`… (names the input does not use), and constants are folded (`2*3*a` is one node, `6*a`).
Names without a value get one drawn with `seed` (a half-integer from −3 to 3, never 0; drawn
again while a node is undefined or sits on a kink). The output is the last statement's name, or
`out`. `Exploration.level()` is the level: a forward ask per node in that order, then ∂L/∂L = 1
shown and a gradient ask per node and leaf backwards; it loads, checks and plays like any file
(the command writes it to a file and plays that, so `--save` writes exactly what was played).

Every refusal is an `ExploreError`: one line in English or Chinese (and, for a parse error, the
statement with a caret under the column).
"""

from __future__ import annotations

import hashlib
import math
import os
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from gradquest.engine.value import Value
from gradquest.levels.untrusted import clean
from gradquest.engine.parser import (
    CONSTANTS, VALUE_LIB, Binary, Call, Name, Num, ParseError, Unary, evaluate, names, parse,
)

MAX_NODES = 40  # operations: each is a forward and a gradient ask
MAX_DEPTH = 12  # operations on the longest chain from a leaf to the output
FUNCTIONS = ("exp", "log", "ln", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "abs", "max", "min")
KINKS = ("relu", "abs", "max", "min")
DRAWS = [x / 2 for x in range(-6, 7) if x]  # what a name without a value may be given
_STATEMENT = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)")
_VALUE = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\S+)\s*")

WORDS = {
    "parse": ("{where}{message}", "{where}{message}"),
    "statement": ("statement {n}: ", "第 {n} 条语句："),
    "twice": ("{name} is given twice: {first} and {second}; give each name one definition",
              "{name} 给了两次：{first} 和 {second}；每个名字只能定义一次"),
    "before": ("{name} is used in statement {n} before it is defined", "第 {n} 条语句在 {name} 定义之前就用了它"),
    "unnamed": ("statement {n} has no name: only the last may be a bare expression (write NAME = EXPR)",
                "第 {n} 条语句没有名字：只有最后一条可以只写表达式（请写成 名字 = 表达式）"),
    "no_op": ("{name} = {text} has no operation to work out; write an expression with +, -, *, /, ** or a function",
              "{name} = {text} 没有需要计算的运算；请写含 +、-、*、/、** 或函数的表达式"),
    "function": ("{fn}() is not offered by explore; it takes {known}", "explore 不提供 {fn}()；可用的有 {known}"),
    "vector": ("explore takes numbers only: no vectors (a, b) nor entries xs[0]", "explore 只处理数，不支持向量 (a, b) 或下标 xs[0]"),
    "nodes": ("the expression needs {count} operations or more; explore takes at most {limit}",
              "这个表达式需要至少 {count} 个运算；explore 最多处理 {limit} 个"),
    "depth": ("{name} is {depth} operations deep; explore takes at most {limit} on one chain",
              "{name} 有 {depth} 层运算；explore 一条链上最多 {limit} 层"),
    "bad_value": ("'{text}' is not NAME=NUMBER (a finite number, e.g. x=2 or w=-0.5)",
                  "'{text}' 不是 名字=数值 的形式（有限的数，例如 x=2 或 w=-0.5）"),
    "value_twice": ("{name} is given two values", "{name} 被给了两个值"),
    "computed": ("{name} is computed by the expression, so it cannot be given a value",
                 "{name} 由表达式算出，不能直接给它赋值"),
    "unused": ("{name} is given a value but the expression does not use it", "给 {name} 赋了值，但表达式没有用到它"),
    "unreached": ("{name} does not reach the output {out}: every statement must feed the last one",
                  "{name} 没有通向输出 {out}：每条语句都必须参与最后一条的计算"),
    "undefined": ("{name} = {text} is undefined at these values ({inputs}): choose other values",
                  "{name} = {text} 在这些值下没有定义（{inputs}）：请换一些值"),
    "undefined_grad": ("the gradient ∂{out}/∂{name} is undefined at these values ({inputs}): choose other values",
                       "梯度 ∂{out}/∂{name} 在这些值下没有定义（{inputs}）：请换一些值"),
    "no_draw": ("no values drawn for {names} keep every node defined; give them values",
                "为 {names} 抽取的值都会让某个节点没有定义；请给它们赋值"),
    "drawn": ("drawn with --seed {seed}: {values}", "用 --seed {seed} 抽取：{values}"),
    "wrote": ("wrote {path}\nnext: gradquest check {path} && gradquest test {path}",
              "已写入 {path}\n下一步：gradquest check {path} && gradquest test {path}"),
    "exists": ("{path} already exists; choose another file or remove it first", "{path} 已存在；请换一个文件名，或先删除它"),
    "cannot": ("cannot write {path}: {reason}", "无法写入 {path}：{reason}"),
    "no_input": ("give an expression (gradquest explore \"tanh(w*x + b)\" w=0.5) or --file SNIPPET.py",
                 "请给一个表达式（gradquest explore \"tanh(w*x + b)\" w=0.5）或 --file SNIPPET.py"),
    "snippet": ("{message}", "{message}"),
    "empty": ("nothing to explore: give an expression, e.g. \"tanh(w*x + b)\"", "没有可探索的内容：请给一个表达式，例如 \"tanh(w*x + b)\""),
}


class ExploreError(ValueError):
    """Why an expression cannot be explored: `key` and `values` give the line in either language."""

    def __init__(self, key: str, caret: str = "", **values):
        self.key, self.caret, self.values = key, caret, values
        super().__init__(self.message())

    def message(self, lang: str = "en") -> str:
        en, zh = WORDS[self.key]
        values = {k: v(lang) if callable(v) else v for k, v in self.values.items()}
        line = (zh if lang == "zh" else en).format(**values)
        return f"{line}\n{self.caret}" if self.caret else line


@dataclass
class Exploration:
    """An expression split into nodes, with the values of its leaves."""
    source: str
    nodes: dict[str, str]  # name -> one operation over leaves, constants and earlier nodes, in order
    params: dict[str, float]  # the leaves, in order of first use
    output: str
    drawn: list[str] = field(default_factory=list)  # the leaves whose values were drawn
    seed: int | None = None
    values: dict[str, float] = field(default_factory=dict)  # every node's value
    grads: dict[str, float] = field(default_factory=dict)  # ∂output/∂ every node and leaf

    @property
    def backward(self) -> list[str]:
        """Every node and leaf, the output first: each after all the nodes that use it."""
        order: list[str] = []
        for name, text in self.nodes.items():
            order += [p for p in _leaves(text, self.params) if p not in order]
            order.append(name)
        return order[::-1]

    def listed(self, names) -> str:
        return ", ".join(f"{p} = {_num(self.params[p])}" for p in names)

    def level(self) -> dict:
        """The level as the data of a level file."""
        listing = "\n".join(f"{name} = {text}" for name, text in self.nodes.items())
        given = self.listed([p for p in self.params if p not in self.drawn])
        drawn = self.listed(self.drawn)
        en = [f"The expression, one operation a node:\n\n```\n{listing}\n```\n"]
        zh = [f"这个表达式，每个节点一个运算：\n\n```\n{listing}\n```\n"]
        if given:
            en.append(f"Given: {given}.")
            zh.append(f"给定：{given}。")
        if drawn and self.seed is None:  # practice's own draws: no command draws them again
            en.append(f"Drawn: {drawn}.")
            zh.append(f"随机抽取：{drawn}。")
        elif drawn:
            en.append(f"Drawn (`--seed {self.seed}` draws them again): {drawn}.")
            zh.append(f"随机抽取（`--seed {self.seed}` 可再抽到同样的值）：{drawn}。")
        en.append(f"\nFirst the forward pass, node by node; then the backward pass from ∂{self.output}/∂{self.output} = 1.")
        zh.append(f"\n先逐个节点做正向计算，再从 ∂{self.output}/∂{self.output} = 1 开始反向传播。")
        title = self.source if len(self.source) <= 50 else self.source[:49] + "…"
        out = self.output
        steps: list[dict] = [{"forward": name} for name in self.nodes]
        steps.append({"say": {"en": f"Now backwards: ∂{out}/∂{out} = 1.", "zh": f"现在反向：∂{out}/∂{out} = 1。"}})
        steps.append({"gradient": out, "auto": True})
        steps += [{"gradient": name} for name in self.backward[1:]]
        first, last = next(iter(self.nodes)), self.backward[-1]
        data = {
            "format_version": 1,
            "id": "explore." + hashlib.sha1(f"{listing}\n{self.params}".encode()).hexdigest()[:10],
            "title": {"en": f"Explore: {title}", "zh": f"探索：{title}"},
            "chapter": 1,
            "order": 1,
            "source": "gradquest explore",
            "story": {"en": "\n".join(en), "zh": "\n".join(zh)},
            "model": {"params": dict(self.params), "nodes": dict(self.nodes), "output": out},
            "steps": steps,
            "tests": [
                {"name": f"the first ask, {first}, is the engine's value", "at": 1,
                 "inputs": [{"input": repr(self.values[first]), "verdict": "correct"}]},
                {"name": f"the last ask, ∂{out}/∂{last}, is the engine's gradient", "at": len(steps) - 2,
                 "inputs": [{"input": repr(self.grads[last]), "verdict": "correct"}]},
            ],
        }
        return data

    def yaml(self) -> str:
        head = "# Written by `gradquest explore`. Check it with `gradquest check`, play it with `gradquest play`.\n"
        return head + yaml.dump(self.level(), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


class _Dumper(yaml.SafeDumper):
    """Texts of several lines as `|` blocks."""


_Dumper.add_representer(str, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", s, style="|" if "\n" in s else None))


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x))


def _leaves(text: str, params) -> list[str]:
    """The leaves a node's text uses, in the order written."""
    return [w for w in dict.fromkeys(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)) if w in params]


def statements(text: str) -> list[tuple[str | None, str, int]]:
    """`(name or None, expression, its column in text)` for each statement, split by `;` or lines."""
    found, start = [], 0
    for piece in re.split(r"[;\n]", text):
        if piece.strip():
            m = _STATEMENT.match(piece)
            body_at = m.end() if m else 0
            found.append((m.group(1) if m else None, piece[body_at:], start + body_at))
        start += len(piece) + 1
    return found


def split(text: str, extra: list[str] = (), given: set[str] = frozenset()) -> tuple[dict[str, str], list[str], str]:
    """The nodes (name -> one operation), the leaves and the output of `text` (and any more
    statements in `extra`; `given`: the names given values, so `e` or `pi` there is a name, not
    a constant); an `ExploreError` for what cannot be explored."""
    lines = statements(text)
    for more in extra:
        lines += [(n, b, -1) for n, b, _ in statements(more)]
    if not lines:
        raise ExploreError("empty")
    trees, defined = [], {}
    for i, (name, body, at) in enumerate(lines, start=1):
        if name is None and i < len(lines):
            raise ExploreError("unnamed", n=i)
        try:
            tree = parse(body)
        except ParseError as err:
            if at >= 0:  # placed in the whole line
                details = err.details | ({"open_col": err.details["open_col"] + at} if "open_col" in err.details else {})
                err = ParseError(err.code, err.column + at, text, **details)
            where = (lambda lang, i=i: WORDS["statement"][lang == "zh"].format(n=i)) if len(lines) > 1 else ""
            raise ExploreError("parse", caret=err.caret(), where=where, message=err.message) from None
        if name in defined:
            raise ExploreError("twice", name=name, first=f"'{name} = {lines[defined[name]][1].strip()}'",
                               second=f"'{name} = {body.strip()}'")
        if name is not None:
            defined[name] = i - 1
        trees.append((name, tree, i))
    used = {w for _, body, _ in lines for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", body)} | set(defined)
    fresh = (f"t{k}" for k in range(1, 10**6) if f"t{k}" not in used)
    out_name = trees[-1][0] or ("out" if "out" not in used else next(fresh))
    nodes: dict[str, str] = {}
    params: list[str] = []
    depth: dict[str, int] = {}
    for name, tree, i in trees:
        later = {n for n, _, j in trees if j >= i and n is not None}
        for used_name in sorted(names(tree)):
            if used_name in later:
                raise ExploreError("before", name=used_name, n=i)
        target = name or out_name
        result = _split(tree, target, nodes, params, depth, fresh, set(defined) - later | set(given))
        if result != target:
            raise ExploreError("no_op", name=target, text=lines[i - 1][1].strip())
    return nodes, params, out_name


def _split(tree, target, nodes, params, depth, fresh, known):
    """Add `tree`'s operations to `nodes`; the text that stands for its value (a number, a name)."""
    t = type(tree)
    if t is Num:
        return _num(tree.value)
    if t is Name:
        if tree.id in CONSTANTS and tree.id not in known:
            return _num(CONSTANTS[tree.id])
        if tree.id not in nodes and tree.id not in params:
            params.append(tree.id)
        return tree.id
    if t is Unary and tree.op == "+":
        return _split(tree.operand, target, nodes, params, depth, fresh, known)
    if t is Call and tree.fn not in FUNCTIONS:
        if tree.fn in ("mean", "sum"):
            raise ExploreError("vector")
        raise ExploreError("function", fn=tree.fn, known=", ".join(FUNCTIONS))
    if t not in (Unary, Binary, Call):
        raise ExploreError("vector")
    kids = (tree.operand,) if t is Unary else (tree.left, tree.right) if t is Binary else tree.args
    inner = [_split(k, None, nodes, params, depth, fresh, known) for k in kids]
    if t is Unary:
        text = f"-{_wrap(inner[0])}"
    elif t is Binary:
        text = f"{_wrap(inner[0])} {tree.op} {_wrap(inner[1])}"
    else:
        text = f"{tree.fn}({', '.join(inner)})"
    if all(_is_number(x) for x in inner):  # constants only: folded
        value = evaluate(parse(text))
        if math.isfinite(value):
            return _num(value)
    name = target or next(fresh)
    if len(nodes) >= MAX_NODES:
        raise ExploreError("nodes", count=len(nodes) + 1, limit=MAX_NODES)
    deep = 1 + max((depth.get(x, 0) for x in inner), default=0)
    if deep > MAX_DEPTH:
        raise ExploreError("depth", name=name, depth=deep, limit=MAX_DEPTH)
    nodes[name], depth[name] = text, deep
    return name


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _wrap(text: str) -> str:
    return f"({text})" if text.startswith("-") else text


def read_values(pairs: list[str]) -> dict[str, float]:
    """`name=value` arguments as numbers."""
    values: dict[str, float] = {}
    for pair in pairs:
        m = _VALUE.fullmatch(pair)
        try:
            value = float(m.group(2).replace("\u2212", "-")) if m else math.nan
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise ExploreError("bad_value", text=pair)
        if m.group(1) in values:
            raise ExploreError("value_twice", name=m.group(1))
        values[m.group(1)] = value
    return values


def is_value(arg: str) -> bool:
    """Whether a command-line argument gives a value (`x=2`) rather than a statement (`L = d*f`)."""
    m = _VALUE.fullmatch(arg)
    return m is not None and _is_number(m.group(2).replace("\u2212", "-"))


def explore(text: str, given: dict[str, float] | None = None, seed: int | None = None,
            extra: list[str] = ()) -> Exploration:
    """The exploration of `text` with the `given` values; the rest drawn with `seed`."""
    given = dict(given or {})
    nodes, leaves, out = split(text, extra, set(given))
    for name in given:
        if name in nodes:
            raise ExploreError("computed", name=name)
        if name not in leaves:
            raise ExploreError("unused", name=name)
    uses = {n: set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", t)) for n, t in nodes.items()}
    reach = {out}
    for name in reversed(list(nodes)):
        if name in reach:
            reach |= uses[name]
    for name in nodes:
        if name not in reach:
            raise ExploreError("unreached", name=name, out=out)
    missing = [p for p in leaves if p not in given]
    if missing and seed is None:
        seed = random.SystemRandom().randrange(10**6)
    rng = random.Random(seed)
    first_error = None
    for _ in range(200 if missing else 1):
        params = {p: given[p] if p in given else rng.choice(DRAWS) for p in leaves}
        try:
            return _computed(Exploration(text, nodes, params, out, missing, seed if missing else None), bool(missing))
        except ExploreError as err:
            first_error = first_error or err
            if not missing:
                raise
    raise ExploreError("no_draw", names=", ".join(missing)) if first_error.key != "no_draw" else first_error


def _computed(ex: Exploration, drawn: bool) -> Exploration:
    """`ex` with every value and gradient, or the node that is undefined."""
    env = {p: Value(float(v)) for p, v in ex.params.items()}
    for name, text in ex.nodes.items():
        tree = parse(text)
        node = evaluate(tree, env, VALUE_LIB)
        env[name] = node
        inputs = [w for w in dict.fromkeys(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)) if w in env]
        shown = ", ".join(f"{w} = {env[w].data:.6g}" for w in inputs)
        if not math.isfinite(node.data):
            raise ExploreError("undefined", name=name, text=text, inputs=shown)
        if drawn and _on_kink(tree, env):
            raise ExploreError("undefined", name=name, text=text, inputs=shown)  # draw again
    env[ex.output].backward()
    ex.values = {name: env[name].data for name in ex.nodes}
    for name in ex.backward:
        grad = env[name].grad
        if not math.isfinite(grad):
            shown = ", ".join(f"{p} = {_num(v)}" for p, v in ex.params.items())
            raise ExploreError("undefined_grad", name=name, out=ex.output, inputs=shown)
        ex.grads[name] = grad
    return ex


def _on_kink(tree, env) -> bool:
    """Whether a relu or abs is at 0, or a max or min at a tie (drawn values avoid them)."""
    if type(tree) is not Call or tree.fn not in KINKS:
        return False
    args = [getattr(x, "data", x) for x in (evaluate(a, env, VALUE_LIB) for a in tree.args)]
    return args[0] == 0 if len(args) == 1 else args[0] == args[1]


def say(key: str, lang: str, **values) -> str:
    return ExploreError(key, **values).message(lang)


def exploration(args: list[str], file: str | None = None, seed: int | None = None) -> Exploration:
    """What `gradquest explore` was given: statements and `name=value`s, or a snippet file."""
    if file is not None:
        from gradquest.author.snippet import SnippetError, read_snippet  # noqa: PLC0415

        try:
            text, given = read_snippet(Path(file))
        except SnippetError as err:
            raise ExploreError("snippet", message=err.message) from None
        explored = explore(text, given | read_values([a for a in args if is_value(a)]), seed)
        explored.source = Path(file).name
        return explored
    if not args:
        raise ExploreError("no_input")
    statements_given = [a for a in args[1:] if not is_value(a)]
    return explore(args[0], read_values([a for a in args[1:] if is_value(a)]), seed, statements_given)


def write_level(ex: Exploration, path: Path) -> Path:
    """Write the level to `path`, never over an existing file or through a link."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except FileExistsError:
        raise ExploreError("exists", path=clean(str(path), lines=False)) from None
    except OSError as err:
        raise ExploreError("cannot", path=clean(str(path), lines=False), reason=err.strerror or err) from None
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(ex.yaml())
    return path

"""`gradquest explore --file snippet.py`: a micrograd-style snippet read, never run.

Python's `ast` only parses the file (no `exec`, no `compile`, no import); this reader walks the
tree and accepts a small subset, refusing anything else at its line:column with what is allowed:

    from micrograd.engine import Value      (an import of Value: skipped, never run)
    a = Value(2.0, label='a')               a leaf and its value (the label is skipped)
    d = a*b + c                             + - * / ** and a minus sign, numbers, earlier names
    e = d.tanh()                            .tanh() .exp() .log() .relu() .sigmoid(), also on (2*n)
    d.label = 'd'                           skipped
    o.backward()                            the output (else the last assignment)

A name bound twice is Python's rebinding: the last binding keeps the name, earlier ones become
`name_1`, `name_2`…; statements the output does not use are left out, as `backward()` never
reaches them. The result is statements and values for `explore.explore`.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

MAX_BYTES = 100_000
METHODS = ("tanh", "exp", "log", "relu", "sigmoid")
RESERVED = METHODS + ("ln", "sqrt", "sin", "cos", "abs", "max", "min", "mean", "sum", "pi")
_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

ALLOWED = ("a snippet may hold: a = Value(2.0, label='a'); d = a*b + c (+ - * / **); e = d.tanh() "
           "(.tanh .exp .log .relu .sigmoid); d.label = 'd'; o.backward(); from micrograd.engine import Value",
           "片段里只能有：a = Value(2.0, label='a')；d = a*b + c（+ - * / **）；e = d.tanh()"
           "（.tanh .exp .log .relu .sigmoid）；d.label = 'd'；o.backward()；from micrograd.engine import Value")
WORDS = {
    "unsupported": ("{what} is not read by explore", "explore 不读取 {what}"),
    "unknown": ("{name} is used before it is given a value", "{name} 在赋值之前就被使用了"),
    "reserved": ("{name} is the name of a function; call the variable something else", "{name} 是函数名；请给变量换个名字"),
    "value": ("Value(...) takes a number, e.g. Value(2.0, label='a'), and only as the whole right-hand side",
              "Value(...) 只接受一个数，例如 Value(2.0, label='a')，而且必须是整个右边"),
    "syntax": ("this is not Python: {why}", "这不是 Python：{why}"),
    "nothing": ("the snippet computes nothing: assign an expression of Values, e.g. d = a*b",
                "片段没有计算任何东西：请写一个由 Value 组成的表达式，例如 d = a*b"),
    "unreadable": ("cannot read it: {why}", "无法读取：{why}"),
}


class SnippetError(ValueError):
    """A refusal at `line:col` of the snippet, in either language."""

    def __init__(self, file: str, line: int, col: int, key: str, **values):
        self.file, self.line, self.col, self.key, self.values = file, line, col, key, values
        super().__init__(self.message())

    def message(self, lang: str = "en") -> str:
        zh = lang == "zh"
        said = WORDS[self.key][zh].format(**self.values)
        rule = "" if self.key in ("unreadable", "nothing") else ("；" if zh else "; ") + ALLOWED[zh]
        return f"{self.file}:{self.line}:{self.col}: {said}{rule}"


def read_snippet(path: Path) -> tuple[str, dict[str, float]]:
    """The statements (`name = expr; …`, the output last) and the leaves' values of a snippet."""
    file = str(path)
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise SnippetError(file, 1, 1, "unreadable", why=f"more than {MAX_BYTES} bytes")
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise SnippetError(file, 1, 1, "unreadable", why=getattr(err, "strerror", None) or err) from None
    try:
        tree = ast.parse(text, filename=file)  # parsed only: never compiled to code, never run
    except SyntaxError as err:
        raise SnippetError(file, err.lineno or 1, err.offset or 1, "syntax", why=err.msg) from None
    except (RecursionError, MemoryError, ValueError):
        raise SnippetError(file, 1, 1, "syntax", why="nested too deeply") from None
    return _Reader(file, text).read(tree)


class _Reader:
    def __init__(self, file: str, text: str):
        self.file, self.text = file, text
        self.values: dict[str, float] = {}
        self.statements: list[tuple[str, str]] = []  # (unique name, expression)
        self.current: dict[str, str] = {}  # a Python name -> the unique name of its binding now
        self.output: str | None = None

    def refuse(self, node, key: str, **values):
        raise SnippetError(self.file, node.lineno, node.col_offset + 1, key, **values)

    def read(self, tree: ast.Module) -> tuple[str, dict[str, float]]:
        bound = Counter(t.id for s in tree.body if type(s) is ast.Assign for t in s.targets if type(t) is ast.Name)
        taken = set(bound)
        self.seen: Counter = Counter()
        self.unique = {}
        for name, count in bound.items():  # earlier bindings of a rebound name: name_1, name_2…
            self.unique[name] = [_fresh(f"{name}_{k}", taken) for k in range(1, count)] + [name]
        for statement in tree.body:
            self.statement(statement)
        if not self.statements:
            raise SnippetError(self.file, 1, 1, "nothing")
        out = self.output or self.statements[-1][0]
        needed, kept = {out}, []
        for name, text in reversed(self.statements):  # what backward() reaches
            if name in needed:
                needed |= set(_NAME.findall(text))
                kept.append(f"{name} = {text}")
        values = {n: v for n, v in self.values.items() if n in needed}
        return "; ".join(reversed(kept)), values

    def statement(self, s) -> None:
        t = type(s)
        if t is ast.ImportFrom and [a.name for a in s.names] == ["Value"] and not any(a.asname for a in s.names):
            return
        if t is ast.Expr and _method_call(s.value, "backward") and type(s.value.func.value) is ast.Name:
            self.output = self.name(s.value.func.value)
            return
        if t is ast.Assign and len(s.targets) == 1:
            target = s.targets[0]
            if type(target) is ast.Attribute and target.attr == "label" and type(target.value) is ast.Name:
                self.name(target.value)
                return
            if type(target) is ast.Name:
                self.assign(target, s.value)
                return
        self.refuse(s, "unsupported", what=_what(s, self.text))

    def assign(self, target: ast.Name, value) -> None:
        if target.id in RESERVED or not _NAME.fullmatch(target.id):
            self.refuse(target, "reserved", name=target.id)
        if type(value) is ast.Call and type(value.func) is ast.Name and value.func.id == "Value":
            number = self.number(value)
            name = self.bind(target.id)
            self.values[name] = number
            return
        text = self.expr(value)
        self.statements.append((self.bind(target.id), text))

    def bind(self, name: str) -> str:
        unique = self.unique[name][self.seen[name]]
        self.seen[name] += 1
        self.current[name] = unique
        return unique

    def number(self, call: ast.Call) -> float:
        if len(call.args) != 1 or any(k.arg not in ("label", "_op", "_children") for k in call.keywords):
            self.refuse(call, "value")
        arg = call.args[0]
        sign = 1
        if type(arg) is ast.UnaryOp and type(arg.op) in (ast.USub, ast.UAdd):
            sign, arg = (-1 if type(arg.op) is ast.USub else 1), arg.operand
        if type(arg) is not ast.Constant or type(arg.value) not in (int, float):
            self.refuse(call, "value")
        return sign * float(arg.value)

    def name(self, node: ast.Name) -> str:
        if node.id not in self.current:
            self.refuse(node, "unknown", name=node.id)
        return self.current[node.id]

    def expr(self, node) -> str:
        t = type(node)
        if t is ast.Name:
            return self.name(node)
        if t is ast.Constant and type(node.value) in (int, float):
            return repr(node.value)
        if t is ast.BinOp and type(node.op) in _OPS:
            return f"({self.expr(node.left)} {_OPS[type(node.op)]} {self.expr(node.right)})"
        if t is ast.UnaryOp and type(node.op) in (ast.USub, ast.UAdd):
            return f"({'-' if type(node.op) is ast.USub else '+'}{self.expr(node.operand)})"
        if any(_method_call(node, m) for m in METHODS):
            return f"{node.func.attr}({self.expr(node.func.value)})"
        if t is ast.Call and type(node.func) is ast.Name and node.func.id == "Value":
            self.refuse(node, "value")
        self.refuse(node, "unsupported", what=_what(node, self.text))


def _method_call(node, method: str) -> bool:
    return (type(node) is ast.Call and type(node.func) is ast.Attribute and node.func.attr == method
            and not node.args and not node.keywords)


def _fresh(name: str, taken: set) -> str:
    while name in taken:
        name += "_"
    taken.add(name)
    return name


def _what(node, text: str) -> str:
    """The refused piece of Python as written (its first line, at most 40 characters), quoted."""
    code = (ast.get_source_segment(text, node) or type(node).__name__).splitlines()[0]
    return f"`{code[:39]}…`" if len(code) > 40 else f"`{code}`"

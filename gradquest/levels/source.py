"""Reading a level file safely, remembering where every value is.

`read_yaml(path)` gives the data and its `Positions`: for each path in the data (a tuple of keys
and list indices, `("steps", 3, "hints", 0)`) the 1-based (line, column) of the value, of its key
in a mapping (`Positions.keys_at`) and, for scalars, where each character of the text sits
(`Positions.texts`), so that an error in an expression can point at its column in the file.

Level files come from anyone, so reading refuses before it works hard: more than `MAX_BYTES`,
bytes that are not UTF-8, control characters, anchors and aliases (no billion laughs), tags other
than YAML's core ones (no `!!python/...`), nesting deeper than `MAX_DEPTH`, more than `MAX_VALUES`.
Only PyYAML's safe machinery runs: libyaml's parser when PyYAML has it (else the pure-Python one),
the Python composer with those refusals, `SafeConstructor` on the very node tree that gave the
positions. Every refusal is a `LevelError` with file:line:column, gathered in `LevelErrors`.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass
from pathlib import Path

import yaml

from gradquest.levels.untrusted import clean, unsafe

__all__ = ["LevelError", "LevelErrors", "Positions", "read_yaml", "position_of", "text_position", "dotted",
           "MAX_BYTES", "MAX_DEPTH", "MAX_VALUES"]

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 100
MAX_VALUES = 50_000  # a level is small; this keeps the Python composer's work within a second
MAX_NUMBER_CHARS = 100  # Python refuses to convert ints of more than 4300 digits, slowly

USE_LIBYAML = getattr(yaml, "__with_libyaml__", False)  # tests switch it off to try the pure-Python parser
_CORE = "tag:yaml.org,2002:"
_CORE_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map")} | {"!"}
# Tabs, newlines and CR pass; NEL and U+2028/9 are line breaks to YAML but not to editors, so the
# line numbers would disagree.
_BOOL = re.compile("^(?:true|True|TRUE|false|False|FALSE)$")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass
class LevelError(Exception):
    """One problem in a level file, at a 1-based line and column."""
    file: str
    line: int
    column: int
    field: str
    message: str
    hint: str | None = None

    __hash__ = Exception.__hash__

    def __post_init__(self):
        self.args = (self.file, self.line, self.column, self.field, self.message, self.hint)

    def __str__(self) -> str:
        """`file:line:column: field: message (hint)`, through the gate: a file name or a quoted
        text may hold control characters."""
        where = f"{self.file}:{self.line}:{self.column}: "
        text = f"{where}{self.field}: {self.message}" if self.field else where + self.message
        return clean(f"{text} ({self.hint})" if self.hint else text)


class LevelErrors(Exception):
    """All the problems found in one or more files."""

    def __init__(self, errors: list[LevelError]):
        self.errors = sorted(errors, key=lambda e: (e.file, e.line, e.column))
        super().__init__("\n".join(map(str, self.errors)))

    def __reduce__(self):
        return LevelErrors, (self.errors,)


class Positions(dict):
    """path → (line, column) of the value there; `keys_at[path]` → of its key in the mapping;
    `texts[path]` → segments (index in the text, line, column) of a scalar's characters."""

    def __init__(self):
        super().__init__()
        self.keys_at: dict[tuple, tuple[int, int]] = {}
        self.texts: dict[tuple, list[tuple[int, int, int]]] = {}


class _Refused(yaml.MarkedYAMLError):
    def __init__(self, mark, problem: str, hint: str | None = None):
        super().__init__(problem=problem, problem_mark=mark)
        self.hint = hint


_FLOAT_1_2 = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)[eE][-+]?[0-9]+$")


class _Refusing:
    """The safe loader's composer, minus anchors, aliases, non-core tags, unbounded nesting or
    size, and the implicit types that surprise authors (a date stays a string; `<<` and `=` are
    plain keys)."""

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag in _CORE_TAGS - {_CORE + "bool"}]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    for first in "tTfF":  # YAML 1.2's booleans: `yes`, `no`, `on` and `off` stay text
        yaml_implicit_resolvers[first].insert(0, (_CORE + "bool", _BOOL))
    for first in "-+0123456789.":  # YAML 1.2's floats: `1e-4` is a number (YAML 1.1 wants `1.0e-4`)
        yaml_implicit_resolvers.setdefault(first, []).append((_CORE + "float", _FLOAT_1_2))
    del first
    depth = count = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            raise _Refused(event.start_mark, "anchors and aliases are not allowed in level files",
                           "write the value out in full where it is needed")
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _CORE_TAGS:
            shown = "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag
            raise _Refused(event.start_mark, f"the tag {shown} is not allowed in level files",
                           "remove it: level files hold plain text, numbers, lists and mappings")
        self.depth, self.count = self.depth + 1, self.count + 1
        if self.depth > MAX_DEPTH:
            raise _Refused(event.start_mark, f"the data is nested more than {MAX_DEPTH} levels deep")
        if self.count > MAX_VALUES:
            raise _Refused(event.start_mark, f"the file holds more than {MAX_VALUES:,} values")
        node = super().compose_node(parent, index)
        self.depth -= 1
        return node


class _Loader(_Refusing, yaml.SafeLoader):
    """Pure Python all the way."""


if USE_LIBYAML:
    from yaml.cyaml import CParser

    class _FastLoader(_Refusing, yaml.composer.Composer, CParser, yaml.constructor.SafeConstructor,
                      yaml.resolver.Resolver):
        """libyaml's parser (about 25 times faster) under the same Python composer and safe
        constructor."""

        def __init__(self, text: str):
            CParser.__init__(self, text)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)


def _line_col(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def _at(mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def _decode(raw: bytes, file: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line_start = raw.rfind(b"\n", 0, err.start) + 1
        line, column = raw.count(b"\n", 0, err.start) + 1, len(raw[line_start:err.start].decode()) + 1
        raise LevelErrors([LevelError(file, line, column, "",
                                      f"the file is not UTF-8: byte 0x{raw[err.start]:02X} cannot be read",
                                      "save the file with the UTF-8 encoding")]) from None
    bad = _CONTROL.search(text)
    if bad:
        line, column = _line_col(text, bad.start())
        raise LevelErrors([LevelError(file, line, column, "",
                                      f"the control character U+{ord(bad.group()):04X} is not allowed",
                                      "remove it: only tab, newline and carriage return may appear")])
    return text.removeprefix("\ufeff")


def _read_bytes(path: Path, file: str) -> bytes:
    def refuse(message, hint=None):
        return LevelErrors([LevelError(file, 1, 1, "", message, hint)])

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise refuse("not a regular file")
        if info.st_size > MAX_BYTES:
            raise refuse(f"the file is {info.st_size:,} bytes, more than the limit of {MAX_BYTES:,} bytes (1 MB)",
                         "split it into several levels")
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as err:
        raise refuse(f"cannot read the file: {err.strerror or err}") from None
    if len(raw) > MAX_BYTES:  # it grew since stat()
        raise refuse(f"the file is more than the limit of {MAX_BYTES:,} bytes (1 MB)")
    return raw


def _segments(node: yaml.ScalarNode, lines: list[str]) -> list[tuple[int, int, int]]:
    """Where the characters of a scalar's text are: (index in the text, line, column) per piece."""
    start, end = node.start_mark, node.end_mark
    quoted = node.style in ("'", '"')  # libyaml says '' for plain, Python None
    if node.style in ("|", ">"):
        return []
    if start.line == end.line:
        return [(0, start.line + 1, start.column + 1 + quoted)]
    if quoted:
        return []  # a quoted text over several lines: its start is close enough
    segments, index, blanks = [], 0, 0
    for ln in range(start.line, end.line + 1):  # a plain text folds each line break into a space
        piece = lines[ln][:end.column] if ln == end.line else lines[ln]
        begin = start.column if ln == start.line else len(piece) - len(piece.lstrip(" \t"))
        content = piece[begin:].rstrip(" \t\r")
        if not content:
            blanks += 1
            continue
        if segments:
            index += blanks or 1
        segments.append((index, ln + 1, begin + 1))
        index, blanks = index + len(content), 0
    return segments if index == len(node.value) else []


def _check_number(node: yaml.ScalarNode):
    if node.tag in (_CORE + "int", _CORE + "float") and len(node.value) > MAX_NUMBER_CHARS:
        raise _Refused(node.start_mark, f"a number of {len(node.value)} characters is too long")


def _check_text(node: yaml.ScalarNode, path: tuple, errors: list, file: str):
    """A text (or key) holding a control character, once YAML's escapes (`"\\e"`, `"\\x9b"`) are
    read: refused, as in the file's bytes, since a terminal would obey it (see `untrusted`)."""
    bad = unsafe(node.value)
    if bad is not None:
        kind = "control character" if bad < "\xa0" else "invisible formatting character"
        errors.append(LevelError(file, *_at(node.start_mark), dotted(path),
                                 f"the {kind} U+{ord(bad):04X} is not allowed in a text",
                                 "remove it: a YAML escape such as \\e or \\x1b writes one"))


def _record(loader, node, path: tuple, positions: Positions, lines: list[str], errors: list, file: str):
    """Note where `node` and everything under it are; refuse overlong numbers and control
    characters, gather duplicate keys."""
    positions[path] = _at(node.start_mark)
    if isinstance(node, yaml.ScalarNode):
        _check_number(node)
        _check_text(node, path, errors, file)
        positions.texts[path] = _segments(node, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            _record(loader, child, path + (i,), positions, lines, errors, file)
    else:
        first_line = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue  # the constructor refuses a list or mapping as a key
            _check_number(key_node)
            key = loader.construct_object(key_node)
            _check_text(key_node, path + (key,), errors, file)
            line, column = _at(key_node.start_mark)
            if key in first_line:
                errors.append(LevelError(file, line, column, dotted(path + (key,)),
                                         f"duplicate key '{key}' (first at line {first_line[key]})",
                                         "keep one of them"))
            first_line.setdefault(key, line)
            positions.keys_at[path + (key,)] = (line, column)
            _record(loader, value_node, path + (key,), positions, lines, errors, file)


_KEY_LINE = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z_][\w.-]*)\s*:(?:\s|$)")


def _field_before(text: str, line: int) -> tuple[str, int, int] | None:
    """The last `key:` written before `line` (1-based): (key, its line, its indentation)."""
    lines = text.split("\n")
    for n in range(min(line - 1, len(lines)) - 1, -1, -1):
        m = _KEY_LINE.match(lines[n])
        if m:
            return m.group(2), n + 1, len(m.group(1))
    return None


def _indentation(text: str, line: int) -> int:
    lines = text.split("\n")
    row = lines[line - 1] if 0 < line <= len(lines) else ""
    return len(row) - len(row.lstrip(" "))


def _plain_yaml(err, text: str, file: str) -> LevelError | None:
    """The YAML mistakes authors make most, in words that say what to do."""
    problem, mark = err.problem or "", err.problem_mark
    if mark is None:
        return None
    line, column = _at(mark)
    if "'\\t'" in problem or "\t" in problem:
        return LevelError(file, line, column, "", "a tab character: YAML indents with spaces only",
                          "replace the tab with spaces")
    if problem.startswith("mapping values are not allowed"):
        return LevelError(file, line, column, "", "a ': ' inside a text that is not in quotes reads as a new key",
                          "put the whole text in quotes, or write the colon without a space after it")
    if "expected ':'" in problem and err.context_mark is not None:  # the line read as a key is the context's
        line, column = _at(err.context_mark)
    before = _field_before(text, line)
    if before is None:
        return None
    key, key_line, key_indent = before
    if "expected <block end>" in problem or "expected ':'" in problem and err.context == "while scanning a simple key":
        here = _indentation(text, line)
        if "expected ':'" in problem:
            return LevelError(file, line, column, "", f"this line is read as a new key but has no ':' (after "
                              f"`{key}:` at line {key_line})",
                              f"if it continues the text of `{key}`, indent it more than `{key}` (by more than "
                              f"{key_indent} spaces) or put the whole text in quotes")
        return LevelError(file, line, column, "", f"line {line} is indented by {here} spaces, which matches none of "
                          f"the fields above it (the last is `{key}:` at line {key_line}, indented by {key_indent})",
                          f"indent it like the other items of `{key}`, or like the key it belongs to")
    return None


def _yaml_error(err: yaml.YAMLError, text: str, file: str) -> LevelError:
    if isinstance(err, yaml.MarkedYAMLError) and (err.problem_mark or err.context_mark):
        plain = _plain_yaml(err, text, file)
        if plain is not None:
            return plain
        mark = err.problem_mark or err.context_mark
        hint, message = getattr(err, "hint", None), err.problem or err.context or "invalid YAML"
        if err.context and err.context_mark:
            line, column = _at(err.context_mark)
            hint = f"{err.context} at line {line}, column {column}"
            if message.startswith("but "):  # "but found another document": say what was expected
                message, hint = f"{err.context}, {message}", f"see line {line}, column {column}"
        return LevelError(file, *_at(mark), "", message, hint)
    if isinstance(err, yaml.reader.ReaderError):
        return LevelError(file, *_line_col(text, err.position), "",
                          f"the character U+{err.character:04X} is not allowed" if isinstance(err.character, int)
                          else str(err))
    return LevelError(file, 1, 1, "", str(err))


def read_yaml(path) -> tuple[object, Positions]:
    """The data of a YAML level file (a mapping) and the positions of its values."""
    path, file = Path(path), str(path)
    text = _decode(_read_bytes(path, file), file)
    if not USE_LIBYAML:
        return _compose(text, file, _Loader)
    try:
        return _compose(text, file, _FastLoader)
    except LevelErrors as refused:
        if not getattr(refused, "from_yaml", False):
            raise
    # libyaml refused the text. Its scanner reads ahead (it stops a deep nesting before our own
    # limit sees it) and words its errors its own way: the pure-Python parser, which stops at the
    # same place, gives the same message whichever build of PyYAML is installed.
    return _compose(text, file, _Loader)


def _compose(text: str, file: str, loader_class) -> tuple[object, Positions]:
    positions, errors = Positions(), []
    try:
        loader = loader_class(text)
    except yaml.YAMLError as err:  # a character YAML refuses, found while reading the text
        raise _from_yaml(_yaml_error(err, text, file)) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise LevelErrors([LevelError(file, 1, 1, "", "the file is empty",
                                          "a level starts with `format_version: 1`")])
        if not isinstance(node, yaml.MappingNode):
            found = "a list" if isinstance(node, yaml.SequenceNode) else f"'{node.value[:40]}'"
            raise LevelErrors([LevelError(file, *_at(node.start_mark), "",
                                          f"the file must be a mapping of keys to values, found {found}",
                                          "write `key: value` lines, like `format_version: 1`")])
        _record(loader, node, (), positions, text.split("\n"), errors, file)
        if errors:
            raise LevelErrors(errors)
        data = loader.construct_document(node)
    except yaml.YAMLError as err:
        raise _from_yaml(_yaml_error(err, text, file), by_us=isinstance(err, _Refused)) from None
    finally:
        loader.dispose()
    return data, positions


def _from_yaml(error: LevelError, by_us: bool = False) -> LevelErrors:
    errors = LevelErrors([error])
    errors.from_yaml = not by_us  # refused by YAML itself, not by one of our own limits
    return errors


def undotted(field: str) -> tuple:
    """`steps[3].iterate.steps[0]` → ("steps", 3, "iterate", "steps", 0): `dotted` read back."""
    return tuple(int(index) if index else name
                 for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", field))


def located(file: str, positions: "Positions", field: str, message: str, hint: str | None = None) -> LevelError:
    """A problem found after loading (computing the model, linting) placed at its field's line."""
    return LevelError(file, *position_of(positions, undotted(field)), field, message, hint)


def dotted(path: tuple) -> str:
    """A path as authors write it: `steps[3].hints[0]`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and part.isidentifier():
            out += f".{part}" if out else part
        else:
            out += f"[{part!r}]"
    return out


def position_of(positions: Positions, loc, *, key: bool = False) -> tuple[int, int]:
    """The position of the value at `loc` (a path or a pydantic error loc), or of its nearest known
    ancestor: elements of `loc` that are not in the data (a union's tag) are skipped. With `key`,
    the position of the key in its mapping when `loc` names one."""
    path, best = (), positions.get((), (1, 1))
    for element in loc:
        if path + (element,) in positions:
            path += (element,)
            best = positions[path]
    if key and path and path[-1] == (loc[-1] if loc else None) and path in positions.keys_at:
        return positions.keys_at[path]
    return best


def text_position(positions: Positions, path: tuple, column: int) -> tuple[int, int]:
    """Where in the file the `column`-th character (1-based) of the text at `path` is."""
    segments = positions.texts.get(path)
    if not segments:
        return position_of(positions, path)
    index, line, start = max((s for s in segments if s[0] <= column - 1), default=segments[0])
    return line, start + column - 1 - index

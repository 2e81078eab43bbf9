"""The `gradquest` command: play, and the author's tools (check, solve, test, new, list)."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from gradquest import __version__

EXAMPLES = """\
examples:
  gradquest                         open the chapter map
  gradquest play 2.9                play one level: its number or id from `gradquest list`
                                    (2.9 is backprop.two-paths), or a YAML file
  gradquest check my-levels/        validate and lint level files (every problem, file:line:column)
  gradquest check --watch my-levels/  check again on every save
  gradquest play my-level.yaml --watch  play it, reloading on every save
  gradquest solve my-level.yaml     print the answer key the engine computed
  gradquest test my-levels/ --junit report.xml
  gradquest new my.first-level      write a commented starter level
  gradquest list                    the bundled levels
  gradquest explore "tanh(w*x + b)" w=0.5 x=2    any expression as a level: forward, then backward
  gradquest explore "d = a*b + c; L = d*f" --save my-level.yaml   (names without a value are drawn)
  gradquest explore --file snippet.py  a micrograd snippet (Value, + - * / **, tanh exp log relu)
  gradquest practice                a round of ~10 asks on the rules you have not mastered (line by line)
"""


INTERNAL_ERROR = "gradquest: internal error"


def default_lang() -> str:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def seed_arg(text: str) -> int:
    """`--seed N`: a whole number from 0 up (the draws of a randomised level)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"{text} is out of range: give a whole number from 0 up")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gradquest",
        description="Learn backpropagation and gradient descent by doing the arithmetic.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"gradquest {__version__}")
    parser.add_argument("--lang", choices=("en", "zh"), default=None,
                        help="language of the game (default: the last one chosen in the game, else the locale)")
    parser.add_argument("--plain", action="store_true",
                        help="play line by line, without the full-screen interface (also when output is not a terminal)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = sub.add_parser("play", help="play one level: a bundled level's number or id (2.9), or a YAML file")
    play.add_argument("level", help="a level's number or id (see `gradquest list`: 2.9, backprop.two-paths) or a level file")
    play.add_argument("--seed", type=seed_arg, default=None, help="seed for a randomised level")
    play.add_argument("--plain", action="store_true", default=argparse.SUPPRESS,
                      help="line by line, without the full-screen interface")
    play.add_argument("--watch", action="store_true",
                      help="reload the level each time its file is saved (full screen only; as Ctrl+R)")

    check = sub.add_parser("check", help="validate and lint level files; errors as file:line:column")
    check.add_argument("paths", nargs="+", help="level files or folders, or bundled levels' numbers or ids")
    check.add_argument("--bundled", action="store_true",
                       help="apply the bundled pack's rules too (English and Chinese, a source)")
    check.add_argument("--watch", action="store_true",
                       help="check again each time a level file is saved (Ctrl+C stops)")

    solve = sub.add_parser("solve", help="the answer key: every step with the engine's answer")
    solve.add_argument("level", help="a level's number or id (see `gradquest list`) or a level file")
    solve.add_argument("--seed", type=seed_arg, default=None, help="seed for a randomised level")

    test = sub.add_parser("test", help="headless playthroughs; exit code 1 on any failure")
    test.add_argument("paths", nargs="*", help="level files or folders, or bundled levels' numbers or ids "
                      "(default: all the bundled levels)")
    test.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report to FILE")

    new = sub.add_parser("new", help="write a commented starter level that passes check and test")
    new.add_argument("id", help="the new level's id, e.g. my.first-level")
    new.add_argument("--dir", default=".", help="the folder to write it in (default: here)")

    listing = sub.add_parser("list", help="the levels found, with chapter, id and title")
    listing.add_argument("paths", nargs="*", help="more level files or folders to list")
    listing.add_argument("--sources", action="store_true", help="also each level's source (for authors)")
    explore = sub.add_parser("explore", help="any expression (or a micrograd snippet) as a level, node by node")
    explore.add_argument("expr", nargs="*", metavar="EXPR [NAME=VALUE ...]",
                         help="statements like \"L = (a*b + c)*f\" (several by ';'), then values like a=2")
    explore.add_argument("--file", metavar="SNIPPET.py", help="read a micrograd-style snippet instead")
    explore.add_argument("--seed", type=seed_arg, default=None, help="seed for the values drawn for names without one")
    explore.add_argument("--save", metavar="FILE.yaml", help="also write the exercise as a level file (check, test, play it)")
    explore.add_argument("--plain", action="store_true", default=argparse.SUPPRESS,
                         help="line by line, without the full-screen interface")
    practice = sub.add_parser("practice", help="a round of about ten asks on the rules you have not mastered")
    practice.add_argument("--seed", type=seed_arg, default=None, help="seed for the round's expressions and values")
    add_classroom_commands(sub)
    return parser


def add_classroom_commands(sub) -> None:
    """`report` and `serve`: the classroom (docs/classroom.md)."""
    report = sub.add_parser("report", help="a class's report: per ask (named by its question), right at the first "
                            "try, slips; per student")
    report.add_argument("klass", metavar="CLASS", help="the class folder (as given to `gradquest serve --class`)")
    report.add_argument("--db", metavar="URL", help="the class's PostgreSQL database (as given to `gradquest serve --db`)")
    report.add_argument("--levels", metavar="DIR", help="the class's own levels folder (as given to `gradquest serve "
                        "--levels`), to name each ask by its question; the bundled levels are always looked in")
    shape = report.add_mutually_exclusive_group()
    for form, what in (("csv", "a gradebook CSV (Student Name, Student ID, a column per level)"),
                       ("json", "JSON"), ("html", "one static HTML page with charts")):
        shape.add_argument(f"--{form}", dest="form", action="store_const", const=form, help=what)
    serve = sub.add_parser("serve", help="serve the game to a class in the browser (a login, then each student's game)")
    serve.add_argument("--class", dest="klass", metavar="DIR", required=True,
                       help="the class folder: its store (class.sqlite3) and each student's progress")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="the port (default 8000)")
    serve.add_argument("--levels", metavar="DIR", help="the class's own levels folder (default: the bundled levels)")
    serve.add_argument("--code", help="set the class code students log in with (kept hashed; or GRADQUEST_CLASS_CODE)")
    serve.add_argument("--max-students", type=int, default=40, help="the most games running at once (default 40)")
    serve.add_argument("--idle", type=float, default=30, help="end a tab idle this many minutes (default 30)")
    serve.add_argument("--db", metavar="URL", help="keep the class store in PostgreSQL (postgresql://user@host/db), "
                       "shared by several machines serving one class (default: the class folder's SQLite file)")


def main(argv: list[str] | None = None) -> int:
    from gradquest.model.errors import ModelError, debug_traceback
    from gradquest.terminal import safe_streams

    safe_streams()  # an ASCII rendering where the output's encoding cannot show a character
    args = build_parser().parse_args(argv)
    lang = args.lang or default_lang()
    command = args.command or "map"
    try:
        return COMMANDS[command](args, lang)
    except _Located as err:  # a level that loads but cannot be computed (NaN at the start…)
        print(err, file=sys.stderr)
        return 1
    except ModelError as err:
        print(f"{err.field}: {err.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:  # noqa: BLE001 (no traceback ever reaches a person; the tests look for this line)
        debug_traceback(err)  # ... unless GRADQUEST_DEBUG=1 asks for it
        print(f"{INTERNAL_ERROR}: {type(err).__name__}: {err}. This is a bug in GradQuest, not in your "
              "level: please report it with the command you ran.", file=sys.stderr)
        return 70


# ---- author commands

def cmd_check(args, lang: str) -> int:
    """Every problem of every file in one run, sorted by file and line: the file's own (YAML,
    schema, names, references), then what playing it shows (lint, the level's own tests).
    With --watch: again after every save, until Ctrl+C."""
    if getattr(args, "watch", False):
        from gradquest.author.watch import watch
        from gradquest.levels.discover import find_chapter_files, find_level_files

        def again():
            print(f"\n— {time.strftime('%H:%M:%S')} —", flush=True)
            _check_all(args)
            print("(watching for saves; Ctrl+C stops)", flush=True)

        watch(lambda: find_chapter_files(args.paths) + find_level_files(args.paths), again)
        return 0
    return _check_all(args)


def _check_all(args) -> int:
    from gradquest.author.chapters import chapter_problems
    from gradquest.levels.discover import bundled_levels_dir, find_chapter_files, find_level_files

    paths = level_paths(args.paths)
    if paths is None:
        return 1
    chapters, files = find_chapter_files(paths), find_level_files(paths)
    if not files and not chapters:
        print("no level files found in: " + " ".join(args.paths), file=sys.stderr)
        return 1
    import gradquest.author.lint  # noqa: F401 (imported before the first file's clock starts)

    bundled_root = bundled_levels_dir().resolve()
    first: dict[str, str] = {}
    total = 0
    for path in chapters + files:
        with progress(f"checking {path}"):
            if path in chapters:
                problems = chapter_problems(path, bundled=args.bundled or bundled_root in path.resolve().parents)
            else:
                problems = _check_one(path, args, first, bundled_root)
        problems.sort(key=lambda e: (e.line, e.column))
        for problem in dict.fromkeys(str(p) for p in problems):
            print(problem)
        total += len(problems)
    checked = len(files) + len(chapters)
    print(f"{checked} file{'s' * (checked != 1)} checked, {total} problem{'s' * (total != 1)}")
    return 1 if total else 0


def _check_one(path, args, first: dict, bundled_root) -> list:
    """Every problem of one file (see `cmd_check`)."""
    from gradquest.author.lint import lint
    from gradquest.author.playtest import author_tests
    from gradquest.levels.load import examine
    from gradquest.levels.source import LevelError, position_of
    from gradquest.levels.source import located as placed

    seen = examine(path)
    problems = list(seen.errors)
    item = seen.item
    if item is not None:
        if item.level.id in first and not problems:
            problems.append(LevelError(str(path), *position_of(item.positions, ("id",)), "id",
                                       f"the id '{item.level.id}' is already used by {first[item.level.id]}",
                                       "give each level its own id"))
        first.setdefault(item.level.id, str(path))
        bundled = args.bundled or bundled_root in item.path.resolve().parents
        problems += [placed(str(path), item.positions, f.field, f.message)
                     for f in lint(item.level, bundled=bundled)]
        problems += [placed(str(path), item.positions, field, f"the level's test: {message}")
                     for field, message in author_tests(item.level, seen.broken_tests)]
    return problems


def cmd_solve(args, lang: str) -> int:
    from gradquest.author.answer_key import answer_key
    from gradquest.levels.schema import text

    item = resolve_level(args.level)
    if item is None:
        return 1
    level = item.level
    seed = args.seed if args.seed is not None else level.model.seed
    print(f"{level.id} · {text(level.title, lang)}" + (f" · --seed {seed}" if level.randomised else ""))
    if level.randomised and args.seed is None and "seed" not in level.model.model_fields_set:
        print(f"(a randomised level: these are the draws of --seed {seed}; `gradquest play` draws anew each time "
              "and prints the seed it drew)")
    with located(item):
        for n, entry in enumerate(answer_key(level, seed=args.seed, lang=lang), start=1):
            print(f"\n{n}. [{entry.path}] {entry.prompt}")
            print(f"   answer: {entry.answer}" + (f"   (shown as {entry.shown})" if entry.shown != entry.answer else ""))
            if entry.accepted:
                print(f"   accepted: {entry.accepted}")
            for line in entry.working:
                print(f"   · {line}")
    if level.notes:
        from gradquest.game.messages import say

        print(f"\n{say('notes.title', lang)}{'：' if lang == 'zh' else ':'}\n{text(level.notes, lang).strip()}")
    if level.source:  # for the teacher: where the level comes from, what it corrects there
        print(f"\nSource:\n{level.source.strip()}")
    return 0


def cmd_test(args, lang: str) -> int:
    from gradquest.author.playtest import Result, playtest
    from gradquest.levels.discover import bundled_levels_dir, find_level_files
    from gradquest.levels.load import load_levels

    paths = level_paths(args.paths) if args.paths else [bundled_levels_dir()]
    if paths is None:
        return 1
    files = find_level_files(paths)
    loaded, errors = load_levels(files)
    results: list[tuple[Result, float, str]] = []
    by_file: dict[str, list[str]] = {}
    for e in errors:
        by_file.setdefault(e.file, []).append(str(e))
    for file, problems in by_file.items():
        results.append((Result(Path(file).name, problems), 0.0, file))
    for item in loaded:
        start = time.perf_counter()
        try:
            with progress(f"testing {item.path}"):
                result = playtest(item.level)
        except Exception as err:  # noqa: BLE001 (a crash in one level is that level's failure, not the run's)
            result = Result(item.level.id, [f"crashed: {type(err).__name__}: {err}"])
        results.append((result, time.perf_counter() - start, str(item.path)))
    for result, seconds, file in results:
        if result.passed:
            print(f"PASS {result.level_id}  ({result.checks} checks, {seconds:.2f} s)")
        else:
            print(f"FAIL {result.level_id}  ({file})")
            for failure in result.failures:
                print(f"     {failure}")
    passed = sum(r.passed for r, _, _ in results)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    if args.junit:
        try:
            write_junit(Path(args.junit), results)
        except OSError as err:
            print(f"cannot write the JUnit report {args.junit}: {err.strerror or err}", file=sys.stderr)
            return 1
    return 1 if failed or not results else 0


def write_junit(path: Path, results) -> None:
    """The results as JUnit XML; names and messages through the gate (XML cannot hold most control
    characters, and CI shows these on a terminal or a page)."""
    from xml.etree import ElementTree as ET

    from gradquest.levels.untrusted import clean

    suite = ET.Element("testsuite", name="gradquest", tests=str(len(results)),
                       failures=str(sum(not r.passed for r, _, _ in results)))
    for result, seconds, _ in results:
        case = ET.SubElement(suite, "testcase", classname="gradquest.levels", name=clean(result.level_id),
                             time=f"{seconds:.3f}")
        if not result.passed:
            failure = ET.SubElement(case, "failure", message=clean(result.failures[0]))
            failure.text = clean("\n".join(result.failures))
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)


def cmd_report(args, lang: str) -> int:
    import shutil

    from gradquest.classroom.report import as_csv, as_json, as_table, build
    from gradquest.store.class_db import StoreError
    from gradquest.store.class_store import FILE_NAME, ClassStore

    if not args.db and not (Path(args.klass) / FILE_NAME).is_file():
        print(f"gradquest: {args.klass} holds no class ({FILE_NAME} is not there)", file=sys.stderr)
        return 1
    try:
        store = ClassStore(args.klass, args.db)
        try:
            report = build(store, lang, Path(args.levels) if args.levels else None)
        finally:
            store.close()
    except StoreError as err:
        print(f"gradquest: {err}", file=sys.stderr)
        return 1
    if args.form == "html":
        from gradquest.classroom.report_page import as_html

        sys.stdout.write(as_html(report, lang))
    else:
        sys.stdout.write(as_csv(report) if args.form == "csv" else as_json(report) if args.form == "json"
                         else as_table(report, shutil.get_terminal_size((120, 24)).columns if sys.stdout.isatty() else None, lang))
    return 0


def cmd_serve(args, lang: str) -> int:
    from gradquest.classroom.serve import ServeRefused, serve
    from gradquest.store.class_db import StoreError

    try:
        serve(args.klass, args.host, args.port, args.levels, args.code, args.max_students, args.idle, args.db)
    except ServeRefused as err:
        print(f"gradquest: {err}", file=sys.stderr)
        return 2
    except StoreError as err:
        print(f"gradquest: {err}", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"gradquest: cannot serve on {args.host}:{args.port}: {err.strerror or err}", file=sys.stderr)
        return 1
    return 0


def cmd_new(args, lang: str) -> int:
    from gradquest.author.starter import StarterError, say, write_starter

    try:
        path = write_starter(args.id, Path(args.dir), lang)
    except StarterError as err:
        print(err, file=sys.stderr)
        return err.code
    print(say("wrote", lang, path=path))
    return 0


def cmd_list(args, lang: str) -> int:
    from gradquest.levels.discover import bundled_levels_dir, find_level_files
    from gradquest.levels.load import load_levels
    from gradquest.levels.schema import text

    loaded, errors = load_levels(find_level_files([bundled_levels_dir(), *args.paths]))
    rows = sorted(((i.level.chapter, i.level.order, i.level.id, text(i.level.title, lang), i.level.source or "")
                   for i in loaded))
    width = max((len(r[2]) for r in rows), default=2)
    for chapter, order, level_id, title, source in rows:
        print(f"{chapter:>2}.{order:<3} {level_id:<{width}}  {title}" + (f"  [{source}]" if source and args.sources else ""))
    for e in errors:
        print(e, file=sys.stderr)
    return 1 if errors else 0


# ---- playing

def _in_lines(args, lang: str) -> bool:
    """Play line by line: when asked, when output is not a terminal (no note), when the terminal
    is dumb or input is not a terminal (with a one-line note)."""
    from gradquest.terminal import NOTES, line_mode

    lines, why = line_mode(args.plain)
    if why:
        print(NOTES[why][lang == "zh"], file=sys.stderr)
    return lines


def cmd_map(args, lang: str) -> int:
    if _in_lines(args, lang):
        from gradquest.lineplay.player import play_chapters

        return play_chapters(lang)
    return _run_app(args, None)


def cmd_play(args, lang: str) -> int:
    from gradquest.store.progress import ProgressStore
    from gradquest.store.resume import seed_for

    item = resolve_level(args.level)
    if item is None:
        return 1
    seed = seed_for(item.level, ProgressStore().load(), args.seed)
    try:
        if _in_lines(args, lang):
            from gradquest.lineplay.player import play_level

            if args.watch:
                from gradquest.terminal import NOTES

                print(NOTES["watch"][lang == "zh"].format(file=args.level), file=sys.stderr)
            with located(item):
                return play_level(item.level, lang, seed=seed)
        return _run_app(args, item.path, seed)
    finally:
        if item.level.randomised and _is_file(args.level):  # the author's run: say how to see these numbers again
            drawn = item.level.model.seed if seed is None else seed
            print(f"[{item.path.name}] drawn with --seed {drawn}: `gradquest play {args.level} --seed {drawn}` "
                  f"plays these numbers again, `gradquest solve {args.level} --seed {drawn}` shows their answers",
                  file=sys.stderr)


def cmd_explore(args, lang: str) -> int:
    """Split the expression into a level, write it (to --save or a temporary folder) and play it
    as `play FILE` does. Full-screen, the game's first frame (the level's title and "Reading your
    expression…") comes before the level screen's imports, as the map's does; garbage collection
    is paused from here, as for any start of the game (`_run_app`)."""
    import tempfile

    gc.disable()
    try:
        from gradquest.author.explore import ExploreError, exploration, say, write_level

        try:
            explored = exploration(args.expr, args.file, args.seed)
            if args.save:
                write_level(explored, Path(args.save))
        except ExploreError as err:
            print(f"gradquest explore: {err.message(lang)}", file=sys.stderr)
            return 2
    finally:
        gc.enable()
    if explored.drawn:
        print(say("drawn", lang, seed=explored.seed, values=explored.listed(explored.drawn)), file=sys.stderr)
    if args.save:
        print(say("wrote", lang, path=args.save), file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="gradquest-explore-") as folder:
        path = Path(args.save) if args.save else write_level(explored, Path(folder) / "explore.yaml")
        args.level, args.watch = str(path), False
        if _in_lines(args, lang):
            args.plain = True  # said once
            return cmd_play(args, lang)
        return _run_app(args, path, opening=explored.level()["title"])


def cmd_practice(args, lang: str) -> int:
    """A round of practice, line by line (in any terminal), kept with the progress."""
    from gradquest.author.practice import practise
    from gradquest.lineplay.player import gated

    read, write = gated(input, print)
    return practise(lang, read, write, seed=args.seed)


def _is_file(name: str) -> bool:
    return Path(name).suffix in (".yaml", ".yml") or Path(name).exists()


def _run_app(args, level_file: Path | None, seed: int | None = None, opening: dict[str, str] | None = None) -> int:
    """The full-screen game. The language is --lang, else the one chosen in the game, else the locale's.

    No garbage collection until the first frame is drawn (the app turns it back on then): start-up
    builds tens of thousands of objects that live all session, and scanning them again and again
    was a tenth of the time to the first frame."""
    gc.disable()
    try:
        from gradquest.store.progress import ProgressStore
        from gradquest.tui.app import GradQuestApp

        store = ProgressStore()
        progress = store.load()  # read once: the app takes it
        lang = args.lang or progress.settings.get("lang") or default_lang()
        served = os.environ.get("GRADQUEST_LEVELS")  # a class's own levels (`gradquest serve --levels`)
        app = GradQuestApp(lang, level_file=level_file, seed=seed, store=store, watch=getattr(args, "watch", False),
                           progress=progress, levels_dir=Path(served) if served else None,
                           practice=practice_round, opening=opening)
        app.run()
    finally:
        gc.enable()  # when the app stopped before its first frame
    return app.return_code or 0  # 1 when the app stopped on an error


def practice_round(*args, **kwargs):
    """A practice round for the game's Practice row (`author.practice.Round`), imported only when one starts."""
    from gradquest.author.practice import Round

    return Round(*args, **kwargs)


def resolve_level(name: str):
    """A level from a file path, or from a bundled level's id."""
    from gradquest.levels.load import LevelErrors, load_level

    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists():
        try:
            item = load_level(path)
        except LevelErrors as exc:
            print(exc, file=sys.stderr)
            return None
        return _computable(item)
    found = bundled_level(name)
    if found is None:
        return None
    try:
        return _computable(load_level(found))
    except LevelErrors as exc:
        print(exc, file=sys.stderr)
        return None


def bundled_level(name: str) -> Path | None:
    """A bundled level's file by its id or its number (`2.9`, as `list` and the map show it); else
    one sentence naming the closest ones."""
    from gradquest.levels.catalog import find_bundled

    found, close = find_bundled(name)
    if found is None:
        maybe = f" (did you mean {' or '.join(close)}?)" if close else ""
        print(f"gradquest: no level '{name}'{maybe}: give a level file, or an id or a number from `gradquest list`",
              file=sys.stderr)
    return found


def level_paths(names: list[str]) -> list[Path] | None:
    """Files and folders as given; a name that is neither (no folder, no .yaml) is a bundled
    level's id or number. None (said on stderr) when such a name is unknown."""
    paths = []
    for name in names:
        path = Path(name)
        if path.exists() or path.suffix in (".yaml", ".yml") or len(path.parts) > 1:
            paths.append(path)
        elif (found := bundled_level(name)) is not None:
            paths.append(found)
        else:
            return None
    return paths


def _computable(item):
    """The level, if its model can be computed at the start; else say where it cannot."""
    from gradquest.model.world import ModelError, World

    try:
        World(item.level)
    except ModelError as err:
        print(where(item, err), file=sys.stderr)
        return None
    return item


def where(item, err) -> str:
    """A model error as `file:line:column: field: message`."""
    from gradquest.levels.source import located as placed

    return str(placed(str(item.path), item.positions, err.field, err.message))


@contextmanager
def located(item):
    """Within: a model error stops the command with its place in the level file."""
    from gradquest.model.errors import ModelError

    try:
        yield
    except ModelError as err:
        raise _Located(where(item, err)) from None


@contextmanager
def progress(what: str, after: float = 1.0, every: float = 5.0):
    """Within: if the work takes more than `after` seconds, say so on stderr, then every `every`
    seconds, so a long check or test is never silent."""
    import threading

    start, stop = time.perf_counter(), threading.Event()

    def tell():
        if stop.wait(after):
            return
        print(f"… {what}", file=sys.stderr, flush=True)
        while not stop.wait(every):
            print(f"… {what}: {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)

    thread = threading.Thread(target=tell, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


class _Located(Exception):
    """A message already placed in a file, to print as it is."""


COMMANDS = {"check": cmd_check, "solve": cmd_solve, "test": cmd_test, "new": cmd_new, "list": cmd_list,
            "play": cmd_play, "map": cmd_map, "explore": cmd_explore,
            "practice": cmd_practice, "report": cmd_report, "serve": cmd_serve}


if __name__ == "__main__":
    sys.exit(main())

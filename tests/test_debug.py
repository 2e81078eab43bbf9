"""GRADQUEST_DEBUG=1: the real traceback behind a bug of ours, which players only see as one line."""

import pytest

from gradquest.cli import INTERNAL_ERROR, main
from gradquest.model.errors import ModelError
from gradquest.game.session import LevelSession
from gradquest.levels.schema import Level

LEVEL = {"format_version": 1, "id": "demo.debug", "title": "Debug", "chapter": 1, "order": 1,
         "model": {"params": {"a": 2, "b": -3}, "nodes": {"e": "a*b"}}, "steps": [{"forward": "e"}]}


def broken(*args, **kwargs):
    raise RuntimeError("a bug of ours")


def run(monkeypatch, capsys, debug: bool, *args) -> tuple[int, str]:
    if debug:
        monkeypatch.setenv("GRADQUEST_DEBUG", "1")
    else:
        monkeypatch.delenv("GRADQUEST_DEBUG", raising=False)
    code = main(list(args))
    return code, capsys.readouterr().err


def test_an_internal_error_shows_its_traceback_only_when_debugging(monkeypatch, capsys):
    monkeypatch.setattr("gradquest.levels.load.load_levels", broken)
    code, said = run(monkeypatch, capsys, False, "list")
    assert code == 70 and len(said.strip().splitlines()) == 1 and said.startswith(INTERNAL_ERROR), said
    code, said = run(monkeypatch, capsys, True, "list")
    assert code == 70 and "Traceback" in said and 'cli.py", line' in said and "in cmd_list" in said
    assert said.rstrip().splitlines()[-1].startswith(INTERNAL_ERROR)


def test_a_bug_of_ours_blamed_on_a_step_shows_its_traceback_only_when_debugging(monkeypatch, capsys):
    monkeypatch.setattr("gradquest.game.session.expected_answer", broken)
    code, said = run(monkeypatch, capsys, False, "solve", "2.9")
    assert code == 1 and len(said.strip().splitlines()) == 1 and said.rstrip().endswith("steps[1]: a bug of ours"), said
    code, said = run(monkeypatch, capsys, True, "solve", "2.9")
    assert code == 1 and "Traceback" in said and 'session.py", line' in said and "in ask" in said
    assert "RuntimeError: a bug of ours" in said and said.rstrip().endswith("steps[1]: a bug of ours")


def test_the_model_error_keeps_the_error_behind_it(monkeypatch):
    monkeypatch.setattr("gradquest.game.session.expected_answer", broken)
    with pytest.raises(ModelError) as caught:
        LevelSession(Level.model_validate(LEVEL))
    assert caught.value.field == "steps[0]" and isinstance(caught.value.__cause__, RuntimeError)

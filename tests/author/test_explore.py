"""`gradquest explore`: any expression as a level, one node per operation, played and saved."""

import io
import math

import pytest

from gradquest.author.explore import MAX_DEPTH, MAX_NODES, ExploreError, explore
from gradquest.cli import main


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADQUEST_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_an_expression_is_split_into_one_node_per_operation():
    ex = explore("tanh(w*x + b)", {"w": 0.5, "x": 2, "b": 0.1})
    assert ex.nodes == {"t1": "w * x", "t2": "t1 + b", "out": "tanh(t2)"} and ex.output == "out"
    assert ex.backward == ["out", "t2", "b", "t1", "x", "w"] and ex.drawn == []
    local = 1 - math.tanh(1.1) ** 2
    assert ex.grads == pytest.approx({"out": 1, "t2": local, "b": local, "t1": local, "x": 0.5 * local, "w": 2 * local})


def test_statements_name_their_nodes_and_the_last_is_the_output():
    ex = explore("d = a*b + c; L = d*f", {"a": 2, "b": -3, "c": 10, "f": -2})
    assert ex.nodes == {"t1": "a * b", "d": "t1 + c", "L": "d * f"} and ex.output == "L"
    assert ex.values == {"t1": -6, "d": 4, "L": -8}
    assert ex.grads == {"L": 1, "f": 4, "d": -2, "c": -2, "t1": -2, "b": -4, "a": 6}
    again = explore("d = a*b + c", {"a": 2, "b": -3, "c": 10, "f": -2}, extra=["L = d*f"])
    assert again.nodes == ex.nodes  # statements may come as more arguments too


def test_constants_are_folded_and_a_reused_leaf_is_asked_once():
    ex = explore("b = a + a; 2*3*b*a", {"a": 1.5})
    assert ex.nodes == {"b": "a + a", "t1": "6 * b", "out": "t1 * a"}
    assert ex.backward == ["out", "t1", "b", "a"] and ex.grads["a"] == pytest.approx(24 * 1.5)


def test_names_without_a_value_are_drawn_again_with_the_same_seed_and_said():
    one, two = explore("L = log(a) * b", {"b": 2}, seed=7), explore("L = log(a) * b", {"b": 2}, seed=7)
    assert one.params == two.params and one.drawn == ["a"] and one.params["a"] > 0  # log needs a > 0: drawn again
    story = one.level()["story"]
    assert "--seed 7" in story["en"] and f"a = {one.params['a']}" in story["zh"] and "b = 2" in story["en"]


@pytest.mark.parametrize(("args", "says"), [
    (["L = (a*b + c*f"], "column 15: expected ',' or ')' to close the '(' at column 5"),
    (["d = a*b; d = c*2"], "d is given twice: 'd = a*b' and 'd = c*2'"),
    (["L = log(a) * b", "a=-1", "b=2"], "t1 = log(a) is undefined at these values (a = -1)"),
    (["q = a / b", "a=1", "b=0"], "q = a / b is undefined at these values (a = 1, b = 0)"),
    (["; ".join(f"y{i} = x{i}*2" for i in range(MAX_NODES)) + "; L = y0 + y1"], f"explore takes at most {MAX_NODES}"),
    (["tanh(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1)], f"explore takes at most {MAX_DEPTH} on one chain"),
    (["a*b", "a=1", "a=2"], "a is given two values"),
    (["a*b", "z=1"], "z is given a value but the expression does not use it"),
    (["L = d*2; d = a + 1"], "d is used in statement 1 before it is defined"),
    (["mean(a)"], "explore takes numbers only"),
    ([], "give an expression"),
])
def test_bad_input_is_one_clear_line(home, capsys, args, says):
    code, out, err = run(capsys, "--lang", "en", "explore", *args, "--plain")
    lines = err.strip().splitlines()
    assert code == 2 and out == "" and lines[0].startswith("gradquest explore: ") and says in lines[0]
    assert len(lines) == (3 if "column" in says else 1)  # a parse error: the statement and a caret under the column


def test_a_parse_error_puts_the_caret_under_its_column_in_the_whole_line(home, capsys):
    code, _, err = run(capsys, "explore", "d = a*b; L = d*)", "--plain")
    assert err.splitlines()[1:] == ["d = a*b; L = d*)", " " * 15 + "^"] and "statement 2: column 16" in err


def test_bad_input_is_said_in_chinese_too():
    err = explore_error("L = log(a)", {"a": -1})
    assert err.message("zh").startswith("L = log(a) 在这些值下没有定义") and "a = -1" in err.message("zh")


def explore_error(text, values) -> ExploreError:
    with pytest.raises(ExploreError) as info:
        explore(text, values)
    return info.value


def test_the_explored_level_is_played_with_the_same_referee(home, capsys, monkeypatch):
    typed = ["", "-6", "4", "-8", "", "4", "-2", "-2", "-2", "-4", "-3", "6", ""]  # ∂L/∂a = -3 drops the upstream
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(typed) + "\n"))
    code, out, _ = run(capsys, "--lang", "en", "explore", "L = (a*b + c)*f", "a=2", "b=-3", "c=10", "f=-2", "--plain")
    assert code == 0 and "== Explore: L = (a*b + c)*f ==" in out
    assert out.count("✓") == 9 and out.count("✗") == 1, out


def test_save_writes_a_level_that_passes_check_and_test(home, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    code, _, err = run(capsys, "explore", "tanh(w*x + b)", "w=0.5", "x=2", "--seed", "4", "--save", "mine.yaml", "--plain")
    assert code == 0 and "drawn with --seed 4: b = " in err and "wrote mine.yaml" in err
    assert run(capsys, "check", "mine.yaml")[1].strip() == "1 file checked, 0 problems"
    code, out, _ = run(capsys, "test", "mine.yaml")
    assert code == 0 and "1 passed, 0 failed" in out
    code, _, err = run(capsys, "explore", "tanh(w*x + b)", "--save", "mine.yaml", "--plain")
    assert code == 2 and "mine.yaml already exists" in err

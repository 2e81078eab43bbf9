"""The safe expression parser: what it accepts, what it refuses (fast, with a column), its backends."""

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gradquest.engine.parser import (
    _MESSAGES, CONSTANTS, FLOAT_LIB, FUNCTIONS, VALUE_LIB, Binary, Call, Name, Num, ParseError, Unary,
    evaluate, evaluate_text, names, parse,
)
from gradquest.engine.value import Value

BIG = {"max_length": 100_000}  # lets the depth limit be the one that refuses


# ---- accepted

@pytest.mark.parametrize("text, env, expected", [
    ("-2", None, -2.0),
    ("\u22122", None, -2.0),
    ("6.0", None, 6.0),
    ("1e-3", None, 0.001),
    ("1E+3", None, 1000.0),
    (".5", None, 0.5),
    ("2.", None, 2.0),
    ("2.e1", None, 20.0),
    ("2/3", None, 2 / 3),
    ("-2*3", None, -6.0),
    ("sqrt(2)", None, math.sqrt(2)),
    ("2^3", None, 8.0),
    ("2**3", None, 8.0),
    ("3×4", None, 12.0),
    ("3·4", None, 12.0),
    ("3∙4", None, 12.0),
    ("6÷4", None, 1.5),
    ("exp(-x)", {"x": 1.5}, math.exp(-1.5)),
    ("max(1, 2)", None, 2.0),
    ("min(1, 2)", None, 1.0),
    ("ln(e)", None, 1.0),
    ("log(e)", None, 1.0),
    ("pi", None, math.pi),
    ("-2**2", None, -4.0),
    ("2**-1", None, 0.5),
    ("2**3**2", None, 512.0),
    ("(-2)**2", None, 4.0),
    ("2^-2^2", None, 2.0 ** -4),
    ("--2", None, 2.0),
    ("+-+2", None, -2.0),
    ("1 - -1", None, 2.0),
    ("10 - 4 - 3", None, 3.0),
    ("8 / 4 / 2", None, 1.0),
    ("1 + 2 * 3", None, 7.0),
    ("(1 + 2) * 3", None, 9.0),
    ("sigmoid(0) + relu(-3) + abs(-2) + tanh(0)", None, 2.5),
    ("sin(pi/2) * cos(0)", None, 1.0),
    ("sqrt (4)", None, 2.0),
    ("\u00a02\u2009+\u30003\t\n", None, 5.0),  # non-breaking, thin and ideographic spaces
    ("w1*x_1 + b", {"w1": 2, "x_1": 3, "b": 1}, 7.0),
    ("2**x", {"x": 3}, 8.0),
])
def test_accepts(text, env, expected):
    assert evaluate_text(text, env) == pytest.approx(expected, rel=1e-15)


def test_tree_and_columns():
    assert parse("x + -y*2") == Binary(
        "+", Name("x", 1), Binary("*", Unary("-", Name("y", 6), 5), Num(2.0, 8), 5), 1)
    assert parse("max(a, 2)") == Call("max", (Name("a", 5), Num(2.0, 8)), 1)
    assert parse("  (1+2)*3") == Binary("*", Binary("+", Num(1.0, 4), Num(2.0, 6), 4), Num(3.0, 9), 3)
    assert parse("2 ** 3") == Binary("**", Num(2.0, 1), Num(3.0, 6), 1)


def test_names_are_the_free_variables():
    assert names(parse("x*y + sin(x) + pi*e - max(z, 1)")) == {"x", "y", "z"}
    assert names(parse("2 + 3")) == set()


def test_pi_and_e_are_constants_unless_env_defines_them():
    assert evaluate_text("e") == math.e and evaluate_text("pi") == math.pi
    assert evaluate_text("e", {"e": 5.0}) == 5.0
    assert evaluate_text("pi + x", {"pi": 3.0, "x": 1.0}) == 4.0
    assert names(parse("e*a + pi"), constants=True) == {"e", "a", "pi"}


@pytest.mark.parametrize("text, expected", [
    ("1/0", math.inf), ("-1/0", -math.inf), ("1/(-0)", -math.inf), ("0/0", math.nan),
    ("(-8)**(1/3)", math.nan), ("10**400", math.inf), ("0**-1", math.inf), ("(-10)**401", -math.inf),
    ("log(-1)", math.nan), ("ln(0)", -math.inf), ("sqrt(-1)", math.nan), ("exp(1000)", math.inf),
    ("sin(1e308*10)", math.nan), ("1e308*10 - 1e308*10", math.nan), ("sigmoid(-1000)", 0.0),
    ("sigmoid(1000)", 1.0), ("max(0/0, 1)", math.nan),
])
def test_float_backend_gives_ieee_results_not_exceptions(text, expected):
    got = evaluate_text(text)
    assert type(got) is float
    assert (math.isnan(got) and math.isnan(expected)) or got == expected


def test_variable_exponent_is_allowed_and_may_overflow():
    assert evaluate_text("2**x", {"x": 5000}) == math.inf


def test_long_flat_chains_evaluate_without_recursion():
    text = "+".join(["1"] * 20_000)
    assert evaluate_text(text, max_length=100_000) == 20_000.0
    assert names(parse("-".join(["x"] * 20_000), **BIG)) == {"x"}


# ---- refused

REFUSALS = [
    ("__import__('os')", "unknown_function", 1),
    ("().__class__", "expected_expression", 2),
    ("9**9**9", "exponent_too_large", 4),
    ("2**(1000+1)", "exponent_too_large", 4),
    ("2**-2000", "exponent_too_large", 4),
    ("2**exp(10)", "exponent_too_large", 4),
    ("", "empty", 1),
    ("  \u00a0 ", "empty", 1),
    ("2 ☃ 3", "unexpected_char", 3),
    ("x\x00", "unexpected_char", 2),
    ("1 \x1c 2", "unexpected_char", 3),  # Python calls it whitespace; we do not
    ("1 – 2", "unexpected_char", 3),  # an en dash is not a minus
    ("2 🙂", "unexpected_char", 3),
    ("\"2\"", "unexpected_char", 1),
    ("x[a]", "bad_index", 3),
    ("1; 2", "unexpected_char", 2),
    ("é", "unexpected_char", 1),
    ("1\u200b+2", "unexpected_char", 2),
    ("1.2.3", "bad_number", 1),
    ("1 + 1e", "bad_number", 5),
    ("1e+", "bad_number", 1),
    ("0x1F", "bad_number", 1),
    ("1_000", "bad_number", 1),
    ("2x", "bad_number", 1),
    ("a.b", "unexpected_char", 2),
    ("f(1)", "unknown_function", 1),
    ("x (2)", "unknown_function", 1),
    ("pi(2)", "unknown_function", 1),
    ("max(1)", "wrong_arity", 1),
    ("sum(W, 0.5)", "bad_axis", 8),
    ("mean(W, k)", "bad_axis", 9),
    ("sum(W, 1, 2)", "wrong_arity", 1),
    ("W.T1", "unexpected_char", 2),
    ("W.t", "unexpected_char", 2),
    ("2 + exp(1, 2)", "wrong_arity", 5),
    ("sqrt + 1", "expected_call", 6),
    ("(1+2", "unclosed_paren", 5),
    ("max(1 2)", "unclosed_paren", 7),
    ("(1, 2", "unclosed_paren", 6),
    ("1+", "expected_expression", 3),
    ("max()", "expected_expression", 5),
    ("2 * * 3", "expected_expression", 5),
    ("1 2", "trailing_input", 3),
    ("(1))", "trailing_input", 4),
    ("1" * 501, "too_long", 501),
    ("(" * 51 + "1" + ")" * 51, "too_deep", 51),
    ("-" * 51 + "1", "too_deep", 51),
]


def _refusal(text, **limits):
    with pytest.raises(ParseError) as info:
        evaluate_text(text, **limits)
    return info.value


@pytest.mark.parametrize("text, code, column", REFUSALS)
def test_refuses_with_code_and_column(text, code, column):
    err = _refusal(text)
    assert (err.code, err.column, err.text) == (code, column, text)
    assert isinstance(err, ValueError)


@pytest.mark.parametrize("text, column", [
    ("(" * 10_000 + "1" + ")" * 10_000, 51),
    ("-" * 10_000 + "1", 51),
    ("exp(" * 10_000 + "1" + ")" * 10_000, 201),
    ("2**" * 10_000 + "2", 154),
    ("(" * 99_999, 51),
])
def test_deep_nesting_is_refused_fast_without_recursion_error(text, column):
    err = _refusal(text, **BIG)
    assert (err.code, err.column) == ("too_deep", column)


def test_huge_input_is_refused_by_length_first():
    err = _refusal("(" * 1_000_000)
    assert (err.code, err.column, err.details["length"]) == ("too_long", 501, 1_000_000)


def test_limits_are_adjustable():
    assert evaluate_text("2**2000", max_exponent=5000) == math.inf
    assert _refusal("((1))", max_depth=1).code == "too_deep"
    assert evaluate_text("((1))", max_depth=2) == 1.0
    assert _refusal("1+1", max_length=2).code == "too_long"


def test_unknown_name_lists_the_known_ones():
    err = _refusal("x + y * z", env={"x": 1, "y": 2})
    assert (err.code, err.column, err.text) == ("unknown_name", 9, "x + y * z")
    assert err.details["known"] == ["x", "y", "pi", "e"]
    assert "'z'" in str(err) and "x, y, pi, e" in str(err)
    with pytest.raises(ParseError) as info:
        evaluate(parse("a"))
    assert info.value.code == "unknown_name"


# ---- messages

def test_messages_say_what_where_and_what_was_expected():
    err = _refusal("1+)")
    assert str(err) == err.message() == "column 3: expected a number, a name or '(' but found ')'"
    assert err.message("zh") == "第 3 列：这里应该是数字、名字或 '('，却是 ')'"
    assert "U+2603" in str(_refusal("2 ☃ 3"))
    assert "the end of the input" in str(_refusal("(1+2"))
    assert "exp, log" in str(_refusal("f(1)"))


def test_every_code_has_a_message_with_the_column_in_both_languages():
    errors = [_refusal(text) for text, _, _ in REFUSALS] + [_refusal("q")]
    assert {e.code for e in errors} == set(_MESSAGES)  # every code is exercised
    for err in errors:
        for lang in ("en", "zh"):
            msg = err.message(lang)
            assert msg.strip() and str(err.column) in msg and "{" not in msg


def test_caret_points_at_the_column():
    assert _refusal("1 + ☃").caret() == "1 + ☃\n    ^"
    assert _refusal("中文 + 1").caret() == "中文 + 1\n^"
    assert _refusal("2*(1 ☃").caret().splitlines()[1] == "     ^"
    assert _refusal("\t1 ☃").caret() == " 1 ☃\n   ^"


# ---- agreement with Python on plain arithmetic

_numbers = st.one_of(
    st.integers(0, 50).map(str),  # small: every integer Python computes stays exact as a float
    st.floats(0, 1000, allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from([".5", "2.", "1e-3", "1E+3", "0.1", "3.25"]),
)
_exprs = st.recursive(_numbers, lambda inner: st.one_of(
    st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner, st.sampled_from(["", " "])).map(
        lambda t: f"{t[0]}{t[3]}{t[1]}{t[3]}{t[2]}"),
    inner.map(lambda x: f"({x})"),
    st.tuples(st.sampled_from(["-", "+"]), inner).map("".join),
), max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(_exprs)
def test_agrees_with_python_on_plain_arithmetic(text):
    try:
        expected = eval(text, {"__builtins__": {}})  # the test's reference only
    except ZeroDivisionError:
        assume(False)
    got = evaluate_text(text)
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == pytest.approx(expected, rel=1e-12, abs=0.0) or got == expected


# ---- the Value backend

def test_value_backend_builds_a_graph_with_the_right_gradients():
    tree = parse("x*y + sin(x)")
    x, y = Value(2.0), Value(3.0)
    out = evaluate(tree, {"x": x, "y": y}, VALUE_LIB)
    assert isinstance(out, Value)
    assert out.data == pytest.approx(evaluate(tree, {"x": 2.0, "y": 3.0}), rel=1e-15)
    out.backward()
    assert x.grad == pytest.approx(3 + math.cos(2.0), rel=1e-15)
    assert y.grad == pytest.approx(2.0, rel=1e-15)


def test_value_backend_every_function_and_operator():
    x = Value(0.5)
    text = "exp(x) + log(x) + ln(x) + sqrt(x) + sin(x) + cos(x) + tanh(x) + sigmoid(x) + relu(x)" \
           " + abs(-x) + max(x, 1) + min(x, 1) + x**2 + 2**x + x/2 + 2/x - x + +x"
    out = evaluate(parse(text), {"x": x}, VALUE_LIB)
    assert out.data == pytest.approx(evaluate_text(text, {"x": 0.5}), rel=1e-12)
    out.backward()
    assert math.isfinite(x.grad)


def test_value_backend_keeps_numbers_plain_and_wraps_them_for_calls():
    assert evaluate(parse("2*3 - 1/0"), lib=VALUE_LIB) == -math.inf  # floats, IEEE as FLOAT_LIB
    s = evaluate(parse("sqrt(4)"), lib=VALUE_LIB)
    assert isinstance(s, Value) and s.data == 2.0


def test_libs_cover_every_function():
    for lib in (FLOAT_LIB, VALUE_LIB):
        assert set(FUNCTIONS) | {"+", "-", "*", "/", "**", "neg", "var"} <= set(lib)
    assert set(CONSTANTS) == {"pi", "e"}

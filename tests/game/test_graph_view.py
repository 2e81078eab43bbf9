"""What the graph's cards may show: `?` until the player has worked a number out."""

from gradquest.game.graph_view import HIDDEN, cards
from gradquest.game.session import LevelSession
from gradquest.levels.schema import Level


def test_a_helper_node_holding_the_answer_keeps_its_question_mark_until_worked_out():
    lvl = Level.model_validate({
        "format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1,
        "model": {"params": {"x": 1.5, "y": 0.25}, "nodes": {"f": "x**2 + y**2", "bx": "2*x", "by": "2*y"}},
        "steps": [{"forward": "f"}, {"vector": ["df_dx", "df_dy"]}, {"say": "now you know"}]})
    s = LevelSession(lvl)
    s.submit(s.stage.solution)  # f
    shown = {c.name: c.value for c in cards(s)}
    assert (shown["bx"], shown["by"], shown["x"]) == (HIDDEN, HIDDEN, "1.5")  # they are the answer (3, 0.5)
    s.submit(s.stage.solution)
    shown = {c.name: c.value for c in cards(s)}
    assert (shown["bx"], shown["by"]) == ("3", "0.5")


def test_a_value_ask_of_a_node_hides_the_node_like_a_forward_ask():
    lvl = Level.model_validate({
        "format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1,
        "model": {"params": {"w": 2}, "nodes": {"e1": "w - 1.5", "e2": "w*1.1 - 2.431"}},
        "steps": [{"forward": "e1"}, {"value": "e2"}]})
    s = LevelSession(lvl)
    assert {c.name: c.value for c in cards(s)}["e2"] == HIDDEN


NEURON_TAIL = {"params": {"n": 0.8123512916312317},
               "nodes": {"e": "exp(2*n)", "num": "e - 1", "den": "e + 1", "o2": "num/den"}, "output": "o2"}


def test_values_fill_in_left_to_right_a_node_after_an_unknown_one_keeps_its_question_mark():
    lvl = Level.model_validate({"format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1,
                                "model": NEURON_TAIL, "steps": [{"forward": "e"}, {"forward": "o2"}]})
    s = LevelSession(lvl)
    shown = {c.name: c.value for c in cards(s)}
    assert (shown["e"], shown["num"], shown["den"]) == (HIDDEN, HIDDEN, HIDDEN)  # 4.077 + 1 would be e
    s.submit(s.stage.solution)
    shown = {c.name: c.value for c in cards(s)}
    assert (shown["e"], shown["num"], shown["den"], shown["o2"]) == ("5.07691", "4.07691", "6.07691", HIDDEN)

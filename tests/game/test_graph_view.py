"""What the graph's cards may show: `?` until the player has worked a number out."""

from gradquest.engine.explain import number
from gradquest.figures.graph_cards import HIDDEN, cards
from gradquest.game.session import LevelSession
from gradquest.levels.kinds import asked_value
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


def test_a_value_the_story_states_shows_until_an_update_makes_a_new_one_to_work_out():
    lvl = Level.model_validate({
        "format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1,
        "model": {"params": {"w": 3, "b": 1}, "nodes": {"z": "w*w", "y": "2*b"}},
        "steps": [{"say": "z = 9 now."}, {"gradient": "w"}, {"update": "w"}, {"say": "w moved."},
                  {"forward": "z"}, {"forward": "y"}]})
    s = LevelSession(lvl)
    shown = lambda: {c.name: c.value for c in cards(s)}  # noqa: E731
    assert shown()["z"] == "9"  # the update comes before z is asked: 9 is not that answer
    assert shown()["y"] == HIDDEN  # nothing changes b before y is asked: 2 is the answer
    s.advance()
    s.submit(s.stage.solution)  # ∂z/∂w
    assert shown()["z"] == "9"  # at the update ask, z is still the old one
    s.submit(s.stage.solution)  # the update
    assert shown()["z"] == HIDDEN  # now z's value is the coming answer


def test_no_bundled_level_shows_a_nodes_value_before_the_ask_that_wants_it():
    """Every stage of every bundled level, against the answers of the asks still to come."""
    from gradquest.levels.discover import bundled_levels_dir, level_files
    from gradquest.levels.load import load_level

    def play(level):
        s = LevelSession(level, 0)
        while s.stage is not None:
            yield s
            s.submit(s.stage.solution if s.stage.kind != "say" else "")

    for path in level_files(bundled_levels_dir()):
        level = load_level(path).level
        if level.model.network is not None:
            continue
        asks = [(asked_value(s.stage.source), number(s.stage.expected)) if asked_value(s.stage.source) else (None, None)
                for s in play(level)]
        for i, s in enumerate(play(level)):
            shown = {c.name: c.value for c in cards(s)}
            coming = {}
            for node, answer in asks[i:]:  # the next ask of each node
                if node is not None:
                    coming.setdefault(node, answer)
            for node, answer in coming.items():
                if node in shown and ("value", node) not in s.known:
                    assert shown[node] != answer, (path.name, i, node, answer)


def test_the_outputs_own_gradient_shows_1_from_the_start_unless_an_ask_wants_it():
    model = {"params": {"a": 2, "b": -3}, "nodes": {"e": "a*b", "L": "e*e"}, "output": "L"}
    lvl = Level.model_validate({"format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1,
                                "model": model, "steps": [{"forward": "e"}, {"gradient": "a"}]})
    grads = {c.name: c.grad for c in cards(LevelSession(lvl))}
    assert grads["L"] == "1" and grads["e"] == grads["a"] == HIDDEN  # ∂L/∂L = 1 is no one's answer
    asked = Level.model_validate({"format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1,
                                  "model": model, "steps": [{"gradient": "L"}, {"gradient": "a"}]})
    s = LevelSession(asked)
    assert {c.name: c.grad for c in cards(s)}["L"] == HIDDEN
    s.submit("1")
    assert {c.name: c.grad for c in cards(s)}["L"] == "1"

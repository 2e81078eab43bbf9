"""The computation graph drawn as seed 000's draw_dot: layout, edges, what is shown, and size."""

from itertools import combinations
from pathlib import Path

import pytest

from gradquest.engine.explain import number
from gradquest.figures.graph_canvas import ARROW, draw
from gradquest.figures.graph_model import HIDDEN, as_lines, picture
from gradquest.figures.graph_cards import cards
from gradquest.game.session import LevelSession
from gradquest.levels.load import load_level

LEVELS = Path(__file__).resolve().parents[2] / "levels"
GRAPH_LEVELS = sorted(p for p in LEVELS.glob("*/*.yaml") if p.name != "chapter.yaml")
FIT_160 = ["08", "09", "10", "11", "12", "13", "14", "15", "16", "17", "18", "23"]  # 2.8–2.18 and 3.23
WORDS = {"value": "value", "grad": "grad", "inputs": "from"}


def level(prefix: str) -> Path:
    return next(p for p in GRAPH_LEVELS if p.name.startswith(prefix))


def session(prefix: str) -> LevelSession:
    return LevelSession(load_level(level(prefix)).level)


def play_to(s: LevelSession, until) -> LevelSession:
    """Answer every stage correctly until `until(stage)` holds."""
    while s.stage is not None and not until(s.stage):
        s.advance() if s.stage.kind == "say" else s.submit(s.stage.solution)
    return s


def every_stage(s: LevelSession):
    while s.stage is not None:
        yield s
        s.advance() if s.stage.kind == "say" else s.submit(s.stage.solution)
    yield s


def box_text(d, node_id: str) -> str:
    b = d.boxes[node_id]
    return "\n".join("".join(d.chars[y][b.x:b.x + b.w]) for y in range(b.y, b.y + b.h))


def test_the_layout_is_the_same_every_time():
    first = draw(picture(session("15"))).text()
    assert all(draw(picture(session("15"))).text() == first for _ in range(3))


@pytest.mark.parametrize("path", GRAPH_LEVELS, ids=lambda p: p.stem)
def test_no_box_overlaps_another_and_every_edge_ends_in_an_arrow_at_its_box(path):
    s = LevelSession(load_level(path).level)
    for state in (s, play_to(s, lambda stage: False)):
        pic = picture(state)
        d = draw(pic)
        for a, b in combinations(d.boxes.values(), 2):
            apart = a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
            assert apart, (a, b)
        assert len(d.arrows) == len(pic.edges)
        assert sum(row.count(ARROW) for row in d.lines()) == len(pic.edges)
        for k, y, x in d.arrows:
            target = d.boxes[pic.edges[k].dst]
            assert (x + 1, target.y < y < target.y + target.h - 1) == (target.x, True)


def test_a_value_used_twice_sends_two_arrows():
    """2.16: b = a + a — the + receives two arrows from a, on two rows."""
    pic = picture(session("16"))
    plus = next(n for n in pic.nodes.values() if n.kind == "op" and n.owner == "b")
    assert [e.src for e in pic.edges if e.dst == plus.id] == ["a", "a"]
    d = draw(pic)
    rows = {y for k, y, _ in d.arrows if pic.edges[k].dst == plus.id}
    assert len(rows) == 2


def test_a_gradient_ask_lights_every_road_from_the_node_to_the_output():
    """2.9 while ∂z/∂b is asked: both roads, through x and through y, are drawn heavy."""
    s = play_to(session("09"), lambda st: st.kind == "ask" and getattr(st.source, "gradient", None) == "b")
    pic = picture(s)
    lit = {(pic.nodes[e.src].owner or e.src, pic.nodes[e.dst].owner or e.dst) for e in pic.edges if e.lit}
    assert {("b", "x"), ("b", "y"), ("x", "x"), ("y", "y"), ("x", "z"), ("y", "z"), ("z", "z")} <= lit
    assert not any(e.lit for e in pic.edges if e.src == "w")
    d = draw(pic)
    assert "┏" in box_text(d, "b") and "┌" in box_text(d, "w")


def test_nothing_the_player_has_not_worked_out_is_drawn():
    """Every value and gradient the leak rule hides is a ? in its box, at every stage of every
    level; an edge's local derivative appears only once it is known."""
    for path in GRAPH_LEVELS:
        for s in every_stage(LevelSession(load_level(path).level)):
            pic, d = picture(s), None
            for card in cards(s):
                node = pic.nodes.get(card.name)
                if node is None:
                    continue
                assert (node.value == HIDDEN) == (card.value == HIDDEN), (path.name, card.name)
                assert (node.grad == HIDDEN) == (card.grad == HIDDEN), (path.name, card.name)
                if card.value == HIDDEN or card.grad == HIDDEN:
                    d = d or draw(pic)
                    assert HIDDEN in box_text(d, card.name)
            step = s.stage.source if s.stage is not None else None
            if step is not None and hasattr(step, "local") and hasattr(step, "wrt"):
                asked = [e for e in pic.edges if e.src == step.wrt and pic.nodes[e.dst].owner == step.local]
                assert asked and not any(e.label for e in asked), path.name


def test_local_derivatives_are_written_on_edges_once_known():
    """2.9 after both local asks: ×3 on the road through x, ×2 on the road through y."""
    s = play_to(session("09"), lambda st: st.kind == "ask" and getattr(st.source, "gradient", None) == "b")
    pic = picture(s)
    labels = {pic.nodes[e.dst].owner: e.label for e in pic.edges if e.src == "b"}
    assert labels == {"x": "×3", "y": "×2"}
    assert "×3▶" in draw(pic).text()


def test_the_text_list_has_one_line_per_value_with_its_inputs():
    s = play_to(session("09"), lambda st: st.kind == "ask" and getattr(st.source, "gradient", None) == "b")
    lines = as_lines(picture(s), WORDS)
    assert [line.split()[0] for line in lines] == ["w", "▸", "▸", "▸", "▸"]
    assert "    ▸ z = x·y   value 116 · grad 1 · from x, y" in lines  # the story states it; an update comes before z is asked
    assert any(line.startswith("  ▸ x = 2·w + 3·b   value 14.5") for line in lines)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("prefix", FIT_160)
def test_the_graphs_of_chapter_2_and_newton_fit_160_by_48_whole(prefix, lang):
    """In the maximised view at 160×48 (158 columns and 44 rows inside it) nothing needs panning,
    with the English names and with the Chinese ones (two cells a character)."""
    for s in every_stage(LevelSession(load_level(level(prefix)).level, lang=lang)):
        d = draw(picture(s), 158, 44)
        assert d.width <= 158 and d.height <= 44, (prefix, d.width, d.height)


def test_a_node_is_drawn_with_the_name_the_player_reads(tmp_path):
    path = tmp_path / "labelled.yaml"
    path.write_text(
        "format_version: 1\nid: test.labelled\ntitle: Labelled\nchapter: 1\norder: 1\n"
        "model:\n  params: {w: 2}\n  nodes:\n    vloss: {expr: w*w, label: {en: loss, zh: 损失}}\n"
        "steps:\n  - forward: vloss\n", encoding="utf-8")
    for lang, name in (("en", "loss"), ("zh", "损失")):
        s = LevelSession(load_level(path).level, lang=lang)
        pic = picture(s)
        assert pic.nodes["vloss"].label == name
        assert f" {name} " in draw(pic).text() and "vloss" not in draw(pic).text()
        assert any(line.startswith(f"  ▸ {name} = w·w") for line in as_lines(pic, WORDS))


def test_line_play_prints_the_graph_as_a_list_on_g(tmp_path):
    from gradquest.store.progress import ProgressStore
    from gradquest.lineplay.player import play_level

    out, typed = [], iter(["3", "2", "g", "q"])

    def read(prompt):
        return "" if prompt == "[Enter]" else next(typed)

    play_level(load_level(level("09")).level, "en", store=ProgressStore(tmp_path), read=read, write=out.append)
    shown = next(chunk for chunk in out if "from x, y" in chunk).splitlines()
    assert len(shown) == 5  # w, b, x, y, z: one line each
    assert "        ▸ z = x·y   value 116 · grad 1 · from x, y" in shown


def test_a_nodes_rule_gets_its_numbers_once_they_are_worked_out():
    """z = x·y in 2.8: the rule in symbols while ∂z/∂x is still to come, with numbers after."""
    s = session("08")
    assert picture(s).nodes["z"].rules == ["∂(x·y)/∂x = y", "∂(x·y)/∂y = x"]
    play_to(s, lambda stage: False)
    x, y = (number(s.world.named[n].data) for n in "xy")
    assert picture(s).nodes["z"].rules == [f"∂(x·y)/∂x = y = {y}", f"∂(x·y)/∂y = x = {x}"]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("prefix", ["15", "18"])
def test_at_160_by_48_every_known_local_derivative_is_on_screen(prefix, lang):
    """2.15 and 2.18 are too wide at 160×48 with every edge labelled: the edges the ask is not
    about lose their label, and their local derivatives are listed under the graph instead."""
    for s in every_stage(LevelSession(load_level(level(prefix)).level, lang=lang)):
        pic = picture(s)
        d = draw(pic, 158, 44)
        assert d.width <= 158 and d.height <= 44, (prefix, d.width, d.height)
        text = d.text()
        at_arrow = {k: "".join(d.chars[y][x - len(pic.edges[k].label):x]) for k, y, x in d.arrows}
        for k, e in enumerate(pic.edges):
            if not e.label:
                continue
            owner, src = pic.nodes[pic.nodes[e.dst].owner].label, pic.nodes[e.src].label
            said = [f"∂{o}/∂{x} = {e.label[1:]}" for o in (owner, f"({owner})") for x in (src, f"({src})")]
            assert at_arrow[k] == e.label or any(w in text for w in said), (prefix, s.stage and s.stage.path, e)


def test_a_nodes_rule_names_nodes_by_their_labels():
    s = LevelSession(load_level(level("15")).level, lang="zh")
    for _ in every_stage(s):
        pass
    pic = picture(s)
    assert pic.nodes["o2"].rules == ["∂(分子/分母)/∂分子 = 1/分母 = 0.164557", "∂(分子/分母)/∂分母 = −分子/分母² = −0.110399"]
    assert pic.nodes["n"].rules[1] == "∂((x1w1+x2w2)+b)/∂b = 1"


def fan_chain(n: int) -> str:
    """n nodes in a chain, each also reading w: n boxes, but its long edges cross n²/2 layers."""
    nodes = "\n".join(["    n0: w*2", *(f"    n{i}: n{i - 1}*w + 1" for i in range(1, n))])
    return (f"format_version: 1\nid: test.fan\ntitle: Fan\nchapter: 1\norder: 1\nmodel:\n  params: {{w: 1}}\n"
            f"  nodes:\n{nodes}\n  output: n{n - 1}\nsteps:\n  - forward: n{n - 1}\n  - gradient: w\n")


def test_a_graph_too_large_to_lay_out_is_the_list_and_every_bundled_graph_is_drawn(tmp_path, monkeypatch):
    from gradquest.figures import graph_layout
    from gradquest.figures.graph_canvas import drawn

    laid_out = []
    monkeypatch.setattr(graph_layout, "lay_out", lambda *a, _real=graph_layout.lay_out: laid_out.append(1) or _real(*a))
    words = {**WORDS, "too_large": "too large: {n} boxes"}
    path = tmp_path / "fan.yaml"
    path.write_text(fan_chain(200), encoding="utf-8")
    pic = picture(LevelSession(load_level(path).level))
    listed = drawn(pic, words, 80, 22)
    assert not laid_out and listed.lines()[0] == "too large: 401 boxes"
    values = [n for n in pic.nodes if pic.nodes[n].kind == "value"]
    assert sorted(listed.boxes) == sorted(values) and all(b.h == 1 for b in listed.boxes.values())
    assert max(len(line) - len(line.lstrip()) for line in listed.lines()) <= 24  # indentation capped
    for path in GRAPH_LEVELS:
        s = LevelSession(load_level(path).level)
        if cards(s):
            assert drawn(picture(s), words).text() == draw(picture(s)).text(), path.name


def test_a_rule_gets_its_numbers_once_a_gradient_carried_through_it_is_worked_out():
    """1.6: the player works out ∂loss/∂w through e1 … e4; Enter on loss's e1² then says 2·e1 = −0.42,
    as the README promises ("with the numbers once worked out"); before that ask it keeps the formula."""
    lvl = load_level(LEVELS / "1-three-concepts" / "06-cracking-the-black-box.yaml").level
    s = LevelSession(lvl)
    while s.stage.prompt != "How fast does the loss change with w? ∂loss/∂w = ?":
        s.submit(s.stage.solution)
    squared = lambda: next(r for n in picture(s).nodes.values() for r in n.rules if r.startswith("∂(e1²)/∂e1"))  # noqa: E731
    assert squared() == "∂(e1²)/∂e1 = 2·e1"  # asked now: no numbers yet
    s.submit(s.stage.solution)
    assert squared() == "∂(e1²)/∂e1 = 2·e1 = −0.42"
    # a local derivative an ask still to come wants keeps its formula
    from gradquest.levels.schema import Level

    lvl = Level.model_validate({"format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1,
                                "model": {"params": {"w": 3}, "nodes": {"x": "2*w", "z": "x*x"}, "output": "z"},
                                "steps": [{"gradient": "w"}, {"gradient": "x"}]})
    s = LevelSession(lvl)
    s.submit(s.stage.solution)  # ∂z/∂w, through x: but ∂z/∂x is asked next
    assert all("= 12" not in r for n in picture(s).nodes.values() for r in n.rules)


def _two_outputs() -> LevelSession:
    """f = x·y is the level's output; g = x + 2·y + k is another, asked with `of:` (5.27's g)."""
    from gradquest.levels.schema import Level

    return LevelSession(Level.model_validate({
        "format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1,
        "model": {"params": {"x": 3, "y": 5, "k": 7}, "nodes": {"f": "x*y", "g": "x + 2*y + k"}, "output": "f"},
        "steps": [{"gradient": "x"}, {"gradient": "y"}, {"gradient": "x", "of": "g"}, {"gradient": "y", "of": "g"}]}))


def test_the_graph_shows_the_gradient_of_the_output_the_asks_are_about_and_says_which():
    s = _two_outputs()
    for _ in range(3):  # ∂f/∂x = 5, ∂f/∂y = 3, ∂g/∂x = 1
        s.submit(s.stage.solution)
    nodes = picture(s).nodes
    assert (nodes["x"].grad, nodes["y"].grad) == ("1", HIDDEN)  # ∂g/∂x just typed, not ∂f/∂x = 5; ∂g/∂y is asked now
    assert (nodes["x"].of, nodes["y"].of) == ("g", "g")
    assert (nodes["f"].grad, nodes["f"].of) == ("1", "")  # f is no input of g: its own ∇
    assert "x   value 3 · grad ∂g/∂x 1" in as_lines(picture(s), {"value": "value", "grad": "grad", "inputs": "from"})
    assert "∇g 1" in "\n".join("".join(row) for row in draw(picture(s)).chars)


def test_at_the_end_an_input_of_the_other_output_alone_shows_its_gradient():
    s = _two_outputs()
    while not s.done:
        s.submit(s.stage.solution)
    nodes = picture(s).nodes
    assert (nodes["k"].grad, nodes["y"].grad) == ("1", "2")  # k was ∇ ? (5.35's Z): it does not reach f
    assert (nodes["k"].of, nodes["y"].of) == ("g", "g")

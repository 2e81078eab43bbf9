"""2.6–2.8 share one graph, z = (2w + 3b)(2b + 1), but each starts from its own numbers (issue 22:
"2.6–2.8 repeat the same graph and numbers")."""

from gradquest.levels.discover import bundled_levels_dir
from gradquest.levels.load import load_level
from gradquest.model.world import World

NAMES = ("08-linear-chain-w.yaml", "09-two-paths-b.yaml", "10-both-at-once.yaml")


def test_each_level_on_the_shared_graph_starts_from_its_own_point():
    starts = []
    for name in NAMES:
        world = World(load_level(next(bundled_levels_dir().glob(f"*/{name}"))).level)
        starts.append((world.value("w"), world.value("b"), world.value("z")))
    assert len({(w, b) for w, b, _ in starts}) == 3, starts
    assert len({z for *_, z in starts}) == 3, starts

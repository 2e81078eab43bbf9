"""The world's expressions: a level's expression is parsed once."""

from gradquest.model.world import parsed


def test_an_expression_is_parsed_once_and_the_tree_shared():
    assert parsed("w*x + b") is parsed("w*x + b")

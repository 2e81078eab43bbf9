from gradquest.levels.node_order import node_order


def test_each_node_comes_after_the_nodes_it_uses_whatever_the_file_order():
    order, cycles = node_order({"L": ["m", "x"], "m": ["w", "w"], "w": []})
    assert order == ["w", "m", "L"] and cycles == []


def test_every_cycle_is_reported_with_the_reference_that_closes_it():
    order, cycles = node_order({"a": ["b"], "b": ["a"], "c": ["c"]})
    assert [c.names for c in cycles] == [["a", "b", "a"], ["c", "c"]]
    assert sorted(order) == ["a", "b", "c"]


def test_references_may_be_objects_named_by_a_function():
    refs = {"f": [("g", 3)], "g": [("f", 7)]}
    _, [cycle] = node_order(refs, name=lambda r: r[0])
    assert cycle.names == ["f", "g", "f"] and cycle.ref == ("f", 7)

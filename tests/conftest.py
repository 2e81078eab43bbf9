"""What every test shares: the `screen` marker on the tests that drive the app."""

import inspect

import pytest


def pytest_collection_modifyitems(items) -> None:
    """An async test drives the app through `run_test()` and Pilot (tests/tui, and the escape corpus's
    game cases): mark it `screen`, so that `pytest -m "not screen"` is the quick loop."""
    for item in items:
        if inspect.iscoroutinefunction(getattr(item, "obj", None)):
            item.add_marker(pytest.mark.screen)

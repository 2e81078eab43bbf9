"""What every test shares: the `screen` marker on the tests that drive the app, and the class store's
two databases (`class_db`: SQLite, and PostgreSQL on a throwaway server)."""

import inspect

import pytest


def pytest_collection_modifyitems(items) -> None:
    """An async test drives the app through `run_test()` and Pilot (tests/tui, and the escape corpus's
    game cases): mark it `screen`, so that `pytest -m "not screen"` is the quick loop."""
    for item in items:
        if inspect.iscoroutinefunction(getattr(item, "obj", None)):
            item.add_marker(pytest.mark.screen)


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL server for the session (tests/pg_cluster.py): missing, the test fails."""
    from tests.pg_cluster import MissingPostgres, throwaway_cluster

    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.fail("psycopg is not installed: the class store's PostgreSQL tests need the `classroom` extra")
    try:
        cluster = throwaway_cluster()
        server = cluster.__enter__()
    except MissingPostgres as err:
        pytest.fail(str(err))
    yield server
    cluster.__exit__(None, None, None)


@pytest.fixture(params=["sqlite", "postgresql"])
def class_db(request):
    """Where a class store keeps its record: `None` (the class folder's SQLite file) or the address of
    a fresh PostgreSQL database. `ClassStore(folder, class_db)` runs a test on both."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("postgres").new_database()

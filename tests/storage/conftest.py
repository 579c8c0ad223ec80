from __future__ import annotations

import itertools

import pytest

_names = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def make_db(request, tmp_path):
    """Opens a Database on a fresh SQLite file or a fresh database on the real PostgreSQL server."""
    from rag.config import load_settings
    from rag.storage import open_database

    if request.param == "postgresql":
        url = request.getfixturevalue("postgres").create_database(f"t{next(_names)}_{request.node.name[:30]}".lower()
                                                                    .replace("[", "_").replace("]", "").replace("-", "_"))
    else:
        url = ""
    opened = []

    def make(**overrides):
        settings = load_settings(env={}).replace(data_dir=tmp_path / "data", database_url=url, **overrides)
        db = open_database(settings)
        opened.append(db)
        return db

    yield make
    for db in opened:
        db.close()


@pytest.fixture()
def db(make_db):
    return make_db()


@pytest.fixture()
def clock():
    """The storage's clock, stopped: a test moves it with ``clock.advance(seconds)`` instead of sleeping."""
    from rag.storage.clock import FakeClock, use_clock

    with use_clock(FakeClock()) as fake:
        yield fake

"""Fixtures for the UI tests: the demo data in a warm store, a fixed clock."""

from __future__ import annotations

import pytest

from kiteboard.app import AppOptions, KiteboardApp
from kiteboard.session.session import Session
from tests.ui.demo_store import demo_store, fixed_clock


@pytest.fixture
def store(tmp_path):
    store = demo_store(tmp_path / "store.sqlite3")
    yield store
    store.close()


@pytest.fixture
def make_app(store):
    """An app over the warm demo store; no connection unless a connector is given."""

    def make(space: str | None = "KB", *, connect=None, **options) -> KiteboardApp:
        session = Session(connect=connect, open_store=lambda: store)
        return KiteboardApp(
            session,
            AppOptions(
                **{"space": space, "clock": fixed_clock, "connect": connect is not None} | options
            ),
        )

    return make


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    """Absolute times are shown in local time: fix the zone so snapshots are stable."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()

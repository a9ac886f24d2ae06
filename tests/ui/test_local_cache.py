"""What the app says about its local cache: a damaged file rebuilt, a file that cannot
be written (Pilot, a store on disk)."""

from __future__ import annotations

from kiteboard.app import AppOptions, KiteboardApp
from kiteboard.session.session import Session
from kiteboard.store import schema
from kiteboard.store.db import Store
from kiteboard.ui.screens.board import BoardScreen
from tests.pilot_support import record_notifications, wait_until
from tests.ui.demo_store import demo_store, fixed_clock


def app_on(path, connect) -> KiteboardApp:
    session = Session(connect=connect, open_store=lambda: Store.open(path))
    return KiteboardApp(session, AppOptions(space="KB", clock=fixed_clock))


async def never_connects(store):  # pragma: no cover - must not be called
    raise AssertionError("a read-only cache must not be synced")


async def test_a_damaged_cache_rebuilt_is_said_in_the_app(tmp_path, monkeypatch):
    path = tmp_path / "store.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    app = app_on(path, connect=None)
    notes = record_notifications(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: any(title == "Local cache" for title, _ in notes))
        text = dict(notes)["Local cache"]
        assert "rebuilt" in text and "damaged" in text


async def test_a_cache_that_cannot_be_written_shows_its_board_and_says_writes_are_off(
    tmp_path, monkeypatch
):
    """(A read-only folder: as root, permissions do not stop writes, so the check that
    finds it is what answers "no" here; a read-only file system was tried by hand.)"""
    path = tmp_path / "store.sqlite3"
    demo_store(path).close()
    monkeypatch.setattr(schema, "_writable", lambda path: False)
    app = app_on(path, connect=never_connects)
    notes = record_notifications(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        await wait_until(pilot, lambda: any(title == "Local cache" for title, _ in notes))
        assert app.screen.space.key == "KB"
        assert sum(len(column.cards) for column in app.screen.model.columns) == 60
        text = dict(notes)["Local cache"]
        assert "cannot be written" in text and "writes are off" in text
        assert not any("Unexpected error" in title for title, _ in notes)
        await pilot.press("r")  # says so again; never connects
        await pilot.press("j", "l")
        await pilot.pause(0.2)
        assert app.is_running and not app.session.connected

"""A full cache disk does not stop the board: switching spaces (which remembers the
space last opened, a write) shows the other space (its writes fail at the store's seam)."""

from __future__ import annotations

import sqlite3

from kiteboard.ui.screens.board import BoardScreen
from tests.pilot_support import type_at_once, wait_until


async def test_switching_spaces_on_a_full_disk_shows_the_space(make_app, store, monkeypatch):
    def disk_full(*_args: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store.local, "set_value", disk_full)
    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_at_once(pilot, *"splat")
        await type_at_once(pilot, "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        await pilot.pause()
        assert app.is_running and app.screen.space.key == "PLAT"

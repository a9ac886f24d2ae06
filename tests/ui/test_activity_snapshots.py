"""Snapshots of the activity screen (`A`) at 80x24: the demo team's hour of work, seen
by a refresh; everything new since the person last looked (never, here) marked.

Update after looking at the picture: `pytest tests/ui/test_activity_snapshots.py
--snapshot-update` (then render the SVG and look at it).
"""

from __future__ import annotations

import asyncio
import shutil

import pytest

from kiteboard.app import AppOptions, KiteboardApp
from kiteboard.session.demo_activity import sync_demo_with_activity
from kiteboard.session.session import Session
from kiteboard.store.db import Store
from tests.pilot_support import wait_until
from tests.ui.demo_store import FIXED_NOW, fixed_clock
from tests.ui.test_snapshots import no_blink, settle


@pytest.fixture
def activity_app(tmp_path):
    folder = tmp_path / "synced"
    path = asyncio.run(sync_demo_with_activity(folder, FIXED_NOW))
    shutil.copy(path, tmp_path / "store.sqlite3")
    store = Store.open(tmp_path / "store.sqlite3")
    session = Session(connect=None, open_store=lambda: store)
    yield KiteboardApp(session, AppOptions(space="KB", clock=fixed_clock, connect=False))
    store.close()


async def open_activity(pilot, *keys: str) -> None:
    from kiteboard.ui.screens.activity import ActivityScreen

    await pilot.press("A")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ActivityScreen))
    no_blink(pilot)
    if keys:
        await pilot.press(*keys)
    await settle(pilot)


def test_activity_80x24(snap_compare, activity_app):
    assert snap_compare(activity_app, terminal_size=(80, 24), run_before=open_activity)


def test_activity_filtered(snap_compare, activity_app):
    async def filtered(pilot):
        await open_activity(pilot, "slash", *"kb comm")
        no_blink(pilot)
        await settle(pilot)

    assert snap_compare(activity_app, terminal_size=(80, 24), run_before=filtered)


def test_board_counts_new_activity(snap_compare, activity_app):
    """The top bar says how many entries came in since the person last looked."""
    assert snap_compare(activity_app, terminal_size=(80, 24))

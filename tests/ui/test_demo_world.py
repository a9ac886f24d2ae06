"""The demo's world is kept between runs: the store paints the second run at once, the
emulator comes back with the first run's writes, and it can be started afresh."""

from __future__ import annotations

import subprocess
import sys

from kiteboard.app import AppOptions, KiteboardApp
from kiteboard.session.demo_world import demo_folder, demo_session, demo_source
from kiteboard.store.db import Store
from kiteboard.ui.screens.board import BoardScreen
from tests.pilot_support import wait_until
from tests.ui.demo_store import fixed_clock


async def _connect(reset_world: bool = False):
    """One run's connection to the kept world (as the app makes it), with its store."""
    connect, open_store = demo_source(reset_world=reset_world)
    store = open_store()
    connection = await connect(store)
    return connection, store


async def _close(connection, store: Store) -> None:
    await connection.close()
    store.close()


async def _kb(connection):
    await connection.engine.sync_spaces()
    space = next(s for s in connection.store.read.spaces() if s.name == "Kiteboard")
    await connection.engine.sync_space(space.id)
    return space


async def test_the_first_run_paints_its_board_before_connecting_and_the_sync_agrees():
    """A fresh world's store is filled from the demo data: the board needs no sync to
    be drawn; the sync that follows finds every card as the store has it."""
    session = demo_session(refresh_interval=None)
    app = KiteboardApp(session, AppOptions(space="KB", clock=fixed_clock, connect=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not session.connected
        assert isinstance(app.screen, BoardScreen)  # not "Starting the demo…"
        seeded = {card.id: card for card in app.screen.model._cards.values()}
        assert len(seeded) == 60

    connection, store = await _connect()
    try:
        space = await _kb(connection)
        assert {card.id: card for card in store.read.cards(space.id)} == seeded
    finally:
        await _close(connection, store)


async def test_the_second_run_paints_from_the_kept_store_before_connecting():
    session = demo_session(refresh_interval=None)
    app = KiteboardApp(session, AppOptions(space="KB", clock=fixed_clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen) and app.screen.ready)
        await wait_until(pilot, lambda: app.screen.model.loading_count == 0)
        cards = len(app.screen.model)
    assert cards > 0

    again = demo_session(refresh_interval=None)
    app = KiteboardApp(again, AppOptions(space="KB", clock=fixed_clock, connect=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not again.connected  # nothing asked of the emulator: painted from the store
        assert isinstance(app.screen, BoardScreen)
        assert len(app.screen.model) == cards


async def test_a_write_made_in_one_run_is_in_the_emulator_of_the_next():
    connection, store = await _connect()
    space = await _kb(connection)
    status = store.read.statuses(space.id)[0].id
    created = await connection.engine.client.create_work_item(
        title="Made in the first run", status_id=status
    )
    await connection.engine.sync_space(space.id)
    await _close(connection, store)

    connection, store = await _connect()
    try:
        # The emulator has it again, with the same id and the same timestamps, so the
        # kept store agrees with it and a sync changes nothing.
        titles = await connection.engine.client.work_item_titles(space.id)
        assert [t.id for t in titles if t.label == "Made in the first run"] == [created.id]
        before = store.read.card(created.id)
        report = await connection.engine.sync_space(space.id)
        assert store.read.card(created.id) == before
        assert report.up_to_date
    finally:
        await _close(connection, store)


async def test_reset_starts_the_world_afresh():
    connection, store = await _connect()
    space = await _kb(connection)
    status = store.read.statuses(space.id)[0].id
    await connection.engine.client.create_work_item(title="Soon forgotten", status_id=status)
    await _close(connection, store)

    connection, store = await _connect(reset_world=True)
    try:
        # The kept store is gone too: the new one holds the demo data, and only that.
        kb = next(s for s in store.read.spaces() if s.name == "Kiteboard")
        assert "Soon forgotten" not in {card.title for card in store.read.cards(kb.id)}
        space = await _kb(connection)
        titles = await connection.engine.client.work_item_titles(space.id)
        assert "Soon forgotten" not in {t.label for t in titles}
    finally:
        await _close(connection, store)


async def test_a_journal_that_does_not_replay_is_dropped_and_the_demo_still_starts():
    connection, store = await _connect()
    await _close(connection, store)
    (demo_folder() / "journal.jsonl").write_text('{"at": "not a time"}\n{}\n', encoding="utf-8")

    connection, store = await _connect()
    try:
        space = await _kb(connection)
        assert store.read.cards(space.id)
        assert not (demo_folder() / "journal.jsonl").exists()
    finally:
        await _close(connection, store)


async def test_a_demo_started_while_another_runs_gets_a_world_of_its_own():
    folder = demo_folder()
    folder.mkdir(parents=True)
    holder = subprocess.Popen(  # another kiteboard --demo, holding the kept world
        [sys.executable, "-c", _HOLD_LOCK, str(folder / "lock")], stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
        session = demo_session(refresh_interval=None)
        assert session.open_store() is None  # a temporary store, made when it connects
    finally:
        holder.kill()
        holder.wait()


_HOLD_LOCK = """
import fcntl, sys, time
lock = open(sys.argv[1], "w")
fcntl.flock(lock, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(60)
"""

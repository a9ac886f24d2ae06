"""The Session hands out the one writer: every screen's writes go through it, so two
quick moves of a card (from the board, then from its detail screen) land in order."""

from __future__ import annotations

import subprocess
import sys

from kiteboard.emulator.demo import build_demo_state
from kiteboard.session.connectors import demo_connector
from kiteboard.session.session import Session
from kiteboard.store.db import Store
from kiteboard.store.write_results import Saved
from tests.ui.demo_store import fill_store


async def test_writing_waits_for_the_connection_then_one_writer_serves_every_screen(tmp_path):
    state = build_demo_state(seed=1)
    store = Store.open(tmp_path / "store.sqlite3")
    fill_store(store, state)
    session = Session(connect=demo_connector(state=state), open_store=lambda: store)
    try:
        session.open_store()
        assert session.writer() is None  # offline: the board says writing needs a connection
        await session.connect()
        writer = session.writer()
        assert writer is not None
        assert session.writer() is writer

        space = store.read.spaces()[0]
        card = store.read.cards(space.id)[0]
        other = next(s.id for s in store.read.statuses(space.id) if s.id != card.status_id)
        result = await writer.move_item(card.id, other)
        assert isinstance(result, Saved)
        assert store.read.card(card.id).status_id == other
    finally:
        await session.aclose()
    assert session.writer() is None  # closed: nothing is written through a closed client


FIRST_PAINT = """
import sys
from kiteboard.session.demo_world import demo_session
from kiteboard.session.profiles import live_session
import kiteboard.app, kiteboard.ui.screens.board, kiteboard.ui.screens.connecting
store = demo_session().open_store()
assert store.read.spaces(), "the demo world paints from its store"
print(sorted(m for m in ("httpx", "pydantic", "kiteboard.api.client") if m in sys.modules))
"""


def test_a_session_opens_its_store_for_the_first_paint_without_the_network_side():
    # httpx and pydantic cost ~170 ms: they are imported after the first paint, in a
    # worker, by the session's connector.
    done = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"

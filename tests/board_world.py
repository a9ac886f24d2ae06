"""The board's app connected to the in-process emulator, for Pilot tests of writing:
the store starts warm from the same demo data the emulator holds, and the app connects
to that emulator as --demo does. (The writing keys: test_board_writing.py; the triage
walk: test_walk.py.)"""

from __future__ import annotations

from typing import Any

from kiteboard.app import AppOptions, KiteboardApp
from kiteboard.emulator.app import Emulator
from kiteboard.emulator.demo import build_demo_state
from kiteboard.session.session import Connection, Session
from kiteboard.store.sync import SyncEngine
from kiteboard.ui.screens.board import BoardScreen
from kiteboard.ui.widgets.card_list import CardList
from tests.ui.demo_store import fixed_clock
from tests.writing_world import FAST_RETRY, RecordingTransport, _no_sleep


class Kitemaker:
    """The emulator the app talks to, and what it was sent."""

    def __init__(self) -> None:
        self.emulator = Emulator(build_demo_state(seed=1))
        self.transport = RecordingTransport(self.emulator)

    @property
    def state(self):
        return self.emulator.state

    def titled(self, title: str) -> list[Any]:
        return [item for item in self.state.items.values() if item.title == title]


def connected_app(store, kitemaker: Kitemaker) -> KiteboardApp:
    """The app on the warm store `store`, connecting to `kitemaker` (in process)."""

    async def connect(_store) -> Connection:
        from kiteboard.api.client import KitemakerClient

        client = KitemakerClient(
            "http://emulator.invalid/developers/rest/v1",
            "demo",
            transport=kitemaker.transport,
            sleep=_no_sleep,
            retry=FAST_RETRY,
        )

        async def close() -> None:
            await client.aclose()

        return Connection(store, SyncEngine(client, store), close)

    session = Session(connect=connect, open_store=lambda: store, refresh_interval=None)
    return KiteboardApp(session, AppOptions(space="KB", clock=fixed_clock))


async def settle(app: KiteboardApp, pilot) -> None:
    """Let workers finish and the board apply the events they caused."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()
    board = app.screen_stack[1] if len(app.screen_stack) > 1 else app.screen
    if isinstance(board, BoardScreen) and board.loader.pending is not None:
        await board.loader.apply_pending()  # the board coalesces events on a short timer
        await pilot.pause()


def board_of(app: KiteboardApp) -> BoardScreen:
    board = next(s for s in app.screen_stack if isinstance(s, BoardScreen))
    return board


def focused_list(app: KiteboardApp) -> CardList:
    focused = app.focused
    assert isinstance(focused, CardList)
    return focused


def column_titles(app: KiteboardApp, status_id: str) -> list[str]:
    board = board_of(app)
    assert board.model is not None
    column = next(c for c in board.model.columns if c.id == status_id)
    return [card.title for card in column.cards]

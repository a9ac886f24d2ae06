"""A space that was never synced, opened while Kitemaker cannot be reached: the board
says it has not been loaded yet and when it will be, rather than showing nothing."""

from __future__ import annotations

from kiteboard.api.errors import NetworkError
from kiteboard.ui.screens.board import BoardScreen
from tests.pilot_support import wait_until


async def cannot_connect(store):
    raise NetworkError("Could not reach Kitemaker: connection refused")


async def test_a_space_never_synced_opened_offline_says_it_will_load_when_back(make_app, store):
    store.write.save_spaces(
        [*((s.id, s.name) for s in store.read.spaces()), ("ffff000000000001", "Research")]
    )
    app = make_app("Research", connect=cannot_connect, reconnect_delay=600)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        screen = app.screen
        await wait_until(pilot, lambda: screen.top_bar.status is not None)
        await wait_until(pilot, lambda: screen.query("#board-not-loaded"))
        said = screen.query_one("#board-not-loaded")
        await wait_until(pilot, lambda: "offline" in str(said.render()))
        assert said.display and not screen.board.display
        text = str(said.render())
        assert "“Research” has not been loaded yet" in text
        assert "as soon as the connection to Kitemaker is back" in text

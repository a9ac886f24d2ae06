"""What the app says about its connection: a token Kitemaker refused is not "offline"
(Pilot, an emulator over loopback HTTP, a warm store)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiteboard import locations
from kiteboard.app import AppOptions, KiteboardApp
from kiteboard.config import load_settings
from kiteboard.emulator.app import Emulator
from kiteboard.emulator.demo import build_demo_state
from kiteboard.emulator.server import EmulatorServer
from kiteboard.session.profiles import live_session
from kiteboard.store.db import Store
from kiteboard.ui.screens.board import BoardScreen
from tests.pilot_support import record_notifications, wait_until
from tests.ui.demo_store import fill_store, fixed_clock


def write_config(path: Path, url: str, token: str) -> Path:
    path.write_text(
        f'[profiles.main]\nbase_url = "{url}"\ntoken = "{token}"\ndefault_space = "KB"\n',
        encoding="utf-8",
    )
    path.chmod(0o600)
    return path


@pytest.fixture
def server():
    """The demo organization on loopback, and a warm store of it from an earlier run."""
    state = build_demo_state(seed=1)
    emulator = Emulator(state, token="right-token")
    with EmulatorServer(emulator) as url:
        store = Store.open(locations.store_file(url, state.organization.id))
        fill_store(store, state)
        store.close()
        locations.organization_store(url, state.organization.id, "main")
        yield url, emulator


def live_app(config: Path) -> KiteboardApp:
    settings = load_settings(config_path=config, environ={})
    return KiteboardApp(
        live_session(settings),
        AppOptions(space=settings.default_space, settings=settings, clock=fixed_clock),
    )


async def test_a_rejected_token_says_so_how_to_fix_it_and_is_not_sent_again(
    server, tmp_path, monkeypatch
):
    url, emulator = server
    config = write_config(tmp_path / "config.toml", url, "revoked-token")
    app = live_app(config)
    notes = record_notifications(app, monkeypatch)
    async with app.run_test(size=(100, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        board = app.screen
        await wait_until(pilot, lambda: "Token rejected" in dict(notes))
        # The board from the store stays; the bar says what is wrong and the way out.
        assert board.top_bar.sync_text == "token rejected: run kiteboard init"
        assert "offline" not in board.top_bar.sync_text
        text = dict(notes)["Token rejected"]
        assert "Ctrl+K (Cmd+K on a Mac), choose Manage developer settings" in text
        assert "kiteboard init" in text

        sent = emulator.stats.requests
        notes.clear()
        await pilot.press("r")  # the same token: said again, not sent again
        await wait_until(pilot, lambda: "Token rejected" in dict(notes))
        await pilot.pause(0.3)
        assert emulator.stats.requests == sent
        assert board.top_bar.sync_text == "token rejected: run kiteboard init"

        write_config(config, url, "right-token")  # `kiteboard init` saved a new one
        await pilot.press("r")
        await wait_until(pilot, lambda: app.session.connected)
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, BoardScreen)
                and app.screen.top_bar.sync_text.startswith("synced")
            ),
        )
        assert app.screen.space.key == "KB"
        assert ("Connected", "Kitemaker accepted the new token.") in notes


async def test_a_rejected_token_on_a_fresh_store_says_how_to_fix_it_and_r_retries_once_changed(
    tmp_path,
):
    from kiteboard.ui.screens.connecting import ConnectingScreen

    emulator = Emulator(build_demo_state(seed=1), token="right-token")
    with EmulatorServer(emulator) as url:
        config = write_config(tmp_path / "config.toml", url, "wrong-token")
        app = live_app(config)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_until(
                pilot,
                lambda: isinstance(app.screen, ConnectingScreen) and app.screen.failed,
            )
            text = str(app.screen.query_one("#connecting-text").render())
            assert "Token rejected" in text and "Manage developer settings" in text
            sent = emulator.stats.requests
            await pilot.press("r")  # the same token: not sent again
            await pilot.pause(0.3)
            assert emulator.stats.requests == sent
            write_config(config, url, "right-token")
            await pilot.press("r")
            await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
            assert app.screen.space.key == "KB"

"""A store filled by `kiteboard sync` is the app's store: with the server gone, the app
started as a user would (`kiteboard --space PLAT`) shows the board that sync stored."""

from __future__ import annotations

import asyncio
import io

from kiteboard.app import KiteboardApp
from kiteboard.cli.main import build_parser
from kiteboard.cli.sync import run_sync
from kiteboard.emulator.app import Emulator
from kiteboard.emulator.server import EmulatorServer
from kiteboard.ui import run
from kiteboard.ui.screens.board import BoardScreen
from tests.pilot_support import wait_until
from tests.sync_support import demo_state


def start_app_as_run_py_does(monkeypatch, *argv: str) -> KiteboardApp:
    """The app `kiteboard ARGV` would run, built by run.py, not run yet."""
    built: list[KiteboardApp] = []
    monkeypatch.setattr(KiteboardApp, "run", lambda self, **kw: built.append(self))
    # Start-up's garbage-collector tuning is for a process that is the app, not a test's.
    monkeypatch.setattr(run, "_resume_gc", lambda app: None)
    assert run.run_app(build_parser().parse_args(list(argv))) == 0
    (app,) = built
    return app


async def test_a_store_filled_by_sync_is_shown_by_the_app_offline(monkeypatch):
    monkeypatch.setenv("KITEMAKER_TOKEN", "demo")
    with EmulatorServer(Emulator(demo_state(items=150))) as base_url:
        args = build_parser().parse_args(["sync", "--base-url", base_url, "--all"])
        err = io.StringIO()
        # A command of its own (asyncio.run), as from a shell: not on the test's loop.
        code = await asyncio.to_thread(run_sync, args, err=err, stdin=io.StringIO())
        assert code == 0, err.getvalue()
    # The server is gone: nothing answers at base_url any more.

    app = start_app_as_run_py_does(monkeypatch, "--base-url", base_url, "--space", "PLAT")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen) and app.screen.ready)
        screen = app.screen
        assert screen.space.name == "Platform"
        assert len(screen.model) == 150  # every item sync stored, on the board
        await wait_until(pilot, lambda: screen.top_bar.sync_text.startswith("offline since"))

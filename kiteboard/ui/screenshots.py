"""The README's screenshots, from the demo data: `python -m kiteboard.ui.screenshots screenshots/`

The demo organization is synced into a temporary store by the real sync engine (against
the in-process emulator, as `kiteboard --demo` does), then each screen is driven with
Textual's Pilot at a fixed size and a fixed clock, and saved as SVG.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from kiteboard.app import AppOptions, KiteboardApp
from kiteboard.session.session import Session

# The demo's history ends at 2025-06-02 09:30 UTC; the pictures are taken a little later.
FIXED_NOW = 1748856600.0 + 3 * 86_400 + 1234


def fixed_clock() -> float:
    return FIXED_NOW


async def _sync_demo(folder: Path) -> Path:
    from kiteboard.session.connectors import demo_connector

    connection = await demo_connector(store_dir=folder, clock=fixed_clock)(None)
    engine = connection.engine
    for space in await engine.sync_spaces():
        await engine.sync_space(space.id)
    await connection.close()
    connection.store.close()
    return folder / "demo.sqlite3"


async def _open_item_with_comments(pilot: Pilot) -> None:
    from kiteboard.ui.screens.board import BoardScreen

    app = pilot.app
    while not isinstance(app.screen, BoardScreen):  # the board is pushed after mount
        await pilot.pause()
    store = app.session.store  # type: ignore[attr-defined]
    for column in app.screen.board.columns:  # type: ignore[attr-defined]
        for card in column.cards.cards:
            if len(store.read.comments(card.id)) >= 2:
                column.cards.focus()
                column.cards.select_id(card.id)
                await pilot.pause()
                await pilot.press("enter")
                return


async def _press(pilot: Pilot, *keys: str) -> None:
    await pilot.press(*keys)


async def _palette(pilot: Pilot) -> None:
    from textual.command import CommandList

    await pilot.press("colon")
    while not pilot.app.screen.query(CommandList):
        await pilot.pause()
    await pilot.press(*"mov")
    command_list = pilot.app.screen.query_one(CommandList)
    while command_list.option_count < 3:  # the three "Move card" commands
        await pilot.pause()


async def _walk(pilot: Pilot) -> None:
    """The triage walk of Backlog, on its second card (the first skipped)."""
    from kiteboard.ui.screens.walk import WalkScreen
    from kiteboard.ui.widgets.item_detail import ItemDetailView

    app = pilot.app
    await pilot.press("t")
    while not isinstance(app.screen, WalkScreen):
        await pilot.pause()
    await pilot.press("n")
    walk = app.screen
    view = walk.query_one(ItemDetailView)
    while view.item_id != walk.state.item_ids[1]:
        await pilot.pause()


Shot = tuple[str, tuple[int, int], str | None, Callable[[Pilot], Awaitable[None]] | None]
SHOTS: list[Shot] = [
    ("first-run", (80, 24), "first-run", None),
    ("space-picker", (80, 24), None, None),
    ("board-80x24", (80, 24), "KB", lambda pilot: _press(pilot, "j", "l")),
    ("board-160x48", (160, 48), "PLAT", lambda pilot: _press(pilot, "l", "l", "j")),
    ("board-filtered", (80, 24), "KB", lambda pilot: _press(pilot, "slash", *"bug", "enter")),
    ("board-marked", (80, 24), "KB", lambda pilot: _press(pilot, "v", "v", "l", "v")),
    ("detail-80x24", (80, 24), "KB", _open_item_with_comments),
    ("detail-160x48", (160, 48), "KB", _open_item_with_comments),
    ("help", (80, 24), "KB", lambda pilot: _press(pilot, "question_mark")),
    ("palette", (80, 24), "KB", _palette),
    ("walk-80x24", (80, 24), "KB", _walk),
]
# Over a store whose activity log holds the demo team's hour of work (demo_activity.py).
ACTIVITY_SHOTS: list[Shot] = [
    ("activity", (80, 24), "KB", lambda pilot: _press(pilot, "A")),
]


async def _shoot(store_path: Path, out: Path, shot: Shot) -> Path:
    from kiteboard.store.db import Store

    name, size, space, action = shot
    store = Store.open(store_path)
    if space == "first-run":
        session = Session(connect=None, needs_token=True)
        space = None
    else:
        session = Session(connect=None, open_store=lambda: store)
    app = KiteboardApp(session, AppOptions(space=space, clock=fixed_clock, connect=False))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        if action is not None:
            await action(pilot)
        for _ in range(3):
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()
        path = out / f"{name}.svg"
        path.write_text(app.export_screenshot(title=f"kiteboard — {name}"), encoding="utf-8")
    store.close()
    return path


async def make_screenshots(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        from kiteboard.session.demo_activity import sync_demo_with_activity

        store_path = await _sync_demo(Path(folder))
        # The last space opened is remembered; every shot starts from the same store.
        paths = [await _shoot(store_path, out, shot) for shot in SHOTS]
        activity = await sync_demo_with_activity(Path(folder) / "activity", FIXED_NOW)
        return paths + [await _shoot(activity, out, shot) for shot in ACTIVITY_SHOTS]


def main(argv: list[str]) -> int:
    import os
    import time

    os.environ["TZ"] = "UTC"  # absolute times in the pictures do not depend on the machine
    time.tzset()
    out = Path(argv[0] if argv else "screenshots")
    for path in asyncio.run(make_screenshots(out)):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

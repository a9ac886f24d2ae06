"""The command registry and what comes from it: every binding, the palette (`:` or
Ctrl+k), the help filtered as you type. Pilot tests over the warm demo store."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.binding import Binding
from textual.command import CommandPalette
from textual.widgets import Input

from kiteboard.ui import commands
from kiteboard.ui.screens.board import BoardScreen
from kiteboard.ui.screens.help import HelpScreen
from kiteboard.ui.screens.item import ItemScreen
from kiteboard.ui.screens.profile_picker import ProfilePickerScreen
from kiteboard.ui.widgets.item_detail import ItemDetailView
from tests.pilot_support import wait_until

WIDE = (160, 48)


def _kiteboard_classes() -> list[type]:
    """Every class defined in kiteboard's modules (importing them all)."""
    import kiteboard

    classes: list[type] = []
    for info in pkgutil.walk_packages(kiteboard.__path__, "kiteboard."):
        if info.name.startswith(("kiteboard.__main__", "kiteboard.emulator.__main__")):
            continue
        module = importlib.import_module(info.name)
        classes.extend(
            value
            for value in vars(module).values()
            if inspect.isclass(value) and value.__module__ == module.__name__
        )
    return classes


def test_every_binding_is_the_registrys_and_every_command_is_bound() -> None:
    bound: set[str] = set()
    with_bindings = [cls for cls in _kiteboard_classes() if "BINDINGS" in vars(cls)]
    assert len(with_bindings) >= 12  # the walk found the screens (not an empty pass)
    for cls in with_bindings:
        for binding in vars(cls)["BINDINGS"]:
            where = f"{cls.__module__}.{cls.__qualname__}"
            assert isinstance(binding, Binding) and binding.id, f"{where}: {binding}"
            command = commands.BY_ID.get(binding.id)
            assert command is not None, f"{where}: {binding.id} is not in the registry"
            assert binding == command.binding(), f"{where}: {binding.id} differs"
            bound.add(binding.id)
    assert bound == commands.command_ids()  # no registry entry is bound nowhere


def test_registry_entries_are_complete() -> None:
    assert len(commands.BY_ID) == len(commands.COMMANDS)  # ids are unique
    for command in commands.COMMANDS:
        assert command.title and command.description and command.keys
        assert command.group in commands.GROUPS


def palette_options(app) -> list[str]:
    from textual.command import CommandList

    command_list = app.screen.query_one(CommandList)
    return [
        str(command_list.get_option_at_index(i).prompt) for i in range(command_list.option_count)
    ]


# (`mov` + Enter opening the move picker needs a connection: tests/test_board_writing.py)


async def open_palette(pilot, key: str = "colon") -> None:
    await pilot.press(key)
    await wait_until(pilot, lambda: CommandPalette.is_open(pilot.app))


async def type_in_palette(pilot, text: str, expected: str) -> None:
    await pilot.press(*text)
    await wait_until(
        pilot, lambda: any(expected in option for option in palette_options(pilot.app))
    )


async def test_colon_and_ctrl_k_open_the_palette_and_escape_closes_it(make_app):
    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in ("colon", "ctrl+k"):
            await open_palette(pilot, key)
            # Without typing, the board's commands are offered with their keys.
            await wait_until(pilot, lambda: len(palette_options(app)) > 5)
            assert "Move card to…  m" in "\n".join(palette_options(app))
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))


async def test_ctrl_p_still_opens_the_profile_picker(make_app):
    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, ProfilePickerScreen))


async def test_an_item_reference_opens_the_item(make_app, store):
    app = make_app("KB")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await open_palette(pilot)
        await type_in_palette(pilot, "KB-12", "KB-12")
        await pilot.press("enter")
        board = app.screen
        assert isinstance(board, BoardScreen)
        pane = board.query(ItemDetailView)
        await wait_until(pilot, lambda: bool(board.query(ItemDetailView)))
        pane = board.query_one(ItemDetailView)
        kb_12 = next(c for c in store.read.cards(board.space.id) if c.number == 12)
        await wait_until(pilot, lambda: pane.item_id == kb_12.id and pane.display)
        assert board.current_card_id() == kb_12.id  # the cursor went there too


async def test_an_item_of_another_space_opens_too(make_app, store):
    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_palette(pilot)
        await type_in_palette(pilot, "des-3", "DES-3")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ItemScreen))
        design = next(s for s in store.read.spaces() if s.key == "DES")
        des_3 = next(c for c in store.read.cards(design.id) if c.number == 3)
        assert app.screen.item_id == des_3.id
        assert app.screen.space.id == design.id
        text = str(app.screen.query_one(ItemDetailView).query_one("#detail-title").render())
        assert des_3.title in text


async def test_a_space_opens_by_name(make_app):
    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_palette(pilot)
        await type_in_palette(pilot, "growth", "Open space Growth")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, BoardScreen) and app.screen.space.name == "Growth",
        )


async def test_help_filters_as_you_type(make_app):
    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        await pilot.press(*"move")
        assert help_screen.query_one("#help-filter", Input).value == "move"
        listed = {row.id for _, rows in help_screen.groups for row in rows}
        assert {"board.move_item", "board.move_left", "board.move_right"} <= listed
        assert "app.quit" not in listed
        # Letters that are keys elsewhere (q, ?) filter here; Esc clears, then closes.
        await pilot.press("escape")
        assert help_screen.query_one("#help-filter", Input).value == ""
        assert {row.id for _, rows in help_screen.groups for row in rows} == (
            commands.command_ids()
        )
        await pilot.press(*"zzz")
        assert help_screen.groups == []
        assert "No command matches" in str(help_screen.query_one("#help-text").render())
        await pilot.press("escape", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))


PALETTE_IMPORT = """
import asyncio, sys, tempfile
from pathlib import Path
from kiteboard.app import AppOptions, KiteboardApp
from kiteboard.session.session import Session
from tests.ui.demo_store import demo_store, fixed_clock

async def main():
    store = demo_store(Path(tempfile.mkdtemp()) / "store.sqlite3")
    session = Session(connect=None, open_store=lambda: store)
    app = KiteboardApp(session, AppOptions(space="KB", clock=fixed_clock, connect=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        print(type(app.screen).__name__, "kiteboard.ui.palette" in sys.modules)
        await pilot.press("colon")
        await pilot.pause()
        print("kiteboard.ui.palette" in sys.modules)

asyncio.run(main())
"""


def test_the_palette_is_imported_when_it_first_opens_not_at_start():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", PALETTE_IMPORT], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["BoardScreen", "False", "True"]


async def test_a_theme_picked_in_the_palette_is_shown_and_remembered(make_app):
    kept: list[str] = []
    app = make_app("KB", on_theme_change=kept.append)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_palette(pilot)
        await type_in_palette(pilot, "theme: nord", "Theme: nord")
        assert palette_options(app)[0] == "Theme: nord"
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.theme == "nord")
        assert kept == ["nord"]

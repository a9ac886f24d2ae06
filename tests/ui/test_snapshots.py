"""Snapshots of the main screens: demo data, fixed clock, fixed size, no token.

Update after looking at every changed picture: `pytest tests/ui/test_snapshots.py
--snapshot-update` (then render the SVGs and look at them).
"""

from __future__ import annotations

from textual.widgets import Input

from kiteboard.app import AppOptions, KiteboardApp
from kiteboard.session.session import Session
from tests.ui.demo_store import fixed_clock


def no_blink(pilot) -> None:
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False


def test_first_run_screen(snap_compare):
    app = KiteboardApp(Session(connect=None, needs_token=True), AppOptions(clock=fixed_clock))
    assert snap_compare(app, terminal_size=(80, 24))


def test_space_picker(snap_compare, make_app):
    async def type_filter(pilot):
        no_blink(pilot)
        await pilot.press(*"pl")
        await pilot.pause()

    assert snap_compare(make_app(None), terminal_size=(80, 24), run_before=type_filter)


def test_board_80x24(snap_compare, make_app):
    assert snap_compare(make_app("KB"), terminal_size=(80, 24), press=["j", "l"])


def test_board_160x48(snap_compare, make_app):
    assert snap_compare(make_app("PLAT"), terminal_size=(160, 48), press=["l", "l", "j"])


def test_marked_board(snap_compare, make_app):
    """Three cards marked (`v v`, then `l v`): a ✓ on each, the count in the top bar."""
    assert snap_compare(make_app("KB"), terminal_size=(80, 24), press=["v", "v", "l", "v"])


async def settle(pilot) -> None:
    """Let every pending message, refresh and layout pass finish."""
    for _ in range(3):
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()


def test_filtered_board(snap_compare, make_app):
    async def filter_bug(pilot):
        await pilot.press("slash", *"bug")
        await settle(pilot)
        assert pilot.app.screen.model.filter_text == "bug"
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app("KB"), terminal_size=(80, 24), run_before=filter_bug)


async def open_item_with_comments(pilot) -> None:
    """Put the cursor on the first card with comments, and open it."""
    app = pilot.app
    from kiteboard.ui.screens.board import BoardScreen

    while not isinstance(app.screen, BoardScreen):  # the board is pushed after mount
        await pilot.pause()
    store = app.session.store
    for column in app.screen.board.columns:
        for card in column.cards.cards:
            if len(store.read.comments(card.id)) >= 2:
                column.cards.focus()
                column.cards.select_id(card.id)
                await pilot.pause()
                await pilot.press("enter")
                await pilot.pause()
                return
    raise AssertionError("no item with comments in the demo")


def test_detail_narrow(snap_compare, make_app):
    assert snap_compare(make_app("KB"), terminal_size=(80, 24), run_before=open_item_with_comments)


def test_detail_narrow_scrolled_to_comments(snap_compare, make_app):
    async def scroll(pilot):
        await open_item_with_comments(pilot)
        await pilot.press("G")
        await pilot.pause()

    assert snap_compare(make_app("KB"), terminal_size=(80, 24), run_before=scroll)


def test_detail_wide(snap_compare, make_app):
    assert snap_compare(make_app("KB"), terminal_size=(160, 48), run_before=open_item_with_comments)


def test_help_overlay(snap_compare, make_app):
    assert snap_compare(make_app("KB"), terminal_size=(80, 24), press=["question_mark"])


def test_help_filtered(snap_compare, make_app):
    async def filter_help(pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        no_blink(pilot)
        await pilot.press(*"move")
        await pilot.pause()

    assert snap_compare(make_app("KB"), terminal_size=(80, 24), run_before=filter_help)


def test_palette_on_the_board(snap_compare, make_app):
    from textual.command import CommandList

    from tests.pilot_support import wait_until

    async def type_in_palette(pilot):
        await pilot.press("colon")
        await wait_until(pilot, lambda: bool(pilot.app.screen.query(CommandList)))
        no_blink(pilot)
        await pilot.press(*"mov")
        command_list = pilot.app.screen.query_one(CommandList)
        await wait_until(pilot, lambda: command_list.option_count == 3)
        await pilot.pause()

    assert snap_compare(make_app("KB"), terminal_size=(80, 24), run_before=type_in_palette)


async def walk_from(pilot, *keys: str) -> None:
    """`t` on the board after `keys`, then `n`: the walk on its second card."""
    from kiteboard.ui.screens.board import BoardScreen
    from kiteboard.ui.screens.walk import WalkScreen
    from kiteboard.ui.widgets.item_detail import ItemDetailView
    from tests.pilot_support import wait_until

    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
    await pilot.press(*keys, "t")
    await wait_until(pilot, lambda: isinstance(app.screen, WalkScreen))
    await pilot.press("n")
    walk = app.screen
    view = walk.query_one(ItemDetailView)
    await wait_until(pilot, lambda: view.item_id == walk.state.item_ids[1])
    await settle(pilot)


def test_walk_80x24(snap_compare, make_app):
    assert snap_compare(make_app("KB"), terminal_size=(80, 24), run_before=walk_from)


def test_walk_160x48(snap_compare, make_app):
    async def walk_todo(pilot):
        await walk_from(pilot, "l")

    assert snap_compare(make_app("PLAT"), terminal_size=(160, 48), run_before=walk_todo)

"""`y` / `Y` copy the item's reference (and title) to the clipboard with OSC 52 (issue
11, item 7), in the whole app against the in-process emulator: from the board, the
pane beside it, an item's screen and the triage walk. What reaches the terminal is
one OSC 52 sequence whose payload is plain text, whatever the title holds."""

from __future__ import annotations

import base64
import re

import pytest

from kiteboard.ui.copy_reference import copied_text
from kiteboard.ui.screens.item import ItemScreen
from kiteboard.ui.screens.walk import WalkScreen
from tests import test_board_writing as writing
from tests.pilot_support import record_notifications, wait_until
from tests.test_board_writing import WIDE, board_of, focused_list, settle
from tests.ui.test_hostile_text import HOSTILE_TITLE, make_hostile_app

kitemaker, store, make_app = writing.kitemaker, writing.store, writing.make_app

SMALL = (80, 24)
_OSC52 = re.compile(r"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07")


def capture_terminal(app, monkeypatch) -> list[str]:
    """Everything the app writes to the terminal from now on (the headless driver
    draws nothing, so only what is sent on purpose shows here)."""
    written: list[str] = []
    monkeypatch.setattr(app._driver, "write", written.append)
    return written


def clipboard_payloads(written: list[str]) -> list[str]:
    """The texts of the OSC 52 sequences written; fails on anything else written."""
    texts = []
    for data in written:
        match = _OSC52.fullmatch(data)
        assert match is not None, f"not an OSC 52 sequence: {data!r}"
        texts.append(base64.b64decode(match.group(1)).decode("utf-8"))
    return texts


async def test_y_copies_the_reference_and_Y_the_reference_and_title(make_app, monkeypatch) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        notes = record_notifications(app, monkeypatch)
        written = capture_terminal(app, monkeypatch)
        await pilot.press("j")
        card = focused_list(app).cursor_card
        await pilot.press("y")
        assert app.clipboard == f"KB-{card.number}"
        await pilot.press("Y")
        assert app.clipboard == f"KB-{card.number} {card.title}"
        assert clipboard_payloads(written) == [f"KB-{card.number}", app.clipboard]
        assert notes[0][1] == f"Copied KB-{card.number}"
        assert notes[1][1].startswith(f"Copied KB-{card.number} ")
        assert len(notes[1][1]) <= 7 + 48  # one line at 80 columns
        assert focused_list(app).cursor_card.id == card.id  # nothing moved


async def test_a_hostile_title_reaches_the_clipboard_as_plain_text(tmp_path, monkeypatch):
    app, item = make_hostile_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        written = capture_terminal(app, monkeypatch)
        board = board_of(app).board
        index = next(i for i, c in enumerate(board.columns) if c.cards.select_id(item.id))
        board.focus_column(index)
        await pilot.pause()
        await pilot.press("Y")
        (text,) = clipboard_payloads(written)
        assert text == f"KB-{item.number} [bold red]not bold[/] red bell evil 🎉"
        assert text.isprintable()


def test_the_copied_text_is_one_plain_line() -> None:
    assert copied_text("KB", 12, HOSTILE_TITLE, with_title=False) == "KB-12"
    text = copied_text("KB", 12, "Fix\nthe\tlogin \x1b]52;c;AAAA\x07page\u202e", with_title=True)
    assert text == "KB-12 Fix the login page"
    assert copied_text(None, 12, "  ", with_title=True) == "#12"  # no key known yet


async def test_from_the_item_screen_and_the_walk(make_app, monkeypatch) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        first = focused_list(app).cursor_card
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ItemScreen))
        await pilot.press("Y")
        assert app.clipboard == f"KB-{first.number} {first.title}"
        await pilot.press("escape")
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, WalkScreen))
        walk = app.screen
        await pilot.press("n")  # the second card of the walk
        shown = walk.state.current_id
        await pilot.press("y")
        card = board_of(app).model.card(shown)
        assert app.clipboard == f"KB-{card.number}"
        said = str(walk.query_one("#walk-said").render())
        assert said == f"Copied KB-{card.number}"


@pytest.mark.parametrize("where", ["pane", "board beside the pane"])
async def test_beside_the_board_the_focused_side_is_copied(make_app, where) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        opened = focused_list(app).cursor_card
        await pilot.press("enter")  # the pane opens with the focus
        board = board_of(app)
        await wait_until(pilot, lambda: board.pane.focused_item_id() == opened.id)
        if where == "pane":
            await pilot.press("y")
            assert app.clipboard == f"KB-{opened.number}"
        else:
            board.focus_board()
            await pilot.press("j")
            card = focused_list(app).cursor_card
            await pilot.press("y")
            assert app.clipboard == f"KB-{card.number}"

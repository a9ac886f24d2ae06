"""Moves follow the card, and `u` undoes (issue 11, items 1 and 2), in the whole app
against the in-process emulator."""

from __future__ import annotations

import pytest

from kiteboard.ui.screens.board import BoardScreen
from kiteboard.ui.screens.forms import StatusPicker
from kiteboard.ui.screens.forms.confirm import OverwriteConfirm
from tests import test_board_writing as writing
from tests.pilot_support import record_notifications, type_at_once, wait_until
from tests.test_board_writing import WIDE, board_of, column_titles, focused_list, settle

# The board-writing tests' app against the emulator (their fixtures, shared).
kitemaker, store, make_app = writing.kitemaker, writing.store, writing.make_app

SMALL = (80, 24)


def status_of(kitemaker, card) -> str:
    return kitemaker.state.items[card.id].status_id


@pytest.mark.parametrize("typed", ["one by one", "at once"])
async def test_l_l_l_walks_one_card_across_the_board(make_app, kitemaker, typed) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        await pilot.press("j")  # not the first card: the one below must stay put
        card = focused_list(app).cursor_card
        below = board_of(app).model.columns[0].cards[2]
        statuses = board_of(app).model.statuses
        if typed == "at once":
            await type_at_once(pilot, "L", "L", "L")
        else:
            await pilot.press("L", "L", "L")
        await settle(app, pilot)
        board = board_of(app)
        assert board.board.focused_index() == 3
        assert focused_list(app).cursor_card.id == card.id  # the cursor went with it
        assert card.title in column_titles(app, statuses[3].id)
        # Scrolled into view: the card's lines are within the column's.
        cards = focused_list(app)
        top = cards.cursor * 4 - round(cards.scroll_y)
        assert top >= 0 and top + 3 <= cards.scrollable_content_region.height
    assert status_of(kitemaker, card) == statuses[3].id
    assert status_of(kitemaker, below) == statuses[0].id  # no other card moved


async def test_a_move_says_where_the_card_went_and_how_to_undo(
    make_app, kitemaker, monkeypatch
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        notes = record_notifications(app, monkeypatch)
        await settle(app, pilot)
        card = focused_list(app).cursor_card
        todo = board_of(app).model.statuses[1]
        await pilot.press("L")
        await settle(app, pilot)
        assert notes[-1] == ("", f"KB-{card.number} → {todo.name} · u undo")


async def test_m_from_the_side_pane_moves_the_panes_card_and_the_cursor_follows(
    make_app, kitemaker
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "enter")  # the pane, on the second card
        await settle(app, pilot)
        board = board_of(app)
        card_id = board.pane.focused_item_id()
        assert card_id == board.current_card_id()
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, StatusPicker))
        await pilot.press("3")
        await settle(app, pilot)
        board = board_of(app)
        assert board.pane.widget().item_id == card_id  # the pane shows the moved card
        assert board.current_card_id() == card_id  # and the cursor is on it
        assert board.board.focused_index() == 2
    assert kitemaker.state.items[card_id].status_id == board.model.statuses[2].id


async def test_u_undoes_a_move_and_the_cursor_comes_back_with_the_card(
    make_app, kitemaker, monkeypatch
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        notes = record_notifications(app, monkeypatch)
        await settle(app, pilot)
        card = focused_list(app).cursor_card
        backlog = board_of(app).model.statuses[0]
        await pilot.press("L", "L")
        await settle(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        assert notes[-1][1].startswith(f"Undone: KB-{card.number} back in")
        await pilot.press("u")
        await settle(app, pilot)
        assert notes[-1][1] == f"Undone: KB-{card.number} back in {backlog.name}"
        assert board_of(app).board.focused_index() == 0
        assert focused_list(app).cursor_card.id == card.id
        await pilot.press("u")
        await settle(app, pilot)
        assert notes[-1][1].startswith("Nothing to undo")
    assert status_of(kitemaker, card) == backlog.id


async def test_u_undoes_an_edit(make_app, kitemaker, monkeypatch) -> None:
    from textual.widgets import Input

    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        notes = record_notifications(app, monkeypatch)
        await settle(app, pilot)
        card = focused_list(app).cursor_card
        await pilot.press("e")
        await wait_until(pilot, lambda: app.screen.query("#title"))
        app.screen.query_one("#title", Input).value = "Renamed by mistake"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert kitemaker.state.items[card.id].title == "Renamed by mistake"
        await pilot.press("u")
        await settle(app, pilot)
        assert notes[-1][1] == f"Undone: KB-{card.number}: title restored"
        assert focused_list(app).cursor_card.title == card.title
    assert kitemaker.state.items[card.id].title == card.title


async def test_undo_after_someone_else_changed_the_item_asks_first(
    make_app, kitemaker, monkeypatch
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        notes = record_notifications(app, monkeypatch)
        await settle(app, pilot)
        card = focused_list(app).cursor_card
        statuses = board_of(app).model.statuses
        await pilot.press("L")
        await settle(app, pilot)
        # A teammate moves it on in the web app.
        kitemaker.state.update_item(card.id, {"status_id": statuses[2].id})
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, OverwriteConfirm))
        await pilot.press("n")  # keep theirs
        await settle(app, pilot)
        assert notes[-1][1].startswith("Not undone")
        assert status_of(kitemaker, card) == statuses[2].id
        assert isinstance(app.screen, BoardScreen)


async def test_undo_overwrites_someone_elses_change_when_told_to(make_app, kitemaker) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        card = focused_list(app).cursor_card
        statuses = board_of(app).model.statuses
        await pilot.press("L")
        await settle(app, pilot)
        kitemaker.state.update_item(card.id, {"title": "Retitled in the web app"})
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, OverwriteConfirm))
        await pilot.press("y")
        await settle(app, pilot)
    assert status_of(kitemaker, card) == statuses[0].id


async def test_u_says_comments_are_not_undone_and_goes_on_past_them(
    make_app, kitemaker, monkeypatch
) -> None:
    from textual.widgets import TextArea

    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        notes = record_notifications(app, monkeypatch)
        await settle(app, pilot)
        card = focused_list(app).cursor_card
        await pilot.press("L")
        await settle(app, pilot)
        await pilot.press("a")
        await wait_until(pilot, lambda: app.screen.query("#body"))
        app.screen.query_one("#body", TextArea).text = "noted"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        assert notes[-1][1].startswith(f"a comment on KB-{card.number} is not undone")
        await pilot.press("u")
        await settle(app, pilot)
        assert notes[-1][1].startswith(f"Undone: KB-{card.number} back in")


async def test_a_move_from_the_item_screen_leaves_the_board_cursor_on_the_card(
    make_app, kitemaker
) -> None:
    from kiteboard.ui.screens.item import ItemScreen

    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        await pilot.press("j")
        card = focused_list(app).cursor_card
        statuses = board_of(app).model.statuses
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ItemScreen))
        await pilot.press("L", "L")
        await settle(app, pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        await settle(app, pilot)
        assert board_of(app).board.focused_index() == 2
        assert focused_list(app).cursor_card.id == card.id
    assert status_of(kitemaker, card) == statuses[2].id

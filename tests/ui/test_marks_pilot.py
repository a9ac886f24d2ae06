"""Marked cards and the keys that act on all of them (issue 11, item 4), in the whole
app against the in-process emulator."""

from __future__ import annotations

from typing import Any

import pytest

from kiteboard.ui.screens.board import BoardScreen
from kiteboard.ui.screens.forms import StatusPicker
from tests.board_world import Kitemaker, board_of, connected_app, focused_list, settle
from tests.pilot_support import record_notifications, type_at_once, wait_until
from tests.ui.demo_store import demo_store


@pytest.fixture
def kitemaker() -> Kitemaker:
    return Kitemaker()


@pytest.fixture
def make_app(tmp_path, kitemaker: Kitemaker):
    store = demo_store(tmp_path / "store.sqlite3")
    yield lambda: connected_app(store, kitemaker)
    store.close()


SMALL = (80, 24)


def card_text(app: Any, column: int, index: int) -> str:
    """The first line of a card as drawn (reference and markers)."""
    cards = board_of(app).board.columns[column].cards
    return cards._card_strips(index, 30)[0].text


async def test_v_marks_the_card_and_goes_to_the_next(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        first = focused_list(app).cursor_card
        await pilot.press("v")
        board = board_of(app)
        assert board.marks.ids == [first.id]
        assert focused_list(app).cursor == 1  # tag-and-advance
        assert "✓ KB-" in card_text(app, 0, 0)  # a glyph: NO_COLOR shows it too
        assert "✓" not in card_text(app, 0, 1)
        await pilot.press("v", "v")
        assert len(board.marks) == 3
        assert "✓ 3 marked" in board.top_bar.info.plain
        await pilot.press("k", "v")  # unmark
        assert len(board.marks) == 2


async def test_shift_v_marks_the_column_the_filter_shows_and_esc_clears_marks_first(
    make_app,
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"bug", "enter")
        await settle(app, pilot)
        board = board_of(app)
        shown = [card.id for card in focused_list(app).cards]
        assert shown
        await pilot.press("V")
        assert sorted(board.marks.ids) == sorted(shown)
        await pilot.press("escape")  # the marks go first ...
        assert len(board.marks) == 0 and board.model.filter_text == "bug"
        await pilot.press("escape")  # ... then the filter
        assert board.model.filter_text == ""


async def test_l_moves_every_marked_card_and_one_u_undoes_the_batch(
    make_app, kitemaker, monkeypatch
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        notes = record_notifications(app, monkeypatch)
        await settle(app, pilot)
        statuses = board_of(app).model.statuses
        marked = [card.id for card in focused_list(app).cards[:3]]
        await pilot.press("v", "v", "v", "L")
        await settle(app, pilot)
        assert notes[-1][1] == f"3 moved to {statuses[1].name} · u undo"
        assert [kitemaker.state.items[i].status_id for i in marked] == [statuses[1].id] * 3
        assert len(board_of(app).marks) == 0
        await pilot.press("u")
        await settle(app, pilot)
        assert notes[-1][1] == f"Undone: 3 moved to {statuses[1].name} (3 restored)"
    assert [kitemaker.state.items[i].status_id for i in marked] == [statuses[0].id] * 3


async def test_m_with_marks_moves_them_all_to_the_column_picked(make_app, kitemaker) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        statuses = board_of(app).model.statuses
        marked = [card.id for card in focused_list(app).cards[:2]]
        await type_at_once(pilot, "v", "v", "m")
        await wait_until(pilot, lambda: isinstance(app.screen, StatusPicker))
        assert app.screen.heading == "2 marked cards"
        await pilot.press("3")
        await settle(app, pilot)
        assert isinstance(app.screen, BoardScreen)
    assert [kitemaker.state.items[i].status_id for i in marked] == [statuses[2].id] * 2


async def test_a_batch_names_the_write_that_failed_and_its_card_keeps_its_mark(
    make_app, kitemaker, monkeypatch
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        notes = record_notifications(app, monkeypatch)
        await settle(app, pilot)
        statuses = board_of(app).model.statuses
        cards = focused_list(app).cards[:3]
        failing = cards[1]

        def fail_that_one(method: str, path: str, body: dict[str, Any]) -> None:
            if body.get("id") == failing.id:  # Kitemaker fails this one write (a 502)
                kitemaker.emulator.faults.inject("server_error", method="PUT", path="/workitem")

        kitemaker.transport.on_write = fail_that_one
        await pilot.press("v", "v", "v", "L")
        await settle(app, pilot)
        _title, text = notes[-1]
        assert text.startswith(f"2 moved to {statuses[1].name}; failed: KB-{failing.number}")
        board = board_of(app)
        assert board.marks.ids == [failing.id]
        assert board.model.card(failing.id).status_id == statuses[0].id  # it went back
    assert kitemaker.state.items[failing.id].status_id == statuses[0].id
    assert kitemaker.state.items[cards[0].id].status_id == statuses[1].id


async def test_e_sets_the_effort_of_every_marked_card_and_u_undoes_it(
    make_app, kitemaker, monkeypatch
) -> None:
    from kiteboard.ui.screens.forms.size_picker import SizePicker

    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        notes = record_notifications(app, monkeypatch)
        await settle(app, pilot)
        marked = [card.id for card in focused_list(app).cards[:2]]
        before = [kitemaker.state.items[i].effort for i in marked]
        await pilot.press("v", "v", "E")
        await wait_until(pilot, lambda: isinstance(app.screen, SizePicker))
        await pilot.press("s")
        await settle(app, pilot)
        assert notes[-1][1] == "2 · effort small · u undo"
        assert [kitemaker.state.items[i].effort for i in marked] == ["small", "small"]
        await pilot.press("u")
        await settle(app, pilot)
    assert [kitemaker.state.items[i].effort for i in marked] == before


async def test_hash_adds_a_label_to_every_marked_card_keeping_their_others(
    make_app, kitemaker
) -> None:
    from kiteboard.ui.screens.forms.label_toggle import LabelToggle

    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        cards = focused_list(app).cards[:2]
        labels = {x.name: x.id for x in kitemaker.state.labels_of(cards[0].space_id)}
        await pilot.press("v", "v", "number_sign")
        await wait_until(pilot, lambda: isinstance(app.screen, LabelToggle))
        await pilot.press(*"ux", "enter", "escape")
        await settle(app, pilot)
    for card in cards:
        now = set(kitemaker.state.items[card.id].label_ids)
        assert now == set(card.label_ids) | {labels["ux"]}

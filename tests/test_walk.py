"""The triage walk (`t`), in the whole app (Pilot), against the in-process emulator.

The focused column's cards one at a time, newest first: 1-9 / H / L move the card and
show the next, n / Space skip, # E I set labels, effort, impact, e edits, a comments,
p goes back, u undoes, q / Esc end the walk with a summary.
"""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Input, Static, TextArea

from kiteboard.ui.screens.board import BoardScreen
from kiteboard.ui.screens.forms import CommentForm, WorkItemForm
from kiteboard.ui.screens.forms.label_toggle import LabelToggle
from kiteboard.ui.screens.forms.size_picker import SizePicker
from kiteboard.ui.screens.walk import WalkScreen
from kiteboard.ui.widgets.item_detail import ItemDetailView
from tests.board_world import Kitemaker, board_of, connected_app, focused_list, settle
from tests.pilot_support import record_notifications, type_at_once, wait_until
from tests.ui.demo_store import demo_store

WIDE = (160, 48)


@pytest.fixture
def kitemaker() -> Kitemaker:
    return Kitemaker()


@pytest.fixture
def store(tmp_path):
    store = demo_store(tmp_path / "store.sqlite3")
    yield store
    store.close()


@pytest.fixture
def make_app(store, kitemaker: Kitemaker):
    return lambda: connected_app(store, kitemaker)


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


def walk_of(app) -> WalkScreen:
    return next(s for s in app.screen_stack if isinstance(s, WalkScreen))


def shown(app) -> str | None:
    """The id of the card the walk has drawn (not only decided to show)."""
    return walk_of(app).query_one(ItemDetailView).item_id


async def start_walk(app, pilot) -> list[str]:
    """`t` on the first column (Backlog); the ids the walk will show, in order."""
    await settle(app, pilot)
    await pilot.press("t")
    await wait_until(pilot, lambda: isinstance(app.screen, WalkScreen))
    walk = walk_of(app)
    await wait_until(pilot, lambda: shown(app) == walk.state.item_ids[0])
    return list(walk.state.item_ids)


async def test_t_walks_the_focused_column_newest_first(make_app, store) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        ids = await start_walk(app, pilot)
        backlog = board_of(app).model.columns[0]
        numbers = [store.read.card(item_id).number for item_id in ids]
        assert numbers == sorted((card.number for card in backlog.cards), reverse=True)
        walk = walk_of(app)
        assert text_of(walk, "#walk-progress") == f"Triage 1 of {len(ids)} · Backlog"
        title = walk.query_one("#detail-title", Static)
        assert str(title.content) == store.read.card(ids[0]).title
        await pilot.press("n")
        await wait_until(pilot, lambda: shown(app) == ids[1])
        assert text_of(walk, "#walk-progress") == f"Triage 2 of {len(ids)} · Backlog"
        await pilot.press("space")  # skips too (the item text does not page down)
        await wait_until(pilot, lambda: shown(app) == ids[2])


async def test_a_digit_and_h_l_move_the_card_and_show_the_next(make_app, kitemaker) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        ids = await start_walk(app, pilot)
        statuses = [status_id for status_id, _ in walk_of(app).statuses]
        await pilot.press("3")  # In Progress
        await wait_until(pilot, lambda: shown(app) == ids[1])
        await pilot.press("L")  # Todo
        await wait_until(pilot, lambda: shown(app) == ids[2])
        await pilot.press("H")  # nothing left of Backlog: stays, says so
        await settle(app, pilot)
        assert shown(app) == ids[2]
        assert text_of(walk_of(app), "#walk-said").startswith("No column on that side")
        await pilot.press("1")  # its own column: it stays, and the walk goes on
        await wait_until(pilot, lambda: shown(app) == ids[3])
        await settle(app, pilot)
    state = kitemaker.state
    assert [state.items[x].status_id for x in ids[:3]] == [statuses[2], statuses[1], statuses[0]]
    assert len(kitemaker.transport.bodies("PUT", "/workitem")) == 2


async def test_keys_typed_at_once_each_act_on_the_card_shown_when_typed(
    make_app, kitemaker
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        ids = await start_walk(app, pilot)
        statuses = [status_id for status_id, _ in walk_of(app).statuses]
        await type_at_once(pilot, "2", "n", "n", "3")
        await wait_until(pilot, lambda: shown(app) == ids[4])
        await settle(app, pilot)
    state = kitemaker.state
    assert [state.items[x].status_id for x in ids[:4]] == [
        statuses[1],
        statuses[0],
        statuses[0],
        statuses[2],
    ]


async def test_the_next_card_is_on_screen_before_kitemaker_answers(
    make_app, kitemaker, store
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        ids = await start_walk(app, pilot)
        todo = walk_of(app).statuses[1][0]
        kitemaker.transport.hold = asyncio.Event()  # Kitemaker takes its time
        await pilot.press("L")
        await wait_until(pilot, lambda: shown(app) == ids[1])
        walk = walk_of(app)
        title = walk.query_one("#detail-title", Static)
        assert str(title.content) == store.read.card(ids[1]).title
        # The move is on its way and not answered: Kitemaker still has it in Backlog.
        assert kitemaker.transport.bodies("PUT", "/workitem") == [{"id": ids[0], "statusId": todo}]
        assert kitemaker.state.items[ids[0]].status_id != todo
        assert [w for w in app.workers if w.group == "walk-write" and not w.is_finished]
        assert store.read.card(ids[0]).status_id == todo  # the board has it moved already
        kitemaker.transport.hold.set()
        await settle(app, pilot)
    assert kitemaker.state.items[ids[0]].status_id == todo


async def test_a_refused_move_goes_back_with_a_message(make_app, kitemaker, store, monkeypatch):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        notes = record_notifications(app, monkeypatch)
        ids = await start_walk(app, pilot)
        backlog, todo = (status_id for status_id, _ in walk_of(app).statuses[:2])
        del kitemaker.state.statuses[todo]  # the column was deleted meanwhile
        await pilot.press("2")
        await settle(app, pilot)
        assert store.read.card(ids[0]).status_id == backlog  # moved back
        number = store.read.card(ids[0]).number
        title, text = notes[-1]
        assert title == f"KB-{number} moved back"
        assert "Kitemaker refused it" in text and "not a status" in text
        assert "moved back" in text_of(walk_of(app), "#walk-said")
        await pilot.press("q")
        await settle(app, pilot)
        assert notes[-1][1] == "2 seen: 2 skipped"  # the refused move is not counted
    assert kitemaker.state.items[ids[0]].status_id == backlog


async def test_e_and_i_set_effort_and_impact_in_one_key_and_stay_on_the_card(
    make_app, kitemaker
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        ids = await start_walk(app, pilot)
        await pilot.press("E")
        await wait_until(pilot, lambda: isinstance(app.screen, SizePicker))
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, WalkScreen))
        await pilot.press("I", "l")
        await settle(app, pilot)
        assert shown(app) == ids[0]
        fields = str(walk_of(app).query_one("#detail-fields", Static).content)
        assert "Effort    medium" in fields and "Impact    large" in fields
        await pilot.press("E", "n")  # none clears it
        await settle(app, pilot)
        assert text_of(walk_of(app), "#walk-said").endswith("effort → none · u undo")
    item = kitemaker.state.items[ids[0]]
    assert (item.effort, item.impact) == (None, "large")
    bodies = kitemaker.transport.bodies("PUT", "/workitem")
    assert bodies[0] == {"id": ids[0], "effort": "medium"}  # one field a PUT


async def test_a_size_shows_at_once_and_goes_back_when_refused(
    make_app, kitemaker, store, monkeypatch
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        notes = record_notifications(app, monkeypatch)
        ids = await start_walk(app, pilot)
        before = store.read.card(ids[0]).impact
        kitemaker.transport.hold = asyncio.Event()
        faults = kitemaker.emulator.faults
        faults.inject("server_error", times=5, method="PUT", path="/workitem")
        await pilot.press("I", "l")
        await wait_until(pilot, lambda: isinstance(app.screen, WalkScreen))
        fields = walk_of(app).query_one("#detail-fields", Static)
        await wait_until(pilot, lambda: "Impact    large" in str(fields.content))
        kitemaker.transport.hold.set()
        await settle(app, pilot)
        assert "Impact    large" not in str(fields.content)
        assert notes[-1][0].startswith("Not saved: KB-")
    assert kitemaker.state.items[ids[0]].impact == (before.lower() if before else None)


async def test_hash_toggles_labels_by_typing_and_creates_one(make_app, kitemaker) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        ids = await start_walk(app, pilot)
        await pilot.press("number_sign")
        await wait_until(pilot, lambda: isinstance(app.screen, LabelToggle))
        toggle = app.screen
        await pilot.press(*"ux", "enter")  # toggles the label "ux"
        await pilot.press(*"triaged", "enter")  # no such label: creates it
        await wait_until(pilot, lambda: toggle.picker.creating is None)
        await wait_until(pilot, lambda: len(toggle.picker.selected_ids) >= 2)
        await pilot.press("escape")
        await settle(app, pilot)
        assert shown(app) == ids[0]
        said = text_of(walk_of(app), "#walk-said")
        assert "+ux" in said and "+triaged" in said
    state = kitemaker.state
    names = {state.labels[x].name for x in state.items[ids[0]].label_ids}
    assert {"ux", "triaged"} <= names


async def test_e_and_a_open_the_forms_for_the_card_shown(make_app, kitemaker, monkeypatch):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        notes = record_notifications(app, monkeypatch)
        ids = await start_walk(app, pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: shown(app) == ids[1])
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, WorkItemForm))
        assert app.screen.item_id == ids[1]
        app.screen.query_one("#title", Input).value = "Renamed in triage"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, WalkScreen))
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, CommentForm))
        assert app.screen.item_id == ids[1]
        app.screen.query_one("#body", TextArea).text = "Looked at in triage"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, WalkScreen))
        await settle(app, pilot)
        title = walk_of(app).query_one("#detail-title", Static)
        assert str(title.content) == "Renamed in triage"
        await pilot.press("q")
        await settle(app, pilot)
        assert notes[-1][1] == "2 seen: 1 edited, 1 commented, 1 skipped"
    assert kitemaker.state.items[ids[1]].title == "Renamed in triage"
    bodies = [c.body for c in kitemaker.state.comments_of(ids[1])]
    assert bodies[-1] == "Looked at in triage"


async def test_p_goes_back_and_u_undoes_the_last_change_showing_its_card(
    make_app, kitemaker
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        ids = await start_walk(app, pilot)
        backlog, todo = (status_id for status_id, _ in walk_of(app).statuses[:2])
        await pilot.press("2")
        await wait_until(pilot, lambda: shown(app) == ids[1])
        await pilot.press("p")
        await wait_until(pilot, lambda: shown(app) == ids[0])
        await pilot.press("p")  # the first card: nothing before it
        assert text_of(walk_of(app), "#walk-said") == "This is the first card."
        await pilot.press("n", "E", "s")  # the second card's effort
        await settle(app, pilot)
        assert kitemaker.state.items[ids[1]].effort == "small"
        await pilot.press("u")  # the effort
        await settle(app, pilot)
        assert shown(app) == ids[1]
        assert kitemaker.state.items[ids[1]].effort != "small"
        assert kitemaker.state.items[ids[0]].status_id == todo
        await pilot.press("u")  # the move: the walk shows that card again
        await wait_until(pilot, lambda: shown(app) == ids[0])
        await settle(app, pilot)
        assert kitemaker.state.items[ids[0]].status_id == backlog
        assert (
            text_of(walk_of(app), "#walk-said")
            == f"Undone: {walk_of(app).reference(ids[0])} back in Backlog"
        )
        await pilot.press("u")
        await settle(app, pilot)
        said = text_of(walk_of(app), "#walk-said")
        assert said == "Nothing to undo: no move or edit made in this session."


async def test_q_ends_with_a_summary_and_the_board_cursor_on_the_last_card_seen(
    make_app, monkeypatch
) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        notes = record_notifications(app, monkeypatch)
        ids = await start_walk(app, pilot)
        todo = walk_of(app).statuses[1][0]
        await pilot.press("2", "n", "L")
        await wait_until(pilot, lambda: shown(app) == ids[3])
        await pilot.press("p")  # the last card seen is the third (now in Todo)
        await wait_until(pilot, lambda: shown(app) == ids[2])
        await pilot.press("q")
        await settle(app, pilot)
        assert isinstance(app.screen, BoardScreen)
        assert notes[-1] == ("Triage · Backlog", "4 seen: 2 → Todo, 2 skipped")
        board = board_of(app)
        assert board.model.columns[board.board.focused_index()].id == todo
        assert focused_list(app).cursor_id == ids[2]


async def test_escape_ends_the_walk_too_and_the_last_card_has_an_end_page(
    make_app, monkeypatch
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        notes = record_notifications(app, monkeypatch)
        await settle(app, pilot)
        await pilot.press("l")  # Todo
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, WalkScreen))
        walk = walk_of(app)
        ids = walk.state.item_ids
        await pilot.press(*["n"] * len(ids))
        end = walk.query_one("#walk-end", Static)
        await wait_until(pilot, lambda: end.display)
        assert str(end.content).startswith("That was the last card of Todo.")
        assert text_of(walk, "#walk-progress").endswith(f"{len(ids)} of {len(ids)} · Todo")
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, BoardScreen)
        assert notes[-1][1] == f"{len(ids)} seen: {len(ids)} skipped"
        assert focused_list(app).cursor_id == ids[-1]


async def test_the_palette_offers_triage_this_column(make_app) -> None:
    from tests.ui.test_commands import open_palette, palette_options, type_in_palette

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await open_palette(pilot)
        await type_in_palette(pilot, "triage", "Triage this column  t")
        assert palette_options(app)[0].startswith("Triage this column  t")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, WalkScreen))


async def test_u_in_the_walk_goes_back_through_the_boards_writes_too(make_app, kitemaker):
    """One history for the session: after the walk's own change, `u` undoes the move
    made on the board before the walk."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        moved = focused_list(app).cursor_id
        backlog = board_of(app).model.columns[0].id
        await pilot.press("L")  # on the board: the first card to Todo
        await settle(app, pilot)
        await pilot.press("h")  # (the cursor went with the card: back to Backlog)
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, WalkScreen))
        ids = walk_of(app).state.item_ids
        assert moved not in ids
        await pilot.press("I", "n")
        await settle(app, pilot)
        await pilot.press("u")  # the walk's impact
        await settle(app, pilot)
        assert kitemaker.state.items[moved].status_id != backlog
        await pilot.press("u")  # the board's move
        await settle(app, pilot)
        assert kitemaker.state.items[moved].status_id == backlog
        said = text_of(walk_of(app), "#walk-said")
        assert said == f"Undone: {walk_of(app).reference(moved)} back in Backlog"
        assert shown(app) == ids[0]  # (not a card of the walk: the walk stays where it is)


async def test_a_move_typed_with_q_right_after_it_is_still_sent(make_app, kitemaker) -> None:
    """The walk ends at once; its last write goes on without it (the app's worker)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        ids = await start_walk(app, pilot)
        todo = walk_of(app).statuses[1][0]
        kitemaker.transport.hold = asyncio.Event()
        await type_at_once(pilot, "L", "q")
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        await wait_until(pilot, lambda: bool(kitemaker.transport.writes))
        kitemaker.transport.hold.set()
        await settle(app, pilot)
        assert focused_list(app).cursor_id == ids[1]  # the last card seen
    assert kitemaker.state.items[ids[0]].status_id == todo


async def test_u_in_the_walk_asks_before_undoing_over_someone_elses_change(
    make_app, kitemaker
) -> None:
    from kiteboard.ui.screens.forms.confirm import OverwriteConfirm

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        ids = await start_walk(app, pilot)
        backlog, _todo, doing = (status_id for status_id, _ in walk_of(app).statuses[:3])
        await pilot.press("2")
        await settle(app, pilot)
        kitemaker.state.update_item(ids[0], {"status_id": doing})  # a teammate, meanwhile
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, OverwriteConfirm))
        await pilot.press("n")  # keep theirs
        await settle(app, pilot)
        assert text_of(walk_of(app), "#walk-said").startswith("Not undone")
        assert kitemaker.state.items[ids[0]].status_id == doing
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, OverwriteConfirm))
        await pilot.press("y")  # undo anyway: the walk shows the card back in Backlog
        await wait_until(pilot, lambda: shown(app) == ids[0])
        await settle(app, pilot)
        assert kitemaker.state.items[ids[0]].status_id == backlog
        assert text_of(walk_of(app), "#walk-said").startswith("Undone:")
        await pilot.press("q")
        await settle(app, pilot)

"""The board's writing keys, in the whole app (Pilot), against the in-process emulator.

c new item in the focused column · e edit · m move (picker) · H/L move to the
neighbouring column · a comment. The store starts warm from the same demo data the
emulator holds, and the app connects to that emulator as --demo does.
"""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Input, TextArea

from kiteboard.app import AppOptions, KiteboardApp
from kiteboard.session.session import Session
from kiteboard.ui.screens.board import BoardScreen
from kiteboard.ui.screens.forms import CommentForm, StatusPicker, WorkItemForm
from tests.board_world import (
    Kitemaker,
    board_of,
    column_titles,
    connected_app,
    focused_list,
    settle,
)
from tests.pilot_support import record_notifications, type_at_once, wait_until
from tests.ui.demo_store import demo_store, fixed_clock
from tests.writing_world import delete_item

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


def test_the_board_and_item_screens_have_the_writing_keys() -> None:
    from kiteboard.ui.screens.item import ItemScreen

    for screen in (BoardScreen, ItemScreen):
        bindings = screen._merge_bindings().key_to_bindings
        actions = {key: [b.action for b in found] for key, found in bindings.items()}
        for key, action in {
            "c": "writing('new_item')",
            "e": "writing('edit_item')",
            "m": "writing('move_item')",
            "a": "writing('comment')",
            "H": "writing('move_by', -1)",
            "L": "writing('move_by', 1)",
        }.items():
            assert actions[key] == [action]


async def test_c_creates_an_item_in_the_focused_column(make_app, kitemaker) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press("l")  # the second column
        status_id = board_of(app).model.columns[1].id
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, WorkItemForm)
        assert form.query_one("#status").value == status_id
        await pilot.press(*"Typo", "space", *"in", "space", *"footer")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, BoardScreen)
        assert "Typo in footer" in column_titles(app, status_id)
        # The new card is under the cursor, in its column.
        assert focused_list(app).cursor_card.title == "Typo in footer"
    (item,) = kitemaker.titled("Typo in footer")
    assert item.status_id == status_id


async def test_e_edits_the_card_under_the_cursor_sending_only_the_change(
    make_app, kitemaker
) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        card = focused_list(app).cursor_card
        assert card is not None
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, WorkItemForm)
        title = form.query_one("#title", Input)
        assert title.value == card.title
        title.value = "Renamed from the board"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert focused_list(app).cursor_card.title == "Renamed from the board"
    (body,) = kitemaker.transport.bodies("PUT", "/workitem")
    assert set(body) == {"id", "title"}
    assert kitemaker.state.items[card.id].title == "Renamed from the board"


async def test_m_picks_a_status_and_the_card_moves(make_app, kitemaker) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        card = focused_list(app).cursor_card
        statuses = board_of(app).model.statuses
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, StatusPicker)
        await pilot.press("down", "down", "enter")  # two columns to the right
        await settle(app, pilot)
        target = statuses[2].id
        assert card.title in column_titles(app, target)
    assert kitemaker.state.items[card.id].status_id == target


async def test_shift_l_moves_the_card_at_once_and_the_server_confirms(
    make_app, kitemaker, store
) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        card = focused_list(app).cursor_card
        statuses = board_of(app).model.statuses
        kitemaker.transport.hold = asyncio.Event()  # the server takes its time
        await pilot.press("L")
        await pilot.pause()
        board = board_of(app)
        if board.loader.pending is not None:
            await board.loader.apply_pending()
        assert card.title in column_titles(app, statuses[1].id)  # before any answer
        assert kitemaker.state.items[card.id].status_id == statuses[0].id
        kitemaker.transport.hold.set()
        await settle(app, pilot)
        assert card.title in column_titles(app, statuses[1].id)
        assert store.read.card(card.id).status_id == statuses[1].id
    assert kitemaker.state.items[card.id].status_id == statuses[1].id


async def test_a_refused_move_goes_back_with_a_message(make_app, kitemaker, monkeypatch) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        notes = record_notifications(app, monkeypatch)
        await settle(app, pilot)
        card = focused_list(app).cursor_card
        statuses = board_of(app).model.statuses
        del kitemaker.state.statuses[statuses[1].id]  # the column was deleted meanwhile
        await pilot.press("L")
        await settle(app, pilot)
        assert card.title in column_titles(app, statuses[0].id)
        assert card.title not in column_titles(app, statuses[1].id)
        title, text = notes[-1]
        assert title.endswith("moved back")
        assert "Kitemaker refused the move" in text and "not a status" in text
    assert kitemaker.state.items[card.id].status_id == statuses[0].id


async def test_h_at_the_first_column_does_nothing(make_app, kitemaker) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press("H")
        await settle(app, pilot)
    assert kitemaker.transport.bodies("PUT", "/workitem") == []


async def test_a_comment_shows_in_the_detail_pane_once_kitemaker_has_it(
    make_app, kitemaker
) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        card = focused_list(app).cursor_card
        await pilot.press("enter")  # the detail pane, beside the board
        await settle(app, pilot)
        await pilot.press("a")  # comments on the item in the pane
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CommentForm) and form.item_id == card.id
        form.query_one("#body", TextArea).text = "Seen on **staging** too"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        pane = board_of(app).query_one("#detail-pane")
        bodies = [m.source for m in pane.query(".comment-body")]
        assert bodies[-1] == "Seen on **staging** too"
    assert [c.body for c in kitemaker.state.comments_of(card.id)][-1] == ("Seen on **staging** too")


async def test_a_dropped_answer_to_a_comment_from_the_board_makes_one_comment(
    make_app, kitemaker
) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        card = focused_list(app).cursor_card
        kitemaker.emulator.faults.inject("drop_response", method="POST", path="/comment")
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#body", TextArea).text = "said once"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, BoardScreen)
    bodies = [c.body for c in kitemaker.state.comments_of(card.id)]
    assert bodies.count("said once") == 1


async def test_writing_before_the_connection_says_so(store, monkeypatch) -> None:
    session = Session(connect=None, open_store=lambda: store)
    app = KiteboardApp(session, AppOptions(space="KB", clock=fixed_clock, connect=False))
    async with app.run_test(size=WIDE) as pilot:
        notes = record_notifications(app, monkeypatch)
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert notes[-1][0] == "Not connected"


async def test_moving_an_item_deleted_in_kitemaker_says_so_and_drops_the_card(
    make_app, kitemaker, monkeypatch
) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        notes = record_notifications(app, monkeypatch)
        await settle(app, pilot)
        card = focused_list(app).cursor_card
        delete_item(kitemaker.state, card.id)
        await pilot.press("L")
        await settle(app, pilot)
        assert card.id not in {c.id for col in board_of(app).model.columns for c in col.cards}
        title, text = notes[-1]
        assert title.endswith("is gone") and "no longer exists" in text


async def test_the_writing_keys_work_on_the_narrow_detail_screen(make_app, kitemaker) -> None:
    """At 80x24 Enter opens the item full screen; `a` and `m` work there too."""
    from kiteboard.ui.screens.item import ItemScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        card = focused_list(app).cursor_card
        statuses = board_of(app).model.statuses
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ItemScreen)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CommentForm) and form.item_id == card.id
        form.query_one("#body", TextArea).text = "from the detail screen"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ItemScreen)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, StatusPicker)
        await pilot.press("3")  # the third column, in one key
        await settle(app, pilot)
        assert isinstance(app.screen, ItemScreen)
    assert [c.body for c in kitemaker.state.comments_of(card.id)][-1] == "from the detail screen"
    assert kitemaker.state.items[card.id].status_id == statuses[2].id


async def test_the_status_picker_moves_with_j_and_k(make_app, kitemaker) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        card = focused_list(app).cursor_card
        statuses = board_of(app).model.statuses
        await pilot.press("m", "j", "j", "j", "k", "enter")
        await settle(app, pilot)
    assert kitemaker.state.items[card.id].status_id == statuses[2].id


async def test_a_title_typed_right_after_c_lands_in_the_form_whole(make_app, kitemaker) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await type_at_once(pilot, "c", *"Fix", "space", *"the", "space", *"login")
        assert isinstance(app.screen, WorkItemForm)
        assert app.screen.query_one("#title", Input).value == "Fix the login"
        board = board_of(app)
        assert board.board.focused_index() == 0  # no letter moved the board (l, h, ...)
        assert board.board.columns[0].cards.cursor == 0


async def test_a_comment_typed_right_after_a_lands_in_the_form_whole(make_app, kitemaker) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await type_at_once(pilot, "a", *"looks", "space", *"good")
        assert isinstance(app.screen, CommentForm)
        assert app.screen.query_one("#body", TextArea).text == "looks good"


async def test_m_and_a_digit_typed_at_once_move_the_card(make_app, kitemaker) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        card = focused_list(app).cursor_card
        target = board_of(app).model.columns[2].id
        await type_at_once(pilot, "m", "3")
        await settle(app, pilot)
        assert kitemaker.state.items[card.id].status_id == target
        assert isinstance(app.screen, BoardScreen)


async def test_a_burst_of_c_title_and_ctrl_s_sends_the_whole_title(make_app, kitemaker) -> None:
    """Keys that arrive together (a laggy SSH link): Ctrl+s, a binding the app runs at
    once, must not send the form before the letters typed ahead of it are in."""
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await type_at_once(pilot, "c", *"Ship", "space", *"it", "ctrl+s")
        await settle(app, pilot)
        assert kitemaker.titled("Ship it")
        assert isinstance(app.screen, BoardScreen)
    assert not kitemaker.titled("S") and not kitemaker.titled("")


async def test_the_palette_finds_move_card_to_and_opens_the_move_picker(make_app) -> None:
    from tests.ui.test_commands import open_palette, palette_options, type_in_palette

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("j")
        card_id = board_of(app).current_card_id()
        await open_palette(pilot)
        await type_in_palette(pilot, "mov", "Move card to…  m")
        assert palette_options(app)[0].startswith("Move card to…  m")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, StatusPicker))
        # The picker is for the card under the cursor, as `m` would have opened it.
        card = board_of(app).model._cards[card_id]
        assert app.screen.heading == f"KB-{card.number}"


async def test_keys_typed_while_a_form_is_sending_go_to_the_board_it_closes_onto(
    make_app, kitemaker, monkeypatch
) -> None:
    """`a`, a comment, Ctrl+s, `j j` at once over a slow link: the j's were typed into
    the comment being sent (and lost with it); they wait, then move the board's cursor."""
    from textual import events

    answer = asyncio.Event()
    handle = kitemaker.transport.handle_async_request

    async def slow(request):
        if request.method == "POST" and "comment" in request.url.path:
            await answer.wait()
        return await handle(request)

    monkeypatch.setattr(kitemaker.transport, "handle_async_request", slow)
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        assert focused_list(app).cursor == 0
        for key in ["a", *"ok", "ctrl+s", "j", "j"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await wait_until(pilot, lambda: isinstance(app.screen, CommentForm) and app.screen.sending)
        form = app.screen
        await pilot.pause()
        assert form.query_one("#body", TextArea).text == "ok"  # no j in what is sent
        answer.set()
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen) and app.typing_settled)
        await settle(app, pilot)
        assert focused_list(app).cursor == 2

"""Driving the board from the keyboard and the mouse (Pilot, warm demo store)."""

from __future__ import annotations

from kiteboard.ui.screens.board import BoardScreen
from kiteboard.ui.widgets.card_list import CardList
from tests.pilot_support import type_at_once, wait_until


def focused_list(app) -> CardList:
    focused = app.focused
    assert isinstance(focused, CardList)
    return focused


def cursor_title(app) -> str:
    card = focused_list(app).cursor_card
    assert card is not None
    return card.title


async def test_board_opens_on_the_space_with_a_column_per_status(make_app, store):
    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        kb = next(s for s in store.read.spaces() if s.key == "KB")
        assert [c.name for c in screen.model.columns] == [
            s.name for s in store.read.statuses(kb.id)
        ]
        assert focused_list(app).column_id == screen.model.columns[0].id


async def test_vim_keys_and_arrows_move_the_cursor(make_app):
    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        column = app.screen.model.columns[0]
        await pilot.press("j", "j", "down")
        assert focused_list(app).cursor == 3
        await pilot.press("k", "up")
        assert focused_list(app).cursor == 1
        await pilot.press("G")
        assert focused_list(app).cursor == len(column.cards) - 1
        assert cursor_title(app) == column.cards[-1].title
        await pilot.press("g")
        assert focused_list(app).cursor == 0
        await pilot.press("ctrl+d")
        half = focused_list(app).cursor
        assert half >= 1
        await pilot.press("ctrl+u")
        assert focused_list(app).cursor == 0
        await pilot.press("pagedown")
        assert focused_list(app).cursor > half
        await pilot.press("l")
        assert focused_list(app).column_id == app.screen.model.columns[1].id
        await pilot.press("right", "right", "right", "right", "right", "right")
        last = app.screen.model.columns[-1]
        assert focused_list(app).column_id == last.id
        # The focused column is scrolled into view, whole.
        board = app.screen.board
        widget = board.columns[-1]
        assert board.scroll_x + board.size.width >= widget.virtual_region.right
        await pilot.press("h")
        assert focused_list(app).column_id == app.screen.model.columns[-2].id


async def test_the_cursor_stays_in_view_when_moving_far(make_app):
    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("G")
        card_list = focused_list(app)
        top = card_list.cursor * 4
        assert card_list.scroll_y <= top < card_list.scroll_y + card_list.size.height


async def test_mouse_click_selects_a_card(make_app):
    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        second = app.screen.board.columns[1].cards
        await pilot.click(second, offset=(5, 5))  # line 5 = the second card
        assert app.focused is second
        assert second.cursor == 1


async def test_filter_by_title_number_and_label(make_app):
    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        total = len(screen.model)
        await pilot.press("slash", *"bug")
        shown = [c for column in screen.model.columns for c in column.cards]
        assert 0 < len(shown) < total
        bug = next(label.id for label in screen.model.labels.values() if label.name == "bug")
        assert all(bug in c.label_ids or "bug" in c.title.lower() for c in shown)
        await pilot.press("enter")  # keep the filter, back to the board
        assert isinstance(app.focused, CardList)
        assert "bug" in screen.top_bar.info.plain
        await pilot.press("escape")  # clears it
        assert sum(len(c.cards) for c in screen.model.columns) == total
        # By number and by reference.
        await pilot.press("slash", *"KB-12", "enter")
        found = [c for column in screen.model.columns for c in column.cards]
        assert 12 in [c.number for c in found]
        assert all(str(c.number).startswith("12") or "kb-12" in c.title.lower() for c in found)


async def test_filter_that_matches_nothing_says_so(make_app):
    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"zzzzqqq")
        card_list = app.screen.board.columns[0].cards
        assert card_list.cards == []
        assert "No matches" in card_list.render_line(2).text


async def test_enter_on_a_narrow_terminal_opens_the_item_screen_and_esc_returns(make_app):
    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("l", "j", "j")
        before = (focused_list(app).column_id, focused_list(app).cursor_id)
        await pilot.press("enter")
        await pilot.pause()
        from kiteboard.ui.screens.item import ItemScreen

        assert isinstance(app.screen, ItemScreen)
        assert app.screen.item_id == before[1]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert (focused_list(app).column_id, focused_list(app).cursor_id) == before


async def test_every_key_typed_at_once_scrolls_the_item_detail(make_app):
    """j held down (or typed quickly) scrolls a line per key, at once: scrolling is not
    animated, so no key lands in the middle of an animation and is lost."""

    from kiteboard.ui.widgets.item_detail import ItemDetailView

    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen.query_one(ItemDetailView)
        assert detail.max_scroll_y >= 6 and detail.scroll_y == 0
        await type_at_once(pilot, *"jjjjjj")
        assert detail.scroll_y == 6
        await pilot.press("k")
        assert detail.scroll_y == 5
        await pilot.press("G")
        assert detail.scroll_y == detail.max_scroll_y
        await pilot.press("g")
        assert detail.scroll_y == 0
        await pilot.press("ctrl+d")
        assert detail.scroll_y > 5


async def test_keys_typed_right_after_the_key_that_opens_a_screen_reach_that_screen(make_app):
    """`s` + a space's name, Enter + `j j j`, typed at once: every key after the first
    was on its way to the board before the new screen was there, and was dropped."""
    from textual.widgets import Input

    from kiteboard.ui.screens.item import ItemScreen
    from kiteboard.ui.screens.space_picker import SpacePickerScreen
    from kiteboard.ui.widgets.item_detail import ItemDetailView

    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_at_once(pilot, "enter", "j", "j", "j")
        assert isinstance(app.screen, ItemScreen)
        assert app.screen.query_one(ItemDetailView).scroll_y == 3
        await pilot.press("escape")
        assert focused_list(app).cursor == 0  # the j's scrolled the item, not the board
        await type_at_once(pilot, *"splat")
        assert isinstance(app.screen, SpacePickerScreen)
        assert app.screen.query_one("#picker-filter", Input).value == "plat"
        # Enter and the keys after it, at once: Enter opens the space, the j's move there.
        await type_at_once(pilot, "enter", "j", "j")
        assert isinstance(app.screen, BoardScreen)
        assert app.screen.space.key == "PLAT"
        assert focused_list(app).cursor == 2
        assert focused_list(app).column_id == app.screen.model.columns[0].id


async def test_enter_on_a_wide_terminal_opens_the_pane_beside_the_board(make_app):
    app = make_app("KB")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("j", "enter")
        await pilot.pause()
        pane = app.screen.query_one("#detail-pane")
        assert pane.display and app.focused is pane
        assert pane.item_id == app.screen.board.columns[0].cards.cursor_id
        # The board beside the pane shows fewer columns: the top bar says how many more.
        assert app.screen.top_bar.info.plain.strip() == "2→"
        await pilot.press("escape")
        await pilot.pause()
        assert not pane.display
        assert focused_list(app).cursor == 1
        assert app.screen.top_bar.info.plain.strip() == ""  # all 5 in view again


async def test_the_pane_opened_by_keys_typed_quickly_shows_the_card_under_the_cursor(make_app):
    """j j Enter typed at once: the pane opens on the card the cursor ended on, not on
    one it passed (each move's message reaches the screen after the Enter)."""

    app = make_app("KB")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await type_at_once(pilot, "j", "j", "enter")
        pane = app.screen.query_one("#detail-pane")
        cards = app.screen.board.columns[0].cards
        assert cards.cursor == 2
        assert pane.item_id == cards.cursor_id
        # Back on the board (tab), the pane follows the cursor.
        await pilot.press("tab")
        assert app.focused is cards
        await pilot.press("j")
        await pilot.pause()
        assert cards.cursor == 3 and pane.item_id == cards.cursor_id


async def test_switching_space_with_s(make_app, store):
    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"design", "enter")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert app.screen.space.name == "Design"
        assert store.local.get_value("ui.last_space") == app.screen.space.id
        # Esc in the picker goes back to the same board.
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.space.name == "Design"


async def test_last_space_opens_directly_next_time(make_app, store):
    design = next(s for s in store.read.spaces() if s.name == "Design")
    store.local.set_value("ui.last_space", design.id)
    app = make_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert app.screen.space.id == design.id


async def test_help_lists_every_command_of_the_registry_with_its_id(make_app):
    from kiteboard.ui import commands

    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        from kiteboard.ui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        listed = {row.id for _, rows in app.screen.groups for row in rows}
        # Every command of every screen: the help is the registry, nothing kept by hand.
        assert listed == commands.command_ids()
        assert {"app.quit", "app.palette", "board.move_item", "detail.close"} <= listed
        # The list is longer than the overlay: the arrows and page keys scroll it.
        scroll = app.screen.query_one("#help-scroll")
        assert scroll.max_scroll_y > 0
        await pilot.press("down", "down", "down")
        assert scroll.scroll_y == 3
        await pilot.press("ctrl+end")
        assert scroll.scroll_y == scroll.max_scroll_y
        await pilot.press("escape")
        assert isinstance(app.screen, BoardScreen)


async def test_keymap_overrides_a_binding_by_id(make_app):
    app = make_app("KB", keymap={"board.down": "n"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n")
        assert focused_list(app).cursor == 2
        await pilot.press("question_mark")
        await pilot.pause()
        rows = {row.id: row.keys for _, r in app.screen.groups for row in r}
        assert rows["board.down"] == "n"


async def test_keys_typed_quickly_land_in_the_column_just_moved_to(make_app):
    """`l j` typed faster than Textual moves the focus still moves in the new column."""

    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        board = app.screen.board
        await type_at_once(pilot, "l", "j", "j")  # like a fast typist over SSH
        assert board.columns[0].cards.cursor == 0
        assert board.columns[1].cards.cursor == 2
        assert app.screen.current_card_id() == board.columns[1].cards.cursor_id


async def test_filter_typed_quickly_after_slash_keeps_every_letter(make_app):

    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_at_once(pilot, "slash", *"data")
        assert app.screen.filter_input.value == "data"
        assert app.screen.model.filter_text == "data"


async def test_columns_out_of_view_are_reached_by_keys_typed_during_start_up(make_app):
    """The first frame holds only the columns that fit (3 of KB's 5 at 80 cells); the
    others follow it, and `l` typed before they are mounted still gets to them."""

    from tests.pilot_support import wait_until

    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await type_at_once(pilot, *"llll")  # before the board has settled
        screen = app.screen
        board = screen.board
        assert [c.column_id for c in board.columns] == [c.id for c in screen.model.columns]
        assert focused_list(app).column_id == screen.model.columns[-1].id
        # Scrolled into view once laid out (a frame or two after the keys).
        await wait_until(pilot, lambda: board.hidden_columns() == (2, 0))
        await pilot.press("h", "h", "h", "h")
        assert focused_list(app).column_id == screen.model.columns[0].id
        await wait_until(pilot, lambda: board.hidden_columns() == (0, 2))


async def test_a_late_focus_event_does_not_take_the_highlight_from_the_focused_column(make_app):
    """Keys typed quickly move the focus through several columns; each one's Focus
    event arrives later, in no fixed order. One arriving after the focus moved on must
    not make its column the highlighted one (the next `l` would start from there)."""
    from textual import events

    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("l", "l")
        board = app.screen.board
        assert board.focused_index() == 2
        board.columns[1].cards.post_message(events.Focus())  # column 1's, come late
        await pilot.pause()
        assert [c.cards.active for c in board.columns] == [False, False, True, False, False]
        assert focused_list(app) is board.columns[2].cards
        await pilot.press("l")
        assert focused_list(app) is board.columns[3].cards


async def test_a_big_space_paints_from_a_preview_then_shows_every_card(tmp_path):
    """From 1,000 items the first frame holds each column's first cards (and the true
    counts); the whole space follows, with the cursor still on the card it was on."""

    from kiteboard.app import AppOptions, KiteboardApp
    from kiteboard.session.session import Session
    from tests.pilot_support import wait_until
    from tests.ui.demo_store import demo_store, fixed_clock

    big = demo_store(tmp_path / "big.sqlite3", items=1_200)
    app = KiteboardApp(
        Session(connect=None, open_store=lambda: big),
        AppOptions(space="PLAT", clock=fixed_clock, connect=False),
    )
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            first = screen.model
            assert first.partial  # what the first frame was drawn from
            shown = [len(column.cards) for column in first.columns]
            assert max(shown) <= 24 // 4 + 2
            totals = [column.total for column in first.columns]
            await type_at_once(pilot, "j", "j", "j")  # while the whole space is read
            await wait_until(pilot, lambda: not screen.model.partial)  # read in a thread
            await pilot.pause()
            whole = screen.model
            assert not whole.partial
            assert len(whole) == big.read.counts(screen.space.id)[1] == 1_200
            assert [column.total for column in whole.columns] == totals
            card_list = focused_list(app)
            assert card_list.cursor == 3
            assert card_list.cursor_id == whole.columns[0].cards[3].id
            await pilot.press("G")
            assert card_list.cursor_id == whole.columns[0].cards[-1].id
            assert len(card_list.cards) == whole.columns[0].total > max(shown)
    finally:
        big.close()


async def test_a_filter_matching_only_columns_out_of_view_goes_to_them(make_app):
    """At 80 cells KB shows 3 of its 5 columns: a filter whose matches are all in the
    last one moves there (the field keeps the focus) instead of showing "No matches"."""
    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        columns = screen.model.columns
        seen_before = " ".join(c.title.casefold() for col in columns[:-1] for c in col.cards)
        word = next(
            w
            for card in columns[-1].cards
            for w in card.title.casefold().split()
            if len(w) > 4 and w not in seen_before
        )
        await pilot.press("slash", *word)
        await pilot.pause()
        board = screen.board
        assert board.focused_index() == len(columns) - 1
        assert app.focused is screen.filter_input  # still typing
        assert board.hidden_columns() == (2, 0)  # scrolled to it
        await pilot.press("enter")
        assert focused_list(app).column_id == columns[-1].id
        assert word in focused_list(app).cursor_card.title.casefold()


async def test_the_first_pickers_escape_clears_what_was_typed_then_quits(make_app):
    """With no board yet there is nothing to go back to: the footer does not offer it;
    Esc clears the filter (offered as "esc Clear" only while there is text), then quits
    (offered as "esc Quit"). Every letter is typed, `q` first too: the footer offers no
    letter key, which would only be typed."""
    from kiteboard.ui.screens.space_picker import SpacePickerScreen
    from kiteboard.ui.widgets.key_hints import KeyHints

    def offered(screen) -> set[str]:
        return {
            active.binding.id
            for active in screen.active_bindings.values()
            if active.binding.show and active.enabled
        }

    app = make_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, SpacePickerScreen)
        assert "spaces.back" not in offered(picker)
        assert "spaces.clear" not in offered(picker)
        footer = picker.query_one(KeyHints).render().plain
        assert footer.startswith(" ↑↓ Move  ⏎ Open  esc Quit ")
        assert " q " not in footer and " s " not in footer  # letters are typed here
        await pilot.press(*"qplat")
        assert picker._typed() == "qplat"
        assert offered(picker) >= {"spaces.clear"}
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is picker
        assert picker._typed() == ""
        assert "spaces.clear" not in offered(picker)
        assert app.return_code is None
        await pilot.press("escape")  # nothing typed: quits
        await wait_until(pilot, lambda: app.return_code == 0)


async def test_ctrl_q_quits_from_the_space_picker(make_app):
    app = make_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"pl", "ctrl+q")
        await wait_until(pilot, lambda: app.return_code == 0)


async def test_a_space_asked_for_that_does_not_exist_is_named_above_the_picker(make_app):
    """`kiteboard --space Nope`: the picker, saying why it is there."""
    from kiteboard.ui.screens.space_picker import SpacePickerScreen

    app = make_app("Nope")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, SpacePickerScreen))
        said = app.screen.query_one("#picker-missing").render()
        assert str(said) == "No space named “Nope”."


async def test_clicking_a_key_in_the_footer_presses_it(make_app):
    from kiteboard.ui.screens.help import HelpScreen
    from kiteboard.ui.widgets.key_hints import KeyHints

    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        hints = app.screen.query_one(KeyHints)
        text = hints.render().plain
        # At 80 columns the keys that matter fit: the registry's ranks chose them.
        assert text == (
            " c New  e Edit  m Move  a Comment  ⏎ Open  / Filter  : Commands  ? Help  q Quit "
        )
        help_hint = next(h for h in hints._hints if h.key == "question_mark")
        await pilot.click(KeyHints, offset=(help_hint.start + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_space_matches_a_key_given_in_the_config_before_the_store_knows_it(
    make_app, store, tmp_path
):
    """Growth's key cannot be learned (no comments); the config's space_keys says it."""
    from kiteboard.config import load_settings

    growth = next(space for space in store.read.spaces() if space.name == "Growth")
    store.write.forget_space_key(growth.id)
    config = tmp_path / "config.toml"
    config.write_text('[profiles.main]\nspace_keys = { "Growth" = "GRO" }\n', encoding="utf-8")
    config.chmod(0o600)
    settings = load_settings(config_path=config, environ={})
    app = make_app("gro", settings=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen))
        assert app.screen.space.id == growth.id


async def test_clearing_the_filter_keeps_the_cursor_on_the_card_and_shows_it(make_app):
    """A card far down its column, found by the filter: Esc clears the filter, and the
    cursor is still on that card, scrolled into view; `k` goes to the card above it."""
    from kiteboard.ui.widgets.card import CARD_HEIGHT

    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        column = focused_list(app)
        assert (len(column.cards) - 1) * CARD_HEIGHT > column.size.height  # below the fold
        target = column.cards[-1]
        await pilot.press("slash", *target.title, "enter")
        await wait_until(pilot, lambda: focused_list(app).cursor_id == target.id)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not app.screen.model.filter_text)
        await pilot.pause()
        column = focused_list(app)
        assert column.cursor_id == target.id
        top = column.cursor * CARD_HEIGHT
        assert column.scroll_y <= top and top + CARD_HEIGHT <= column.scroll_y + column.size.height
        await pilot.press("k")
        assert focused_list(app).cursor_card == column.cards[len(column.cards) - 2]


async def test_at_80_columns_a_long_filter_text_is_shortened_never_the_counts(make_app):
    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"performance issue", "enter")
        await wait_until(pilot, lambda: app.screen.model.filter_text == "performance issue")
        await pilot.pause()
        bar = app.screen.top_bar
        line = bar.render().plain
        shown = sum(len(column.cards) for column in app.screen.model.columns)
        assert f" {shown} of 60" in line
        assert line.rstrip().endswith(bar.sync_text)
        assert "2→" in line  # the columns out of view
        assert "filter perf" in line and "…" in line  # the text gives way


async def test_a_reference_typed_in_the_filter_puts_that_card_first_under_the_cursor(make_app):
    """`KB-5` also matches KB-50 … KB-59: the card KB-5 itself comes first in its
    column, and the cursor goes to it (the column brought into view), for `#5`, `kb-5`
    and a bare `5` too; Enter then leaves the cursor on it."""
    app = make_app("KB")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        card = next(c for c in screen.model._cards.values() if c.number == 5)
        column = next(i for i, s in enumerate(screen.model.statuses) if s.id == card.status_id)
        for typed in ("KB-5", "#5", "kb-5", "5"):
            await pilot.press("slash", *typed)
            await wait_until(pilot, lambda typed=typed: screen.model.filter_text == typed)
            board = screen.board
            assert board.focused_index() == column
            shown = board.columns[column].cards
            assert shown.cards[0].id == card.id and shown.cursor == 0
            assert sum(len(c.cards) for c in screen.model.columns) > 1  # KB-50… stay
            await pilot.press("enter")
            assert focused_list(app).cursor_card.id == card.id
            assert board.hidden_columns()[0] <= column  # its column is in view
            await pilot.press("escape")  # clears the filter; the cursor stays on it
            await wait_until(pilot, lambda: not screen.model.filter_text)
            assert focused_list(app).cursor_card.id == card.id
            await pilot.press("g", "h", "h", "h", "h", "h")  # elsewhere, for the next

"""Grouping, ordering and filtering of the board (no Textual)."""

from __future__ import annotations

from kiteboard.store.rows import CardRow, LabelRow, StatusRow
from kiteboard.ui.board_model import LOADING_COLUMN, NO_STATUS_COLUMN, BoardModel, reference

STATUSES = [StatusRow("s1", "Todo", 0), StatusRow("s2", "Done", 1)]
LABELS = [LabelRow("l1", "bug", "e91e63"), LabelRow("l2", "ux", "brown")]


def card(id, number, title, status="s1", labels=(), loaded=True):
    return CardRow(
        id,
        "sp",
        number,
        title,
        status if loaded else None,
        tuple(labels),
        None,
        None,
        None,
        None,
        loaded,
    )


def model(*cards):
    return BoardModel(STATUSES, cards, LABELS, "KB")


def titles(column):
    return [c.title for c in column.cards]


def test_columns_follow_the_api_order_and_cards_are_newest_first():
    board = model(card("a", 1, "one"), card("b", 3, "three"), card("c", 2, "two", "s2"))
    assert [c.name for c in board.columns] == ["Todo", "Done"]
    assert titles(board.columns[0]) == ["three", "one"]
    assert board.columns[1].total == 1


def test_loading_items_get_their_own_column_and_are_found_by_the_filter():
    board = model(card("a", 1, "ready"), card("b", None, "Still coming", loaded=False))
    assert board.columns[-1].id == LOADING_COLUMN
    board.set_filter("coming")
    assert titles(board.columns[-1]) == ["Still coming"]
    assert board.columns[0].cards == []


def test_cards_with_an_unknown_status_are_not_dropped():
    board = model(card("a", 1, "orphan", status="gone"))
    assert board.columns[-1].id == NO_STATUS_COLUMN
    assert titles(board.columns[-1]) == ["orphan"]


def test_filter_by_title_number_reference_or_label():
    board = model(
        card("a", 12, "Fix login", labels=["l1"]),
        card("b", 7, "Polish", labels=["l2"]),
        card("c", 120, "Other"),
    )
    board.set_filter("LOGIN")
    assert titles(board.columns[0]) == ["Fix login"]
    board.set_filter("kb-7")
    assert titles(board.columns[0]) == ["Polish"]
    board.set_filter("ux")
    assert titles(board.columns[0]) == ["Polish"]
    board.set_filter("120 ")  # a number is also a reference: see the exact tests
    assert titles(board.columns[0]) == ["Other"]
    board.set_filter("bug fix")  # every word must match
    assert titles(board.columns[0]) == ["Fix login"]
    board.set_filter("")
    assert board.columns[0].total == 3 and len(board.columns[0].cards) == 3


def test_a_reference_typed_puts_its_card_first_and_keeps_the_other_matches():
    board = model(
        card("a", 5, "Five"),
        card("b", 55, "Fifty-five"),
        card("c", 50, "Fifty", status="s2"),
        card("d", 9, "Port 5 of KB-5", status="s2"),
    )
    for typed in ("KB-5", "kb-5", "#5", "5", " KB-5 "):
        board.set_filter(typed)
        assert titles(board.columns[0]) == ["Five", "Fifty-five"], typed
        assert board.exact_match() == (0, "a"), typed
    board.set_filter("KB-50")  # in its own column
    assert titles(board.columns[1]) == ["Fifty"]
    assert board.exact_match() == (1, "c")
    # A move while filtered keeps the exact card first.
    board.set_filter("5")
    moved = card("a", 5, "Five", status="s2")
    board.replace_card("a", moved)
    assert titles(board.columns[1])[0] == "Five"
    assert board.exact_match() == (1, "a")


def test_what_is_not_a_reference_of_this_board_filters_as_before():
    board = model(card("a", 5, "Five"), card("b", 55, "PLAT-5 port"))
    for typed in ("PLAT-5", "KB-", "#", "KB-5x", "5 five", "٥"):
        board.set_filter(typed)
        assert board.exact is None and board.exact_match() is None, typed
    board.set_filter("PLAT-5")
    assert titles(board.columns[0]) == ["PLAT-5 port"]
    board.set_filter("KB-77")  # names no card: nothing pinned, nothing shown
    assert board.exact_match() is None and board.columns[0].cards == []


def test_without_the_space_key_only_numbers_are_references():
    board = BoardModel(STATUSES, [card("a", 5, "Five"), card("b", 55, "Other")], LABELS, None)
    board.set_filter("#5")
    assert board.exact_match() == (0, "a")
    board.set_filter("KB-5")
    assert board.exact is None


def test_filter_does_not_read_markup_or_escapes_in_titles():
    board = model(card("a", 1, "[bold]x\x1b[31m[/]"))
    board.set_filter("[bold]x[/]")
    assert len(board.columns[0].cards) == 1


def test_reference():
    assert reference("KB", 12) == "KB-12"
    assert reference(None, 12) == "#12"
    assert reference("KB", None) == "KB-?"


def test_a_preview_has_the_whole_boards_columns_their_first_cards_and_counts():
    cards = [card(f"c{n}", n, f"Card {n}", status="s1" if n % 4 else "s2") for n in range(1, 41)]
    cards += [card("x1", 41, "Lost", status="gone"), card("st", None, "Stub", loaded=False)]
    whole = model(*cards)
    # What Store.board_preview gives for 3 cards a column: each group's first 3.
    groups: dict = {}
    top = []
    for key in sorted({(c.status_id, c.loaded) for c in cards}, key=str):
        members = [c for c in whole._cards.values() if (c.status_id, c.loaded) == key]
        members.sort(key=lambda c: -(c.number or 0))
        groups[key] = len(members)
        top += members[:3]
    preview = BoardModel.preview(STATUSES, top, groups, LABELS, "KB", 3)
    assert preview.partial and not whole.partial
    assert [c.id for c in preview.columns] == [c.id for c in whole.columns]
    assert [c.id for c in whole.columns][-2:] == [NO_STATUS_COLUMN, LOADING_COLUMN]
    for shown, full in zip(preview.columns, whole.columns, strict=True):
        assert shown.total == full.total
        assert titles(shown) == titles(full)[:3]


def test_a_moved_card_is_patched_in_place_where_a_full_regroup_would_put_it():
    cards = [card("a", 1, "one"), card("b", 5, "five"), card("c", 3, "three", "s2")]
    board = model(*cards)
    board.set_filter("e")  # one, five, three all match; the filter stays applied
    moved = card("b", 5, "five", "s2")
    assert board.replace_card("b", moved) == (0, 1)
    expected = model(cards[0], moved, cards[2])
    expected.set_filter("e")
    for patched, whole in zip(board.columns, expected.columns, strict=True):
        assert (titles(patched), patched.total) == (titles(whole), whole.total)


def test_a_patch_that_would_change_the_columns_asks_for_a_regroup():
    board = model(card("a", 1, "one"), card("b", None, "coming", loaded=False))
    assert board.replace_card("b", card("b", 2, "two")) is None  # Loading would empty
    assert board.replace_card("x", card("x", 9, "gone astray", status="nowhere")) is None

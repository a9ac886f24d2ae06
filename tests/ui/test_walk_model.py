"""The triage walk's state without a screen: order, progress, pending changes, summary."""

from __future__ import annotations

from kiteboard.store.rows import CardRow, ItemDetail, LabelRow
from kiteboard.ui.walk_model import WalkState, walk_order

NAMES = {"s1": "Backlog", "s2": "Todo", "s3": "In Progress"}


def card(item_id: str, number: int | None, **fields) -> CardRow:
    values = dict(
        id=item_id, space_id="sp", number=number, title=f"Item {number}", status_id="s1",
        label_ids=(), effort=None, impact="Small", created_at=None, updated_at=None, loaded=True,
    )  # fmt: skip
    return CardRow(**(values | fields))


def test_the_walk_goes_newest_first_with_cards_without_a_number_last() -> None:
    cards = [card("a", 3), card("b", None), card("c", 12), card("d", 7)]
    assert walk_order(cards) == ["c", "d", "a", "b"]


def test_progress_names_the_card_and_the_column() -> None:
    walk = WalkState(["a", "b", "c"], "Backlog")
    assert walk.progress() == "1 of 3 · Backlog"
    walk.advance()
    walk.advance()
    assert walk.progress() == "3 of 3 · Backlog"
    walk.advance()
    assert walk.finished and walk.progress() == "done · 3 of 3 · Backlog"
    assert walk.last_seen == "c"
    assert walk.back() and walk.current_id == "c"


def test_the_summary_counts_moves_by_column_labels_and_what_was_left() -> None:
    walk = WalkState([f"i{n}" for n in range(12)], "Backlog")
    for n in range(12):
        item_id = walk.current_id
        assert item_id is not None
        if n < 5:
            walk.decide(item_id, "move", "s1", "s2")
        if 5 <= n < 8:
            walk.decide(item_id, "labels", (), ("l1",))
        walk.advance()
    assert walk.summary(NAMES) == "12 seen: 5 → Todo, 3 labelled, 4 skipped"


def test_a_card_moved_twice_counts_once_where_it_went_last() -> None:
    walk = WalkState(["a", "b"], "Backlog")
    walk.decide("a", "move", "s1", "s2")
    walk.decide("a", "move", "s2", "s3")
    walk.decide("a", "effort", None, "small")
    assert walk.summary(NAMES) == "1 seen: 1 → In Progress, 1 sized"


def test_a_pending_change_shows_over_the_store_until_its_own_answer() -> None:
    labels = {"l1": LabelRow("l1", "bug", "e91e63")}
    detail = ItemDetail(card("a", 1), None, None, None, "Backlog", "Space", "KB")
    walk = WalkState(["a"], "Backlog")
    first = walk.decide("a", "effort", None, "small")
    second = walk.decide("a", "effort", "small", "large")
    walk.decide("a", "labels", (), ("l1",))
    walk.decide("a", "move", "s1", "s2")
    shown = walk.overlay(detail, labels, NAMES)
    assert shown.card.effort == "large" and shown.status_name == "Todo"
    assert shown.labels == (labels["l1"],)
    walk.settle(first)  # the older write's answer: the newer value still shows
    assert walk.overlay(detail, labels, NAMES).card.effort == "large"
    walk.settle(second)
    assert walk.overlay(detail, labels, NAMES).card.effort is None


def test_a_withdrawn_decision_leaves_the_summary_and_the_card() -> None:
    walk = WalkState(["a", "b"], "Backlog")
    move = walk.decide("a", "move", "s1", "s2")
    walk.advance()
    walk.decide("b", "comment", None, None)
    walk.withdraw(move)  # refused, or undone
    assert walk.value("a", "status_id", "s1") == "s1"
    assert walk.summary(NAMES) == "2 seen: 1 commented, 1 skipped"

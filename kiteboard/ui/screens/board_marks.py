"""Marked cards (mutt's tag-and-advance): `v` marks or unmarks the card under the
cursor and moves the cursor to the next card; `V` marks every card of the column that
the filter shows (or, when they all are, unmarks them); Esc clears the marks first
(then the pane, then the filter). With cards marked, the writing keys (`m`, `H`, `L`)
act on all of them: see BoardWriting.

`BoardMarks` is held by the board screen (`MarksHost`). The marks are card ids: a
marked card that the filter hides or a sync moves stays marked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kiteboard.ui.widgets.board import Board
    from kiteboard.ui.widgets.card_list import CardList


class MarksHost(Protocol):
    @property
    def board(self) -> Board: ...

    def current_list(self) -> CardList | None:
        """The column worked in."""

    def update_info(self) -> None:
        """Say in the top bar how many cards are marked."""


class BoardMarks:
    def __init__(self, host: MarksHost) -> None:
        self._host = host
        self._ids: dict[str, None] = {}  # in the order marked

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._ids

    @property
    def ids(self) -> list[str]:
        return list(self._ids)

    def toggle_and_advance(self) -> None:
        """`v`: mark or unmark the cursor's card, then the cursor goes to the next."""
        card_list = self._host.current_list()
        card = card_list.cursor_card if card_list else None
        if card_list is None or card is None:
            return
        if card.id in self._ids:
            del self._ids[card.id]
        else:
            self._ids[card.id] = None
        self._show()
        card_list.move(1)

    def toggle_column(self) -> int:
        """`V`: mark every card the focused column shows; when all are marked already,
        unmark them. Returns how many cards changed (+ marked, - unmarked)."""
        card_list = self._host.current_list()
        ids = [card.id for card in card_list.cards] if card_list else []
        if not ids:
            return 0
        if all(item_id in self._ids for item_id in ids):
            for item_id in ids:
                del self._ids[item_id]
            self._show()
            return -len(ids)
        added = [item_id for item_id in ids if item_id not in self._ids]
        self._ids.update(dict.fromkeys(added))
        self._show()
        return len(added)

    def keep_only(self, item_ids: list[str]) -> None:
        """A batch is done: the cards whose write failed keep their marks."""
        failed = set(item_ids)
        self._ids = {item_id: None for item_id in self._ids if item_id in failed}
        self._show()

    def clear(self) -> bool:
        """Esc: True when there were marks to clear."""
        if not self._ids:
            return False
        self._ids.clear()
        self._show()
        return True

    def _show(self) -> None:
        self._host.board.set_marked(frozenset(self._ids))
        self._host.update_info()

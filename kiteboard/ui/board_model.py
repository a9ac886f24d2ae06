"""What the board shows, as plain data: columns of cards, grouped, ordered, filtered.

No Textual here, so it is cheap to test and cheap to rebuild: a 5,000-item space is
grouped and filtered in a few milliseconds. The widgets draw from it.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from kiteboard.ui.exact_reference import exact_number
from kiteboard.ui.widgets.safe_text import safe_line

if TYPE_CHECKING:
    from kiteboard.store.db import Store
    from kiteboard.store.rows import CardRow, LabelRow, SpaceRow, StatusRow

# Pseudo-columns for cards the API's statuses do not place (ids never clash with the
# API's 16-hex-digit ids).
LOADING_COLUMN = "kiteboard:loading"
NO_STATUS_COLUMN = "kiteboard:no-status"
# From this many items the first frame is drawn from a preview (each column's first
# cards and its count, ~2 ms) and the whole space read right after it: reading and
# grouping 5,000 items takes ~40 ms, which the first frame need not wait for.
PREVIEW_FROM = 1_000


def reference(space_key: str | None, number: int | None) -> str:
    """How a person names an item: `KB-123` (`#123` while the space key is unknown)."""
    if number is None:
        return f"{space_key}-?" if space_key else "#?"
    return f"{space_key}-{number}" if space_key else f"#{number}"


class Column:
    """One status column: its cards after the filter, and how many before it."""

    # A plain class (not a dataclass, ~1 ms to define): it is built before the first frame.
    __slots__ = ("cards", "id", "name", "total")

    def __init__(self, id: str, name: str, cards: list[CardRow] | None = None, total: int = 0):
        self.id = id
        self.name = name
        self.cards: list[CardRow] = cards if cards is not None else []  # after the filter
        self.total = total  # before filtering

    def __repr__(self) -> str:
        return f"Column({self.id!r}, {self.name!r}, {len(self.cards)} cards, total={self.total})"

    @property
    def is_pseudo(self) -> bool:
        return self.id.startswith("kiteboard:")


def _order_key(card: CardRow) -> tuple[int, int, str]:
    # Newest first by number: stable when cards change (a change never moves a card),
    # and the REST API exposes no board order. Cards without a number go last.
    return (0 if card.number is not None else 1, -(card.number or 0), card.id)


class BoardModel:
    """The board of one space: statuses in API order, cards grouped and filtered."""

    def __init__(
        self,
        statuses: Sequence[StatusRow],
        cards: Iterable[CardRow],
        labels: Iterable[LabelRow],
        space_key: str | None,
    ) -> None:
        self.space_key = space_key
        self.statuses = list(statuses)
        self.labels: dict[str, LabelRow] = {label.id: label for label in labels}
        self.filter_text = ""
        # True for a first frame's preview: the top of each column, the true totals.
        self.partial = False
        self._terms: list[str] = []
        self.exact: int | None = None  # the number the filter names exactly (`KB-12`)
        self._cards: dict[str, CardRow] = {}
        self._haystacks: dict[str, str] = {}
        self.columns: list[Column] = []
        self.set_cards(cards)

    @classmethod
    def preview(
        cls,
        statuses: Sequence[StatusRow],
        top_cards: Iterable[CardRow],
        groups: dict[tuple[str | None, bool], int],
        labels: Iterable[LabelRow],
        space_key: str | None,
        per_column: int,
    ) -> BoardModel:
        """The board as its first frame shows it, from Store.board_preview: each column's
        first `per_column` cards and its true count. The same columns as the whole
        model's, so that the whole one replaces it in place (see BoardScreen)."""
        model = cls(statuses, top_cards, labels, space_key)
        model.partial = True
        status_ids = {status.id for status in model.statuses}
        totals: dict[str, int] = {}
        for (status_id, loaded), count in groups.items():
            if not loaded:
                column_id = LOADING_COLUMN
            else:
                column_id = status_id if status_id in status_ids else NO_STATUS_COLUMN
            totals[column_id] = totals.get(column_id, 0) + count
        for column in model.columns:
            del column.cards[per_column:]
            column.total = totals.get(column.id, 0)
        return model

    # -- data ------------------------------------------------------------------
    def set_cards(self, cards: Iterable[CardRow]) -> None:
        self._cards = {card.id: card for card in cards}
        self._haystacks = {}
        self._regroup()

    def card(self, card_id: str) -> CardRow | None:
        return self._cards.get(card_id)

    def __len__(self) -> int:
        return len(self._cards)

    def _haystack(self, card: CardRow) -> str:
        found = self._haystacks.get(card.id)
        if found is None:
            names = " ".join(
                self.labels[label_id].name for label_id in card.label_ids if label_id in self.labels
            )
            number = "" if card.number is None else f"{card.number} #{card.number}"
            ref = reference(self.space_key, card.number)
            found = f"{safe_line(card.title)} {number} {ref} {names}".casefold()
            self._haystacks[card.id] = found
        return found

    # -- filter ----------------------------------------------------------------
    def set_filter(self, text: str) -> None:
        """Keep the cards whose title, number, reference or a label name holds every
        word typed (case-insensitive)."""
        self.filter_text = text
        self._terms = text.casefold().split()
        self.exact = exact_number(text, self.space_key)
        self._regroup()

    def _sort_key(self, card: CardRow) -> tuple[int, tuple[int, int, str]]:
        # The card the filter names exactly (`KB-12`) comes first in its column.
        return (0 if self.exact is not None and card.number == self.exact else 1, _order_key(card))

    def exact_match(self) -> tuple[int, str] | None:
        """(column index, card id) of the card the filter names exactly, if shown."""
        if self.exact is None:
            return None
        for index, column in enumerate(self.columns):
            if column.cards and column.cards[0].number == self.exact:
                return index, column.cards[0].id
        return None

    def matches(self, card: CardRow) -> bool:
        if not self._terms:
            return True
        haystack = self._haystack(card)
        return all(term in haystack for term in self._terms)

    # -- grouping --------------------------------------------------------------
    def _regroup(self) -> None:
        by_status: dict[str, Column] = {
            status.id: Column(status.id, safe_line(status.name)) for status in self.statuses
        }
        loading = Column(LOADING_COLUMN, "Loading")
        no_status = Column(NO_STATUS_COLUMN, "No status")
        for card in sorted(self._cards.values(), key=self._sort_key):
            column = by_status.get(card.status_id or "", no_status) if card.loaded else loading
            column.total += 1
            if self.matches(card):
                column.cards.append(card)
        self.columns = list(by_status.values())
        self.columns.extend(column for column in (no_status, loading) if column.total)

    def _column_for(self, card: CardRow) -> Column | None:
        """The column `card` belongs in, if the board has it (None: a pseudo column
        that is not shown yet)."""
        if not card.loaded:
            wanted = LOADING_COLUMN
        elif any(status.id == card.status_id for status in self.statuses):
            wanted = card.status_id or NO_STATUS_COLUMN
        else:
            wanted = NO_STATUS_COLUMN
        return next((column for column in self.columns if column.id == wanted), None)

    def replace_card(self, card_id: str, card: CardRow | None) -> tuple[int, ...] | None:
        """Put one card's new row in place (None: it is gone) without regrouping the
        board: a move costs two list edits, not a sort of the whole space. Returns the
        indexes of the columns that changed, or None when the columns themselves
        would change (a pseudo column appears or empties): then call set_cards."""
        old = self._cards.get(card_id)
        source = self._column_for(old) if old is not None else None
        target = self._column_for(card) if card is not None else None
        if (old is not None and source is None) or (card is not None and target is None):
            return None
        if source is not None and source.is_pseudo and source.total == 1 and target is not source:
            return None  # the pseudo column empties: it goes
        changed: list[int] = []
        if old is not None and source is not None:
            source.total -= 1
            source.cards = [c for c in source.cards if c.id != card_id]
            changed.append(self.columns.index(source))
            del self._cards[card_id]
            self._haystacks.pop(card_id, None)
        if card is not None and target is not None:
            self._cards[card_id] = card
            target.total += 1
            if self.matches(card):
                bisect.insort(target.cards, card, key=self._sort_key)
            index = self.columns.index(target)
            if index not in changed:
                changed.append(index)
        return tuple(changed)

    def column_of(self, card_id: str) -> int | None:
        for index, column in enumerate(self.columns):
            if any(card.id == card_id for card in column.cards):
                return index
        return None

    @property
    def loading_count(self) -> int:
        return sum(1 for card in self._cards.values() if not card.loaded)


def read_board_model(
    store: Store, space: SpaceRow, filter_text: str = "", *, first_rows: int | None = None
) -> BoardModel:
    """The space's board from the store. For the first frame (`first_rows` cards a
    column fill the screen), a big space gives a preview: see PREVIEW_FROM."""
    if first_rows is not None:
        top_cards, groups = store.read.board_preview(space.id, first_rows)
        if sum(groups.values()) >= PREVIEW_FROM:
            return BoardModel.preview(
                store.read.statuses(space.id),
                top_cards,
                groups,
                store.read.labels(space.id),
                space.key,
                first_rows,
            )
    model = BoardModel(
        store.read.statuses(space.id),
        store.read.cards(space.id),
        store.read.labels(space.id),
        space.key,
    )
    if filter_text:
        model.set_filter(filter_text)
    return model

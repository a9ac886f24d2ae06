"""The triage walk as plain data: which card is shown, what was decided, the summary.

No Textual here (the screen is ui/screens/walk.py). The walk goes through a snapshot of
a column's cards, newest first; a decision is recorded the moment its key is handled,
so keys typed fast (`1 n n 2`) each act on the card shown when they were typed, and
what a write has not confirmed yet is kept as `pending` fields that the screen lays
over the store's copy of the card (optimistic), until Kitemaker answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from kiteboard.store.rows import CardRow, ItemDetail, LabelRow

# What a decision changes: a card's column or one of its fields ("edit" and "comment"
# go through the forms: counted in the summary, never pending).
DecisionKind = Literal["move", "labels", "effort", "impact", "edit", "comment"]
# The card's field each kind sets (as the pending overlay names it).
FIELD_OF = {"move": "status_id", "labels": "label_ids", "effort": "effort", "impact": "impact"}


class Decision(NamedTuple):
    item_id: str
    kind: DecisionKind
    before: Any  # status id, label ids (tuple), size ("small"…) or None
    after: Any
    number: int  # the write's number, to match its answer to its pending field


def walk_order(cards: Iterable[CardRow]) -> list[str]:
    """Newest first (by number; cards still without one last), as a walk shows them."""
    ordered = sorted(cards, key=lambda card: (card.number is None, -(card.number or 0), card.id))
    return [card.id for card in ordered]


class WalkState:
    def __init__(self, item_ids: Iterable[str], column_name: str) -> None:
        self.item_ids = list(dict.fromkeys(item_ids))
        self.column_name = column_name
        self.index = 0
        self.seen: dict[str, None] = {}  # in the order first shown
        self.decisions: list[Decision] = []
        # item id -> field -> (write number, value): what is sent but not answered yet
        self.pending: dict[str, dict[str, tuple[int, Any]]] = {}
        self._writes = 0
        self._see()

    # -- where the walk is ---------------------------------------------------------------

    @property
    def current_id(self) -> str | None:
        """The card shown; None past the last one (the walk's end page)."""
        return self.item_ids[self.index] if self.index < len(self.item_ids) else None

    @property
    def finished(self) -> bool:
        return self.current_id is None

    @property
    def last_seen(self) -> str | None:
        """The card the board's cursor goes to when the walk ends."""
        if self.current_id is not None:
            return self.current_id
        return self.item_ids[-1] if self.item_ids else None

    def _see(self) -> None:
        if self.current_id is not None:
            self.seen.setdefault(self.current_id)

    def advance(self) -> None:
        if self.index < len(self.item_ids):
            self.index += 1
            self._see()

    def back(self) -> bool:
        """Show the card before; False at the first one."""
        if self.index == 0:
            return False
        self.index -= 1
        return True

    def go_to(self, item_id: str) -> None:
        if item_id in self.item_ids:
            self.index = self.item_ids.index(item_id)
            self._see()

    def progress(self) -> str:
        """`3 of 12 · Backlog` (or `done · 12 of 12 · Backlog` past the last card)."""
        total = len(self.item_ids)
        if self.finished:
            return f"done · {total} of {total} · {self.column_name}"
        return f"{self.index + 1} of {total} · {self.column_name}"

    # -- decisions -------------------------------------------------------------------------

    def decide(self, item_id: str, kind: DecisionKind, before: Any, after: Any) -> Decision:
        """Record a decision; a change of the card is pending until `settle`."""
        self._writes += 1
        decision = Decision(item_id, kind, before, after, self._writes)
        self.decisions.append(decision)
        if kind in FIELD_OF:
            self.pending.setdefault(item_id, {})[FIELD_OF[kind]] = (decision.number, after)
        return decision

    def settle(self, decision: Decision) -> None:
        """Kitemaker answered the decision's write (either way): the store's copy is
        right again, unless a later write of the same field is still on its way."""
        fields = self.pending.get(decision.item_id, {})
        field = FIELD_OF.get(decision.kind)
        if field in fields and fields[field][0] == decision.number:
            del fields[field]
        if not fields:
            self.pending.pop(decision.item_id, None)

    def withdraw(self, decision: Decision) -> None:
        """The decision did not happen (refused, or undone): out of the summary."""
        if decision in self.decisions:
            self.decisions.remove(decision)
        self.settle(decision)

    def value(self, item_id: str, field: str, stored: Any) -> Any:
        """A field as the card shows it: the pending value, else the store's."""
        entry = self.pending.get(item_id, {}).get(field)
        return entry[1] if entry is not None else stored

    # -- showing ----------------------------------------------------------------------

    def overlay(
        self,
        detail: ItemDetail,
        labels: Mapping[str, LabelRow],
        status_names: Mapping[str, str],
    ) -> ItemDetail:
        """The store's item with the pending changes laid over it."""
        fields = self.pending.get(detail.card.id)
        if not fields:
            return detail
        changes = {field: value for field, (_number, value) in fields.items()}
        card = detail.card._replace(**changes)
        result = detail._replace(card=card)
        if "label_ids" in changes:
            rows = tuple(labels[x] for x in card.label_ids if x in labels)
            result = result._replace(labels=rows)
        if "status_id" in changes:
            result = result._replace(status_name=status_names.get(card.status_id or ""))
        return result

    def summary(self, status_names: Mapping[str, str]) -> str:
        """`12 seen: 5 → Todo, 3 labelled, 4 skipped`."""
        seen = len(self.seen)
        if not seen:
            return f"Nothing to triage in {self.column_name}."
        moved_to: dict[str, str] = {}  # item -> its last move's column
        touched: dict[str, set[str]] = {}
        for decision in self.decisions:
            touched.setdefault(decision.kind, set()).add(decision.item_id)
            if decision.kind == "move":
                moved_to[decision.item_id] = decision.after
        parts: list[str] = []
        counts: dict[str, int] = {}
        for status_id in moved_to.values():
            counts[status_id] = counts.get(status_id, 0) + 1
        for status_id, count in counts.items():
            parts.append(f"{count} → {status_names.get(status_id, 'another column')}")
        sized = touched.get("effort", set()) | touched.get("impact", set())
        for count, word in (
            (len(touched.get("labels", ())), "labelled"),
            (len(sized), "sized"),
            (len(touched.get("edit", ())), "edited"),
            (len(touched.get("comment", ())), "commented"),
        ):
            if count:
                parts.append(f"{count} {word}")
        changed = set().union(*touched.values()) if touched else set()
        untouched = sum(1 for item_id in self.seen if item_id not in changed)
        if untouched:
            parts.append(f"{untouched} skipped")
        return f"{seen} seen: " + ", ".join(parts)

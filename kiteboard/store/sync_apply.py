"""SyncApply: puts what the server sent into the store and tells the hub what changed.

The refresh and the backfill write the items they fetch through ``write_item``; the
writer (writer.py) puts the server's answers to its writes through the rest, the
WriteSeam (write_seam.py), so that a write looks to the board exactly like a refresh
that found the change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from kiteboard.store.convert import comment_record, item_record
from kiteboard.store.event_hub import EventHub
from kiteboard.store.events import BoardLayoutChanged

if TYPE_CHECKING:
    from kiteboard.store.db import Store


class Tally(Protocol):
    """What counts the items written (a SyncReport)."""

    added: int
    changed: int


class SyncApply:
    def __init__(self, store: Store, events: EventHub) -> None:
        self._store = store
        self._events = events

    def write_item(self, item: Any, space_id: str, tally: Tally | None = None) -> str:
        """Write a full item (in ``space_id`` if it does not say its space) and note the
        change; returns its space."""
        record = item_record(item, space_id)
        kind, left = self._store.write.upsert_item(record)
        if kind is not None:
            self._events.note(record.space_id, kind, record.id)
            if tally is not None:
                if kind == "added":
                    tally.added += 1
                else:
                    tally.changed += 1
        if left:
            self._events.note(left, "removed", record.id)
        return record.space_id

    # ----- the WriteSeam ------------------------------------------------------------

    def apply_item(self, item: Any) -> None:
        """Put a full WorkItem (e.g. the answer to a create or an edit) in the store and
        announce it."""
        self.write_item(item, "")
        self._events.flush()  # every space: the item may have left one for another

    def forget_item(self, item_id: str) -> None:
        """The server says the item is gone: drop it and announce it."""
        space_id = self._store.write.remove_item(item_id)
        if space_id is not None:
            self._events.note(space_id, "removed", item_id)
            self._events.flush(space_id)

    def set_status(self, item_id: str, status_id: str) -> None:
        """Show a card in another column before the server confirms (optimistic move);
        the server's answer then goes through apply_item."""
        space_id = self._store.write.set_item_status(item_id, status_id)
        if space_id is not None:
            self._events.note(space_id, "changed", item_id)
            self._events.flush(space_id)

    def apply_comment(self, comment: Any) -> None:
        entity = getattr(comment, "entity", None)
        card = self._store.read.card(entity.id) if entity is not None else None
        space_id = card.space_id if card else (getattr(entity, "space_id", None) or "")
        record = comment_record(comment, space_id)
        if record is None:
            return
        if self._store.write.add_comments([record]):
            self._events.note_comments(space_id, [record.item_id])
            self._events.flush(space_id)

    def apply_label(self, space_id: str, label: Any) -> None:
        self._store.write.save_label(space_id, label.id, label.name or "", label.color)
        self._events.emit(BoardLayoutChanged(space_id))

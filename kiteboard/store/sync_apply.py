"""SyncApply: puts what the server sent into the store and tells the hub what changed.

The refresh and the backfill write the items they fetch through ``write_item``; the
writer (writer.py) puts the server's answers to its writes through the rest, the
WriteSeam (write_seam.py), so that a write looks to the board exactly like a refresh
that found the change.

Every write here also writes what changed to the activity log (activity.py): the item
as stored before the write is the change's "before". Writes of this kiteboard (the
WriteSeam) are the person's own; a move shown before Kitemaker answers keeps the item
as it was aside, for the answer's entry to say where the card came from.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from kiteboard.store.convert import comment_record, item_record
from kiteboard.store.event_hub import EventHub
from kiteboard.store.events import BoardLayoutChanged

if TYPE_CHECKING:
    from kiteboard.store.db import Store
    from kiteboard.store.rows import ItemDetail


class Tally(Protocol):
    """What counts the items written (a SyncReport)."""

    added: int
    changed: int


class SyncApply:
    def __init__(
        self, store: Store, events: EventHub, *, clock: Callable[[], float] = time.time
    ) -> None:
        self._store = store
        self._events = events
        self._clock = clock
        # Items shown in another column before Kitemaker answered: as they were before.
        self._before_move: dict[str, ItemDetail] = {}

    def write_item(
        self,
        item: Any,
        space_id: str,
        tally: Tally | None = None,
        *,
        news: bool = False,
        own: bool = False,
    ) -> str:
        """Write a full item (in ``space_id`` if it does not say its space) and note the
        change; returns its space. What changed goes to the activity log; a new item
        too when ``news`` (a refresh of a space synced before: not a first sync)."""
        record = item_record(item, space_id)
        # A card shown moved before Kitemaker answered: its change is from where it was.
        before = self._before_move.get(record.id) or self._before(record.id)
        if own:
            self._before_move.pop(record.id, None)
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
        recorded = False
        activity, now = self._store.activity, self._clock()
        if before is not None and (kind is not None or own):
            recorded = activity.record_item_change(before, record, now=now, own=own)
        elif before is None and kind == "added" and (news or own):
            recorded = activity.record_new_item(record, now=now, own=own)
        if recorded:
            self._events.note_activity(record.space_id)
        return record.space_id

    def _before(self, item_id: str) -> ItemDetail | None:
        """The stored item, when it is loaded (a stub has no "before" to compare)."""
        card = self._store.read.card(item_id)
        return self._store.read.item(item_id) if card is not None and card.loaded else None

    # ----- the WriteSeam ------------------------------------------------------------

    def apply_item(self, item: Any) -> None:
        """Put a full WorkItem (e.g. the answer to a create or an edit) in the store and
        announce it."""
        self.write_item(item, "", own=True)
        self._events.flush()  # every space: the item may have left one for another

    def forget_item(self, item_id: str) -> None:
        """The server says the item is gone: drop it and announce it."""
        self._before_move.pop(item_id, None)
        space_id = self._store.write.remove_item(item_id)
        if space_id is not None:
            self._events.note(space_id, "removed", item_id)
            self._events.flush(space_id)

    def set_status(self, item_id: str, status_id: str) -> None:
        """Show a card in another column before the server confirms (optimistic move);
        the server's answer then goes through apply_item."""
        before = self._before_move.get(item_id) or self._before(item_id)
        if before is not None and before.card.status_id == status_id:
            self._before_move.pop(item_id, None)  # moved back (refused): nothing happened
        elif before is not None:
            self._before_move[item_id] = before
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
        title = card.title if card else (getattr(entity, "title", None) or "")
        number = card.number if card else getattr(entity, "number", None)
        if self._store.activity.record_comment(
            record, space_id=space_id, number=number, title=title, now=self._clock(), own=True
        ):
            self._events.note_activity(space_id)
        self._events.flush(space_id)

    def apply_label(self, space_id: str, label: Any) -> None:
        self._store.write.save_label(space_id, label.id, label.name or "", label.color)
        self._events.emit(BoardLayoutChanged(space_id))

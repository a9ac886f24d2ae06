"""EventHub: who hears what the sync changed, and when.

Subscribers are plain callables, called on the event loop that runs the sync, with one
of the events of events.py. Item changes are not announced one by one: they are noted
(``note``) and announced together by ``flush``, at the end of a sync step, or at most
once per ``interval`` seconds while a backfill loads items (``maybe_flush``), so that a
board never repaints per item.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Literal

from kiteboard.store.events import ActivityRecorded, CommentsChanged, ItemsChanged, SyncEvent

log = logging.getLogger(__name__)

Change = Literal["added", "changed", "removed"]


class _Pending:
    """Changes of one space not yet announced."""

    def __init__(self) -> None:
        self.added: set[str] = set()
        self.changed: set[str] = set()
        self.removed: set[str] = set()
        self.comments: set[str] = set()
        self.activity = False  # entries were added to the activity log

    def note(self, kind: Change, item_id: str) -> None:
        if kind == "removed":
            self.added.discard(item_id)
            self.changed.discard(item_id)
            self.removed.add(item_id)
        elif kind == "added":
            self.removed.discard(item_id)
            self.added.add(item_id)
        elif item_id not in self.added:
            self.removed.discard(item_id)
            self.changed.add(item_id)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.comments or self.activity)


class EventHub:
    """Subscribe, emit, and coalesce item and comment changes per space.

    ``on_flushed(space_id)`` is called after a space's pending changes were announced
    (the sync engine refreshes the space's progress then)."""

    def __init__(
        self,
        *,
        monotonic: Callable[[], float],
        interval: float,
        on_flushed: Callable[[str], None] | None = None,
    ) -> None:
        self._monotonic = monotonic
        self._interval = interval
        self._on_flushed = on_flushed
        self._subscribers: list[Callable[[SyncEvent], object]] = []
        self._pending: dict[str, _Pending] = {}
        self._flushed_at: dict[str, float] = {}

    def subscribe(self, callback: Callable[[SyncEvent], object]) -> Callable[[], None]:
        """Call ``callback(event)`` on every change. Returns a function that
        unsubscribes."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def emit(self, event: SyncEvent) -> None:
        """Announce ``event`` now, to every subscriber."""
        for callback in list(self._subscribers):
            try:
                callback(event)
            except Exception:  # a subscriber's bug must not stop the sync
                log.exception("sync event subscriber failed on %r", event)

    def note(self, space_id: str, kind: Change, item_id: str) -> None:
        """An item of the space was added, changed or removed: announced at the next
        flush."""
        self._pending.setdefault(space_id, _Pending()).note(kind, item_id)

    def note_comments(self, space_id: str, item_ids: Iterable[str]) -> None:
        """These items of the space have new or edited comments."""
        self._pending.setdefault(space_id, _Pending()).comments.update(item_ids)

    def note_activity(self, space_id: str) -> None:
        """The activity log has new entries of the space."""
        self._pending.setdefault(space_id, _Pending()).activity = True

    def flush(self, space_id: str | None = None) -> None:
        """Announce what changed (in every space, or in one)."""
        for sid in [space_id] if space_id else list(self._pending):
            pending = self._pending.pop(sid, None)
            self._flushed_at[sid] = self._monotonic()
            if not pending:
                continue
            if pending.added or pending.changed or pending.removed:
                self.emit(
                    ItemsChanged(
                        sid,
                        frozenset(pending.added),
                        frozenset(pending.changed),
                        frozenset(pending.removed),
                    )
                )
            if pending.comments:
                self.emit(CommentsChanged(sid, frozenset(pending.comments)))
            if pending.activity:
                self.emit(ActivityRecorded(sid))
            if self._on_flushed is not None:
                self._on_flushed(sid)

    def maybe_flush(self, space_id: str) -> None:
        """Flush the space if its last announcement is ``interval`` seconds old: a
        backfill calls this per item."""
        if self._monotonic() - self._flushed_at.get(space_id, 0.0) >= self._interval:
            self.flush(space_id)

"""What the sync engine announces, so a UI updates only what changed.

A closed set: ``SyncEvent`` is their union. Subscribers (``SyncEngine.events``, the
EventHub) are plain callables, called on the event loop that runs the engine, with one
of these; the UI turns each into a Textual message of its own kind (ui/messages.py).
Item ids are frozensets: a subscriber re-reads the named cards from the store
(``store.read.card`` / ``store.read.cards``); the events carry no data that could go
stale.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiteboard.store.rows import SyncStatus


@dataclass(frozen=True, slots=True)
class ItemsChanged:
    """Items of a space were added (new to the store, possibly still loading), changed
    (loaded, edited, moved to another column, retitled) or removed (deleted, or moved to
    another space)."""

    space_id: str
    added: frozenset[str] = frozenset()
    changed: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class CommentsChanged:
    """New or edited comments on these items."""

    space_id: str
    item_ids: frozenset[str]


@dataclass(frozen=True, slots=True)
class SpacesChanged:
    """The list of spaces (or a space's name or key) changed."""


@dataclass(frozen=True, slots=True)
class BoardLayoutChanged:
    """A space's statuses (the columns) or labels changed: re-read statuses()/labels()."""

    space_id: str


@dataclass(frozen=True, slots=True)
class SyncStatusChanged:
    space_id: str
    status: SyncStatus


@dataclass(frozen=True, slots=True)
class ActivityRecorded:
    """Entries were added to the activity log (store.activity): what changed in the
    space, as the sync saw it happen."""

    space_id: str


SyncEvent = (
    ItemsChanged
    | CommentsChanged
    | SpacesChanged
    | BoardLayoutChanged
    | SyncStatusChanged
    | ActivityRecorded
)

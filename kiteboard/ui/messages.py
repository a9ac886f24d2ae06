"""Messages that cross screens (the rest are nested on the widget that posts them).

The sync engine's events (store/events.py) reach the screens as one Textual message per
kind: a screen handles the kinds it cares about (``on_store_items_changed`` …) and
simply has no handler for the others. The app posts one to every screen of the stack
(``store_message``), so a board under a modal keeps up too.
"""

from __future__ import annotations

from typing import assert_never

from textual.message import Message

from kiteboard.store.events import (
    ActivityRecorded,
    BoardLayoutChanged,
    CommentsChanged,
    ItemsChanged,
    SpacesChanged,
    SyncEvent,
    SyncStatusChanged,
)


class StoreMessage(Message, bubble=False):
    """A sync event, delivered to one screen in the app's event loop. Not bubbling: each
    screen gets its own, and the app must not see them come back (every subclass says
    bubble=False again: Textual sets it back to True for a subclass that does not)."""

    event: SyncEvent


class StoreItemsChanged(StoreMessage, bubble=False):
    def __init__(self, event: ItemsChanged) -> None:
        super().__init__()
        self.event: ItemsChanged = event


class StoreCommentsChanged(StoreMessage, bubble=False):
    def __init__(self, event: CommentsChanged) -> None:
        super().__init__()
        self.event: CommentsChanged = event


class StoreSpacesChanged(StoreMessage, bubble=False):
    def __init__(self, event: SpacesChanged) -> None:
        super().__init__()
        self.event: SpacesChanged = event


class StoreBoardLayoutChanged(StoreMessage, bubble=False):
    def __init__(self, event: BoardLayoutChanged) -> None:
        super().__init__()
        self.event: BoardLayoutChanged = event


class StoreSyncStatusChanged(StoreMessage, bubble=False):
    def __init__(self, event: SyncStatusChanged) -> None:
        super().__init__()
        self.event: SyncStatusChanged = event


class StoreActivityRecorded(StoreMessage, bubble=False):
    def __init__(self, event: ActivityRecorded) -> None:
        super().__init__()
        self.event: ActivityRecorded = event


def store_message(event: SyncEvent) -> StoreMessage:
    """The message that carries ``event`` (a new one each call: one per screen)."""
    match event:
        case ItemsChanged():
            return StoreItemsChanged(event)
        case CommentsChanged():
            return StoreCommentsChanged(event)
        case SpacesChanged():
            return StoreSpacesChanged(event)
        case BoardLayoutChanged():
            return StoreBoardLayoutChanged(event)
        case SyncStatusChanged():
            return StoreSyncStatusChanged(event)
        case ActivityRecorded():
            return StoreActivityRecorded(event)
        case _:
            assert_never(event)


class Connected(Message):
    """The client and sync engine are ready and the list of spaces is fresh."""


class ConnectFailed(Message):
    """Connecting failed; `text` says why and what to do, in one or two sentences."""

    def __init__(self, title: str, text: str, *, fatal: bool, token_rejected: bool = False) -> None:
        super().__init__()
        self.title = title
        self.text = text
        self.fatal = fatal  # True when retrying cannot help (e.g. the token was rejected)
        self.token_rejected = token_rejected  # nothing is sent until the token changes

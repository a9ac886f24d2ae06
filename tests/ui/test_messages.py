"""Each sync event becomes its own kind of Textual message, which stays with the screen
it was posted to."""

from __future__ import annotations

from kiteboard.store.events import (
    BoardLayoutChanged,
    CommentsChanged,
    ItemsChanged,
    SpacesChanged,
    SyncStatusChanged,
)
from kiteboard.store.rows import SyncStatus
from kiteboard.ui.messages import (
    StoreBoardLayoutChanged,
    StoreCommentsChanged,
    StoreItemsChanged,
    StoreSpacesChanged,
    StoreSyncStatusChanged,
    store_message,
)


def test_every_sync_event_has_its_own_message_that_does_not_bubble():
    cases = [
        (ItemsChanged("s", added=frozenset({"a"})), StoreItemsChanged, "on_store_items_changed"),
        (CommentsChanged("s", frozenset({"a"})), StoreCommentsChanged, "on_store_comments_changed"),
        (SpacesChanged(), StoreSpacesChanged, "on_store_spaces_changed"),
        (BoardLayoutChanged("s"), StoreBoardLayoutChanged, "on_store_board_layout_changed"),
        (
            SyncStatusChanged("s", SyncStatus("synced", 1, 1)),
            StoreSyncStatusChanged,
            "on_store_sync_status_changed",
        ),
    ]
    for event, kind, handler in cases:
        message = store_message(event)
        assert type(message) is kind and message.event is event
        assert message.handler_name == handler
        assert not message.bubble  # the app posts one to each screen; none comes back
        assert store_message(event) is not message  # one per screen

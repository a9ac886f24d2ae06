"""How the writer puts Kitemaker's answers into the store, and who hears about it.

The sync engine's ``apply`` (sync_apply.py) is the seam when there is an engine: it owns
the store's writes and the events the UI listens to, so a write applied through it looks
to the board exactly like a refresh that found the change. Without an engine (a
headless tool, a test), ``StoreSeam`` writes through the store's own methods and
announces to an optional callback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from kiteboard.store.convert import comment_record, item_record
from kiteboard.store.events import BoardLayoutChanged, CommentsChanged, ItemsChanged

if TYPE_CHECKING:
    from kiteboard.store.db import Store


class WriteSeam(Protocol):
    def apply_item(self, item: Any) -> None:
        """Upsert a full WorkItem (the server's answer) and announce it."""

    def apply_comment(self, comment: Any) -> None:
        """Keep a Comment (the server's answer) and announce it."""

    def apply_label(self, space_id: str, label: Any) -> None:
        """Keep a new Label and announce the space's new layout."""

    def set_status(self, item_id: str, status_id: str) -> None:
        """Put a card in another column now (optimistic) and announce it."""

    def forget_item(self, item_id: str) -> None:
        """The item is gone on the server: drop it and announce it."""


class StoreSeam:
    """The seam on top of the store, announcing through ``publish`` (which may be
    None: then nobody is told, e.g. in a test without an engine)."""

    def __init__(self, store: Store, publish: Callable[[Any], None] | None) -> None:
        self._store = store
        self._publish = publish

    def _announce(self, event: Any) -> None:
        if self._publish is not None:
            self._publish(event)

    def apply_item(self, item: Any) -> None:
        record = item_record(item)
        change, left = self._store.write.upsert_item(record)
        if change == "added":
            self._announce(ItemsChanged(record.space_id, added=frozenset({record.id})))
        elif change == "changed":
            self._announce(ItemsChanged(record.space_id, changed=frozenset({record.id})))
            if left:
                self._announce(ItemsChanged(left, removed=frozenset({record.id})))

    def apply_comment(self, comment: Any) -> None:
        card = self._store.read.card(comment.entity.id) if comment.entity else None
        space_id = card.space_id if card is not None else ""
        record = comment_record(comment, space_id)
        if record is None:
            return
        for changed_space, item_ids in self._store.write.add_comments([record]).items():
            self._announce(CommentsChanged(changed_space, frozenset(item_ids)))

    def apply_label(self, space_id: str, label: Any) -> None:
        self._store.write.save_label(space_id, label.id, label.name, label.color)
        self._announce(BoardLayoutChanged(space_id))

    def set_status(self, item_id: str, status_id: str) -> None:
        space_id = self._store.write.set_item_status(item_id, status_id)
        if space_id is not None:
            self._announce(ItemsChanged(space_id, changed=frozenset({item_id})))

    def forget_item(self, item_id: str) -> None:
        space_id = self._store.write.remove_item(item_id)
        if space_id is not None:
            self._announce(ItemsChanged(space_id, removed=frozenset({item_id})))

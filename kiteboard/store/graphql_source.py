"""GraphQLSource: a whole space into the store through Kitemaker's GraphQL API.

Where REST needs a backfill of one request per item, GraphQL pages every item of a
space, 50 at a time, with its status, labels and comments: a cold sync of an N-item
space is one `organization` query (spaces with their keys, statuses, labels) and
⌈N/50⌉ `workItems` pages. Archived items are left out (`statusFilter`), as REST's
board leaves out the Archived status.

It writes through the same seam as REST's sync (SyncApply.write_item, the store's
writer), with items as REST shows them (the client's `as_rest()`: int numbers, "Large"),
so the board does not know which source filled it and a REST refresh finds nothing
changed. What only GraphQL knows (sort, members, status types) is not kept yet: the
store has no place for it.

Resumable: after each page, in the same transaction as its items, the cursor and the
ids seen so far are kept (store.local); a pass cut short resumes from its cursor. When
a pass ends, items of the space it did not meet are removed (deleted or archived).
Duck-typed on the client's answers (graphql_models.py): nothing here imports pydantic.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiteboard.store.events import BoardLayoutChanged, SpacesChanged
from kiteboard.store.records import CommentRecord, iso_text

if TYPE_CHECKING:
    from kiteboard.store.db import Store
    from kiteboard.store.event_hub import EventHub
    from kiteboard.store.sync import SyncReport
    from kiteboard.store.sync_apply import SyncApply

log = logging.getLogger(__name__)

HIDDEN_STATUS_TYPES = frozenset({"ARCHIVED"})  # not a column of the board
_PASS_KEY = "graphql.pass."  # + space id: {"cursor": ..., "seen": [ids]} of a pass under way


def _stamp(value: Any) -> str | None:
    return iso_text(value)


def _actor(actor: Any) -> dict[str, Any] | None:
    if actor is None:
        return None
    kind = "user" if getattr(actor, "kind", None) == "User" else "application"
    return {"id": actor.id, "name": actor.name, "type": kind}


def comment_records(item: Any, space_id: str) -> list[CommentRecord]:
    """Every comment of the item; the first of each thread starts it, the rest reply."""
    records = []
    opened: set[str] = set()
    for comment in sorted(item.comments, key=lambda c: (_stamp(c.created_at) or "", c.id)):
        thread = comment.thread_id or comment.id
        actor = _actor(comment.actor)
        records.append(
            CommentRecord(
                id=comment.id,
                item_id=item.id,
                space_id=space_id,
                body=comment.body or "",
                actor_name=actor["name"] if actor else None,
                actor_type=actor["type"] if actor else None,
                thread_id=thread,
                reply=thread in opened,
                created_at=iso_text(comment.created_at),
                updated_at=iso_text(comment.updated_at or comment.created_at),
            )
        )
        opened.add(thread)
    return records


class GraphQLSource:
    def __init__(
        self,
        client: Any,
        store: Store,
        apply: SyncApply,
        events: EventHub,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self._clock = clock
        self._store = store
        self._apply = apply
        self._events = events

    async def sync_organization(self) -> None:
        """One request: the organization, its spaces with keys, statuses and labels."""
        org = await self.client.organization()
        store = self._store
        with store.transaction():
            store.write.save_organization(org.id, org.name)
            spaces_changed = store.write.save_spaces((s.id, s.name) for s in org.spaces)
            for space in org.spaces:
                if space.key:
                    spaces_changed = store.write.set_space_key(space.id, space.key, "api") or (
                        spaces_changed
                    )
                columns = [
                    (s.id, s.name) for s in space.statuses if s.type not in HIDDEN_STATUS_TYPES
                ]
                changed = store.write.save_statuses(space.id, columns)
                changed = (
                    store.write.save_labels(space.id, [(x.id, x.name) for x in space.labels])
                    or changed
                )
                for label in space.labels:
                    store.write.save_label(space.id, label.id, label.name, label.color)
                # The columns and labels are fresh: REST's refresh need not fetch them.
                state = store.read.sync_state(space.id)
                state.layout_synced_at = self._clock()
                store.write.save_sync_state(state)
                if changed:
                    self._events.emit(BoardLayoutChanged(space.id))
        if spaces_changed:
            self._events.emit(SpacesChanged())

    async def sync_space(self, space_id: str, report: SyncReport) -> None:
        """Page every (not archived) item of the space into the store, resuming a pass
        cut short; then remove the items the pass did not meet."""
        local = self._store.local
        under_way = local.get_value(_PASS_KEY + space_id) or {}
        cursor: str | None = under_way.get("cursor")
        seen: list[str] = list(under_way.get("seen", []))
        while True:
            page = await self.client.work_items_page(space_id, cursor)
            with self._store.transaction():
                for item in page.work_items:
                    self._apply.write_item(item.as_rest(), space_id, report)
                    seen.append(item.id)
                    changed = self._store.write.add_comments(comment_records(item, space_id))
                    if changed:
                        self._events.note_comments(space_id, [item.id])
                        report.comments += 1
                cursor = page.cursor
                local.set_value(_PASS_KEY + space_id, {"cursor": cursor, "seen": seen})
            report.fetched += len(page.work_items)
            self._events.maybe_flush(space_id)
            if not page.has_more:
                break
        self._finish(space_id, seen, report)

    def _finish(self, space_id: str, seen: list[str], report: SyncReport) -> None:
        store = self._store
        with store.transaction():
            titles = [(card.id, card.title) for card in store.read.cards(space_id)]
            met = set(seen)
            diff = store.write.save_titles(
                space_id, [(i, t) for i, t in titles if i in met], removals=True
            )
            store.local.set_value(_PASS_KEY + space_id, None)
        for item_id in diff.removed:
            self._events.note(space_id, "removed", item_id)
        report.removed += len(diff.removed)
        self._events.flush(space_id)

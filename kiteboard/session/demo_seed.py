"""A demo world's store filled straight from the demo data: what a finished sync would
hold, written in one transaction (~40 ms for the demo's 200 items and their comments).

A fresh `kiteboard --demo` paints its board from it at once, as a second start does;
the sync engine then connects to the in-process emulator and syncs as it always does,
so everything the board shows is checked against the API within the first seconds.
Without it the first frame would wait for httpx, pydantic and a whole first sync
(about half a second). Tests and benchmarks use it for their warm stores.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from kiteboard.emulator import serialize
from kiteboard.store.records import CommentRecord, ItemRecord

if TYPE_CHECKING:
    from kiteboard.emulator.state import EmulatorState
    from kiteboard.store.db import Store


def seed_store(
    store: Store,
    state: EmulatorState,
    *,
    synced_at: float | None = None,
    key_source: str = "comments",
) -> None:
    """Write `state`'s organization, spaces, statuses, labels, items and comments.

    `synced_at`: when the spaces count as synced (None: never; the first sync then
    goes over everything, as a sync of a fresh store does)."""
    with store.transaction():
        org = state.organization
        store.write.save_organization(org.id, org.name)
        store.write.save_spaces((space.id, space.name) for space in state.spaces.values())
        for space in state.spaces.values():
            _seed_space(store, state, space.id, space.key, key_source)
            if synced_at is not None:
                sync = store.read.sync_state(space.id)
                sync.last_synced_at = synced_at
                sync.comments_complete = True
                store.write.save_sync_state(sync)


def _seed_space(
    store: Store, state: EmulatorState, space_id: str, key: str, key_source: str
) -> None:
    store.write.set_space_key(space_id, key, key_source)
    store.write.save_statuses(space_id, ((s.id, s.name) for s in state.statuses_of(space_id)))
    labels = state.labels_of(space_id)
    store.write.save_labels(space_id, ((label.id, label.name) for label in labels))
    for label in labels:
        store.write.save_label(space_id, label.id, label.name, label.color)
    for item in state.items_of(space_id):
        body = serialize.work_item(state, item)
        store.write.upsert_item(
            ItemRecord(
                id=item.id,
                space_id=space_id,
                number=item.number,
                title=item.title,
                status_id=item.status_id,
                labels=tuple(
                    (lid, state.labels[lid].name, state.labels[lid].color) for lid in item.label_ids
                ),
                effort=body.get("effort"),
                impact=body.get("impact"),
                created_at=serialize.timestamp(item.created_at),
                updated_at=serialize.timestamp(item.updated_at),
                body_json=json.dumps(body),
            )
        )
        store.write.add_comments(
            CommentRecord(
                id=c.id,
                item_id=item.id,
                space_id=space_id,
                body=c.body,
                actor_name=state.actors[c.actor_id].name,
                actor_type=state.actors[c.actor_id].type,
                thread_id=c.thread_id,
                reply=c.reply,
                created_at=serialize.timestamp(c.created_at),
                updated_at=serialize.timestamp(c.updated_at),
            )
            for c in state.comments_of(item.id)
        )

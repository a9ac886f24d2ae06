"""A store filled straight from the emulator's demo state: what a finished sync would
hold, built in milliseconds and the same every time (for snapshots and benchmarks)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from kiteboard.emulator import serialize
from kiteboard.emulator.demo import BASE_MS, build_demo_state
from kiteboard.emulator.state import EmulatorState
from kiteboard.store.db import Store
from kiteboard.store.records import CommentRecord, ItemRecord

# The demo's history ends shortly after BASE_MS; the clock is fixed a little later.
FIXED_NOW = BASE_MS / 1000 + 3 * 86_400 + 1234


def _iso(ms: int) -> str:
    return serialize.timestamp(ms)


def fill_store(store: Store, state: EmulatorState, *, synced_at: float = FIXED_NOW) -> None:
    org = state.organization
    store.save_organization(org.id, org.name)
    store.save_spaces((space.id, space.name) for space in state.spaces.values())
    for space in state.spaces.values():
        store.set_space_key(space.id, space.key, "test")
        store.save_statuses(space.id, ((s.id, s.name) for s in state.statuses_of(space.id)))
        labels = state.labels_of(space.id)
        store.save_labels(space.id, ((label.id, label.name) for label in labels))
        for label in labels:
            store.save_label(space.id, label.id, label.name, label.color)
        for item in state.items_of(space.id):
            body = serialize.work_item(state, item)
            store.upsert_item(
                ItemRecord(
                    id=item.id,
                    space_id=space.id,
                    number=item.number,
                    title=item.title,
                    status_id=item.status_id,
                    labels=tuple(
                        (lid, state.labels[lid].name, state.labels[lid].color)
                        for lid in item.label_ids
                    ),
                    effort=body.get("effort"),
                    impact=body.get("impact"),
                    created_at=_iso(item.created_at),
                    updated_at=_iso(item.updated_at),
                    body_json=json.dumps(body),
                )
            )
            comments = state.comments_of(item.id)
            store.add_comments(
                CommentRecord(
                    id=c.id,
                    item_id=item.id,
                    space_id=space.id,
                    body=c.body,
                    actor_name=state.actors[c.actor_id].name,
                    actor_type=state.actors[c.actor_id].type,
                    thread_id=c.thread_id,
                    reply=c.reply,
                    created_at=_iso(c.created_at),
                    updated_at=_iso(c.updated_at),
                )
                for c in comments
            )
        sync = store.sync_state(space.id)
        sync.last_synced_at = synced_at
        sync.comments_complete = True
        store.save_sync_state(sync)


def demo_store(path: Path, *, items: int | None = None) -> Store:
    store = Store.open(path)
    fill_store(store, build_demo_state(seed=1, items=items))
    return store


def fixed_clock() -> float:
    return FIXED_NOW


def fixed_datetime() -> datetime:
    return datetime.fromtimestamp(FIXED_NOW, UTC)

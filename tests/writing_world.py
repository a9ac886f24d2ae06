"""A small world for the writing tests: the emulator with its demo data, a client on
its in-process transport, a store filled from it, and a writer. No textual here: the
writer's unit tests use it too (the forms' app is in writing_apps.py)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from kiteboard.api.client import KitemakerClient
from kiteboard.api.retry import RetryPolicy
from kiteboard.emulator.app import Emulator
from kiteboard.emulator.demo import build_demo_state
from kiteboard.emulator.transport import DEMO_BASE_URL, EmulatorTransport
from kiteboard.store.convert import item_record
from kiteboard.store.db import Store
from kiteboard.store.writer import ItemWriter

# Retries without waiting: a test never sleeps.
FAST_RETRY = RetryPolicy(max_attempts=3, base_delay=0.0, max_delay=0.0, max_total_wait=60.0)


async def _no_sleep(_seconds: float) -> None:
    return None


class RecordingTransport(EmulatorTransport):
    """The in-process emulator, remembering every write's JSON body (to check that a
    PUT carries only the fields that changed)."""

    def __init__(self, emulator: Emulator) -> None:
        # An injected "timeout" waits the read timeout with this sleep: not at all.
        super().__init__(emulator, sleep=_no_sleep)
        self.writes: list[tuple[str, str, dict[str, Any]]] = []
        # Called as each write arrives, before the emulator answers it.
        self.on_write: Callable[[str, str, dict[str, Any]], None] | None = None
        # While set and not released, writes wait here (to look at "Sending…").
        self.hold: asyncio.Event | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method in ("POST", "PUT"):
            body = json.loads(await request.aread() or b"{}")
            path = request.url.path.split("/rest/v1", 1)[-1]
            self.writes.append((request.method, path, body))
            if self.on_write is not None:
                self.on_write(request.method, path, body)
            if self.hold is not None:
                await self.hold.wait()
        return await super().handle_async_request(request)

    def bodies(self, method: str, path: str) -> list[dict[str, Any]]:
        return [body for m, p, body in self.writes if (m, p) == (method, path)]


@dataclass
class World:
    emulator: Emulator
    transport: RecordingTransport
    client: KitemakerClient
    store: Store
    writer: ItemWriter
    space_id: str
    events: list[Any] = field(default_factory=list)

    @property
    def state(self):  # the emulator's view of the organization
        return self.emulator.state

    def statuses(self) -> list[Any]:
        return self.state.statuses_of(self.space_id)


async def make_world(
    store_path: Path, *, key: str = "KB", token: str = "demo", engine: Any = None
) -> World:
    """``engine``: what the writer applies answers through (None: the store alone; a
    StoreSeam with a callback to hear the announcements)."""
    emulator = Emulator(build_demo_state())
    transport = RecordingTransport(emulator)
    client = KitemakerClient(
        DEMO_BASE_URL, "demo", transport=transport, sleep=_no_sleep, retry=FAST_RETRY
    )
    store = Store.open(store_path)
    space = emulator.state.space_by_key(key)
    assert space is not None
    await fill_store(client, store, space.id, key)
    if token != "demo":
        client = KitemakerClient(
            DEMO_BASE_URL, token, transport=transport, sleep=_no_sleep, retry=FAST_RETRY
        )
    seam = engine(store) if callable(engine) else engine
    writer = ItemWriter(client, store, seam)
    return World(emulator, transport, client, store, writer, space.id)


async def fill_store(client: KitemakerClient, store: Store, space_id: str, key: str) -> None:
    """What a sync would have put in the store: the space, its columns, labels, items."""
    spaces = await client.spaces()
    store.write.save_spaces((entry.id, entry.label) for entry in spaces)
    store.write.set_space_key(space_id, key, "test")
    store.write.save_statuses(space_id, ((e.id, e.label) for e in await client.statuses(space_id)))
    store.write.save_labels(space_id, ((e.id, e.label) for e in await client.labels(space_id)))
    for item in await client.recent_work_items(space_id, count=50):
        store.write.upsert_item(item_record(item))


def delete_item(state: Any, item_id: str) -> None:
    """Delete a work item in the emulated Kitemaker, as someone in the web app would (the
    REST API has no delete, so the emulator has no method for it)."""
    item = state.items.pop(item_id)
    state.spaces[item.space_id].item_ids.remove(item_id)
    state._columns[item.status_id].remove(item_id)
    state._by_number.pop((item.space_id, item.number), None)

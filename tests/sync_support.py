"""Helpers for the sync tests: an emulated organization, a client on it, a store."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections import Counter
from pathlib import Path

import httpx

from kiteboard.api.client import KitemakerClient
from kiteboard.api.retry import RetryPolicy
from kiteboard.emulator.app import Emulator
from kiteboard.emulator.demo import build_demo_state
from kiteboard.emulator.state import EmulatorState
from kiteboard.emulator.transport import DEMO_BASE_URL, EmulatorTransport
from kiteboard.store.db import Store
from kiteboard.store.sync import SyncEngine

FAST_RETRY = RetryPolicy(max_attempts=3, base_delay=0.0, max_delay=0.0, max_total_wait=60.0)


class CountingTransport(httpx.AsyncBaseTransport):
    """The emulator in-process, remembering which item numbers were asked for, and
    able to fail like a network that is down."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.numbers: Counter[int] = Counter()
        self.down = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("network is down", request=request)
        if request.url.path.endswith("/workitem") and request.method == "GET":
            self.numbers[int(request.url.params["workItemNumber"])] += 1
        await asyncio.sleep(0)  # a real network always lets other tasks run meanwhile
        return await self.inner.handle_async_request(request)


def demo_state(items: int = 500) -> EmulatorState:
    return build_demo_state(seed=1, items=items)


def space_id(state: EmulatorState, name: str) -> str:
    return next(s.id for s in state.spaces.values() if s.name == name)


def engine_for(
    emulator: Emulator,
    store_path: Path,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    **engine_options,
) -> tuple[SyncEngine, CountingTransport]:
    counting = CountingTransport(transport or EmulatorTransport(emulator))
    client = KitemakerClient(DEMO_BASE_URL, "demo", transport=counting, retry=FAST_RETRY)
    engine = SyncEngine(client, Store.open(store_path), **engine_options)
    return engine, counting


def delete_item(state: EmulatorState, item_id: str) -> None:
    """What deleting an item in Kitemaker does, as far as the REST API can see."""
    with state.lock:
        item = state.items.pop(item_id)
        state.spaces[item.space_id].item_ids.remove(item_id)
        state._columns[item.status_id].remove(item_id)
        del state._by_number[(item.space_id, item.number)]


def grow_space(state: EmulatorState, name: str, count: int) -> None:
    """Add items to a space (to push it past the 50 the change feed shows)."""
    sid = space_id(state, name)
    status = state.spaces[sid].status_ids[0]
    for n in range(count):
        state.create_item(title=f"Grown item {n}", status_id=status)


def expected_board(state: EmulatorState, sid: str) -> dict[str, tuple[int, str, str]]:
    return {item.id: (item.number, item.title, item.status_id) for item in state.items_of(sid)}


def stored_board(store: Store, sid: str) -> dict[str, tuple[int | None, str, str | None]]:
    return {card.id: (card.number, card.title, card.status_id) for card in store.read.cards(sid)}


class VirtualTime:
    """A clock and a sleep for asyncio code that must not really wait: sleeping tasks
    wake in time order, the clock jumping to each wake-up once every task is idle."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()
        self._driver: asyncio.Task[None] | None = None

    def __call__(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        loop = asyncio.get_running_loop()
        if self._driver is None or self._driver.done():
            self._driver = loop.create_task(self._drive())
        future: asyncio.Future[None] = loop.create_future()
        heapq.heappush(self._sleepers, (self.now + max(0.0, delay), next(self._seq), future))
        await future

    async def _drive(self) -> None:
        while self._sleepers:
            for _ in range(20):  # let every runnable task run until it sleeps again
                await asyncio.sleep(0)
            when, _, future = heapq.heappop(self._sleepers)
            self.now = max(self.now, when)
            if not future.done():
                future.set_result(None)

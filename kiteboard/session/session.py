"""The UI's one seam to the data: the store it reads, the sync engine it drives and
the writer that sends its changes.

`Session` is built by `run.py` (or a test) and handed to the app. The store is opened
before the first paint (a local file: no network, no pydantic). The network side (the
client and the SyncEngine, which import httpx and pydantic) is built later, in a worker,
by the `connect` callable: the first paint never waits for it. The UI never builds a
client or a writer itself: it asks the Session (`writer()`).

Swapping the source of the board (e.g. a GraphQL-backed engine) means giving the
Session another connector; the screens do not change.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from kiteboard.store.db import Store
    from kiteboard.store.sync import SyncEngine
    from kiteboard.store.writer import ItemWriter


def _import_network_side() -> None:
    import kiteboard.api.client
    import kiteboard.store.sync  # noqa: F401


class Connection(NamedTuple):
    """What a connector builds: the engine (and maybe the store, when the store's file
    could only be chosen once the organization was known)."""

    store: Store
    engine: SyncEngine
    close: Callable[[], Awaitable[None]]


# Given the store opened before the first paint (or None), build the network side.
Connector = Callable[["Store | None"], Awaitable[Connection]]


class Session:
    def __init__(
        self,
        *,
        connect: Connector | None,
        open_store: Callable[[], Store | None] = lambda: None,
        refresh_interval: float | None = 30.0,
        demo: bool = False,
        needs_token: bool = False,
    ) -> None:
        self._connect = connect
        self._open_store = open_store
        self.refresh_interval = refresh_interval
        self.demo = demo
        # No token and no demo: the first-run screen explains how to get one.
        self.needs_token = needs_token
        self.store: Store | None = None
        self.engine: SyncEngine | None = None
        self.connecting = False  # a connect is under way (the top bar says so)
        self._connection: Connection | None = None
        self._writer: ItemWriter | None = None
        self._connected = asyncio.Event()
        self._subscribers: list[Callable[[Any], None]] = []
        self._unsubscribe: list[Callable[[], None]] = []

    def open_store(self) -> Store | None:
        """Open the local store (fast); None when it can only be chosen after connecting."""
        if self.store is None:
            self.store = self._open_store()
        return self.store

    @property
    def can_connect(self) -> bool:
        """There is a way to connect (a token, or the demo)."""
        return self._connect is not None

    @property
    def connected(self) -> bool:
        return self.engine is not None

    async def connect(self) -> None:
        if self.engine is not None:
            return
        if self._connect is None:
            raise RuntimeError("this session has no connector")
        # In a thread, so that the loop keeps painting: the network side imports httpx
        # and pydantic (~170 ms), which the connector would otherwise import on the loop.
        await asyncio.to_thread(_import_network_side)
        self.connecting = True
        try:
            connection = await self._connect(self.open_store())
        finally:
            self.connecting = False
        self._connection = connection
        self.store = connection.store
        self.engine = connection.engine
        for callback in self._subscribers:
            self._unsubscribe.append(self.engine.events.subscribe(callback))
        self._connected.set()

    def writer(self) -> ItemWriter | None:
        """The one writer of every create, edit, move and comment (it keeps two quick
        moves of a card in order); None until connected."""
        if self.engine is None or self.store is None:
            return None
        if self._writer is None:
            from kiteboard.store.writer import ItemWriter

            self._writer = ItemWriter(self.engine.client, self.store, self.engine.apply)
        return self._writer

    async def wait_connected(self) -> SyncEngine:
        await self._connected.wait()
        assert self.engine is not None
        return self.engine

    def subscribe(self, callback: Callable[[Any], None]) -> None:
        """Receive the engine's events (now, or once connected)."""
        self._subscribers.append(callback)
        if self.engine is not None:
            self._unsubscribe.append(self.engine.events.subscribe(callback))

    def use_connector(
        self,
        connect: Connector,
        *,
        demo: bool,
        open_store: Callable[[], Store | None] | None = None,
    ) -> None:
        """Switch to another source before connecting (the first-run screen's demo)."""
        self._connect = connect
        if open_store is not None:
            self._open_store = open_store
        self.demo = demo
        self.needs_token = False

    async def aclose(self) -> None:
        self._writer = None
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        if self._connection is not None:
            await self._connection.close()
            self._connection = None
        if self.store is not None:
            self.store.close()
            self.store = None

"""SyncStatusTracker: each space's sync status as the UI shows it ("Synced 2 min ago",
"Loading 340 of 2,000", "Offline since …"), and the guard that turns a failed sync step
into that status.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from kiteboard.store.event_hub import EventHub
from kiteboard.store.events import SyncStatusChanged
from kiteboard.store.rows import SyncStatus

if TYPE_CHECKING:
    from kiteboard.store.db import Store


class SyncStatusTracker:
    """Live statuses of the spaces the engine touched (the others: as stored), each
    change announced through the hub."""

    def __init__(self, store: Store, events: EventHub, *, clock: Callable[[], float]) -> None:
        self._store = store
        self._events = events
        self._clock = clock
        self._status: dict[str, SyncStatus] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def status(self, space_id: str) -> SyncStatus:
        """The space's sync status: live if the engine touched it, else as stored."""
        if space_id not in self._status:
            self._status[space_id] = self._store.read.sync_status(space_id)
        return self._status[space_id]

    def update(self, space_id: str, state: str | None = None, **fields: Any) -> None:
        """Set the state and fields given, with the current progress; announce it if it
        changed."""
        old = self.status(space_id)
        loaded, total = self._store.read.counts(space_id)
        new = old._replace(loaded=loaded, total=total, **fields)
        if state is not None:
            new = new._replace(state=state)
        if new != old:
            self._status[space_id] = new
            self._events.emit(SyncStatusChanged(space_id, new))

    def synced(self, space_id: str, *, message: str | None = None) -> SyncStatus:
        """The space is up to date (as far as can be: ``message`` says what is not)."""
        self.update(
            space_id,
            "synced",
            last_synced_at=self._store.read.sync_state(space_id).last_synced_at,
            offline_since=None,
            message=message,
        )
        return self.status(space_id)

    @asynccontextmanager
    async def step(self, space_id: str) -> AsyncIterator[None]:
        """One sync step of a space: one at a time per space; what changed is announced
        when it ends, however it ends; failures become status."""
        from kiteboard.api.errors import (
            AuthError,
            NetworkError,
            RateLimitedError,
            ServerUnavailableError,
        )

        lock = self._locks.setdefault(space_id, asyncio.Lock())
        async with lock:
            try:
                yield
            except (NetworkError, ServerUnavailableError) as error:
                self._events.flush(space_id)
                since = self.status(space_id).offline_since or self._clock()
                self.update(
                    space_id, "offline", offline_since=since, message=f"Offline: {error.message}"
                )
                raise
            except AuthError as error:
                self._events.flush(space_id)
                self.update(
                    space_id,
                    "rejected",
                    offline_since=None,
                    message=f"Sync stopped: {error.message}. Check the API token.",
                )
                raise
            except RateLimitedError:
                self._events.flush(space_id)
                self.update(space_id, message="Kitemaker is rate limiting; retrying later.")
                raise
            except BaseException:  # cancelled (or a bug): what was written stays, and says so
                self._events.flush(space_id)
                if self.status(space_id).state == "syncing":
                    self.update(space_id, self._store.read.sync_status(space_id).state)
                raise
            self._events.flush(space_id)

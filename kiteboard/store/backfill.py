"""The backfill: full items fetched one by one, by number, newest first.

The REST API gives full items (status, number) only for the 50 most recently updated
and by (space key, number). So once /metadata/workitems has told us every item by id
and title, the rest of the board is loaded by walking the numbers down from the largest
known one, skipping what the store already holds:
- numbers of items already loaded (from the feed, or an earlier, interrupted run);
- numbers that answered 404 before with the same key (deleted items: remembered).
Every answer is written as it arrives, in its own transaction, so a run cancelled or
killed at any point resumes where it stopped and fetches nothing twice. The walk stops
as soon as every item known by title is loaded (older numbers are all deleted ones).

Then items flagged for a re-check (after a gap in the change feed) are fetched again,
newest first; and if some titled items are still not found, numbers above the largest
known are probed (items created while more than 50 others changed).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Literal

from kiteboard.api.errors import NotFoundError, RateLimitedError

if TYPE_CHECKING:
    from kiteboard.store.db import Store

log = logging.getLogger(__name__)

Kind = Literal["fill", "recheck", "probe"]
PROBE_MISSES = 3  # consecutive 404s above the largest number before giving up
RATE_LIMIT_TRIES = 3  # a number the client gave up on (429) is tried this often


class KeyStale(Exception):
    """The space key answered as if it named another space (or none): stop and
    re-learn it."""

    def __init__(self, number: int) -> None:
        super().__init__(f"item number {number} not found with the current key")
        self.number = number


class Backfill:
    def __init__(
        self,
        *,
        client: Any,
        store: Store,
        space_id: str,
        key: str,
        concurrency: int,
        on_item: Callable[[Any, str], None],
        monotonic: Callable[[], float],
        deadline: float | None = None,
        probe: bool = True,
    ) -> None:
        self._client = client
        self._store = store
        self._space_id = space_id
        self._key = key
        self._concurrency = max(1, concurrency)
        self._on_item = on_item
        self._monotonic = monotonic
        self._deadline = deadline
        self.stubs = store.read.stub_ids(space_id)
        self.max_number = store.read.sync_state(space_id).max_number
        loaded = store.read.loaded_numbers(space_id)
        missing = store.read.missing_numbers(space_id)
        self._down: Iterator[int] = (
            n for n in range(self.max_number, 0, -1) if n not in loaded and n not in missing
        )
        self._rechecks: Iterator[int] = iter(store.read.recheck_numbers(space_id))
        self._probe_next = self.max_number + 1
        self._probe_misses = 0
        self._probing = False
        self._may_probe = probe
        self.probed = False  # numbers above the largest known were tried, in vain or not
        self.fetched = 0  # requests that brought an item
        self.missing = 0  # numbers that answered 404
        self.stopped_early = False  # the deadline came before the work was done

    def pending(self) -> bool:
        """Is there anything this backfill could still fetch?"""
        return bool(self.stubs) or bool(self._store.read.recheck_numbers(self._space_id))

    async def run(self) -> None:
        await self._round()
        if self.stubs and not self.stopped_early and self._may_probe:
            # Every number up to the largest known is done, yet titled items are still
            # not found: they are newer. Probe upwards (after the walk, not during it,
            # so that answers still on their way are not taken for missing items).
            self._probing = self.probed = True
            await self._round()

    async def _round(self) -> None:
        workers = [asyncio.create_task(self._worker()) for _ in range(self._concurrency)]
        try:
            done, _ = await asyncio.wait(workers, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                if not task.cancelled() and task.exception() is not None:
                    raise task.exception()  # type: ignore[misc]
        finally:
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)

    def _next(self) -> tuple[Kind, int] | None:
        if self._deadline is not None and self._monotonic() >= self._deadline:
            self.stopped_early = True
            return None
        if self.stubs:
            number = next(self._down, None)
            if number is not None:
                return "fill", number
        number = next(self._rechecks, None)
        if number is not None:
            return "recheck", number
        if self._probing and self.stubs and self._probe_misses < PROBE_MISSES:
            self._probe_next += 1
            return "probe", self._probe_next - 1
        return None

    async def _worker(self) -> None:
        while (job := self._next()) is not None:
            kind, number = job
            item = await self._fetch(kind, number)
            if item is None:
                continue
            space = getattr(item, "space", None)
            if space is not None and space.id != self._space_id:
                raise KeyStale(number)  # the key now names another space
            self.fetched += 1
            if kind == "probe":
                self._probe_misses = 0
            self.stubs.discard(item.id)
            self._on_item(item, self._space_id)

    async def _fetch(self, kind: Kind, number: int) -> Any:
        for attempt in range(1, RATE_LIMIT_TRIES + 1):
            try:
                return await self._client.work_item(self._key, number)
            except RateLimitedError:
                if attempt == RATE_LIMIT_TRIES:
                    raise
            except NotFoundError as error:
                self._missed(kind, number, error)
                return None
        return None

    def _missed(self, kind: Kind, number: int, error: NotFoundError) -> None:
        if error.code == "SPACE_NOT_FOUND":
            raise KeyStale(number)
        self.missing += 1
        if kind == "fill" and number <= self.max_number:
            # Below a number known to exist: a deleted item. Numbers are not reused.
            if self._store.read.item_at(self._space_id, number) is None:
                self._store.write.add_missing(self._space_id, number, self._key)
        elif kind == "recheck":
            # An item we hold and /metadata/workitems still lists: the key went stale,
            # or the item was deleted a moment ago. The engine finds out which.
            raise KeyStale(number)
        else:
            self._probe_misses += 1

"""SyncEngine: makes a space's board complete in the store, keeps it fresh, and says
what changed.

The REST API's board problem (see the API contract) is solved in three moves:
1. refresh (refresh.py, 3 requests): the change feed, every item by id and title, the
   recent comments; statuses and labels now and then;
2. backfill (backfill.py): every item known only by title is loaded by number, newest
   first, resumable, politely paced (pacing.py);
3. a gap in the feed (more than 50 changes since the last look) flags every item not
   in the feed for a re-check, which the backfill then does by number, newest first,
   in the background. The board keeps showing what it has meanwhile. It is the only
   sound repair: the REST API has no other way to learn an item's status.

Every change is written in one transaction per step (no await inside one), so a sync
cancelled or killed at any point leaves a consistent store that the next run resumes.

With a GraphQL client (``graphql=``), a first sync pages the whole space instead
(graphql_source.py: ⌈N/50⌉ + 1 requests, resumable by cursor); refreshes stay REST's
3-request feed. Both write the store through the same SyncApply.

The engine orchestrates; its parts are objects of their own: ``events`` (event_hub.py:
subscribe, and the coalescing: at most one ItemsChanged per ``event_interval`` seconds
during a backfill), ``statuses`` (sync_status.py), ``apply`` (sync_apply.py: the
write-apply API the writer uses), ``keys`` (keys.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiteboard.store.backfill import Backfill, KeyStale
from kiteboard.store.event_hub import EventHub
from kiteboard.store.events import SpacesChanged
from kiteboard.store.graphql_source import GraphQLSource
from kiteboard.store.keys import KeyBook, KeyResolver
from kiteboard.store.refresh import FeedRefresh
from kiteboard.store.rows import SpaceRow
from kiteboard.store.sync_apply import SyncApply
from kiteboard.store.sync_status import SyncStatusTracker

if TYPE_CHECKING:
    from kiteboard.store.db import Store

log = logging.getLogger(__name__)


@dataclass(slots=True)
class SyncReport:
    """What one sync_space() or refresh() did, for the `kiteboard sync` summary."""

    space_id: str
    added: int = 0
    changed: int = 0
    removed: int = 0
    comments: int = 0  # items whose comments changed
    fetched: int = 0  # items fetched one by one (backfill, re-check)
    gap: bool = False  # the change feed had a gap: items are being re-checked
    loaded: int = 0
    total: int = 0
    key: str | None = None
    message: str | None = None

    @property
    def up_to_date(self) -> bool:
        """Nothing had changed since the last sync."""
        return not (self.added or self.changed or self.removed or self.comments or self.fetched)


class SyncEngine:
    def __init__(
        self,
        client: Any,
        store: Store,
        *,
        clock: Callable[[], float] = time.time,
        concurrency: int = 4,
        space_keys: dict[str, str] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        event_interval: float = 0.25,
        pace: bool = True,
        graphql: Any = None,
    ) -> None:
        if pace and getattr(client, "pacer", False) is None:
            # Backfills run at the server's rate limit, not into it (pacing.py).
            from kiteboard.store.pacing import AdaptivePacer

            client.pacer = AdaptivePacer()
        if graphql is not None and getattr(graphql, "pacer", False) is None:
            graphql.pacer = getattr(client, "pacer", None)  # one server, one rate limit
        self.client = client
        self.store = store
        self.concurrency = concurrency
        self._clock = clock
        self._monotonic = monotonic
        # Announcing a space's changes refreshes its progress ("340 of 2,000").
        self.events = EventHub(
            monotonic=monotonic, interval=event_interval, on_flushed=self._changes_announced
        )
        self.statuses = SyncStatusTracker(store, self.events, clock=clock)
        self.apply = SyncApply(store, self.events, clock=clock)
        self.keys = KeyBook(client, store, space_keys or {}, on_key_changed=self._key_changed)
        self._refresh = FeedRefresh(
            client=client,
            store=store,
            events=self.events,
            statuses=self.statuses,
            apply=self.apply,
            keys=self.keys,
            clock=clock,
        )
        self.graphql = (
            GraphQLSource(graphql, store, self.apply, self.events, clock=clock)
            if graphql is not None
            else None
        )
        # (largest number, loading ids) when numbers above the largest were last
        # probed in vain: no probing again until that changes.
        self._probe_plan: dict[str, tuple[int, frozenset[str]]] = {}

    def _changes_announced(self, space_id: str) -> None:
        self.statuses.update(space_id)

    def _key_changed(self, space_id: str) -> None:
        self.events.emit(SpacesChanged())

    # ----- spaces ---------------------------------------------------------------------

    async def sync_spaces(self) -> list[SpaceRow]:
        """The organization and its spaces (2 requests; 1 through GraphQL, which also
        brings every space's key, columns and labels)."""
        if self.graphql is not None:
            await self.graphql.sync_organization()
            self.keys.apply_settings()
            return self.store.read.spaces()
        org = await self.client.organization()
        spaces = await self.client.spaces()
        self.store.write.save_organization(org.id, org.name)
        if self.store.write.save_spaces([(entry.id, entry.label) for entry in spaces]):
            self.events.emit(SpacesChanged())
        self.keys.apply_settings()
        return self.store.read.spaces()

    async def ask_key(
        self, space_id: str, resolver: KeyResolver, *, again: bool = False
    ) -> str | None:
        """The space's key when no sync could learn it (no recent comment) though the
        board needs it (references, `KEY-12` in the filter): asked through `resolver`
        once in this process (`again`: asked whatever is known), and tried on an item
        before it is believed."""
        space = await self._space(space_id)
        if again:
            return await self.keys.ask(space, resolver, on_item=self._fetched_item)
        if space.key:
            return space.key
        return await self.keys.usable_key(
            space, resolver, on_item=self._fetched_item, ask_again=False
        )

    async def _space(self, space_id: str) -> SpaceRow:
        space = self.store.read.space(space_id)
        if space is None:
            await self.sync_spaces()
            space = self.store.read.space(space_id)
        if space is None:
            from kiteboard.api.errors import NotFoundError

            raise NotFoundError("The specified space does not exist", "SPACE_NOT_FOUND")
        return space

    # ----- the public steps -----------------------------------------------------------

    async def sync_space(
        self, space_id: str, *, key_resolver: KeyResolver | None = None
    ) -> SyncReport:
        """Make the space's board complete: refresh (with statuses and labels), then
        backfill every item not yet loaded, and re-check what a feed gap left doubtful.
        Raises the client's errors (the status says offline/stopped first)."""
        report = SyncReport(space_id)
        async with self.statuses.step(space_id):
            if self.graphql is not None:
                await self._space(space_id)
                self.statuses.update(space_id, "syncing", message="Loading the board…")
                await self.graphql.sync_space(space_id, report)
                self._after_refresh(space_id, report)
                report.key = self.keys.key(space_id)
                return report
            await self._refresh.run(await self._space(space_id), report, force_layout=True)
            await self._backfill(space_id, report, key_resolver, deadline=None)
        return report

    async def refresh(
        self, space_id: str, *, key_resolver: KeyResolver | None = None
    ) -> SyncReport:
        """Pick up what changed since the last sync: at most 3 requests when nothing
        did. Loads nothing by number (see sync_space / run)."""
        report = SyncReport(space_id)
        async with self.statuses.step(space_id):
            await self._refresh.run(await self._space(space_id), report, force_layout=False)
            self._after_refresh(space_id, report)
        return report

    async def run(
        self,
        space_id: str,
        *,
        interval: float,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        key_resolver: KeyResolver | None = None,
        max_backoff: float = 60.0,
    ) -> None:
        """Keep the space fresh until cancelled: refresh every ``interval`` seconds, and
        between refreshes backfill and re-check (in slices of ``interval`` seconds, so
        the board never waits long for other people's changes). When the network
        fails: status offline, retry with backoff (1 s doubling up to ``max_backoff``),
        resume by itself. A rejected token stops it (status says so)."""
        from kiteboard.api.errors import (
            AuthError,
            NetworkError,
            RateLimitedError,
            ServerUnavailableError,
        )

        backoff = 1.0
        while True:
            try:
                report = SyncReport(space_id)
                async with self.statuses.step(space_id):
                    space = await self._space(space_id)
                    await self._refresh.run(space, report, force_layout=False)
                    deadline = self._monotonic() + interval
                    done = await self._backfill(space_id, report, key_resolver, deadline=deadline)
                backoff = 1.0
                if done:
                    await sleep(interval)
            except (NetworkError, ServerUnavailableError, RateLimitedError) as error:
                log.info("sync of %s failed (%s); retrying in %.0fs", space_id, error, backoff)
                await sleep(backoff)
                backoff = min(max_backoff, backoff * 2)
            except AuthError:
                return

    def _after_refresh(self, space_id: str, report: SyncReport) -> None:
        loaded, total = self.store.read.counts(space_id)
        message = None
        if loaded < total and (self.keys.key(space_id) is None or self.keys.problem(space_id)):
            message = self.keys.missing_message(space_id, total - loaded)
        status = self.statuses.synced(space_id, message=message)
        report.loaded, report.total, report.message = status.loaded, status.total, message

    # ----- the backfill ---------------------------------------------------------------

    async def _backfill(
        self,
        space_id: str,
        report: SyncReport,
        resolver: KeyResolver | None,
        *,
        deadline: float | None,
    ) -> bool:
        """Load and re-check items by number. True when nothing is left to do (or
        nothing can be done: no key)."""
        space = await self._space(space_id)
        if not self.store.read.stub_ids(space_id) and not self.store.read.recheck_numbers(space_id):
            self._after_refresh(space_id, report)
            return True
        for _attempt in range(3):
            key = await self.keys.usable_key(
                space, resolver, on_item=self._fetched_item, ask_again=deadline is None
            )
            if key is None:
                self._after_refresh(space_id, report)
                return True
            self.statuses.update(space_id, "syncing", message=None)
            backfill = Backfill(
                client=self.client,
                store=self.store,
                space_id=space_id,
                key=key,
                concurrency=self.concurrency,
                on_item=self._fetched_item,
                monotonic=self._monotonic,
                deadline=deadline,
                probe=self._probe_plan.get(space_id) != self._plan(space_id),
            )
            try:
                await backfill.run()
            except KeyStale as stale:
                report.fetched += backfill.fetched
                await self.keys.handle_stale(space, key, stale.number, on_item=self._fetched_item)
                continue
            report.fetched += backfill.fetched
            self.events.flush(space_id)
            if backfill.probed:
                # Probing found what it could; not again until the board changes.
                self._probe_plan[space_id] = self._plan(space_id)
            if backfill.stopped_early:
                return False
            break
        self._after_refresh(space_id, report)
        loaded, total = report.loaded, report.total
        if loaded < total and report.message is None:
            report.message = f"{total - loaded:,} items could not be loaded by number."
            self.statuses.update(space_id, message=report.message)
        return True

    def _plan(self, space_id: str) -> tuple[int, frozenset[str]]:
        return self.store.read.sync_state(space_id).max_number, frozenset(
            self.store.read.stub_ids(space_id)
        )

    def _fetched_item(self, item: Any, space_id: str = "") -> None:
        record_space = self.apply.write_item(item, space_id)
        self.events.maybe_flush(record_space)

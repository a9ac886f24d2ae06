"""SyncEngine: makes a space's board complete in the store, keeps it fresh, and says
what changed.

The REST API's board problem (see the API contract) is solved in three moves:
1. refresh (3 requests): /recent/workitems (the change feed: full items), then
   /metadata/workitems (every item by id and title: additions, retitles, deletions),
   then /recent/comments (comments, and the space's key); statuses and labels are
   fetched on a first sync, every LAYOUT_MAX_AGE seconds, or when an item names a
   status we do not know;
2. backfill (backfill.py): every item known only by title is loaded by number, newest
   first, resumable, politely paced (pacing.py);
3. a gap in the feed (50 entries, all newer than the newest one seen last time: more
   than 50 changes since, so some were not seen) flags every item not in the feed for a
   re-check, which the backfill then does by number, newest first, in the background.
   The board keeps showing what it has meanwhile. It is the only sound repair: the
   REST API has no other way to learn an item's status.

Every change is written in one transaction per step (no await inside one), so a sync
cancelled or killed at any point leaves a consistent store that the next run resumes.
Every change is announced to subscribers (events.py), coalesced: at most one
ItemsChanged per ``event_interval`` seconds during a backfill.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiteboard.store.backfill import Backfill, KeyStale
from kiteboard.store.convert import changed_at, comment_record, item_record
from kiteboard.store.events import (
    BoardLayoutChanged,
    CommentsChanged,
    ItemsChanged,
    SpacesChanged,
    SyncEvent,
    SyncStatusChanged,
)
from kiteboard.store.keys import KeyBook, KeyResolver
from kiteboard.store.records import SpaceSync
from kiteboard.store.rows import SpaceRow, SyncStatus

if TYPE_CHECKING:
    from kiteboard.store.db import Store

log = logging.getLogger(__name__)

FEED_COUNT = 50  # the API's maximum for /recent/*
LAYOUT_MAX_AGE = 600.0  # seconds between statuses/labels fetches in refreshes


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


class _Pending:
    """Changes not yet announced, per space."""

    def __init__(self) -> None:
        self.added: set[str] = set()
        self.changed: set[str] = set()
        self.removed: set[str] = set()
        self.comments: set[str] = set()

    def note(self, kind: str, item_id: str) -> None:
        if kind == "removed":
            self.added.discard(item_id)
            self.changed.discard(item_id)
            self.removed.add(item_id)
        elif kind == "added":
            self.removed.discard(item_id)
            self.added.add(item_id)
        elif item_id not in self.added:
            self.removed.discard(item_id)
            self.changed.add(item_id)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.comments)


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
    ) -> None:
        if pace and getattr(client, "pacer", False) is None:
            # Backfills run at the server's rate limit, not into it (pacing.py).
            from kiteboard.store.pacing import AdaptivePacer

            client.pacer = AdaptivePacer()
        self.client = client
        self.store = store
        self.concurrency = concurrency
        self._clock = clock
        self._monotonic = monotonic
        self._event_interval = event_interval
        self._subscribers: list[Callable[[SyncEvent], object]] = []
        self._status: dict[str, SyncStatus] = {}
        self._pending: dict[str, _Pending] = {}
        self._flushed_at: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        # (largest number, loading ids) when numbers above the largest were last
        # probed in vain: no probing again until that changes.
        self._probe_plan: dict[str, tuple[int, frozenset[str]]] = {}
        self.keys = KeyBook(client, store, space_keys or {}, on_key_changed=self._key_changed)

    # ----- events ---------------------------------------------------------------------

    def subscribe(self, callback: Callable[[SyncEvent], object]) -> Callable[[], None]:
        """Call ``callback(event)`` on every change (on the engine's event loop).
        Returns a function that unsubscribes."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def _emit(self, event: SyncEvent) -> None:
        for callback in list(self._subscribers):
            try:
                callback(event)
            except Exception:  # a subscriber's bug must not stop the sync
                log.exception("sync event subscriber failed on %r", event)

    def _note(self, space_id: str, kind: str, item_id: str) -> None:
        self._pending.setdefault(space_id, _Pending()).note(kind, item_id)

    def _flush(self, space_id: str | None = None) -> None:
        """Announce what changed (every space, or one), with the new progress."""
        for sid in [space_id] if space_id else list(self._pending):
            pending = self._pending.pop(sid, None)
            self._flushed_at[sid] = self._monotonic()
            if pending and (pending.added or pending.changed or pending.removed):
                self._emit(
                    ItemsChanged(
                        sid,
                        frozenset(pending.added),
                        frozenset(pending.changed),
                        frozenset(pending.removed),
                    )
                )
            if pending and pending.comments:
                self._emit(CommentsChanged(sid, frozenset(pending.comments)))
            if pending:
                self._set_status(sid)

    def _maybe_flush(self, space_id: str) -> None:
        if self._monotonic() - self._flushed_at.get(space_id, 0.0) >= self._event_interval:
            self._flush(space_id)

    # ----- status ---------------------------------------------------------------------

    def status(self, space_id: str) -> SyncStatus:
        """The space's sync status: live if this engine touched it, else as stored."""
        if space_id not in self._status:
            self._status[space_id] = self.store.sync_status(space_id)
        return self._status[space_id]

    def _set_status(self, space_id: str, state: str | None = None, **fields: Any) -> None:
        old = self.status(space_id)
        loaded, total = self.store.counts(space_id)
        new = old._replace(loaded=loaded, total=total, **fields)
        if state is not None:
            new = new._replace(state=state)
        if new != old:
            self._status[space_id] = new
            self._emit(SyncStatusChanged(space_id, new))

    @asynccontextmanager
    async def _step(self, space_id: str) -> AsyncIterator[None]:
        """One sync step of a space: one at a time per space; failures become status."""
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
                self._flush(space_id)
                since = self.status(space_id).offline_since or self._clock()
                self._set_status(
                    space_id, "offline", offline_since=since, message=f"Offline: {error.message}"
                )
                raise
            except AuthError as error:
                self._flush(space_id)
                self._set_status(
                    space_id,
                    "rejected",
                    offline_since=None,
                    message=f"Sync stopped: {error.message}. Check the API token.",
                )
                raise
            except RateLimitedError:
                self._flush(space_id)
                self._set_status(space_id, message="Kitemaker is rate limiting; retrying later.")
                raise
            except BaseException:  # cancelled (or a bug): what was written stays, and says so
                self._flush(space_id)
                if self.status(space_id).state == "syncing":
                    stored = self.store.sync_status(space_id).state
                    self._set_status(space_id, stored)
                raise
            self._flush(space_id)

    def _synced(self, space_id: str, report: SyncReport, *, message: str | None = None) -> None:
        self._set_status(
            space_id,
            "synced",
            last_synced_at=self.store.sync_state(space_id).last_synced_at,
            offline_since=None,
            message=message,
        )
        status = self.status(space_id)
        report.loaded, report.total, report.message = status.loaded, status.total, message

    # ----- spaces ---------------------------------------------------------------------

    async def sync_spaces(self) -> list[SpaceRow]:
        """The organization and its spaces (2 requests)."""
        org = await self.client.organization()
        spaces = await self.client.spaces()
        self.store.save_organization(org.id, org.name)
        if self.store.save_spaces([(entry.id, entry.label) for entry in spaces]):
            self._emit(SpacesChanged())
        self.keys.apply_settings()
        return self.store.spaces()

    async def _space(self, space_id: str) -> SpaceRow:
        space = self.store.space(space_id)
        if space is None:
            await self.sync_spaces()
            space = self.store.space(space_id)
        if space is None:
            from kiteboard.api.errors import NotFoundError

            raise NotFoundError("The specified space does not exist", "SPACE_NOT_FOUND")
        return space

    def _key_changed(self, space_id: str) -> None:
        self._emit(SpacesChanged())

    # ----- the public steps -----------------------------------------------------------

    async def sync_space(
        self, space_id: str, *, key_resolver: KeyResolver | None = None
    ) -> SyncReport:
        """Make the space's board complete: refresh (with statuses and labels), then
        backfill every item not yet loaded, and re-check what a feed gap left doubtful.
        Raises the client's errors (the status says offline/stopped first)."""
        report = SyncReport(space_id)
        async with self._step(space_id):
            await self._refresh(space_id, report, force_layout=True)
            await self._backfill(space_id, report, key_resolver, deadline=None)
        return report

    async def refresh(
        self, space_id: str, *, key_resolver: KeyResolver | None = None
    ) -> SyncReport:
        """Pick up what changed since the last sync: at most 3 requests when nothing
        did. Loads nothing by number (see sync_space / run)."""
        report = SyncReport(space_id)
        async with self._step(space_id):
            await self._refresh(space_id, report, force_layout=False)
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
                async with self._step(space_id):
                    await self._refresh(space_id, report, force_layout=False)
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

    # ----- the refresh ----------------------------------------------------------------

    async def _refresh(self, space_id: str, report: SyncReport, *, force_layout: bool) -> None:
        space = await self._space(space_id)
        state = self.store.sync_state(space_id)
        if state.last_synced_at is None or self.status(space_id).state == "never":
            self._set_status(space_id, "syncing", message="Loading the board…")
        layout_fetched = False
        age = self._clock() - (state.layout_synced_at or float("-inf"))
        if force_layout or age > LAYOUT_MAX_AGE:
            await self._sync_layout(space_id, state)
            layout_fetched = True
        feed = await self.client.recent_work_items(space_id, FEED_COUNT)
        titles = await self.client.work_item_titles(space_id)
        comments = await self.client.recent_comments(space_id, FEED_COUNT)
        with self.store.transaction():
            self._apply_feed(space_id, state, feed, report)
            self._apply_titles(space_id, titles, feed, report)
            self._apply_comments(space_id, state, comments, report)
            state.last_synced_at = self._clock()
            self.store.save_sync_state(state)
            self.keys.learn(space, comments)
        known = {status.id for status in self.store.statuses(space_id)}
        if not layout_fetched and any(
            item.status is not None and item.status.id not in known for item in feed
        ):
            await self._sync_layout(space_id, self.store.sync_state(space_id))
        report.key = self.keys.key(space_id)
        self._flush(space_id)
        if self.status(space_id).state == "offline":  # the server answers again
            self._set_status(space_id, "synced", offline_since=None, message=None)

    async def _sync_layout(self, space_id: str, state: SpaceSync) -> None:
        statuses = await self.client.statuses(space_id)
        labels = await self.client.labels(space_id)
        with self.store.transaction():
            changed = self.store.save_statuses(space_id, [(s.id, s.label) for s in statuses])
            changed = self.store.save_labels(space_id, [(s.id, s.label) for s in labels]) or changed
            state.layout_synced_at = self._clock()
            self.store.save_sync_state(state)
        if changed:
            self._emit(BoardLayoutChanged(space_id))

    def _apply_feed(self, space_id: str, state: SpaceSync, feed: list[Any], report: SyncReport):
        stamps = [stamp for item in feed if (stamp := changed_at(item))]
        high_water = state.feed_high_water
        if high_water and len(feed) >= FEED_COUNT and stamps and min(stamps) > high_water:
            # More than 50 changes since the last look: any item not in this feed may
            # have changed unseen. Flag them for a re-check by number (the backfill).
            flagged = self.store.mark_recheck(space_id, min(stamps))
            log.info("feed gap in %s: %d items to re-check", space_id, flagged)
            report.gap = True
        for item in feed:
            self._write_item(item, space_id, report)
        if stamps:
            state.feed_high_water = max(high_water or "", max(stamps))

    def _apply_titles(self, space_id: str, titles: list[Any], feed: list[Any], report: SyncReport):
        # An empty listing while the feed shows items is a server hiccup, not the whole
        # board deleted: add and retitle from it, but remove nothing.
        removals = bool(titles) or not feed
        diff = self.store.save_titles(
            space_id, [(entry.id, entry.label) for entry in titles], removals=removals
        )
        for kind, ids in (("added", diff.added), ("changed", diff.changed)):
            for item_id in ids:
                self._note(space_id, kind, item_id)
        for item_id in diff.removed:
            self._note(space_id, "removed", item_id)
        for item_id, old_space in diff.moved_away.items():
            self._note(old_space, "removed", item_id)
        report.added += len(diff.added)
        report.changed += len(diff.changed)
        report.removed += len(diff.removed)

    def _apply_comments(
        self, space_id: str, state: SpaceSync, comments: list[Any], report: SyncReport
    ) -> None:
        records = [r for c in comments if (r := comment_record(c, space_id)) is not None]
        changed = self.store.add_comments(records)
        item_ids = set().union(*changed.values()) if changed else set()
        if item_ids:
            self._pending.setdefault(space_id, _Pending()).comments |= item_ids
            report.comments += len(item_ids)
        stamps = [r.updated_at for r in records if r.updated_at]
        first_look = state.comments_high_water is None and state.comments_since is None
        if len(comments) < FEED_COUNT:
            if first_look:
                state.comments_complete = True  # fewer than 50 ever: we hold them all
        elif stamps and (first_look or min(stamps) > (state.comments_high_water or "")):
            # A full page, all newer than what we saw: older ones may be missing.
            state.comments_complete = False
            state.comments_since = min(stamps)
        if stamps:
            state.comments_high_water = max(state.comments_high_water or "", max(stamps))

    def _write_item(self, item: Any, space_id: str, report: SyncReport | None = None) -> str:
        """Write a full item (``space_id`` if it does not say its space); returns its
        space."""
        record = item_record(item, space_id)
        kind, left = self.store.upsert_item(record)
        if kind is not None:
            self._note(record.space_id, kind, record.id)
            if report is not None:
                if kind == "added":
                    report.added += 1
                else:
                    report.changed += 1
        if left:
            self._note(left, "removed", record.id)
        return record.space_id

    def _after_refresh(self, space_id: str, report: SyncReport) -> None:
        loaded, total = self.store.counts(space_id)
        message = None
        if loaded < total and (self.keys.key(space_id) is None or self.keys.problem(space_id)):
            message = self.keys.missing_message(space_id, total - loaded)
        self._synced(space_id, report, message=message)

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
        if not self.store.stub_ids(space_id) and not self.store.recheck_numbers(space_id):
            self._after_refresh(space_id, report)
            return True
        for _attempt in range(3):
            key = await self.keys.usable_key(
                space, resolver, on_item=self._fetched_item, ask_again=deadline is None
            )
            if key is None:
                self._after_refresh(space_id, report)
                return True
            self._set_status(space_id, "syncing", message=None)
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
            self._flush(space_id)
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
            self._set_status(space_id, message=report.message)
        return True

    def _plan(self, space_id: str) -> tuple[int, frozenset[str]]:
        return self.store.sync_state(space_id).max_number, frozenset(self.store.stub_ids(space_id))

    def _fetched_item(self, item: Any, space_id: str = "") -> None:
        record_space = self._write_item(item, space_id)
        self._maybe_flush(record_space)

    # ----- writes (the seam for creating, editing, moving, commenting) ------------------

    def apply_item(self, item: Any) -> None:
        """Put a full WorkItem (e.g. the answer to a create or an edit) in the store and
        announce it."""
        self._write_item(item, "")
        self._flush()

    def forget_item(self, item_id: str) -> None:
        """The server says the item is gone: drop it and announce it."""
        space_id = self.store.remove_item(item_id)
        if space_id is not None:
            self._note(space_id, "removed", item_id)
            self._flush(space_id)

    def set_status(self, item_id: str, status_id: str) -> None:
        """Show a card in another column before the server confirms (optimistic move);
        the server's answer then goes through apply_item."""
        space_id = self.store.set_item_status(item_id, status_id)
        if space_id is not None:
            self._note(space_id, "changed", item_id)
            self._flush(space_id)

    def apply_comment(self, comment: Any) -> None:
        entity = getattr(comment, "entity", None)
        card = self.store.card(entity.id) if entity is not None else None
        space_id = card.space_id if card else (getattr(entity, "space_id", None) or "")
        record = comment_record(comment, space_id)
        if record is None:
            return
        changed = self.store.add_comments([record])
        if changed:
            self._pending.setdefault(space_id, _Pending()).comments.add(record.item_id)
            self._flush(space_id)

    def apply_label(self, space_id: str, label: Any) -> None:
        self.store.save_label(space_id, label.id, label.name or "", label.color)
        self._emit(BoardLayoutChanged(space_id))

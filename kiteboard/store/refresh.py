"""FeedRefresh: one refresh of a space, at most 3 requests when nothing changed.

/recent/workitems (the change feed: full items), then /metadata/workitems (every item
by id and title: additions, retitles, deletions), then /recent/comments (comments, and
the space's key). Statuses and labels are fetched on a first sync, every
LAYOUT_MAX_AGE seconds, or when an item names a status we do not know. A gap in the
feed (a full page, all newer than the newest entry seen last time) flags every other
item for a re-check by number, which the backfill does.

A refresh of a space synced before also writes what it finds to the activity log
(activity.py): items changed (SyncApply compares them with the store), new items and
new comments. A first sync writes none of it: it learns the past, it did not see it
happen (else a first sync would bury the log under "new" for every item).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiteboard.store.convert import changed_at, comment_record
from kiteboard.store.event_hub import EventHub
from kiteboard.store.events import BoardLayoutChanged
from kiteboard.store.keys import KeyBook
from kiteboard.store.records import SpaceSync
from kiteboard.store.rows import SpaceRow
from kiteboard.store.sync_apply import SyncApply
from kiteboard.store.sync_status import SyncStatusTracker

if TYPE_CHECKING:
    from kiteboard.store.db import Store
    from kiteboard.store.sync import SyncReport

log = logging.getLogger(__name__)

FEED_COUNT = 50  # the API's maximum for /recent/*
LAYOUT_MAX_AGE = 600.0  # seconds between statuses/labels fetches in refreshes


class FeedRefresh:
    def __init__(
        self,
        *,
        client: Any,
        store: Store,
        events: EventHub,
        statuses: SyncStatusTracker,
        apply: SyncApply,
        keys: KeyBook,
        clock: Callable[[], float],
    ) -> None:
        self._client = client
        self._store = store
        self._events = events
        self._statuses = statuses
        self._apply = apply
        self._keys = keys
        self._clock = clock

    async def run(self, space: SpaceRow, report: SyncReport, *, force_layout: bool) -> None:
        """Refresh the space (its layout too when ``force_layout``), announce what
        changed."""
        space_id = space.id
        store = self._store
        state = store.read.sync_state(space_id)
        if state.last_synced_at is None or self._statuses.status(space_id).state == "never":
            self._statuses.update(space_id, "syncing", message="Loading the board…")
        layout_fetched = False
        age = self._clock() - (state.layout_synced_at or float("-inf"))
        if force_layout or age > LAYOUT_MAX_AGE:
            await self._sync_layout(space_id, state)
            layout_fetched = True
        feed = await self._client.recent_work_items(space_id, FEED_COUNT)
        titles = await self._client.work_item_titles(space_id)
        comments = await self._client.recent_comments(space_id, FEED_COUNT)
        news = state.last_synced_at is not None  # not a first sync: changes are news
        with store.transaction():
            self._apply_feed(space_id, state, feed, report, news=news)
            self._apply_titles(space_id, titles, feed, report)
            if news:
                self._record_comments(space_id, comments)
            self._apply_comments(space_id, state, comments, report)
            if store.activity.prune(self._clock()):
                self._events.note_activity(space_id)
            state.last_synced_at = self._clock()
            store.write.save_sync_state(state)
            self._keys.learn(space, comments)
        known = {status.id for status in store.read.statuses(space_id)}
        if not layout_fetched and any(
            item.status is not None and item.status.id not in known for item in feed
        ):
            await self._sync_layout(space_id, store.read.sync_state(space_id))
        report.key = self._keys.key(space_id)
        self._events.flush(space_id)
        if self._statuses.status(space_id).state == "offline":  # the server answers again
            self._statuses.update(space_id, "synced", offline_since=None, message=None)

    async def _sync_layout(self, space_id: str, state: SpaceSync) -> None:
        statuses = await self._client.statuses(space_id)
        labels = await self._client.labels(space_id)
        store = self._store
        with store.transaction():
            changed = store.write.save_statuses(space_id, [(s.id, s.label) for s in statuses])
            changed = (
                store.write.save_labels(space_id, [(s.id, s.label) for s in labels]) or changed
            )
            state.layout_synced_at = self._clock()
            store.write.save_sync_state(state)
        if changed:
            self._events.emit(BoardLayoutChanged(space_id))

    def _apply_feed(
        self, space_id: str, state: SpaceSync, feed: list[Any], report: SyncReport, *, news: bool
    ) -> None:
        stamps = [stamp for item in feed if (stamp := changed_at(item))]
        high_water = state.feed_high_water
        if high_water and len(feed) >= FEED_COUNT and stamps and min(stamps) > high_water:
            # More than 50 changes since the last look: any item not in this feed may
            # have changed unseen. Flag them for a re-check by number (the backfill).
            flagged = self._store.write.mark_recheck(space_id, min(stamps))
            log.info("feed gap in %s: %d items to re-check", space_id, flagged)
            report.gap = True
        for item in feed:
            self._apply.write_item(item, space_id, report, news=news)
        if stamps:
            state.feed_high_water = max(high_water or "", max(stamps))

    def _apply_titles(
        self, space_id: str, titles: list[Any], feed: list[Any], report: SyncReport
    ) -> None:
        # An empty listing while the feed shows items is a server hiccup, not the whole
        # board deleted: add and retitle from it, but remove nothing.
        removals = bool(titles) or not feed
        diff = self._store.write.save_titles(
            space_id, [(entry.id, entry.label) for entry in titles], removals=removals
        )
        for item_id in diff.added:
            self._events.note(space_id, "added", item_id)
        for item_id in diff.changed:
            self._events.note(space_id, "changed", item_id)
        for item_id in diff.removed:
            self._events.note(space_id, "removed", item_id)
        for item_id, old_space in diff.moved_away.items():
            self._events.note(old_space, "removed", item_id)
        report.added += len(diff.added)
        report.changed += len(diff.changed)
        report.removed += len(diff.removed)

    def _record_comments(self, space_id: str, comments: list[Any]) -> None:
        """New comments (not held yet) to the activity log, before they are stored."""
        activity = self._store.activity
        records = {c.id: (c, r) for c in comments if (r := comment_record(c, space_id))}
        now = self._clock()
        recorded = False
        for comment_id in activity.new_comment_ids(record for _, record in records.values()):
            comment, record = records[comment_id]
            card = self._store.read.card(record.item_id)
            entity = comment.entity
            recorded = (
                activity.record_comment(
                    record,
                    space_id=card.space_id if card else space_id,
                    number=card.number if card else getattr(entity, "number", None),
                    title=card.title if card else (getattr(entity, "title", None) or ""),
                    now=now,
                )
                or recorded
            )
        if recorded:
            self._events.note_activity(space_id)

    def _apply_comments(
        self, space_id: str, state: SpaceSync, comments: list[Any], report: SyncReport
    ) -> None:
        records = [r for c in comments if (r := comment_record(c, space_id)) is not None]
        changed = self._store.write.add_comments(records)
        item_ids = set().union(*changed.values()) if changed else set()
        if item_ids:
            self._events.note_comments(space_id, item_ids)
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

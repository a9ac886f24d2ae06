"""ItemWriter: every write kiteboard makes (create, edit, move, comment, label).

It sends one write through the client, applies Kitemaker's answer to the store
through the sync engine (so the board and detail pane hear about it as they hear about
a refresh), and turns what happened into a ``WriteResult`` the UI can show.

Two promises live here:
- nothing is created twice: when a create or a comment ends in an unknown outcome (the
  answer was lost), the change feed is searched for it before anything is sent again,
  and again before the resend itself (``unconfirmed_since``);
- a move shows at once: the card's new status is put in the store before the request,
  and put back if Kitemaker refuses.

No textual here; pydantic models arrive only as the client's answers.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiteboard.api.errors import (
    AuthError,
    BadRequestError,
    KitemakerError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerUnavailableError,
    UnknownOutcomeError,
)
from kiteboard.store.write_results import (
    TOKEN_HELP,
    ItemFields,
    NeedsRetry,
    Refused,
    Saved,
    WriteResult,
    changed_fields,
)
from kiteboard.store.write_seam import StoreSeam, WriteSeam

if TYPE_CHECKING:
    from kiteboard.api.client import KitemakerClient
    from kiteboard.api.models import Comment, Label, WorkItem
    from kiteboard.store.db import Store

# How far the server's clock may be behind ours when matching "created after the
# attempt" in the change feed. Generous: an item we already knew is excluded anyway.
CLOCK_SKEW = 300.0
FEED_COUNT = 50  # the API's maximum


class ItemWriter:
    def __init__(
        self,
        client: KitemakerClient,
        store: Store,
        seam: WriteSeam | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client
        self._store = store
        # The sync engine's (engine.apply) when there is one; else the store alone.
        self._seam: WriteSeam = seam if seam is not None else StoreSeam(store, None)
        self._clock = clock
        # One write at a time per item, so that two quick moves land in order.
        self._item_locks: dict[str, asyncio.Lock] = {}

    # -- create / edit -------------------------------------------------------------------

    async def create_item(
        self, space_id: str, fields: ItemFields, *, unconfirmed_since: float | None = None
    ) -> WriteResult[WorkItem]:
        """POST /workitem. Pass ``unconfirmed_since`` from an earlier NeedsRetry: the
        feed is checked first and the item is not sent again if it is there."""
        known = {card.id for card in self._store.read.cards(space_id)}
        if unconfirmed_since is not None:
            found = await self._find_created_item(space_id, fields, unconfirmed_since, known)
            if isinstance(found, NeedsRetry | Refused):
                return found
            if found is not None:
                return self._landed_item(found)
        started = self._clock()
        try:
            item = await self._client.create_work_item(
                title=fields.title.strip(),
                status_id=fields.status_id,
                description=fields.description or None,
                label_ids=list(fields.label_ids) or None,
                effort=fields.effort,
                impact=fields.impact,
                placement=fields.placement,
            )
        except UnknownOutcomeError as lost:
            since = unconfirmed_since if unconfirmed_since is not None else started
            found = await self._find_created_item(space_id, fields, since, known)
            if isinstance(found, Refused):
                return found
            if isinstance(found, NeedsRetry):
                return NeedsRetry(found.reason, unconfirmed_since=since)
            if found is not None:
                return self._landed_item(found)
            return NeedsRetry(
                f"{_lost(lost)}, and the item is not among Kitemaker's recent changes, so "
                "it was not created.",
                unconfirmed_since=since,
            )
        except KitemakerError as error:
            return _failure(error, what="space")
        self._seam.apply_item(item)
        return Saved(item)

    async def update_item(
        self, item_id: str, base: ItemFields, edited: ItemFields
    ) -> WriteResult[WorkItem | None]:
        """PUT /workitem with only the fields that differ from ``base`` (the item as the
        form opened it). Nothing changed: Saved(None) without a request. A lost answer
        is safe to send again: a PUT sets the same values twice."""
        changes = changed_fields(base, edited)
        if not changes:
            return Saved(None)
        async with self._lock(item_id):
            try:
                item = await self._client.update_work_item(item_id, **changes)
            except UnknownOutcomeError as lost:
                return NeedsRetry(
                    f"{_lost(lost)}; the change may not have been saved. Sending again is safe."
                )
            except NotFoundError as error:
                self._seam.forget_item(item_id)
                return _failure(error, what="item")
            except KitemakerError as error:
                return _failure(error, what="item")
            self._seam.apply_item(item)
            return Saved(item)

    # -- move ----------------------------------------------------------------------------

    async def move_item(self, item_id: str, status_id: str) -> WriteResult[WorkItem | None]:
        """Move a card to ``status_id``: the store has the new status at once (the board
        redraws from the engine's event), then the PUT; if Kitemaker refuses or cannot
        be reached, the card moves back, unless it was moved again meanwhile."""
        card = self._store.read.card(item_id)
        if card is None:
            return Refused("gone", "This item is no longer on the board.")
        previous = card.status_id
        if previous == status_id:
            return Saved(None)
        self._seam.set_status(item_id, status_id)
        async with self._lock(item_id):
            try:
                item = await self._client.update_work_item(item_id, status_id=status_id)
            except UnknownOutcomeError as lost:
                landed = await self._status_in_feed(card.space_id, item_id)
                if landed is not None and landed.status and landed.status.id == status_id:
                    self._seam.apply_item(landed)
                    return Saved(landed, note="The move was saved (checked after a lost answer).")
                self._roll_back(item_id, status_id, previous)
                return NeedsRetry(f"{_lost(lost)}, so the card went back. Move it again.")
            except NotFoundError as error:
                self._seam.forget_item(item_id)
                return _failure(error, what="item")
            except KitemakerError as error:
                self._roll_back(item_id, status_id, previous)
                return _failure(error, what="item")
            self._seam.apply_item(item)
            return Saved(item)

    def _roll_back(self, item_id: str, moved_to: str, previous: str | None) -> None:
        card = self._store.read.card(item_id)
        if card is not None and card.status_id == moved_to and previous is not None:
            self._seam.set_status(item_id, previous)

    # -- comments and labels -------------------------------------------------------------

    async def create_comment(
        self, item_id: str, body: str, *, unconfirmed_since: float | None = None
    ) -> WriteResult[Comment]:
        """POST /comment; a lost answer is looked for in /recent/comments (same body,
        same item, created after the attempt) before offering to send again."""
        card = self._store.read.card(item_id)
        space_id = card.space_id if card is not None else None
        known = {row.id for row in self._store.read.comments(item_id)}
        if unconfirmed_since is not None and space_id is not None:
            found = await self._find_comment(space_id, item_id, body, unconfirmed_since, known)
            if isinstance(found, NeedsRetry | Refused):
                return found
            if found is not None:
                return self._landed_comment(found)
        started = self._clock()
        async with self._lock(item_id):
            try:
                comment = await self._client.create_comment(item_id, body)
            except UnknownOutcomeError as lost:
                since = unconfirmed_since if unconfirmed_since is not None else started
                if space_id is None:
                    return NeedsRetry(f"{_lost(lost)}.", unconfirmed_since=since)
                found = await self._find_comment(space_id, item_id, body, since, known)
                if isinstance(found, Refused):
                    return found
                if isinstance(found, NeedsRetry):
                    return NeedsRetry(found.reason, unconfirmed_since=since)
                if found is not None:
                    return self._landed_comment(found)
                return NeedsRetry(
                    f"{_lost(lost)}, and the comment is not among Kitemaker's recent "
                    "comments, so it was not saved.",
                    unconfirmed_since=since,
                )
            except NotFoundError as error:
                self._seam.forget_item(item_id)
                return _failure(error, what="item")
            except KitemakerError as error:
                return _failure(error, what="comment")
        self._seam.apply_comment(comment)
        return Saved(comment)

    async def create_label(
        self, space_id: str, name: str, color: str | None = None
    ) -> WriteResult[Label]:
        """POST /label. A lost answer: the space's label list is read, and a label of
        that name counts as created (labels are looked up by name anyway)."""
        known = {row.id for row in self._store.read.labels(space_id)}
        try:
            label = await self._client.create_label(space_id, name.strip(), color)
        except UnknownOutcomeError as lost:
            found = await self._find_label(space_id, name, color, known)
            if found is not None:
                return Saved(found, note="The label was created (checked after a lost answer).")
            return NeedsRetry(f"{_lost(lost)}; the label was not found.")
        except KitemakerError as error:
            return _failure(error, what="space")
        self._seam.apply_label(space_id, label)
        return Saved(label)

    # -- looking in the change feed ------------------------------------------------------

    async def _find_created_item(
        self, space_id: str, fields: ItemFields, since: float, known: set[str]
    ) -> WorkItem | NeedsRetry | Refused | None:
        try:
            recent = await self._client.recent_work_items(space_id, count=FEED_COUNT)
        except KitemakerError as error:
            return _unchecked(error, "item")
        title = fields.title.strip()
        matches = [
            item
            for item in recent
            if item.id not in known
            and item.title.strip() == title
            and (item.status is not None and item.status.id == fields.status_id)
            and _after(item.created_at, since)
        ]
        return _newest(matches)

    async def _find_comment(
        self, space_id: str, item_id: str, body: str, since: float, known: set[str]
    ) -> Comment | NeedsRetry | Refused | None:
        try:
            recent = await self._client.recent_comments(space_id, count=FEED_COUNT)
        except KitemakerError as error:
            return _unchecked(error, "comment")
        matches = [
            comment
            for comment in recent
            if comment.id not in known
            and comment.entity is not None
            and comment.entity.id == item_id
            and comment.body.strip() == body.strip()
            and _after(comment.created_at, since)
        ]
        return _newest(matches)

    async def _status_in_feed(self, space_id: str, item_id: str) -> WorkItem | None:
        try:
            recent = await self._client.recent_work_items(space_id, count=FEED_COUNT)
        except KitemakerError:
            return None
        return next((item for item in recent if item.id == item_id), None)

    async def _find_label(
        self, space_id: str, name: str, color: str | None, known: set[str]
    ) -> Label | None:
        """A label of that name, the new one first (an older one does as well: labels
        are picked by name, and a second one of the same name helps nobody)."""
        try:
            entries = await self._client.labels(space_id)
        except KitemakerError:
            return None
        wanted = name.strip().casefold()
        named = [e for e in entries if e.label.strip().casefold() == wanted]
        named.sort(key=lambda entry: entry.id in known)
        if not named:
            return None
        from kiteboard.api.models import Label

        entry = named[0]
        is_new = entry.id not in known
        label = Label(id=entry.id, name=entry.label, color=color if is_new else None)
        self._seam.apply_label(space_id, label)
        return label

    def _landed_item(self, item: WorkItem) -> Saved[WorkItem]:
        self._seam.apply_item(item)
        return Saved(item, note="The item was created (checked after a lost answer).")

    def _landed_comment(self, comment: Comment) -> Saved[Comment]:
        self._seam.apply_comment(comment)
        return Saved(comment, note="The comment was saved (checked after a lost answer).")

    def _lock(self, item_id: str) -> asyncio.Lock:
        return self._item_locks.setdefault(item_id, asyncio.Lock())


def _lost(error: UnknownOutcomeError) -> str:
    """How the answer was lost, as the start of a sentence."""
    if error.status is not None:
        return f"Kitemaker failed (HTTP {error.status}) before confirming"
    return "The connection was lost before Kitemaker answered"


def _after(created_at: datetime | None, since: float) -> bool:
    """Created after the attempt began, allowing for a server clock behind ours. An item
    without a date is accepted: it is already known to be new to us."""
    return created_at is None or created_at.timestamp() >= since - CLOCK_SKEW


def _newest(matches: Iterable[Any]) -> Any:
    dated = sorted(
        matches, key=lambda x: x.created_at.timestamp() if x.created_at else 0.0, reverse=True
    )
    return dated[0] if dated else None


def _unchecked(error: KitemakerError, what: str) -> NeedsRetry | Refused:
    """The feed could not be read, so it is unknown whether the write landed."""
    if isinstance(error, AuthError):
        return Refused("auth", TOKEN_HELP)
    return NeedsRetry(
        f"The connection was lost before Kitemaker answered, and kiteboard could not check "
        f"whether the {what} was saved ({error.message}); sending again checks first.",
        retry_after=error.retry_after if isinstance(error, RateLimitedError) else None,
    )


def _failure(error: KitemakerError, *, what: str) -> NeedsRetry | Refused:
    """One place that turns a client error into what the user reads."""
    if isinstance(error, BadRequestError):
        return Refused("invalid", error.message)
    if isinstance(error, AuthError):
        return Refused("auth", TOKEN_HELP)
    if isinstance(error, NotFoundError):
        if what == "item":
            return Refused(
                "gone", "This item no longer exists in Kitemaker; the board is refreshed."
            )
        return Refused("gone", f"Kitemaker could not find the {what}: {error.message}")
    if isinstance(error, RateLimitedError):
        wait = f"; wait {error.retry_after:.0f} s" if error.retry_after else ""
        return NeedsRetry(
            f"Kitemaker is rate limiting requests{wait}.", retry_after=error.retry_after
        )
    if isinstance(error, ServerUnavailableError):
        status = f" (HTTP {error.status})" if error.status else ""
        return NeedsRetry(f"Kitemaker is unavailable{status}; nothing was saved.")
    if isinstance(error, NetworkError):
        return NeedsRetry(f"{error.message.rstrip('.')}.")  # "Could not reach Kitemaker (…)"
    return Refused("error", error.message)

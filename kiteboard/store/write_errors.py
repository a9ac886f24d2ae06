"""What a failed write tells the user, and how the change feed is searched after an
answer was lost (was the item, the comment, the move saved after all?).

One place turns a client error into what the user reads (``failure``). No textual.
"""

from __future__ import annotations

from collections.abc import Iterable
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
from kiteboard.store.write_results import TOKEN_HELP, ItemFields, NeedsRetry, Refused

if TYPE_CHECKING:
    from kiteboard.api.client import KitemakerClient
    from kiteboard.api.models import Comment, WorkItem

# Seconds of slack when placing "the attempt began" on the server's clock (the time a
# request takes, timestamps in milliseconds). An item we already knew is excluded anyway.
SLACK = 2.0
FEED_COUNT = 50  # the API's maximum


async def find_created_item(
    client: KitemakerClient,
    space_id: str,
    fields: ItemFields,
    since: float,
    known: set[str],
    now: float,
) -> WorkItem | NeedsRetry | Refused | None:
    """The item a lost POST created, from the change feed: one we did not know before
    the send, with its title and status, created after the attempt began (`since`, on
    our clock at `now`: placed on the server's clock, which may be far from ours)."""
    try:
        recent = await client.recent_work_items(space_id, count=FEED_COUNT)
    except KitemakerError as error:
        return unchecked(error, "item")
    began = server_time(recent, since, now)
    title = fields.title.strip()
    matches = [
        item
        for item in recent
        if item.id not in known
        and item.title.strip() == title
        and (item.status is not None and item.status.id == fields.status_id)
        and after(item.created_at, began)
    ]
    return newest(matches)


async def find_comment(
    client: KitemakerClient,
    space_id: str,
    item_id: str,
    body: str,
    since: float,
    known: set[str],
    now: float,
) -> Comment | NeedsRetry | Refused | None:
    try:
        recent = await client.recent_comments(space_id, count=FEED_COUNT)
    except KitemakerError as error:
        return unchecked(error, "comment")
    began = server_time(recent, since, now)
    matches = [
        comment
        for comment in recent
        if comment.id not in known
        and comment.entity is not None
        and comment.entity.id == item_id
        and comment.body.strip() == body.strip()
        and after(comment.created_at, began)
    ]
    return newest(matches)


def server_time(feed: Iterable[Any], since: float, now: float) -> float | None:
    """When the attempt began (`since`, our clock; `now`, our clock now), on the
    server's clock: its newest stamp in the feed is at most its "now", so this is never
    later than the true moment, however far the two clocks are apart. None when the
    feed holds no stamp (then any new item counts)."""
    stamps = [
        stamp.timestamp()
        for entry in feed
        for stamp in (entry.updated_at, entry.created_at)
        if stamp is not None
    ]
    if not stamps:
        return None
    return max(stamps) - max(0.0, now - since) - SLACK


async def status_in_feed(client: KitemakerClient, space_id: str, item_id: str) -> WorkItem | None:
    try:
        recent = await client.recent_work_items(space_id, count=FEED_COUNT)
    except KitemakerError:
        return None
    return next((item for item in recent if item.id == item_id), None)


def lost_text(error: UnknownOutcomeError) -> str:
    """How the answer was lost, as the start of a sentence."""
    if error.status is not None:
        return f"Kitemaker failed (HTTP {error.status}) before confirming"
    return "The connection was lost before Kitemaker answered"


def after(created_at: datetime | None, began: float | None) -> bool:
    """Created after the attempt began (on the server's clock). An item without a
    date is accepted: it is already known to be new to us."""
    return created_at is None or began is None or created_at.timestamp() >= began


def newest(matches: Iterable[Any]) -> Any:
    dated = sorted(
        matches, key=lambda x: x.created_at.timestamp() if x.created_at else 0.0, reverse=True
    )
    return dated[0] if dated else None


def unchecked(error: KitemakerError, what: str) -> NeedsRetry | Refused:
    """The feed could not be read, so it is unknown whether the write landed."""
    if isinstance(error, AuthError):
        return Refused("auth", TOKEN_HELP)
    return NeedsRetry(
        f"The connection was lost before Kitemaker answered, and kiteboard could not check "
        f"whether the {what} was saved ({error.message}); sending again checks first.",
        retry_after=error.retry_after if isinstance(error, RateLimitedError) else None,
    )


def failure(error: KitemakerError, *, what: str) -> NeedsRetry | Refused:
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

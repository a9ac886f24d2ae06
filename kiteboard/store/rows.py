"""What the store hands out: immutable rows, cheap to build, to hash and to compare.

The UI reads these on its first paint, so this module imports nothing heavy (no
pydantic, no httpx): timestamps are ``datetime`` (aware, UTC), ids and names ``str``.

The rows are NamedTuples, not frozen dataclasses: a 5,000-item board builds 5,000
CardRows before its first frame (4 ms as NamedTuples, 16 ms as frozen slots
dataclasses), hashes them as cache keys, and defining the classes costs 0.2 ms each
instead of 1.3 ms (which every start pays).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, NamedTuple

# "rejected": Kitemaker refused the token; nothing is tried again until it changes.
SyncState = Literal["never", "syncing", "synced", "offline", "rejected"]


class OrganizationRow(NamedTuple):
    id: str
    name: str


class SpaceRow(NamedTuple):
    id: str
    name: str
    key: str | None  # e.g. "KB": learned from comments, a setting or the user; may be None


class StatusRow(NamedTuple):
    id: str
    name: str
    position: int  # board order, 0 = leftmost column


class LabelRow(NamedTuple):
    id: str
    name: str
    color: str | None  # hex without '#' or a palette name; None until an item shows it


class CardRow(NamedTuple):
    """One work item as a board card. ``loaded`` is False for an item known only by id
    and title (from /metadata/workitems): the UI shows it as loading, never drops it;
    then number, status and the rest are None/empty."""

    id: str
    space_id: str
    number: int | None
    title: str
    status_id: str | None
    label_ids: tuple[str, ...]
    effort: str | None  # as the server says it: "Large"
    impact: str | None
    created_at: datetime | None
    updated_at: datetime | None
    loaded: bool


class ItemDetail(NamedTuple):
    card: CardRow
    description: str | None
    actor_name: str | None
    actor_type: str | None  # "user" | "application"
    status_name: str | None
    space_name: str | None
    space_key: str | None
    labels: tuple[LabelRow, ...] = ()


class CommentRow(NamedTuple):
    id: str
    item_id: str
    body: str
    actor_name: str | None
    created_at: datetime | None
    updated_at: datetime | None


class SyncStatus(NamedTuple):
    """Where a space's sync stands. ``loaded``/``total`` count the space's items (the
    progress "340 of 2,000"); ``last_synced_at`` and ``offline_since`` are wall-clock
    seconds (time.time()); ``message`` is one sentence for the status bar, or None."""

    state: SyncState
    loaded: int = 0
    total: int = 0
    last_synced_at: float | None = None
    offline_since: float | None = None
    message: str | None = None

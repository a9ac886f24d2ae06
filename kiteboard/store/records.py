"""What the sync engine hands the store to write, and the per-space sync bookkeeping.

Plain records (NamedTuples, cheap to define and to build; see rows.py): the conversion
from the API's pydantic models happens in convert.py (duck-typed), so the store itself
never imports pydantic.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

# Label ids are joined with the ASCII unit separator in one column: cheaper to read for
# 5,000 cards than JSON, and no id from the API contains it.
LABEL_SEP = "\x1f"


class ItemRecord(NamedTuple):
    """A full work item, ready to write."""

    id: str
    space_id: str
    number: int | None
    title: str
    status_id: str | None
    labels: tuple[tuple[str, str, str | None], ...]  # (id, name, color)
    effort: str | None
    impact: str | None
    created_at: str | None  # iso_text()
    updated_at: str | None
    body_json: str  # the item as the server sent it (camelCase), for the detail pane


class CommentRecord(NamedTuple):
    id: str
    item_id: str
    space_id: str | None
    body: str
    actor_name: str | None
    actor_type: str | None
    thread_id: str | None
    reply: bool
    created_at: str | None
    updated_at: str | None


class SpaceSync:
    """A space's sync bookkeeping, persisted in the space_sync table.

    max_number           largest item number known to exist in the space; numbers at or
                         below it that answer 404 are deleted items (remembered)
    feed_high_water      newest updatedAt seen in /recent/workitems (gap detection)
    comments_high_water  newest updatedAt seen in /recent/comments
    comments_since       every comment updated at or after this is held (None: none yet)
    comments_complete    True when every comment of the space ever made is held (the
                         feed once returned fewer than 50)
    """

    # A plain class (not a dataclass, ~1 ms to define): the store is read before the
    # first frame.
    __slots__ = (
        "comments_complete",
        "comments_high_water",
        "comments_since",
        "feed_high_water",
        "last_synced_at",
        "layout_synced_at",
        "max_number",
        "space_id",
    )

    def __init__(
        self,
        space_id: str,
        max_number: int = 0,
        feed_high_water: str | None = None,
        comments_high_water: str | None = None,
        comments_since: str | None = None,
        comments_complete: bool = False,
        last_synced_at: float | None = None,
        layout_synced_at: float | None = None,
    ) -> None:
        self.space_id = space_id
        self.max_number = max_number
        self.feed_high_water = feed_high_water
        self.comments_high_water = comments_high_water
        self.comments_since = comments_since
        self.comments_complete = comments_complete
        self.last_synced_at = last_synced_at
        self.layout_synced_at = layout_synced_at

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"SpaceSync({fields})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SpaceSync):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)


def iso_text(value: datetime | None) -> str | None:
    """One text form for every timestamp, so that text order is time order."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="milliseconds")


def parse_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None

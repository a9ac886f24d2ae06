"""From the API's models (kiteboard.api.models) to the store's records.

Duck-typed on purpose: nothing here imports pydantic, and tests may pass any object
with the same attributes. The item's own JSON (camelCase, as the server sends it) is
kept for the detail pane; ``sort_keys`` makes it comparable, so an unchanged item is
recognised and not announced again.
"""

from __future__ import annotations

import json
from typing import Any

from kiteboard.store.records import CommentRecord, ItemRecord, iso_text


def item_record(item: Any, space_id: str | None = None) -> ItemRecord:
    """``space_id`` is used only when the item does not say its space."""
    space = getattr(item, "space", None)
    status = getattr(item, "status", None)
    labels = tuple(
        (label.id, label.name or "", label.color) for label in (getattr(item, "labels", None) or [])
    )
    dump = getattr(item, "model_dump", None)
    body = dump(mode="json", by_alias=True) if callable(dump) else {}
    return ItemRecord(
        id=item.id,
        space_id=(space.id if space is not None else None) or space_id or "",
        number=item.number,
        title=item.title or "",
        status_id=status.id if status is not None else None,
        labels=labels,
        effort=item.effort,
        impact=item.impact,
        created_at=iso_text(item.created_at),
        updated_at=iso_text(item.updated_at),
        body_json=json.dumps(body, sort_keys=True, ensure_ascii=False),
    )


def comment_record(comment: Any, space_id: str) -> CommentRecord | None:
    """None for a comment that names no work item (nothing to attach it to)."""
    entity = comment.entity
    if entity is None or not entity.id:
        return None
    actor = comment.actor
    return CommentRecord(
        id=comment.id,
        item_id=entity.id,
        space_id=entity.space_id or space_id,
        body=comment.body or "",
        actor_name=actor.name if actor is not None else None,
        actor_type=actor.type if actor is not None else None,
        thread_id=comment.thread_id,
        reply=bool(comment.reply),
        created_at=iso_text(comment.created_at),
        updated_at=iso_text(comment.updated_at or comment.created_at),
    )


def changed_at(obj: Any) -> str | None:
    """When a feed entry last changed, as stored text (updatedAt, else createdAt)."""
    return iso_text(getattr(obj, "updated_at", None) or getattr(obj, "created_at", None))

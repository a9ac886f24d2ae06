"""What a write ended in, as the UI shows it, and the fields of a work item form.

Plain Python (no textual, no pydantic, no httpx): the forms import it at once.

Every write ends in exactly one of three results:
- ``Saved``: Kitemaker has the change (``value`` is what it answered, or what the
  change feed showed after the answer was lost);
- ``NeedsRetry``: nothing known to be wrong with the request, but it did not go
  through (rate limited, unavailable, network, unknown outcome not found in the
  feed): keep everything typed and offer to send again;
- ``Refused``: Kitemaker said no (400, 401, 404): sending the same again will not help.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Literal, TypeVar

if TYPE_CHECKING:
    from kiteboard.store.db import Store

T = TypeVar("T")

# Effort and impact as requests send them (lowercase); None is "none".
SIZES: tuple[str, ...] = ("small", "medium", "large")
PLACEMENTS: tuple[str, ...] = ("top", "bottom")

TOKEN_HELP = (
    "Kitemaker rejected the API token (401). Create a new token in Kitemaker "
    "(Ctrl/Cmd+K → Manage developer settings), put it in KITEMAKER_TOKEN or the config "
    "file (`kiteboard init`), and restart kiteboard. What you typed is kept as a draft."
)


@dataclass(frozen=True, slots=True)
class Saved(Generic[T]):
    value: T
    # Said when the answer was lost and the change feed showed the write had landed.
    note: str | None = None


@dataclass(frozen=True, slots=True)
class NeedsRetry:
    reason: str
    retry_after: float | None = None
    # Set when a create/comment ended in an unknown outcome: the epoch time of that
    # attempt. Pass it back when sending again, so the writer looks in the change feed
    # first and never creates the thing twice.
    unconfirmed_since: float | None = None


RefusedKind = Literal["invalid", "auth", "gone", "error"]


@dataclass(frozen=True, slots=True)
class Refused:
    kind: RefusedKind
    message: str


WriteResult = Saved[T] | NeedsRetry | Refused


def normalize_size(value: str | None) -> str | None:
    """ "Large" (as responses say it) or "large" -> "large"; anything else -> None."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    return text if text in SIZES else None


@dataclass(frozen=True, slots=True)
class ItemFields:
    """What the work item form edits. ``description`` "" means none; effort/impact are
    lowercase or None; ``placement`` is for create only."""

    title: str = ""
    status_id: str = ""
    description: str = ""
    label_ids: tuple[str, ...] = ()
    effort: str | None = None
    impact: str | None = None
    placement: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "status_id": self.status_id,
            "description": self.description,
            "label_ids": list(self.label_ids),
            "effort": self.effort,
            "impact": self.impact,
            "placement": self.placement,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> ItemFields:
        """Lenient: a draft written by an older version never stops a form opening."""

        def text(key: str) -> str:
            value = data.get(key)
            return value if isinstance(value, str) else ""

        labels = data.get("label_ids")
        placement = data.get("placement")
        return cls(
            title=text("title"),
            status_id=text("status_id"),
            description=text("description"),
            label_ids=tuple(x for x in labels if isinstance(x, str))
            if isinstance(labels, list)
            else (),
            effort=normalize_size(data.get("effort")),  # type: ignore[arg-type]
            impact=normalize_size(data.get("impact")),  # type: ignore[arg-type]
            placement=placement if placement in PLACEMENTS else None,
        )


def validate_fields(fields: ItemFields) -> dict[str, str]:
    """The API's own rules for a work item (title and status required, sizes and
    placement from their lists), as {field name: message}; empty when valid."""
    problems: dict[str, str] = {}
    if not fields.title.strip():
        problems["title"] = "A title is required."
    if not fields.status_id:
        problems["status_id"] = "Pick a status."
    if fields.effort is not None and fields.effort not in SIZES:
        problems["effort"] = "Effort is none, small, medium or large."
    if fields.impact is not None and fields.impact not in SIZES:
        problems["impact"] = "Impact is none, small, medium or large."
    if fields.placement is not None and fields.placement not in PLACEMENTS:
        problems["placement"] = "Placement is top or bottom."
    return problems


def changed_fields(base: ItemFields, edited: ItemFields) -> dict[str, object]:
    """The keyword arguments of ``KitemakerClient.update_work_item`` for what changed
    from ``base`` to ``edited``: only those keys, so a PUT never overwrites a field
    someone else changed meanwhile. Labels are compared as sets and sent as the complete
    desired set (the contract's rule); an emptied description or a size set back to
    "none" is sent as None, which clears it."""
    changes: dict[str, object] = {}
    if edited.title.strip() != base.title.strip():
        changes["title"] = edited.title.strip()
    if edited.status_id != base.status_id:
        changes["status_id"] = edited.status_id
    if edited.description != base.description:
        changes["description"] = edited.description or None
    if set(edited.label_ids) != set(base.label_ids):
        changes["label_ids"] = list(dict.fromkeys(edited.label_ids))
    if edited.effort != base.effort:
        changes["effort"] = edited.effort
    if edited.impact != base.impact:
        changes["impact"] = edited.impact
    return changes


def rebase_edit(
    current: ItemFields, draft_base: ItemFields, draft_fields: ItemFields
) -> tuple[ItemFields, ItemFields]:
    """Bring an edit draft up to date with the item as it is now.

    A field the user changed in the draft keeps the draft's value (and the draft's base,
    so the change is still sent); a field they did not touch takes the item's current
    value, so that restoring an old draft never shows, or sends, stale values for it.
    Returns (base, fields) for the form.
    """
    base: dict[str, object] = current.to_dict()
    fields: dict[str, object] = current.to_dict()
    touched = changed_fields(draft_base, draft_fields)
    old_base, old_fields = draft_base.to_dict(), draft_fields.to_dict()
    for key in ("title", "status_id", "description", "label_ids", "effort", "impact"):
        if key in touched:
            base[key] = old_base[key]
            fields[key] = old_fields[key]
    return ItemFields.from_dict(base), ItemFields.from_dict(fields)


def item_fields(store: Store, item_id: str) -> ItemFields | None:
    """The item as the store has it now, as a form (or the undo history) edits it."""
    detail = store.read.item(item_id)
    if detail is None:
        return None
    card = detail.card
    return ItemFields(
        title=card.title,
        status_id=card.status_id or "",
        description=detail.description or "",
        label_ids=tuple(card.label_ids),
        effort=normalize_size(card.effort),
        impact=normalize_size(card.impact),
    )

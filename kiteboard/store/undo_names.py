"""How the writer names what it did, for its one-line messages and the undo history:
`KB-56 → Todo`, `KB-56 back in Backlog`, `KB-56: labels, effort restored`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiteboard.store.undo import ItemChange
from kiteboard.store.write_results import changed_fields

if TYPE_CHECKING:
    from kiteboard.store.db import Store
    from kiteboard.store.rows import CardRow
    from kiteboard.store.write_results import ItemFields

_FIELD_NAMES = {"status_id": "column", "label_ids": "labels"}


def reference(store: Store, card: CardRow) -> str:
    """`KB-56` (`#56` while the space's key is unknown)."""
    space = store.read.space(card.space_id)
    key = space.key if space is not None else None
    number = "?" if card.number is None else str(card.number)
    return f"{key}-{number}" if key else f"#{number}"


def status_name(store: Store, space_id: str, status_id: str | None) -> str:
    names = {status.id: status.name for status in store.read.statuses(space_id)}
    return names.get(status_id or "", "another column")


def move_text(store: Store, card: CardRow, status_id: str) -> str:
    """`KB-56 → Todo`."""
    return f"{reference(store, card)} → {status_name(store, card.space_id, status_id)}"


def move_change(store: Store, card: CardRow, previous: str) -> ItemChange:
    """How to undo a move of `card` out of `previous`."""
    name = reference(store, card)
    back = f"{name} back in {status_name(store, card.space_id, previous)}"
    return ItemChange(card.id, name, {"status_id": previous}, back)


def edit_change(store: Store, item_id: str, base: ItemFields, edited: ItemFields) -> ItemChange:
    """How to undo an edit from `base` to `edited`: the changed fields' old values."""
    card = store.read.card(item_id)
    name = reference(store, card) if card is not None else "the item"
    undo = changed_fields(edited, base)
    fields = ", ".join(_FIELD_NAMES.get(key, key) for key in undo)
    return ItemChange(item_id, name, undo, f"{name}: {fields} restored")

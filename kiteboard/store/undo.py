"""The session's undo history: what each write changed, and how to put it back.

The writer (``ItemWriter``) records every write it makes here, so the board, the item
screen and the triage walk share one history, whoever made the write:

- a move, an edit (title, description, labels, effort, impact): an ``UndoStep`` with one
  ``ItemChange`` per item, holding the fields that put the item back as it was;
- a batch (several cards marked, one key): ONE step of several changes, undone at once;
- a creation or a comment: a step that is not ``undoable``, kept so that `u` can say so
  when it reaches it (Kitemaker's API deletes neither).

How a screen uses it (the writer does the sending; this module sends nothing):

    from kiteboard.store import write_batch

    writer = session.writer()
    await writer.move_item(item_id, status_id)         # recorded: one step
    await writer.set_fields(item_id, label_ids=(...))  # recorded: one step
    await write_batch.move_items(writer, ids, status_id)          # one step for all
    await write_batch.edit_items(writer, ids, edit, "labelled")   # one step: `3 labelled`
    async with writer.history.lock:
        plan = await writer.prepare_undo()  # None: nothing to undo
        if plan is not None and not plan.step.undoable:
            writer.history.discard(plan.step)  # say: "KB-70 created is not undone"
        elif plan is not None and (not plan.changed_by_others or await ask()):
            result = await writer.undo(plan)  # UndoResult: say result.summary()

A screen that shows a move at once (the cursor following the card) splits it:
``previous = writer.show_move(id, status)`` now, then in a worker
``await writer.finish_move(card, status, previous)`` (or write_batch.start_moves /
finish_moves for several).

The UI's `u` does exactly this (ui/screens/undo_key.py); the walk can call it too.

Someone else's change is told by the item's ``updatedAt``: the writer notes the one
each of our writes (undo included) left (``note_ours``); if the item's is later when
undo comes, someone else wrote since, and the screen asks before overwriting.

Plain Python: no textual, no httpx, no pydantic.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

# At least 20 steps back (the floor); a step is small.
UNDO_LIMIT = 50


@dataclass(frozen=True, slots=True)
class ItemChange:
    """One item's part of a write: what to send to put it back."""

    item_id: str
    reference: str  # "KB-56", as messages name the item
    undo_fields: Mapping[str, object]  # update_work_item keywords that restore it
    restores: str  # what undoing says: "KB-56 back in Backlog", "KB-56: title restored"

    @property
    def is_move(self) -> bool:
        return set(self.undo_fields) == {"status_id"}


@dataclass(frozen=True, slots=True)
class UndoStep:
    what: str  # what was done, as the message said it: "KB-56 → Todo", "5 moved to Todo"
    changes: tuple[ItemChange, ...] = ()
    undoable: bool = True  # False: a comment or a creation (not undone; `u` says so)


@dataclass(frozen=True, slots=True)
class UndoPlan:
    """What the next undo would do, checked against Kitemaker (see prepare_undo)."""

    step: UndoStep
    # References of the items someone else changed since our write: ask first.
    changed_by_others: tuple[str, ...] = ()


@dataclass(slots=True)
class UndoResult:
    step: UndoStep
    restored: list[ItemChange] = field(default_factory=list)
    failed: list[tuple[ItemChange, str]] = field(default_factory=list)  # (change, why)

    def summary(self) -> str:
        """One line: `Undone: KB-56 back in Backlog`, `Undone: 5 moved to Todo`."""
        if not self.restored:
            change, why = self.failed[0]
            return f"Could not undo {change.reference}: {why}"
        if len(self.step.changes) == 1:
            text = f"Undone: {self.restored[0].restores}"
        else:
            text = f"Undone: {self.step.what} ({len(self.restored)} restored)"
        if self.failed:
            names = ", ".join(change.reference for change, _ in self.failed)
            text += f"; not restored: {names} ({self.failed[0][1]})"
        return text


class UndoStack:
    """The last UNDO_LIMIT steps, newest on top; the oldest fall off."""

    def __init__(self, limit: int = UNDO_LIMIT) -> None:
        self._steps: deque[UndoStep] = deque(maxlen=limit)
        self._ours: dict[str, datetime | None] = {}
        # Held by a screen from prepare_undo to undo: `u u` typed fast undoes two
        # steps, not the same one twice.
        self.lock = asyncio.Lock()

    def __len__(self) -> int:
        return len(self._steps)

    def push(self, step: UndoStep) -> None:
        self._steps.append(step)

    def peek(self) -> UndoStep | None:
        return self._steps[-1] if self._steps else None

    def pop(self) -> UndoStep | None:
        return self._steps.pop() if self._steps else None

    def discard(self, step: UndoStep) -> None:
        """Take `step` out (being undone, or said to be not undoable)."""
        if step in self._steps:
            self._steps.remove(step)

    def note_ours(self, item_id: str, updated_at: datetime | None) -> None:
        """Our write left the item at `updated_at` (Kitemaker's answer)."""
        self._ours[item_id] = updated_at

    def changed_since_ours(self, item_id: str, updated_at: datetime | None) -> bool:
        """Whether the item's `updated_at` now says someone else wrote after us."""
        ours = self._ours.get(item_id)
        if ours is None or updated_at is None:
            return False  # nothing to compare: no reason to ask
        return updated_at > ours

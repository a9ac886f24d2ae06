"""Writes of several items at once (the marked cards), and undo.

A batch shows every change at once (moves are optimistic), then sends the requests
one after the other through the writer's client, whose pacer spaces them as it spaces
the sync's (pacing.py): a batch of 50 runs at the rate Kitemaker accepts, not into
its limit. A write that fails is named in the result; the others stand. The history
gets ONE step for the batch, so one `u` undoes it all.

Undo (see undo.py for how a screen uses it) sends the reverse change of each item of
the history's top step; what could not be restored stays there for `u` to try again.
No textual here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from kiteboard.api.errors import KitemakerError
from kiteboard.store.undo import ItemChange, UndoPlan, UndoResult, UndoStep
from kiteboard.store.undo_names import edit_change, move_change, reference, status_name
from kiteboard.store.write_results import (
    ItemFields,
    NeedsRetry,
    Refused,
    Saved,
    WriteResult,
    changed_fields,
    item_fields,
)

if TYPE_CHECKING:
    from kiteboard.store.rows import CardRow
    from kiteboard.store.writer import ItemWriter


@dataclass(slots=True)
class BatchResult:
    what: str  # "5 moved to Todo": what the saved writes did
    saved: list[str] = field(default_factory=list)  # item ids now as asked
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (id, KB-5, why)

    def summary(self) -> str:
        """`5 moved to Todo`; with failures: `4 moved to Todo; not moved: KB-5 (why)`."""
        text = self.what
        if self.failed:
            names = ", ".join(name for _, name, _ in self.failed)
            text += f"; failed: {names} ({self.failed[0][2]})"
        return text


def why(result: WriteResult[object]) -> str:
    """The reason a write did not land, in a few words for a summary."""
    if isinstance(result, NeedsRetry):
        return result.reason
    if isinstance(result, Refused):
        return result.message
    return "saved"


class StartedMove(NamedTuple):
    card: CardRow  # as it was before the move
    status_id: str
    previous: str | None  # None: it was there already


def start_moves(writer: ItemWriter, moves: Mapping[str, str]) -> list[StartedMove]:
    """Show every move of ``moves`` ({item id: status id}) at once, in the store (a
    screen then follows the cursor's card); ``finish_moves`` sends them."""
    store = writer.store
    started = []
    for item_id, status_id in moves.items():
        card = store.read.card(item_id)
        if card is not None:
            started.append(StartedMove(card, status_id, writer.show_move(item_id, status_id)))
    return started


async def finish_moves(writer: ItemWriter, started: list[StartedMove]) -> BatchResult:
    """Send the moves one after the other (paced by the client's pacer); one history
    step for those that landed; those that did not went back and are named."""
    store = writer.store
    changes: list[ItemChange] = []
    result = BatchResult("")
    async with writer.sending():
        for card, status_id, previous in started:
            if previous is None:  # already there
                result.saved.append(card.id)
                continue
            outcome = await writer.send_move(card.id, status_id, previous)
            if isinstance(outcome, Saved):
                result.saved.append(card.id)
                if previous:
                    changes.append(move_change(store, card, previous))
            else:
                result.failed.append((card.id, reference(store, card), why(outcome)))
    targets = {move.status_id for move in started}
    result.what = f"{len(result.saved)} moved"
    if len(targets) == 1 and started:
        name = status_name(store, started[0].card.space_id, started[0].status_id)
        result.what += f" to {name}"
    if changes:
        writer.history.push(UndoStep(result.what, tuple(changes)))
    return result


async def move_items(writer: ItemWriter, item_ids: list[str], status_id: str) -> BatchResult:
    moves = dict.fromkeys(item_ids, status_id)
    return await finish_moves(writer, start_moves(writer, moves))


async def edit_items(
    writer: ItemWriter, item_ids: list[str], edit: Callable[[ItemFields], ItemFields], what: str
) -> BatchResult:
    """`edit` gives each item's new fields from its current ones (e.g. adds a label);
    `what` names the saved writes: "3 labelled" (the count is put in front)."""
    store = writer.store
    changes: list[ItemChange] = []
    result = BatchResult("")
    async with writer.sending():
        for item_id in item_ids:
            base = item_fields(store, item_id)
            card = store.read.card(item_id)
            if base is None or card is None:
                continue
            edited = edit(base)
            if not changed_fields(base, edited):
                result.saved.append(item_id)
                continue
            outcome = await writer.send_update(item_id, changed_fields(base, edited))
            if isinstance(outcome, Saved):
                result.saved.append(item_id)
                changes.append(edit_change(store, item_id, base, edited))
            else:
                result.failed.append((item_id, reference(store, card), why(outcome)))
    result.what = f"{len(result.saved)} {what}"
    if changes:
        writer.history.push(UndoStep(result.what, tuple(changes)))
    return result


async def prepare_undo(writer: ItemWriter) -> UndoPlan | None:
    await writer.settled()  # a write still on its way is the one to undo
    step = writer.history.peek()
    if step is None:
        return None
    if not step.undoable:
        return UndoPlan(step)
    now = await _updated_at(writer, [change.item_id for change in step.changes])
    changed = tuple(
        change.reference
        for change in step.changes
        if writer.history.changed_since_ours(change.item_id, now.get(change.item_id))
    )
    return UndoPlan(step, changed)


async def _updated_at(writer: ItemWriter, item_ids: list[str]) -> dict[str, datetime | None]:
    """Each item's updatedAt as Kitemaker has it now: from the change feed (one request
    a space) and, for an item not in it, from the item itself; the store's when
    Kitemaker cannot be asked (then an undo may overwrite: it says what it restored)."""
    store, client = writer.store, writer.client
    cards = [card for item_id in item_ids if (card := store.read.card(item_id)) is not None]
    found: dict[str, datetime | None] = {card.id: card.updated_at for card in cards}
    missing = {card.id for card in cards}
    for space_id in {card.space_id for card in cards}:
        try:
            recent = await client.recent_work_items(space_id, count=50)
        except KitemakerError:
            return found
        for item in recent:
            if item.id in missing:
                found[item.id] = item.updated_at
                missing.discard(item.id)
    for card in cards:
        space = store.read.space(card.space_id)
        if card.id not in missing or space is None or not space.key or card.number is None:
            continue
        try:
            item = await client.work_item(space.key, card.number)
        except KitemakerError:
            continue
        found[card.id] = item.updated_at
    return found


async def undo(writer: ItemWriter, plan: UndoPlan) -> UndoResult:
    step = plan.step
    writer.history.discard(step)  # at once: a second `u` goes one step further back
    result = UndoResult(step)
    for change in step.changes:
        outcome = await _restore(writer, change)
        if isinstance(outcome, Saved):
            result.restored.append(change)
        else:
            result.failed.append((change, why(outcome)))
    if result.failed:
        writer.history.push(replace(step, changes=tuple(change for change, _ in result.failed)))
    return result


async def _restore(writer: ItemWriter, change: ItemChange) -> WriteResult[object]:
    if change.is_move:
        status_id = str(change.undo_fields["status_id"])
        previous = writer.show_move(change.item_id, status_id)
        if previous is None:
            if writer.store.read.card(change.item_id) is None:
                return Refused("gone", "This item is no longer on the board.")
            return Saved(None)  # already back there
        return await writer.send_move(change.item_id, status_id, previous)
    return await writer.send_update(change.item_id, dict(change.undo_fields))

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

Every write that lands is recorded in ``history`` (undo.py: how the board, the item
screen and the triage walk undo); batches and undo itself are write_batch.py's
functions, on top of this writer.

No textual here; pydantic models arrive only as the client's answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from kiteboard.api.errors import (
    KitemakerError,
    NotFoundError,
    UnknownOutcomeError,
)
from kiteboard.store.undo import UndoStack, UndoStep
from kiteboard.store.undo_names import edit_change, move_change, move_text, reference
from kiteboard.store.write_errors import (
    failure,
    find_comment,
    find_created_item,
    lost_text,
    status_in_feed,
)
from kiteboard.store.write_results import (
    ItemFields,
    NeedsRetry,
    Refused,
    Saved,
    WriteResult,
    changed_fields,
    item_fields,
)
from kiteboard.store.write_seam import StoreSeam, WriteSeam

if TYPE_CHECKING:
    from kiteboard.api.client import KitemakerClient
    from kiteboard.api.models import Comment, Label, WorkItem
    from kiteboard.store.db import Store
    from kiteboard.store.rows import CardRow
    from kiteboard.store.undo import UndoPlan, UndoResult


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
        # This session's writes, newest last: what `u` undoes (see undo.py).
        self.history = UndoStack()
        self._sending = 0
        self._settled = asyncio.Event()
        self._settled.set()

    @property
    def client(self) -> KitemakerClient:
        return self._client

    @property
    def store(self) -> Store:
        return self._store

    # -- create / edit -------------------------------------------------------------------

    async def create_item(
        self, space_id: str, fields: ItemFields, *, unconfirmed_since: float | None = None
    ) -> WriteResult[WorkItem]:
        """POST /workitem. Pass ``unconfirmed_since`` from an earlier NeedsRetry: the
        feed is checked first and the item is not sent again if it is there."""
        known = {card.id for card in self._store.read.cards(space_id)}
        if unconfirmed_since is not None:
            found = await find_created_item(
                self._client, space_id, fields, unconfirmed_since, known, self._clock()
            )
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
            found = await find_created_item(
                self._client, space_id, fields, since, known, self._clock()
            )
            if isinstance(found, Refused):
                return found
            if isinstance(found, NeedsRetry):
                return NeedsRetry(found.reason, unconfirmed_since=since)
            if found is not None:
                return self._landed_item(found)
            return NeedsRetry(
                f"{lost_text(lost)}, and the item is not among Kitemaker's recent changes, so "
                "it was not created.",
                unconfirmed_since=since,
            )
        except KitemakerError as error:
            return failure(error, what="space")
        kept = self._keep(self._seam.apply_item, item)
        self._created(item)
        return Saved(item, note=kept)

    async def update_item(
        self, item_id: str, base: ItemFields, edited: ItemFields, *, record: bool = True
    ) -> WriteResult[WorkItem | None]:
        """PUT /workitem with only the fields that differ from ``base`` (the item as the
        form opened it). Nothing changed: Saved(None) without a request. A lost answer
        is safe to send again: a PUT sets the same values twice. Saved: recorded in
        ``history`` (``record`` False: the caller records, e.g. a batch)."""
        changes = changed_fields(base, edited)
        if not changes:
            return Saved(None)
        async with self.sending():
            result = await self.send_update(item_id, changes)
        if record and isinstance(result, Saved) and result.value is not None:
            change = edit_change(self._store, result.value.id, base, edited)
            self.history.push(UndoStep(f"{change.reference} edited", (change,)))
        return result

    async def set_fields(self, item_id: str, **fields: Any) -> WriteResult[WorkItem | None]:
        """Change some fields of an item as the store has it now (the walk's and the
        bulk keys' labels, effort, impact): ``set_fields(id, label_ids=("…",))``,
        ``effort="small"`` (None clears). Recorded in ``history`` like an edit."""
        base = item_fields(self._store, item_id)
        if base is None:
            return Refused("gone", "This item is no longer on the board.")
        return await self.update_item(item_id, base, replace(base, **fields))

    async def send_update(
        self, item_id: str, changes: dict[str, object]
    ) -> WriteResult[WorkItem | None]:
        """The PUT of ``changes`` (update_work_item's keywords); not recorded."""
        async with self._lock(item_id):
            try:
                item = await self._client.update_work_item(item_id, **changes)
            except UnknownOutcomeError as lost:
                return NeedsRetry(
                    f"{lost_text(lost)}; the change may not have been saved. Sending again is safe."
                )
            except NotFoundError as error:
                self._seam.forget_item(item_id)
                return failure(error, what="item")
            except KitemakerError as error:
                return failure(error, what="item")
            kept = self._keep(self._seam.apply_item, item)
            self.history.note_ours(item.id, item.updated_at)
            return Saved(item, note=kept)

    # -- move ----------------------------------------------------------------------------

    async def move_item(
        self, item_id: str, status_id: str, *, record: bool = True
    ) -> WriteResult[WorkItem | None]:
        """Move a card to ``status_id``: the store has the new status at once (the board
        redraws from the engine's event), then the PUT; if Kitemaker refuses or cannot
        be reached, the card moves back, unless it was moved again meanwhile. Saved:
        recorded in ``history`` as `KB-56 → Todo` (``record`` False: not)."""
        card = self._store.read.card(item_id)
        if card is None:
            return Refused("gone", "This item is no longer on the board.")
        previous = self.show_move(item_id, status_id)
        if previous is None:
            return Saved(None)
        return await self.finish_move(card, status_id, previous, record=record)

    async def finish_move(
        self, card: CardRow, status_id: str, previous: str, *, record: bool = True
    ) -> WriteResult[WorkItem | None]:
        """The rest of a move that ``show_move`` showed (a screen shows it at once, the
        cursor following the card, and sends it in a worker): the PUT, and the
        history's step `KB-56 → Todo` once it landed."""
        async with self.sending():
            result = await self.send_move(card.id, status_id, previous)
        if record and previous and isinstance(result, Saved) and result.value is not None:
            change = move_change(self._store, card, previous)
            self.history.push(UndoStep(move_text(self._store, card, status_id), (change,)))
        return result

    def show_move(self, item_id: str, status_id: str) -> str | None:
        """Put the card in ``status_id`` in the store now (optimistic); its status
        before ("" when it had none), or None when there is nothing to move (gone, or
        already there)."""
        card = self._store.read.card(item_id)
        if card is None or card.status_id == status_id:
            return None
        self._seam.set_status(item_id, status_id)
        return card.status_id or ""

    async def send_move(
        self, item_id: str, status_id: str, previous: str
    ) -> WriteResult[WorkItem | None]:
        """The PUT of a move ``show_move`` showed; the card goes back to ``previous``
        when it does not land. Not recorded."""
        card = self._store.read.card(item_id)
        space_id = card.space_id if card is not None else ""
        async with self._lock(item_id):
            try:
                item = await self._client.update_work_item(item_id, status_id=status_id)
            except UnknownOutcomeError as lost:
                landed = await status_in_feed(self._client, space_id, item_id)
                if landed is not None and landed.status and landed.status.id == status_id:
                    self._seam.apply_item(landed)
                    self.history.note_ours(landed.id, landed.updated_at)
                    return Saved(landed, note="The move was saved (checked after a lost answer).")
                self._roll_back(item_id, status_id, previous)
                return NeedsRetry(f"{lost_text(lost)}, so the card went back. Move it again.")
            except NotFoundError as error:
                self._seam.forget_item(item_id)
                return failure(error, what="item")
            except KitemakerError as error:
                self._roll_back(item_id, status_id, previous)
                return failure(error, what="item")
            kept = self._keep(self._seam.apply_item, item)
            self.history.note_ours(item.id, item.updated_at)
            return Saved(item, note=kept)

    def _created(self, item: WorkItem) -> None:
        card = self._store.read.card(item.id)
        name = reference(self._store, card) if card is not None else f"#{item.number}"
        self.history.push(UndoStep(f"{name} created", undoable=False))

    def _commented(self, comment: Comment) -> None:
        entity = comment.entity
        card = self._store.read.card(entity.id) if entity is not None else None
        name = reference(self._store, card) if card is not None else "an item"
        self.history.push(UndoStep(f"a comment on {name}", undoable=False))

    # -- undo (write_batch.py; the board's, the item screen's and the walk's `u`) ------

    async def prepare_undo(self) -> UndoPlan | None:
        """What `u` would undo (None: nothing), with the items someone else changed
        since our write (read from Kitemaker now): the screen asks before those."""
        from kiteboard.store.write_batch import prepare_undo

        return await prepare_undo(self)

    async def undo(self, plan: UndoPlan) -> UndoResult:
        """Send the reverse of ``plan.step``; what could not be restored goes back on
        top of the history, for `u` to try again."""
        from kiteboard.store.write_batch import undo

        return await undo(self, plan)

    def _roll_back(self, item_id: str, moved_to: str, previous: str | None) -> None:
        card = self._store.read.card(item_id)
        if card is not None and card.status_id == moved_to and previous:
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
            found = await find_comment(
                self._client, space_id, item_id, body, unconfirmed_since, known, self._clock()
            )
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
                    return NeedsRetry(f"{lost_text(lost)}.", unconfirmed_since=since)
                found = await find_comment(
                    self._client, space_id, item_id, body, since, known, self._clock()
                )
                if isinstance(found, Refused):
                    return found
                if isinstance(found, NeedsRetry):
                    return NeedsRetry(found.reason, unconfirmed_since=since)
                if found is not None:
                    return self._landed_comment(found)
                return NeedsRetry(
                    f"{lost_text(lost)}, and the comment is not among Kitemaker's recent "
                    "comments, so it was not saved.",
                    unconfirmed_since=since,
                )
            except NotFoundError as error:
                self._seam.forget_item(item_id)
                return failure(error, what="item")
            except KitemakerError as error:
                return failure(error, what="comment")
        kept = self._keep(self._seam.apply_comment, comment)
        self._commented(comment)
        return Saved(comment, note=kept)

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
            return NeedsRetry(f"{lost_text(lost)}; the label was not found.")
        except KitemakerError as error:
            return failure(error, what="space")
        kept = self._keep(self._seam.apply_label, space_id, label)
        return Saved(label, note=kept)

    # -- looking in the change feed ------------------------------------------------------

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
        kept = self._keep(self._seam.apply_item, item)
        self._created(item)
        return Saved(item, note=_notes("The item was created (checked after a lost answer).", kept))

    def _landed_comment(self, comment: Comment) -> Saved[Comment]:
        kept = self._keep(self._seam.apply_comment, comment)
        self._commented(comment)
        return Saved(
            comment, note=_notes("The comment was saved (checked after a lost answer).", kept)
        )

    def _keep(self, apply: Callable[..., object], *answer: Any) -> str | None:
        """Put Kitemaker's answer in the store. A store that cannot be written (a full
        disk) does not undo what Kitemaker took: the write is Saved, with this note (a
        failure here would offer to send again, and make a second item)."""
        try:
            apply(*answer)
        except (sqlite3.Error, OSError) as error:
            from kiteboard.failures import explain

            line = explain(error, where=self._store.path).line
            return f"Kitemaker has it; the local store could not keep it ({line})."
        return None

    @contextlib.asynccontextmanager
    async def sending(self) -> AsyncIterator[None]:
        """Around a recorded write on its way (a batch: all of it): undo waits for it
        (see ``settled``)."""
        self._sending += 1
        self._settled.clear()
        try:
            yield
        finally:
            self._sending -= 1
            if not self._sending:
                self._settled.set()

    async def settled(self) -> None:
        """Once every write on its way has landed (or not) and is in the history: `u`
        typed right after `L` undoes that move, not the one before it."""
        await self._settled.wait()

    def _lock(self, item_id: str) -> asyncio.Lock:
        return self._item_locks.setdefault(item_id, asyncio.Lock())


def _notes(*notes: str | None) -> str | None:
    return " ".join(note for note in notes if note) or None

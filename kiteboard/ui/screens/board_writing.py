"""BoardWritingActions: the board's writing keys, as a base class of the board screen.

    class BoardScreen(BoardWritingActions, Screen[None]): ...

c new item (in the focused column) · e edit · m move (status picker) · H / L move to
the neighbouring column · a comment. The forms are modal screens (forms/); moves run
here, in a worker: the card moves at once, and back with a message if Kitemaker
refuses.

What the screen provides (BoardScreen and ItemScreen both do): ``space`` (SpaceRow),
and either ``current_card_id()`` (the board's cursor) or ``item_id`` (a detail
screen). The app's session gives the store and the writer. The keys are the
registry's (ui/commands.py, group "Writing").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.screen import Screen

from kiteboard.ui.host import host_of
from kiteboard.ui.widgets.safe_text import safe_line

if TYPE_CHECKING:
    from kiteboard.store.db import Store
    from kiteboard.store.rows import CardRow, SpaceRow
    from kiteboard.store.writer import ItemWriter


class BoardWritingActions(Screen[None]):
    space: SpaceRow

    # -- what the actions need -------------------------------------------------------------

    def _writing(self) -> tuple[Store, ItemWriter] | None:
        """The store and the session's writer; None (and says why) offline."""
        session = host_of(self).session
        store, writer = session.store, session.writer()
        if store is None or writer is None:
            self.notify(
                "Not connected to Kitemaker yet; writing needs a connection.",
                title="Not connected",
                severity="warning",
                markup=False,
            )
            return None
        return store, writer

    def _target_item_id(self) -> str | None:
        """The item in focus: the detail pane's when it has the focus, else the board's
        cursor, else the detail screen's item."""
        node = self.focused
        while node is not None and node is not self:
            item_id = getattr(node, "item_id", None)
            if isinstance(item_id, str):
                return item_id
            node = node.parent  # type: ignore[assignment]
        current = getattr(self, "current_card_id", None)
        if callable(current) and (item_id := current()) is not None:
            return item_id
        item_id = getattr(self, "item_id", None)
        return item_id if isinstance(item_id, str) else None

    def _target_card(self, store: Store, verb: str) -> CardRow | None:
        item_id = self._target_item_id()
        card = store.card(item_id) if item_id else None
        if card is None:
            self.notify(f"No item to {verb} here.", severity="warning", markup=False)
            return None
        if not card.loaded:
            self.notify(
                "This item is still loading; try again in a moment.",
                severity="warning",
                markup=False,
            )
            return None
        return card

    def _focused_status_id(self) -> str | None:
        """The focused column's status (None for a pseudo column such as Loading)."""
        board = getattr(self, "board", None)
        model = getattr(self, "model", None)
        if board is None or model is None:
            return None
        index = board.focused_index()
        if index is None or index >= len(model.columns):
            return None
        column = model.columns[index]
        return None if column.is_pseudo else column.id

    def _refresh_space(self) -> None:
        """An item turned out to be gone: the writer dropped it; refresh the rest too."""
        host_of(self).refresh_space(self.space.id)

    def _reference(self, card: CardRow) -> str:
        key = self.space.key
        number = "?" if card.number is None else str(card.number)
        return f"{key}-{number}" if key else f"#{number}"

    # -- actions ---------------------------------------------------------------------------

    def action_new_item(self) -> None:
        writing = self._writing()
        if writing is None:
            return
        from kiteboard.ui.screens.forms import WorkItemForm

        store, writer = writing
        form = WorkItemForm(
            store, writer, space_id=self.space.id, status_id=self._focused_status_id()
        )
        self.app.push_screen(form, self._created)

    def _created(self, item_id: str | None) -> None:
        # The new card is where the person looks next: on the board, under the cursor.
        reveal = getattr(self, "reveal_card", None)
        if item_id and reveal is not None:
            reveal(item_id)

    def action_edit_item(self) -> None:
        writing = self._writing()
        if writing is None:
            return
        store, writer = writing
        card = self._target_card(store, "edit")
        if card is None:
            return
        from kiteboard.ui.screens.forms import WorkItemForm

        form = WorkItemForm(
            store, writer, space_id=card.space_id, item_id=card.id, on_gone=self._refresh_space
        )
        self.app.push_screen(form)

    def action_comment(self) -> None:
        writing = self._writing()
        if writing is None:
            return
        store, writer = writing
        card = self._target_card(store, "comment on")
        if card is None:
            return
        from kiteboard.ui.screens.forms import CommentForm

        form = CommentForm(store, writer, item_id=card.id, on_gone=self._refresh_space)
        self.app.push_screen(form)

    def action_move_item(self) -> None:
        writing = self._writing()
        if writing is None:
            return
        store, _writer = writing
        card = self._target_card(store, "move")
        if card is None:
            return
        from kiteboard.ui.screens.forms import StatusPicker

        statuses = [(status.id, status.name) for status in store.statuses(card.space_id)]
        picker = StatusPicker(statuses, card.status_id, title=self._reference(card))

        def picked(status_id: str | None) -> None:
            if status_id is not None:
                self._move(card.id, status_id)

        self.app.push_screen(picker, picked)

    def action_move_by(self, step: int) -> None:
        writing = self._writing()
        if writing is None:
            return
        store, _writer = writing
        card = self._target_card(store, "move")
        if card is None:
            return
        ids = [status.id for status in store.statuses(card.space_id)]
        if card.status_id not in ids:
            self.notify(
                "This card's column is unknown; use m to pick one.",
                severity="warning",
                markup=False,
            )
            return
        index = ids.index(card.status_id) + step
        if not 0 <= index < len(ids):
            self.app.bell()
            return
        self._move(card.id, ids[index])

    # -- the move itself -------------------------------------------------------------------

    # Not exclusive: cancelling a move in flight would leave the card unconfirmed. The
    # writer sends moves of one card one after the other.
    @work(group="board-move", exit_on_error=False)
    async def _move(self, item_id: str, status_id: str) -> None:
        writing = self._writing()
        if writing is None:
            return
        store, writer = writing
        card = store.card(item_id)
        reference = self._reference(card) if card is not None else "The item"
        result = await writer.move_item(item_id, status_id)
        # Here, not at the top: the board's first paint does not need it (~5 ms).
        from kiteboard.store.write_results import NeedsRetry, Refused, Saved

        if isinstance(result, Saved):
            if result.note:
                self.notify(result.note, title=reference, markup=False)
            return
        if isinstance(result, NeedsRetry):
            self.notify(
                result.reason, title=f"{reference} moved back", severity="warning", markup=False
            )
            return
        assert isinstance(result, Refused)
        title = f"{reference} moved back" if result.kind != "gone" else f"{reference} is gone"
        if result.kind == "gone":
            self._refresh_space()
        text = result.message
        if result.kind == "invalid":
            text = f"Kitemaker refused the move: {result.message}"
        self.notify(safe_line(text, max_chars=500), title=title, severity="error", markup=False)

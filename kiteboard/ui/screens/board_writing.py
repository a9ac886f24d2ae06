"""BoardWriting: the writing keys of the board and of an item's screen, as an object
the screen holds (`self.writing = BoardWriting(self)`) and runs its keys through:

    def action_writing(self, name: str, *arguments: int) -> None:
        self.writing.run(name, *arguments)

c new item (in the focused column) · e edit · m move (status picker) · H / L move to
the neighbouring column · a comment · u undo. With cards marked (`v`), `m`, `H` and
`L` act on all of them (board_bulk.py). The keys are the registry's
(ui/commands.py, group "Writing"). The forms are modal screens (forms/); moves run in a
worker of the screen: the card moves at once (and the cursor with it, before the next
key: `L L L` walks one card across), and back with a message if Kitemaker refuses.

What the screen gives it is `WritingHost`: its space, the item targeted, the focused
column, what to do with a new item; the app's session gives the store and the writer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from kiteboard.ui.host import host_of
from kiteboard.ui.screens.board_bulk import BulkWriting
from kiteboard.ui.widgets.safe_text import safe_line

if TYPE_CHECKING:
    from textual.app import App
    from textual.worker import Worker

    from kiteboard.store.db import Store
    from kiteboard.store.rows import CardRow, SpaceRow
    from kiteboard.store.writer import ItemWriter


class WritingHost(Protocol):
    """What the writing actions need from the screen they act on."""

    space: SpaceRow

    @property
    def app(self) -> App[Any]: ...

    def target_item_id(self) -> str | None:
        """The item the keys act on (the cursor's, the pane's, the screen's)."""

    def focused_status_id(self) -> str | None:
        """The column a new item goes to (None: the form's default)."""

    def item_created(self, item_id: str) -> None:
        """A new item was saved (the board puts its cursor there)."""

    def item_moved(self, item_id: str) -> None:
        """A key of ours moved the item (the store has it): the cursor follows it."""

    def marked_ids(self) -> list[str]:
        """The marked cards (`v`), which `m`, `H`, `L` act on; [] where none can be."""

    def marks_done(self, failed: list[str]) -> None:
        """A batch is done: only the cards whose write failed stay marked."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...

    def run_worker(self, work: Any, *, group: str = ..., exit_on_error: bool = ...) -> Worker[Any]:
        """(Textual's: the moves run in the screen's workers.)"""


class BoardWriting:
    def __init__(self, host: WritingHost) -> None:
        self._host = host
        self._bulk = BulkWriting(host)  # the same keys on the marked cards
        self._actions: dict[str, Callable[..., None]] = {
            "new_item": self.new_item,
            "edit_item": self.edit_item,
            "comment": self.comment,
            "move_item": self.move_item,
            "move_by": self.move_by,
            "undo": self.undo,
            "labels": self.labels,
            "size": self.size,
        }

    def run(self, name: str, *arguments: int | str) -> None:
        """Run the registry's `writing('name', …)` action."""
        self._actions[name](*arguments)

    # -- what the actions need -------------------------------------------------------------

    def _writing(self) -> tuple[Store, ItemWriter] | None:
        """The store and the session's writer; None (and says why) offline."""
        session = host_of(self._host).session
        store, writer = session.store, session.writer()
        if store is None or writer is None:
            self._host.notify(
                "Not connected to Kitemaker yet; writing needs a connection.",
                title="Not connected",
                severity="warning",
                markup=False,
            )
            return None
        return store, writer

    def _target_card(self, store: Store, verb: str) -> CardRow | None:
        item_id = self._host.target_item_id()
        card = store.read.card(item_id) if item_id else None
        if card is None:
            self._host.notify(f"No item to {verb} here.", severity="warning", markup=False)
            return None
        if not card.loaded:
            self._host.notify(
                "This item is still loading; try again in a moment.",
                severity="warning",
                markup=False,
            )
            return None
        return card

    def _refresh_space(self) -> None:
        """An item turned out to be gone: the writer dropped it; refresh the rest too."""
        host_of(self._host).refresh_space(self._host.space.id)

    def _reference(self, card: CardRow) -> str:
        key = self._host.space.key
        number = "?" if card.number is None else str(card.number)
        return f"{key}-{number}" if key else f"#{number}"

    # -- actions ---------------------------------------------------------------------------

    def new_item(self) -> None:
        writing = self._writing()
        if writing is None:
            return
        from kiteboard.ui.screens.forms import WorkItemForm

        store, writer = writing
        form = WorkItemForm(
            store, writer, space_id=self._host.space.id, status_id=self._host.focused_status_id()
        )
        self._host.app.push_screen(form, self._created)

    def _created(self, item_id: str | None) -> None:
        if item_id:
            self._host.item_created(item_id)

    def edit_item(self) -> None:
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
        self._host.app.push_screen(form)

    def comment(self) -> None:
        writing = self._writing()
        if writing is None:
            return
        store, writer = writing
        card = self._target_card(store, "comment on")
        if card is None:
            return
        from kiteboard.ui.screens.forms import CommentForm

        form = CommentForm(store, writer, item_id=card.id, on_gone=self._refresh_space)
        self._host.app.push_screen(form)

    def move_item(self) -> None:
        writing = self._writing()
        if writing is None:
            return
        store, writer = writing
        if marked := self._host.marked_ids():
            self._bulk.pick_column(store, writer, marked)
            return
        card = self._target_card(store, "move")
        if card is None:
            return
        from kiteboard.ui.screens.forms import StatusPicker

        statuses = [(status.id, status.name) for status in store.read.statuses(card.space_id)]
        picker = StatusPicker(statuses, card.status_id, title=self._reference(card))

        def picked(status_id: str | None) -> None:
            if status_id is not None:
                self._move(card.id, status_id)

        self._host.app.push_screen(picker, picked)

    def move_by(self, step: int) -> None:
        writing = self._writing()
        if writing is None:
            return
        store, writer = writing
        if marked := self._host.marked_ids():
            self._bulk.move_by(store, writer, marked, step)
            return
        card = self._target_card(store, "move")
        if card is None:
            return
        ids = [status.id for status in store.read.statuses(card.space_id)]
        if card.status_id not in ids:
            self._host.notify(
                "This card's column is unknown; use m to pick one.",
                severity="warning",
                markup=False,
            )
            return
        index = ids.index(card.status_id) + step
        if not 0 <= index < len(ids):
            self._host.app.bell()
            return
        self._move(card.id, ids[index])

    def _marked_or_target(self, store: Store) -> list[str] | None:
        if marked := self._host.marked_ids():
            return marked
        card = self._target_card(store, "change")
        return [card.id] if card is not None else None

    def labels(self) -> None:
        """`#`: the labels of the marked cards (else the cursor's)."""
        writing = self._writing()
        if writing is not None and (ids := self._marked_or_target(writing[0])):
            self._bulk.pick_labels(writing[0], writing[1], ids)

    def size(self, kind: str) -> None:
        """`E` / `I`: effort / impact of the marked cards (else the cursor's)."""
        writing = self._writing()
        if writing is not None and (ids := self._marked_or_target(writing[0])):
            self._bulk.pick_size(writing[0], writing[1], ids, kind)

    def undo(self) -> None:
        """`u`: undo the session's last write (undo_key.py)."""
        if self._writing() is None:
            return
        from kiteboard.ui.screens.undo_key import undo_last

        self._host.run_worker(undo_last(self._host), group="undo", exit_on_error=False)

    # -- the move itself -------------------------------------------------------------------

    def _move(self, item_id: str, status_id: str) -> None:
        """Move now (the store, then the board and its cursor), and say so; the
        request goes in a worker."""
        writing = self._writing()
        if writing is None:
            return
        store, writer = writing
        card = store.read.card(item_id)
        previous = writer.show_move(item_id, status_id) if card is not None else None
        if card is None or previous is None:
            return
        self._host.item_moved(item_id)
        from kiteboard.store.undo_names import move_text

        self._host.notify(f"{move_text(store, card, status_id)} · u undo", markup=False)
        # Not exclusive: cancelling a move in flight would leave the card unconfirmed.
        # The writer sends moves of one card one after the other.
        self._host.run_worker(
            self._send_move(card, status_id, previous), group="board-move", exit_on_error=False
        )

    async def _send_move(self, card: CardRow, status_id: str, previous: str) -> None:
        writing = self._writing()
        if writing is None:
            return
        _store, writer = writing
        reference = self._reference(card)
        result = await writer.finish_move(card, status_id, previous)
        # Here, not at the top: the board's first paint does not need it (~5 ms).
        from kiteboard.store.write_results import NeedsRetry, Refused, Saved

        if isinstance(result, Saved):
            if result.note:
                self._host.notify(result.note, title=reference, markup=False)
            return
        if isinstance(result, NeedsRetry):
            self._host.notify(
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
        self._host.notify(
            safe_line(text, max_chars=500), title=title, severity="error", markup=False
        )

"""What the board shows and how it is kept fresh: read from the store at once, then
patched by the sync engine's events (the cursor stays on its item, the scroll where it
was), and the cursor put on a card that is on its way (created, moved, found).

`BoardLoading` is held by the board screen (`LoadingHost`). A big space's first frame
is a preview (board_model.PREVIEW_FROM); the whole space is read right after it, in a
thread. A burst of events (a backfill sends many) is coalesced into one repaint.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Protocol

from kiteboard.ui.board_model import BoardModel, read_board_model
from kiteboard.ui.host import host_of
from kiteboard.ui.widgets.card import CARD_HEIGHT

if TYPE_CHECKING:
    from textual.app import App

    from kiteboard.store.rows import SpaceRow
    from kiteboard.ui.widgets.board import Board

# Up to this many changed items are patched one by one; more reload the whole space.
_PATCH_LIMIT = 200
# Events are gathered this long before the board repaints once for all of them.
_COALESCE_SECONDS = 0.1


class LoadingHost(Protocol):
    """What the loading needs from the board screen."""

    space: SpaceRow
    model: BoardModel | None
    ready: bool  # on screen: events are applied (before that only noted)

    @property
    def app(self) -> App[Any]: ...

    @property
    def board(self) -> Board: ...

    def set_timer(self, delay: float, callback: Any) -> Any: ...

    def call_after_refresh(self, callback: Any) -> bool: ...

    def update_info(self) -> None:
        """Say in the top bar what is shown, filtered and out of view."""

    def show_where(self) -> None:
        """Say in the top bar which space this is (its key may just have been learned)."""

    def pane_has_focus(self) -> bool:
        """The detail pane has the focus (a card revealed must not take it away)."""

    async def refresh_detail(self, item_ids: set[str]) -> None:
        """These items changed: the detail shown re-reads its own."""


class BoardLoading:
    def __init__(self, host: LoadingHost) -> None:
        self._host = host
        self.pending: set[str] | None = None  # ids changed since the last reload
        self._reload_all = False
        self._reveal_id: str | None = None  # a card to put the cursor on once it shows

    # -- reading -------------------------------------------------------------------
    def read_model(self, *, first_frame: bool = False) -> BoardModel | None:
        host = self._host
        store = host_of(host.app).session.store
        if store is None:
            return None
        host.space = store.read.space(host.space.id) or host.space
        # The first frame: a screenful of each column, and more.
        rows = host.app.size.height // CARD_HEIGHT + 2 if first_frame else None
        filter_text = host.model.filter_text if host.model is not None else ""
        return read_board_model(store, host.space, filter_text, first_rows=rows)

    async def reload(self, *, read: bool = True, model: BoardModel | None = None) -> None:
        """Read the whole space from the store (or take `model`) and show it."""
        host = self._host
        if model is None:
            model = self.read_model() if read else host.model
        if model is None:
            return
        host.model = model
        await host.board.show(model)
        if host.ready:
            host.show_where()  # the space's key may just have been learned
        host.update_info()
        self.reveal()

    async def load_whole(self) -> None:
        """Replace the first frame's preview with the whole space, read in a thread
        (~40 ms for 5,000 items) so that keys typed meanwhile are handled."""
        model = await asyncio.to_thread(self.read_model)
        shown = self._host.model
        if model is None or shown is None or not shown.partial:
            return  # a reload (a sync's changes) got there first
        model.set_filter(shown.filter_text)  # typed while it was read
        await self.reload(read=False, model=model)

    # -- what the sync says changed --------------------------------------------------
    def schedule(self, ids: set[str], *, reload_all: bool = False) -> None:
        first = self.pending is None
        self.pending = (self.pending or set()) | ids
        self._reload_all = self._reload_all or reload_all
        if first and self._host.ready:
            # Coalesce a burst of events (a backfill sends many) into one repaint.
            self._host.set_timer(_COALESCE_SECONDS, self.apply_pending)

    def schedule_if_noted(self) -> None:
        """On screen now: apply what was noted before (see BoardScreen.on_mount)."""
        if self.pending is not None:
            self._host.set_timer(_COALESCE_SECONDS, self.apply_pending)

    async def apply_pending(self) -> None:
        host = self._host
        pending, reload_all = self.pending, self._reload_all
        self.pending, self._reload_all = None, False
        store = host_of(host.app).session.store
        if pending is None or store is None or host.model is None:
            return
        if reload_all or len(pending) > _PATCH_LIMIT or host.model.partial:
            await self.reload()
        else:
            for item_id in pending:
                card = store.read.card(item_id)
                if card is not None and card.space_id != host.space.id:
                    card = None
                if card == host.model.card(item_id):
                    continue  # shown already (a move of ours: see follow_card)
                if host.model.replace_card(item_id, card) is None:
                    host.model = self.read_model()  # the columns change: read them all
                    break
            if host.model is not None:
                await host.board.show(host.model)
            host.update_info()
        self.reveal()
        await host.refresh_detail(pending)

    # -- the cursor on a card on its way -----------------------------------------------
    def reveal_card(self, item_id: str) -> None:
        """Put the cursor on `item_id` (e.g. the item just created) as soon as the board
        shows it: at once if it does already, else after the sync's event arrives."""
        self._reveal_id = item_id
        self.reveal()

    def reveal_later(self, item_id: str | None) -> None:
        """Put the cursor on `item_id` at the next reload (e.g. after the walk)."""
        self._reveal_id = item_id

    def reveal(self) -> None:
        host = self._host
        item_id = self._reveal_id
        if item_id is None or host.model is None:
            return
        for index, column in enumerate(host.board.columns):
            if column.cards.select_id(item_id):
                self._reveal_id = None
                # The pane keeps the focus (its keys act on the card it shows).
                host.board.focus_column(index, focus=not host.pane_has_focus())
                host.call_after_refresh(host.update_info)
                return

    def follow_card(self, item_id: str) -> None:
        """A key of ours moved `item_id` (the store has it already): show it in its new
        column and put the cursor on it there, scrolled into view, before the next key
        is handled (`L L L` walks one card across the board)."""
        host = self._host
        store = host_of(host.app).session.store
        model = host.model
        if model is None or store is None or model.partial:
            self.reveal_card(item_id)  # once the board shows it
            return
        changed = model.replace_card(item_id, store.read.card(item_id))
        if changed is None:
            self.reveal_card(item_id)  # the sync's event reloads the columns
            return
        columns = host.board.columns
        for index in changed:
            if index < len(columns):  # (one not mounted yet is shown when it is)
                columns[index].show(model.columns[index], model)
        self.reveal_card(item_id)

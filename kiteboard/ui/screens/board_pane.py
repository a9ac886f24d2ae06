"""The item's detail beside the board (wide terminals): opened by Enter, following the
cursor while it is open, closed by Esc.

`DetailPane` is held by the board screen (`PaneHost`); the pane widget is mounted when
first opened (the first frame does not need it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from kiteboard.ui.host import host_of

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import Widget

    from kiteboard.store.rows import SpaceRow
    from kiteboard.ui.widgets.board import Board
    from kiteboard.ui.widgets.item_detail import ItemDetailView


class PaneHost(Protocol):
    """What the pane needs from the board screen."""

    space: SpaceRow

    @property
    def app(self) -> App[Any]: ...

    @property
    def board(self) -> Board: ...

    def query(self, selector: Any) -> Any: ...

    def query_one(self, selector: str) -> Any: ...

    def set_focus(self, widget: Widget | None, scroll_visible: bool = True) -> None: ...

    def call_after_refresh(self, callback: Any) -> bool: ...

    def update_info(self) -> None:
        """Say in the top bar what is out of view (the board grows back)."""

    def focus_board(self) -> None:
        """Give the focus back to the column worked in."""


class DetailPane:
    def __init__(self, host: PaneHost) -> None:
        self._host = host
        self.is_open = False

    def widget(self) -> ItemDetailView | None:
        from kiteboard.ui.widgets.item_detail import ItemDetailView

        found = self._host.query(ItemDetailView)
        return found.first() if found else None

    def focused_item_id(self) -> str | None:
        """The pane's item when the pane has the focus (the writing keys act on it)."""
        pane = self.widget()
        if self.is_open and pane is not None and pane.has_focus_within:
            return pane.item_id
        return None

    async def open(self, card_id: str) -> None:
        from kiteboard.ui.widgets.item_detail import ItemDetailView

        pane = self.widget()
        if pane is None:
            pane = ItemDetailView(host_of(self._host.app).clock, id="detail-pane")
            await self._host.query_one("#board-area").mount(pane)
        pane.display = True
        self.is_open = True
        self._host.board.add_class("-with-pane")
        await self.show(card_id)
        self._host.set_focus(pane)

    async def show(self, card_id: str, *, keep_scroll: bool = False) -> None:
        pane = self.widget()
        store = host_of(self._host.app).session.store
        if pane is None or store is None:
            return
        space = self._host.space
        await pane.show_item(
            card_id,
            store.read.item(card_id),
            store.read.comments(card_id),
            space_key=space.key,
            comments_since=store.read.comments_followed_since(space.id),
            keep_scroll=keep_scroll,
        )

    async def close(self) -> None:
        pane = self.widget()
        if pane is not None:
            pane.display = False
        self.is_open = False
        board = self._host.board
        board.remove_class("-with-pane")
        self._host.focus_board()
        self._host.call_after_refresh(board._size_columns)
        # (Textual does not always send the board a Resize when it grows back.)
        self._host.call_after_refresh(self._host.update_info)

    async def refresh(self, item_ids: set[str]) -> None:
        """These items changed: re-read the pane's, if it is one of them."""
        pane = self.widget()
        if self.is_open and pane is not None and pane.item_id in item_ids:
            await self.show(pane.item_id, keep_scroll=True)

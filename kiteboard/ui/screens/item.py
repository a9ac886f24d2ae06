"""An item's detail as a full screen (narrow terminals); Esc returns to the board."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen

from kiteboard.ui import commands
from kiteboard.ui.copy_reference import copy_reference
from kiteboard.ui.host import KiteboardHost, host_of
from kiteboard.ui.messages import (
    StoreCommentsChanged,
    StoreItemsChanged,
    StoreSyncStatusChanged,
)
from kiteboard.ui.screens.board_writing import BoardWriting
from kiteboard.ui.widgets.item_detail import ItemDetailView
from kiteboard.ui.widgets.key_hints import KeyHints
from kiteboard.ui.widgets.top_bar import TopBar

if TYPE_CHECKING:
    from kiteboard.store.rows import SpaceRow


class ItemScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = commands.bindings_for("item")

    def __init__(self, item_id: str, space: SpaceRow) -> None:
        super().__init__()
        self.item_id = item_id
        self.space = space
        self.writing = BoardWriting(self)

    @property
    def kiteboard(self) -> KiteboardHost:
        return host_of(self)

    def compose(self) -> ComposeResult:
        self.top_bar = TopBar(self.kiteboard.clock)
        yield self.top_bar
        yield ItemDetailView(self.kiteboard.clock, id="detail-screen-view")
        yield KeyHints()

    async def on_mount(self) -> None:
        store = self.kiteboard.session.store
        organization = store.read.organization() if store else None
        self.top_bar.show_where(organization.name if organization else None, self.space)
        self.top_bar.show_status(self.kiteboard.session, self.space.id)
        await self._show(keep_scroll=False)
        self.query_one(ItemDetailView).focus()

    async def _show(self, *, keep_scroll: bool) -> None:
        store = self.kiteboard.session.store
        if store is None:
            return
        await self.query_one(ItemDetailView).show_item(
            self.item_id,
            store.read.item(self.item_id),
            store.read.comments(self.item_id),
            space_key=self.space.key,
            comments_since=store.read.comments_followed_since(self.space.id),
            keep_scroll=keep_scroll,
        )

    async def on_store_items_changed(self, message: StoreItemsChanged) -> None:
        event = message.event
        if self.item_id in event.changed or self.item_id in event.removed:
            await self._show_again()

    async def on_store_comments_changed(self, message: StoreCommentsChanged) -> None:
        if self.item_id in message.event.item_ids:
            await self._show_again()

    async def _show_again(self) -> None:
        """Our item changed (an edit, a move, a comment: someone else's or ours)."""
        if hasattr(self, "top_bar"):  # (not composed yet: on_mount shows it)
            await self._show(keep_scroll=True)

    def show_offline(self, since: float, why: str, *, rejected: bool = False) -> None:
        if hasattr(self, "top_bar"):
            self.top_bar.show_offline(
                self.kiteboard.session, self.space.id, since, why, rejected=rejected
            )

    def on_store_sync_status_changed(self, message: StoreSyncStatusChanged) -> None:
        if not hasattr(self, "top_bar"):
            return  # not composed yet; on_mount reads the status
        if message.event.space_id == self.space.id:
            self.top_bar.set_status(message.event.status)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_copy(self, with_title: int) -> None:
        copy_reference(self, with_title=bool(with_title))

    # -- writing (board_writing.py): the keys act on this screen's item -----------------
    def action_writing(self, name: str, *arguments: int | str) -> None:
        self.writing.run(name, *arguments)

    def target_item_id(self) -> str | None:
        return self.item_id

    def focused_status_id(self) -> str | None:
        return None  # (a new item written from here goes to the form's first column)

    def item_created(self, item_id: str) -> None:
        pass  # the board below shows it when it is back

    def marked_ids(self) -> list[str]:
        return []  # (marks are the board's; here the keys act on this item)

    def marks_done(self, failed: list[str]) -> None:
        pass

    def item_moved(self, item_id: str) -> None:
        # The board below follows the card: back there, the cursor is on it.
        from kiteboard.ui.screens.board import BoardScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, BoardScreen):
                screen.follow_card(item_id)

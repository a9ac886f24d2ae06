"""The board of one space: columns of cards, a filter, and the item detail.

Painted from the store at once; the sync engine's events then update the cards in place
(the cursor stays on its item, the scroll where it was). On a wide terminal the detail
pane opens beside the board; on a narrow one it is a screen of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input

from kiteboard.ui import commands
from kiteboard.ui.copy_reference import copy_reference
from kiteboard.ui.host import KiteboardHost, host_of
from kiteboard.ui.messages import (
    StoreBoardLayoutChanged,
    StoreCommentsChanged,
    StoreItemsChanged,
    StoreSpacesChanged,
    StoreSyncStatusChanged,
)
from kiteboard.ui.screens.board_filter import BoardFilter
from kiteboard.ui.screens.board_loading import BoardLoading
from kiteboard.ui.screens.board_marks import BoardMarks
from kiteboard.ui.screens.board_pane import DetailPane
from kiteboard.ui.screens.board_status import BoardStatus
from kiteboard.ui.screens.board_writing import BoardWriting
from kiteboard.ui.widgets.board import Board
from kiteboard.ui.widgets.card_list import CardList
from kiteboard.ui.widgets.key_hints import KeyHints
from kiteboard.ui.widgets.top_bar import TopBar

if TYPE_CHECKING:
    from kiteboard.store.rows import SpaceRow
    from kiteboard.ui.board_model import BoardModel

# From this width the detail opens beside the board rather than over it.
WIDE_WIDTH = 120


class BoardScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = commands.bindings_for("board")

    def __init__(self, space: SpaceRow) -> None:
        super().__init__()
        self.space = space
        self.model: BoardModel | None = None
        # Until on_mount is done, events are only noted (the data read in compose may
        # already be older than them): they are applied once the board is on screen.
        self.ready = False
        self.loader = BoardLoading(self)
        self.status_line = BoardStatus(self)
        self.filter = BoardFilter(self)
        self.pane = DetailPane(self)
        self.writing = BoardWriting(self)
        self.marks = BoardMarks(self)

    @property
    def kiteboard(self) -> KiteboardHost:
        return host_of(self)

    def compose(self) -> ComposeResult:
        self.top_bar = TopBar(self.kiteboard.clock)
        yield self.top_bar
        self.model = self.loader.read_model(first_frame=True)
        with Horizontal(id="board-area"):
            yield Board(self.model, id="board")
        # The filter field is mounted by the first `/` (see filter_input): the first
        # frame does not show it, and mounting and styling it costs ~5 ms.
        yield KeyHints()

    @property
    def board(self) -> Board:
        return self.query_one(Board)

    @property
    def filter_input(self) -> Input:
        """The filter field (mounted, hidden, when first asked for)."""
        return self.filter.field_mounted()

    async def on_mount(self) -> None:
        await self.reload(read=False)  # read in compose
        if self.model is not None and self.model.partial:
            # The first frame shows a preview; the whole space comes right after it.
            self.call_after_refresh(self.loader.load_whole)
        self.board.focus_column(0)
        self.show_where()
        self.ready = True
        self.call_after_refresh(self.update_info)  # "2→" needs the layout
        self.show_sync_status()
        self.loader.schedule_if_noted()

    # -- data (board_loading.py) ---------------------------------------------------
    async def reload(self, *, read: bool = True, model: BoardModel | None = None) -> None:
        """Read the whole space from the store (or take `model`) and show it."""
        await self.loader.reload(read=read, model=model)

    def reveal_card(self, item_id: str) -> None:
        """Put the cursor on `item_id` as soon as the board shows it."""
        self.loader.reveal_card(item_id)

    def follow_card(self, item_id: str) -> None:
        """A key of ours moved `item_id`: the cursor goes with it."""
        self.loader.follow_card(item_id)

    def on_store_spaces_changed(self, _message: StoreSpacesChanged) -> None:
        self.loader.schedule(set(), reload_all=True)

    def on_store_items_changed(self, message: StoreItemsChanged) -> None:
        event = message.event
        if event.space_id == self.space.id:
            self.loader.schedule(set(event.added) | set(event.changed) | set(event.removed))

    def on_store_comments_changed(self, message: StoreCommentsChanged) -> None:
        if message.event.space_id == self.space.id and self.ready:
            self.call_later(self.refresh_detail, set(message.event.item_ids))

    def on_store_board_layout_changed(self, message: StoreBoardLayoutChanged) -> None:
        if message.event.space_id == self.space.id:
            self.loader.schedule(set(), reload_all=True)

    # -- the top bar (board_status.py) ---------------------------------------------
    def on_store_sync_status_changed(self, message: StoreSyncStatusChanged) -> None:
        if message.event.space_id == self.space.id:
            self.status_line.sync_changed(message.event.status)

    def show_where(self) -> None:
        self.status_line.show_where()

    def show_offline(self, since: float, why: str, *, rejected: bool = False) -> None:
        self.status_line.show_offline(since, why, rejected=rejected)

    def show_sync_status(self) -> None:
        self.status_line.show_sync_status()

    def update_info(self) -> None:
        self.status_line.update_info()

    def marked_count(self) -> int:
        return len(self.marks)

    # -- the focused column ------------------------------------------------------
    def _current_list(self) -> CardList | None:
        index = self.board.focused_index()
        lists = list(self.board.card_lists())
        if index is not None:
            return lists[index]
        return lists[0] if lists else None

    def current_list(self) -> CardList | None:
        """The column worked in."""
        return self._current_list()

    def current_card_id(self) -> str | None:
        card_list = self._current_list()
        return card_list.cursor_id if card_list else None

    def pane_has_focus(self) -> bool:
        return self.pane.focused_item_id() is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "walk"):
            return self.current_card_id() is not None or None
        return True

    def action_set_space_key(self) -> None:
        self.status_line.key_asked = True
        self.kiteboard.ask_space_key(self.space.id, again=True)

    # -- writing (board_writing.py) ------------------------------------------------
    def action_writing(self, name: str, *arguments: int | str) -> None:
        self.writing.run(name, *arguments)

    def target_item_id(self) -> str | None:
        """The pane's item when the pane has the focus, else the cursor's."""
        return self.pane.focused_item_id() or self.current_card_id()

    def focused_status_id(self) -> str | None:
        """The focused column's status (None for a pseudo column such as Loading)."""
        index = self.board.focused_index()
        if self.model is None or index is None or index >= len(self.model.columns):
            return None
        column = self.model.columns[index]
        return None if column.is_pseudo else column.id

    def item_created(self, item_id: str) -> None:
        # The new card is where the person looks next: on the board, under the cursor.
        self.reveal_card(item_id)

    def item_moved(self, item_id: str) -> None:
        self.follow_card(item_id)

    def marked_ids(self) -> list[str]:
        return self.marks.ids

    def marks_done(self, failed: list[str]) -> None:
        self.marks.keep_only(failed)

    # -- marks (board_marks.py) --------------------------------------------------
    def action_mark(self) -> None:
        self.marks.toggle_and_advance()

    def action_mark_column(self) -> None:
        changed = self.marks.toggle_column()
        if changed:
            verb = "marked" if changed > 0 else "unmarked"
            self.notify(f"{abs(changed)} {verb} · {len(self.marks)} marked in all", markup=False)

    # -- actions -----------------------------------------------------------------
    def action_cursor(self, delta: int) -> None:
        if card_list := self._current_list():
            card_list.move(delta)

    def action_edge(self, direction: int) -> None:
        if card_list := self._current_list():
            card_list.move_to(0 if direction < 0 else len(card_list.cards) - 1)

    def action_page(self, direction: int) -> None:
        if card_list := self._current_list():
            card_list.page(direction)

    def action_half_page(self, direction: int) -> None:
        if card_list := self._current_list():
            card_list.half_page(direction)

    async def action_column(self, delta: int) -> None:
        # Columns out of view may still be on their way (see Board.compose): a key
        # typed during start-up must reach them, not stop at the last one shown.
        await self.board.mount_missing()
        index = self.board.focused_index()
        self.board.focus_column((0 if index is None else index) + delta)
        self.call_after_refresh(self.update_info)

    def action_walk(self) -> None:
        """The triage walk through the focused column's cards (those the filter shows)."""
        index = self.board.focused_index()
        if self.model is None or index is None or index >= len(self.model.columns):
            return
        from kiteboard.ui.screens.walk import WalkScreen
        from kiteboard.ui.walk_model import walk_order

        column = self.model.columns[index]
        walk = WalkScreen(self.space, column.name, walk_order(column.cards))
        self.app.push_screen(walk, self._walk_ended)

    async def _walk_ended(self, last_seen: str | None) -> None:
        # Read the store now (the walk's moves may not have reached the board's columns
        # yet): the cursor goes to the last card seen, in the column it is in now.
        self.loader.reveal_later(last_seen)
        await self.reload()

    def action_filter(self) -> None:
        self.filter.show()

    def action_copy(self, with_title: int) -> None:
        # The pane's item when the pane has the focus, else the cursor's (y / Y).
        copy_reference(self, with_title=bool(with_title))

    def action_refresh(self) -> None:
        self.kiteboard.refresh_space(self.space.id)

    async def action_back(self) -> None:
        # Marks first: they are what the next key would act on.
        if self.marks.clear():
            self.notify("Marks cleared.", markup=False)
        elif self.pane.is_open:
            await self.pane.close()
        elif self.filter.active:
            await self.filter.clear()

    async def action_open(self) -> None:
        card_id = self.current_card_id()
        if card_id is None:
            return
        if self.size.width >= WIDE_WIDTH:
            await self.pane.open(card_id)
        else:
            from kiteboard.ui.screens.item import ItemScreen

            await self.app.push_screen(ItemScreen(card_id, self.space))

    # -- filter (board_filter.py) ------------------------------------------------
    @on(Input.Changed, "#filter")
    async def _filter_changed(self, event: Input.Changed) -> None:
        await self.filter.changed(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.filter.submitted()

    def focus_board(self) -> None:
        card_list = self._current_list()
        if card_list is not None:
            self.set_focus(card_list, scroll_visible=False)

    # -- the detail pane (board_pane.py) ----------------------------------------
    @on(CardList.Opened)
    async def _card_opened(self, event: CardList.Opened) -> None:
        await self.action_open()

    @on(CardList.CursorMoved)
    async def _cursor_moved(self, event: CardList.CursorMoved) -> None:
        # Only news that is still true: keys typed quickly (j j Enter) are handled
        # before their moves' messages reach here, and Enter has already moved the
        # focus to the pane on the card the cursor ended on.
        card_list = event.card_list
        if (
            self.pane.is_open
            and event.card_id
            and event.card_id == card_list.cursor_id
            and self.focused is card_list
        ):
            await self.pane.show(event.card_id)

    async def refresh_detail(self, item_ids: set[str]) -> None:
        await self.pane.refresh(item_ids)  # (an item screen above re-reads its own)

    def on_resize(self) -> None:
        self.call_after_refresh(self.update_info)

    @on(Board.Resized)
    def _board_resized(self) -> None:
        self.call_after_refresh(self.update_info)  # (after the columns are sized)

    @on(Board.Rebuilt)
    def _board_rebuilt(self) -> None:
        self.loader.reveal()  # the card waited for may be in a column just mounted
        self.call_after_refresh(self.update_info)

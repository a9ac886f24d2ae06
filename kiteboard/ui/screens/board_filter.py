"""The board's filter: `/` shows a field under the board, what is typed there narrows
every column to the cards whose title, number or label matches; Enter keeps the filter
(the top bar says so), Esc clears it.

`BoardFilter` is held by the board screen (`FilterHost`): it mounts the field when
first asked for, so that the first frame neither shows it nor pays for it (~5 ms).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from textual.widgets import Input

if TYPE_CHECKING:
    from textual.widget import Widget

    from kiteboard.ui.board_model import BoardModel
    from kiteboard.ui.widgets.board import Board


class FilterField(Input):
    """The board's filter field; its CSS is parsed when the first `/` mounts it."""

    DEFAULT_CSS = """
    FilterField {
        dock: bottom;
        height: 3;
        margin: 0 0 1 0;
    }
    """


class FilterHost(Protocol):
    """What the filter needs from the board screen."""

    model: BoardModel | None

    @property
    def board(self) -> Board: ...

    def mount(self, *widgets: Widget, before: Any = None) -> Any: ...

    def query_one(self, selector: Any) -> Any: ...

    def query(self, selector: str) -> Any: ...

    def set_focus(self, widget: Widget | None, scroll_visible: bool = True) -> None: ...

    def call_after_refresh(self, callback: Any) -> bool: ...

    def update_info(self) -> None:
        """Say in the top bar what is filtered and what is out of view."""

    def focus_board(self) -> None:
        """Give the focus back to the column worked in."""


class BoardFilter:
    def __init__(self, host: FilterHost) -> None:
        self._host = host

    @property
    def field(self) -> Input | None:
        """The field, if `/` has mounted it."""
        found = self._host.query("#filter").results(Input)
        return next(found, None)

    def field_mounted(self) -> Input:
        """The field, mounted (hidden) when first asked for. Mounting registers it at
        once, so it can take the focus and the keys typed right after `/`."""
        found = self.field
        if found is not None:
            return found
        from kiteboard.ui.widgets.key_hints import KeyHints

        field = FilterField(placeholder="Filter by title, number or label", id="filter")
        field.display = False
        field.can_focus = False  # hidden: Textual must not give it the focus
        self._host.mount(field, before=self._host.query_one(KeyHints))
        return field

    @property
    def active(self) -> bool:
        """Something is filtered, or the field is being typed in."""
        field, model = self.field, self._host.model
        return (field is not None and field.has_focus) or bool(model and model.filter_text)

    def show(self) -> None:
        field = self.field_mounted()
        field.display = True
        field.can_focus = True
        # Focus now, not after the queued keys: `/data` typed fast must all land here.
        self._host.set_focus(field)

    async def changed(self, text: str) -> None:
        model, board = self._host.model, self._host.board
        if model is None:
            return
        model.set_filter(text)
        await board.show(model)
        await board.mount_missing()
        if (exact := model.exact_match()) is not None:
            # `KB-12`: the cursor on that card (first in its column), in view.
            index, card_id = exact
            board.focus_column(index, focus=False)
            board.columns[index].cards.select_id(card_id)
        else:
            self._follow_matches(model, board)
        self._host.call_after_refresh(self._host.update_info)  # after the scroll, if any

    def _follow_matches(self, model: BoardModel, board: Board) -> None:
        """When the column worked in has no match left but another has, go there:
        matches only in columns out of view must not look like "No matches"."""
        index = board.focused_index()
        columns = model.columns
        if index is not None and index < len(columns) and columns[index].cards:
            return
        first = next((i for i, column in enumerate(columns) if column.cards), None)
        if first is not None and first != index:
            board.focus_column(first, focus=False)

    def submitted(self) -> None:
        # The filter stays on (the top bar says so); `/` brings the field back.
        field = self.field_mounted()
        field.display = False
        field.can_focus = False
        self._host.focus_board()

    async def clear(self) -> None:
        if (field := self.field) is not None:
            field.value = ""
            field.display = False
            field.can_focus = False
        if (model := self._host.model) is not None:
            model.set_filter("")
            await self._host.board.show(model)
        self._host.update_info()
        self._host.focus_board()

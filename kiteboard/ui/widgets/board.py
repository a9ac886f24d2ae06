"""The board: one column per status, side by side, scrolled sideways by whole columns.

As many columns as fit are shown, each at least MIN_COLUMN_WIDTH cells wide; the rest
are reached by moving the focus, which scrolls the focused column into view (without
animation). A column is a header (name and count) over a `CardList`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from textual import events
from textual.app import ComposeResult
from textual.containers import HorizontalScroll, Vertical
from textual.message import Message

from kiteboard.ui.widgets.card import CardStyles
from kiteboard.ui.widgets.card_list import CardList, CardStyleSource

if TYPE_CHECKING:
    from kiteboard.ui.board_model import BoardModel, Column

MIN_COLUMN_WIDTH = 26
MAX_COLUMN_WIDTH = 48


def visible_columns(width: int, count: int) -> int:
    """How many of `count` columns fit side by side in `width` cells."""
    return max(1, min(count, width // MIN_COLUMN_WIDTH))


def column_layout(width: int, count: int) -> tuple[int, int]:
    """(column width, spare cells) for `count` columns in `width` cells: whole columns
    only; what is left over becomes padding, not a sliver of the next column."""
    visible = visible_columns(width, count)
    column_width = min(MAX_COLUMN_WIDTH, width // visible)
    spare = width - visible * column_width if count > visible else 0
    return column_width, spare


class StatusColumn(Vertical):
    """A status column: its card list, which draws the header (name and count) as its
    first line; a header widget of its own cost ~2 ms on the first frame per column."""

    def __init__(
        self, column_id: str, styles: CardStyleSource, marked: frozenset[str] = frozenset()
    ) -> None:
        super().__init__(classes="status-column")
        self.column_id = column_id
        self.cards = CardList(column_id, styles)
        self.cards.marked = marked

    def compose(self) -> ComposeResult:
        yield self.cards

    def show(self, column: Column, model: BoardModel) -> None:
        filtered = bool(model.filter_text)
        count = f"{len(column.cards)}/{column.total}" if filtered else str(column.total)
        self.cards.set_header(column.name, count, pseudo=column.is_pseudo)
        empty = "No matches" if filtered and column.total else "No items"
        self.cards.set_cards(column.cards, model.labels, model.space_key, empty_text=empty)


class Board(HorizontalScroll, can_focus=False, inherit_bindings=False):
    """The columns of one space's board.

    The board holds the card styles (as component classes) for all its columns: they
    are resolved once, not once per column."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "column-header",
        "column-header--active",
        "column-header--pseudo",
        "column-header--count",
        "card",
        "card--cursor",
        "card--cursor-blurred",
        "card--gutter",
        "card--reference",
        "card--markers",
        "card--loading",
        "card--chip",
        "card--more",
        "card--marked",
        "card--empty",
    }

    class Rebuilt(Message):
        """The set of columns changed (statuses were added, removed or reordered)."""

    class Resized(Message):
        """The board's width changed (the terminal, or the detail pane beside it): how
        many columns are out of view may have too."""

    def __init__(self, model: BoardModel | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.model: BoardModel | None = None
        self._showing = asyncio.Lock()
        self._card_styles: dict[bool, CardStyles] = {}
        self._empty_style: Style | None = None
        self._header_styles: dict[tuple[bool, bool], tuple[Style, Style]] = {}
        self._marked: frozenset[str] = frozenset()
        # Columns known at construction are composed with the board: the first frame
        # then needs one layout pass, not a mount after the mount.
        self._column_ids: list[str] = [column.id for column in model.columns] if model else []

    def compose(self) -> ComposeResult:
        # Sized for the terminal from the start, so that the first frame is final. Only
        # the columns that frame shows are composed: each costs some 10 ms to mount and
        # style, and the ones out of view are mounted just after it (see `show`).
        width = self.app.size.width
        column_width, spare = column_layout(width, len(self._column_ids))
        self.styles.padding = (0, spare, 0, 0)
        for column_id in self._column_ids[: visible_columns(width, len(self._column_ids))]:
            column = StatusColumn(column_id, self)
            column.styles.width = column_width
            yield column

    # -- the cards' styles (CardStyleSource) ---------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._card_styles.clear()
        self._empty_style = None
        self._header_styles.clear()

    def card_styles(self, focused: bool) -> CardStyles:
        styles = self._card_styles.get(focused)
        if styles is None:

            def full(name: str) -> Style:
                return self.get_visual_style(name).rich_style

            def partial(name: str) -> Style:
                # Only the text's color and style, laid over the card's or the
                # cursor's background (alpha colors come out blended on the column).
                style = full(name)
                return Style(color=style.color, bold=style.bold, italic=style.italic, dim=style.dim)

            cursor = full("card--cursor" if focused else "card--cursor-blurred")
            other = self._card_styles.get(not focused)
            if other is not None:  # all but the cursor's style are the same
                styles = other._replace(cursor=cursor)
            else:
                styles = CardStyles(
                    base=full("card"),
                    cursor=cursor,
                    gutter=partial("card--gutter"),
                    reference=partial("card--reference"),
                    markers=partial("card--markers"),
                    loading=partial("card--loading"),
                    chip=full("card--chip"),
                    more=partial("card--more"),
                    marked=partial("card--marked"),
                )
            self._card_styles[focused] = styles
        return styles

    def header_style(self, active: bool, pseudo: bool) -> tuple[Style, Style]:
        """(name, count) styles of a column's header line."""
        styles = self._header_styles.get((active, pseudo))
        if styles is None:
            name = self.get_visual_style(
                "column-header--active" if active else "column-header"
            ).rich_style
            if pseudo:
                muted = self.get_visual_style("column-header--pseudo").rich_style
                name += Style(color=muted.color, italic=muted.italic)
            if active and self.app.no_color:
                # Grey everywhere: the column worked in is shown in reverse video.
                name += Style(reverse=True, bold=True)
            count = self.get_visual_style("column-header--count").rich_style
            count = name + Style(color=count.color, bold=False, italic=False)
            styles = self._header_styles[(active, pseudo)] = (name, count)
        return styles

    def empty_style(self) -> Style:
        if self._empty_style is None:
            self._empty_style = self.get_visual_style("card--empty").rich_style
        return self._empty_style

    def set_marked(self, ids: frozenset[str]) -> None:
        """Show these cards as marked (`v`), in every column."""
        self._marked = ids
        for card_list in self.card_lists():
            card_list.set_marked(ids)

    # -- columns -----------------------------------------------------------------
    @property
    def columns(self) -> list[StatusColumn]:
        return list(self.query_children(StatusColumn))

    def card_lists(self) -> Iterator[CardList]:
        for column in self.columns:
            yield column.cards

    async def show(self, model: BoardModel) -> None:
        """Show `model`; cards change in place, the cursor and scroll stay put."""
        async with self._showing:  # a rebuild awaits: keep two updates from interleaving
            self.model = model
            ids = [column.id for column in model.columns]
            mounted = [column.column_id for column in self.columns]
            if mounted and len(mounted) < len(ids) and ids[: len(mounted)] == mounted:
                # Columns out of view are still to come (composed lazily, or statuses
                # added at the end): they are mounted after the next frame.
                self._column_ids = ids
                self.call_after_refresh(self._mount_missing)
            elif ids != mounted:
                await self._rebuild(ids)
            # (strict=False: while the app shuts down the new columns are not mounted.)
            for widget, column in zip(self.columns, model.columns, strict=False):
                widget.show(column, model)

    async def mount_missing(self) -> None:
        """Mount the columns not mounted yet (at once: a key moves to one of them)."""
        if len(self.columns) < len(self._column_ids):
            await self._mount_missing()

    async def _mount_missing(self) -> None:
        """Mount the columns after the ones on screen, where no frame waits for them."""
        async with self._showing:
            model, mounted = self.model, self.columns
            ids = [column.id for column in model.columns] if model else []
            if not model or len(mounted) >= len(ids) or not self.is_attached:
                return
            if [column.column_id for column in mounted] != ids[: len(mounted)]:
                return  # a rebuild is on its way
            column_width, _ = column_layout(self.region.width or self.app.size.width, len(ids))
            new = [StatusColumn(column_id, self, self._marked) for column_id in ids[len(mounted) :]]
            for column in new:
                column.styles.width = column_width
            await self.mount_all(new)
            for widget, column in zip(new, model.columns[len(mounted) :], strict=False):
                widget.show(column, model)
            self._size_columns()
        self.post_message(self.Rebuilt())

    async def _rebuild(self, ids: list[str]) -> None:
        """The columns changed (a status added or removed, the loading column done)."""
        old = self.columns
        active = self.focused_index()
        active_id = old[active].column_id if active is not None else None
        had_focus = active is not None and self.screen.focused is old[active].cards
        await self.remove_children()
        await self.mount_all(StatusColumn(column_id, self, self._marked) for column_id in ids)
        self._column_ids = ids
        self._size_columns()
        columns = self.columns  # empty while the app shuts down
        if ids and len(columns) == len(ids):
            # The same column stays the one worked in (and keeps the focus if it had it,
            # or takes it when nothing has it: the focused widget was just removed).
            index = ids.index(active_id) if active_id in ids else min(active or 0, len(ids) - 1)
            for position, column in enumerate(columns):
                column.cards.set_active(position == index)
            if had_focus or self.screen.focused is None:
                self.screen.set_focus(columns[index].cards, scroll_visible=False)
        self.post_message(self.Rebuilt())

    def focused_index(self) -> int | None:
        """The column the person works in. Set at once by `focus_column` (Textual moves
        the focus a little later: keys typed quickly must not land in the old column)."""
        columns = self.columns
        for index, column in enumerate(columns):
            if column.cards.active:
                return index
        focused = self.screen.focused if self.is_attached else None
        for index, column in enumerate(columns):
            if column.cards is focused:
                return index
        return None

    def focus_column(self, index: int, *, focus: bool = True) -> None:
        """Make column `index` the one worked in and scroll it into view; `focus`
        False leaves the focus where it is (e.g. in the filter field)."""
        columns = self.columns
        if not columns:
            return
        index = max(0, min(index, len(columns) - 1))
        for position, column in enumerate(columns):
            column.cards.set_active(position == index)
        if focus:
            # At once (not `focus()`, which waits its turn): the next key goes here.
            self.screen.set_focus(columns[index].cards, scroll_visible=False)
        if columns[index].region:
            self.scroll_to_widget(columns[index], animate=False, immediate=True)
        # And once more after the next layout: a column mounted a moment ago may have no
        # place yet, or an old one (then the scroll above missed it).
        self.call_after_refresh(self._scroll_to_focused)

    def _scroll_to_focused(self, tries: int = 5) -> None:
        index = self.focused_index()
        columns = self.columns
        if index is None or index >= len(columns):
            return
        if not columns[index].region and tries:  # not laid out yet: after the next frame
            self.call_after_refresh(self._scroll_to_focused, tries - 1)
            return
        self.scroll_to_widget(columns[index], animate=False, immediate=True)

    # -- sizing ------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self._size_columns()
        self.post_message(self.Resized())

    def _size_columns(self, width: int | None = None) -> None:
        """Give every column the same width, as many whole columns as fit."""
        columns = self.columns
        if width is None:
            width = self.region.width  # padding included: it is recomputed here
        if not columns or not width:
            return
        column_width, spare = column_layout(width, max(len(columns), len(self._column_ids)))
        for column in columns:
            # Only real changes: a width set again would cost a layout pass.
            if column.styles.width is None or column.styles.width.value != column_width:
                column.styles.width = column_width
        if self.styles.padding.right != spare:
            self.styles.padding = (0, spare, 0, 0)
        self.call_after_refresh(self._scroll_to_focused)

    def hidden_columns(self) -> tuple[int, int]:
        """How many columns are out of view on the left and on the right."""
        columns = self.columns
        if not columns or not self.size.width:
            return 0, 0
        width = columns[0].styles.width
        column_width = int(width.value) if width is not None else MIN_COLUMN_WIDTH
        first = round(self.scroll_x) // max(1, column_width)
        shown = max(1, self.region.width // max(1, column_width))
        total = max(len(columns), len(self._column_ids))  # some may not be mounted yet
        return first, max(0, total - first - shown)

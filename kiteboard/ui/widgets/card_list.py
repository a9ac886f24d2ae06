"""A status column's cards, drawn with Textual's Line API.

Only the lines on screen are ever rendered (`render_line`), so the cost of painting a
column and moving its cursor does not grow with the number of cards: a 5,000-card
column costs what a 5-card one does. Each card is CARD_HEIGHT lines, so a line number
finds its card by division. The cursor follows the card's id, not its index, so a
background refresh that adds, removes or changes cards never moves it to another card.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from kiteboard.ui.widgets.card import CARD_HEIGHT, CARD_LINES, render_card, truncate

if TYPE_CHECKING:
    from kiteboard.store.rows import CardRow, LabelRow
    from kiteboard.ui.widgets.card import CardStyles

_CACHE_SIZE = 256
HEADER_LINES = 1  # the column's name and count, above its cards


class CardStyleSource(Protocol):
    """Where a column gets the styles of its cards: the board, which resolves them once
    for all its columns (they share them; each column resolving its own component
    styles cost some 3 ms per column before the first frame)."""

    def card_styles(self, focused: bool) -> CardStyles: ...

    def empty_style(self) -> Style: ...

    def header_style(self, active: bool, pseudo: bool) -> tuple[Style, Style]: ...


class CardList(ScrollView, can_focus=True, inherit_bindings=False):
    """The cards of one column. Key handling lives on the board screen (so that every
    binding has one id and shows in the help); this widget offers the moves."""

    class CursorMoved(Message):
        """The cursor is on another card (or none)."""

        def __init__(self, card_list: CardList, card_id: str | None) -> None:
            super().__init__()
            self.card_list = card_list
            self.card_id = card_id

        @property
        def control(self) -> CardList:
            return self.card_list

    class Opened(Message):
        """The person asked to read the card (Enter or a double click)."""

        def __init__(self, card_list: CardList, card_id: str) -> None:
            super().__init__()
            self.card_list = card_list
            self.card_id = card_id

        @property
        def control(self) -> CardList:
            return self.card_list

    def __init__(self, column_id: str, styles: CardStyleSource, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.column_id = column_id
        self._style_source = styles
        self.cards: list[CardRow] = []
        self.labels: Mapping[str, LabelRow] = {}
        self.space_key: str | None = None
        self.empty_text = "No items"
        self.cursor = 0
        # The column the person is working in shows its cursor, focused or not (e.g.
        # while the detail pane beside it has the focus); the others remember theirs.
        self.active = False
        self._cursor_id: str | None = None
        self._strips: OrderedDict[tuple[object, ...], list[Strip]] = OrderedDict()
        self._base_style: Style | None = None  # self.rich_style, kept while drawing
        # The header, the column's first line: it stays put while the cards scroll.
        self.header_name = ""
        self.header_count = ""
        self.pseudo = False  # a column of our own (loading, no status): shown muted
        self.marked: frozenset[str] = frozenset()  # ids of the marked cards (`v`)

    # -- data ------------------------------------------------------------------
    @property
    def cursor_id(self) -> str | None:
        return self._cursor_id

    @property
    def cursor_card(self) -> CardRow | None:
        return self.cards[self.cursor] if 0 <= self.cursor < len(self.cards) else None

    def set_cards(
        self,
        cards: Sequence[CardRow],
        labels: Mapping[str, LabelRow],
        space_key: str | None,
        *,
        empty_text: str = "No items",
    ) -> None:
        """Show new cards, keeping the cursor on the same item and that item on the
        same screen row (so a refresh moves nothing the person is looking at)."""
        old_row = self.cursor * CARD_HEIGHT - round(self.scroll_y)
        self.cards = list(cards)
        if labels is not self.labels or space_key != self.space_key:
            self._strips.clear()
        self.labels = labels
        self.space_key = space_key
        self.empty_text = empty_text
        index = next((i for i, card in enumerate(self.cards) if card.id == self._cursor_id), None)
        moved_off = index is None
        self.cursor = min(self.cursor if index is None else index, max(0, len(self.cards) - 1))
        self.virtual_size = Size(self.size.width, len(self.cards) * CARD_HEIGHT + HEADER_LINES)
        target = None if moved_off else self.cursor * CARD_HEIGHT - old_row
        self._scroll_into_place(target)
        # A column that grew (a filter cleared) can only scroll as far as its new size
        # once that is laid out: until then the scroll stops short, and the cursor's
        # card would stay below the fold.
        self.call_after_refresh(self._scroll_into_place, target)
        self._set_cursor(self.cursor, announce=moved_off)
        self.refresh()

    def _scroll_into_place(self, target: float | None) -> None:
        if target is not None:
            self._scroll_to_y(target)
        self._keep_cursor_visible()

    def _set_cursor(self, index: int, *, announce: bool = True) -> None:
        self.cursor = max(0, min(index, len(self.cards) - 1)) if self.cards else 0
        card = self.cursor_card
        new_id = card.id if card else None
        changed = new_id != self._cursor_id
        self._cursor_id = new_id
        if changed or announce:
            self.post_message(self.CursorMoved(self, new_id))

    def set_marked(self, ids: frozenset[str]) -> None:
        if ids != self.marked:
            self.marked = ids
            self.refresh()

    def select_id(self, card_id: str) -> bool:
        for index, card in enumerate(self.cards):
            if card.id == card_id:
                self.move_to(index)
                return True
        return False

    # -- moves (called by the board screen's actions) --------------------------
    def move_to(self, index: int) -> None:
        old = self.cursor
        self._set_cursor(index, announce=False)
        if self.cursor != old:
            self._refresh_card(old)
            self._refresh_card(self.cursor)
        self._keep_cursor_visible()

    def move(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    @property
    def page_cards(self) -> int:
        return max(1, self._cards_height // CARD_HEIGHT)

    @property
    def _cards_height(self) -> int:
        """The lines the cards have: the column's, less its header."""
        return max(0, self.scrollable_content_region.height - HEADER_LINES)

    def page(self, direction: int) -> None:
        self.move(direction * self.page_cards)

    def half_page(self, direction: int) -> None:
        self.move(direction * max(1, self.page_cards // 2))

    def _scroll_to_y(self, y: float) -> None:
        # No animation: navigation must cost one frame, not a 35 ms tween.
        self.scroll_to(y=y, animate=False, immediate=True)

    def _keep_cursor_visible(self) -> None:
        if not self.cards:
            return
        height = self._cards_height
        top = self.cursor * CARD_HEIGHT
        bottom = top + CARD_LINES
        scroll_y = round(self.scroll_y)
        if top < scroll_y:
            self._scroll_to_y(top)
        elif height and bottom > scroll_y + height:
            self._scroll_to_y(bottom - height)

    def _refresh_card(self, index: int) -> None:
        self.refresh_lines(index * CARD_HEIGHT + HEADER_LINES, CARD_LINES)

    def set_header(self, name: str, count: str, *, pseudo: bool = False) -> None:
        if (name, count, pseudo) != (self.header_name, self.header_count, self.pseudo):
            self.header_name, self.header_count, self.pseudo = name, count, pseudo
            self._refresh_header()

    def _refresh_header(self) -> None:
        self.refresh(Region(0, 0, self.size.width, HEADER_LINES))

    # -- events ------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.cards) * CARD_HEIGHT + HEADER_LINES)
        self._strips.clear()
        self._keep_cursor_visible()

    def set_active(self, active: bool) -> None:
        if active != self.active:
            self.active = active
            self._refresh_card(self.cursor)
            self._refresh_header()
        if self.parent is not None:
            self.parent.set_class(active, "-active")

    def on_focus(self) -> None:
        if self.screen.focused is not self:
            # The focus moved on before this event came (keys typed quickly move it
            # from column to column): the column it is in now is the active one.
            return
        if self.parent is not None and self.parent.parent is not None:
            for card_list in self.parent.parent.query(CardList):
                card_list.set_active(card_list is self)
        self._refresh_card(self.cursor)
        self.post_message(self.CursorMoved(self, self._cursor_id))

    def on_blur(self) -> None:
        self._refresh_card(self.cursor)

    def on_click(self, event: events.Click) -> None:
        if event.y < HEADER_LINES:
            self.focus()
            return
        index = (event.y - HEADER_LINES + round(self.scroll_y)) // CARD_HEIGHT
        if 0 <= index < len(self.cards):
            self.focus()
            self.move_to(index)
            if event.chain >= 2:
                self.post_message(self.Opened(self, self.cards[index].id))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._base_style = None
        self._strips.clear()

    # -- drawing -----------------------------------------------------------------
    def _card_strips(self, index: int, width: int) -> list[Strip]:
        card = self.cards[index]
        selected = index == self.cursor and self.active
        focused = selected and self.has_focus
        marked = card.id in self.marked
        key = (card, width, selected, focused, marked)
        strips = self._strips.get(key)
        if strips is None:
            strips = render_card(
                card,
                self.labels,
                self.space_key,
                width,
                self._style_source.card_styles(focused),
                selected=selected,
                marked=marked,
            )
            self._strips[key] = strips
            if len(self._strips) > _CACHE_SIZE:
                self._strips.popitem(last=False)
        else:
            self._strips.move_to_end(key)
        return strips

    def _header_strip(self, width: int) -> Strip:
        """`In Progress        12`: the name (cut to fit) on the left, the count right."""
        name_style, count_style = self._style_source.header_style(self.active, self.pseudo)
        count = self.header_count
        inner = max(1, width - 2)
        name = truncate(self.header_name, max(1, inner - len(count) - 1))
        gap = max(1, inner - cell_len(name) - len(count))
        # Plain strings in segments: a status name is never read as markup.
        return Strip(
            [
                Segment(" " + name, name_style),
                Segment(" " * gap, name_style),
                Segment(count + " ", count_style),
            ]
        ).crop_extend(0, width, name_style)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._base_style
        if base is None:  # (rich_style walks up the DOM: not once per line)
            base = self._base_style = self.rich_style
        if y < HEADER_LINES:
            return self._header_strip(self.size.width)
        line = y - HEADER_LINES + round(self.scroll_y)
        if not self.cards:
            if line == 1:
                text = self.empty_text[: max(0, width - 2)]
                style = self._style_source.empty_style()
                return Strip([Segment(" " + text, style)]).extend_cell_length(width, base)
            return Strip.blank(width, base)
        index, row = divmod(line, CARD_HEIGHT)
        if index >= len(self.cards) or row >= CARD_LINES:
            return Strip.blank(width, base)
        return self._card_strips(index, width)[row]

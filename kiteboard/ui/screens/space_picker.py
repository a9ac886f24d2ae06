"""Choose a space: every space of the organization, type to filter (fuzzy), Enter opens.

Dismisses with the chosen space's id, or None (Esc) when there is a board to go back to.
With no board to go back to (the first start), Esc clears what was typed, then quits.
Every letter goes to the filter (a space's name may start with `q`): Esc and Ctrl+q
quit, and the footer says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.fuzzy import FuzzySearch
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from kiteboard.ui import commands
from kiteboard.ui.messages import StoreSpacesChanged
from kiteboard.ui.no_color import OPTION_LIST_NO_COLOR
from kiteboard.ui.widgets.key_hints import KeyHints
from kiteboard.ui.widgets.safe_text import safe_line

if TYPE_CHECKING:
    from kiteboard.store.rows import SpaceRow


def rank_spaces(spaces: Sequence[SpaceRow], query: str) -> list[tuple[SpaceRow, Content]]:
    """Spaces matching `query` (fuzzy, over name and key), best first, with the matched
    letters highlighted. Names are plain text here: `Matcher.highlight` would parse them
    as markup, so the highlighting is done on a `Content` built from the plain string."""
    search = FuzzySearch()
    ranked: list[tuple[float, int, SpaceRow, Content]] = []
    for position, space in enumerate(spaces):
        name = safe_line(space.name, max_chars=80) or "(unnamed)"
        key = safe_line(space.key, max_chars=16) if space.key else ""
        label = Content(name)
        if key:
            label = Content.assemble(label, ("  " + key, "dim"))
        if not query:
            ranked.append((1.0, position, space, label))
            continue
        score, offsets = search.match(query, f"{name}  {key}" if key else name)
        if score <= 0:
            continue
        for offset in offsets:
            label = label.stylize("bold underline", offset, offset + 1)
        ranked.append((score, position, space, label))
    ranked.sort(key=lambda entry: (-entry[0], entry[1]))
    return [(space, label) for _, _, space, label in ranked]


class SpacePickerScreen(Screen[str | None]):
    # Unscoped, and parsed only when this is first shown (not on the board's first
    # frame, which is what start-up waits for).
    SCOPED_CSS = False
    DEFAULT_CSS = (
        """
        SpacePickerScreen {
            align: center middle;
        }
        #picker {
            width: 64;
            max-width: 100%;
            height: 90%;
            border: round $primary;
            padding: 0 1;
        }
        #picker-title {
            text-style: bold;
            padding: 0 0 1 0;
        }
        #picker-list {
            height: 1fr;
            border: none;
        }
        #picker-missing {
            color: $text-warning;
            text-style: bold;
        }
        #picker-empty {
            color: $text-muted;
            text-style: italic;
            padding: 1 0;
        }
    """
        + OPTION_LIST_NO_COLOR
    )

    BINDINGS: ClassVar[list[BindingType]] = commands.bindings_for("spaces")

    def __init__(
        self,
        spaces: Sequence[SpaceRow],
        *,
        current: str | None,
        can_cancel: bool,
        read_spaces: Callable[[], Sequence[SpaceRow]] | None = None,
        missing: str | None = None,
    ) -> None:
        super().__init__()
        self.spaces = list(spaces)
        self._read_spaces = read_spaces  # re-read when the sync says the spaces changed
        self.current = current
        self.can_cancel = can_cancel
        self.missing = missing  # the space asked for (--space) that matched none
        self._shown: list[SpaceRow] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            if self.missing is not None:
                name = safe_line(self.missing, max_chars=40)
                yield Static(Content(f"No space named “{name}”."), id="picker-missing")
            yield Static(Content("Choose a space"), id="picker-title")
            yield Input(placeholder="Type to filter", id="picker-filter")
            yield OptionList(id="picker-list")
            yield Static(id="picker-empty")
        yield KeyHints()

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#picker-filter", Input).focus()

    def on_store_spaces_changed(self, _message: StoreSpacesChanged) -> None:
        if self._read_spaces is not None and self.is_mounted:
            self.set_spaces(self._read_spaces())

    def set_spaces(self, spaces: Sequence[SpaceRow]) -> None:
        """The list of spaces changed while the picker is open."""
        self.spaces = list(spaces)
        self._fill(self.query_one("#picker-filter", Input).value)

    def _fill(self, query: str) -> None:
        option_list = self.query_one("#picker-list", OptionList)
        ranked = rank_spaces(self.spaces, query)
        self._shown = [space for space, _ in ranked]
        option_list.clear_options()
        option_list.add_options(Option(label, id=space.id) for space, label in ranked)
        empty = self.query_one("#picker-empty", Static)
        if not self.spaces:
            empty.update("No spaces yet: waiting for Kitemaker…")
        elif not ranked:
            empty.update("No space matches.")
        empty.display = not ranked
        if ranked:
            index = 0
            if not query and self.current:
                index = next(
                    (i for i, space in enumerate(self._shown) if space.id == self.current), 0
                )
            option_list.highlighted = index

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)
        self.refresh_bindings()  # "esc Clear" comes and goes with the text

    @on(Input.Submitted, "#picker-filter")
    def _submitted(self) -> None:
        self.action_choose()

    @on(OptionList.OptionSelected, "#picker-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(event.option.id)

    def action_cursor(self, delta: int) -> None:
        option_list = self.query_one("#picker-list", OptionList)
        if option_list.option_count:
            current = option_list.highlighted or 0
            option_list.highlighted = max(0, min(option_list.option_count - 1, current + delta))

    def action_choose(self) -> None:
        option_list = self.query_one("#picker-list", OptionList)
        index = option_list.highlighted
        if index is not None and 0 <= index < len(self._shown):
            self.dismiss(self._shown[index].id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self.can_cancel
        if action == "clear_filter":
            return not self.can_cancel and bool(self._typed())
        if action == "quit":
            return not self.can_cancel and not self._typed()
        return True

    def _typed(self) -> str:
        fields = self.query("#picker-filter")
        return fields.first(Input).value if fields else ""

    def action_cancel(self) -> None:
        self.dismiss(None)

    async def action_quit(self) -> None:
        await self.app.action_quit()

    def action_clear_filter(self) -> None:
        self.query_one("#picker-filter", Input).value = ""

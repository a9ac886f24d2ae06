"""Choose a theme: every Textual theme (light ones too), shown live as it is highlighted.

Enter keeps the highlighted theme (dismisses with its name: the app remembers it for
the next start); Esc puts back the theme that was in use and dismisses with None.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kiteboard.ui import commands
from kiteboard.ui.no_color import list_box_css

PREVIEW_DELAY = 0.15  # seconds the highlight rests on a theme before it is shown


def theme_label(name: str, *, dark: bool, current: bool, width: int = 20) -> Content:
    """`nord  dark  ● in use`: the kind and the mark are words, not colors (NO_COLOR)."""
    parts: list[str | tuple[str, str]] = [
        f"{name:<{width}}  ",
        ("dark " if dark else "light", "dim"),
    ]
    if current:
        parts.append(("  ● in use", "bold"))
    return Content.assemble(*parts)


class ThemePickerScreen(ModalScreen[str | None]):
    # Unscoped, and parsed only when this is first shown (not on the board's first
    # frame, which is what start-up waits for).
    SCOPED_CSS = False
    DEFAULT_CSS = list_box_css("ThemePickerScreen", "theme", 52)

    BINDINGS: ClassVar[list[BindingType]] = commands.bindings_for("theme")

    def __init__(self) -> None:
        super().__init__()
        self.original = ""  # the theme in use when the picker opened (Esc restores it)
        self._preview_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        self.original = self.app.theme
        themes = self.app.available_themes
        width = max(map(len, themes), default=20)
        options = [
            Option(
                theme_label(name, dark=theme.dark, current=name == self.original, width=width),
                id=name,
            )
            for name, theme in themes.items()
        ]
        with Vertical(id="theme-box"):
            yield Static(Content.styled("Theme", "bold"), id="theme-title")
            yield OptionList(*options, id="theme-list")
            yield Static(Content("↑↓ j k try · Enter keeps · Esc puts back"), id="theme-hint")

    def on_mount(self) -> None:
        option_list = self.query_one("#theme-list", OptionList)
        names = list(self.app.available_themes)
        if self.original in names:
            option_list.highlighted = names.index(self.original)
        option_list.focus()

    @on(OptionList.OptionHighlighted, "#theme-list")
    def _preview_soon(self, event: OptionList.OptionHighlighted) -> None:
        # Restyling the whole app for a theme takes a good part of a second on a
        # board: the highlight moves at once, the theme follows once it rests.
        if self._preview_timer is not None:
            self._preview_timer.stop()
        name = event.option.id
        if name:
            self._preview_timer = self.set_timer(PREVIEW_DELAY, lambda: self._use(name))

    def _use(self, name: str) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None
        if name != self.app.theme and name in self.app.available_themes:
            self.app.theme = name

    @on(OptionList.OptionSelected, "#theme-list")
    def _keep(self, event: OptionList.OptionSelected) -> None:
        name = event.option.id
        if name and name in self.app.available_themes:
            self._use(name)
            self.dismiss(name)

    def action_cursor(self, delta: int) -> None:
        option_list = self.query_one("#theme-list", OptionList)
        if option_list.option_count:
            current = option_list.highlighted or 0
            option_list.highlighted = max(0, min(option_list.option_count - 1, current + delta))

    def action_cancel(self) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
        if self.original in self.app.available_themes and self.app.theme != self.original:
            self.app.theme = self.original
        self.dismiss(None)

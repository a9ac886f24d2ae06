"""Every command of every screen, from the registry, grouped, filtered as you type.

The ids in the last column are what the config file's [keymap] table uses; the keys
shown are the keymap's when it changes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from kiteboard.ui import commands
from kiteboard.ui.widgets.key_scroll import KeyScroll
from kiteboard.ui.widgets.safe_text import safe_line


class HelpRow(NamedTuple):
    keys: str  # as shown: "j ↓"
    title: str
    id: str
    description: str

    def matches(self, words: list[str]) -> bool:
        # What the row shows, no more: a match the person cannot see would puzzle.
        text = f"{self.keys} {self.title} {self.id}".lower()
        return all(word in text for word in words)


def help_rows(keymap: Mapping[str, str]) -> list[tuple[str, list[HelpRow]]]:
    """[(group, rows)] of every registry command, with the keymap applied."""
    groups: list[tuple[str, list[HelpRow]]] = []
    for group in commands.GROUPS:
        rows = [
            HelpRow(
                commands.key_label(commands.keys_of(command, keymap)),
                command.title,
                command.id,
                command.description,
            )
            for command in commands.COMMANDS
            if command.group == group
        ]
        groups.append((group, rows))
    return groups


def filter_rows(
    groups: list[tuple[str, list[HelpRow]]], query: str
) -> list[tuple[str, list[HelpRow]]]:
    """The groups and rows matching every word of `query` (any case); empty groups go."""
    words = query.lower().split()
    kept = [(group, [row for row in rows if row.matches(words)]) for group, rows in groups]
    return [(group, rows) for group, rows in kept if rows]


class HelpScroll(KeyScroll, can_focus=False):
    """The list of commands; scrolled by the help's keys (the letters filter)."""


class HelpScreen(ModalScreen[None]):
    # Unscoped, and parsed only when this is first shown (not on the board's first
    # frame, which is what start-up waits for).
    SCOPED_CSS = False
    DEFAULT_CSS = """
        HelpScreen {
            align: center middle;
        }
        #help-box {
            width: 84;
            max-width: 100%;
            height: 90%;
            border: round $primary;
            background: $surface;
            padding: 0 1;
        }
        #help-title {
            text-style: bold;
        }
        #help-filter {
            border: none;
            height: 1;
            padding: 0;
            margin: 0 0 1 0;
        }
        #help-scroll {
            height: 1fr;
        }
        #help-hint {
            color: $text-muted;
        }
    """

    BINDINGS: ClassVar[list[BindingType]] = commands.bindings_for("help")

    def __init__(self, keymap: Mapping[str, str]) -> None:
        super().__init__()
        self.all_groups = help_rows(keymap)
        self.groups = self.all_groups  # what is shown (the filter's matches)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(Content.styled("Keys and commands", "bold"), id="help-title")
            yield Input(placeholder="Type to filter: a key, a word, an id", id="help-filter")
            with HelpScroll(id="help-scroll"):
                yield Static(self._render_rows(""), id="help-text")
            yield Static(
                Content("↑ ↓ PgUp PgDn scroll · Esc clears, then closes · [keymap] remaps by id"),
                id="help-hint",
            )

    def _render_rows(self, query: str) -> Content:
        if not self.groups:
            return Content.assemble("No command matches ", (safe_line(query, max_chars=40), "bold"))
        key_width = max((len(row.keys) for _, rows in self.all_groups for row in rows), default=8)
        lines: list[Content] = []
        for group, rows in self.groups:
            if lines:
                lines.append(Content(""))
            lines.append(Content.styled(group, "bold $accent"))
            for row in rows:
                lines.append(
                    Content.assemble(
                        (f"  {row.keys:<{key_width}}  ", "bold"),
                        f"{row.title:<22} ",
                        (row.id, "dim"),
                    )
                )
        return Content("\n").join(lines)

    @on(Input.Changed, "#help-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.groups = filter_rows(self.all_groups, event.value)
        self.query_one("#help-text", Static).update(self._render_rows(event.value))
        self.query_one(HelpScroll).scroll_home(animate=False, immediate=True)

    def action_scroll(self, how: str) -> None:
        scroll = self.query_one(HelpScroll)
        getattr(scroll, f"action_{how}")()

    def action_close(self) -> None:
        """Esc: clears the filter first, if there is one; then closes."""
        field = self.query_one("#help-filter", Input)
        if field.value:
            field.value = ""
        else:
            self.dismiss(None)

"""Shown when there is no token: how to get one, and the demo to try meanwhile."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from kiteboard.failures import GET_TOKEN, TOKEN_IN_ENVIRONMENT, USE_TOKEN
from kiteboard.ui import commands
from kiteboard.ui.widgets.key_hints import KeyHints

# The words of kiteboard/failures.py (a rejected token's message and `kiteboard init`
# say the same), with the names of keys, menus and commands in bold.
WELCOME = Content.assemble(
    ("Welcome to kiteboard", "bold"),
    "\n\nkiteboard needs a Kitemaker API token to show your boards.\n\n",
    ("To get one: ", "bold"),
    Content(GET_TOKEN).highlight_regex(r"Ctrl\+K|Cmd\+K|Manage developer settings", style="bold"),
    "\n\n",
    ("Then either ", "bold"),
    Content(USE_TOKEN).highlight_regex(r"kiteboard init", style="bold"),
    "\n\n    ",
    (TOKEN_IN_ENVIRONMENT, "bold"),
    "\n\nNo account at hand? The demo runs against a built-in stand-in for Kitemaker with "
    "sample data: nothing leaves this machine.",
)


class FirstRunScreen(Screen[str]):
    """Dismisses with "demo" or "quit"."""

    # Unscoped, and parsed only when this is first shown (not on the board's first
    # frame, which is what start-up waits for).
    SCOPED_CSS = False
    DEFAULT_CSS = """
        #first-run {
            align: center middle;
        }
        #first-run-box {
            width: 78;
            max-width: 100%;
            height: auto;
            padding: 0 2;
            border: round $primary;
        }
        #first-run-buttons {
            height: auto;
            margin-top: 1;
        }
        #first-run-buttons Button {
            margin-right: 2;
        }
    """

    BINDINGS: ClassVar[list[BindingType]] = commands.bindings_for("first_run")

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="first-run"), Vertical(id="first-run-box"):
            yield Static(WELCOME, id="first-run-text")
            with Horizontal(id="first-run-buttons"):
                yield Button("Try the demo (d)", id="first-run-demo", variant="primary")
                yield Button("Quit (q)", id="first-run-quit")
        yield KeyHints()

    def on_mount(self) -> None:
        self.query_one("#first-run-demo", Button).focus()

    @on(Button.Pressed, "#first-run-demo")
    def action_demo(self) -> None:
        self.dismiss("demo")

    @on(Button.Pressed, "#first-run-quit")
    def action_quit(self) -> None:
        self.dismiss("quit")

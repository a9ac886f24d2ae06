"""Shown while there is nothing to paint yet (a fresh store): connecting, or why not."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Center, Middle
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from kiteboard.ui import commands
from kiteboard.ui.host import host_of
from kiteboard.ui.widgets.key_hints import KeyHints


class ConnectingScreen(Screen[None]):
    # Unscoped, and parsed only when this is first shown (not on the board's first
    # frame, which is what start-up waits for).
    SCOPED_CSS = False
    DEFAULT_CSS = """
        #connecting-text {
            width: auto;
            max-width: 70;
            text-align: center;
            padding: 1 2;
        }
    """

    BINDINGS: ClassVar[list[BindingType]] = commands.bindings_for("connecting")

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.failed = False
        self.fatal = False

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(Content(self.text), id="connecting-text")
        yield KeyHints()

    def show_progress(self, text: str) -> None:
        self.failed = False
        self.query_one("#connecting-text", Static).update(Content(text))
        self.refresh_bindings()

    def show_error(self, title: str, text: str, *, fatal: bool) -> None:
        self.failed, self.fatal = True, fatal
        hint = "" if fatal else "\n\nPress r to try again."
        message = Content.assemble((title, "bold"), "\n\n", text, hint)
        self.query_one("#connecting-text", Static).update(message)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return self.failed
        return True

    def action_retry(self) -> None:
        if self.fatal:  # the token was refused: tried again only once it changed
            self.app.retry_rejected_token()  # type: ignore[attr-defined]
            return
        self.show_progress("Connecting to Kitemaker…")
        host_of(self).connect()

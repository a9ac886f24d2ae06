"""Asked when Esc would close a form with something typed in it."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from kiteboard.ui import commands

DiscardChoice = Literal["discard", "keep"]


class DiscardConfirm(ModalScreen[DiscardChoice | None]):
    """Discard what was typed, keep it as a draft for next time, or go back (None)."""

    CSS_PATH: ClassVar[str] = "forms.tcss"
    BINDINGS: ClassVar[list[BindingType]] = commands.bindings_for("form.confirm")

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(
                "Close this form? Discard what you typed, or keep it as a draft for next time.",
                id="confirm-text",
            )
            with Horizontal(id="confirm-buttons"):
                yield Button("Discard (d)", id="discard", variant="error")
                yield Button("Keep draft (k)", id="keep", variant="primary")
                yield Button("Back (esc)", id="back")

    def on_mount(self) -> None:
        self.query_one("#back", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "back":
            self.dismiss(None)
        else:
            self.action_choose(event.button.id or "")

    def action_choose(self, choice: str) -> None:
        self.dismiss("discard" if choice == "discard" else "keep")

    def action_back(self) -> None:
        self.dismiss(None)

"""Asked before something is lost: a form's text (Esc with something typed), or
someone else's change (`u` over an item changed in Kitemaker since our write)."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
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


class OverwriteConfirm(ModalScreen[bool]):
    """Asked by `u` when someone else changed the item since our write: undoing would
    overwrite their change. True: undo anyway."""

    CSS_PATH: ClassVar[str] = "forms.tcss"
    BINDINGS: ClassVar[list[BindingType]] = commands.bindings_for("form.overwrite")

    def __init__(self, what: str, changed: tuple[str, ...]) -> None:
        super().__init__()
        self.what = what
        self.changed = changed

    def compose(self) -> ComposeResult:
        names = ", ".join(self.changed[:5]) + (" and more" if len(self.changed) > 5 else "")
        who = "was" if len(self.changed) == 1 else "were"
        text = (
            f"{names} {who} changed in Kitemaker since your write ({self.what}). "
            "Undo anyway, overwriting that change?"
        )
        with Vertical(id="confirm-box"):
            # Plain text: a reference or a status name is never read as markup.
            yield Static(Content(text), id="confirm-text")
            with Horizontal(id="confirm-buttons"):
                yield Button("Undo anyway (y)", id="overwrite", variant="warning")
                yield Button("Keep theirs (n)", id="keep", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "overwrite")

    def action_answer(self, overwrite: bool) -> None:
        self.dismiss(overwrite)

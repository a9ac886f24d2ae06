"""SizePicker (`E` / `I`): set an effort or an impact in one key.

    s small · m medium · l large · n none · Esc leaves it as it is

Reusable on its own: the triage walk opens it for the card it shows, and the bulk
keys for the marked cards. Dismissed with the size as requests send it ("small",
"medium", "large"), "none" to clear it, or None when nothing was chosen.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kiteboard.store.write_results import SIZES, normalize_size
from kiteboard.ui import commands
from kiteboard.ui.widgets.safe_text import safe_line

SizeKind = Literal["effort", "impact"]
NO_SIZE = "none"
CHOICES: tuple[str, ...] = (*SIZES, NO_SIZE)


class SizePicker(ModalScreen[str | None]):
    CSS_PATH: ClassVar[str] = "forms.tcss"
    BINDINGS: ClassVar[list[BindingType]] = commands.bindings_for("form.size")

    def __init__(self, kind: SizeKind, current: str | None, *, about: str = "") -> None:
        """``current``: the size now, as the server says it ("Large") or None;
        ``about``: what it is for ("KB-12", "3 marked cards")."""
        super().__init__()
        self.kind = kind
        self.current = normalize_size(current) or NO_SIZE
        self.about = about

    def compose(self) -> ComposeResult:
        keys = {size: commands.BY_ID[f"size.{size}"].keys for size in CHOICES}
        options = [
            Option(
                Content.assemble(
                    (f"{keys[size]} ", "bold"), "●" if size == self.current else " ", f" {size}"
                ),
                id=size,
            )
            for size in CHOICES
        ]
        with Vertical(id="size-box") as box:
            about = f" of {safe_line(self.about, max_chars=40)}" if self.about else ""
            box.border_title = Content(f"{self.kind.capitalize()}{about}")
            box.border_subtitle = "one key · esc cancel"
            yield OptionList(*options, id="size-options", compact=True)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = CHOICES.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.action_choose(event.option.id)

    def action_choose(self, size: str) -> None:
        self.dismiss(size if size != self.current else None)

    def action_cancel(self) -> None:
        self.dismiss(None)

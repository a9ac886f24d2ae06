"""StatusPicker (`m`): choose the column a card moves to."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kiteboard.ui import commands
from kiteboard.ui.widgets.safe_text import safe_line


class StatusPicker(ModalScreen[str | None]):
    """Dismissed with the chosen status id, or None (Esc, or the current one)."""

    CSS_PATH: ClassVar[str] = "forms.tcss"
    BINDINGS: ClassVar[list[BindingType]] = commands.bindings_for("form.status")

    def __init__(
        self, statuses: Iterable[tuple[str, str]], current: str | None, *, title: str = ""
    ) -> None:
        """``statuses``: (id, name) in board order; ``current``: the card's status."""
        super().__init__()
        self.statuses = list(statuses)
        self.current = current
        self.heading = title

    def compose(self) -> ComposeResult:
        options = []
        for number, (status_id, name) in enumerate(self.statuses, start=1):
            mark = "●" if status_id == self.current else " "
            digit = f"{number} " if number <= 9 else "  "
            options.append(
                Option(
                    Content.assemble((digit, "dim"), mark, " ", safe_line(name, max_chars=60)),
                    id=status_id,
                )
            )
        with Vertical(id="status-box") as box:
            box.border_title = Content(f"Move {safe_line(self.heading, max_chars=50)} to…")
            box.border_subtitle = "1-9 or enter move · esc cancel"
            yield OptionList(*options, id="status-options", compact=True)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = [status_id for status_id, _ in self.statuses]
        if self.current in ids:
            options.highlighted = ids.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = event.option.id
        self.dismiss(chosen if chosen != self.current else None)

    def action_cursor(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if delta > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_pick(self, index: int) -> None:
        if 0 <= index < len(self.statuses):
            chosen = self.statuses[index][0]
            self.dismiss(chosen if chosen != self.current else None)

    def action_cancel(self) -> None:
        self.dismiss(None)

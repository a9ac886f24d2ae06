"""Ask for a space's key (the `KB` of `KB-12`) when the sync engine cannot learn it.

The REST API never states a space's key; the engine learns it from comments, and
otherwise asks here (see store/keys.py). The answer is tried on a known item before
the engine believes it; a key that did not work comes back as `rejected`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from kiteboard.ui import commands
from kiteboard.ui.widgets.safe_text import safe_line

if TYPE_CHECKING:
    from kiteboard.store.rows import SpaceRow

_KEY = re.compile(r"[A-Za-z0-9]{1,16}")


class SpaceKeyScreen(ModalScreen[str | None]):
    # Unscoped, and parsed only when this is first shown (not on the board's first
    # frame, which is what start-up waits for).
    SCOPED_CSS = False
    DEFAULT_CSS = """
        SpaceKeyScreen {
            align: center middle;
        }
        #space-key-box {
            width: 64;
            max-width: 100%;
            height: auto;
            border: round $primary;
            background: $surface;
            padding: 0 1;
        }
        #space-key-hint {
            color: $text-muted;
        }
    """

    BINDINGS: ClassVar[list[BindingType]] = commands.bindings_for("space_key")
    # Focused when the screen is shown (an on_mount query could run before the screen
    # pushed from the sync's worker had composed its children).
    AUTO_FOCUS = "#space-key-input"

    def __init__(self, space: SpaceRow, rejected: str | None) -> None:
        super().__init__()
        self.space = space
        self.rejected = rejected

    def compose(self) -> ComposeResult:
        name = safe_line(self.space.name, max_chars=60)
        parts: list[str | tuple[str, str]] = [
            ("What is the key of the space “", "bold"),
            (name, "bold"),
            ("”?", "bold"),
            "\n\nIt is the prefix of every item reference in this space, as in KEY-12. "
            "Kitemaker's API does not tell it, and this space has no recent comment to "
            "learn it from; without it, cards read #12, KEY-12 finds nothing, and items "
            "not loaded yet stay loading.",
        ]
        if self.rejected:
            parts.append(
                (f"\n\n“{safe_line(self.rejected, max_chars=16)}” did not work.", "$error")
            )
        with Vertical(id="space-key-box"):
            yield Static(Content.assemble(*parts), id="space-key-text")
            yield Input(placeholder="e.g. KB", id="space-key-input", max_length=16)
            yield Static(Content("Enter to use it · Esc: not now"), id="space-key-hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        key = event.value.strip()
        if _KEY.fullmatch(key):
            self.dismiss(key.upper())
        else:
            self.notify("A key is 1 to 16 letters or digits.", severity="warning")

    def action_skip(self) -> None:
        self.dismiss(None)

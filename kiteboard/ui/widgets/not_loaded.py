"""Shown instead of the board while a space has never been loaded: why, and when it
will be (rather than a blank screen)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from kiteboard.ui.widgets.safe_text import safe_line

if TYPE_CHECKING:
    from kiteboard.store.rows import SyncStatus


def not_loaded(name: str, status: SyncStatus | None) -> str:
    """Why a space shows no board at all: it was never loaded, and when it will be."""
    space = f"“{safe_line(name, max_chars=60)}”"
    state = status.state if status else "never"
    if state == "offline":
        return (
            f"{space} has not been loaded yet: kiteboard is offline. It will be loaded as "
            "soon as the connection to Kitemaker is back."
        )
    if state == "rejected":
        return (
            f"{space} has not been loaded yet: Kitemaker did not accept the token. It will "
            "be loaded once it does (see the top bar)."
        )
    return f"Loading {space}…"


class NotLoaded(Static):
    def explain(self, name: str, status: SyncStatus | None) -> None:
        self.update(Content(not_loaded(name, status)))

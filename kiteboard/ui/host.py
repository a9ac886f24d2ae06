"""What a screen needs from the app it runs in, as a protocol: the session (reads,
writes, events), the clock, and the app-wide work a screen may ask for.

Screens type `self.app` with `KiteboardHost` (`host_of(self)`) instead of importing
app.py, so that ui/ stands without looking up at the app; `KiteboardApp` is one host,
and a test may give another.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from kiteboard.session.session import Session


class KiteboardHost(Protocol):
    session: Session
    clock: Callable[[], float]  # wall clock (fixed in tests and screenshots)
    unseen_activity: int  # activity entries not seen yet (a reactive: the top bar watches)

    def refresh_space(self, space_id: str) -> Any:
        """Fetch what changed in a space now (a worker: returns at once)."""

    def connect(self) -> Any:
        """Connect (again) to Kitemaker (a worker: returns at once)."""

    def ask_space_key(self, space_id: str, *, again: bool = False) -> Any:
        """Ask the person for a space's key the sync could not learn (a worker);
        `again`: even if it is known or was asked for (the palette's "Set space key")."""

    def count_activity(self) -> None:
        """Count the activity entries not seen yet again (the top bar shows them)."""


def host_of(node: DOMNode) -> KiteboardHost:
    """The app `node` runs in, as the host it is."""
    return cast("KiteboardHost", node.app)

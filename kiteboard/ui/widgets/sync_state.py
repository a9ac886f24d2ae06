"""How fresh the board is, in words: `synced 12 s ago`, `syncing 340 of 2,000`,
`offline since 14:02`. The clock is injected so that screenshots are stable."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.widgets import Static

from kiteboard.ui.widgets.safe_text import safe_line

if TYPE_CHECKING:
    from kiteboard.store.rows import SyncStatus


# A moment this little ahead of our clock is a clock's jitter, not the future.
_SKEW_SECONDS = 60


def span(seconds: float) -> str:
    """`12 s`, `5 min`, `3 h`, `2 days`, `4 months`, `3 years` (never negative)."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h"
    days = seconds // 86400
    if days < 60:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 730:
        return f"{days // 30} months"
    return f"{days // 365} years"


def ago(seconds: float) -> str:
    """`12 s ago`, `5 min ago`, `3 h ago`, `2 days ago` (never negative)."""
    return f"{span(seconds)} ago"


def relative(seconds_ago: float) -> str:
    """`5 min ago`, or `in 3 years` for a moment ahead of our clock (a server's clock
    ahead of ours, a date typed in the future): never `0 s ago` for a day to come."""
    if seconds_ago < -_SKEW_SECONDS:
        return f"in {span(-seconds_ago)}"
    return ago(seconds_ago)


def clock_time(timestamp: float) -> str:
    return time.strftime("%H:%M", time.localtime(timestamp))


# The top bar's words for a token Kitemaker refused: what it is and the way out (the
# notification and the first-run screen say the rest).
TOKEN_REJECTED = "token rejected: run kiteboard init"


def describe_sync(status: SyncStatus | None, now: float, *, connecting: bool = False) -> str:
    """One short phrase for the footer/header."""
    if status is None:
        return "connecting…" if connecting else "not synced"
    state = status.state
    if state == "rejected":
        return TOKEN_REJECTED
    if state == "syncing":
        if status.total:
            return f"syncing {status.loaded:,} of {status.total:,}"
        return "syncing…"
    if state == "offline":
        since = status.offline_since
        text = f"offline since {clock_time(since)}" if since else "offline"
        if status.last_synced_at:
            text += f" · synced {ago(now - status.last_synced_at)}"
        return text
    if state == "synced" and status.last_synced_at is not None:
        text = f"synced {ago(now - status.last_synced_at)}"
        return f"{text} · connecting…" if connecting else text
    return "connecting…" if connecting else "not synced yet"


class SyncState(Static):
    """The sync indicator; ticks once a second so that `12 s ago` stays true."""

    def __init__(self, clock: Callable[[], float], *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._clock = clock
        self.status: SyncStatus | None = None
        self.text = ""
        self.connecting = True

    def on_mount(self) -> None:
        self._show()
        self.set_interval(1.0, self._show)

    def set_status(self, status: SyncStatus | None, *, connecting: bool = False) -> None:
        self.status = status
        self.connecting = connecting
        self._show()

    def _show(self) -> None:
        text = describe_sync(self.status, self._clock(), connecting=self.connecting)
        state = self.status.state if self.status else "never"
        for name in ("never", "syncing", "synced", "offline", "rejected"):
            self.set_class(state == name, f"-{name}")
        status = self.status
        message = status.message if status and state in ("offline", "rejected") else None
        self.tooltip = safe_line(message) if message else None
        self.text = text
        self.update(text)

"""Messages that cross screens (the rest are nested on the widget that posts them)."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class StoreEvent(Message):
    """An event of the sync engine (ItemsChanged, CommentsChanged, SpacesChanged,
    SyncStatusChanged), delivered in the app's event loop."""

    def __init__(self, event: Any) -> None:
        super().__init__()
        self.event = event


class Connected(Message):
    """The client and sync engine are ready and the list of spaces is fresh."""


class ConnectFailed(Message):
    """Connecting failed; `text` says why and what to do, in one or two sentences."""

    def __init__(self, title: str, text: str, *, fatal: bool, token_rejected: bool = False) -> None:
        super().__init__()
        self.title = title
        self.text = text
        self.fatal = fatal  # True when retrying cannot help (e.g. the token was rejected)
        self.token_rejected = token_rejected  # nothing is sent until the token changes

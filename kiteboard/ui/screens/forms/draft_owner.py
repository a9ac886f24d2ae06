"""Whose draft it is: a draft being sent belongs to the kiteboard sending it.

Two kiteboards on one HOME share the store, so the same form (a comment on one item)
has one draft in both. While one sends it, the other must neither restore it (its
comment became "comment Bcomment A") nor write over it (the sender needs it should it
die before the answer). The draft says which process sends it; one that has gone
(killed mid-send) owns nothing, and its draft comes back as a send to check.
"""

from __future__ import annotations

import os
from typing import Any

SENDER = "in_flight_by"


def mark_sending(state: dict[str, Any]) -> None:
    state[SENDER] = os.getpid()


def sent_elsewhere(draft: dict[str, Any] | None) -> int | None:
    """The process id of another running kiteboard sending ``draft``, else None."""
    pid = draft.get(SENDER) if draft else None
    if not isinstance(pid, int) or pid == os.getpid() or pid <= 0:
        return None
    try:
        os.kill(pid, 0)  # (signal 0: only asks whether it exists)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid  # someone else's, alive
    return pid

"""The demo world's journal: every write request the in-process emulator receives,
kept in `<cache>/demo/journal.jsonl` and replayed into a freshly built emulator on the
next run, each at the clock time it was made, so that ids and timestamps come out the
same (see demo_world.py for the world it keeps).
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiteboard.emulator.app import Emulator, EmulatorResponse

log = logging.getLogger(__name__)

_READS = frozenset({"GET", "HEAD", "OPTIONS"})


class JournalDropped(Exception):
    """The journal did not replay cleanly and was dropped: the emulator, changed in
    part, must be built again from the demo data (and the next sync brings the store
    back in line with it)."""


def journaled(emulator: Emulator, journal: Path) -> Emulator:
    """`emulator` with the writes of `journal` replayed into it, recording the next
    ones there. Raises JournalDropped (see there)."""
    try:
        _replay(emulator, journal)
    except Exception as error:  # damaged, or from another world: start afresh
        log.warning("the demo's journal could not be replayed (%s); it starts afresh", error)
        with contextlib.suppress(OSError):
            journal.unlink()
        raise JournalDropped(str(error)) from error
    original: Callable[..., EmulatorResponse] = emulator.handle
    state = emulator.state

    def handle(method: str, path: str, query: Any, headers: Any, body: bytes) -> EmulatorResponse:
        if method.upper() in _READS:
            return original(method, path, query, headers, body)
        # The state reads its clock once more per write: pinned for the request, the
        # time written down is the time it used, to the millisecond.
        at = time.time()
        state.set_clock(lambda: at)
        try:
            response = original(method, path, query, headers, body)
        finally:
            state.set_clock(time.time)
        entry = {
            "at": at,
            "method": method.upper(),
            "path": path,
            "query": dict(query),
            "body": body.decode("utf-8", "surrogateescape"),
        }
        try:
            with journal.open("a", encoding="utf-8", errors="surrogateescape") as file:
                file.write(json.dumps(entry) + "\n")
        except OSError:
            pass  # only the next run's memory of this write is lost
        return response

    emulator.handle = handle  # type: ignore[method-assign]
    return emulator


def _replay(emulator: Emulator, journal: Path) -> None:
    try:
        lines = journal.read_text(encoding="utf-8", errors="surrogateescape").splitlines()
    except FileNotFoundError:
        return
    state = emulator.state
    headers = {"x-api-key": "demo"}
    try:
        for number, line in enumerate(lines, 1):
            try:
                entry = json.loads(line)
            except ValueError:
                if number == len(lines):
                    break  # the last write, cut short by a kill: it is lost
                raise
            at = float(entry["at"])
            state.set_clock(lambda at=at: at)
            body = str(entry["body"]).encode("utf-8", "surrogateescape")
            emulator.handle(entry["method"], entry["path"], entry["query"], headers, body)
    finally:
        state.set_clock(time.time)

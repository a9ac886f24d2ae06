"""SIGHUP and SIGTERM: write what was typed, then go.

A dropped SSH session (or `tmux kill-session`) sends SIGHUP; a shutdown sends SIGTERM.
Their default is to end the process at once, which lost what was typed in the last
half-second (drafts are written after `DRAFT_DELAY` of quiet typing). On either, the
app writes every open form's draft, then exits as on `q` (closing the store). Only
`kill -9` still loses the last half-second: nothing can run on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable

HANGUP_SIGNALS = (signal.SIGHUP, signal.SIGTERM)
EXIT_GRACE = 3.0  # seconds: a terminal that is gone may keep Textual from finishing


def on_hangup(
    keep_typing: Callable[[], None], exit_app: Callable[[int], None]
) -> Callable[[], None]:
    """From now on SIGHUP and SIGTERM call ``keep_typing`` (write the drafts) and then
    ``exit_app`` with the shell's code for the signal (128 + its number). Returns what
    undoes it (call it when the app unmounts). Call from the app's running loop."""
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    last_resort: list[asyncio.TimerHandle] = []

    def received(signum: signal.Signals) -> None:
        try:
            keep_typing()
        finally:
            code = 128 + int(signum)
            exit_app(code)
            # Drafts are on disk: should the exit hang on a dead terminal, do not
            # linger until the system's SIGKILL.
            last_resort.append(loop.call_later(EXIT_GRACE, os._exit, code))

    for signum in HANGUP_SIGNALS:
        # (Not in the main thread, or no signals on this platform: the default stays.)
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, received, signum)
            installed.append(signum)

    def undo() -> None:
        for signum in installed:
            loop.remove_signal_handler(signum)
        for handle in last_resort:
            handle.cancel()

    return undo

"""A dropped session: `kiteboard --demo` in a real terminal (a pty), a title typed,
then the terminal hung up a moment later, before the draft's half-second of quiet.
What was typed is in the store when the form is opened again."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiteboard.session.demo_world import demo_folder
from kiteboard.store.db import Store
from kiteboard.ui.screens.forms.work_item import new_item_draft_key

ROOT = Path(__file__).resolve().parent.parent
_ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")


class Terminal:
    """kiteboard running in a pty of its own, its session's leader (as under sshd)."""

    def __init__(self, *args: str) -> None:
        self.master, slave = pty.openpty()
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kiteboard", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.seen = b""
        self.shown = ""

    def wait_for(self, pattern: str, timeout: float = 60.0) -> None:
        """Read what the app draws until ``pattern`` (a regular expression) shows (the
        bound turns a hang into a failure; it is no timing assertion)."""
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.shown):
            assert time.monotonic() < deadline, f"{pattern!r} never showed"
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                self.seen += os.read(self.master, 65536)
                # What is on screen, without the escape sequences between the words.
                self.shown = _ESCAPES.sub(b"", self.seen[-20_000:]).decode(errors="replace")

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def hang_up(self, signum: int) -> int:
        self.process.send_signal(signum)
        os.close(self.master)  # and the terminal is gone, as when SSH drops
        return self.process.wait(timeout=60)


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_a_hang_up_right_after_typing_keeps_the_draft(signum: int) -> None:
    terminal = Terminal("--demo", "--space", "KB")
    try:
        terminal.wait_for(r"(?<!not) synced \d")  # the board is painted and connected (c works)
        terminal.type("c")
        terminal.wait_for(r"Edit in \$EDITOR")  # the form is open
        terminal.type("Typed just before the hang-up")
        terminal.wait_for("Typed just before the hang-up")  # on screen: the app has it
        code = terminal.hang_up(signum)  # at once: well within the draft's 0.5 s
    finally:
        if terminal.process.poll() is None:
            terminal.process.kill()
    with Store.open(demo_folder() / "store.sqlite3") as store:
        (space,) = [s for s in store.read.spaces() if s.key == "KB"]
        draft = store.local.load_draft(new_item_draft_key(space.id))
    assert draft is not None and draft["fields"]["title"] == "Typed just before the hang-up"
    assert code == 128 + signum  # as a shell reports a process the signal ended

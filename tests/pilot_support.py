"""Helpers for Pilot tests: waiting for what the app does, and hearing what it says."""

from __future__ import annotations

from typing import Any


async def wait_until(pilot: Any, condition: Any, *, tries: int = 3000) -> None:
    """Let the app run until `condition()` holds. The bound only turns a hang into a
    failure (a minute): it is no timing assertion, so a loaded CI machine passes too."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition never held")


def record_notifications(app: Any, monkeypatch: Any) -> list[tuple[str, str]]:
    """The (title, message) of every notification the app shows from now on."""
    seen: list[tuple[str, str]] = []
    original = app.notify

    def notify(message, *, title="", severity="information", timeout=None, markup=True):
        seen.append((title, message))
        original(message, title=title, severity=severity, timeout=timeout, markup=markup)

    monkeypatch.setattr(app, "notify", notify)
    return seen

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


_CHARACTERS = {"enter": "\r", "slash": "/", "space": " ", "question_mark": "?"}


async def type_at_once(pilot: Any, *keys: str) -> None:
    """Keys that reach the app together, as from a fast typist or a laggy SSH link
    (Pilot.press waits for the app to be idle after each key); returns once every one
    has gone on to the app and the app is idle."""
    from textual import events

    app = pilot.app
    for key in keys:
        character = _CHARACTERS.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, character))
    taken: list[bool] = []
    app.call_later(taken.append, True)  # runs once the app has taken every key above
    await wait_until(pilot, lambda: bool(taken) and app.typing_settled)
    await pilot.pause()


def record_notifications(app: Any, monkeypatch: Any) -> list[tuple[str, str]]:
    """The (title, message) of every notification the app shows from now on."""
    seen: list[tuple[str, str]] = []
    original = app.notify

    def notify(message, *, title="", severity="information", timeout=None, markup=True):
        seen.append((title, message))
        original(message, title=title, severity=severity, timeout=timeout, markup=markup)

    monkeypatch.setattr(app, "notify", notify)
    return seen

"""TypeAhead on its own: the waits are bounded, and what waited goes on in order."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Input

from kiteboard.ui.type_ahead import MAX_WAIT, TypeAhead
from tests.pilot_support import wait_until


class StubbornScreen(Screen[None]):
    """Has a field but never focuses it: keys typed here would wait for nothing."""

    AUTO_FOCUS: ClassVar[str | None] = None

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[str] = []

    def compose(self) -> ComposeResult:
        yield Input()

    def on_key(self, event: events.Key) -> None:
        self.keys.append(event.key)


class Host(App[None]):
    AUTO_FOCUS: ClassVar[str | None] = None

    def __init__(self) -> None:
        super().__init__()
        self.now = 0.0
        self.type_ahead = TypeAhead(self, clock=lambda: self.now)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and self.screen_stack and self.type_ahead.take(event):
            return
        await super().on_event(event)

    def on_mount(self) -> None:
        self.push_screen(StubbornScreen())


async def test_keys_do_not_wait_forever_for_a_screen_that_never_takes_the_focus() -> None:
    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StubbornScreen) and app.focused is None
        for key in "abc":
            app.post_message(events.Key(key, key))
        await pilot.pause()
        assert screen.keys == [] and not app.type_ahead.idle  # waiting for the focus
        app.now += MAX_WAIT  # (the clock the waits are measured on)
        await wait_until(pilot, lambda: app.type_ahead.idle)
        await pilot.pause()
        assert screen.keys == ["a", "b", "c"]  # then on, in the order typed
        await pilot.press("d")  # and from then on, without waiting again
        assert screen.keys == ["a", "b", "c", "d"]
